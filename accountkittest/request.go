package accountkittest

import "net/http"

// MaxBodySize is how many bytes of a request body a [Request] keeps.
const MaxBodySize = 1 << 20

// Redacted stands in for a credential in a [Request]'s headers and body.
const Redacted = "REDACTED"

// Request is one request a fake received, as it arrived.
//
// Credentials never appear in it: the values of Authorization,
// Proxy-Authorization, Cookie and X-Api-Key keep their scheme
// ("Bearer REDACTED"), and a form body's client_secret is replaced by
// [Redacted]. Requests to a token endpoint are not recorded at all.
// Headers that are not secret stay as sent: upvest-client-id, Signature,
// Signature-Input, Content-Digest and idempotency-key, for example.
type Request struct {
	// Method is the request's method, such as GET.
	Method string
	// Path is the request's path relative to the API's base path:
	// /identity/accounts/{id} for Paxos (whose base is /v2),
	// /accounts/accounts/{id} for the Marketplace (/public/v1),
	// /account_groups/{id} for Upvest (whose base is the root).
	Path string
	// Query is the raw query string, without the "?", exactly as sent;
	// url.ParseQuery decodes it.
	Query string
	// Header is a copy of the request's headers, credentials redacted.
	Header http.Header
	// Body is the request's body as sent, up to MaxBodySize bytes (a
	// longer body is cut there; the fake still reads all of it), a
	// form's client_secret redacted; nil when there was none.
	Body []byte
	// Status is the status the fake answered with; 0 when the client went
	// away before it answered.
	Status int
}
