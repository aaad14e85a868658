// Package marketplace is a client for the accounts of the SoftwareOne
// Marketplace Platform API.
//
//	client, err := marketplace.NewClient(marketplace.Production,
//		marketplace.WithAPIToken(os.Getenv("MPT_API_TOKEN")))
//
// # Create and update, with a logo
//
// [Client.CreateAccount] and [Client.UpdateAccount] send a multipart body
// when given a [Logo]: an "account" part holding the account as JSON and a
// "logo" file part. The logo is streamed from its reader, never held in
// memory whole, so its size does not matter. Without a logo they send the
// account as a plain JSON body.
//
// Only the members an account's owner may set are sent: name, type (on
// create; it is fixed afterwards), serviceLevel, externalIds, externalId,
// address, technicalSupportEmail, website, description and eligibility.
// The read-only members (id, href, audit, $meta, icon, status,
// externalName, groups, buyers) are left out, so an account read with
// GetAccount can be changed and passed back whole. Status changes go through
// EnableAccount, DisableAccount and ActivateAccount.
//
// # Errors and retries
//
// A non-2xx answer is an [*accountkit.APIError]; its FieldErrors holds the
// problem's errors in one form whichever of SoftwareOne's two shapes they
// came in, and RequestID its traceId. GetAccount, ListAccounts and
// UpdateAccount are retried on 408, 429 and 5xx answers and transport
// errors. An update is retried only when its logo can be read again from the
// start (a *bytes.Reader, *strings.Reader, *os.File or other io.Seeker);
// with any other reader a failed update is returned as it is.
// CreateAccount and the status changes are POSTs without an idempotency
// key, so they are not retried.
//
// # Unknown values and placeholders
//
// Enum types ([AccountStatus], [ServiceLevel], ...) are strings: values this
// SDK does not know decode as they are. Where the API cannot render a
// reference it sends placeholders (such as {"0": "[", "1": "C", ...}) in
// place of an object; those decode as empty values instead of failing.
//
// For tests, package marketplacetest serves an in-memory fake of the API.
package marketplace
