package accountgroups_test

import (
	"testing"

	"github.com/accountkit/accountkit-go/accountgroups"
)

// FuzzParseWebhookEvents feeds arbitrary deliveries to the parser: it must
// never panic, and what it accepts has ids and types and decodes or
// refuses cleanly as an account group.
func FuzzParseWebhookEvents(f *testing.F) {
	f.Add([]byte(`{"id":"e1","created_at":"2021-07-21T14:10:00.00Z","type":"ACCOUNT_GROUP.CREATED","object":{"id":"g","status":"ACTIVE"},"webhook_id":"w"}`))
	f.Add([]byte(`{"payload":[{"id":"e1","type":"USER.CREATED","object":[1,2]},{"id":"e2","type":"ACCOUNT_GROUP.CLOSED","object":"x"}]}`))
	f.Add([]byte(`{"payload":null}`))
	f.Add([]byte(`{"payload":[{}]}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		events, err := accountgroups.ParseWebhookEvents(body)
		if err != nil {
			return
		}
		for _, e := range events {
			if e.ID == "" || e.Type == "" {
				t.Fatalf("accepted an event without id or type: %+v", e)
			}
			_, _ = e.AccountGroup()
		}
	})
}
