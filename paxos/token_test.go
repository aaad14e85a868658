package paxos_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/accountkit/accountkit-go/paxos"
	"github.com/accountkit/accountkit-go/paxos/paxostest"
)

// TestTokenRequestCarriesUserAgent: the token request goes out with the
// SDK's User-Agent (and the caller's product), like every API request.
func TestTokenRequestCarriesUserAgent(t *testing.T) {
	fake := paxostest.New()
	var mu sync.Mutex
	agents := map[string]string{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		agents[r.URL.Path] = r.Header.Get("User-Agent")
		mu.Unlock()
		fake.ServeHTTP(w, r)
	}))
	defer srv.Close()
	a := fake.AddAccount(paxos.Account{IdentityID: "owner"})
	c, err := fake.NewClientAt(srv.URL, paxos.WithUserAgent("myapp/1.2"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetAccount(t.Context(), a.ID); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	for path, ua := range agents {
		if !strings.HasPrefix(ua, "myapp/1.2 accountkit-go/") {
			t.Errorf("%s sent User-Agent %q", path, ua)
		}
	}
	if len(agents) != 2 {
		t.Errorf("requests seen: %v", agents)
	}
}
