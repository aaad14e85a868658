package httpsig

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Errors Verify wraps, to tell failures apart.
var (
	ErrNoSignature  = errors.New("the request is not signed")
	ErrMalformed    = errors.New("malformed signature headers")
	ErrExpired      = errors.New("the signature is outside its validity window")
	ErrDigest       = errors.New("the body does not match its digest")
	ErrNotCovered   = errors.New("the signature does not cover a required component")
	ErrUnknownKey   = errors.New("unknown signing key")
	ErrBadSignature = errors.New("the signature does not verify")
)

// VerifyOptions configures Verify.
type VerifyOptions struct {
	// Key returns the public key for a keyid; an error wrapping
	// ErrUnknownKey when there is none.
	Key func(keyID string) (crypto.PublicKey, error)
	// Now is the current time; time.Now when nil.
	Now func() time.Time
	// Skew is the clock difference tolerated at either end of the window
	// (5 s when zero).
	Skew time.Duration
	// MaxAge bounds signatures without an expires parameter (5 min when
	// zero).
	MaxAge time.Duration
	// Required lists components the signature must cover besides @method,
	// @path, @query when there is a query, and the body digest when there
	// is a body.
	Required []string
}

// Result describes a verified signature.
type Result struct {
	KeyID      string
	Version    int // 15, or 6 for the older format
	Components []string
	Created    time.Time
	Expires    time.Time // zero when absent
}

// Verify checks the signature of req, whose body is body: its format
// (version 15 or 6, told apart by the digest header used and by the base
// that verifies), the body digest, the validity window, the covered
// components and the signature itself.
func Verify(req *http.Request, body []byte, opts VerifyOptions) (*Result, error) {
	input, sigHeader := req.Header.Get(HeaderSignatureInput), req.Header.Get(HeaderSignature)
	if input == "" || sigHeader == "" {
		return nil, ErrNoSignature
	}
	lbl, p, err := ParseSignatureInput(input)
	if err != nil {
		return nil, err
	}
	sig, err := parseSignature(sigHeader, lbl)
	if err != nil {
		return nil, err
	}

	version := 0
	switch {
	case slices.Contains(p.Components, "content-digest"):
		version = 15
	case slices.Contains(p.Components, "digest"):
		version = 6
	}
	if len(body) > 0 {
		switch version {
		case 15:
			if req.Header.Get(HeaderContentDigest) != ContentDigest(body) {
				return nil, ErrDigest
			}
		case 6:
			if !digestMatches(req.Header.Get(HeaderDigest), body) {
				return nil, ErrDigest
			}
		default:
			return nil, fmt.Errorf("%w: the body's digest", ErrNotCovered)
		}
	}
	required := append([]string{"@method", "@path"}, opts.Required...)
	if req.URL.RawQuery != "" {
		required = append(required, "@query")
	}
	for _, c := range required {
		if !slices.Contains(p.Components, c) {
			return nil, fmt.Errorf("%w: %s", ErrNotCovered, c)
		}
	}

	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	skew, maxAge := opts.Skew, opts.MaxAge
	if skew <= 0 {
		skew = 5 * time.Second
	}
	if maxAge <= 0 {
		maxAge = 5 * time.Minute
	}
	t := now()
	created := time.Unix(p.Created, 0)
	res := &Result{KeyID: p.KeyID, Components: p.Components, Created: created}
	switch {
	case p.Created == 0 || created.After(t.Add(skew)):
		return nil, fmt.Errorf("%w: created %d", ErrExpired, p.Created)
	case p.Expires != 0:
		res.Expires = time.Unix(p.Expires, 0)
		if t.After(res.Expires.Add(skew)) {
			return nil, fmt.Errorf("%w: expired at %d", ErrExpired, p.Expires)
		}
	case t.Sub(created) > maxAge:
		return nil, fmt.Errorf("%w: older than %v", ErrExpired, maxAge)
	}

	if opts.Key == nil {
		return nil, fmt.Errorf("%w: no key resolver", ErrUnknownKey)
	}
	key, err := opts.Key(p.KeyID)
	if err != nil {
		return nil, err
	}
	versions := []int{15, 6}
	if version == 6 {
		versions = []int{6, 15}
	}
	for _, v := range versions {
		base, err := Base(req, p, v)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		if verifySig(key, base, sig) {
			res.Version = v
			return res, nil
		}
	}
	return nil, ErrBadSignature
}

// ParseSignatureInput reads a signature-input header:
// label=("name" ...);keyid="...";nonce="...";created=...;expires=...
func ParseSignatureInput(h string) (string, Params, error) {
	var p Params
	lbl, rest, ok := strings.Cut(strings.TrimSpace(h), "=")
	if !ok || lbl == "" || !strings.HasPrefix(rest, "(") {
		return "", p, fmt.Errorf("%w: signature-input %q", ErrMalformed, h)
	}
	end := strings.IndexByte(rest, ')')
	if end < 0 {
		return "", p, fmt.Errorf("%w: signature-input has no closing parenthesis", ErrMalformed)
	}
	for _, item := range strings.Fields(rest[1:end]) {
		name, err := strconv.Unquote(item)
		if err != nil || name == "" {
			return "", p, fmt.Errorf("%w: component %s", ErrMalformed, item)
		}
		if slices.Contains(p.Components, name) {
			return "", p, fmt.Errorf("%w: component %s twice", ErrMalformed, name)
		}
		p.Components = append(p.Components, strings.ToLower(name))
	}
	for _, param := range strings.Split(rest[end+1:], ";") {
		if param == "" {
			continue
		}
		k, v, ok := strings.Cut(param, "=")
		if !ok {
			return "", p, fmt.Errorf("%w: parameter %q", ErrMalformed, param)
		}
		var err error
		switch k {
		case "keyid":
			p.KeyID, err = strconv.Unquote(v)
		case "nonce":
			p.Nonce, err = strconv.Unquote(v)
		case "created":
			p.Created, err = strconv.ParseInt(v, 10, 64)
		case "expires":
			p.Expires, err = strconv.ParseInt(v, 10, 64)
		case "alg":
			_, err = strconv.Unquote(v)
		default:
			err = errors.New("unknown parameter")
		}
		if err != nil {
			return "", p, fmt.Errorf("%w: parameter %q: %v", ErrMalformed, param, err)
		}
	}
	if p.KeyID == "" {
		return "", p, fmt.Errorf("%w: no keyid", ErrMalformed)
	}
	return lbl, p, nil
}

// parseSignature reads label=:base64: for the given label.
func parseSignature(h, lbl string) ([]byte, error) {
	for _, item := range strings.Split(h, ",") {
		l, v, ok := strings.Cut(strings.TrimSpace(item), "=")
		if !ok || l != lbl {
			continue
		}
		if len(v) < 2 || v[0] != ':' || v[len(v)-1] != ':' {
			break
		}
		sig, err := base64.StdEncoding.DecodeString(v[1 : len(v)-1])
		if err != nil || len(sig) == 0 {
			break
		}
		return sig, nil
	}
	return nil, fmt.Errorf("%w: no signature labelled %s", ErrMalformed, lbl)
}

// digestMatches checks a version 6 digest header: SHA-256=<base64>
// (SHA-512 accepted too).
func digestMatches(h string, body []byte) bool {
	for _, item := range strings.Split(h, ",") {
		alg, v, ok := strings.Cut(strings.TrimSpace(item), "=")
		if !ok {
			continue
		}
		var sum []byte
		switch strings.ToUpper(alg) {
		case "SHA-256":
			s := sha256.Sum256(body)
			sum = s[:]
		case "SHA-512":
			s := sha512.Sum512(body)
			sum = s[:]
		default:
			continue
		}
		got, err := base64.StdEncoding.DecodeString(v)
		if err == nil && bytes.Equal(got, sum) {
			return true
		}
	}
	return false
}

// verifySig checks sig over base with key: Ed25519, or ECDSA with SHA-512
// (P-521) or SHA-256 (P-256), as ASN.1 DER or raw r||s.
func verifySig(key crypto.PublicKey, base, sig []byte) bool {
	switch k := key.(type) {
	case ed25519.PublicKey:
		return ed25519.Verify(k, base, sig)
	case *ecdsa.PublicKey:
		var digest []byte
		if k.Curve.Params().BitSize > 256 {
			d := sha512.Sum512(base)
			digest = d[:]
		} else {
			d := sha256.Sum256(base)
			digest = d[:]
		}
		if ecdsa.VerifyASN1(k, digest, sig) {
			return true
		}
		size := (k.Curve.Params().BitSize + 7) / 8
		if len(sig) == 2*size {
			r, s := new(big.Int).SetBytes(sig[:size]), new(big.Int).SetBytes(sig[size:])
			return ecdsa.Verify(k, digest, r, s)
		}
	}
	return false
}
