package accountgroups

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/accountkit/accountkit-go/internal/httpsig"
)

// MaxWebhookBody is the largest webhook body a WebhookVerifier reads.
const MaxWebhookBody = 10 << 20

// ErrInvalidSignature is wrapped by Verify's errors when a request is not
// validly signed by Upvest: unsigned, tampered with, expired, or signed by
// an unknown key.
var ErrInvalidSignature = errors.New("invalid webhook signature")

// ErrMalformedDelivery is wrapped by ParseWebhookEvents's errors: the body
// is not a batch or an event.
var ErrMalformedDelivery = errors.New("malformed webhook delivery")

// ErrNotAccountGroupEvent is returned by Event.AccountGroup for events
// about something other than an account group.
var ErrNotAccountGroupEvent = errors.New("the event is not about an account group")

// ParseWebhookEvents reads a webhook delivery: a batch {"payload": [...]}
// or a single event. Events keep the order they were sent in (Upvest sends
// them oldest first); event types this SDK does not know are kept, with
// their object as raw JSON. Every event needs an id and a type.
func ParseWebhookEvents(body []byte) ([]Event, error) {
	malformed := func(format string, args ...any) error {
		return fmt.Errorf("accountgroups: ParseWebhookEvents: %w: %s", ErrMalformedDelivery, fmt.Sprintf(format, args...))
	}
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		return nil, malformed("the body is not a JSON object")
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(body, &probe); err != nil {
		return nil, malformed("%v", err)
	}
	var events []Event
	if raw, ok := probe["payload"]; ok {
		if err := json.Unmarshal(raw, &events); err != nil {
			return nil, malformed("payload: %v", err)
		}
	} else {
		var e Event
		if err := json.Unmarshal(body, &e); err != nil {
			return nil, malformed("%v", err)
		}
		events = []Event{e}
	}
	for i, e := range events {
		if e.ID == "" || e.Type == "" {
			return nil, malformed("event %d has no id or type", i)
		}
	}
	return events, nil
}

// IsAccountGroupEvent reports whether the event is about an account group
// (its type starts with ACCOUNT_GROUP.), including types added after this
// SDK was built.
func (e Event) IsAccountGroupEvent() bool {
	return strings.HasPrefix(string(e.Type), "ACCOUNT_GROUP.")
}

// AccountGroup decodes the account group an ACCOUNT_GROUP.* event is about.
// Other events return ErrNotAccountGroupEvent; their Object is still there,
// raw.
func (e Event) AccountGroup() (*AccountGroup, error) {
	if !e.IsAccountGroupEvent() {
		return nil, fmt.Errorf("%w: %s", ErrNotAccountGroupEvent, e.Type)
	}
	var g AccountGroup
	if err := json.Unmarshal(e.Object, &g); err != nil {
		return nil, fmt.Errorf("accountgroups: event %s: account group: %w", e.ID, err)
	}
	return &g, nil
}

// WebhookVerifier checks that webhook requests come from Upvest: signed,
// within the signature's validity window, with a body matching its digest,
// by a key from GET /auth/verify_keys. Keys are cached; an unknown key id
// triggers one refresh, at most once a minute. It accepts both signature
// formats Upvest uses (draft v15 and the older v6). It is safe for
// concurrent use.
type WebhookVerifier struct {
	fetch      func(ctx context.Context) (*JWKS, error)
	now        func() time.Time
	minRefresh time.Duration

	mu        sync.Mutex
	keys      map[string]crypto.PublicKey
	refreshed time.Time
}

// WebhookVerifier returns a verifier that fetches Upvest's keys through c.
func (c *Client) WebhookVerifier() *WebhookVerifier {
	return &WebhookVerifier{
		fetch: func(ctx context.Context) (*JWKS, error) {
			resp, err := c.api.getVerifyKeysWithResponse(ctx)
			if err != nil {
				return nil, err
			}
			if resp.JSON200 == nil {
				return nil, errors.New("the verify_keys answer has no key set")
			}
			return resp.JSON200, nil
		},
		now:        time.Now,
		minRefresh: time.Minute,
	}
}

// NewWebhookVerifier returns a verifier with a fixed key set and no
// network access, for tests and for keys distributed out of band.
func NewWebhookVerifier(keys JWKS) (*WebhookVerifier, error) {
	parsed, err := parseJWKS(&keys)
	if err != nil {
		return nil, fmt.Errorf("accountgroups: NewWebhookVerifier: %w", err)
	}
	return &WebhookVerifier{
		fetch:      func(context.Context) (*JWKS, error) { return &keys, nil },
		now:        time.Now,
		minRefresh: time.Hour,
		keys:       parsed,
	}, nil
}

// Verify checks r's signature and returns its events. It reads the body
// (at most MaxWebhookBody bytes) and leaves r.Body readable again.
func (v *WebhookVerifier) Verify(r *http.Request) ([]Event, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxWebhookBody+1))
	_ = r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("accountgroups: verify webhook: read body: %w", err)
	}
	if len(body) > MaxWebhookBody {
		return nil, fmt.Errorf("accountgroups: verify webhook: body over %d bytes", MaxWebhookBody)
	}
	if _, err := httpsig.Verify(r, body, httpsig.VerifyOptions{
		Now: v.now,
		Key: func(kid string) (crypto.PublicKey, error) { return v.key(r.Context(), kid) },
	}); err != nil {
		var fetchErr *keyFetchError
		if errors.As(err, &fetchErr) {
			return nil, fmt.Errorf("accountgroups: verify webhook: %w", err)
		}
		return nil, fmt.Errorf("accountgroups: verify webhook: %w: %w", ErrInvalidSignature, err)
	}
	return ParseWebhookEvents(body)
}

// key returns the public key for kid, refreshing the key set once when it
// is unknown.
func (v *WebhookVerifier) key(ctx context.Context, kid string) (crypto.PublicKey, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if k, ok := v.keys[kid]; ok {
		return k, nil
	}
	if !v.refreshed.IsZero() && v.now().Sub(v.refreshed) < v.minRefresh {
		return nil, fmt.Errorf("%w: %q", httpsig.ErrUnknownKey, kid)
	}
	v.refreshed = v.now()
	set, err := v.fetch(ctx)
	if err != nil {
		v.refreshed = time.Time{} // a failed fetch may be tried again at once
		return nil, &keyFetchError{err}
	}
	keys, err := parseJWKS(set)
	if err != nil {
		return nil, &keyFetchError{err}
	}
	v.keys = keys
	if k, ok := keys[kid]; ok {
		return k, nil
	}
	return nil, fmt.Errorf("%w: %q", httpsig.ErrUnknownKey, kid)
}

// keyFetchError is a failure to get the key set, which says nothing about
// the request's signature.
type keyFetchError struct{ err error }

func (e *keyFetchError) Error() string { return "fetch verify keys: " + e.err.Error() }
func (e *keyFetchError) Unwrap() error { return e.err }

// parseJWKS reads EC P-521 (and P-256, P-384) and OKP Ed25519 keys; other
// keys are skipped.
func parseJWKS(set *JWKS) (map[string]crypto.PublicKey, error) {
	out := make(map[string]crypto.PublicKey, len(set.Keys))
	for _, k := range set.Keys {
		x, errX := base64.RawURLEncoding.DecodeString(strings.TrimRight(k.X, "="))
		switch {
		case k.Kid == "" || errX != nil:
			continue
		case k.Kty == "OKP" && k.Crv == "Ed25519" && len(x) == ed25519.PublicKeySize:
			out[k.Kid] = ed25519.PublicKey(x)
		case k.Kty == "EC":
			var curve elliptic.Curve
			switch k.Crv {
			case "P-521":
				curve = elliptic.P521()
			case "P-384":
				curve = elliptic.P384()
			case "P-256":
				curve = elliptic.P256()
			default:
				continue
			}
			y, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(k.Y, "="))
			if err != nil {
				continue
			}
			size := (curve.Params().BitSize + 7) / 8
			point := make([]byte, 1+2*size)
			point[0] = 4
			if len(x) > size || len(y) > size {
				continue
			}
			copy(point[1+size-len(x):1+size], x)
			copy(point[1+2*size-len(y):], y)
			pub, err := ecdsa.ParseUncompressedPublicKey(curve, point)
			if err != nil {
				continue
			}
			out[k.Kid] = pub
		}
	}
	if len(out) == 0 {
		return nil, errors.New("the key set holds no usable key")
	}
	return out, nil
}

// JWKFromPublicKey describes an ECDSA or Ed25519 public key as a JWK.
func JWKFromPublicKey(kid string, pub crypto.PublicKey) (JWK, error) {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		return JWK{Kid: kid, Kty: "OKP", Crv: "Ed25519", X: base64.RawURLEncoding.EncodeToString(k)}, nil
	case *ecdsa.PublicKey:
		raw, err := k.Bytes()
		if err != nil {
			return JWK{}, err
		}
		size := (len(raw) - 1) / 2
		return JWK{Kid: kid, Kty: "EC", Crv: k.Curve.Params().Name,
			X: base64.RawURLEncoding.EncodeToString(raw[1 : 1+size]),
			Y: base64.RawURLEncoding.EncodeToString(raw[1+size:])}, nil
	}
	return JWK{}, fmt.Errorf("unsupported public key %T", pub)
}

// WebhookHandler serves Upvest's webhook deliveries: it verifies each
// request with v (401 when that fails), passes its events to handle, and
// answers 200 only when handle returns nil. Any other answer makes Upvest
// deliver the batch again later, so handle must be idempotent: deduplicate
// by Event.ID, and return an error only for failures worth a redelivery.
func WebhookHandler(v *WebhookVerifier, handle func(ctx context.Context, events []Event) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "webhooks are POSTed", http.StatusMethodNotAllowed)
			return
		}
		events, err := v.Verify(r)
		switch {
		case errors.Is(err, ErrInvalidSignature):
			http.Error(w, "invalid signature", http.StatusUnauthorized)
			return
		case errors.Is(err, ErrMalformedDelivery):
			http.Error(w, "malformed delivery", http.StatusBadRequest)
			return
		case err != nil:
			// The keys could not be fetched: let Upvest deliver again later.
			http.Error(w, "cannot verify now", http.StatusServiceUnavailable)
			return
		}
		if err := handle(r.Context(), events); err != nil {
			http.Error(w, "not processed; deliver again", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}
