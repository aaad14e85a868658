// Package accountgroupstest serves an in-memory fake of the Upvest account
// groups API, for examples and for testing code that uses package
// accountgroups, in the spirit of net/http/httptest.
//
//	srv := accountgroupstest.NewServer()
//	defer srv.Close()
//	client, err := srv.NewClient() // client credentials and the fake's signing key
//
// Like Upvest, the fake verifies the HTTP message signature of every
// request, the token request included, and answers 401 to any request that
// is unsigned, tampered with, expired or signed by a key it does not know
// ([Server.RegisterClientKey] adds your own). It requires upvest-client-id,
// replays the first answer to a repeated idempotency-key, moves a closed
// group from ACTIVE through CLOSING to CLOSED, and pages lists with meta.
//
// It also plays Upvest's webhook side: [Server.SetWebhookURL] makes it
// deliver signed batches of ACCOUNT_GROUP.* events as groups change,
// redelivering until the receiver answers 200, and [Server.DeliverWebhook]
// sends any events to any URL, so webhook handlers can be tested end to
// end. Its webhook keys are served at /auth/verify_keys.
package accountgroupstest
