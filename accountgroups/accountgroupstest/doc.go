// Package accountgroupstest is an in-memory fake of the Upvest account
// groups API, for examples and for testing code that uses package
// accountgroups, in the spirit of net/http/httptest.
//
// A [Fake] is an [http.Handler]: mount it on your own mux, wrap it in
// httptest.NewServer, or drive it with httptest.NewRecorder. [NewServer]
// serves one on a loopback port and knows its own URL:
//
//	srv := accountgroupstest.NewServer()
//	defer srv.Close()
//	client, err := srv.NewClient() // client credentials and the fake's signing key
//
//	fake := accountgroupstest.New()
//	defer fake.Close()
//	mux.Handle("/upvest/", http.StripPrefix("/upvest", fake))
//	client, err := fake.NewClientAt(ts.URL + "/upvest")
//
// Like Upvest, the fake verifies the HTTP message signature of every
// request, the token request included ([Fake.RegisterClientKey] adds your
// own keys), replays the first answer to a repeated idempotency-key,
// moves a closed group from ACTIVE through CLOSING to CLOSED (after
// [WithClosingDelay]), approves new groups from PENDING_APPROVAL to ACTIVE
// when [WithApprovalDelay] asks it to (they are ACTIVE at once by
// default), and pages lists with meta. [Fake.SetStatus] moves a group to
// any status, as Upvest does when it locks, unlocks or closes one, with
// the matching event. Both delays run on the real clock, so that the
// events go out by themselves. Helpers seed groups ([Fake.AddAccountGroup]), inject
// faults and latency, expire tokens, register tokens issued elsewhere
// ([Fake.AddToken]) and report what was asked of it: [Fake.Requests]
// lists every API request with its headers (the bearer token redacted,
// signatures kept) and body.
//
// It also plays Upvest's webhook side: [Fake.SetWebhookURL] makes it
// deliver signed batches of ACCOUNT_GROUP.* events as groups change,
// redelivering until the receiver answers 200, and [Fake.DeliverWebhook]
// sends any events to any URL, so webhook handlers can be tested end to
// end. Its webhook keys are served at /auth/verify_keys.
//
// # Signatures, versions and clocks
//
// upvest-signature-version names the signature's format, as Upvest's
// documentation describes it: 15 for the current one; absent (or 6) for
// the default, the older format 6. A request signed in the other format
// than the header names is refused with 401, saying which header to send.
// (The vendor's OpenAPI document does not list the header at all; its
// documentation on signatures is what the fake follows.)
// upvest-api-version is optional, as the vendor's spec says (default 1):
// absent and 1 are accepted, anything else is refused with 400.
//
// Signatures are checked against the real clock, since clients sign with
// it, whatever [WithClock] says. To replay signed requests recorded
// earlier, pass [WithSignatureClock] with the time they were signed, and
// register their key ([Fake.RegisterClientKey]) and bearer token
// ([Fake.AddToken]).
//
// # What the fake accepts
//
//   - Requests signed in format 15 or 6 by a registered key (ECDSA P-521
//     or Ed25519), covering @method, @path, @query when there is a query,
//     and the body's digest when there is a body; the parameters in any
//     order, alg, tag and unknown ones included, and several signatures
//     per request (one by a registered key is enough). Other headers need
//     not be covered: Upvest's own Java example leaves upvest-client-id
//     uncovered on the token request and idempotency-key on creates. The
//     signature covers the path the client sent, so a fake mounted under
//     a prefix (http.StripPrefix) still verifies.
//   - Any scope of Upvest's OAuth2 scheme at the token endpoint, with the
//     client credentials in the form; an Authorization header on the token
//     request is ignored. accounts:admin covers reads.
//   - GET /auth/verify_keys with webhooks:read or webhooks:admin, as the
//     vendor's spec says (a token with account scopes alone gets 403).
//   - List parameters offset, limit (0 to 1000, the vendor's range),
//     sort (created_at or updated_at) and order (ASC or DESC); other
//     parameters are ignored. Closing without closure_reason, which the
//     vendor lists without requiring.
//   - An idempotency-key matching the vendor's pattern: a UUID of
//     version 0 to 5, its hyphens optional.
//
// # What the fake refuses
//
//   - 401: an unsigned, tampered, expired or unknown-key signature, one in
//     the other format than upvest-signature-version names; a missing or
//     other upvest-client-id; a missing, unknown or expired bearer token.
//     403: a token without the operation's scope (accounts:read for
//     reads, accounts:admin for create and close).
//   - 400: an upvest-api-version other than 1, an upvest-signature-version
//     other than 15 and 6; a create without a valid idempotency-key
//     (required by the vendor), with members the vendor's schema does not
//     list (it closes the body), without a UUID user_id or with an
//     unknown type; a closure_reason outside the vendor's reasons;
//     notification_only that is not a boolean; list parameters out of
//     their documented ranges.
//   - 404: an unknown group or endpoint; 409: closing a group that is
//     not ACTIVE; 422: an idempotency-key reused with another body.
//   - At the token endpoint: another grant type, wrong credentials, a
//     scope outside Upvest's list; 400 without a scope, which the
//     vendor's token request schema requires (the problem's detail starts
//     with invalid_request).
//
// Every answer carries upvest-request-id, a UUID as the vendor's spec
// declares it (numbered: 00000000-0000-4000-a000-000000000001, ...), also
// in problem documents as request_id. Lists always carry meta and data,
// which the vendor's schema requires: an empty page is "data": [].
//
// State lives in memory and is lost with the Fake. A Fake and a Server
// are safe for concurrent use.
package accountgroupstest
