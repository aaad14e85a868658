package paxostest

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/accountkit/accountkit-go/internal/fakeapi"
	"github.com/accountkit/accountkit-go/paxos"
)

// Server is a [Fake] served on a loopback port: every method of Fake
// works on it, and it adds the URL and what needs it. Create it with
// NewServer and Close it when done.
type Server struct {
	*Fake

	// URL is the fake's root URL, http://127.0.0.1:port.
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
		panic(fmt.Sprintf("paxostest: listen on %s: %v", o.addr, err))
	}
	return &Server{Fake: f, URL: srv.URL, srv: srv}
}

// Close shuts the server down and waits for its requests to finish.
func (s *Server) Close() { s.srv.Close() }

// Environment points a paxos.Client at the server.
func (s *Server) Environment() paxos.Environment { return s.EnvironmentAt(s.URL) }

// NewClient returns a paxos.Client for the server, authenticated with the
// fake's credentials; opts are applied after those.
func (s *Server) NewClient(opts ...paxos.Option) (*paxos.Client, error) {
	return s.NewClientAt(s.URL, opts...)
}

// HTTPClient is an *http.Client for the server; plain HTTP needs nothing
// special, so it is a default client.
func (s *Server) HTTPClient() *http.Client { return s.srv.Client() }
