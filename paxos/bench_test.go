package paxos_test

import (
	"context"
	"path/filepath"
	"testing"

	"golang.org/x/oauth2"

	"github.com/accountkit/accountkit-go/internal/baseline"
	"github.com/accountkit/accountkit-go/paxos"
)

// BenchmarkGetAccount compares the SDK's GetAccount with a hand-written
// net/http + encoding/json client (package baseline) on the same loopback
// server and *http.Client, both decoding the vendor's example account.
func BenchmarkGetAccount(b *testing.B) {
	srv := baseline.Server(b, readFile(b, filepath.Join("testdata", "seeds", "update_account_response.json")))
	base, hc, ctx := srv.URL+"/v2", srv.Client(), context.Background()
	const id = "79c27a0e-46a2-4276-9769-e1ebc055fa72"

	b.Run("baseline", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var a paxos.Account
			if err := baseline.GetJSON(ctx, hc, base+"/identity/accounts/"+id, "Bearer "+baseline.Token, &a); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("sdk", func(b *testing.B) {
		// The default rate limit would hold the loop at Paxos's 50 calls a
		// second; BenchmarkRateLimitOverhead measures what the limiter
		// costs when it does not wait.
		c, err := paxos.NewClient(paxos.Environment{BaseURL: base},
			paxos.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: baseline.Token, TokenType: "Bearer"})),
			paxos.WithHTTPClient(hc), paxos.WithRateLimit(0, 0))
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
