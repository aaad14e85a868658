package paxos

import (
	"testing"

	"golang.org/x/oauth2"

	"github.com/accountkit/accountkit-go/internal/transport"
)

// TestDefaultHTTPClientIsTransports checks that a client made without
// WithHTTPClient sends through the process's shared default client
// (transport.DefaultHTTPClient), not one of its own.
func TestDefaultHTTPClientIsTransports(t *testing.T) {
	c, err := NewClient(Sandbox, WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "t"})))
	if err != nil {
		t.Fatal(err)
	}
	got := c.api.doer.(*transport.Doer).HTTPClient()
	if want := transport.DefaultHTTPClient(); got.Transport != want.Transport || got.Timeout != want.Timeout {
		t.Errorf("the client sends through %p, not the shared default %p", got.Transport, want.Transport)
	}
}
