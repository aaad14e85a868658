package paxos

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"encoding/base64"
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/accountkit/accountkit-go/internal/jws"
)

// jwsVectors is paxos/testdata/jws/vectors.json, made by jose (see the
// README beside it).
type jwsVectors struct {
	Keys struct {
		Ed25519 struct {
			KID string `json:"kid"`
			JWK jwk    `json:"jwk"`
		} `json:"ed25519"`
		ES256 struct {
			KID string `json:"kid"`
			JWK jwk    `json:"jwk"`
		} `json:"es256"`
	} `json:"keys"`
	SignedAt      int64 `json:"signed_at"`
	Deterministic []struct {
		Name    string      `json:"name"`
		Header  [][2]string `json:"header"`
		Payload string      `json:"payload"`
		JWS     string      `json:"jws"`
	} `json:"deterministic"`
}

type jwk struct{ Crv, X, Y, D string }

func readJWSVectors(t *testing.T) *jwsVectors {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "jws", "vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var v jwsVectors
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	return &v
}

func b64(t *testing.T, s string) []byte {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (k jwk) ed25519(t *testing.T) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(b64(t, k.D))
}

func (k jwk) ecdsa(t *testing.T) *ecdsa.PrivateKey {
	key, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), b64(t, k.D))
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// TestSignerMatchesJose: Ed25519 signatures are deterministic, so the
// SDK's signer, given the members jose signed (typ, alg, kid, timestamp,
// method, path) and the payload, must produce jose's JWS byte for byte:
// the same header JSON (member order, escapes) and the same encoding.
func TestSignerMatchesJose(t *testing.T) {
	v := readJWSVectors(t)
	key := v.Keys.Ed25519.JWK.ed25519(t)
	for _, tc := range v.Deterministic {
		t.Run(tc.Name, func(t *testing.T) {
			h := map[string]string{}
			var order []string
			for _, m := range tc.Header {
				h[m[0]] = m[1]
				order = append(order, m[0])
			}
			if got := strings.Join(order, " "); got != "typ alg kid paxos.com/timestamp paxos.com/request-method paxos.com/request-path" {
				t.Fatalf("vector's member order %s is not the SDK's", got)
			}
			ts, _ := time.Parse(time.RFC3339, "1970-01-01T00:00:00Z")
			s, err := newRequestSigner(h["kid"], key, func() time.Time { return ts })
			if err != nil {
				t.Fatal(err)
			}
			var unix int64
			if err := json.Unmarshal([]byte(h[SignatureTimestamp]), &unix); err != nil {
				t.Fatal(err)
			}
			header := s.header(time.Unix(unix, 0), h[SignatureMethod], h[SignaturePath])
			got, err := jws.Sign(key, s.alg, header, []byte(tc.Payload))
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.JWS {
				t.Errorf("SDK: %s\njose: %s\nSDK header: %s\njose header: %s", got, tc.JWS, header, b64(t, strings.Split(tc.JWS, ".")[0]))
			}
		})
	}
}

var jwsOut = flag.String("jws-out", "", "write JWSs the SDK made with the vectors' test keys to this file, for gen.mjs verify")

// TestWriteSDKSignatures writes, with -jws-out, JWSs the SDK's signer made
// over sample requests with the vectors' keys, so that jose can check
// them: node gen.mjs verify <file> (see testdata/jws/README.md).
func TestWriteSDKSignatures(t *testing.T) {
	if *jwsOut == "" {
		t.Skip("-jws-out not set")
	}
	v := readJWSVectors(t)
	type out struct {
		Name string `json:"name"`
		KID  string `json:"kid"`
		JWS  string `json:"jws"`
	}
	var list []out
	for _, k := range []struct {
		kid string
		key crypto.Signer
	}{{v.Keys.ES256.KID, v.Keys.ES256.JWK.ecdsa(t)}, {v.Keys.Ed25519.KID, v.Keys.Ed25519.JWK.ed25519(t)}} {
		s, err := newRequestSigner(k.kid, k.key, time.Now)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range []struct{ method, target, body string }{
			{"GET", "https://api.sandbox.paxos.com/v2/identity/accounts/7a3f5e2c-93d4-4c1e-8d3b-1f2a6b9c0d11", ""},
			{"GET", "https://api.sandbox.paxos.com/v2/identity/accounts?identity_id=0acd56b7&limit=2", ""},
			{"POST", "https://api.sandbox.paxos.com/v2/identity/accounts", `{"account":{"identity_id":"0acd56b7"}}`},
			{"DELETE", "https://api.sandbox.paxos.com/v2/identity/account-members/m%2F1", ""},
		} {
			req, err := http.NewRequest(r.method, r.target, strings.NewReader(r.body))
			if err != nil {
				t.Fatal(err)
			}
			if r.body == "" {
				req.Body = http.NoBody
			}
			if err := s.sign(req); err != nil {
				t.Fatal(err)
			}
			list = append(list, out{s.alg + " " + r.method + " " + req.URL.RequestURI(), k.kid, req.Header.Get(HeaderSignature)})
		}
	}
	data, err := json.MarshalIndent(list, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(*jwsOut, append(data, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
}
