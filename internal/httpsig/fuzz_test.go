package httpsig

import (
	"crypto"
	"net/http"
	"strings"
	"testing"
)

// FuzzVerify feeds arbitrary signature headers and bodies to Verify: it
// must never panic, and must never accept what the fuzzer made up.
func FuzzVerify(f *testing.F) {
	req := vectorRequest()
	if err := vectorSigner(vectorEd).Sign(req, []byte(vectorBody)); err != nil {
		f.Fatal(err)
	}
	f.Add(req.Header.Get(HeaderSignatureInput), req.Header.Get(HeaderSignature), req.Header.Get(HeaderContentDigest), vectorBody)
	f.Add(`sig1=("@method" "digest");keyid="k";created=1`, `sig1=:AAAA:`, `SHA-256=abc`, `{}`)
	f.Add(`sig1=(`, `sig1=::`, ``, ``)
	f.Add(`=("@method");keyid=""`, `sig1=:!:`, `sha-512=::`, `x`)
	genuine := req.Header.Get(HeaderSignature)
	f.Fuzz(func(t *testing.T, input, signature, digest, body string) {
		r := vectorRequest()
		r.Header.Set(HeaderSignatureInput, input)
		r.Header.Set(HeaderSignature, signature)
		r.Header.Set(HeaderContentDigest, digest)
		res, err := Verify(r, []byte(body), VerifyOptions{
			Key:      func(string) (crypto.PublicKey, error) { return vectorEd.Public(), nil },
			Now:      verifyAt(nil).Now,
			Required: []string{"authorization"},
		})
		if err == nil && signature != genuine {
			t.Fatalf("accepted a made-up signature: %+v", res)
		}
		_, _ = ParseSignatureInput(input)
		_ = strings.TrimSpace(input)
		_ = http.MethodGet
	})
}
