package paxos_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/accountkit/accountkit-go"
	"github.com/accountkit/accountkit-go/paxos"
	"github.com/accountkit/accountkit-go/paxos/paxostest"
)

// namer is a RoundTripper that records, for each request, its method, path
// and operation name, and the request id it was answered with.
type namer struct {
	mu      sync.Mutex
	entries []string
	ids     []string
}

func (n *namer) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	n.mu.Lock()
	defer n.mu.Unlock()
	n.entries = append(n.entries, r.Method+" "+r.URL.Path+" "+accountkit.OperationName(r.Context()))
	if err == nil {
		n.ids = append(n.ids, resp.Header.Get("X-Request-Id"))
	}
	return resp, err
}

func TestOperationNameOnEveryRequest(t *testing.T) {
	rec := &namer{}
	srv, c := newFake(t, paxos.WithHTTPClient(&http.Client{Transport: rec}))
	a := seedAccount(srv, member("bo", paxos.RoleBeneficialOwner))
	srv.AddAccount(paxos.Account{IdentityID: "other"})
	ctx := t.Context()
	if _, err := c.GetAccount(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AddMember(ctx, a.ID, member("au", paxos.RoleAuthorizedUser)); err != nil {
		t.Fatal(err)
	}
	for _, err := range c.ListAccounts(ctx, &paxos.ListAccountsParams{Limit: 1}) {
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.With(accountkit.WithTimeout(time.Minute)).DisableAccount(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	path := "/v2/identity/accounts/" + a.ID
	want := []string{
		"POST /oauth2/token paxos.FetchToken",
		"GET " + path + " paxos.GetAccount",
		"GET " + path + " paxos.AddMember",
		"PUT /v2/identity/accounts paxos.AddMember",
		"GET /v2/identity/accounts paxos.ListAccounts",
		"GET /v2/identity/accounts paxos.ListAccounts",
		"PUT /v2/identity/accounts paxos.DisableAccount",
	}
	if got := rec.entries; !slices.Equal(got, want) {
		t.Errorf("requests:\n%q\nwant:\n%q", got, want)
	}
}

// TestWithAppliesToEveryRequestOfAHelper checks that a derived client's
// header and query go on both the read and the write of AddMember, and
// that WithResponse gets the write's answer.
func TestWithAppliesToEveryRequestOfAHelper(t *testing.T) {
	rec := &namer{}
	srv, c := newFake(t, paxos.WithHTTPClient(&http.Client{Transport: rec}))
	a := seedAccount(srv, member("bo", paxos.RoleBeneficialOwner))
	var resp accountkit.Response
	d := c.With(accountkit.WithHeader("X-Tenant", "t1"), accountkit.WithQuery("trace", "on"), accountkit.WithResponse(&resp))
	if _, err := d.AddMember(t.Context(), a.ID, member("au", paxos.RoleAuthorizedUser)); err != nil {
		t.Fatal(err)
	}
	reqs := srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want a GET and a PUT", len(reqs))
	}
	for _, r := range reqs {
		if r.Header.Get("X-Tenant") != "t1" || r.Query != "trace=on" {
			t.Errorf("%s %s: X-Tenant %q, query %q; want t1 and trace=on", r.Method, r.Path, r.Header.Get("X-Tenant"), r.Query)
		}
	}
	last := rec.ids[len(rec.ids)-1]
	if resp.StatusCode != http.StatusOK || resp.RequestID != last || resp.Attempts != 1 {
		t.Errorf("response %+v; want the PUT's: 200, request id %s, 1 attempt", resp, last)
	}

	// The parent sends none of it.
	if _, err := c.GetAccount(t.Context(), a.ID); err != nil {
		t.Fatal(err)
	}
	if r := srv.Requests()[2]; r.Header.Get("X-Tenant") != "" || r.Query != "" {
		t.Errorf("the parent client sent X-Tenant %q, query %q", r.Header.Get("X-Tenant"), r.Query)
	}
}

func TestWithAccumulates(t *testing.T) {
	srv, c := newFake(t)
	a := seedAccount(srv, member("bo", paxos.RoleBeneficialOwner))
	first := c.With(accountkit.WithHeader("X-A", "1"), nil, accountkit.WithHeader("X-B", "1"))
	second := first.With(accountkit.WithHeader("X-B", "2"), accountkit.WithHeader("X-C", "2"), accountkit.WithHeader("X-D", "2"), accountkit.WithHeader("X-E", "2"))
	for _, cl := range []*paxos.Client{second, first, c} {
		if _, err := cl.GetAccount(t.Context(), a.ID); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for _, r := range srv.Requests() {
		got = append(got, fmt.Sprint(r.Header.Values("X-A"), r.Header.Values("X-B"), r.Header.Values("X-C"), r.Header.Values("X-E")))
	}
	want := []string{"[1] [2] [2] [2]", "[1] [1] [] []", "[] [] [] []"}
	if !slices.Equal(got, want) {
		t.Errorf("headers %q, want %q", got, want)
	}
}

func TestWithMaxRetries(t *testing.T) {
	srv, c := newFake(t)
	a := seedAccount(srv, member("bo", paxos.RoleBeneficialOwner))
	srv.InjectFault(paxostest.Fault{Method: http.MethodGet, Status: http.StatusServiceUnavailable, Times: 1})
	var resp accountkit.Response
	_, err := c.With(accountkit.WithMaxRetries(0), accountkit.WithResponse(&resp)).GetAccount(t.Context(), a.ID)
	var apiErr *accountkit.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusServiceUnavailable || countRequests(srv, http.MethodGet) != 1 {
		t.Fatalf("err = %v after %d GETs; want the 503, not retried", err, countRequests(srv, http.MethodGet))
	}
	if resp.StatusCode != http.StatusServiceUnavailable || resp.RequestID == "" || resp.RequestID != apiErr.RequestID {
		t.Errorf("response %+v, want the 503's", resp)
	}

	// A client that never retries, and a call that may.
	srv0, c0 := newFake(t, paxos.WithMaxRetries(0))
	a0 := seedAccount(srv0, member("bo", paxos.RoleBeneficialOwner))
	srv0.InjectFault(paxostest.Fault{Method: http.MethodGet, Status: http.StatusServiceUnavailable, Times: 2})
	if _, err := c0.With(accountkit.WithMaxRetries(2), accountkit.WithResponse(&resp)).GetAccount(t.Context(), a0.ID); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || resp.Attempts != 3 {
		t.Errorf("response %+v, want 200 after 3 attempts", resp)
	}
}

// TestWithTimeoutBoundsTheWholeHelper checks that WithTimeout bounds
// AddMember's read and write together, not each request.
func TestWithTimeoutBoundsTheWholeHelper(t *testing.T) {
	srv, c := newFake(t)
	a := seedAccount(srv, member("bo", paxos.RoleBeneficialOwner))
	if _, err := c.GetAccount(t.Context(), a.ID); err != nil { // the token, fetched before the latency
		t.Fatal(err)
	}
	srv.SetLatency(150 * time.Millisecond)
	d := c.With(accountkit.WithTimeout(250 * time.Millisecond))
	if _, err := d.GetAccount(t.Context(), a.ID); err != nil {
		t.Fatalf("one request within the timeout: %v", err)
	}
	_, err := d.AddMember(t.Context(), a.ID, member("au", paxos.RoleAuthorizedUser))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("AddMember, 300ms of requests within 250ms: err = %v, want DeadlineExceeded", err)
	}
	if _, err := c.AddMember(t.Context(), a.ID, member("au", paxos.RoleAuthorizedUser)); err != nil {
		t.Errorf("the parent has no timeout: %v", err)
	}
}

func TestInvalidCallOptionSendsNothing(t *testing.T) {
	srv, c := newFake(t)
	d := c.With(accountkit.WithHeader("X Tenant", "t1"))
	ctx := t.Context()
	for name, call := range map[string]func() error{
		"GetAccount": func() error { _, err := d.GetAccount(ctx, "a"); return err },
		"AddMember": func() error {
			_, err := d.AddMember(ctx, "a", member("au", paxos.RoleAuthorizedUser))
			return err
		},
		"DeleteAccountMember": func() error { return d.DeleteAccountMember(ctx, "m") },
		"ListAccounts": func() error {
			for _, err := range d.ListAccounts(ctx, nil) {
				return err
			}
			return nil
		},
	} {
		if err := call(); !errors.Is(err, accountkit.ErrInvalidRequest) {
			t.Errorf("%s: err = %v, want ErrInvalidRequest", name, err)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// TestWithSharesMemberLocks runs AddMember on one account through a client
// and clients derived from it: none of the additions may be lost.
func TestWithSharesMemberLocks(t *testing.T) {
	srv, c := newFake(t)
	a := seedAccount(srv, member("bo", paxos.RoleBeneficialOwner))
	srv.SetLatency(2 * time.Millisecond)
	var wg sync.WaitGroup
	for i := range 8 {
		cl := c
		if i%2 == 1 {
			cl = c.With(accountkit.WithHeader("X-Worker", fmt.Sprint(i)))
		}
		wg.Go(func() {
			if _, err := cl.AddMember(t.Context(), a.ID, member(fmt.Sprint("au", i), paxos.RoleAuthorizedUser)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	got, err := c.GetAccount(t.Context(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Members) != 9 {
		t.Errorf("%d members, want 9: %v", len(got.Members), memberSet(got.Members))
	}
}

func TestWithAllocatesOnce(t *testing.T) {
	_, c := newFake(t)
	timeout, header := accountkit.WithTimeout(time.Second), accountkit.WithHeader("X-Tenant", "t1")
	if n := testing.AllocsPerRun(100, func() { _ = c.With(timeout, header) }); n != 1 {
		t.Errorf("With: %v allocations, want 1", n)
	}
}

func BenchmarkWith(b *testing.B) {
	srv := paxostest.NewServer()
	defer srv.Close()
	c, err := srv.NewClient()
	if err != nil {
		b.Fatal(err)
	}
	timeout, header := accountkit.WithTimeout(time.Second), accountkit.WithHeader("X-Tenant", "t1")
	b.ReportAllocs()
	for b.Loop() {
		_ = c.With(timeout, header)
	}
}

func ExampleClient_With() {
	srv, client, accountID := exampleFake()
	defer srv.Close()

	// A derived client shares the parent's connections, token and locks;
	// its options apply to every request of its calls.
	var resp accountkit.Response
	account, err := client.With(
		accountkit.WithTimeout(10*time.Second),
		accountkit.WithResponse(&resp),
	).AddMember(context.Background(), accountID, paxos.AccountMember{
		IdentityID: "bob",
		Roles:      []paxos.Role{paxos.RoleAuthorizedUser},
	})
	if err != nil {
		log.Fatalf("%v (request id %s)", err, resp.RequestID)
	}
	fmt.Println(len(account.Members), "members")
	fmt.Println(resp.StatusCode, resp.Attempts, resp.RequestID != "")
	// Output:
	// 2 members
	// 200 1 true
}
