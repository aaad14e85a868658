package paxos_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/accountkit/accountkit-go"
	"github.com/accountkit/accountkit-go/internal/jws"
	"github.com/accountkit/accountkit-go/paxos"
	"github.com/accountkit/accountkit-go/paxos/paxostest"
)

// countingSigner hides a key behind crypto.Signer, as a KMS client does,
// and counts its signatures.
type countingSigner struct {
	key crypto.Signer
	n   atomic.Int64
}

func (c *countingSigner) Public() crypto.PublicKey { return c.key.Public() }
func (c *countingSigner) Sign(r io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	c.n.Add(1)
	return c.key.Sign(r, digest, opts)
}

func signingKeys(t *testing.T) map[string]crypto.Signer {
	t.Helper()
	es, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	_, ed, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]crypto.Signer{"ES256": es, "EdDSA": ed}
}

// signedFake starts a fake that requires signatures by key and a client
// that signs with it.
func signedFake(t *testing.T, key crypto.Signer, fakeOpts ...paxostest.Option) (*paxostest.Server, *paxos.Client) {
	t.Helper()
	srv := paxostest.NewServer(append([]paxostest.Option{paxostest.WithRequestSigning("key-1", key.Public())}, fakeOpts...)...)
	t.Cleanup(srv.Close)
	c, err := srv.NewClient(paxos.WithRequestSigning("key-1", key), paxos.WithRetryBackoff(time.Millisecond, 2*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

// TestRequestSigning drives every operation through a fake that requires
// signatures, with each kind of key, and checks what each request
// carried: a JWS of the key's algorithm over the exact body, for the
// method and the path with its query.
func TestRequestSigning(t *testing.T) {
	for alg, key := range signingKeys(t) {
		t.Run(alg, func(t *testing.T) {
			srv, c := signedFake(t, key)
			ctx := t.Context()
			a, err := c.CreateAccount(ctx, paxos.CreateAccountRequest{Account: paxos.Account{IdentityID: "owner", RefID: "ref/1 é"}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.GetAccount(ctx, a.ID); err != nil {
				t.Fatal(err)
			}
			for _, err := range c.ListAccounts(ctx, &paxos.ListAccountsParams{IdentityID: "owner", Limit: 2}) {
				if err != nil {
					t.Fatal(err)
				}
			}
			if _, err := c.AddMember(ctx, a.ID, paxos.AccountMember{IdentityID: "m1", Roles: []paxos.Role{paxos.RoleAuthorizedUser}}); err != nil {
				t.Fatal(err)
			}
			added, err := c.AddAccountMembers(ctx, a.ID, paxos.AccountMember{IdentityID: "m2", Roles: []paxos.Role{paxos.RoleAuthorizedUser}})
			if err != nil {
				t.Fatal(err)
			}
			if err := c.DeleteAccountMember(ctx, added[len(added)-1].ID); err != nil {
				t.Fatal(err)
			}
			reqs := srv.Requests()
			if len(reqs) < 7 {
				t.Fatalf("%d requests", len(reqs))
			}
			for _, r := range reqs {
				j, err := jws.Parse(r.Header.Get(paxos.HeaderSignature))
				if err != nil {
					t.Fatalf("%s %s: %v", r.Method, r.Path, err)
				}
				if err := j.Verify(key.Public()); err != nil {
					t.Errorf("%s %s: %v", r.Method, r.Path, err)
				}
				target := "/v2" + r.Path
				if r.Query != "" {
					target += "?" + r.Query
				}
				ts, _ := strconv.ParseInt(j.Param(paxos.SignatureTimestamp), 10, 64)
				if j.Param("alg") != alg || j.Param("typ") != "JWT" || j.Param("kid") != "key-1" ||
					j.Param(paxos.SignatureMethod) != r.Method || j.Param(paxos.SignaturePath) != target ||
					string(j.Payload) != string(r.Body) || time.Since(time.Unix(ts, 0)).Abs() > time.Minute {
					t.Errorf("%s %s?%s body %q: signed %v over %q", r.Method, r.Path, r.Query, r.Body, j.Header, j.Payload)
				}
			}
		})
	}
}

// TestRetriesSignedAfresh: every attempt is signed again (a new
// timestamp, a new signature), and only through the key's Sign method:
// the signer counts exactly one signature per attempt.
func TestRetriesSignedAfresh(t *testing.T) {
	for alg, key := range signingKeys(t) {
		t.Run(alg, func(t *testing.T) {
			signer := &countingSigner{key: key}
			srv, c := signedFake(t, signer)
			a := srv.AddAccount(paxos.Account{IdentityID: "owner"})
			srv.FailNext(2, http.StatusServiceUnavailable)
			if _, err := c.GetAccount(t.Context(), a.ID); err != nil {
				t.Fatal(err)
			}
			reqs := srv.Requests()
			if len(reqs) != 3 || signer.n.Load() != 3 {
				t.Fatalf("%d attempts, %d signatures; want 3 and 3", len(reqs), signer.n.Load())
			}
			seen := map[string]bool{}
			for _, r := range reqs {
				seen[r.Header.Get(paxos.HeaderSignature)] = true
			}
			if alg == "ES256" && len(seen) != 3 { // Ed25519 repeats itself within one second
				t.Errorf("%d distinct signatures over 3 attempts", len(seen))
			}
		})
	}
}

// TestTokenRequestNotSigned: the token endpoint is on another host and
// is not signed; the API requests are.
func TestTokenRequestNotSigned(t *testing.T) {
	key := signingKeys(t)["EdDSA"]
	srv := paxostest.NewServer(paxostest.WithRequestSigning("key-1", key.Public()))
	defer srv.Close()
	rec := &recordingTransport{}
	c, err := srv.NewClient(paxos.WithRequestSigning("key-1", key), paxos.WithHTTPClient(&http.Client{Transport: rec}))
	if err != nil {
		t.Fatal(err)
	}
	a := srv.AddAccount(paxos.Account{IdentityID: "owner"})
	if _, err := c.GetAccount(t.Context(), a.ID); err != nil {
		t.Fatal(err)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.signed) != 2 || rec.signed[paxostest.TokenPath] || !rec.signed["/v2/identity/accounts/"+a.ID] {
		t.Errorf("signed by path: %v", rec.signed)
	}
}

type recordingTransport struct {
	mu     sync.Mutex
	signed map[string]bool // path -> carried a signature
}

func (t *recordingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.mu.Lock()
	if t.signed == nil {
		t.signed = map[string]bool{}
	}
	t.signed[r.URL.Path] = r.Header.Get(paxos.HeaderSignature) != ""
	t.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

// TestFakeRefusesStaleOrForeignSignatures: a signature older than 30
// minutes, or made by a key other than the registered one, is refused
// with 401, and the call fails with an *accountkit.APIError.
func TestFakeRefusesStaleOrForeignSignatures(t *testing.T) {
	keys := signingKeys(t)
	for name, tc := range map[string]struct {
		client crypto.Signer
		opts   []paxostest.Option
		detail string
	}{
		"expired": {keys["ES256"], []paxostest.Option{paxostest.WithSignatureClock(func() time.Time {
			return time.Now().Add(paxos.SignatureValidity + time.Minute)
		})}, "expired"},
		"another key": {signingKeys(t)["ES256"], nil, "does not verify"},
	} {
		t.Run(name, func(t *testing.T) {
			srv := paxostest.NewServer(append([]paxostest.Option{paxostest.WithRequestSigning("key-1", keys["ES256"].Public())}, tc.opts...)...)
			defer srv.Close()
			c, err := srv.NewClient(paxos.WithRequestSigning("key-1", tc.client), paxos.WithMaxRetries(0))
			if err != nil {
				t.Fatal(err)
			}
			a := srv.AddAccount(paxos.Account{IdentityID: "owner"})
			_, err = c.GetAccount(t.Context(), a.ID)
			var apiErr *accountkit.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusUnauthorized || !strings.Contains(apiErr.Detail, tc.detail) {
				t.Errorf("GetAccount = %v, want a 401 saying %q", err, tc.detail)
			}
		})
	}
}

// failingSigner has a P-256 public key but panics or fails when asked to
// sign, as a broken KMS client might.
type failingSigner struct {
	pub   crypto.PublicKey
	panic bool
}

func (f failingSigner) Public() crypto.PublicKey { return f.pub }
func (f failingSigner) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) {
	if f.panic {
		panic("kms gone")
	}
	return nil, errors.New("kms refused")
}

func TestNewClientRefusesSigningKeys(t *testing.T) {
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 1024)
	es := signingKeys(t)["ES256"].(*ecdsa.PrivateKey)
	var nilKey *ecdsa.PrivateKey
	for name, tc := range map[string]struct {
		keyID string
		key   crypto.Signer
		want  string
	}{
		"P-384":              {"k", p384, "P-256"},
		"RSA":                {"k", rsaKey, "Ed25519"},
		"nil":                {"k", nil, "no signing key"},
		"typed nil":          {"k", nilKey, "no signing key"},
		"no key id":          {"", es, "key id"},
		"no private scalar":  {"k", &ecdsa.PrivateKey{PublicKey: es.PublicKey}, "no usable private key"},
		"short Ed25519 key":  {"k", ed25519.PrivateKey(make([]byte, 5)), "cannot be used"},
		"Ed25519 wrong half": {"k", append(ed25519.PrivateKey{}, append(signingKeys(t)["EdDSA"].(ed25519.PrivateKey)[:32:32], make([]byte, 32)...)...), "no usable private key"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := paxos.NewClient(paxos.Sandbox, paxos.WithClientCredentials("id", "secret"), paxos.WithRequestSigning(tc.keyID, tc.key))
			if !errors.Is(err, accountkit.ErrInvalidRequest) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("NewClient = %v, want ErrInvalidRequest saying %q", err, tc.want)
			}
		})
	}
}

// TestBrokenRemoteSignerFailsTheCall: a remote key is not trial-signed at
// NewClient; when it fails or panics at a request, the call fails with
// that error, nothing is sent, and nothing panics.
func TestBrokenRemoteSignerFailsTheCall(t *testing.T) {
	pub := signingKeys(t)["ES256"].Public()
	for _, panics := range []bool{false, true} {
		srv, c := signedFake(t, failingSigner{pub: pub, panic: panics})
		a := srv.AddAccount(paxos.Account{IdentityID: "owner"})
		_, err := c.GetAccount(t.Context(), a.ID)
		want := map[bool]string{false: "kms refused", true: "kms gone"}[panics]
		if err == nil || !strings.Contains(err.Error(), want) || len(srv.Requests()) != 0 {
			t.Errorf("GetAccount = %v after %d requests; want an error saying %q and none sent", err, len(srv.Requests()), want)
		}
	}
}

// TestParsePrivateKey reads the PEM forms openssl writes, and the key it
// returns signs requests.
func TestParsePrivateKey(t *testing.T) {
	es := signingKeys(t)["ES256"].(*ecdsa.PrivateKey)
	ed := signingKeys(t)["EdDSA"]
	pkcs8 := func(k any) []byte {
		der, err := x509.MarshalPKCS8PrivateKey(k)
		if err != nil {
			t.Fatal(err)
		}
		return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	}
	sec1, err := x509.MarshalECPrivateKey(es)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"PKCS #8 P-256":   pkcs8(es),
		"PKCS #8 Ed25519": pkcs8(ed),
		"SEC 1 P-256":     pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: sec1}),
	} {
		key, err := paxos.ParsePrivateKey(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := paxos.NewClient(paxos.Sandbox, paxos.WithClientCredentials("id", "secret"), paxos.WithRequestSigning("k", key)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, bad := range []string{"", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"} {
		if _, err := paxos.ParsePrivateKey([]byte(bad)); err == nil || !strings.HasPrefix(err.Error(), "paxos: ParsePrivateKey: ") {
			t.Errorf("ParsePrivateKey(%q) = %v", bad, err)
		}
	}
	if _, err := paxos.LoadPrivateKey(filepath.Join(t.TempDir(), "missing.pem")); err == nil {
		t.Error("LoadPrivateKey of a missing file succeeded")
	}
}
