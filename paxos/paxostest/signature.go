package paxostest

import (
	"bytes"
	"cmp"
	"crypto"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/accountkit/accountkit-go/internal/jws"
	"github.com/accountkit/accountkit-go/paxos"
)

// SignatureClockSkew is how far in the future a request signature's
// timestamp may be: clocks differ a little.
const SignatureClockSkew = 5 * time.Minute

// maxSignedBody bounds the body the fake reads to compare with a
// signature's payload.
const maxSignedBody = 10 << 20

// WithRequestSigning makes the fake require request signing, as Paxos does
// once it is enabled for an account: every API request (not the token
// request) must carry a Paxos-Signature made by a registered key, and
// keyID's public key pub (ECDSA P-256 or Ed25519) is registered. Give it
// once per key to register several; [Fake.RegisterSigningKey] adds keys
// later. New and NewServer panic when pub is not such a key. See the
// package documentation for what is checked.
func WithRequestSigning(keyID string, pub crypto.PublicKey) Option {
	return func(o *options) {
		if o.signingKeys == nil {
			o.signingKeys = make(map[string]crypto.PublicKey)
		}
		o.signingKeys[keyID] = pub
	}
}

// WithSignatureClock makes the fake check the age of request signatures
// against now instead of the real clock, which it uses otherwise whatever
// WithClock says, since clients sign with the real clock. Use it to replay
// requests signed earlier, or to see a signature expire.
func WithSignatureClock(now func() time.Time) Option {
	return func(o *options) { o.signatureNow = now }
}

// RegisterSigningKey accepts signatures made with pub (ECDSA P-256 or
// Ed25519) under keyID, and makes the fake require request signing from
// now on, as [WithRequestSigning] does.
func (f *Fake) RegisterSigningKey(keyID string, pub crypto.PublicKey) error {
	return f.signatures.register(keyID, pub)
}

// signatures checks the Paxos-Signature of API requests once a key is
// registered.
type signatures struct {
	now func() time.Time

	mu   sync.RWMutex
	keys map[string]crypto.PublicKey // none: signing not required
}

func newSignatures(o options) *signatures {
	s := &signatures{now: o.signatureNow}
	if s.now == nil {
		s.now = time.Now
	}
	for id, pub := range o.signingKeys {
		if err := s.register(id, pub); err != nil {
			panic("paxostest: WithRequestSigning: " + err.Error())
		}
	}
	return s
}

func (s *signatures) register(keyID string, pub crypto.PublicKey) error {
	if keyID == "" {
		return fmt.Errorf("key id is empty")
	}
	if _, err := jws.Alg(pub); err != nil {
		return fmt.Errorf("key %s: %w", keyID, err)
	}
	s.mu.Lock()
	if s.keys == nil {
		s.keys = make(map[string]crypto.PublicKey)
	}
	s.keys[keyID] = pub
	s.mu.Unlock()
	return nil
}

func (s *signatures) key(id string) (pub crypto.PublicKey, required, known bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	pub, known = s.keys[id]
	return pub, len(s.keys) > 0, known
}

// require serves h once r's signature checks out, when signing is
// required: 401 when the signature is missing or not valid in itself
// (not a JWS, unknown key, a signature that does not verify, expired or
// from the future, a member missing), 403 when a valid signature was made
// for another request (method, path with its query, or body).
func (s *signatures) require(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if status, detail := s.check(r); status != 0 {
			slug := map[int]string{http.StatusBadRequest: "bad-request", http.StatusForbidden: "forbidden"}[status]
			problem(w, status, cmp.Or(slug, "unauthorized"), http.StatusText(status), detail, nil)
			return
		}
		h(w, r)
	}
}

// check returns the status and detail to refuse r with, or 0. It leaves
// r's body readable.
func (s *signatures) check(r *http.Request) (int, string) {
	if _, required, _ := s.key(""); !required {
		return 0, ""
	}
	header := r.Header.Get(paxos.HeaderSignature)
	if header == "" {
		return http.StatusUnauthorized, "request signing is enabled for this account: the request has no " + paxos.HeaderSignature + " header"
	}
	j, err := jws.Parse(header)
	if err != nil {
		return http.StatusUnauthorized, paxos.HeaderSignature + ": " + err.Error()
	}
	kid := j.Param("kid")
	pub, _, known := s.key(kid)
	if !known {
		return http.StatusUnauthorized, fmt.Sprintf("%s: no signing key %q is registered", paxos.HeaderSignature, kid)
	}
	if err := j.Verify(pub); err != nil {
		return http.StatusUnauthorized, fmt.Sprintf("%s: key %s: %v", paxos.HeaderSignature, kid, err)
	}
	ts, err := strconv.ParseInt(j.Param(paxos.SignatureTimestamp), 10, 64)
	if err != nil {
		return http.StatusUnauthorized, fmt.Sprintf("%s: %s is not Unix seconds as a string", paxos.HeaderSignature, paxos.SignatureTimestamp)
	}
	now, signed := s.now(), time.Unix(ts, 0)
	switch {
	case now.Sub(signed) > paxos.SignatureValidity:
		return http.StatusUnauthorized, fmt.Sprintf("%s: expired: signed at %s, valid for %v", paxos.HeaderSignature, signed.UTC().Format(time.RFC3339), paxos.SignatureValidity)
	case signed.Sub(now) > SignatureClockSkew:
		return http.StatusUnauthorized, fmt.Sprintf("%s: signed at %s, in the future", paxos.HeaderSignature, signed.UTC().Format(time.RFC3339))
	}
	method, path := j.Param(paxos.SignatureMethod), j.Param(paxos.SignaturePath)
	if method == "" || path == "" {
		return http.StatusUnauthorized, fmt.Sprintf("%s: the protected header needs %s and %s", paxos.HeaderSignature, paxos.SignatureMethod, paxos.SignaturePath)
	}
	if method != r.Method {
		return http.StatusForbidden, fmt.Sprintf("%s: signed for %s, sent as %s", paxos.HeaderSignature, method, r.Method)
	}
	if target := requestTarget(r); path != target {
		return http.StatusForbidden, fmt.Sprintf("%s: signed for the path %q, sent to %q (the path includes /v2 and the query string)", paxos.HeaderSignature, path, target)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxSignedBody+1))
	if err != nil || len(body) > maxSignedBody {
		return http.StatusBadRequest, "the body could not be read"
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if !bytes.Equal(body, j.Payload) {
		return http.StatusForbidden, fmt.Sprintf("%s: the payload is not the body sent (%d bytes signed, %d sent)", paxos.HeaderSignature, len(j.Payload), len(body))
	}
	return 0, ""
}

// requestTarget is the path and query the client sent, before any
// http.StripPrefix in front of the fake: what the client signed.
func requestTarget(r *http.Request) string {
	if r.RequestURI != "" {
		return r.RequestURI
	}
	return r.URL.RequestURI()
}
