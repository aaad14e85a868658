package transport

import (
	"net/http"
	"testing"
)

// TestDefaultHTTPClient: one client per process, keeping enough idle
// connections for a busy service, with net/http's proxy and HTTP/2
// behaviour kept.
func TestDefaultHTTPClient(t *testing.T) {
	c := DefaultHTTPClient()
	if c != DefaultHTTPClient() {
		t.Error("DefaultHTTPClient is not shared")
	}
	tr, ok := c.Transport.(*http.Transport)
	if !ok {
		t.Fatalf("transport %T", c.Transport)
	}
	if tr.MaxIdleConnsPerHost < 64 || tr.MaxIdleConns < tr.MaxIdleConnsPerHost {
		t.Errorf("idle connections: %d per host, %d in all", tr.MaxIdleConnsPerHost, tr.MaxIdleConns)
	}
	if tr.Proxy == nil || !tr.ForceAttemptHTTP2 || c.Timeout != DefaultTimeout {
		t.Errorf("proxy set %v, HTTP/2 %v, timeout %v", tr.Proxy != nil, tr.ForceAttemptHTTP2, c.Timeout)
	}
	if tr == http.DefaultTransport {
		t.Error("the default transport is net/http's own, shared with the rest of the program")
	}
	d, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	if d.HTTPClient().Transport != c.Transport || d.HTTPClient().CheckRedirect == nil {
		t.Error("a Doer without an HTTP client does not send through the default one, or follows redirects net/http's way")
	}
}
