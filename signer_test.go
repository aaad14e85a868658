package accountkit_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/accountkit/accountkit-go/accountgroups"
	"github.com/accountkit/accountkit-go/accountgroups/accountgroupstest"
	"github.com/accountkit/accountkit-go/paxos"
	"github.com/accountkit/accountkit-go/paxos/paxostest"
)

// opaqueSigner hides a key behind crypto.Signer, the way a KMS or HSM
// client does (it is neither an *ecdsa.PrivateKey nor an
// ed25519.PrivateKey), and counts the signatures it makes.
type opaqueSigner struct {
	key   crypto.Signer
	signs atomic.Int64
}

func (s *opaqueSigner) Public() crypto.PublicKey { return s.key.Public() }
func (s *opaqueSigner) Sign(r io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	s.signs.Add(1)
	return s.key.Sign(r, digest, opts)
}

// signedAttempts counts the requests that leave with a signature header.
type signedAttempts struct {
	header string
	n      atomic.Int64
}

func (c *signedAttempts) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Header.Get(c.header) != "" {
		c.n.Add(1)
	}
	return http.DefaultTransport.RoundTrip(r)
}

func newKey(t *testing.T, kind string) crypto.Signer {
	t.Helper()
	var key crypto.Signer
	var err error
	switch kind {
	case "P-256":
		key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case "P-521":
		key, err = ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	case "Ed25519":
		_, key, err = ed25519.GenerateKey(rand.Reader)
	}
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// TestAnySignerSigns: both signing vendors take any crypto.Signer whose
// public key is of a kind they accept, not only in-memory keys: calls
// signed by an opaque signer succeed against the fakes, a retry included,
// and the signer is asked for exactly one signature per signed attempt
// (token requests included for Upvest, which signs them).
func TestAnySignerSigns(t *testing.T) {
	for _, kind := range []string{"P-521", "Ed25519"} {
		t.Run("accountgroups/"+kind, func(t *testing.T) {
			signer := &opaqueSigner{key: newKey(t, kind)}
			attempts := &signedAttempts{header: "Signature"}
			srv := accountgroupstest.NewServer()
			defer srv.Close()
			srv.RegisterClientKey("opaque-key", signer.Public())
			c, err := srv.NewClient(accountgroups.WithSigningKey("opaque-key", signer),
				accountgroups.WithHTTPClient(&http.Client{Transport: attempts}),
				accountgroups.WithRetryBackoff(time.Millisecond, 2*time.Millisecond))
			if err != nil {
				t.Fatal(err)
			}
			g, err := c.CreateAccountGroup(t.Context(), "413715f2-5401-4b97-8055-034a6b879f8c", accountgroups.AccountGroupTypeISA)
			if err != nil {
				t.Fatal(err)
			}
			srv.InjectFault(accountgroupstest.Fault{Method: http.MethodGet, Status: http.StatusServiceUnavailable})
			if _, err := c.GetAccountGroup(t.Context(), g.ID); err != nil {
				t.Fatal(err)
			}
			for _, err := range c.ListAccountGroups(t.Context(), nil) {
				if err != nil {
					t.Fatal(err)
				}
			}
			// a token, a create, a get and its retry, a list
			t.Logf("%d signatures, %d signed attempts", signer.signs.Load(), attempts.n.Load())
			if n, want := signer.signs.Load(), attempts.n.Load(); n != want || n < 5 {
				t.Errorf("%d signatures for %d signed attempts; want them equal and at least 5", n, want)
			}
		})
	}
	for _, kind := range []string{"P-256", "Ed25519"} {
		t.Run("paxos/"+kind, func(t *testing.T) {
			signer := &opaqueSigner{key: newKey(t, kind)}
			attempts := &signedAttempts{header: paxos.HeaderSignature}
			srv := paxostest.NewServer(paxostest.WithRequestSigning("opaque-key", signer.Public()))
			defer srv.Close()
			c, err := srv.NewClient(paxos.WithRequestSigning("opaque-key", signer),
				paxos.WithHTTPClient(&http.Client{Transport: attempts}),
				paxos.WithRetryBackoff(time.Millisecond, 2*time.Millisecond))
			if err != nil {
				t.Fatal(err)
			}
			a, err := c.CreateAccount(t.Context(), paxos.CreateAccountRequest{Account: paxos.Account{IdentityID: "owner"}})
			if err != nil {
				t.Fatal(err)
			}
			srv.FailNext(1, http.StatusServiceUnavailable)
			if _, err := c.GetAccount(t.Context(), a.ID); err != nil {
				t.Fatal(err)
			}
			for _, err := range c.ListAccounts(t.Context(), &paxos.ListAccountsParams{IdentityID: "owner"}) {
				if err != nil {
					t.Fatal(err)
				}
			}
			// a create, a get and its retry, a list (the token request is not signed)
			if n, want := signer.signs.Load(), attempts.n.Load(); n != want || n != 4 {
				t.Errorf("%d signatures for %d signed attempts; want 4 and 4", n, want)
			}
		})
	}
}
