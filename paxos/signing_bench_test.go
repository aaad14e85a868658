package paxos_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"path/filepath"
	"testing"

	"golang.org/x/oauth2"

	"github.com/accountkit/accountkit-go/internal/baseline"
	"github.com/accountkit/accountkit-go/paxos"
)

// benchGetAccount runs GetAccount against the baseline server (the
// vendor's example account, no checks) with opts.
func benchGetAccount(b *testing.B, opts ...paxos.Option) {
	srv := baseline.Server(b, readFile(b, filepath.Join("testdata", "seeds", "update_account_response.json")))
	c, err := paxos.NewClient(paxos.Environment{BaseURL: srv.URL + "/v2"}, append([]paxos.Option{
		paxos.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: baseline.Token, TokenType: "Bearer"})),
		paxos.WithHTTPClient(srv.Client()),
	}, opts...)...)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.GetAccount(ctx, "79c27a0e-46a2-4276-9769-e1ebc055fa72"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSignedGetAccount is what request signing adds to a GetAccount:
// a JWS over the request with each kind of key, against the same call
// unsigned (the rate limiter off in all three).
func BenchmarkSignedGetAccount(b *testing.B) {
	es, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	_, ed, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		key  crypto.Signer
	}{{"unsigned", nil}, {"ES256", es}, {"EdDSA", ed}} {
		b.Run(tc.name, func(b *testing.B) {
			opts := []paxos.Option{paxos.WithRateLimit(0, 0)}
			if tc.key != nil {
				opts = append(opts, paxos.WithRequestSigning("key-1", tc.key))
			}
			benchGetAccount(b, opts...)
		})
	}
}

// BenchmarkRateLimitOverhead is what the rate limiter costs a call it
// does not hold back: a limit too high to wait on against none.
func BenchmarkRateLimitOverhead(b *testing.B) {
	b.Run("off", func(b *testing.B) { benchGetAccount(b, paxos.WithRateLimit(0, 0)) })
	b.Run("on", func(b *testing.B) { benchGetAccount(b, paxos.WithRateLimit(1e9, 1<<20)) })
}
