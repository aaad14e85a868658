package accountkit_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/accountkit/accountkit-go"
	"github.com/accountkit/accountkit-go/accountgroups"
	"github.com/accountkit/accountkit-go/accountgroups/accountgroupstest"
	"github.com/accountkit/accountkit-go/accountkittest"
	"github.com/accountkit/accountkit-go/marketplace"
	"github.com/accountkit/accountkit-go/marketplace/marketplacetest"
	"github.com/accountkit/accountkit-go/paxos"
	"github.com/accountkit/accountkit-go/paxos/paxostest"
)

// subject is one client and its fake, reduced to what the fault scenarios
// drive: a read of a stored object, a POST, and the fake's controls.
type subject struct {
	inject   func(accountkittest.Fault)
	requests func() []accountkittest.Request
	read     func(ctx context.Context) error
	readPath string // the read's path, for faults
	post     func(ctx context.Context) error
	postPath string
	keyed    bool // the POST carries an idempotency key
	created  func() int

	// OAuth2 clients only.
	tokens    func() int
	expire    func()
	tokenPath string
	// fresh is a new client of the same fake with no token yet.
	fresh func() func(ctx context.Context) error
	// badToken is a client whose credentials the API refuses (API-token
	// clients).
	badToken func() func(ctx context.Context) error
}

const user = "413715f2-5401-4b97-8055-034a6b879f8c"

var fast = 5 * time.Millisecond

func paxosSubject(t *testing.T) subject {
	srv := paxostest.NewServer()
	t.Cleanup(srv.Close)
	newClient := func() *paxos.Client {
		c, err := srv.NewClient(paxos.WithRetryBackoff(time.Millisecond, fast))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	c := newClient()
	a := srv.AddAccount(paxos.Account{IdentityID: "owner"})
	read := func(c *paxos.Client) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			got, err := c.GetAccount(ctx, a.ID)
			if err == nil && got.ID != a.ID {
				err = fmt.Errorf("read %s, want %s", got.ID, a.ID)
			}
			return err
		}
	}
	return subject{
		inject: srv.InjectFault, requests: srv.Requests,
		read: read(c), readPath: "/identity/accounts/" + a.ID,
		post: func(ctx context.Context) error {
			_, err := c.CreateAccount(ctx, paxos.CreateAccountRequest{Account: paxos.Account{IdentityID: "new-owner"}})
			return err
		},
		postPath: "/identity/accounts",
		created: func() int {
			n := 0
			for range c.ListAccounts(context.Background(), &paxos.ListAccountsParams{IdentityID: "new-owner"}) {
				n++
			}
			return n
		},
		tokens: srv.TokensIssued, expire: srv.ExpireTokens, tokenPath: "/oauth2/token",
		fresh: func() func(ctx context.Context) error { return read(newClient()) },
	}
}

func marketplaceSubject(t *testing.T) subject {
	srv := marketplacetest.NewServer()
	t.Cleanup(srv.Close)
	c, err := srv.NewClient(marketplace.WithRetryBackoff(time.Millisecond, fast))
	if err != nil {
		t.Fatal(err)
	}
	a := srv.AddAccount(marketplace.Account{Name: "Acme", Type: marketplace.AccountTypeClient})
	read := func(c *marketplace.Client) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			got, err := c.GetAccount(ctx, a.ID)
			if err == nil && got.ID != a.ID {
				err = fmt.Errorf("read %s, want %s", got.ID, a.ID)
			}
			return err
		}
	}
	return subject{
		inject: srv.InjectFault, requests: srv.Requests,
		read: read(c), readPath: "/accounts/accounts/" + a.ID,
		post: func(ctx context.Context) error {
			_, err := c.CreateAccount(ctx, &marketplace.Account{Name: "New", Type: marketplace.AccountTypeClient, ServiceLevel: marketplace.ServiceLevelExpress}, nil)
			return err
		},
		postPath: "/accounts/accounts",
		created: func() int {
			n := 0
			for range c.ListAccounts(context.Background(), &marketplace.ListAccountsParams{RQL: "eq(name,New)"}) {
				n++
			}
			return n
		},
		badToken: func() func(ctx context.Context) error {
			bad, err := marketplace.NewClient(srv.Environment(), marketplace.WithAPIToken("revoked-token"))
			if err != nil {
				t.Fatal(err)
			}
			return read(bad)
		},
	}
}

func accountGroupsSubject(t *testing.T) subject {
	srv := accountgroupstest.NewServer()
	t.Cleanup(srv.Close)
	newClient := func() *accountgroups.Client {
		c, err := srv.NewClient(accountgroups.WithRetryBackoff(time.Millisecond, fast))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	c := newClient()
	g := srv.AddAccountGroup(accountgroups.AccountGroup{})
	read := func(c *accountgroups.Client) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			got, err := c.GetAccountGroup(ctx, g.ID)
			if err == nil && got.ID != g.ID {
				err = fmt.Errorf("read %s, want %s", got.ID, g.ID)
			}
			return err
		}
	}
	return subject{
		inject: srv.InjectFault, requests: srv.Requests,
		read: read(c), readPath: "/account_groups/" + g.ID,
		post: func(ctx context.Context) error {
			_, err := c.CreateAccountGroup(ctx, user, accountgroups.AccountGroupTypeISA)
			return err
		},
		postPath: "/account_groups", keyed: true,
		created: func() int {
			n := 0
			for range c.ListUserAccountGroups(context.Background(), user, nil) {
				n++
			}
			return n
		},
		tokens: srv.TokensIssued, expire: srv.ExpireTokens, tokenPath: "/auth/token",
		fresh: func() func(ctx context.Context) error { return read(newClient()) },
	}
}

// count counts the requests with the method whose path starts with path.
func (s subject) count(method, path string) int {
	n := 0
	for _, r := range s.requests() {
		if r.Method == method && strings.HasPrefix(r.Path, path) {
			n++
		}
	}
	return n
}

func apiError(t *testing.T, err error, status int) *accountkit.APIError {
	t.Helper()
	var apiErr *accountkit.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != status {
		t.Fatalf("err = %v, want an *accountkit.APIError with status %d", err, status)
	}
	return apiErr
}

// scenario is one fault and the typed outcome it must produce.
type faultScenario struct {
	name string
	run  func(t *testing.T, s subject)
}

func burst(status int) faultScenario {
	return faultScenario{fmt.Sprintf("burst of %d", status), func(t *testing.T, s subject) {
		s.inject(accountkittest.Fault{Method: http.MethodGet, Path: s.readPath, Status: status, Times: 2})
		if err := s.read(context.Background()); err != nil {
			t.Fatalf("read after two %ds: %v", status, err)
		}
		if n := s.count(http.MethodGet, s.readPath); n != 3 {
			t.Errorf("%d attempts, want 3", n)
		}
	}}
}

var faultScenarios = []faultScenario{
	burst(500), burst(502), burst(503), burst(504),
	{"429 with Retry-After in seconds", func(t *testing.T, s subject) {
		s.inject(accountkittest.Fault{Method: http.MethodGet, Path: s.readPath, Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"1"}}})
		start := time.Now()
		if err := s.read(context.Background()); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d < time.Second {
			t.Errorf("retried after %v, before Retry-After's 1s", d)
		}
	}},
	{"429 with Retry-After as an HTTP date", func(t *testing.T, s subject) {
		at := time.Now().Add(2 * time.Second).UTC().Truncate(time.Second)
		s.inject(accountkittest.Fault{Method: http.MethodGet, Path: s.readPath, Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {at.Format(http.TimeFormat)}}})
		if err := s.read(context.Background()); err != nil {
			t.Fatal(err)
		}
		if time.Now().Before(at.Add(-10 * time.Millisecond)) {
			t.Errorf("retried before the Retry-After date %v", at)
		}
		if n := s.count(http.MethodGet, s.readPath); n != 2 {
			t.Errorf("%d attempts, want 2", n)
		}
	}},
	{"connection reset in the middle of the body", func(t *testing.T, s subject) {
		s.inject(accountkittest.Fault{Method: http.MethodGet, Path: s.readPath, Reset: true})
		if err := s.read(context.Background()); err != nil {
			t.Fatalf("read after a reset mid-body: %v", err)
		}
		if n := s.count(http.MethodGet, s.readPath); n != 2 {
			t.Errorf("%d attempts, want 2", n)
		}
	}},
	{"truncated JSON", func(t *testing.T, s subject) {
		s.inject(accountkittest.Fault{Method: http.MethodGet, Path: s.readPath, Status: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}}, Body: `{"id":"x","name":"tru`})
		err := s.read(context.Background())
		if !errors.Is(err, io.ErrUnexpectedEOF) || !strings.Contains(err.Error(), "decode 200 answer") {
			t.Fatalf("err = %v, want a decode error wrapping io.ErrUnexpectedEOF", err)
		}
		if n := s.count(http.MethodGet, s.readPath); n != 1 {
			t.Errorf("%d attempts for a complete but malformed answer, want 1", n)
		}
	}},
	{"2xx answer with no body to decode", func(t *testing.T, s subject) {
		for body, want := range map[string]string{" ": "is empty where", "null": "is null where"} {
			s.inject(accountkittest.Fault{Method: http.MethodGet, Path: s.readPath, Status: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}}, Body: body})
			if err := s.read(context.Background()); err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("body %q: err = %v, want it to say %q", body, err, want)
			}
		}
	}},
	{"HTML 502 page from a proxy", func(t *testing.T, s subject) {
		page := "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>"
		s.inject(accountkittest.Fault{Method: http.MethodGet, Path: s.readPath, Status: http.StatusBadGateway, Header: http.Header{"Content-Type": {"text/html"}}, Body: page, Times: 10})
		apiErr := apiError(t, s.read(context.Background()), http.StatusBadGateway)
		if string(apiErr.Body) != page || apiErr.Title != "" || apiErr.Attempts != 4 {
			t.Errorf("APIError %+v, want the raw page after 4 attempts", apiErr)
		}
	}},
	{"10 MiB error body", func(t *testing.T, s subject) {
		s.inject(accountkittest.Fault{Method: http.MethodGet, Path: s.readPath, Status: http.StatusBadRequest, Body: strings.Repeat("e", 10<<20)})
		apiErr := apiError(t, s.read(context.Background()), http.StatusBadRequest)
		if len(apiErr.Body) != accountkit.MaxErrorBody || !apiErr.Truncated {
			t.Errorf("kept %d bytes (truncated %v), want %d", len(apiErr.Body), apiErr.Truncated, accountkit.MaxErrorBody)
		}
	}},
	{"server slower than the caller's deadline", func(t *testing.T, s subject) {
		s.inject(accountkittest.Fault{Method: http.MethodGet, Path: s.readPath, Delay: 3 * time.Second, Status: http.StatusOK})
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		start := time.Now()
		err := s.read(ctx)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want context.DeadlineExceeded", err)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("returned after %v, long past the 200ms deadline", d)
		}
	}},
	{"token endpoint down", func(t *testing.T, s subject) {
		if s.fresh == nil {
			t.Skip("not applicable: an API-token client has no token endpoint")
		}
		read := s.fresh()
		before := s.count(http.MethodGet, s.readPath)
		s.inject(accountkittest.Fault{Path: s.tokenPath, Status: http.StatusServiceUnavailable, Times: 10})
		err := read(context.Background())
		apiError(t, err, http.StatusServiceUnavailable)
		if !strings.Contains(err.Error(), "fetch access token") {
			t.Errorf("err = %v, want it to name the token fetch", err)
		}
		if n := s.count(http.MethodGet, s.readPath) - before; n != 0 {
			t.Errorf("%d API requests sent without a token", n)
		}
	}},
	{"token expires mid-run", func(t *testing.T, s subject) {
		if s.tokens == nil {
			// An API token is not refreshed: a refused one is final.
			read := s.badToken()
			apiErr := apiError(t, read(context.Background()), http.StatusUnauthorized)
			if apiErr.Attempts != 1 {
				t.Errorf("a refused API token was sent %d times, want 1", apiErr.Attempts)
			}
			return
		}
		for range 3 {
			if err := s.read(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		s.expire()
		for range 3 {
			if err := s.read(context.Background()); err != nil {
				t.Fatalf("after the token expired: %v", err)
			}
		}
		if n := s.tokens(); n != 2 {
			t.Errorf("%d tokens, want exactly one refresh (2)", n)
		}
	}},
	{"POST without an idempotency key is not retried", func(t *testing.T, s subject) {
		if s.keyed {
			// Every create here carries a key: it is retried, with the same
			// key, and creates once although the first answer was lost.
			s.inject(accountkittest.Fault{Method: http.MethodPost, Path: s.postPath, Status: http.StatusBadGateway, Lost: true})
			if err := s.post(context.Background()); err != nil {
				t.Fatalf("keyed POST after a lost answer: %v", err)
			}
			if n, c := s.count(http.MethodPost, s.postPath), s.created(); n != 2 || c != 1 {
				t.Errorf("%d POSTs and %d creations, want 2 and 1", n, c)
			}
			return
		}
		s.inject(accountkittest.Fault{Method: http.MethodPost, Path: s.postPath, Status: http.StatusServiceUnavailable, Lost: true})
		apiErr := apiError(t, s.post(context.Background()), http.StatusServiceUnavailable)
		if n := s.count(http.MethodPost, s.postPath); n != 1 || apiErr.Attempts != 1 {
			t.Errorf("%d POSTs, want 1: a retry could create twice", n)
		}
		if c := s.created(); c != 1 {
			t.Errorf("%d creations, want the 1 the lost answer hid", c)
		}
	}},
}

// hostileScenarios are answers a misbehaving or hostile server, or a
// careless proxy, gives: redirects that would turn a write into a read or
// carry credentials elsewhere, loops, and lies about a body's length.
var hostileScenarios = []faultScenario{
	{"302 to a write is an error, not a GET", func(t *testing.T, s subject) {
		before := len(s.requests())
		s.inject(accountkittest.Fault{Method: http.MethodPost, Path: s.postPath, Status: http.StatusFound, Header: http.Header{"Location": {"/elsewhere"}}})
		err := s.post(context.Background())
		if err == nil || !strings.Contains(err.Error(), "not sent again as a GET") {
			t.Fatalf("err = %v, want the redirected write reported", err)
		}
		if got := s.requests()[before:]; len(got) != 1 || got[0].Method != http.MethodPost {
			t.Errorf("requests after the 302: %+v, want the POST alone", got)
		}
		if c := s.created(); c != 0 {
			t.Errorf("%d creations, want 0", c)
		}
	}},
	{"redirect to another origin is not followed", func(t *testing.T, s subject) {
		other := newCounter(t)
		s.inject(accountkittest.Fault{Method: http.MethodGet, Path: s.readPath, Status: http.StatusTemporaryRedirect, Header: http.Header{"Location": {other.URL + "/steal"}}})
		err := s.read(context.Background())
		if err == nil || !strings.Contains(err.Error(), "another origin") {
			t.Fatalf("err = %v, want a refused redirect", err)
		}
		if n := other.count(); n != 0 {
			t.Errorf("the other origin received %d requests", n)
		}
	}},
	{"redirect loop is final", func(t *testing.T, s subject) {
		before := s.count(http.MethodGet, s.readPath)
		s.inject(accountkittest.Fault{Method: http.MethodGet, Path: s.readPath, Status: http.StatusTemporaryRedirect, Times: 100,
			Header: http.Header{"Location": {"./" + s.readPath[strings.LastIndexByte(s.readPath, '/')+1:]}}})
		err := s.read(context.Background())
		if err == nil || !strings.Contains(err.Error(), "redirects already") {
			t.Fatalf("err = %v, want the loop stopped", err)
		}
		if n := s.count(http.MethodGet, s.readPath) - before; n != 11 {
			t.Errorf("%d requests for one call, want 11 (no retries of a loop)", n)
		}
	}},
	{"token endpoint redirect is not followed", func(t *testing.T, s subject) {
		if s.fresh == nil {
			t.Skip("not applicable: an API-token client has no token endpoint")
		}
		other := newCounter(t)
		s.inject(accountkittest.Fault{Path: s.tokenPath, Status: http.StatusTemporaryRedirect, Header: http.Header{"Location": {other.URL + "/token"}}})
		if err := s.fresh()(context.Background()); err == nil {
			t.Fatal("a redirected token request succeeded")
		}
		if n := other.count(); n != 0 {
			t.Errorf("the client secret went to another host %d times", n)
		}
	}},
	{"answer announcing 64 MiB and sending 10 bytes", func(t *testing.T, s subject) {
		s.inject(accountkittest.Fault{Method: http.MethodGet, Path: s.readPath, Status: http.StatusOK, Times: 10,
			Header: http.Header{"Content-Type": {"application/json"}, "Content-Length": {"67108864"}}, Body: `{"id":"x"}`})
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		err := s.read(context.Background())
		runtime.ReadMemStats(&after)
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("err = %v, want the cut answer", err)
		}
		// Three clients run this at once; 64 MiB per attempt would be 768.
		if got := after.TotalAlloc - before.TotalAlloc; got > 32<<20 {
			t.Errorf("allocated %d MiB for 10-byte answers", got>>20)
		}
	}},
}

// counter is a server that counts what reaches it.
type counter struct {
	*httptest.Server
	n atomic.Int32
}

func newCounter(t *testing.T) *counter {
	c := &counter{}
	c.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { c.n.Add(1) }))
	t.Cleanup(c.Close)
	return c
}

func (c *counter) count() int { return int(c.n.Load()) }

// TestFaults runs every fault scenario against every client's fake.
func TestFaults(t *testing.T) {
	subjects := map[string]func(*testing.T) subject{
		"paxos":         paxosSubject,
		"marketplace":   marketplaceSubject,
		"accountgroups": accountGroupsSubject,
	}
	for _, sc := range append(faultScenarios, hostileScenarios...) {
		t.Run(sc.name, func(t *testing.T) {
			for _, name := range []string{"paxos", "marketplace", "accountgroups"} {
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					sc.run(t, subjects[name](t))
				})
			}
		})
	}
}
