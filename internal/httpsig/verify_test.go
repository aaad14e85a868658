package httpsig

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// signAs signs req in the version 15 format with the parameters given as
// text (what follows the component list), so that tests can use any order
// and any parameter. It returns the signature-input member and the
// signature member for label.
func signAs(t *testing.T, req *http.Request, key crypto.Signer, label, components, params string) (input, signature string) {
	t.Helper()
	input = label + "=(" + components + ")" + params
	ins, err := ParseSignatureInput(input)
	if err != nil {
		t.Fatalf("ParseSignatureInput(%s): %v", input, err)
	}
	base, err := inputBase(req, &ins[0], 15)
	if err != nil {
		t.Fatal(err)
	}
	var sig []byte
	switch k := key.(type) {
	case ed25519.PrivateKey:
		sig = ed25519.Sign(k, base)
	case *ecdsa.PrivateKey:
		var digest []byte
		switch k.Curve {
		case elliptic.P256():
			d := sha256.Sum256(base)
			digest = d[:]
		case elliptic.P384():
			d := sha512.Sum384(base)
			digest = d[:]
		default:
			d := sha512.Sum512(base)
			digest = d[:]
		}
		if sig, err = ecdsa.SignASN1(rand.Reader, k, digest); err != nil {
			t.Fatal(err)
		}
	}
	return input, label + "=:" + base64.StdEncoding.EncodeToString(sig) + ":"
}

const fullComponents = `"@method" "@path" "@query" "authorization" "content-digest" "content-type" "idempotency-key"`

// signedVectorRequest is vectorRequest with its content-digest set, ready
// to be signed by signAs.
func signedVectorRequest() *http.Request {
	req := vectorRequest()
	req.Header.Set(HeaderContentDigest, ContentDigest([]byte(vectorBody)))
	return req
}

func setSignature(req *http.Request, input, signature string) {
	req.Header.Set(HeaderSignatureInput, input)
	req.Header.Set(HeaderSignature, signature)
}

func TestVerifyParameterOrders(t *testing.T) {
	created := vectorTime.Unix()
	for _, params := range []string{
		fmt.Sprintf(`;created=%d;keyid="key-1"`, created),                                    // RFC 9421's examples
		fmt.Sprintf(`;keyid="key-1";created=%d;expires=%d;nonce="n-1"`, created, created+10), // Upvest's JavaScript signer
		fmt.Sprintf(`;keyid="key-1";created=%d;nonce="n-1";expires=%d`, created, created+10), // Upvest's Java example
		fmt.Sprintf(`;nonce="n-1";expires=%d;keyid="key-1";created=%d`, created+10, created), // any other
		fmt.Sprintf(`;keyid="key-1";created=%d;alg="ecdsa-p521-sha512"`, created),            // alg matching the key
		fmt.Sprintf(`;keyid="key-1";created=%d;tag="upvest-webhook"`, created),               // tag
		fmt.Sprintf(`;keyid="key-1";created=%d;x-vendor="kept";flag`, created),               // unknown parameters
		fmt.Sprintf(`;keyid="key-1";  created=%d`, created),                                  // spaces after the semicolon
	} {
		t.Run(params, func(t *testing.T) {
			req := signedVectorRequest()
			signInto(t, req, vectorP521, "sig1", fullComponents, params)
			res, err := Verify(req, []byte(vectorBody), verifyAt(&vectorP521.PublicKey))
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if res.KeyID != "key-1" || res.Version != 15 || res.Created.Unix() != created {
				t.Errorf("result %+v", res)
			}
			// The same signature with the parameters reordered is refused:
			// the base covers them as sent.
			in := req.Header.Get(HeaderSignatureInput)
			if i := strings.Index(in, ";"); i > 0 {
				parts := strings.Split(in[i+1:], ";")
				parts[0], parts[len(parts)-1] = parts[len(parts)-1], parts[0]
				req.Header.Set(HeaderSignatureInput, in[:i+1]+strings.Join(parts, ";"))
				if _, err := Verify(req, []byte(vectorBody), verifyAt(&vectorP521.PublicKey)); err == nil && len(parts) > 1 {
					t.Errorf("reordered parameters %s verified", req.Header.Get(HeaderSignatureInput))
				}
			}
		})
	}
}

// signInto signs req as signAs does and sets its signature headers.
func signInto(t *testing.T, req *http.Request, key crypto.Signer, label, components, params string) {
	t.Helper()
	input, signature := signAs(t, req, key, label, components, params)
	setSignature(req, input, signature)
}

func TestVerifyComponentsInAnyOrder(t *testing.T) {
	req := signedVectorRequest()
	signInto(t, req, vectorEd, "sig1",
		`"content-digest" "idempotency-key" "@query" "authorization" "@path" "@method"`,
		fmt.Sprintf(`;created=%d;keyid="key-1"`, vectorTime.Unix()))
	if _, err := Verify(req, []byte(vectorBody), verifyAt(vectorEd.Public())); err != nil {
		t.Fatal(err)
	}
}

// TestVerifySeveralSignatures: one signature-input may describe several
// signatures; one by a known key that verifies is enough.
func TestVerifySeveralSignatures(t *testing.T) {
	other, _ := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	created := vectorTime.Unix()
	known := func(id string) (crypto.PublicKey, error) {
		if id == "key-1" {
			return &vectorP521.PublicKey, nil
		}
		return nil, fmt.Errorf("%w: %s", ErrUnknownKey, id)
	}
	opts := verifyAt(nil)
	opts.Key = known

	req := signedVectorRequest()
	in1, sig1 := signAs(t, req, other, "proxy", fullComponents, fmt.Sprintf(`;keyid="someone-else";created=%d`, created))
	in2, sig2 := signAs(t, req, vectorP521, "upvest", fullComponents, fmt.Sprintf(`;keyid="key-1";created=%d`, created))
	setSignature(req, in1+", "+in2, sig2+", "+sig1)
	res, err := Verify(req, []byte(vectorBody), opts)
	if err != nil || res.Label != "upvest" {
		t.Fatalf("Verify = %+v, %v; want the upvest signature", res, err)
	}

	// In two header lines, as a proxy adding its own would send them.
	req.Header.Del(HeaderSignatureInput)
	req.Header.Del(HeaderSignature)
	req.Header.Add(HeaderSignatureInput, in1)
	req.Header.Add(HeaderSignatureInput, in2)
	req.Header.Add(HeaderSignature, sig1)
	req.Header.Add(HeaderSignature, sig2)
	if _, err := Verify(req, []byte(vectorBody), opts); err != nil {
		t.Fatalf("two header lines: %v", err)
	}

	// Picked by label.
	opts.Label = "proxy"
	if _, err := Verify(req, []byte(vectorBody), opts); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("label proxy: %v, want ErrUnknownKey", err)
	}
	opts.Label = "nope"
	if _, err := Verify(req, []byte(vectorBody), opts); !errors.Is(err, ErrNoSignature) {
		t.Errorf("label nope: %v, want ErrNoSignature", err)
	}
	opts.Label = ""

	// Both by unknown keys: refused as such.
	req = signedVectorRequest()
	in2, sig2 = signAs(t, req, other, "sig2", fullComponents, fmt.Sprintf(`;keyid="third";created=%d`, created))
	setSignature(req, in1+", "+in2, sig1+", "+sig2)
	if _, err := Verify(req, []byte(vectorBody), opts); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("two unknown keys: %v", err)
	}

	// A known key's failure says more than an unknown key.
	req = signedVectorRequest()
	in2, _ = signAs(t, req, vectorP521, "sig2", fullComponents, fmt.Sprintf(`;keyid="key-1";created=%d`, created))
	setSignature(req, in1+", "+in2, sig1+", sig2=:AAAA:")
	if _, err := Verify(req, []byte(vectorBody), opts); !errors.Is(err, ErrBadSignature) {
		t.Errorf("unknown key and a bad one: %v, want ErrBadSignature", err)
	}

	// A label that appears twice is refused: the second would hide the first.
	setSignature(req, in1+", "+in1, sig1)
	if _, err := Verify(req, []byte(vectorBody), opts); !errors.Is(err, ErrMalformed) {
		t.Errorf("duplicate label: %v", err)
	}
}

func TestVerifyAlg(t *testing.T) {
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	created := vectorTime.Unix()
	for _, tc := range []struct {
		key  crypto.Signer
		alg  string
		want error
	}{
		{vectorP521, AlgECDSAP521, nil},
		{vectorEd, AlgEd25519, nil},
		{p256, AlgECDSAP256, nil},
		{p384, AlgECDSAP384, nil},
		{p384, "", nil},
		{vectorP521, AlgEd25519, ErrAlgorithm},
		{vectorEd, AlgECDSAP521, ErrAlgorithm},
		{p256, AlgECDSAP521, ErrAlgorithm},
		{vectorP521, "rsa-pss-sha512", ErrAlgorithm},
		{vectorP521, "hmac-sha256", ErrAlgorithm},
	} {
		t.Run(fmt.Sprintf("%T/%s", tc.key, tc.alg), func(t *testing.T) {
			req := signedVectorRequest()
			params := fmt.Sprintf(`;keyid="key-1";created=%d`, created)
			if tc.alg != "" {
				params += `;alg="` + tc.alg + `"`
			}
			signInto(t, req, tc.key, "sig1", fullComponents, params)
			_, err := Verify(req, []byte(vectorBody), verifyAt(tc.key.Public()))
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Errorf("Verify = %v, want %v", err, tc.want)
			}
		})
	}
}

// TestVerifyWindow checks the freshness rules, the maximum age among them:
// an expires far ahead does not keep an old signature alive.
func TestVerifyWindow(t *testing.T) {
	created := vectorTime.Unix()
	year := int64(365 * 24 * 3600)
	for _, tc := range []struct {
		name   string
		params string
		at     time.Duration // after vectorTime
		want   error
	}{
		{"fresh", fmt.Sprintf(`;keyid="key-1";created=%d;expires=%d`, created, created+10), 2 * time.Second, nil},
		{"within skew after expiry", fmt.Sprintf(`;keyid="key-1";created=%d;expires=%d`, created, created+10), 14 * time.Second, nil},
		{"expired", fmt.Sprintf(`;keyid="key-1";created=%d;expires=%d`, created, created+10), 16 * time.Second, ErrExpired},
		{"no expires, four minutes old", fmt.Sprintf(`;keyid="key-1";created=%d`, created), 4 * time.Minute, nil},
		{"no expires, six minutes old", fmt.Sprintf(`;keyid="key-1";created=%d`, created), 6 * time.Minute, ErrExpired},
		{"a year old, expires in a year", fmt.Sprintf(`;keyid="key-1";created=%d;expires=%d`, created-year, created+year), 0, ErrExpired},
		{"created in the future", fmt.Sprintf(`;keyid="key-1";created=%d`, created+60), 0, ErrExpired},
		{"no created", `;keyid="key-1"`, 0, ErrExpired},
		{"expires before created", fmt.Sprintf(`;keyid="key-1";created=%d;expires=%d`, created, created-1), 0, ErrExpired},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := signedVectorRequest()
			signInto(t, req, vectorEd, "sig1", fullComponents, tc.params)
			opts := verifyAt(vectorEd.Public())
			opts.Now = func() time.Time { return vectorTime.Add(tc.at) }
			_, err := Verify(req, []byte(vectorBody), opts)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Errorf("Verify = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestVerifyContentDigests(t *testing.T) {
	sum256 := sha256.Sum256([]byte(vectorBody))
	sum512 := sha512.Sum512([]byte(vectorBody))
	b64 := base64.StdEncoding.EncodeToString
	for _, tc := range []struct {
		digest string
		want   error
	}{
		{"sha-512=:" + b64(sum512[:]) + ":", nil},
		{"sha-256=:" + b64(sum256[:]) + ":", nil},
		{"sha-256=:" + b64(sum256[:]) + ":, sha-512=:" + b64(sum512[:]) + ":", nil},
		{"unixsum=:AAAA:, sha-256=:" + b64(sum256[:]) + ":", nil},
		{"sha-256=:" + b64(sum256[:]) + ":, sha-512=:AAAA:", ErrDigest},
		{"md5=:AAAA:", ErrDigest},
		{"sha-512=" + b64(sum512[:]), ErrDigest},
	} {
		req := vectorRequest()
		req.Header.Set(HeaderContentDigest, tc.digest)
		signInto(t, req, vectorEd, "sig1", fullComponents, fmt.Sprintf(`;keyid="key-1";created=%d`, vectorTime.Unix()))
		_, err := Verify(req, []byte(vectorBody), verifyAt(vectorEd.Public()))
		if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
			t.Errorf("content-digest %s: %v, want %v", tc.digest, err, tc.want)
		}
	}
}

func TestVerifyCoverage(t *testing.T) {
	created := vectorTime.Unix()
	for _, tc := range []struct {
		components string
		want       error
	}{
		{`"@method" "@target-uri" "authorization" "content-digest" "idempotency-key"`, nil},
		{`"@method" "@request-target" "authorization" "content-digest" "idempotency-key"`, nil},
		{`"@method" "@path" "authorization" "content-digest" "idempotency-key"`, ErrNotCovered},                    // no query
		{`"@method" "@path" "@query" "authorization" "idempotency-key"`, ErrNotCovered},                            // no digest
		{`"@path" "@query" "authorization" "content-digest" "idempotency-key"`, ErrNotCovered},                     // no method
		{`"@method" "@path" "@query" "content-digest" "idempotency-key"`, ErrNotCovered},                           // opts.Required
		{`"@method" "@path" "@query" "authorization" "content-digest" "idempotency-key" "x-absent"`, ErrMalformed}, // a header not sent
		{`"@method" "@path" "@query" "authorization" "content-digest" "idempotency-key" "@status"`, ErrMalformed},  // responses only
		{`"@method" "@path" "@query" "authorization" "content-digest" "idempotency-key" "accept";sf`, ErrMalformed},
		{`"@method" "@path" "@query" "authorization" "content-digest" "idempotency-key" "@query-param";name="dry_run"`, nil},
		{`"@method" "@path" "@query" "authorization" "content-digest" "idempotency-key" "@authority" "@scheme"`, nil},
		{`"@method" "@path" "@query" "Authorization" "content-digest" "idempotency-key"`, ErrMalformed},
		{`"@method" "@path" "@query" "authorization" "content-digest" "idempotency-key" "@path"`, ErrMalformed},
	} {
		req := signedVectorRequest()
		params := fmt.Sprintf(`;keyid="key-1";created=%d`, created)
		input := "sig1=(" + tc.components + ")" + params
		if tc.want == ErrMalformed {
			setSignature(req, input, "sig1=:AAAA:")
		} else {
			signInto(t, req, vectorEd, "sig1", tc.components, params)
		}
		_, err := Verify(req, []byte(vectorBody), verifyAt(vectorEd.Public()))
		if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
			t.Errorf("(%s): %v, want %v", tc.components, err, tc.want)
		}
	}
}

func TestParseSignatureInputBounds(t *testing.T) {
	many := make([]string, maxSignatures+1)
	for i := range many {
		many[i] = fmt.Sprintf(`s%d=("@method");keyid="k";created=1`, i)
	}
	for name, h := range map[string]string{
		"too many signatures": strings.Join(many, ", "),
		"too long":            `sig1=("` + strings.Repeat("a", maxHeaderLen) + `");keyid="k"`,
		"trailing comma":      `sig1=("@method");keyid="k",`,
		"not a list":          `sig1="@method";keyid="k"`,
		"token component":     `sig1=(@method);keyid="k"`,
		"unterminated":        `sig1=("@method";keyid="k"`,
		"bad escape":          `sig1=("@method");keyid="\k"`,
		"non-ascii":           "sig1=(\"@method\");keyid=\"k\u00e9\"",
		"created a string":    `sig1=("@method");keyid="k";created="1"`,
		"keyid a token":       `sig1=("@method");keyid=k;created=1`,
	} {
		if _, err := ParseSignatureInput(h); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: %v, want ErrMalformed", name, err)
		}
	}
	ins, err := ParseSignatureInput(`sig1=("@method" "@path");created=1;keyid="k";tag="t";alg="ed25519";nonce="n";x=?1, sig2=();keyid="j";created=2`)
	if err != nil || len(ins) != 2 {
		t.Fatalf("%v %v", ins, err)
	}
	if in := ins[0]; in.Raw != `("@method" "@path");created=1;keyid="k";tag="t";alg="ed25519";nonce="n";x=?1` || in.Tag != "t" || in.Alg != "ed25519" || in.Nonce != "n" || in.Created != 1 {
		t.Errorf("first input %+v", in)
	}
	if in := ins[1]; in.Label != "sig2" || in.Raw != `();keyid="j";created=2` || len(in.Components) != 0 {
		t.Errorf("second input %+v", in)
	}
}

// TestQueryParamRFC9421 takes its query and its component values from RFC
// 9421 section 2.2.8: a covered parameter is named by its encoded name,
// and its value is encoded again with the application/x-www-form-urlencoded
// percent-encode set, a space as %20 ("*" stays, "~" does not).
func TestQueryParamRFC9421(t *testing.T) {
	const rfcQuery = "param=value&foo=bar&baz=batman&qux="
	const rfcEncoded = "var=this%20is%20a%20big%0Amultiline%20value&bar=with+plus+whitespace&fa%C3%A7ade%22%3A%20=something"
	for _, tc := range []struct{ query, name, want string }{
		{rfcQuery, "baz", "batman"},
		{rfcQuery, "qux", ""},
		{rfcEncoded, "var", "this%20is%20a%20big%0Amultiline%20value"},
		{rfcEncoded, "bar", "with%20plus%20whitespace"},
		{rfcEncoded, "fa%C3%A7ade%22%3A%20", "something"},
		{"star=a*b&tilde=a~b&bad=100%&&sp=a%2bb+c", "star", "a*b"},
		{"star=a*b&tilde=a~b&bad=100%&&sp=a%2bb+c", "tilde", "a%7Eb"},
		{"star=a*b&tilde=a~b&bad=100%&&sp=a%2bb+c", "bad", "100%25"},
		{"star=a*b&tilde=a~b&bad=100%&&sp=a%2bb+c", "sp", "a%2Bb%20c"},
		{"bin=%FF%41", "bin", "%EF%BF%BDA"},
	} {
		got, err := queryParam(tc.query, tc.name)
		if err != nil || got != tc.want {
			t.Errorf("%s, name=%q: %q, %v; want %q", tc.query, tc.name, got, err, tc.want)
		}
	}
	// Bytes that are not UTF-8 decode as the WHATWG URL standard's parser
	// decodes them: the code points Node.js's URLSearchParams gave for
	// "a=<value>" (v20), encoded again.
	for value, points := range map[string][]rune{
		"%E2%82X":                     {0xFFFD, 'X'},
		"%E2%82":                      {0xFFFD},
		"%F0%9F%98":                   {0xFFFD},
		"%C3%28":                      {0xFFFD, '('},
		"%ED%A0%80":                   {0xFFFD, 0xFFFD, 0xFFFD},
		"%FF%41":                      {0xFFFD, 'A'},
		"%F4%90%80%80":                {0xFFFD, 0xFFFD, 0xFFFD, 0xFFFD},
		"%C0%AF":                      {0xFFFD, 0xFFFD},
		"%E0%80%80":                   {0xFFFD, 0xFFFD, 0xFFFD},
		"%F0%90%80":                   {0xFFFD},
		"%E1%80%C0":                   {0xFFFD, 0xFFFD},
		"%C3%A9%E2%82%AC%F0%9F%98%80": {0xE9, 0x20AC, 0x1F600},
	} {
		want := formEncode(string(points))
		if got, err := queryParam("a="+value, "a"); err != nil || got != want {
			t.Errorf("a=%s: %q, %v; want %q", value, got, err, want)
		}
	}
	for _, name := range []string{"façade\": ", "fa%c3%a7ade%22%3a%20", "absent"} {
		if got, err := queryParam(rfcEncoded, name); err == nil {
			t.Errorf("name=%q: %q, want an error: the name is matched in its encoded form", name, got)
		}
	}
	if _, err := queryParam("a=1&a=2", "a"); err == nil {
		t.Error("a repeated parameter was covered")
	}
}
