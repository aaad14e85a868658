package httpsig

import (
	"crypto"
	"testing"
)

// BenchmarkSign is the cost of signing one create request (digest, base
// and signature) with each supported key type.
func BenchmarkSign(b *testing.B) {
	for name, key := range map[string]crypto.Signer{"p521": vectorP521, "ed25519": vectorEd} {
		b.Run(name, func(b *testing.B) {
			s := &Signer{KeyID: "key-1", Key: key}
			body := []byte(vectorBody)
			b.ReportAllocs()
			for b.Loop() {
				if err := s.Sign(vectorRequest(), body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkVerify is the cost of checking one signed request.
func BenchmarkVerify(b *testing.B) {
	for name, key := range map[string]crypto.Signer{"p521": vectorP521, "ed25519": vectorEd} {
		b.Run(name, func(b *testing.B) {
			req := vectorRequest()
			body := []byte(vectorBody)
			if err := vectorSigner(key).Sign(req, body); err != nil {
				b.Fatal(err)
			}
			opts := verifyAt(key.Public())
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Verify(req, body, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
