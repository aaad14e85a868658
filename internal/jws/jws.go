// Package jws makes and checks JSON Web Signatures (RFC 7515) in the
// compact serialization, as Paxos's request signing uses them: ES256
// (ECDSA P-256 with SHA-256, the signature as the 64-byte r||s form) and
// EdDSA (Ed25519, RFC 8037). The protected header is written with its
// members in the caller's order, so that the same header and payload
// signed with an Ed25519 key give the same JWS byte for byte, as
// JavaScript's JSON.stringify would write them.
package jws

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"unicode/utf8"

	"github.com/accountkit/accountkit-go/internal/signkey"
)

// The algorithms, as the alg header names them.
const (
	ES256 = "ES256"
	EdDSA = "EdDSA"
)

var b64 = base64.RawURLEncoding

// Alg is the algorithm a key with public half pub signs with: ES256 for an
// ECDSA P-256 key, EdDSA for Ed25519. Other keys are refused.
func Alg(pub crypto.PublicKey) (string, error) {
	switch p := pub.(type) {
	case ed25519.PublicKey:
		if len(p) != ed25519.PublicKeySize {
			return "", fmt.Errorf("an Ed25519 public key of %d bytes", len(p))
		}
		return EdDSA, nil
	case *ecdsa.PublicKey:
		if p == nil || p.Curve == nil {
			return "", errors.New("an ECDSA key without its public key")
		}
		if p.Curve != elliptic.P256() {
			return "", fmt.Errorf("ECDSA keys must use curve P-256 (ES256), not %s", p.Curve.Params().Name)
		}
		return ES256, nil
	default:
		return "", fmt.Errorf("unsupported key with a %T public key: use an ECDSA P-256 (ES256) or an Ed25519 (EdDSA) key", pub)
	}
}

// CheckKey refuses a key that cannot sign: nil, one whose public half is
// neither ECDSA P-256 nor Ed25519 (the public half decides, so any
// crypto.Signer works, a KMS or HSM key included), and an in-memory key
// (*ecdsa.PrivateKey, ed25519.PrivateKey) without usable private material,
// which a trial signature, verified with the public half, finds out. Only
// in-memory keys are trial-signed: a remote signer may cost money or rate
// limits per use. A key that panics is refused, not passed on.
func CheckKey(key crypto.Signer) error {
	accept := func(pub crypto.PublicKey) error { _, err := Alg(pub); return err }
	return signkey.Check(key, accept, func(key crypto.Signer, pub crypto.PublicKey) bool {
		alg, _ := Alg(pub)
		input := []byte("e30.YWNjb3VudGtpdCBzaWduaW5nIGtleSBjaGVjaw")
		sig, err := signInput(key, alg, input)
		return err == nil && verifyInput(pub, alg, input, sig) == nil
	})
}

// Member is one member of a protected header: a name and a string value.
type Member struct{ Name, Value string }

// AppendHeader appends the JSON object of members, in their order, with
// no whitespace, escaped as JSON.stringify escapes: quote, backslash and
// control characters, nothing else (no HTML escapes, no \u2028).
func AppendHeader(dst []byte, members ...Member) []byte {
	dst = append(dst, '{')
	for i, m := range members {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendString(dst, m.Name)
		dst = append(dst, ':')
		dst = appendString(dst, m.Value)
	}
	return append(dst, '}')
}

func appendString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				dst = append(dst, '\\', c)
			case c == '\b':
				dst = append(dst, '\\', 'b')
			case c == '\f':
				dst = append(dst, '\\', 'f')
			case c == '\n':
				dst = append(dst, '\\', 'n')
			case c == '\r':
				dst = append(dst, '\\', 'r')
			case c == '\t':
				dst = append(dst, '\\', 't')
			case c < 0x20:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, `\ufffd`...) // not UTF-8: what encoding/json writes too
		} else {
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return append(dst, '"')
}

// Sign returns the compact JWS of payload under the protected header
// (JSON, used as is), signed by key with alg, which must be the one [Alg]
// gives for key.Public(). ES256 signatures come from key as ASN.1 DER, as
// crypto.Signer makes them, and are turned into the JWS r||s form.
func Sign(key crypto.Signer, alg string, header, payload []byte) (string, error) {
	n := b64.EncodedLen(len(header)) + 1 + b64.EncodedLen(len(payload))
	buf := make([]byte, 0, n+1+b64.EncodedLen(2*66))
	buf = b64.AppendEncode(buf, header)
	buf = append(buf, '.')
	buf = b64.AppendEncode(buf, payload)
	sig, err := signInput(key, alg, buf)
	if err != nil {
		return "", err
	}
	buf = append(buf, '.')
	buf = b64.AppendEncode(buf, sig)
	return string(buf), nil
}

// signInput signs the JWS signing input (header.payload) with key. A key
// that panics returns an error.
func signInput(key crypto.Signer, alg string, input []byte) (sig []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			sig, err = nil, fmt.Errorf("the signing key failed: %v", p)
		}
	}()
	switch alg {
	case EdDSA:
		sig, err = key.Sign(rand.Reader, input, crypto.Hash(0))
		if err != nil {
			return nil, fmt.Errorf("the signing key failed: %w", err)
		}
		if len(sig) != ed25519.SignatureSize {
			return nil, fmt.Errorf("the signing key made an Ed25519 signature of %d bytes, not %d", len(sig), ed25519.SignatureSize)
		}
		return sig, nil
	case ES256:
		digest := sha256.Sum256(input)
		der, err := key.Sign(rand.Reader, digest[:], crypto.SHA256)
		if err != nil {
			return nil, fmt.Errorf("the signing key failed: %w", err)
		}
		return rawECDSA(der)
	default:
		return nil, fmt.Errorf("unsupported algorithm %q", alg)
	}
}

// p256Order is the order of P-256's base point: r and s lie below it.
var p256Order = elliptic.P256().Params().N

// rawECDSA turns an ECDSA P-256 signature in ASN.1 DER (what
// crypto.Signer returns) into the 64-byte r||s form JWS uses. A signature
// already in that form (some KMS clients return it) is taken as it is.
func rawECDSA(der []byte) ([]byte, error) {
	var rs struct{ R, S *big.Int }
	rest, err := asn1.Unmarshal(der, &rs)
	if err != nil || len(rest) > 0 {
		if len(der) == 64 {
			return der, nil
		}
		return nil, fmt.Errorf("the signing key made an ECDSA signature that is neither ASN.1 DER nor 64 bytes r||s (%d bytes)", len(der))
	}
	if rs.R == nil || rs.S == nil || rs.R.Sign() <= 0 || rs.S.Sign() <= 0 || rs.R.Cmp(p256Order) >= 0 || rs.S.Cmp(p256Order) >= 0 {
		return nil, errors.New("the signing key made an ECDSA signature whose r or s is out of range for P-256")
	}
	sig := make([]byte, 64)
	rs.R.FillBytes(sig[:32])
	rs.S.FillBytes(sig[32:])
	return sig, nil
}

// JWS is a parsed compact JWS whose signature is not checked yet: read
// the key id from its header, then [JWS.Verify] it with that key.
type JWS struct {
	// Header is the decoded protected header.
	Header map[string]any
	// Payload is the decoded payload.
	Payload []byte

	alg       string
	input     string // header.payload, as received
	signature []byte
}

// Param is the header member name as a string, "" when it is absent or
// not a string.
func (j *JWS) Param(name string) string {
	s, _ := j.Header[name].(string)
	return s
}

// Parse splits and decodes a compact JWS. It refuses anything but three
// unpadded base64url parts, a header that is not a JSON object with a
// string alg, and a header with crit (no extension is understood).
func Parse(compact string) (*JWS, error) {
	h, rest, ok1 := strings.Cut(compact, ".")
	p, s, ok2 := strings.Cut(rest, ".")
	if !ok1 || !ok2 || strings.Contains(s, ".") {
		return nil, errors.New("not a compact JWS: it needs three parts separated by dots")
	}
	header, err := b64.Strict().DecodeString(h)
	if err != nil {
		return nil, fmt.Errorf("the protected header is not base64url without padding: %w", err)
	}
	payload, err := b64.Strict().DecodeString(p)
	if err != nil {
		return nil, fmt.Errorf("the payload is not base64url without padding: %w", err)
	}
	sig, err := b64.Strict().DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("the signature is not base64url without padding: %w", err)
	}
	j := &JWS{Payload: payload, input: compact[:len(h)+1+len(p)], signature: sig}
	if err := json.Unmarshal(header, &j.Header); err != nil || j.Header == nil {
		return nil, errors.New("the protected header is not a JSON object")
	}
	if _, ok := j.Header["crit"]; ok {
		return nil, errors.New("the protected header has crit: no extension is understood")
	}
	if j.alg = j.Param("alg"); j.alg == "" {
		return nil, errors.New("the protected header has no alg")
	}
	return j, nil
}

// Verify checks the signature with pub. The header's alg must be the one
// pub signs with ([Alg]): a JWS cannot pick a weaker algorithm, or none.
func (j *JWS) Verify(pub crypto.PublicKey) error {
	alg, err := Alg(pub)
	if err != nil {
		return err
	}
	if j.alg != alg {
		return fmt.Errorf("the JWS is %s but the key signs %s", j.alg, alg)
	}
	return verifyInput(pub, alg, []byte(j.input), j.signature)
}

var errBadSignature = errors.New("the signature does not verify")

func verifyInput(pub crypto.PublicKey, alg string, input, sig []byte) error {
	switch alg {
	case EdDSA:
		k, _ := pub.(ed25519.PublicKey)
		if len(k) != ed25519.PublicKeySize || !ed25519.Verify(k, input, sig) {
			return errBadSignature
		}
		return nil
	case ES256:
		k, _ := pub.(*ecdsa.PublicKey)
		if k == nil || len(sig) != 64 {
			return errBadSignature
		}
		digest := sha256.Sum256(input)
		r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
		if !ecdsa.Verify(k, digest[:], r, s) {
			return errBadSignature
		}
		return nil
	}
	return fmt.Errorf("unsupported algorithm %q", alg)
}
