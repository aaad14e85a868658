package accountgroups_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/accountkit/accountkit-go/accountgroups"
	"github.com/accountkit/accountkit-go/accountgroups/accountgroupstest"
	"github.com/accountkit/accountkit-go/internal/fixture"
)

func TestParseWebhookEvents(t *testing.T) {
	seed, err := os.ReadFile(filepath.Join("testdata", "seeds", "account_group_created_event.json"))
	if err != nil {
		t.Fatal(err)
	}
	// A single event, as on the vendor's page.
	events, err := accountgroups.ParseWebhookEvents(seed)
	if err != nil || len(events) != 1 {
		t.Fatalf("single event: %v, %v", events, err)
	}
	g, err := events[0].AccountGroup()
	if err != nil {
		t.Fatal(err)
	}
	fixture.Golden(t, "account_group_created_event", map[string]any{"event": events[0], "account_group": g})

	// A batch keeps its order and unknown event types, raw.
	batch := []byte(`{"payload":[` + string(seed) + `,
		{"id":"e2","created_at":"2021-07-21T14:10:01Z","type":"USER.CREATED","object":{"id":"u1","name":"x"},"webhook_id":"w"},
		{"id":"e3","created_at":"2021-07-21T14:10:02Z","type":"ACCOUNT_GROUP.FROZEN","object":{"id":"g9","status":"FROZEN"},"webhook_id":"w"}]}`)
	events, err = accountgroups.ParseWebhookEvents(batch)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range events {
		ids = append(ids, e.ID)
	}
	if diff := cmp.Diff([]string{"72da9e41-9926-419f-976e-4c8069a04249", "e2", "e3"}, ids); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
	if _, err := events[1].AccountGroup(); !errors.Is(err, accountgroups.ErrNotAccountGroupEvent) {
		t.Errorf("USER.CREATED as an account group: %v", err)
	}
	if string(events[1].Object) != `{"id":"u1","name":"x"}` {
		t.Errorf("raw object %s", events[1].Object)
	}
	// A future ACCOUNT_GROUP.* type still gives typed access, unknown
	// status kept.
	if g, err := events[2].AccountGroup(); err != nil || g.Status != "FROZEN" || g.Status.Valid() {
		t.Errorf("future type: %+v, %v", g, err)
	}

	for name, body := range map[string]string{
		"empty":        ``,
		"array":        `[]`,
		"not json":     `{"payload":`,
		"no id":        `{"type":"ACCOUNT_GROUP.CREATED","object":{}}`,
		"payload junk": `{"payload":{"id":1}}`,
	} {
		if _, err := accountgroups.ParseWebhookEvents([]byte(body)); !errors.Is(err, accountgroups.ErrMalformedDelivery) {
			t.Errorf("%s: %v, want ErrMalformedDelivery", name, err)
		}
	}
}

// receiver is a webhook endpoint built with WebhookHandler that dedupes by
// event id and can be told to fail.
type receiver struct {
	mu       sync.Mutex
	seen     map[string]bool
	events   []accountgroups.Event
	failNext int
}

func (rc *receiver) handle(_ context.Context, events []accountgroups.Event) error {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.failNext > 0 {
		rc.failNext--
		return errors.New("database unavailable")
	}
	for _, e := range events {
		if !rc.seen[e.ID] {
			rc.seen[e.ID] = true
			rc.events = append(rc.events, e)
		}
	}
	return nil
}

func (rc *receiver) types() []accountgroups.EventType {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var out []accountgroups.EventType
	for _, e := range rc.events {
		out = append(out, e.Type)
	}
	return out
}

// TestWebhooksEndToEnd: the fake delivers signed batches as groups change;
// the handler verifies them with keys fetched from /auth/verify_keys, and a
// failing callback gets the batch redelivered.
func TestWebhooksEndToEnd(t *testing.T) {
	for _, version := range []int{15, 6} {
		t.Run("v"+string(rune('0'+version/10))+string(rune('0'+version%10)), func(t *testing.T) {
			srv, c := newFake(t, []accountgroupstest.Option{accountgroupstest.WithWebhookSignatureVersion(version), accountgroupstest.WithClosingDelay(10 * time.Millisecond)})
			rc := &receiver{seen: map[string]bool{}, failNext: 1}
			hook := httptest.NewServer(accountgroups.WebhookHandler(c.WebhookVerifier(), rc.handle))
			defer hook.Close()
			srv.SetWebhookURL(hook.URL)

			ctx := context.Background()
			g, err := c.CreateAccountGroup(ctx, userID, accountgroups.AccountGroupTypePersonal)
			if err != nil {
				t.Fatal(err)
			}
			if err := c.CloseAccountGroup(ctx, g.ID, accountgroups.ClosureReasonUserInitiated, false); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "three events", func() bool { return len(rc.types()) == 3 })
			// The fake logs a delivery just after the receiver answers it.
			if err := srv.Flush(ctx); err != nil {
				t.Fatal(err)
			}
			want := []accountgroups.EventType{accountgroups.EventTypeAccountGroupCreated, accountgroups.EventTypeAccountGroupClosingInitiated, accountgroups.EventTypeAccountGroupClosed}
			if diff := cmp.Diff(want, rc.types()); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
			ds := srv.Deliveries()
			if len(ds) != 4 || ds[0].Status != http.StatusInternalServerError || ds[1].Status != http.StatusOK || ds[1].Attempt != 2 {
				t.Errorf("deliveries %+v, want the first redelivered after a 500", ds)
			}
			closed, err := rc.events[2].AccountGroup()
			if err != nil || closed.ID != g.ID || closed.Status != accountgroups.AccountGroupStatusClosed {
				t.Errorf("CLOSED event object: %+v, %v", closed, err)
			}
		})
	}
}

// TestWebhookVerifierRejects sends deliveries that must not be accepted.
func TestWebhookVerifierRejects(t *testing.T) {
	srv, c := newFake(t, nil)
	g := srv.AddAccountGroup(accountgroups.AccountGroup{})
	event := srv.NewEvent(accountgroups.EventTypeAccountGroupActivated, g)
	rc := &receiver{seen: map[string]bool{}}
	hook := httptest.NewServer(accountgroups.WebhookHandler(c.WebhookVerifier(), rc.handle))
	defer hook.Close()

	// A genuine delivery is accepted.
	if status, err := srv.DeliverWebhook(context.Background(), hook.URL, event); err != nil || status != http.StatusOK {
		t.Fatalf("genuine delivery: %d, %v", status, err)
	}

	// Capture a genuine request, then tamper with copies of it.
	var captured *http.Request
	var capturedBody []byte
	grab := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		capturedBody, _ = io.ReadAll(r.Body)
		captured = r.Clone(context.Background())
	}))
	defer grab.Close()
	if _, err := srv.DeliverWebhook(context.Background(), grab.URL, event); err != nil {
		t.Fatal(err)
	}
	send := func(body []byte, edit func(h http.Header)) int {
		req, _ := http.NewRequest(http.MethodPost, hook.URL, bytes.NewReader(body))
		req.Header = captured.Header.Clone()
		edit(req.Header)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := send(capturedBody, func(http.Header) {}); got != http.StatusOK {
		t.Fatalf("replayed genuine copy: %d", got)
	}
	var tampered map[string]any
	_ = json.Unmarshal(capturedBody, &tampered)
	tampered["payload"].([]any)[0].(map[string]any)["type"] = "ACCOUNT_GROUP.CLOSED"
	evil, _ := json.Marshal(tampered)
	for name, tc := range map[string]struct {
		body []byte
		edit func(h http.Header)
	}{
		"tampered body":  {evil, func(http.Header) {}},
		"unsigned":       {capturedBody, func(h http.Header) { h.Del("Signature"); h.Del("Signature-Input") }},
		"unknown key":    {capturedBody, func(h http.Header) { h.Set("Signature-Input", replaceKeyID(h.Get("Signature-Input"))) }},
		"bad signature":  {capturedBody, func(h http.Header) { h.Set("Signature", "sig1=:AAAA:") }},
		"missing digest": {capturedBody, func(h http.Header) { h.Del("Content-Digest") }},
	} {
		if got := send(tc.body, tc.edit); got != http.StatusUnauthorized {
			t.Errorf("%s: %d, want 401", name, got)
		}
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.events) != 1 {
		t.Errorf("%d events reached the callback, want 1 (the genuine one, deduplicated)", len(rc.events))
	}
}

func replaceKeyID(input string) string {
	return string(bytes.Replace([]byte(input), []byte(`keyid="`+accountgroupstest.WebhookKeyID+`"`), []byte(`keyid="someone-else"`), 1))
}

// TestExpiredWebhookIsRejected verifies with a clock a minute ahead.
func TestExpiredWebhookIsRejected(t *testing.T) {
	srv := accountgroupstest.NewServer(accountgroupstest.WithClock(func() time.Time { return time.Now().Add(-time.Minute) }))
	defer srv.Close()
	v, err := accountgroups.NewWebhookVerifier(srv.WebhookKeys())
	if err != nil {
		t.Fatal(err)
	}
	hook := httptest.NewServer(accountgroups.WebhookHandler(v, func(context.Context, []accountgroups.Event) error { return nil }))
	defer hook.Close()
	status, err := srv.DeliverWebhook(context.Background(), hook.URL, srv.NewEvent(accountgroups.EventTypeAccountGroupLocked, srv.AddAccountGroup(accountgroups.AccountGroup{})))
	if err != nil || status != http.StatusUnauthorized {
		t.Errorf("a minute-old signature: %d, %v; want 401", status, err)
	}
}
