package paxostest_test

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/accountkit/accountkit-go/paxos"
	"github.com/accountkit/accountkit-go/paxos/paxostest"
)

// signatureVectors is ../testdata/jws/vectors.json: requests signed by
// jose, an independent JOSE implementation (see the README beside it).
type signatureVectors struct {
	Keys struct {
		Ed25519 struct {
			KID string            `json:"kid"`
			JWK map[string]string `json:"jwk"`
		} `json:"ed25519"`
		ES256 struct {
			KID string            `json:"kid"`
			JWK map[string]string `json:"jwk"`
		} `json:"es256"`
	} `json:"keys"`
	Accepted []signedRequest `json:"accepted"`
	Refused  []signedRequest `json:"refused"`
}

type signedRequest struct {
	Name      string `json:"name"`
	Method    string `json:"method"`
	Path      string `json:"path"`
	Body      string `json:"body"`
	CheckedAt int64  `json:"checked_at"`
	JWS       string `json:"jws"`
	Status    int    `json:"status"`
	Reason    string `json:"reason"`
}

func readSignatureVectors(t *testing.T) *signatureVectors {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "jws", "vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var v signatureVectors
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	return &v
}

func unb64(t *testing.T, s string) []byte {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// vectorFake is a fake that requires signatures by the vectors' keys,
// checked at checkedAt, with the account and member the vectors use.
func vectorFake(t *testing.T, v *signatureVectors, checkedAt int64) *paxostest.Fake {
	t.Helper()
	es := &ecdsa.PublicKey{Curve: elliptic.P256(),
		X: new(big.Int).SetBytes(unb64(t, v.Keys.ES256.JWK["x"])), Y: new(big.Int).SetBytes(unb64(t, v.Keys.ES256.JWK["y"]))}
	ed := ed25519.PublicKey(unb64(t, v.Keys.Ed25519.JWK["x"]))
	fake := paxostest.New(
		paxostest.WithRequestSigning(v.Keys.ES256.KID, es),
		paxostest.WithRequestSigning(v.Keys.Ed25519.KID, ed),
		paxostest.WithSignatureClock(func() time.Time { return time.Unix(checkedAt, 0) }),
	)
	fake.AddToken("vector-token")
	fake.AddAccount(paxos.Account{ID: "7a3f5e2c-93d4-4c1e-8d3b-1f2a6b9c0d11", IdentityID: "0acd56b7-140b-4b29-83e4-7e717f03afd9",
		Members: []paxos.AccountMember{{IdentityID: "0acd56b7-140b-4b29-83e4-7e717f03afd9", Roles: []paxos.Role{paxos.RoleBeneficialOwner}}}})
	return fake
}

func serveVector(fake *paxostest.Fake, r signedRequest) *httptest.ResponseRecorder {
	req := httptest.NewRequest(r.Method, r.Path, strings.NewReader(r.Body))
	req.Header.Set("Authorization", "Bearer vector-token")
	if r.Body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.JWS != "" {
		req.Header.Set(paxos.HeaderSignature, r.JWS)
	}
	rec := httptest.NewRecorder()
	fake.ServeHTTP(rec, req)
	return rec
}

// TestFakeAcceptsJoseSignatures replays requests that jose signed (ES256
// and EdDSA): the fake's verifier accepts each, and serves it.
func TestFakeAcceptsJoseSignatures(t *testing.T) {
	v := readSignatureVectors(t)
	if len(v.Accepted) < 5 {
		t.Fatalf("%d accepted vectors", len(v.Accepted))
	}
	for _, r := range v.Accepted {
		t.Run(r.Name, func(t *testing.T) {
			rec := serveVector(vectorFake(t, v, r.CheckedAt), r)
			if rec.Code != http.StatusOK {
				t.Errorf("%s %s: %d %s", r.Method, r.Path, rec.Code, rec.Body)
			}
		})
	}
}

// TestFakeRefusesBadSignatures replays the vectors the fake must refuse
// (expired, wrong key, tampered, DER, mismatched method, path, query or
// body, ...), each with the status Paxos's kind of failure gets, and a
// request with no signature at all.
func TestFakeRefusesBadSignatures(t *testing.T) {
	v := readSignatureVectors(t)
	if len(v.Refused) < 10 {
		t.Fatalf("%d refused vectors", len(v.Refused))
	}
	unsigned := signedRequest{Name: "no signature", Method: "GET", Path: "/v2/identity/accounts/7a3f5e2c-93d4-4c1e-8d3b-1f2a6b9c0d11",
		CheckedAt: v.Accepted[0].CheckedAt, Status: 401, Reason: "has no Paxos-Signature header"}
	for _, r := range append(v.Refused, unsigned) {
		t.Run(r.Name, func(t *testing.T) {
			rec := serveVector(vectorFake(t, v, r.CheckedAt), r)
			var p struct {
				Type   string `json:"type"`
				Status int    `json:"status"`
				Detail string `json:"detail"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
				t.Fatalf("%d answer is not a problem document: %s", rec.Code, rec.Body)
			}
			if rec.Code != r.Status || p.Status != r.Status || rec.Header().Get("Content-Type") != "application/problem+json" || !strings.Contains(p.Detail, r.Reason) || r.Reason == "" {
				t.Errorf("%d %s %+v; want %d problem+json saying %q", rec.Code, rec.Header().Get("Content-Type"), p, r.Status, r.Reason)
			}
		})
	}
}

// TestSignaturesOptional: without a registered key the fake takes
// unsigned requests, as Paxos does until signing is enabled; once a key is
// registered it requires signatures.
func TestSignaturesOptional(t *testing.T) {
	srv := paxostest.NewServer()
	defer srv.Close()
	c, err := srv.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	a, err := c.CreateAccount(t.Context(), paxos.CreateAccountRequest{Account: paxos.Account{IdentityID: "owner"}})
	if err != nil {
		t.Fatal(err)
	}
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	if err := srv.RegisterSigningKey("k1", key.Public()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetAccount(t.Context(), a.ID); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("unsigned GetAccount after RegisterSigningKey = %v, want 401", err)
	}
	signed, err := srv.NewClient(paxos.WithRequestSigning("k1", key))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := signed.GetAccount(t.Context(), a.ID); err != nil {
		t.Errorf("signed GetAccount: %v", err)
	}
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err := srv.RegisterSigningKey("k2", p384.Public()); err == nil {
		t.Error("RegisterSigningKey took a P-384 key")
	}
}

// TestSignedClientThroughPrefix: the fake checks the path the client sent
// and signed, before the mux in front of it strips its prefix.
func TestSignedClientThroughPrefix(t *testing.T) {
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	fake := paxostest.New(paxostest.WithRequestSigning("k1", key.Public()))
	mux := http.NewServeMux()
	mux.Handle("/paxos/", http.StripPrefix("/paxos", fake))
	ts := httptest.NewServer(mux)
	defer ts.Close()
	c, err := fake.NewClientAt(ts.URL+"/paxos", paxos.WithRequestSigning("k1", key))
	if err != nil {
		t.Fatal(err)
	}
	a, err := c.CreateAccount(t.Context(), paxos.CreateAccountRequest{Account: paxos.Account{IdentityID: "owner", RefID: "r 1"}})
	if err != nil {
		t.Fatal(err)
	}
	for got, err := range c.ListAccounts(t.Context(), &paxos.ListAccountsParams{IdentityID: "owner", Limit: 5}) {
		if err != nil || got.ID != a.ID {
			t.Fatalf("ListAccounts: %v, %v", got, err)
		}
	}
	reqs := fake.Requests()
	if len(reqs) != 2 || reqs[1].Header.Get(paxos.HeaderSignature) == "" {
		t.Errorf("requests %+v", reqs)
	}
}
