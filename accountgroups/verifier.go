package accountgroups

import (
	"bytes"
	"context"
	"crypto"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/accountkit/accountkit-go/internal/httpsig"
)

// ErrWebhookTooLarge is wrapped by Verify's error when a delivery's body is
// over MaxWebhookBody bytes.
var ErrWebhookTooLarge = errors.New("webhook body too large")

// Key set refreshes: at most one fetch a minute, whatever its outcome, and
// each bounded by its own timeout rather than by the delivery that
// triggered it.
// A key set older than keyMaxAge is fetched again before its keys are
// trusted, so a key Upvest withdraws stops verifying within the hour.
const (
	keyRefreshInterval = time.Minute
	keyFetchTimeout    = 10 * time.Second
	keyMaxAge          = time.Hour
)

// WebhookVerifier checks that webhook requests come from Upvest. A
// delivery passes when one of its signatures (draft v15 or the older v6
// format) is by a key from GET /auth/verify_keys, covers the method, path,
// query and body digest, and is fresh: created at most five minutes ago
// (whatever its expires parameter says), not yet expired, with five
// seconds of clock skew allowed at either end. The parameters are checked
// as Upvest sent them, in their order, alg included: an alg that does not
// match the key's type is refused.
//
// Keys are cached. A key id the cache does not know starts one fetch of
// the key set (every delivery waiting for it shares it), at most once a
// minute whatever the outcome, with its own ten-second timeout: a flood of
// deliveries naming made-up keys costs one fetch a minute, and deliveries
// signed with a cached key are verified meanwhile without waiting. The
// key set is also fetched again once it is an hour old, so that a key
// Upvest withdraws stops verifying: deliveries then wait for that fetch,
// and should it fail, the keys held stay in use. It is safe for
// concurrent use.
type WebhookVerifier struct {
	fetch      func(ctx context.Context) (*JWKS, error)
	now        func() time.Time
	minRefresh time.Duration
	timeout    time.Duration
	maxAge     time.Duration // 0: the keys never go stale

	mu        sync.Mutex
	keys      map[string]crypto.PublicKey
	keysAt    time.Time // when keys were fetched
	lastFetch time.Time // when the last fetch started; zero before the first
	lastErr   error     // why the last fetch failed; nil when it did not
	inflight  *keyFetch
}

// keyFetch is one fetch of the key set, which every delivery waiting for
// it shares.
type keyFetch struct {
	done chan struct{}
	err  error // set before done is closed
}

// WebhookVerifier returns a verifier that fetches Upvest's keys through c,
// with a token of its own for the scope that needs, ScopeWebhooksRead, and
// c's per-call options. Its requests are named
// "accountgroups.GetVerifyKeys" (see accountkit.OperationName).
func (c *Client) WebhookVerifier() *WebhookVerifier {
	return &WebhookVerifier{
		fetch: func(ctx context.Context) (*JWKS, error) {
			ctx, done, err := c.begin(ctx, "GetVerifyKeys")
			if err != nil {
				return nil, err
			}
			defer done()
			return c.keys.getVerifyKeys(ctx)
		},
		now:        time.Now,
		minRefresh: keyRefreshInterval,
		timeout:    keyFetchTimeout,
		maxAge:     keyMaxAge,
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
		timeout:    keyFetchTimeout,
		keys:       parsed,
	}, nil
}

// signed reports whether r carries signature headers at all.
func signed(r *http.Request) bool {
	return r.Header.Get(httpsig.HeaderSignatureInput) != "" && r.Header.Get(httpsig.HeaderSignature) != ""
}

// Verify checks r's signature and returns its events. A request without
// signature headers is refused before its body is read; otherwise the
// body (at most MaxWebhookBody bytes, ErrWebhookTooLarge past that) is
// read and left readable again in r.Body. Errors wrap ErrInvalidSignature
// when the request is not validly signed by Upvest, ErrMalformedDelivery
// when its body could not be read in full or, signed, holds no events, and
// neither when the key set could not be fetched (a delivery worth trying
// again later).
func (v *WebhookVerifier) Verify(r *http.Request) ([]Event, error) {
	const op = "accountgroups: verify webhook"
	switch {
	case v == nil || v.fetch == nil:
		return nil, fmt.Errorf("%s: the verifier was not made by Client.WebhookVerifier or NewWebhookVerifier", op)
	case r == nil:
		return nil, fmt.Errorf("%s: no request", op)
	case !signed(r):
		return nil, fmt.Errorf("%s: %w: %w", op, ErrInvalidSignature, httpsig.ErrNoSignature)
	case r.ContentLength > MaxWebhookBody:
		return nil, fmt.Errorf("%s: %w: %d bytes announced, at most %d accepted", op, ErrWebhookTooLarge, r.ContentLength, MaxWebhookBody)
	}
	var body []byte
	if r.Body != nil && r.Body != http.NoBody {
		var err error
		body, err = io.ReadAll(io.LimitReader(r.Body, MaxWebhookBody+1))
		_ = r.Body.Close()
		var tooLarge *http.MaxBytesError
		switch {
		case errors.As(err, &tooLarge):
			return nil, fmt.Errorf("%s: %w: %v", op, ErrWebhookTooLarge, err)
		case err != nil:
			return nil, fmt.Errorf("%s: %w: read body: %w", op, ErrMalformedDelivery, err)
		case len(body) > MaxWebhookBody:
			return nil, fmt.Errorf("%s: %w: more than %d bytes", op, ErrWebhookTooLarge, MaxWebhookBody)
		}
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	ctx := r.Context()
	if _, err := httpsig.Verify(r, body, httpsig.VerifyOptions{
		Now: v.now,
		Key: func(kid string) (crypto.PublicKey, error) { return v.key(ctx, kid) },
	}); err != nil {
		var fetchErr *keyFetchError
		if errors.As(err, &fetchErr) {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		return nil, fmt.Errorf("%s: %w: %w", op, ErrInvalidSignature, err)
	}
	return ParseWebhookEvents(body)
}

// key returns the public key for kid. An unknown kid, or a key set older
// than maxAge, waits for a fetch of the key set: the one under way, or a
// new one when none has started in the last minute. A cached key whose set
// could not be fetched again stays in use. The lock is never held while
// fetching.
func (v *WebhookVerifier) key(ctx context.Context, kid string) (crypto.PublicKey, error) {
	v.mu.Lock()
	cached, ok := v.keys[kid]
	if ok && (v.maxAge <= 0 || v.now().Sub(v.keysAt) < v.maxAge) {
		v.mu.Unlock()
		return cached, nil
	}
	f := v.inflight
	if f == nil {
		if !v.lastFetch.IsZero() && v.now().Sub(v.lastFetch) < v.minRefresh {
			err := v.lastErr
			v.mu.Unlock()
			switch {
			case ok:
				return cached, nil
			case err != nil:
				return nil, &keyFetchError{err}
			}
			return nil, fmt.Errorf("%w: %q", httpsig.ErrUnknownKey, kid)
		}
		v.lastFetch = v.now()
		f = &keyFetch{done: make(chan struct{})}
		v.inflight = f
		go v.refresh(f)
	}
	v.mu.Unlock()

	select {
	case <-f.done:
	case <-ctx.Done():
		if ok {
			return cached, nil
		}
		return nil, &keyFetchError{fmt.Errorf("gave up waiting for the key set: %w", ctx.Err())}
	}
	if f.err != nil {
		if ok {
			return cached, nil
		}
		return nil, &keyFetchError{f.err}
	}
	v.mu.Lock()
	k, ok := v.keys[kid]
	v.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("%w: %q", httpsig.ErrUnknownKey, kid)
	}
	return k, nil
}

// refresh fetches the key set for f, detached from any delivery's
// context, and replaces the cached keys when it succeeds.
func (v *WebhookVerifier) refresh(f *keyFetch) {
	ctx, cancel := context.WithTimeout(context.Background(), v.timeout)
	defer cancel()
	keys, err := v.fetchKeys(ctx)
	v.mu.Lock()
	if err == nil {
		v.keys, v.keysAt = keys, v.now()
	}
	v.lastErr = err
	v.inflight = nil
	v.mu.Unlock()
	f.err = err
	close(f.done)
}

// fetchKeys fetches and parses the key set. It runs on a goroutine of its
// own, so a panic below it becomes an error instead of ending the process.
func (v *WebhookVerifier) fetchKeys(ctx context.Context) (keys map[string]crypto.PublicKey, err error) {
	defer func() {
		if p := recover(); p != nil {
			keys, err = nil, fmt.Errorf("panic while fetching the key set: %v", p)
		}
	}()
	set, err := v.fetch(ctx)
	if err != nil {
		return nil, err
	}
	if set == nil {
		return nil, errors.New("no key set")
	}
	return parseJWKS(set)
}

// keyFetchError is a failure to get the key set, which says nothing about
// the request's signature.
type keyFetchError struct{ err error }

func (e *keyFetchError) Error() string { return "fetch verify keys: " + e.err.Error() }
func (e *keyFetchError) Unwrap() error { return e.err }
