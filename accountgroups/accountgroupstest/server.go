package accountgroupstest

import (
	"fmt"
	"net/http/httptest"

	"github.com/accountkit/accountkit-go/accountgroups"
	"github.com/accountkit/accountkit-go/internal/fakeapi"
)

// Server is a [Fake] served on a loopback port: every method of Fake
// works on it, and it adds the URL and what needs it. Create it with
// NewServer and Close it when done.
type Server struct {
	*Fake

	// URL is the fake's base URL, http://127.0.0.1:port.
	URL string

	srv *httptest.Server
}

// NewServer starts a fake on a loopback port (or the address WithAddr
// names). Call Close when done.
func NewServer(opts ...Option) *Server {
	o := defaults()
	for _, opt := range opts {
		opt(&o)
	}
	f := newFake(o)
	srv, err := fakeapi.Start(f, o.addr)
	if err != nil {
		panic(fmt.Sprintf("accountgroupstest: listen on %s: %v", o.addr, err))
	}
	return &Server{Fake: f, URL: srv.URL, srv: srv}
}

// Close stops webhook deliveries, shuts the server down and waits for its
// requests to finish.
func (s *Server) Close() {
	s.Fake.Close()
	s.srv.Close()
}

// Environment points an accountgroups.Client at the server.
func (s *Server) Environment() accountgroups.Environment { return s.EnvironmentAt(s.URL) }

// NewClient returns an accountgroups.Client for the server, with the
// fake's client credentials and signing key; opts are applied after those.
func (s *Server) NewClient(opts ...accountgroups.Option) (*accountgroups.Client, error) {
	return s.NewClientAt(s.URL, opts...)
}
