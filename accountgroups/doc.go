// Package accountgroups is a client for the account groups of the Upvest
// Investment API, and for the webhook events Upvest sends about them.
//
//	key, _ := x509.ParsePKCS8PrivateKey(pemBlock.Bytes) // your ECDSA P-521 key
//	client, err := accountgroups.NewClient(accountgroups.Sandbox,
//		accountgroups.WithClientCredentials(clientID, clientSecret),
//		accountgroups.WithSigningKey(keyID, key.(crypto.Signer)))
//
// # Signed requests
//
// Upvest refuses any request without an HTTP message signature, the token
// request included. The client signs every request last, after the
// Authorization header and the upvest-client-id, upvest-api-version and
// upvest-signature-version headers are set, with the key given to
// [WithSigningKey]: an ECDSA P-521 key (signed with SHA-512, the algorithm
// Upvest documents) or an Ed25519 key. NewClient refuses to build a client
// without one. Retries are signed afresh.
//
// # Idempotent creates
//
// [Client.CreateAccountGroup] sends an idempotency-key header, a random
// version 4 UUID, and the same key on every retry, so a retried create
// cannot open a second group; keyed creates are retried like GET requests.
// To choose the key yourself (to retry across process restarts, say), make
// one with [accountkit.NewIdempotencyKey], store it, and pass it per call:
// client.With(accountkit.WithIdempotencyKey(key)).CreateAccountGroup(...).
//
// # Webhooks
//
// [ParseWebhookEvents] reads a delivery, a batch {"payload": [...]} or a
// single event. A [WebhookVerifier] checks Upvest's signature on an
// incoming request with the keys from GET /auth/verify_keys, and
// [WebhookHandler] answers 200 only after your callback succeeded. Upvest
// redelivers until it gets a 200, so the same event can arrive more than
// once: deduplicate by [Event].ID.
//
// For tests, package accountgroupstest serves an in-memory fake that
// verifies every signature and delivers signed webhooks.
package accountgroups
