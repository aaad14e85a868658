package paxostest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/accountkit/accountkit-go/internal/fakeapi"
	"github.com/accountkit/accountkit-go/internal/uuid"
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

// Server is a running fake. Create it with NewServer.
type Server struct {
	// URL is the fake's root URL, http://127.0.0.1:port.
	URL string

	srv  *httptest.Server
	addr string

	mu          sync.Mutex
	now         func() time.Time
	newID       func() string
	tokenTTL    time.Duration
	pageSize    int
	accounts    map[string]*account
	refIDs      map[string]string // ref_id -> account id
	memberOwner map[string]string // member id -> account id
	tokens      map[string]token
	issued      int
	harness     *fakeapi.Harness
}

type account struct {
	paxos.Account
	statusBeforeDisable paxos.SummaryStatus
}

type token struct {
	expires time.Time
	scopes  map[string]bool
}

// Request is one request the fake received.
type Request = fakeapi.Request

// Option configures a Server.
type Option func(*Server)

// WithAddr makes the fake listen on addr (such as 127.0.0.1:12111) instead
// of a free loopback port; NewServer panics when it cannot.
func WithAddr(addr string) Option { return func(s *Server) { s.addr = addr } }

// WithClock makes the fake read the time from now (timestamps and token
// expiry).
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// WithDeterministicIDs makes the fake number its ids
// (00000000-0000-4000-8000-000000000001, ...) instead of drawing random
// UUIDs, so that recorded exchanges repeat.
func WithDeterministicIDs() Option {
	return func(s *Server) {
		n := 0
		s.newID = func() string {
			n++
			return fmt.Sprintf("00000000-0000-4000-8000-%012d", n)
		}
	}
}

// WithTokenTTL sets how long issued tokens live.
func WithTokenTTL(d time.Duration) Option { return func(s *Server) { s.tokenTTL = d } }

// WithPageSize sets the page size used when a list request has no limit
// (100 by default).
func WithPageSize(n int) Option { return func(s *Server) { s.pageSize = n } }

// NewServer starts a fake on a loopback port. Call Close when done.
func NewServer(opts ...Option) *Server {
	s := &Server{
		now:         time.Now,
		newID:       uuid.New,
		tokenTTL:    DefaultTokenTTL,
		pageSize:    100,
		accounts:    make(map[string]*account),
		refIDs:      make(map[string]string),
		memberOwner: make(map[string]string),
		tokens:      make(map[string]token),
	}
	for _, opt := range opts {
		opt(s)
	}
	s.harness = &fakeapi.Harness{
		Base:            apiBase,
		RequestIDHeader: "X-Request-Id",
		RequestIDPrefix: "paxostest-",
		Unlogged:        []string{"/oauth2/token"},
		Problem: func(w http.ResponseWriter, status int, detail string) {
			problem(w, status, "injected-fault", http.StatusText(status), detail, nil)
		},
	}
	srv, err := fakeapi.Start(s.harness.Wrap(s.handler()), s.addr)
	if err != nil {
		panic(fmt.Sprintf("paxostest: listen on %s: %v", s.addr, err))
	}
	s.srv = srv
	s.URL = s.srv.URL
	return s
}

// Close shuts the fake down and waits for its requests to finish.
func (s *Server) Close() { s.srv.Close() }

// Environment points a paxos.Client at the fake.
func (s *Server) Environment() paxos.Environment {
	return paxos.Environment{BaseURL: s.URL + "/v2", TokenURL: s.URL + "/oauth2/token"}
}

// NewClient returns a paxos.Client for the fake, authenticated with the
// fake's credentials; opts are applied after those.
func (s *Server) NewClient(opts ...paxos.Option) (*paxos.Client, error) {
	all := append([]paxos.Option{paxos.WithClientCredentials(ClientID, ClientSecret)}, opts...)
	return paxos.NewClient(s.Environment(), all...)
}

// HTTPClient is an *http.Client that trusts the fake; plain HTTP needs
// nothing special, so it is the default client with a timeout.
func (s *Server) HTTPClient() *http.Client { return s.srv.Client() }

// AddAccount stores a as if it had been created, assigning an id, member
// ids, timestamps and a PENDING status where a leaves them empty, and
// returns what was stored.
func (s *Server) AddAccount(a paxos.Account) paxos.Account {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.store(a)
}

// store saves a new account, filling in what the server assigns, and
// returns a copy of it. s.mu is held.
func (s *Server) store(a paxos.Account) paxos.Account {
	now := s.now().UTC()
	if a.ID == "" {
		a.ID = s.newID()
	}
	if a.CreatedAt.IsZero() {
		a.CreatedAt = now
	}
	if a.UpdatedAt.IsZero() {
		a.UpdatedAt = a.CreatedAt
	}
	if a.SummaryStatus == "" {
		a.SummaryStatus = paxos.SummaryStatusPending
	}
	a.Members = cloneMembers(a.Members)
	for i := range a.Members {
		if a.Members[i].ID == "" {
			a.Members[i].ID = s.newID()
		}
		s.memberOwner[a.Members[i].ID] = a.ID
	}
	a.Metadata = cloneMetadata(a.Metadata)
	s.accounts[a.ID] = &account{Account: a}
	if a.RefID != "" {
		s.refIDs[a.RefID] = a.ID
	}
	return cloneAccount(a)
}

// Account returns the stored account with the given id.
func (s *Server) Account(id string) (paxos.Account, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.accounts[id]
	if !ok {
		return paxos.Account{}, false
	}
	return cloneAccount(a.Account), true
}

// Fault makes the fake answer matching requests with a status instead of
// serving them; see [Server.InjectFault]. Its Path is relative to the API
// base (/identity/accounts) or is /oauth2/token.
type Fault = fakeapi.Fault

// InjectFault adds a fault; faults match in the order they were added.
func (s *Server) InjectFault(f Fault) { s.harness.InjectFault(f) }

// FailNext makes the next n API requests (any method and path, the token
// endpoint excluded) answer status.
func (s *Server) FailNext(n, status int) {
	s.InjectFault(Fault{Path: "/identity/", Times: n, Status: status})
}

// SetLatency delays every answer by d.
func (s *Server) SetLatency(d time.Duration) { s.harness.SetLatency(d) }

// ExpireTokens makes every token issued so far invalid, as if it had
// expired early.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	clear(s.tokens)
	s.mu.Unlock()
}

// TokensIssued is how many tokens the token endpoint has handed out.
func (s *Server) TokensIssued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issued
}

// Requests lists the API requests received so far, in order; token
// requests are not listed.
func (s *Server) Requests() []Request { return s.harness.Requests() }

func (s *Server) newToken() string {
	var b [24]byte
	_, _ = rand.Read(b[:])
	return "paxostest_" + hex.EncodeToString(b[:])
}

func cloneAccount(a paxos.Account) paxos.Account {
	a.Members = cloneMembers(a.Members)
	a.Metadata = cloneMetadata(a.Metadata)
	return a
}

func cloneMembers(ms []paxos.AccountMember) []paxos.AccountMember {
	if ms == nil {
		return nil
	}
	out := make([]paxos.AccountMember, len(ms))
	for i, m := range ms {
		m.Roles = append([]paxos.Role(nil), m.Roles...)
		out[i] = m
	}
	return out
}

func cloneMetadata(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
