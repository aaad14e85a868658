package paxos

import (
	"crypto"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/accountkit/accountkit-go/internal/jws"
	"github.com/accountkit/accountkit-go/internal/pemkey"
	"github.com/accountkit/accountkit-go/internal/transport"
)

// HeaderSignature is the request header that carries a request's
// signature (see [WithRequestSigning]).
const HeaderSignature = "Paxos-Signature"

// The protected header members of a request signature besides typ, alg
// and kid.
const (
	SignatureTimestamp = "paxos.com/timestamp"
	SignatureMethod    = "paxos.com/request-method"
	SignaturePath      = "paxos.com/request-path"
)

// SignatureValidity is how long Paxos accepts a request signature after
// its timestamp.
const SignatureValidity = 30 * time.Minute

// WithRequestSigning signs every API request with key, registered in the
// Paxos dashboard under keyID, as Paxos requires once request signing is
// enabled for the account. Each attempt (retries included) carries a new
// Paxos-Signature header: a JWS in compact serialization whose protected
// header is, in this order,
//
//	{"typ":"JWT","alg":"ES256","kid":"<keyID>","paxos.com/timestamp":"<Unix seconds>",
//	 "paxos.com/request-method":"POST","paxos.com/request-path":"/v2/identity/accounts"}
//
// and whose payload is the request body exactly as sent.
//
// The key's public half decides the algorithm: ES256 for an ECDSA P-256
// key, EdDSA for Ed25519. Any crypto.Signer with such a public key works
// (a KMS or HSM key too): the SDK signs only through key.Sign. NewClient
// refuses other keys, and in-memory keys (*ecdsa.PrivateKey,
// ed25519.PrivateKey) that cannot make a signature their public key
// verifies.
//
// Where Paxos's documentation is silent, the SDK chooses:
//
//   - paxos.com/request-path is the request target as sent: the escaped
//     path, /v2 included, followed by "?" and the query string when the
//     URL has one (GET /v2/identity/accounts?identity_id=...&limit=2), so
//     that a filter or a page cursor cannot be changed on the way.
//   - A request without a body (GET, DELETE) is signed over an empty
//     payload: the JWS's middle part is empty ("header..signature").
//
// The token request goes to another host and is not signed.
func WithRequestSigning(keyID string, key crypto.Signer) Option {
	return func(s *settings) { s.signing = signingSettings{set: true, keyID: keyID, key: key} }
}

type signingSettings struct {
	set   bool
	keyID string
	key   crypto.Signer
}

// configureSigning checks the key of WithRequestSigning and installs the
// signer as the transport's Sign hook, which runs last on every attempt.
func (s *settings) configureSigning() error {
	if !s.signing.set {
		return nil
	}
	if s.signing.keyID == "" {
		return invalid("NewClient", "WithRequestSigning needs the key id that the Paxos dashboard shows for the key")
	}
	if err := jws.CheckKey(s.signing.key); err != nil {
		return invalid("NewClient", "WithRequestSigning: %v", err)
	}
	signer, err := newRequestSigner(s.signing.keyID, s.signing.key, time.Now)
	if err != nil {
		return invalid("NewClient", "WithRequestSigning: %v", err)
	}
	s.transport.Sign = signer.sign
	return nil
}

// requestSigner makes Paxos-Signature headers with one key.
type requestSigner struct {
	keyID string
	key   crypto.Signer
	alg   string
	now   func() time.Time
}

func newRequestSigner(keyID string, key crypto.Signer, now func() time.Time) (*requestSigner, error) {
	alg, err := jws.Alg(key.Public())
	if err != nil {
		return nil, err
	}
	return &requestSigner{keyID: keyID, key: key, alg: alg, now: now}, nil
}

// sign sets req's Paxos-Signature header.
func (s *requestSigner) sign(req *http.Request) error {
	body, err := transport.BodyBytes(req)
	if err != nil {
		return err
	}
	sig, err := jws.Sign(s.key, s.alg, s.header(s.now(), req.Method, req.URL.RequestURI()), body)
	if err != nil {
		return err
	}
	req.Header.Set(HeaderSignature, sig)
	return nil
}

// header is the protected header's JSON for a request: typ, alg, kid,
// then the timestamp, method and path, in the order of Paxos's example.
// The same members give the same bytes every time.
func (s *requestSigner) header(now time.Time, method, path string) []byte {
	return jws.AppendHeader(make([]byte, 0, 160+len(s.keyID)+len(path)),
		jws.Member{Name: "typ", Value: "JWT"},
		jws.Member{Name: "alg", Value: s.alg},
		jws.Member{Name: "kid", Value: s.keyID},
		jws.Member{Name: SignatureTimestamp, Value: strconv.FormatInt(now.Unix(), 10)},
		jws.Member{Name: SignatureMethod, Value: method},
		jws.Member{Name: SignaturePath, Value: path})
}

// LoadPrivateKey reads a PEM file holding the request-signing key whose
// public half is registered in the Paxos dashboard: a PKCS #8 "PRIVATE
// KEY" (ECDSA P-256 or Ed25519), or a SEC 1 "EC PRIVATE KEY", such as
// openssl genpkey -algorithm ed25519 or openssl ecparam -name prime256v1
// -genkey write. The result goes to WithRequestSigning, which checks its
// kind.
func LoadPrivateKey(path string) (crypto.Signer, error) {
	key, err := pemkey.Load(path)
	if err != nil {
		return nil, fmt.Errorf("paxos: LoadPrivateKey: %w", err)
	}
	return key, nil
}

// ParsePrivateKey reads a PEM-encoded request-signing key, as
// LoadPrivateKey does.
func ParsePrivateKey(pemData []byte) (crypto.Signer, error) {
	key, err := pemkey.Parse(pemData)
	if err != nil {
		return nil, fmt.Errorf("paxos: ParsePrivateKey: %w", err)
	}
	return key, nil
}
