// Package httpsig signs and verifies HTTP requests with HTTP message
// signatures as Upvest uses them: the IETF draft, version 15, for API
// requests, and the older version 6 format that Upvest's webhooks may use.
//
// A signature covers @method, @path, @query (when the URL has a query) and
// every request header except those Upvest excludes, plus content-length
// and a content-digest of the body when there is one. The signature base
// is one line per component, "name": value, ending with
// "@signature-params": (names...);keyid="...";nonce="...";created=...;expires=...
// Keys are ECDSA P-521 with SHA-512 (ASN.1 DER signatures) or Ed25519.
package httpsig

import (
	"cmp"
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
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/accountkit/accountkit-go/internal/signkey"
	"github.com/accountkit/accountkit-go/internal/uuid"
)

// Header names the package reads and writes.
const (
	HeaderSignature      = "Signature"
	HeaderSignatureInput = "Signature-Input"
	HeaderContentDigest  = "Content-Digest"
	HeaderDigest         = "Digest" // version 6
	label                = "sig1"
)

// DefaultValidity is how long a signature is valid after it is made.
const DefaultValidity = 10 * time.Second

// excludedPrefixes are header names that are never covered.
var excludedPrefixes = []string{
	"cf-", "cdn-", "cookie", "x-", "priority", "upvest-signature", "sec-",
	"user-agent", "accept-encoding", "connection",
	"signature", // signature and signature-input are what is being made
}

// covered reports whether a header (lower-case) is signed.
func covered(name string) bool {
	for _, p := range excludedPrefixes {
		if strings.HasPrefix(name, p) {
			return false
		}
	}
	return true
}

// Signer signs requests with one key. Its zero Now, Nonce and Validity
// mean time.Now, a random UUID and DefaultValidity.
type Signer struct {
	KeyID    string
	Key      crypto.Signer
	Now      func() time.Time
	Nonce    func() string
	Validity time.Duration
	Rand     io.Reader // randomness for ECDSA; crypto/rand when nil
	// Version is the format: 15 (the default) or 6, the older one, with a
	// SHA-256 digest header and an unquoted base.
	Version int
}

// CheckKey refuses keys that Upvest does not accept or that cannot sign.
// The key's public half decides: ECDSA P-521 (signed with SHA-512) or
// Ed25519, so any crypto.Signer works, a KMS or HSM key included. An
// in-memory key (*ecdsa.PrivateKey, ed25519.PrivateKey) must also hold its
// private material: a trial signature, verified with the public half,
// checks it. A key that panics is refused, not passed on.
func CheckKey(key crypto.Signer) error {
	return signkey.Check(key, checkPublicKey, func(key crypto.Signer, pub crypto.PublicKey) bool {
		msg := []byte("accountkit signing key check")
		sig, err := sign(key, nil, msg)
		return err == nil && verifySig(pub, msg, sig)
	})
}

// checkPublicKey accepts ECDSA P-521 and Ed25519 public keys.
func checkPublicKey(pub crypto.PublicKey) error {
	switch p := pub.(type) {
	case ed25519.PublicKey:
		if len(p) != ed25519.PublicKeySize {
			return fmt.Errorf("an Ed25519 public key of %d bytes", len(p))
		}
	case *ecdsa.PublicKey:
		if p == nil || p.Curve == nil {
			return errors.New("no public key")
		}
		if p.Curve != elliptic.P521() {
			return fmt.Errorf("ECDSA keys must use curve P-521 (signed with SHA-512), not %s", p.Curve.Params().Name)
		}
	default:
		return fmt.Errorf("unsupported public key %T: use an ECDSA P-521 or an Ed25519 key", pub)
	}
	return nil
}

// Sign signs req, whose body is body (nil for none): it sets
// Content-Digest when there is a body, then Signature-Input and Signature.
// Headers set after Sign are not covered, so sign last.
func (s *Signer) Sign(req *http.Request, body []byte) error {
	if s.Key == nil {
		return errors.New("no signing key")
	}
	req.Header.Del(HeaderSignature)
	req.Header.Del(HeaderSignatureInput)
	req.Header.Del(HeaderContentDigest)
	req.Header.Del(HeaderDigest)
	version := 15
	if s.Version == 6 {
		version = 6
	}
	if len(body) > 0 {
		if version == 6 {
			sum := sha256.Sum256(body)
			req.Header.Set(HeaderDigest, "SHA-256="+base64.StdEncoding.EncodeToString(sum[:]))
		} else {
			req.Header.Set(HeaderContentDigest, ContentDigest(body))
		}
		req.Header.Set("Content-Length", strconv.Itoa(len(body)))
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	nonce := s.Nonce
	if nonce == nil {
		nonce = uuid.New
	}
	validity := s.Validity
	if validity <= 0 {
		validity = DefaultValidity
	}
	created := now().Unix()
	p := Params{
		Components: Components(req),
		KeyID:      s.KeyID,
		Nonce:      nonce(),
		Created:    created,
		Expires:    created + int64(validity/time.Second),
	}
	base, err := Base(req, p, version)
	if err != nil {
		return err
	}
	sig, err := sign(s.Key, s.Rand, base)
	if err != nil {
		return fmt.Errorf("sign: %w", err)
	}
	req.Header.Set(HeaderSignatureInput, label+"="+p.String())
	req.Header.Set(HeaderSignature, label+"=:"+base64.StdEncoding.EncodeToString(sig)+":")
	return nil
}

// ContentDigest is the content-digest header value for body.
func ContentDigest(body []byte) string {
	sum := sha512.Sum512(body)
	return "sha-512=:" + base64.StdEncoding.EncodeToString(sum[:]) + ":"
}

// Components lists what a signature of req covers, in order: @method,
// @path, @query when there is one, then the covered headers by name.
func Components(req *http.Request) []string {
	out := []string{"@method", "@path"}
	if req.URL.RawQuery != "" {
		out = append(out, "@query")
	}
	var headers []string
	for name := range req.Header {
		if lower := strings.ToLower(name); covered(lower) {
			headers = append(headers, lower)
		}
	}
	slices.Sort(headers)
	return append(out, headers...)
}

// Params are a signature's parameters, as signature-input carries them.
type Params struct {
	Components []string
	KeyID      string
	Nonce      string
	Created    int64
	Expires    int64 // 0 when absent
}

// String renders the parameters: ("@method" ...);keyid="...";nonce="...";created=...;expires=...
func (p Params) String() string {
	var b strings.Builder
	b.WriteByte('(')
	for i, c := range p.Components {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.Quote(c))
	}
	b.WriteByte(')')
	fmt.Fprintf(&b, ";keyid=%q", p.KeyID)
	if p.Nonce != "" {
		fmt.Fprintf(&b, ";nonce=%q", p.Nonce)
	}
	fmt.Fprintf(&b, ";created=%d", p.Created)
	if p.Expires != 0 {
		fmt.Fprintf(&b, ";expires=%d", p.Expires)
	}
	return b.String()
}

// Base builds the signature base of req for p, in the format of version 15
// ("name": value) or 6 (name: value).
func Base(req *http.Request, p Params, version int) ([]byte, error) {
	in := Input{Raw: p.String(), Components: make([]Component, len(p.Components))}
	for i, name := range p.Components {
		in.Components[i] = Component{Name: name, raw: strconv.Quote(name)}
	}
	return inputBase(req, &in, version)
}

// componentValue is the value of a covered component of req: a derived
// component (RFC 9421 section 2.2) or a header's values, trimmed and
// joined with ", ". param is @query-param's name parameter.
func componentValue(req *http.Request, name, param string) (string, error) {
	switch name {
	case "@method":
		return req.Method, nil
	case "@path":
		if p := req.URL.EscapedPath(); p != "" {
			return p, nil
		}
		return "/", nil
	case "@query":
		return "?" + req.URL.RawQuery, nil
	case "@authority":
		return authority(req), nil
	case "@scheme":
		return scheme(req), nil
	case "@request-target":
		return requestTarget(req), nil
	case "@target-uri":
		return scheme(req) + "://" + authority(req) + requestTarget(req), nil
	case "@query-param":
		return queryParam(req.URL.RawQuery, param)
	}
	if strings.HasPrefix(name, "@") {
		return "", fmt.Errorf("unsupported component %s", name)
	}
	values := req.Header.Values(name) // shared with the request: read only
	if len(values) == 0 && name == "host" {
		// net/http keeps the Host header out of Header: in Request.Host on
		// a server, and there or in the URL on a client.
		if h := cmp.Or(req.Host, req.URL.Host); h != "" {
			return h, nil
		}
	}
	if len(values) == 0 {
		return "", fmt.Errorf("covered header %s is missing", name)
	}
	if len(values) == 1 {
		return strings.TrimSpace(values[0]), nil
	}
	var b strings.Builder
	for i, v := range values {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strings.TrimSpace(v))
	}
	return b.String(), nil
}

// authority is the request's host (and port), lower case: Host for a
// request a server received, the URL's host for one a client sends.
func authority(req *http.Request) string {
	if req.Host != "" {
		return strings.ToLower(req.Host)
	}
	return strings.ToLower(req.URL.Host)
}

func scheme(req *http.Request) string {
	switch {
	case req.URL.Scheme != "":
		return strings.ToLower(req.URL.Scheme)
	case req.TLS != nil:
		return "https"
	}
	return "http"
}

func requestTarget(req *http.Request) string {
	path := req.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	if req.URL.RawQuery != "" {
		return path + "?" + req.URL.RawQuery
	}
	return path
}

// queryParam is the value of the query parameter whose encoded name is
// name, as RFC 9421 section 2.2.8 defines it: the query is parsed as
// application/x-www-form-urlencoded, and each name and value is encoded
// again with that format's percent-encode set, a space as %20. A parameter
// that is absent or repeated cannot be covered.
func queryParam(rawQuery, name string) (string, error) {
	found, value := 0, ""
	for _, pair := range strings.Split(rawQuery, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		if formEncode(formDecode(k)) != name {
			continue
		}
		found++
		value = formEncode(formDecode(v))
	}
	if found != 1 {
		return "", fmt.Errorf("query parameter %q appears %d times", name, found)
	}
	return value, nil
}

// formDecode decodes one name or value of an
// application/x-www-form-urlencoded string as the WHATWG URL standard
// parses it: '+' is a space, a '%' without two hex digits after it stays
// as it is, and bytes that are not UTF-8 become U+FFFD (see
// decodeUTF8Lossy).
func formDecode(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '+':
			b = append(b, ' ')
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		default:
			b = append(b, c)
		}
	}
	if utf8.Valid(b) {
		return string(b)
	}
	return decodeUTF8Lossy(b)
}

// decodeUTF8Lossy decodes b as the WHATWG Encoding standard's UTF-8
// decoder does: each maximal part of a sequence that cannot be completed
// becomes one U+FFFD (so "\xE2\x82X" is "\uFFFDX", and a surrogate's three
// bytes are three).
func decodeUTF8Lossy(b []byte) string {
	var out strings.Builder
	for i := 0; i < len(b); {
		c := b[i]
		need, lo, hi := 0, byte(0x80), byte(0xBF) // continuation bytes, and the range of the first
		switch {
		case c < 0x80:
			out.WriteByte(c)
			i++
			continue
		case 0xC2 <= c && c <= 0xDF:
			need = 1
		case c == 0xE0:
			need, lo = 2, 0xA0
		case c == 0xED:
			need, hi = 2, 0x9F
		case 0xE1 <= c && c <= 0xEF:
			need = 2
		case c == 0xF0:
			need, lo = 3, 0x90
		case c == 0xF4:
			need, hi = 3, 0x8F
		case 0xF1 <= c && c <= 0xF3:
			need = 3
		default:
			out.WriteRune(utf8.RuneError)
			i++
			continue
		}
		j := i + 1
		for range need {
			if j >= len(b) || b[j] < lo || b[j] > hi {
				break
			}
			lo, hi = 0x80, 0xBF
			j++
		}
		if j-i == need+1 {
			out.Write(b[i:j])
		} else {
			out.WriteRune(utf8.RuneError)
		}
		i = j
	}
	return out.String()
}

// formEncode percent-encodes s with the application/x-www-form-urlencoded
// percent-encode set and a space as %20, as RFC 9421 section 2.2.8 asks:
// only ASCII letters, digits and "*-._" stay as they are.
func formEncode(s string) string {
	const upperhex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '*' || c == '-' || c == '.' || c == '_' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(upperhex[c>>4])
		b.WriteByte(upperhex[c&15])
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// sign signs base with key: the message itself for an Ed25519 key, its
// SHA-512 digest otherwise, as the key's public half says. A key that
// panics (a broken KMS or HSM binding) is an error, not a crash.
func sign(key crypto.Signer, random io.Reader, base []byte) (sig []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			sig, err = nil, fmt.Errorf("the signing key failed: %v", p)
		}
	}()
	if random == nil {
		random = rand.Reader
	}
	if _, ok := key.Public().(ed25519.PublicKey); ok {
		return key.Sign(random, base, crypto.Hash(0))
	}
	digest := sha512.Sum512(base)
	return key.Sign(random, digest[:], crypto.SHA512)
}
