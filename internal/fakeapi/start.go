package fakeapi

import (
	"net"
	"net/http"
	"net/http/httptest"
)

// Start serves h on addr (host:port; "" or a :0 port for any free loopback
// port) and returns the running server.
func Start(h http.Handler, addr string) (*httptest.Server, error) {
	if addr == "" {
		return httptest.NewServer(h), nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	srv := httptest.NewUnstartedServer(h)
	_ = srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	return srv, nil
}
