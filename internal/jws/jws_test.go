package jws

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"math/big"
	"strings"
	"testing"
)

func mustECDSA(t testing.TB, c elliptic.Curve) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(c, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func mustEd25519(t testing.TB) ed25519.PrivateKey {
	t.Helper()
	_, k, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// opaque hides a key behind crypto.Signer, as a KMS or HSM client does.
type opaque struct{ crypto.Signer }

type panicking struct{ pub crypto.PublicKey }

func (p panicking) Public() crypto.PublicKey { return p.pub }
func (p panicking) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) {
	panic("hardware gone")
}

type panicsOnPublic struct{}

func (panicsOnPublic) Public() crypto.PublicKey { panic("no public key") }
func (panicsOnPublic) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) {
	return nil, nil
}

func TestSignVerifyRoundTrip(t *testing.T) {
	for name, key := range map[string]crypto.Signer{
		"ES256":         mustECDSA(t, elliptic.P256()),
		"EdDSA":         mustEd25519(t),
		"ES256 opaque":  opaque{mustECDSA(t, elliptic.P256())},
		"EdDSA opaque":  opaque{mustEd25519(t)},
		"EdDSA pointer": ptr(mustEd25519(t)),
	} {
		t.Run(name, func(t *testing.T) {
			if err := CheckKey(key); err != nil {
				t.Fatal(err)
			}
			alg, err := Alg(key.Public())
			if err != nil {
				t.Fatal(err)
			}
			header := AppendHeader(nil, Member{"typ", "JWT"}, Member{"alg", alg}, Member{"kid", "k1"})
			for _, payload := range []string{"", `{"a":1}`} {
				compact, err := Sign(key, alg, header, []byte(payload))
				if err != nil {
					t.Fatal(err)
				}
				parts := strings.Split(compact, ".")
				if len(parts) != 3 || strings.ContainsAny(compact, "=+/") {
					t.Fatalf("not a compact JWS in base64url without padding: %q", compact)
				}
				sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
				if len(sig) != 64 {
					t.Errorf("signature of %d bytes, want 64 (r||s for ES256)", len(sig))
				}
				j, err := Parse(compact)
				if err != nil {
					t.Fatal(err)
				}
				if err := j.Verify(key.Public()); err != nil {
					t.Fatal(err)
				}
				if string(j.Payload) != payload || j.Param("kid") != "k1" || j.Param("alg") != alg {
					t.Errorf("parsed %q with header %v", j.Payload, j.Header)
				}
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestCheckKeyRefuses(t *testing.T) {
	p256 := mustECDSA(t, elliptic.P256())
	rsaKey, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	var nilECDSA *ecdsa.PrivateKey
	for name, tc := range map[string]struct {
		key  crypto.Signer
		want string
	}{
		"nil":                      {nil, "no signing key"},
		"typed nil":                {nilECDSA, "no signing key"},
		"P-384":                    {mustECDSA(t, elliptic.P384()), "P-256"},
		"P-521":                    {mustECDSA(t, elliptic.P521()), "P-256"},
		"RSA":                      {rsaKey, "ECDSA P-256 (ES256) or an Ed25519"},
		"no private scalar":        {&ecdsa.PrivateKey{PublicKey: p256.PublicKey}, "no usable private key"},
		"private half of another":  {&ecdsa.PrivateKey{PublicKey: mustECDSA(t, elliptic.P256()).PublicKey, D: p256.D}, "no usable private key"},
		"short Ed25519 key":        {ed25519.PrivateKey(make([]byte, 10)), "cannot be used"},
		"Ed25519 of the wrong key": {append(append(ed25519.PrivateKey{}, mustEd25519(t)[:32]...), mustEd25519(t)[32:]...), "no usable private key"},
		"panicking Public":         {panicsOnPublic{}, "cannot be used"},
	} {
		t.Run(name, func(t *testing.T) {
			err := CheckKey(tc.key)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("CheckKey = %v, want an error containing %q", err, tc.want)
			}
		})
	}
	// A remote key is not trial-signed (that could cost a KMS call), so a
	// panicking one passes the check and fails, without a panic, at Sign.
	bad := panicking{p256.Public()}
	if err := CheckKey(bad); err != nil {
		t.Fatalf("CheckKey(remote key) = %v", err)
	}
	if _, err := Sign(bad, ES256, []byte(`{}`), nil); err == nil || !strings.Contains(err.Error(), "hardware gone") {
		t.Errorf("Sign with a panicking key = %v", err)
	}
}

// TestRawECDSA: the DER signature a crypto.Signer makes becomes r||s with
// each half left-padded to 32 bytes; a signature already 64 bytes long
// passes through; anything else is refused.
func TestRawECDSA(t *testing.T) {
	der, _ := asn1.Marshal(struct{ R, S *big.Int }{big.NewInt(1), big.NewInt(0x0203)})
	raw, err := rawECDSA(der)
	if err != nil {
		t.Fatal(err)
	}
	want := make([]byte, 64)
	want[31], want[62], want[63] = 1, 2, 3
	if string(raw) != string(want) {
		t.Errorf("rawECDSA = %x", raw)
	}
	sixtyFour := make([]byte, 64)
	sixtyFour[0] = 0xff
	if got, err := rawECDSA(sixtyFour); err != nil || string(got) != string(sixtyFour) {
		t.Errorf("rawECDSA(64 raw bytes) = %x, %v", got, err)
	}
	for name, bad := range map[string][]byte{
		"garbage":     []byte("xyz"),
		"zero r":      mustDER(big.NewInt(0), big.NewInt(1)),
		"r too large": mustDER(elliptic.P256().Params().N, big.NewInt(1)),
		"trailing":    append(mustDER(big.NewInt(1), big.NewInt(1)), 0),
	} {
		if _, err := rawECDSA(bad); err == nil {
			t.Errorf("%s: rawECDSA accepted %x", name, bad)
		}
	}
}

func mustDER(r, s *big.Int) []byte {
	b, err := asn1.Marshal(struct{ R, S *big.Int }{r, s})
	if err != nil {
		panic(err)
	}
	return b
}

func TestParseAndVerifyRefuse(t *testing.T) {
	es := mustECDSA(t, elliptic.P256())
	ed := mustEd25519(t)
	good, err := Sign(es, ES256, []byte(`{"alg":"ES256","kid":"k"}`), []byte("body"))
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, ".")
	der, _ := es.Sign(rand.Reader, sha256Sum(parts[0]+"."+parts[1]), crypto.SHA256)
	enc := base64.RawURLEncoding.EncodeToString
	for name, tc := range map[string]struct {
		compact string
		key     crypto.PublicKey
	}{
		"two parts":          {parts[0] + "." + parts[1], es.Public()},
		"four parts":         {good + ".x", es.Public()},
		"padding":            {parts[0] + "=." + parts[1] + "." + parts[2], es.Public()},
		"header not JSON":    {enc([]byte("nope")) + "." + parts[1] + "." + parts[2], es.Public()},
		"no alg":             {enc([]byte(`{"kid":"k"}`)) + "." + parts[1] + "." + parts[2], es.Public()},
		"crit":               {enc([]byte(`{"alg":"ES256","crit":["b64"],"b64":false}`)) + "." + parts[1] + "." + parts[2], es.Public()},
		"alg none":           {enc([]byte(`{"alg":"none"}`)) + "." + parts[1] + ".", es.Public()},
		"alg of another key": {good, ed.Public()},
		"wrong key":          {good, mustECDSA(t, elliptic.P256()).Public()},
		"tampered payload":   {parts[0] + "." + enc([]byte("bodY")) + "." + parts[2], es.Public()},
		"DER signature":      {parts[0] + "." + parts[1] + "." + enc(der), es.Public()},
		"P-384 key":          {good, mustECDSA(t, elliptic.P384()).Public()},
	} {
		t.Run(name, func(t *testing.T) {
			j, err := Parse(tc.compact)
			if err == nil {
				err = j.Verify(tc.key)
			}
			if err == nil {
				t.Errorf("%q accepted", tc.compact)
			}
		})
	}
}

func sha256Sum(s string) []byte {
	d := sha256.Sum256([]byte(s))
	return d[:]
}

// TestAppendHeaderIsJSON: whatever the values, the header is a JSON object
// that decodes to them, members in the given order.
func TestAppendHeaderIsJSON(t *testing.T) {
	for _, v := range []string{"", "plain", `quote " backslash \ slash /`, "ctl \x00\x01\x1f\b\f\n\r\t", "é€😀 \u2028 <>&", "bad \xff utf-8"} {
		h := AppendHeader(nil, Member{"z", "first"}, Member{"a", v})
		var got map[string]string
		if err := json.Unmarshal(h, &got); err != nil {
			t.Fatalf("%q: %s is not JSON: %v", v, h, err)
		}
		want := strings.ToValidUTF8(v, "\ufffd")
		if got["a"] != want || got["z"] != "first" || !strings.HasPrefix(string(h), `{"z":"first",`) {
			t.Errorf("%q: header %s decodes to %q", v, h, got)
		}
	}
}

func TestAlgRefusesBrokenPublicKeys(t *testing.T) {
	for name, pub := range map[string]crypto.PublicKey{
		"short Ed25519": ed25519.PublicKey(make([]byte, 31)),
		"nil ECDSA":     (*ecdsa.PublicKey)(nil),
		"no curve":      &ecdsa.PublicKey{},
		"nil":           nil,
	} {
		if _, err := Alg(pub); err == nil {
			t.Errorf("%s: Alg accepted it", name)
		}
	}
	if _, err := Alg(errors.New("not a key")); err == nil {
		t.Error("Alg accepted an error value")
	}
}
