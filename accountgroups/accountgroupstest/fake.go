package accountgroupstest

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/accountkit/accountkit-go/accountgroups"
	"github.com/accountkit/accountkit-go/accountkittest"
	"github.com/accountkit/accountkit-go/internal/fakeapi"
)

// The credentials the fake accepts.
const (
	ClientID     = "6f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b"
	ClientSecret = "accountgroupstest-secret"
	ClientKeyID  = "accountgroupstest-client-key"
	WebhookKeyID = "accountgroupstest-webhook-key"
)

// DefaultTokenTTL is how long the fake's tokens live.
const DefaultTokenTTL = time.Hour

// TokenPath is the OAuth2 token endpoint, relative to the root the fake
// is mounted at (which is also the API's base).
const TokenPath = "/auth/token"

// Request is one request the fake received; its Path is the request path,
// such as /account_groups. Token requests are not recorded.
type Request = accountkittest.Request

// Fault makes the fake answer matching requests with a failure instead of
// serving them; see [Fake.InjectFault]. Its Path is the request path, such
// as /account_groups or /auth/token.
type Fault = accountkittest.Fault

// Fake is an in-memory Upvest account groups API, with its token endpoint,
// its webhook key set and its webhook deliveries, as an [http.Handler]:
// mount it on a mux, wrap it in httptest.NewServer, or drive it with
// httptest.NewRecorder. Point a client at it with [Fake.EnvironmentAt].
// [NewServer] serves one on a loopback port. A Fake is safe for
// concurrent use; call Close when done if it delivered webhooks.
type Fake struct {
	now          func() time.Time
	signatureNow func() time.Time
	newID        func() string
	closingDelay time.Duration

	approvalDelay time.Duration

	handler http.Handler
	harness fakeapi.Harness
	tokens  fakeapi.Tokens

	clientKey  *ecdsa.PrivateKey
	webhookKey *ecdsa.PrivateKey
	webhookID  string
	webhookV   int

	mu         sync.Mutex
	clientKeys map[string]crypto.PublicKey
	groups     map[string]*accountgroups.AccountGroup
	order      []string
	idempotent map[string]storedAnswer
	accountSeq int
	webhookURL string
	deliveries []Delivery
	delivering bool // the delivery loop runs
	closed     bool

	queue   chan []accountgroups.Event
	pending sync.WaitGroup
	stop    context.CancelFunc
	done    chan struct{}
}

type storedAnswer struct {
	bodyHash string
	status   int
	body     []byte
}

// New returns an empty Fake with a fresh client signing key
// ([Fake.SigningKey]) and webhook key ([Fake.WebhookKeys]).
func New(opts ...Option) *Fake {
	o := defaults()
	for _, opt := range opts {
		opt(&o)
	}
	return newFake(o)
}

func newFake(o options) *Fake {
	clientKey, _ := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	webhookKey, _ := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	f := &Fake{
		now:          o.now,
		signatureNow: o.signatureNow,
		newID:        o.newID,
		closingDelay: o.closingDelay,
		clientKey:    clientKey,
		webhookKey:   webhookKey,
		webhookV:     o.webhookV,
		clientKeys:   map[string]crypto.PublicKey{ClientKeyID: &clientKey.PublicKey},
		groups:       make(map[string]*accountgroups.AccountGroup),
		idempotent:   make(map[string]storedAnswer),
		queue:        make(chan []accountgroups.Event, 1024),
		done:         make(chan struct{}),
	}
	f.approvalDelay = o.approvalDelay
	f.webhookID = f.newID()
	f.harness = fakeapi.Harness{
		RequestIDHeader: accountgroups.HeaderRequestID,
		RequestID:       requestID,
		Unlogged:        []string{TokenPath},
		Problem:         problem,
	}
	f.tokens = fakeapi.Tokens{
		ClientID:     ClientID,
		ClientSecret: ClientSecret,
		Scopes:       vendorScopes,
		RequireScope: true, // the vendor's token request schema requires scope
		Implies:      impliedScopes,
		TTL:          o.tokenTTL,
		Now:          o.now,
		Prefix:       "accountgroupstest_",
		TokenError: func(w http.ResponseWriter, status int, code, description string) {
			problem(w, status, code+": "+description)
		},
		AuthError: problem,
	}
	f.handler = f.harness.Wrap(f.verifySignature(f.routes()))
	return f
}

// ServeHTTP serves the API, the token endpoint and the webhook key set.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) { f.handler.ServeHTTP(w, r) }

func (f *Fake) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("POST "+TokenPath, &f.tokens)
	read := func(h http.HandlerFunc) http.HandlerFunc {
		return f.tokens.Require(h, accountgroups.ScopeAccountsRead)
	}
	admin := func(h http.HandlerFunc) http.HandlerFunc {
		return f.tokens.Require(h, accountgroups.ScopeAccountsAdmin)
	}
	mux.HandleFunc("GET /auth/verify_keys", f.tokens.Require(f.verifyKeys, verifyKeysScopes...))
	mux.HandleFunc("GET /account_groups", read(f.listAll))
	mux.HandleFunc("POST /account_groups", admin(f.create))
	mux.HandleFunc("GET /account_groups/{id}", read(f.get))
	mux.HandleFunc("DELETE /account_groups/{id}", admin(f.close))
	mux.HandleFunc("GET /users/{user_id}/account_groups", read(f.listUser))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		problem(w, http.StatusNotFound, "no such endpoint: "+r.Method+" "+r.URL.Path)
	})
	return mux
}

// EnvironmentAt points an accountgroups.Client at the fake served at
// rootURL: the URL its handler is reached at, such as an httptest.Server's
// URL, or that URL followed by the prefix a mux strips before the fake
// (http://127.0.0.1:8080/upvest for a fake mounted with
// http.StripPrefix("/upvest", fake)). Signatures stay valid under a
// prefix: the fake checks them against the path the client sent.
func (f *Fake) EnvironmentAt(rootURL string) accountgroups.Environment {
	return accountgroups.Environment{BaseURL: strings.TrimSuffix(rootURL, "/")}
}

// NewClientAt returns an accountgroups.Client for the fake served at
// rootURL (see [Fake.EnvironmentAt]), with the fake's client credentials
// and signing key; opts are applied after those.
func (f *Fake) NewClientAt(rootURL string, opts ...accountgroups.Option) (*accountgroups.Client, error) {
	all := append([]accountgroups.Option{
		accountgroups.WithClientCredentials(ClientID, ClientSecret),
		accountgroups.WithSigningKey(ClientKeyID, f.clientKey),
	}, opts...)
	return accountgroups.NewClient(f.EnvironmentAt(rootURL), all...)
}

// SigningKey is the key, registered with the fake, that NewClient signs
// with: an ECDSA P-521 key.
func (f *Fake) SigningKey() (keyID string, key crypto.Signer) { return ClientKeyID, f.clientKey }

// RegisterClientKey accepts signatures made with pub under keyID, for
// clients that sign with their own key.
func (f *Fake) RegisterClientKey(keyID string, pub crypto.PublicKey) {
	f.mu.Lock()
	f.clientKeys[keyID] = pub
	f.mu.Unlock()
}

// InjectFault adds a fault; faults match in the order they were added.
func (f *Fake) InjectFault(fault Fault) { f.harness.InjectFault(fault) }

// SetLatency delays every answer by d.
func (f *Fake) SetLatency(d time.Duration) { f.harness.SetLatency(d) }

// Requests lists the API requests received so far, in order, with their
// headers (the bearer token redacted; signatures and upvest-client-id
// kept) and bodies; token requests are not listed.
func (f *Fake) Requests() []Request { return f.harness.Requests() }

// Close stops webhook deliveries, dropping batches not yet delivered. A
// Fake that never had a webhook URL needs no Close.
func (f *Fake) Close() {
	f.mu.Lock()
	f.closed = true
	delivering := f.delivering
	f.mu.Unlock()
	if delivering {
		f.stop()
		<-f.done
	}
}
