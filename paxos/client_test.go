package paxos_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/accountkit/accountkit-go"
	"github.com/accountkit/accountkit-go/paxos"
	"github.com/accountkit/accountkit-go/paxos/paxostest"
)

func TestNewClientRefusesBadConfig(t *testing.T) {
	ts := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "t"})
	for name, tc := range map[string]struct {
		env  paxos.Environment
		opts []paxos.Option
	}{
		"no credentials":   {paxos.Sandbox, nil},
		"no secret":        {paxos.Sandbox, []paxos.Option{paxos.WithClientCredentials("id", "")}},
		"no base URL":      {paxos.Environment{TokenURL: paxos.Sandbox.TokenURL}, []paxos.Option{paxos.WithTokenSource(ts)}},
		"relative URL":     {paxos.Environment{BaseURL: "api.paxos.com/v2"}, []paxos.Option{paxos.WithTokenSource(ts)}},
		"no token URL":     {paxos.Environment{BaseURL: paxos.Sandbox.BaseURL}, []paxos.Option{paxos.WithClientCredentials("id", "secret")}},
		"too many retries": {paxos.Sandbox, []paxos.Option{paxos.WithTokenSource(ts), paxos.WithMaxRetries(100)}},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := paxos.NewClient(tc.env, tc.opts...); !errors.Is(err, accountkit.ErrInvalidRequest) {
				t.Errorf("NewClient = %v, want ErrInvalidRequest", err)
			}
		})
	}
}

func TestValidationSendsNothing(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	disabled := true
	calls := map[string]func() error{
		"GetAccount empty id": func() error { _, err := c.GetAccount(ctx, ""); return err },
		"CreateAccount no identity": func() error {
			_, err := c.CreateAccount(ctx, paxos.CreateAccountRequest{})
			return err
		},
		"CreateAccount with id": func() error {
			_, err := c.CreateAccount(ctx, paxos.CreateAccountRequest{Account: paxos.Account{IdentityID: "i", ID: "a"}})
			return err
		},
		"CreateAccount with type": func() error {
			_, err := c.CreateAccount(ctx, paxos.CreateAccountRequest{Account: paxos.Account{IdentityID: "i", Type: paxos.AccountTypeBrokerage}})
			return err
		},
		"CreateAccount member with id": func() error {
			_, err := c.CreateAccount(ctx, paxos.CreateAccountRequest{Account: paxos.Account{IdentityID: "i", Members: []paxos.AccountMember{{ID: "m", IdentityID: "x", Roles: roles(paxos.RoleAuthorizedUser)}}}})
			return err
		},
		"UpdateAccount no id": func() error {
			_, err := c.UpdateAccount(ctx, paxos.UpdateAccountRequest{SetUserDisabled: &disabled})
			return err
		},
		"UpdateAccount empty members": func() error {
			_, err := c.UpdateAccount(ctx, paxos.UpdateAccountRequest{Account: paxos.Account{ID: "a", Members: []paxos.AccountMember{}}})
			return err
		},
		"UpdateAccount member twice": func() error {
			_, err := c.UpdateAccount(ctx, paxos.UpdateAccountRequest{Account: paxos.Account{ID: "a", Members: []paxos.AccountMember{member("x", paxos.RoleAuthorizedUser), member("x", paxos.RoleFinancialAdvisor)}}})
			return err
		},
		"DisableAccount empty id": func() error { _, err := c.DisableAccount(ctx, ""); return err },
		"ListAccounts negative limit": func() error {
			for _, err := range c.ListAccounts(ctx, &paxos.ListAccountsParams{Limit: -1}) {
				return err
			}
			return nil
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			if err := call(); !errors.Is(err, accountkit.ErrInvalidRequest) {
				t.Errorf("err = %v, want ErrInvalidRequest", err)
			}
		})
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent for invalid input", n)
	}
	if n := srv.TokensIssued(); n != 0 {
		t.Errorf("%d tokens fetched for invalid input", n)
	}
}

func TestUpdateAccountSendsOnlyWritableFields(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	a := seedAccount(srv, member("bo", paxos.RoleBeneficialOwner))
	got, err := c.GetAccount(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Change what was read and pass it back whole: read-only fields and
	// member ids must not reach the server (which refuses them).
	got.Description = "joint account"
	got.Metadata = map[string]string{"tier": "gold"}
	got.Members = append(got.Members, member("au", paxos.RoleAuthorizedUser))
	updated, err := c.UpdateAccount(ctx, paxos.UpdateAccountRequest{Account: *got})
	if err != nil {
		t.Fatal(err)
	}
	if updated.Description != "joint account" || updated.Metadata["tier"] != "gold" || len(updated.Members) != 2 {
		t.Errorf("updated = %+v", updated)
	}
}

func TestDisableEnable(t *testing.T) {
	srv, c := newFake(t)
	a := seedAccount(srv)
	ctx := context.Background()
	got, err := c.DisableAccount(ctx, a.ID)
	if err != nil || !got.UserDisabled || got.SummaryStatus != paxos.SummaryStatusDisabled {
		t.Fatalf("DisableAccount = %+v, %v", got, err)
	}
	got, err = c.EnableAccount(ctx, a.ID)
	if err != nil || got.UserDisabled || got.SummaryStatus != paxos.SummaryStatusPending {
		t.Fatalf("EnableAccount = %+v, %v", got, err)
	}
}

func TestCreateAccountRetriesOnlyWithRefID(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()

	srv.InjectFault(paxostest.Fault{Method: http.MethodPost, Path: "/identity/accounts", Status: http.StatusServiceUnavailable})
	_, err := c.CreateAccount(ctx, paxos.CreateAccountRequest{Account: paxos.Account{IdentityID: "i1"}})
	var apiErr *accountkit.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusServiceUnavailable || apiErr.Attempts != 1 {
		t.Fatalf("create without ref_id after a 503: %v, want the 503 after one attempt", err)
	}
	if n := countRequests(srv, http.MethodPost); n != 1 {
		t.Errorf("%d POSTs without ref_id, want 1 (no retry)", n)
	}

	srv.InjectFault(paxostest.Fault{Method: http.MethodPost, Path: "/identity/accounts", Status: http.StatusBadGateway, Times: 2})
	got, err := c.CreateAccount(ctx, paxos.CreateAccountRequest{Account: paxos.Account{IdentityID: "i1", RefID: "ref-1"}})
	if err != nil || got.RefID != "ref-1" {
		t.Fatalf("create with ref_id after two 502s: %+v, %v", got, err)
	}
	if n := countRequests(srv, http.MethodPost); n != 4 {
		t.Errorf("%d POSTs in all, want 4 (1 + 3 for the ref_id create)", n)
	}
}

// TestCreateAccountRetryFindsExisting loses the answer to a create that the
// server carried out; the retry meets the ref_id's 409 and returns the
// account the first try created.
func TestCreateAccountRetryFindsExisting(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	srv.InjectFault(paxostest.Fault{Method: http.MethodPost, Path: "/identity/accounts", Status: http.StatusGatewayTimeout, Lost: true})
	got, err := c.CreateAccount(ctx, paxos.CreateAccountRequest{Account: paxos.Account{IdentityID: "i1", RefID: "ref-lost"}})
	if err != nil {
		t.Fatalf("CreateAccount: %v", err)
	}
	stored, ok := srv.Account(got.ID)
	if !ok || stored.RefID != "ref-lost" {
		t.Fatalf("returned %+v, not the stored account", got)
	}
	n := 0
	for a, err := range c.ListAccounts(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		if a.RefID == "ref-lost" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d accounts with the ref_id, want exactly 1", n)
	}

	// A 409 on the first try is the caller's business: an error, with the
	// existing account available.
	_, err = c.CreateAccount(ctx, paxos.CreateAccountRequest{Account: paxos.Account{IdentityID: "i1", RefID: "ref-lost"}})
	existing, ok := paxos.ExistingAccount(err)
	if err == nil || !ok || existing.ID != got.ID {
		t.Errorf("duplicate create: err %v, existing %v", err, existing)
	}
}

// TestCreateAccountConflictAfterRefusal: a ref_id already held by another
// account is an error even when the 409 comes on a retry, as long as no
// earlier try can have created an account: one refused unprocessed (429,
// or 401 with a stale token), or one whose token was never fetched. A
// 409 after a try that may have been carried out still names another
// identity's account: an error too.
func TestCreateAccountConflictAfterRefusal(t *testing.T) {
	for name, before := range map[string]func(srv *paxostest.Server){
		"429": func(srv *paxostest.Server) {
			srv.InjectFault(paxostest.Fault{Method: http.MethodPost, Path: "/identity/accounts", Status: http.StatusTooManyRequests})
		},
		"401": func(srv *paxostest.Server) { srv.ExpireTokens() },
		"token endpoint 503": func(srv *paxostest.Server) {
			srv.ExpireTokens()
			srv.InjectFault(paxostest.Fault{Path: paxostest.TokenPath, Status: http.StatusServiceUnavailable})
		},
		"502 from another identity's create": func(srv *paxostest.Server) {
			srv.InjectFault(paxostest.Fault{Method: http.MethodPost, Path: "/identity/accounts", Status: http.StatusBadGateway})
		},
	} {
		t.Run(name, func(t *testing.T) {
			srv, c := newFake(t)
			taken := srv.AddAccount(paxos.Account{IdentityID: "someone-else", RefID: "ref-dup"})
			if _, err := c.GetAccount(t.Context(), taken.ID); err != nil { // a token in hand
				t.Fatal(err)
			}
			before(srv)
			got, err := c.CreateAccount(t.Context(), paxos.CreateAccountRequest{Account: paxos.Account{IdentityID: "me", RefID: "ref-dup"}})
			var apiErr *accountkit.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusConflict {
				t.Fatalf("CreateAccount: %+v, %v; want the 409", got, err)
			}
			if existing, ok := paxos.ExistingAccount(err); !ok || existing.ID != taken.ID {
				t.Errorf("ExistingAccount: %+v, %v; want %s", existing, ok, taken.ID)
			}
		})
	}
}

func TestRetriesHonourRetryAfterAndGiveUp(t *testing.T) {
	srv, c := newFake(t, paxos.WithMaxRetries(2))
	a := seedAccount(srv)
	ctx := context.Background()

	srv.InjectFault(paxostest.Fault{Method: http.MethodGet, Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"1"}}})
	start := time.Now()
	if _, err := c.GetAccount(ctx, a.ID); err != nil {
		t.Fatalf("GetAccount after a 429: %v", err)
	}
	if waited := time.Since(start); waited < time.Second {
		t.Errorf("retried after %v, want the 1s Retry-After honoured", waited)
	}

	srv.InjectFault(paxostest.Fault{Method: http.MethodGet, Status: http.StatusInternalServerError, Times: 3})
	_, err := c.GetAccount(ctx, a.ID)
	var apiErr *accountkit.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 500 || apiErr.Attempts != 3 {
		t.Fatalf("after 3 injected 500s: %v (attempts %d), want the 500 after 3 attempts", err, attempts(apiErr))
	}
	if !strings.HasPrefix(err.Error(), "paxos: GetAccount: ") {
		t.Errorf("error %q is not wrapped with the operation's name", err)
	}

	c0, err := srv.NewClient(paxos.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	srv.InjectFault(paxostest.Fault{Method: http.MethodGet, Status: http.StatusServiceUnavailable})
	before := countRequests(srv, http.MethodGet)
	if _, err := c0.GetAccount(ctx, a.ID); err == nil {
		t.Fatal("WithMaxRetries(0) retried")
	}
	if n := countRequests(srv, http.MethodGet) - before; n != 1 {
		t.Errorf("WithMaxRetries(0) sent %d requests", n)
	}
}

func attempts(e *accountkit.APIError) int {
	if e == nil {
		return 0
	}
	return e.Attempts
}

func TestNonRetryableStatusIsNotRetried(t *testing.T) {
	srv, c := newFake(t)
	srv.InjectFault(paxostest.Fault{Method: http.MethodGet, Status: http.StatusBadRequest})
	_, err := c.GetAccount(context.Background(), "whatever")
	var apiErr *accountkit.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Attempts != 1 {
		t.Fatalf("err = %v", err)
	}
	if apiErr.Detail != "fault injected by the fake" || apiErr.RequestID == "" || len(apiErr.Body) == 0 {
		t.Errorf("problem details not decoded: %+v", apiErr)
	}
}

func TestContextCancelStopsRetrying(t *testing.T) {
	srv, c := newFake(t, paxos.WithRetryBackoff(time.Hour, time.Hour))
	srv.InjectFault(paxostest.Fault{Method: http.MethodGet, Status: http.StatusServiceUnavailable, Times: 10})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.GetAccount(ctx, "a")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v to notice the cancellation", d)
	}
}

// TestOneTokenPerLifetime checks that concurrent callers share one token,
// and that a token the server stops accepting is replaced exactly once.
func TestOneTokenPerLifetime(t *testing.T) {
	srv, c := newFake(t)
	a := seedAccount(srv)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.GetAccount(context.Background(), a.ID)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := srv.TokensIssued(); n != 1 {
		t.Fatalf("%d tokens for 64 concurrent calls, want 1", n)
	}
	srv.ExpireTokens()
	for range 5 {
		if _, err := c.GetAccount(context.Background(), a.ID); err != nil {
			t.Fatalf("after the token expired: %v", err)
		}
	}
	if n := srv.TokensIssued(); n != 2 {
		t.Errorf("%d tokens after one expiry, want 2", n)
	}
}

func TestTokenRenewedBeforeExpiry(t *testing.T) {
	srv := paxostest.NewServer(paxostest.WithTokenTTL(2 * time.Second))
	defer srv.Close()
	c, err := srv.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	a := srv.AddAccount(paxos.Account{IdentityID: "o"})
	for range 3 {
		if _, err := c.GetAccount(context.Background(), a.ID); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(2 * time.Second)
	if _, err := c.GetAccount(context.Background(), a.ID); err != nil {
		t.Fatal(err)
	}
	if n := srv.TokensIssued(); n != 2 {
		t.Errorf("%d tokens, want 2 (one per lifetime)", n)
	}
	if n := len(srv.Requests()); n != 4 {
		t.Errorf("%d API requests, want 4 (no 401 round trip)", n)
	}
}

func TestBadCredentialsErrorHidesSecret(t *testing.T) {
	srv := paxostest.NewServer()
	defer srv.Close()
	const secret = "s3cr3t-value-never-printed"
	c, err := paxos.NewClient(srv.Environment(), paxos.WithClientCredentials(paxostest.ClientID, secret), paxos.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetAccount(context.Background(), "a")
	var apiErr *accountkit.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusUnauthorized {
		t.Fatalf("err = %v, want a 401 APIError from the token endpoint", err)
	}
	if !strings.Contains(err.Error(), "fetch access token") || !strings.Contains(err.Error(), "invalid_client") {
		t.Errorf("err = %q, want it to say the token fetch failed and why", err)
	}
	if strings.Contains(fmt.Sprintf("%v %+v %s", err, apiErr, apiErr.Body), secret) {
		t.Errorf("the client secret leaked into the error")
	}
	if len(srv.Requests()) != 0 {
		t.Errorf("API requests were sent without a token")
	}
}

func TestTokenEndpointDownIsRetriedThenReported(t *testing.T) {
	// Without limits: the token requests would go one a second, Paxos's
	// limit for its token endpoint (TestTokenFetchesKeepToOneASecond), and
	// this test would take six seconds.
	srv, c := newFake(t, paxos.WithRateLimit(0, 0))
	srv.InjectFault(paxostest.Fault{Path: "/oauth2/token", Status: http.StatusServiceUnavailable, Times: 2})
	a := seedAccount(srv)
	if _, err := c.GetAccount(context.Background(), a.ID); err != nil {
		t.Fatalf("two token endpoint 503s then success: %v", err)
	}
	srv.ExpireTokens()
	srv.InjectFault(paxostest.Fault{Path: "/oauth2/token", Status: http.StatusServiceUnavailable, Times: 10})
	_, err := c.GetAccount(context.Background(), a.ID)
	var apiErr *accountkit.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusServiceUnavailable || !strings.Contains(err.Error(), "fetch access token") {
		t.Errorf("token endpoint down: %v", err)
	}
}

func TestListAccountsIsLazy(t *testing.T) {
	srv, c := newFake(t)
	for i := range 7 {
		srv.AddAccount(paxos.Account{IdentityID: fmt.Sprintf("o%d", i)})
	}
	ctx := context.Background()
	n := 0
	for _, err := range c.ListAccounts(ctx, &paxos.ListAccountsParams{Limit: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 7 {
		t.Errorf("listed %d accounts, want 7", n)
	}
	if got := countRequests(srv, http.MethodGet); got != 4 {
		t.Errorf("%d pages fetched for 7 accounts at 2 a page, want 4", got)
	}
	before := countRequests(srv, http.MethodGet)
	for range c.ListAccounts(ctx, &paxos.ListAccountsParams{Limit: 2}) {
		break
	}
	if got := countRequests(srv, http.MethodGet) - before; got != 1 {
		t.Errorf("breaking after the first item fetched %d pages, want 1", got)
	}
	var last *paxos.Account
	for a, err := range c.ListAccounts(ctx, &paxos.ListAccountsParams{IdentityID: "o3"}) {
		if err != nil {
			t.Fatal(err)
		}
		last = a
	}
	if last == nil || last.IdentityID != "o3" {
		t.Errorf("identity filter: %v", last)
	}
}

func TestListAccountsStopsOnError(t *testing.T) {
	srv, c := newFake(t, paxos.WithMaxRetries(0))
	for i := range 3 {
		srv.AddAccount(paxos.Account{IdentityID: fmt.Sprintf("o%d", i)})
	}
	srv.InjectFault(paxostest.Fault{Method: http.MethodGet, Path: "/identity/accounts", Status: 500, Times: 1})
	var items, errs int
	for _, err := range c.ListAccounts(context.Background(), nil) {
		if err != nil {
			errs++
			continue
		}
		items++
	}
	if items != 0 || errs != 1 {
		t.Errorf("items %d, errors %d; want 0 and 1", items, errs)
	}
}

func TestUserAgent(t *testing.T) {
	var got string
	srv, _ := newFake(t)
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if !strings.HasSuffix(r.URL.Path, "/oauth2/token") {
			got = r.Header.Get("User-Agent")
		}
		return http.DefaultTransport.RoundTrip(r)
	})}
	c, err := srv.NewClient(paxos.WithHTTPClient(hc), paxos.WithUserAgent("myapp/1.2"))
	if err != nil {
		t.Fatal(err)
	}
	a := seedAccount(srv)
	if _, err := c.GetAccount(context.Background(), a.ID); err != nil {
		t.Fatal(err)
	}
	if want := "myapp/1.2 accountkit-go/" + accountkit.Version; got != want {
		t.Errorf("User-Agent = %q, want %q", got, want)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
