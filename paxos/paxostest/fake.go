package paxostest

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/accountkit/accountkit-go/accountkittest"
	"github.com/accountkit/accountkit-go/internal/fakeapi"
	"github.com/accountkit/accountkit-go/paxos"
)

// The credentials the fake's token endpoint accepts.
const (
	ClientID     = "paxostest-client"
	ClientSecret = "paxostest-secret"
)

// DefaultTokenTTL is how long the fake's tokens live unless WithTokenTTL
// says otherwise; Paxos's live 3599 seconds.
const DefaultTokenTTL = 3599 * time.Second

// Paths the fake serves, relative to the root it is mounted at.
const (
	// APIBase is where the API lives: a client's Environment.BaseURL is
	// the root followed by APIBase.
	APIBase = "/v2"
	// TokenPath is the OAuth2 token endpoint.
	TokenPath = "/oauth2/token"
)

// Request is one request the fake received; its Path is relative to
// [APIBase], such as /identity/accounts. Token requests are not recorded.
type Request = accountkittest.Request

// Fault makes the fake answer matching requests with a failure instead of
// serving them; see [Fake.InjectFault]. Its Path is relative to [APIBase]
// (/identity/accounts) or is [TokenPath].
type Fault = accountkittest.Fault

// Fake is an in-memory Paxos accounts API and its OAuth2 token endpoint,
// as an [http.Handler]: mount it on a mux, wrap it in
// httptest.NewServer, or drive it with httptest.NewRecorder. It serves
// the API under [APIBase] and the token endpoint at [TokenPath]; point a
// client at it with [Fake.EnvironmentAt]. [NewServer] serves one on a
// loopback port. A Fake is safe for concurrent use.
type Fake struct {
	now      func() time.Time
	newID    func() string
	pageSize int

	approvalDelay time.Duration

	handler    http.Handler
	harness    fakeapi.Harness
	tokens     fakeapi.Tokens
	signatures *signatures // signature.go
	limits     *rateLimits // ratelimit.go

	mu          sync.Mutex
	accounts    map[string]*account
	refIDs      map[string]string // ref_id -> account id
	memberOwner map[string]string // member id -> account id

	approveAt map[string]time.Time // account id -> when it becomes APPROVED
}

type account struct {
	paxos.Account
	statusBeforeDisable paxos.SummaryStatus
}

// New returns an empty Fake.
func New(opts ...Option) *Fake {
	o := defaults()
	for _, opt := range opts {
		opt(&o)
	}
	return newFake(o)
}

func newFake(o options) *Fake {
	f := &Fake{
		now:         o.now,
		newID:       o.newID,
		pageSize:    o.pageSize,
		accounts:    make(map[string]*account),
		refIDs:      make(map[string]string),
		memberOwner: make(map[string]string),

		approvalDelay: o.approvalDelay,
		approveAt:     make(map[string]time.Time),
	}
	f.signatures, f.limits = newSignatures(o), newRateLimits(o)
	f.harness = fakeapi.Harness{
		Base:            APIBase,
		RequestIDHeader: "X-Request-Id",
		RequestIDPrefix: "paxostest-",
		Unlogged:        []string{TokenPath},
		Problem: func(w http.ResponseWriter, status int, detail string) {
			problem(w, status, "injected-fault", http.StatusText(status), detail, nil)
		},
	}
	f.tokens = fakeapi.Tokens{
		ClientID:     ClientID,
		ClientSecret: ClientSecret,
		Scopes:       vendorScopes,
		BasicAuth:    true,
		TTL:          o.tokenTTL,
		Now:          o.now,
		Prefix:       "paxostest_",
		TokenError:   oauthError,
		AuthError: func(w http.ResponseWriter, status int, detail string) {
			slug := "unauthorized"
			if status == http.StatusForbidden {
				slug = "forbidden"
			}
			problem(w, status, slug, http.StatusText(status), detail, nil)
		},
	}
	f.handler = f.harness.Wrap(f.settling(f.routes()))
	return f
}

// ServeHTTP serves the API and the token endpoint.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) { f.handler.ServeHTTP(w, r) }

func (f *Fake) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("POST "+TokenPath, &f.tokens)
	read := func(h http.HandlerFunc) http.HandlerFunc {
		return f.tokens.Require(f.signatures.require(h), paxos.ScopeReadAccount)
	}
	write := func(h http.HandlerFunc) http.HandlerFunc {
		return f.tokens.Require(f.signatures.require(h), paxos.ScopeWriteAccount)
	}
	mux.HandleFunc("GET /v2/identity/accounts", read(f.listAccounts))
	mux.HandleFunc("POST /v2/identity/accounts", write(f.createAccount))
	mux.HandleFunc("PUT /v2/identity/accounts", write(f.updateAccount))
	mux.HandleFunc("GET /v2/identity/accounts/{id}", read(f.getAccount))
	mux.HandleFunc("POST /v2/identity/account-members", write(f.addAccountMembers))
	mux.HandleFunc("DELETE /v2/identity/account-members/{id}", write(f.deleteAccountMember))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		problem(w, http.StatusNotFound, "not_found", "Not Found", "no such endpoint: "+r.Method+" "+r.URL.Path, nil)
	})
	return f.limits.limit(mux)
}

// EnvironmentAt points a paxos.Client at the fake served at rootURL: the
// URL its handler is reached at, such as an httptest.Server's URL, or
// that URL followed by the prefix a mux strips before the fake
// (http://127.0.0.1:8080/paxos for a fake mounted with
// http.StripPrefix("/paxos", fake)).
func (f *Fake) EnvironmentAt(rootURL string) paxos.Environment {
	root := strings.TrimSuffix(rootURL, "/")
	return paxos.Environment{BaseURL: root + APIBase, TokenURL: root + TokenPath}
}

// NewClientAt returns a paxos.Client for the fake served at rootURL (see
// [Fake.EnvironmentAt]), authenticated with the fake's credentials; opts
// are applied after those.
func (f *Fake) NewClientAt(rootURL string, opts ...paxos.Option) (*paxos.Client, error) {
	all := append([]paxos.Option{paxos.WithClientCredentials(ClientID, ClientSecret)}, opts...)
	return paxos.NewClient(f.EnvironmentAt(rootURL), all...)
}

// InjectFault adds a fault; faults match in the order they were added.
func (f *Fake) InjectFault(fault Fault) { f.harness.InjectFault(fault) }

// FailNext makes the next n API requests (any method and path, the token
// endpoint excluded) answer status.
func (f *Fake) FailNext(n, status int) {
	f.InjectFault(Fault{Path: "/identity/", Times: n, Status: status})
}

// SetLatency delays every answer by d.
func (f *Fake) SetLatency(d time.Duration) { f.harness.SetLatency(d) }

// Requests lists the API requests received so far, in order, with their
// headers and bodies (credentials redacted); token requests are not
// listed.
func (f *Fake) Requests() []Request { return f.harness.Requests() }
