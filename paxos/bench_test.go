package paxos_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/oauth2"

	"github.com/accountkit/accountkit-go/paxos"
)

// benchServer answers GET /v2/identity/accounts/{id} with the vendor's
// example account, for the SDK and the hand-written baseline alike.
func benchServer(b *testing.B) *httptest.Server {
	b.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", "seeds", "update_account_response.json"))
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer bench-token" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// baselineGetAccount is what a careful hand-written client does: one
// request with the bearer token, a status check, a streaming JSON decode.
func baselineGetAccount(ctx context.Context, hc *http.Client, baseURL, authHeader, id string) (*paxos.Account, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, baseURL+"/identity/accounts/"+url.PathEscape(id), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", authHeader)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "baseline/1.0")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		return nil, fmt.Errorf("get account: %s: %s", resp.Status, msg)
	}
	var a paxos.Account
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		return nil, err
	}
	return &a, nil
}

// BenchmarkGetAccount compares the SDK's GetAccount with the hand-written
// baseline on the same loopback server and the same *http.Client.
func BenchmarkGetAccount(b *testing.B) {
	srv := benchServer(b)
	base := srv.URL + "/v2"
	hc := srv.Client()
	ctx := context.Background()
	const id = "79c27a0e-46a2-4276-9769-e1ebc055fa72"

	b.Run("baseline", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := baselineGetAccount(ctx, hc, base, "Bearer bench-token", id); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("sdk", func(b *testing.B) {
		c, err := paxos.NewClient(paxos.Environment{BaseURL: base},
			paxos.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "bench-token", TokenType: "Bearer"})),
			paxos.WithHTTPClient(hc))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.GetAccount(ctx, id); err != nil {
				b.Fatal(err)
			}
		}
	})
}
