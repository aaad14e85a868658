package transport

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// Connection pool sizes of the default client. net/http's default keeps
// two idle connections per host, so a service with more calls in flight
// than that opens and closes a connection for nearly every call.
const (
	DefaultMaxIdleConnsPerHost = 100
	DefaultMaxIdleConns        = 256
	DefaultTimeout             = 60 * time.Second
)

var defaultClient = sync.OnceValue(func() *http.Client {
	return &http.Client{Timeout: DefaultTimeout, Transport: newDefaultTransport()}
})

// DefaultHTTPClient is the client every SDK client sends through unless
// given another: one per process, so that all clients share its
// connections. Its transport is net/http's default (proxy from the
// environment, HTTP/2, the same dial and TLS timeouts) keeping up to
// DefaultMaxIdleConnsPerHost idle connections per host; each call is
// bounded by DefaultTimeout.
func DefaultHTTPClient() *http.Client { return defaultClient() }

func newDefaultTransport() *http.Transport {
	var t *http.Transport
	if dt, ok := http.DefaultTransport.(*http.Transport); ok {
		t = dt.Clone()
	} else {
		// http.DefaultTransport was replaced: start from its documented
		// settings.
		t = &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			ForceAttemptHTTP2:     true,
			IdleConnTimeout:       90 * time.Second,
			TLSHandshakeTimeout:   10 * time.Second,
			ExpectContinueTimeout: time.Second,
		}
	}
	t.MaxIdleConns = DefaultMaxIdleConns
	t.MaxIdleConnsPerHost = DefaultMaxIdleConnsPerHost
	return t
}
