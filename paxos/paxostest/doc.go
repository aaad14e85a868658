// Package paxostest is an in-memory fake of the Paxos v2 identity accounts
// API and its OAuth2 token endpoint, for examples and for testing code
// that uses package paxos, in the spirit of net/http/httptest.
//
// A [Fake] is an [http.Handler]: mount it on your own mux, wrap it in
// httptest.NewServer, or drive it with httptest.NewRecorder. [NewServer]
// serves one on a loopback port and knows its own URL:
//
//	srv := paxostest.NewServer()
//	defer srv.Close()
//	client, err := srv.NewClient() // or paxos.NewClient(srv.Environment(), paxos.WithClientCredentials(paxostest.ClientID, paxostest.ClientSecret))
//
//	fake := paxostest.New()
//	mux.Handle("/paxos/", http.StripPrefix("/paxos", fake))
//	client, err := fake.NewClientAt(ts.URL + "/paxos")
//
// Helpers seed accounts ([Fake.AddAccount]), inject faults
// ([Fake.InjectFault]) and latency ([Fake.SetLatency]), expire tokens
// ([Fake.ExpireTokens]), register tokens issued elsewhere
// ([Fake.AddToken]), and report what was asked of the fake:
// [Fake.Requests] lists every API request with its headers and body
// (credentials redacted), [Fake.TokensIssued] counts tokens.
//
// # Account statuses
//
// New accounts are PENDING and, by default, stay so. [WithApprovalDelay]
// makes the fake approve them as Paxos's onboarding does, some time after
// they were created on the fake's clock ([WithClock]: a clock the test
// moves makes waits for APPROVED deterministic). [Fake.SetSummaryStatus]
// sets any status at once, for what Paxos decides (DENIED, ERROR, an
// admin's DISABLED). DisableAccount and EnableAccount move an account to
// DISABLED and back to the status it had. Together they drive
// paxos.Client.WaitForStatus through every path.
//
// # What the fake accepts
//
// What the vendor's published schemas allow, checked against its OpenAPI
// document:
//
//   - Bodies as the schemas describe them. UpdateAccountRequest.account
//     is a whole Account: an account sent back exactly as GET returned it
//     is a valid update. Of it, id names the account and description,
//     ref_id, metadata (replaced whole) and members (the full new list)
//     are applied, with set_user_disabled; the read-only members
//     (identity_id, created_at, updated_at, summary_status,
//     admin_disabled, user_disabled, profile_id, type and the members'
//     ids) are ignored. CreateAccountRequest.account takes only the
//     fields the vendor's description of the create lists: identity_id,
//     description, metadata, ref_id and members (create_profile sits
//     beside it); an Account field left at its zero value counts as
//     absent.
//   - The account's own identity_id holds BENEFICIAL_OWNER, as the
//     vendor's CreateAccount description says: an update's members may
//     list it with that role (or leave it out) without adding or removing
//     a role.
//   - JSON members and query parameters the fake does not know are
//     ignored: Paxos's schemas leave every object open (no
//     additionalProperties: false) and document no refusal of other
//     parameters. Whether the SDK sends only what the vendor documents is
//     checked against the vendor's document by package paxos's
//     conformance tests, not by this fake.
//   - limit=0, taken as the default page size, as an unset limit is.
//   - A member's role may come as roles or as the older single type.
//   - Any scope of Paxos's OAuth2 scheme at the token endpoint, with the
//     client credentials in the form or in a Basic Authorization header;
//     the Bearer scheme's name in any case.
//
// # What the fake refuses
//
// What the vendor documents as invalid, and input no account could hold,
// with a problem+json answer (the token endpoint answers RFC 6749
// errors):
//
//   - 400: an update without account.id; an empty members list (delete
//     members one by one with DeleteAccountMember instead); adding or
//     removing a role other than FINANCIAL_ADVISOR and AUTHORIZED_USER by
//     an update, including dropping a member who holds another; a member
//     id sent on create or to AddAccountMembers (ids are the server's);
//     a create without account.identity_id, or with an Account field the
//     vendor forbids there (id, admin_disabled, user_disabled,
//     created_at, updated_at, summary_status, profile_id, type) set to a
//     value; AddAccountMembers without
//     account_id or members; a role outside the vendor's enum; a member
//     with no identity_id or no role, or one identity listed twice (the
//     account could not hold such members); query parameters outside
//     their documented formats (order and order_by outside their enums, a
//     limit that is not an int32 or is negative, times that are not RFC
//     3339, a page_cursor the fake did not issue); a body that is not
//     JSON or whose members have the wrong JSON types.
//   - 401: a missing, unknown or expired bearer token; 403: a token
//     without the operation's scope (identity:read_account for reads,
//     identity:write_account for writes).
//   - 404: an unknown account or member id, an unknown endpoint.
//   - 409: a ref_id another account holds (with the existing account in
//     meta.existing, as Paxos sends it), an identity that is already a
//     member.
//   - At the token endpoint: another grant type, wrong credentials, a
//     scope outside Paxos's list.
//
// # Signed requests and rate limits
//
// Both are off by default, as they are on a new Paxos account and in
// tests that send bursts.
//
// [WithRequestSigning] (or [Fake.RegisterSigningKey]) makes the fake
// require a Paxos-Signature on every API request (the token request is
// not signed), as package paxos makes it: a compact JWS, ES256 (r||s) or
// EdDSA, by a registered key, whose protected header names the key (kid),
// paxos.com/timestamp (Unix seconds as a string), paxos.com/request-method
// and paxos.com/request-path: the path as the client sent it, /v2 and the
// query string included (before any http.StripPrefix in front of the
// fake), and whose payload is the body byte for byte (empty without one).
// It refuses with 401 a missing signature, one that is not such a JWS, an
// unknown kid, an alg other than the key's, a signature that does not
// verify, a timestamp older than 30 minutes or more than
// [SignatureClockSkew] ahead (on the real clock, or [WithSignatureClock]'s),
// and a header without method or path; with 403 a valid signature made for
// another method, path, query or body.
//
// [WithRateLimit] makes it enforce Paxos's rate limits per endpoint (method
// and route) and client IP: at most [RateLimit] requests (or the number
// given) in any one-second window, [TokenRateLimit] at the token endpoint.
// Over a limit it answers 429 (problem+json, no Retry-After) and refuses
// that IP everywhere for [ThrottleDuration] of the fake's clock.
//
// State lives in memory and is lost with the Fake. A Fake and a Server
// are safe for concurrent use.
package paxostest
