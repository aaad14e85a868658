package marketplacetest

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/accountkit/accountkit-go/internal/fakeapi"
	"github.com/accountkit/accountkit-go/marketplace"
)

// Token is the API token the fake accepts.
const Token = "marketplacetest-token"

// apiBase is the path the fake serves the API under.
const apiBase = "/public/v1"

// Server is a running fake. Create it with NewServer.
type Server struct {
	// URL is the fake's root URL, http://127.0.0.1:port.
	URL string

	srv     *httptest.Server
	addr    string
	harness *fakeapi.Harness

	mu       sync.Mutex
	now      func() time.Time
	newID    func() string
	pageSize int
	accounts map[string]*marketplace.Account
	order    []string // ids in creation order
	logos    map[string]LogoInfo
}

// LogoInfo describes an uploaded logo without its bytes.
type LogoInfo struct {
	Filename    string
	ContentType string
	Size        int64
	SHA256      string // hex
}

// Request is one request the fake received.
type Request = fakeapi.Request

// Fault makes the fake answer matching requests with a status instead of
// serving them; see [Server.InjectFault]. Its Path is relative to the API
// base, such as /accounts/accounts.
type Fault = fakeapi.Fault

// Option configures a Server.
type Option func(*Server)

// WithAddr makes the fake listen on addr (such as 127.0.0.1:12111) instead
// of a free loopback port; NewServer panics when it cannot.
func WithAddr(addr string) Option { return func(s *Server) { s.addr = addr } }

// WithClock makes the fake read the time from now.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// WithDeterministicIDs makes the fake number its account ids
// (ACC-0000-0001, ...) instead of drawing random ones.
func WithDeterministicIDs() Option {
	return func(s *Server) {
		n := 0
		s.newID = func() string {
			n++
			return fmt.Sprintf("ACC-%04d-%04d", n/10000, n%10000)
		}
	}
}

// WithPageSize sets the page size used when a list request has no limit
// (10 by default).
func WithPageSize(n int) Option { return func(s *Server) { s.pageSize = n } }

// NewServer starts a fake on a loopback port. Call Close when done.
func NewServer(opts ...Option) *Server {
	s := &Server{
		now:      time.Now,
		newID:    randomID,
		pageSize: 10,
		accounts: make(map[string]*marketplace.Account),
		logos:    make(map[string]LogoInfo),
	}
	for _, opt := range opts {
		opt(s)
	}
	s.harness = &fakeapi.Harness{
		Base:            apiBase,
		RequestIDHeader: "X-Request-Id",
		RequestIDPrefix: "marketplacetest-",
		Problem: func(w http.ResponseWriter, status int, detail string) {
			problem(w, status, detail, nil)
		},
	}
	srv, err := fakeapi.Start(s.harness.Wrap(s.handler()), s.addr)
	if err != nil {
		panic(fmt.Sprintf("marketplacetest: listen on %s: %v", s.addr, err))
	}
	s.srv = srv
	s.URL = s.srv.URL
	return s
}

// Close shuts the fake down and waits for its requests to finish.
func (s *Server) Close() { s.srv.Close() }

// Environment points a marketplace.Client at the fake.
func (s *Server) Environment() marketplace.Environment {
	return marketplace.Environment{BaseURL: s.URL + apiBase}
}

// NewClient returns a marketplace.Client for the fake, authenticated with
// its token; opts are applied after that.
func (s *Server) NewClient(opts ...marketplace.Option) (*marketplace.Client, error) {
	all := append([]marketplace.Option{marketplace.WithAPIToken(Token)}, opts...)
	return marketplace.NewClient(s.Environment(), all...)
}

// AddAccount stores a as if it had been created, filling in the id, status
// (Enabled), audit and href where a leaves them empty, and returns it.
func (s *Server) AddAccount(a marketplace.Account) marketplace.Account {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.store(a)
}

// store saves a new account. s.mu is held.
func (s *Server) store(a marketplace.Account) marketplace.Account {
	if a.ID == "" {
		a.ID = s.newID()
	}
	if a.Status == "" {
		a.Status = marketplace.AccountStatusEnabled
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	if a.Audit.Created.At.IsZero() {
		a.Audit.Created = marketplace.AuditEvent{At: now, By: marketplace.Reference{ID: "TKN-0000-0001", Name: "marketplacetest"}}
		a.Audit.Updated = a.Audit.Created
	}
	a.Href = "/accounts/accounts/" + a.ID
	s.accounts[a.ID] = &a
	s.order = append(s.order, a.ID)
	return a
}

// Account returns the stored account with the given id, groups and audit
// included.
func (s *Server) Account(id string) (marketplace.Account, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.accounts[id]
	if !ok {
		return marketplace.Account{}, false
	}
	return *a, true
}

// Logo describes the last logo uploaded for the account.
func (s *Server) Logo(id string) (LogoInfo, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.logos[id]
	return l, ok
}

// InjectFault adds a fault; faults match in the order they were added.
func (s *Server) InjectFault(f Fault) { s.harness.InjectFault(f) }

// SetLatency delays every answer by d.
func (s *Server) SetLatency(d time.Duration) { s.harness.SetLatency(d) }

// Requests lists the requests received so far, in order.
func (s *Server) Requests() []Request { return s.harness.Requests() }

func randomID() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	n := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	return fmt.Sprintf("ACC-%04d-%04d", n/10000%10000, n%10000)
}
