package accountgroups_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/accountkit/accountkit-go/accountgroups"
	"github.com/accountkit/accountkit-go/internal/baseline"
	"github.com/accountkit/accountkit-go/internal/httpsig"
)

// tokenServer answers the token request, then every GET with the vendor's
// example account group.
func tokenServer(b *testing.B, group []byte) *httptest.Server {
	api := baseline.Server(b, group)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/auth/token" {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"access_token":"` + baseline.Token + `","token_type":"bearer","expires_in":3600,"scope":"accounts:read"}`))
			return
		}
		api.Config.Handler.ServeHTTP(w, r)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkGetAccountGroup compares the SDK's GetAccountGroup with a
// hand-written net/http + encoding/json client on the same loopback server:
// unsigned, and signing each request with the same signer the SDK uses, so
// that the ratio to the signed baseline is the SDK's own overhead.
func BenchmarkGetAccountGroup(b *testing.B) {
	group := readSeedB(b, "get_account_group_response.json")
	srv := tokenServer(b, group)
	hc, ctx := srv.Client(), context.Background()
	url := srv.URL + "/account_groups/" + seedGroupID
	p521, _ := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	_, ed, _ := ed25519.GenerateKey(rand.Reader)

	b.Run("baseline-unsigned", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var g accountgroups.AccountGroup
			if err := baseline.GetJSON(ctx, hc, url, "Bearer "+baseline.Token, &g); err != nil {
				b.Fatal(err)
			}
		}
	})
	for name, key := range map[string]crypto.Signer{"p521": p521, "ed25519": ed} {
		b.Run("baseline-signed-"+name, func(b *testing.B) {
			signer := &httpsig.Signer{KeyID: "k", Key: key}
			b.ReportAllocs()
			for b.Loop() {
				if err := signedGet(ctx, hc, url, signer); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("sdk-"+name, func(b *testing.B) {
			c, err := accountgroups.NewClient(accountgroups.Environment{BaseURL: srv.URL},
				accountgroups.WithClientCredentials("6f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b", "secret"),
				accountgroups.WithSigningKey("k", key), accountgroups.WithHTTPClient(hc))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.GetAccountGroup(ctx, seedGroupID); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// signedGet is the hand-written baseline for a signed read: the Upvest
// headers, the bearer token, the signature, a streaming decode.
func signedGet(ctx context.Context, hc *http.Client, url string, signer *httpsig.Signer) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+baseline.Token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Upvest-Client-Id", "6f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b")
	req.Header.Set("Upvest-Api-Version", "1")
	req.Header.Set("Upvest-Signature-Version", "15")
	if err := signer.Sign(req, nil); err != nil {
		return err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var g accountgroups.AccountGroup
	if resp.StatusCode != http.StatusOK {
		return &httpError{resp.Status}
	}
	return jsonDecode(resp, &g)
}

type httpError struct{ status string }

func (e *httpError) Error() string { return "GET: " + e.status }

func readSeedB(b *testing.B, name string) []byte {
	b.Helper()
	data, err := readSeedFile(name)
	if err != nil {
		b.Fatal(err)
	}
	return data
}
