package marketplacetest

import (
	"fmt"
	"net/http/httptest"

	"github.com/accountkit/accountkit-go/internal/fakeapi"
	"github.com/accountkit/accountkit-go/marketplace"
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
		panic(fmt.Sprintf("marketplacetest: listen on %s: %v", o.addr, err))
	}
	return &Server{Fake: f, URL: srv.URL, srv: srv}
}

// Close shuts the server down and waits for its requests to finish.
func (s *Server) Close() { s.srv.Close() }

// Environment points a marketplace.Client at the server.
func (s *Server) Environment() marketplace.Environment { return s.EnvironmentAt(s.URL) }

// NewClient returns a marketplace.Client for the server, authenticated
// with [Token]; opts are applied after that.
func (s *Server) NewClient(opts ...marketplace.Option) (*marketplace.Client, error) {
	return s.NewClientAt(s.URL, opts...)
}
