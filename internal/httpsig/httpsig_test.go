package httpsig

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/accountkit/accountkit-go/internal/fixture"
)

// Fixed keys, nonce and time make the vectors deterministic.
var (
	vectorTime  = time.Unix(1767323045, 0) // 2026-01-02T03:04:05Z
	vectorNonce = "3f1c8a4e-2b7d-4e9a-9c61-5d0e7b2a8f14"
	vectorEd    = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{0x42}, ed25519.SeedSize))
	vectorP521  = mustP521(append([]byte{0x01}, bytes.Repeat([]byte{0x07}, 65)...))
)

func mustP521(d []byte) *ecdsa.PrivateKey {
	k, err := ecdsa.ParseRawPrivateKey(elliptic.P521(), d)
	if err != nil {
		panic(err)
	}
	return k
}

const vectorBody = `{"user_id":"413715f2-5401-4b97-8055-034a6b879f8c","type":"PERSONAL"}`

// vectorRequest is a create-account-group request as the client sends it.
func vectorRequest() *http.Request {
	req, _ := http.NewRequest(http.MethodPost, "https://sandbox.upvest.co/account_groups?dry_run=false", strings.NewReader(vectorBody))
	req.Header.Set("Authorization", "Bearer token-123")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", "8a9ee4a2-0b79-4e47-9a7d-6c0a1f3e5b21")
	req.Header.Set("Upvest-Client-Id", "c1e5b1a2-0000-4000-8000-000000000001")
	req.Header.Set("Upvest-Api-Version", "1")
	req.Header.Set("Upvest-Signature-Version", "15")
	req.Header.Set("User-Agent", "accountkit-go/test") // excluded
	req.Header.Set("X-Trace", "abc")                   // excluded
	req.Header.Set("Accept-Encoding", "gzip")          // excluded
	return req
}

func vectorSigner(key crypto.Signer) *Signer {
	return &Signer{KeyID: "key-1", Key: key, Now: func() time.Time { return vectorTime }, Nonce: func() string { return vectorNonce }}
}

// TestVectors signs the same request with fixed keys, nonce and time and
// compares everything with golden files: the base, the headers and, for
// Ed25519 (deterministic), the signature itself. ECDSA signatures are
// randomised, so the P-521 one is checked by verifying it.
func TestVectors(t *testing.T) {
	for name, key := range map[string]crypto.Signer{"ed25519": vectorEd, "p521": vectorP521} {
		t.Run(name, func(t *testing.T) {
			req := vectorRequest()
			if err := vectorSigner(key).Sign(req, []byte(vectorBody)); err != nil {
				t.Fatal(err)
			}
			ins, err := ParseSignatureInput(req.Header.Get(HeaderSignatureInput))
			if err != nil {
				t.Fatal(err)
			}
			base, err := inputBase(req, &ins[0], 15)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{
				"signature_base":  string(base),
				"signature_input": req.Header.Get(HeaderSignatureInput),
				"content_digest":  req.Header.Get(HeaderContentDigest),
			}
			if name == "ed25519" {
				got["signature"] = req.Header.Get(HeaderSignature)
			}
			fixture.Golden(t, "vector_"+name, got)
			if _, err := Verify(req, []byte(vectorBody), verifyAt(key.Public())); err != nil {
				t.Errorf("the vector does not verify: %v", err)
			}
		})
	}
}

func verifyAt(pub crypto.PublicKey) VerifyOptions {
	return VerifyOptions{
		Now: func() time.Time { return vectorTime.Add(2 * time.Second) },
		Key: func(id string) (crypto.PublicKey, error) {
			if id != "key-1" {
				return nil, ErrUnknownKey
			}
			return pub, nil
		},
		Required: []string{"authorization", "idempotency-key"},
	}
}

func TestComponents(t *testing.T) {
	got := strings.Join(Components(vectorRequest()), " ")
	// upvest-signature-version falls under the excluded upvest-signature
	// prefix; user-agent, accept-encoding and x- headers are excluded too.
	want := "@method @path @query accept authorization content-type idempotency-key upvest-api-version upvest-client-id"
	if got != want {
		t.Errorf("Components = %s\nwant %s", got, want)
	}
}

// TestVerifyRejects tampers with a signed request in every way that
// matters and checks each is refused with the right error.
func TestVerifyRejects(t *testing.T) {
	other, _ := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	for _, tc := range []struct {
		name   string
		tamper func(req *http.Request, body *[]byte, opts *VerifyOptions)
		want   error
	}{
		{"unsigned", func(req *http.Request, _ *[]byte, _ *VerifyOptions) { req.Header.Del(HeaderSignature) }, ErrNoSignature},
		{"body changed", func(_ *http.Request, body *[]byte, _ *VerifyOptions) {
			*body = []byte(strings.Replace(vectorBody, "PERSONAL", "ISA", 1))
		}, ErrDigest},
		{"digest and body changed", func(req *http.Request, body *[]byte, _ *VerifyOptions) {
			*body = []byte(`{}`)
			req.Header.Set(HeaderContentDigest, ContentDigest(*body))
		}, ErrBadSignature},
		{"header changed", func(req *http.Request, _ *[]byte, _ *VerifyOptions) { req.Header.Set("Idempotency-Key", "another") }, ErrBadSignature},
		{"method changed", func(req *http.Request, _ *[]byte, _ *VerifyOptions) { req.Method = http.MethodPut }, ErrBadSignature},
		{"path changed", func(req *http.Request, _ *[]byte, _ *VerifyOptions) { req.URL.Path = "/account_groups/x" }, ErrBadSignature},
		{"query changed", func(req *http.Request, _ *[]byte, _ *VerifyOptions) { req.URL.RawQuery = "dry_run=true" }, ErrBadSignature},
		{"expired", func(_ *http.Request, _ *[]byte, o *VerifyOptions) {
			o.Now = func() time.Time { return vectorTime.Add(time.Minute) }
		}, ErrExpired},
		{"from the future", func(_ *http.Request, _ *[]byte, o *VerifyOptions) {
			o.Now = func() time.Time { return vectorTime.Add(-time.Minute) }
		}, ErrExpired},
		{"unknown key", func(_ *http.Request, _ *[]byte, o *VerifyOptions) {
			o.Key = func(string) (crypto.PublicKey, error) { return nil, ErrUnknownKey }
		}, ErrUnknownKey},
		{"wrong key", func(_ *http.Request, _ *[]byte, o *VerifyOptions) {
			o.Key = func(string) (crypto.PublicKey, error) { return &other.PublicKey, nil }
		}, ErrBadSignature},
		{"required component missing", func(_ *http.Request, _ *[]byte, o *VerifyOptions) { o.Required = []string{"upvest-request-id"} }, ErrNotCovered},
		{"garbled input", func(req *http.Request, _ *[]byte, _ *VerifyOptions) {
			req.Header.Set(HeaderSignatureInput, "sig1=(\"@method\"")
		}, ErrMalformed},
		{"garbled signature", func(req *http.Request, _ *[]byte, _ *VerifyOptions) { req.Header.Set(HeaderSignature, "sig1=:!!:") }, ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := vectorRequest()
			if err := vectorSigner(vectorP521).Sign(req, []byte(vectorBody)); err != nil {
				t.Fatal(err)
			}
			body := []byte(vectorBody)
			opts := verifyAt(&vectorP521.PublicKey)
			tc.tamper(req, &body, &opts)
			if _, err := Verify(req, body, opts); !errors.Is(err, tc.want) {
				t.Errorf("Verify = %v, want %v", err, tc.want)
			}
		})
	}
}

// TestVersion6 verifies a signature in the older format: a SHA-256 digest
// header and a base without quotes.
func TestVersion6(t *testing.T) {
	body := []byte(`{"payload":[]}`)
	req, _ := http.NewRequest(http.MethodPost, "https://hooks.example.com/upvest", bytes.NewReader(body))
	sum := sha256.Sum256(body)
	req.Header.Set("Digest", "SHA-256="+base64.StdEncoding.EncodeToString(sum[:]))
	req.Header.Set("Content-Type", "application/json")
	p := Params{Components: []string{"@method", "@path", "content-type", "digest"}, KeyID: "key-1", Created: vectorTime.Unix()}
	base, err := Base(req, p, 6)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(base), "\ndigest: SHA-256=") || !strings.HasPrefix(string(base), "@method: POST\n") {
		t.Fatalf("v6 base:\n%s", base)
	}
	sig, _ := sign(vectorP521, nil, base)
	req.Header.Set(HeaderSignatureInput, "sig1="+p.String())
	req.Header.Set(HeaderSignature, "sig1=:"+base64.StdEncoding.EncodeToString(sig)+":")
	opts := verifyAt(&vectorP521.PublicKey)
	opts.Required = nil
	res, err := Verify(req, body, opts)
	if err != nil || res.Version != 6 {
		t.Fatalf("Verify = %+v, %v; want version 6", res, err)
	}
	if _, err := Verify(req, []byte(`{"payload":[1]}`), opts); !errors.Is(err, ErrDigest) {
		t.Errorf("tampered v6 body: %v", err)
	}
}

// TestSignVersion6 round-trips a signature made in the older format.
func TestSignVersion6(t *testing.T) {
	req := vectorRequest()
	s := vectorSigner(vectorP521)
	s.Version = 6
	if err := s.Sign(req, []byte(vectorBody)); err != nil {
		t.Fatal(err)
	}
	if req.Header.Get(HeaderContentDigest) != "" || !strings.HasPrefix(req.Header.Get(HeaderDigest), "SHA-256=") {
		t.Fatalf("v6 digest headers: %v", req.Header)
	}
	res, err := Verify(req, []byte(vectorBody), verifyAt(&vectorP521.PublicKey))
	if err != nil || res.Version != 6 {
		t.Fatalf("Verify = %+v, %v", res, err)
	}
}

func TestCheckKey(t *testing.T) {
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if CheckKey(p256) == nil || CheckKey(nil) == nil {
		t.Error("CheckKey accepted a P-256 key or no key")
	}
	if CheckKey(vectorP521) != nil || CheckKey(vectorEd) != nil {
		t.Error("CheckKey refused a P-521 or Ed25519 key")
	}
}

// TestSignLeavesHeaderValuesAlone: header value slices may be shared
// between requests (a client's static headers), so signing must only read
// them.
func TestSignLeavesHeaderValuesAlone(t *testing.T) {
	shared := []string{"  padded value  ", "second"}
	req := vectorRequest()
	req.Header["Upvest-Client-Id"] = shared
	if err := vectorSigner(vectorEd).Sign(req, []byte(vectorBody)); err != nil {
		t.Fatal(err)
	}
	if shared[0] != "  padded value  " || shared[1] != "second" {
		t.Errorf("Sign changed a shared header value: %q", shared)
	}
	if _, err := Verify(req, []byte(vectorBody), verifyAt(vectorEd.Public())); err != nil {
		t.Errorf("multi-valued header: %v", err)
	}
}
