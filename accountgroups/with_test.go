package accountgroups_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/accountkit/accountkit-go"
	"github.com/accountkit/accountkit-go/accountgroups"
	"github.com/accountkit/accountkit-go/accountgroups/accountgroupstest"
)

// TestCallHeaderIsSigned checks that a derived client's header and query
// are in place before the request is signed: the signature covers them,
// and the fake, which verifies every signature, accepts the request.
func TestCallHeaderIsSigned(t *testing.T) {
	srv, c := newFake(t, nil)
	g := srv.AddAccountGroup(accountgroups.AccountGroup{})
	// Upvest leaves x- headers out of signatures; tenant-id is covered.
	d := c.With(accountkit.WithHeader("Tenant-Id", "t1"), accountkit.WithQuery("trace", "on"))
	if _, err := d.GetAccountGroup(t.Context(), g.ID); err != nil {
		t.Fatal(err)
	}
	reqs := srv.Requests()
	r := reqs[len(reqs)-1]
	if r.Header.Get("Tenant-Id") != "t1" || r.Query != "trace=on" {
		t.Fatalf("Tenant-Id %q, query %q", r.Header.Get("Tenant-Id"), r.Query)
	}
	if input := r.Header.Get("Signature-Input"); !strings.Contains(input, `"tenant-id"`) || !strings.Contains(input, `"@query"`) {
		t.Errorf("Signature-Input %s does not cover tenant-id and @query", input)
	}
}

// TestWithIdempotencyKeyOnEveryTry checks that the key given with
// accountkit.WithIdempotencyKey is the one sent, on every retry.
func TestWithIdempotencyKeyOnEveryTry(t *testing.T) {
	srv, c := newFake(t, nil)
	srv.InjectFault(accountgroupstest.Fault{Method: http.MethodPost, Path: "/account_groups", Status: http.StatusServiceUnavailable, Times: 2})
	key := accountkit.NewIdempotencyKey()
	var resp accountkit.Response
	g, err := c.With(accountkit.WithIdempotencyKey(key), accountkit.WithResponse(&resp)).CreateAccountGroup(t.Context(), userID, accountgroups.AccountGroupTypePersonal)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, r := range srv.Requests() {
		if r.Method == http.MethodPost {
			keys = append(keys, r.Header.Get("Idempotency-Key"))
		}
	}
	if !slices.Equal(keys, []string{key, key, key}) {
		t.Errorf("keys sent %q, want %s three times", keys, key)
	}
	if resp.StatusCode != http.StatusOK || resp.Attempts != 3 || resp.RequestID == "" {
		t.Errorf("response %+v, want a 2xx after 3 attempts with a request id", resp)
	}
	// The same key again: the same group.
	again, err := c.With(accountkit.WithIdempotencyKey(key)).CreateAccountGroup(t.Context(), userID, accountgroups.AccountGroupTypePersonal)
	if err != nil || again.ID != g.ID {
		t.Errorf("same key again: %v, %v; want group %s", again, err, g.ID)
	}
	if k := accountkit.NewIdempotencyKey(); k == key || len(k) != 36 || k[14] != '4' {
		t.Errorf("NewIdempotencyKey = %q, want a fresh version 4 UUID", k)
	}
}

// TestOperationNames checks the names a tracing transport sees, including
// CloseAccountGroup's follow-up read and the webhook key fetch.
func TestOperationNames(t *testing.T) {
	var mu sync.Mutex
	var names []string
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		names = append(names, r.Method+" "+accountkit.OperationName(r.Context()))
		mu.Unlock()
		return http.DefaultTransport.RoundTrip(r)
	})
	srv, c := newFake(t, nil, accountgroups.WithHTTPClient(&http.Client{Transport: rt}))
	ctx := t.Context()
	g, err := c.CreateAccountGroup(ctx, userID, accountgroups.AccountGroupTypePersonal)
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range c.ListUserAccountGroups(ctx, userID, nil) {
		if err != nil {
			t.Fatal(err)
		}
	}
	// The first DELETE is carried out but its answer lost; the retry is
	// answered 409, and the group read to see that it is closing.
	srv.InjectFault(accountgroupstest.Fault{Method: http.MethodDelete, Lost: true, Status: http.StatusBadGateway, Times: 1})
	if err := c.CloseAccountGroup(ctx, g.ID, accountgroups.ClosureReasonUserInitiated, false); err != nil {
		t.Fatal(err)
	}
	hook := httptest.NewServer(accountgroups.WebhookHandler(c.WebhookVerifier(), func(context.Context, []accountgroups.Event) error { return nil }))
	defer hook.Close()
	if status, err := srv.DeliverWebhook(ctx, hook.URL, srv.NewEvent(accountgroups.EventTypeAccountGroupLocked, *g)); err != nil || status != http.StatusOK {
		t.Fatalf("delivery: %d, %v", status, err)
	}
	mu.Lock()
	defer mu.Unlock()
	want := []string{
		"POST accountgroups.FetchToken",
		"POST accountgroups.CreateAccountGroup",
		"GET accountgroups.ListUserAccountGroups",
		"DELETE accountgroups.CloseAccountGroup",
		"DELETE accountgroups.CloseAccountGroup",
		"GET accountgroups.CloseAccountGroup",
		"POST accountgroups.FetchToken", // the webhooks:read token
		"GET accountgroups.GetVerifyKeys",
	}
	if !slices.Equal(names, want) {
		t.Errorf("operations:\n%q\nwant:\n%q", names, want)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestInvalidCallOptionSendsNothing(t *testing.T) {
	srv, c := newFake(t, nil)
	for _, opt := range []accountkit.CallOption{
		accountkit.WithIdempotencyKey("not-a-uuid"),
		accountkit.WithHeader("Signature", "x"),
		accountkit.WithTimeout(-time.Second),
	} {
		_, err := c.With(opt).CreateAccountGroup(t.Context(), userID, accountgroups.AccountGroupTypePersonal)
		if !errors.Is(err, accountkit.ErrInvalidRequest) || !strings.HasPrefix(err.Error(), "accountgroups: CreateAccountGroup: ") {
			t.Errorf("err = %v, want ErrInvalidRequest", err)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func TestWithAllocatesOnce(t *testing.T) {
	_, c := newFake(t, nil)
	key, timeout := accountkit.WithIdempotencyKey(accountkit.NewIdempotencyKey()), accountkit.WithTimeout(time.Second)
	if n := testing.AllocsPerRun(100, func() { _ = c.With(key, timeout) }); n != 1 {
		t.Errorf("With: %v allocations, want 1", n)
	}
}

func ExampleClient_With() {
	srv := accountgroupstest.NewServer(accountgroupstest.WithDeterministicIDs())
	defer srv.Close()
	client, err := srv.NewClient()
	if err != nil {
		fmt.Println(err)
		return
	}

	// Store the key before the first try: repeating the create with it,
	// even from another process after a crash, cannot open a second group.
	key := accountkit.NewIdempotencyKey()
	var resp accountkit.Response
	group, err := client.With(accountkit.WithIdempotencyKey(key), accountkit.WithResponse(&resp)).
		CreateAccountGroup(context.Background(), userID, accountgroups.AccountGroupTypePersonal)
	if err != nil {
		fmt.Println(err, resp.RequestID)
		return
	}
	fmt.Println(group.Status, resp.StatusCode, resp.RequestID != "")
	// Output: ACTIVE 200 true
}
