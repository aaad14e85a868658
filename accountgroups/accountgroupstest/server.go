package accountgroupstest

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/accountkit/accountkit-go/accountgroups"
	"github.com/accountkit/accountkit-go/internal/fakeapi"
	"github.com/accountkit/accountkit-go/internal/uuid"
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

// Server is a running fake. Create it with NewServer.
type Server struct {
	// URL is the fake's base URL, http://127.0.0.1:port.
	URL string

	srv     *httptest.Server
	addr    string
	harness *fakeapi.Harness

	clientKey  *ecdsa.PrivateKey
	webhookKey *ecdsa.PrivateKey
	webhookID  string
	webhookV   int

	mu           sync.Mutex
	now          func() time.Time
	newID        func() string
	closingDelay time.Duration
	tokenTTL     time.Duration
	clientKeys   map[string]crypto.PublicKey
	tokens       map[string]tokenInfo
	issued       int
	groups       map[string]*accountgroups.AccountGroup
	order        []string
	idempotent   map[string]storedAnswer
	accountSeq   int
	webhookURL   string
	deliveries   []Delivery

	queue   chan []accountgroups.Event
	pending sync.WaitGroup
	stop    context.CancelFunc
	done    chan struct{}
}

type tokenInfo struct {
	expires time.Time
	scopes  map[string]bool
}

type storedAnswer struct {
	bodyHash string
	status   int
	body     []byte
}

// Request is one request the fake received.
type Request = fakeapi.Request

// Fault makes the fake answer matching requests with a status instead of
// serving them; see [Server.InjectFault]. Its Path is the request path,
// such as /account_groups or /auth/token.
type Fault = fakeapi.Fault

// Option configures a Server.
type Option func(*Server)

// WithAddr makes the fake listen on addr (such as 127.0.0.1:12111) instead
// of a free loopback port; NewServer panics when it cannot.
func WithAddr(addr string) Option { return func(s *Server) { s.addr = addr } }

// WithClock makes the fake read the time from now.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// WithDeterministicIDs makes the fake number its ids
// (00000000-0000-4000-8000-000000000001, ...) instead of drawing random
// UUIDs.
func WithDeterministicIDs() Option {
	return func(s *Server) {
		n := 0
		s.newID = func() string {
			n++
			return fmt.Sprintf("00000000-0000-4000-8000-%012d", n)
		}
	}
}

// WithClosingDelay sets how long a closed group stays CLOSING before it is
// CLOSED (100 ms by default).
func WithClosingDelay(d time.Duration) Option { return func(s *Server) { s.closingDelay = d } }

// WithTokenTTL sets how long issued tokens live.
func WithTokenTTL(d time.Duration) Option { return func(s *Server) { s.tokenTTL = d } }

// WithWebhookSignatureVersion signs webhook deliveries in format 6 (the
// older one, which Upvest's documentation names for webhooks) instead of
// 15.
func WithWebhookSignatureVersion(v int) Option { return func(s *Server) { s.webhookV = v } }

// NewServer starts a fake on a loopback port. Call Close when done.
func NewServer(opts ...Option) *Server {
	clientKey, _ := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	webhookKey, _ := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	s := &Server{
		clientKey:    clientKey,
		webhookKey:   webhookKey,
		webhookV:     15,
		now:          time.Now,
		newID:        uuid.New,
		closingDelay: 100 * time.Millisecond,
		tokenTTL:     DefaultTokenTTL,
		clientKeys:   map[string]crypto.PublicKey{ClientKeyID: &clientKey.PublicKey},
		tokens:       make(map[string]tokenInfo),
		groups:       make(map[string]*accountgroups.AccountGroup),
		idempotent:   make(map[string]storedAnswer),
		queue:        make(chan []accountgroups.Event, 1024),
		done:         make(chan struct{}),
	}
	for _, opt := range opts {
		opt(s)
	}
	s.webhookID = s.newID()
	s.harness = &fakeapi.Harness{
		RequestIDHeader: accountgroups.HeaderRequestID,
		RequestIDPrefix: "accountgroupstest-",
		Unlogged:        []string{"/auth/token"},
		Problem: func(w http.ResponseWriter, status int, detail string) {
			problem(w, status, detail)
		},
	}
	srv, err := fakeapi.Start(s.harness.Wrap(s.handler()), s.addr)
	if err != nil {
		panic(fmt.Sprintf("accountgroupstest: listen on %s: %v", s.addr, err))
	}
	s.srv = srv
	s.URL = s.srv.URL
	ctx, cancel := context.WithCancel(context.Background())
	s.stop = cancel
	go s.deliverLoop(ctx)
	return s
}

// Close stops webhook deliveries, shuts the fake down and waits for its
// requests to finish.
func (s *Server) Close() {
	s.stop()
	<-s.done
	s.srv.Close()
}

// Environment points an accountgroups.Client at the fake.
func (s *Server) Environment() accountgroups.Environment {
	return accountgroups.Environment{BaseURL: s.URL}
}

// SigningKey is the key, registered with the fake, that NewClient signs
// with: an ECDSA P-521 key.
func (s *Server) SigningKey() (keyID string, key crypto.Signer) { return ClientKeyID, s.clientKey }

// RegisterClientKey accepts signatures made with pub under keyID, for
// clients that sign with their own key.
func (s *Server) RegisterClientKey(keyID string, pub crypto.PublicKey) {
	s.mu.Lock()
	s.clientKeys[keyID] = pub
	s.mu.Unlock()
}

// NewClient returns an accountgroups.Client for the fake, with its client
// credentials and signing key; opts are applied after those.
func (s *Server) NewClient(opts ...accountgroups.Option) (*accountgroups.Client, error) {
	all := append([]accountgroups.Option{
		accountgroups.WithClientCredentials(ClientID, ClientSecret),
		accountgroups.WithSigningKey(ClientKeyID, s.clientKey),
	}, opts...)
	return accountgroups.NewClient(s.Environment(), all...)
}

// AddAccountGroup stores g as if it had been created, filling in the id,
// timestamps, status (ACTIVE), an OWNER user and a securities account
// number where g leaves them empty, and returns it. No event is sent.
func (s *Server) AddAccountGroup(g accountgroups.AccountGroup) accountgroups.AccountGroup {
	s.mu.Lock()
	defer s.mu.Unlock()
	return *s.store(g)
}

// store saves a new group. s.mu is held.
func (s *Server) store(g accountgroups.AccountGroup) *accountgroups.AccountGroup {
	now := s.now().UTC().Truncate(time.Second)
	if g.ID == "" {
		g.ID = s.newID()
	}
	if g.CreatedAt.IsZero() {
		g.CreatedAt = now
	}
	if g.UpdatedAt.IsZero() {
		g.UpdatedAt = g.CreatedAt
	}
	if g.Status == "" {
		g.Status = accountgroups.AccountGroupStatusActive
	}
	if g.Type == "" {
		g.Type = accountgroups.AccountGroupTypePersonal
	}
	if len(g.Users) == 0 {
		g.Users = []accountgroups.AccountGroupUser{{ID: s.newID(), Type: accountgroups.AccountGroupUserTypeOwner}}
	}
	if g.SecuritiesAccountNumber == "" {
		s.accountSeq++
		g.SecuritiesAccountNumber = fmt.Sprintf("%09d", 100000000+s.accountSeq)
	}
	s.groups[g.ID] = &g
	s.order = append(s.order, g.ID)
	return &g
}

// AccountGroup returns the stored group with the given id.
func (s *Server) AccountGroup(id string) (accountgroups.AccountGroup, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.groups[id]
	if !ok {
		return accountgroups.AccountGroup{}, false
	}
	return *g, true
}

// InjectFault adds a fault; faults match in the order they were added.
func (s *Server) InjectFault(f Fault) { s.harness.InjectFault(f) }

// SetLatency delays every answer by d.
func (s *Server) SetLatency(d time.Duration) { s.harness.SetLatency(d) }

// Requests lists the API requests received so far, in order; token
// requests are not listed.
func (s *Server) Requests() []Request { return s.harness.Requests() }

// TokensIssued is how many tokens the token endpoint has handed out.
func (s *Server) TokensIssued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issued
}

// ExpireTokens makes every token issued so far invalid.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	clear(s.tokens)
	s.mu.Unlock()
}
