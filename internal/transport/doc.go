// Package transport is the HTTP stack every accountkit client shares. A
// [Doer] sits between a generated client and an *http.Client and, for each
// attempt of a request, sets the User-Agent and static headers, the
// Authorization header from a [TokenCache], and finally runs the signing
// hook; it retries what is safe to retry and turns every non-2xx answer into
// an *accountkit.APIError.
package transport
