package marketplacetest

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/accountkit/accountkit-go/accountkittest"
	"github.com/accountkit/accountkit-go/internal/fakeapi"
	"github.com/accountkit/accountkit-go/marketplace"
)

// Token is the API token the fake accepts.
const Token = "marketplacetest-token"

// APIBase is where the fake serves the API, relative to the root it is
// mounted at: a client's Environment.BaseURL is the root followed by
// APIBase.
const APIBase = "/public/v1"

// Request is one request the fake received; its Path is relative to
// [APIBase], such as /accounts/accounts.
type Request = accountkittest.Request

// Fault makes the fake answer matching requests with a failure instead of
// serving them; see [Fake.InjectFault]. Its Path is relative to
// [APIBase], such as /accounts/accounts.
type Fault = accountkittest.Fault

// Fake is an in-memory SoftwareOne Marketplace accounts API, as an
// [http.Handler]: mount it on a mux, wrap it in httptest.NewServer, or
// drive it with httptest.NewRecorder. It serves the API under [APIBase];
// point a client at it with [Fake.EnvironmentAt]. [NewServer] serves one
// on a loopback port. A Fake is safe for concurrent use.
type Fake struct {
	now      func() time.Time
	newID    func() string
	pageSize int

	handler http.Handler
	harness fakeapi.Harness

	mu       sync.Mutex
	accounts map[string]*marketplace.Account
	order    []string // ids in creation order
	logos    map[string]LogoInfo
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
		now:      o.now,
		newID:    o.newID,
		pageSize: o.pageSize,
		accounts: make(map[string]*marketplace.Account),
		logos:    make(map[string]LogoInfo),
	}
	f.harness = fakeapi.Harness{
		Base:            APIBase,
		RequestIDHeader: "X-Request-Id",
		RequestIDPrefix: "marketplacetest-",
		Problem: func(w http.ResponseWriter, status int, detail string) {
			problem(w, status, detail, nil)
		},
	}
	f.handler = f.harness.Wrap(f.routes())
	return f
}

// ServeHTTP serves the API.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) { f.handler.ServeHTTP(w, r) }

func (f *Fake) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /public/v1/accounts/accounts", f.listAccounts)
	mux.HandleFunc("POST /public/v1/accounts/accounts", f.createAccount)
	mux.HandleFunc("GET /public/v1/accounts/accounts/{id}", f.getAccount)
	mux.HandleFunc("PUT /public/v1/accounts/accounts/{id}", f.updateAccount)
	mux.HandleFunc("POST /public/v1/accounts/accounts/{id}/enable", f.transition(marketplace.AccountStatusEnabled))
	mux.HandleFunc("POST /public/v1/accounts/accounts/{id}/disable", f.transition(marketplace.AccountStatusDisabled))
	mux.HandleFunc("POST /public/v1/accounts/accounts/{id}/activate", f.activate)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		problem(w, http.StatusNotFound, "no such endpoint: "+r.Method+" "+r.URL.Path, nil)
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if tok, ok := fakeapi.BearerToken(r.Header.Get("Authorization")); !ok || tok != Token {
			problem(w, http.StatusUnauthorized, "a valid API token is required", nil)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// EnvironmentAt points a marketplace.Client at the fake served at
// rootURL: the URL its handler is reached at, such as an httptest.Server's
// URL, or that URL followed by the prefix a mux strips before the fake
// (http://127.0.0.1:8080/marketplace for a fake mounted with
// http.StripPrefix("/marketplace", fake)).
func (f *Fake) EnvironmentAt(rootURL string) marketplace.Environment {
	return marketplace.Environment{BaseURL: strings.TrimSuffix(rootURL, "/") + APIBase}
}

// NewClientAt returns a marketplace.Client for the fake served at rootURL
// (see [Fake.EnvironmentAt]), authenticated with [Token]; opts are applied
// after that.
func (f *Fake) NewClientAt(rootURL string, opts ...marketplace.Option) (*marketplace.Client, error) {
	all := append([]marketplace.Option{marketplace.WithAPIToken(Token)}, opts...)
	return marketplace.NewClient(f.EnvironmentAt(rootURL), all...)
}

// InjectFault adds a fault; faults match in the order they were added.
func (f *Fake) InjectFault(fault Fault) { f.harness.InjectFault(fault) }

// SetLatency delays every answer by d.
func (f *Fake) SetLatency(d time.Duration) { f.harness.SetLatency(d) }

// Requests lists the requests received so far, in order, with their
// headers and the first [accountkittest.MaxBodySize] bytes of their
// bodies (the API token redacted).
func (f *Fake) Requests() []Request { return f.harness.Requests() }
