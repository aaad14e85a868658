package accountgroups

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/accountkit/accountkit-go/internal/httpsig"
)

// cacheHarness is a verifier whose key fetches are counted and held until
// the test lets them go, on a clock the test moves.
type cacheHarness struct {
	v       *WebhookVerifier
	key     ed25519.PrivateKey
	fetches atomic.Int32
	started chan struct{} // receives when a fetch starts
	release chan error    // a fetch returns what it receives
	ctxErr  chan error    // the fetch's context error when it returns
	mu      sync.Mutex
	now     time.Time
	set     *JWKS // what a fetch returns
}

func newCacheHarness(t *testing.T, cached bool) *cacheHarness {
	t.Helper()
	h := &cacheHarness{
		key:     ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize)),
		started: make(chan struct{}, 100),
		release: make(chan error, 100),
		ctxErr:  make(chan error, 100),
		now:     time.Now(),
	}
	jwk, err := JWKFromPublicKey("upvest-1", h.key.Public())
	if err != nil {
		t.Fatal(err)
	}
	set := &JWKS{Keys: []JWK{jwk}}
	h.set = set
	h.v = &WebhookVerifier{
		fetch: func(ctx context.Context) (*JWKS, error) {
			h.fetches.Add(1)
			h.started <- struct{}{}
			err := <-h.release
			h.ctxErr <- ctx.Err()
			if err != nil {
				return nil, err
			}
			h.mu.Lock()
			defer h.mu.Unlock()
			return h.set, nil
		},
		now:        h.clock,
		minRefresh: keyRefreshInterval,
		timeout:    keyFetchTimeout,
	}
	if cached {
		h.v.keys, _ = parseJWKS(set)
		h.v.lastFetch = h.clock()
		h.v.keysAt = h.v.lastFetch
	}
	return h
}

func (h *cacheHarness) clock() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.now
}

func (h *cacheHarness) advance(d time.Duration) {
	h.mu.Lock()
	h.now = h.now.Add(d)
	h.mu.Unlock()
}

// delivery is a webhook request signed by kid's key (the harness's key
// whatever kid says), created at the harness's time.
func (h *cacheHarness) delivery(t *testing.T, ctx context.Context, kid string) *http.Request {
	t.Helper()
	body := []byte(`{"payload":[{"id":"e1","created_at":"2026-01-02T03:04:05Z","type":"ACCOUNT_GROUP.CREATED","object":{},"webhook_id":"w"}]}`)
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, "https://hooks.example.com/upvest", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	s := &httpsig.Signer{KeyID: kid, Key: h.key, Now: h.clock}
	if err := s.Sign(req, body); err != nil {
		t.Fatal(err)
	}
	return req
}

func (h *cacheHarness) waitStarted(t *testing.T) {
	t.Helper()
	select {
	case <-h.started:
	case <-time.After(10 * time.Second):
		t.Fatal("no key fetch started")
	}
}

// TestKeyCacheSingleFlight: deliveries naming unknown keys share one
// fetch, and no other starts within a minute of it.
func TestKeyCacheSingleFlight(t *testing.T) {
	h := newCacheHarness(t, false)
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := h.v.Verify(h.delivery(t, t.Context(), fmt.Sprintf("random-%d", i)))
			errs <- err
		}()
	}
	h.waitStarted(t)
	h.release <- nil
	wg.Wait()
	close(errs)
	for err := range errs {
		if !errors.Is(err, ErrInvalidSignature) || !errors.Is(err, httpsig.ErrUnknownKey) {
			t.Fatalf("random key id: %v, want an unknown key", err)
		}
	}
	for i := range 100 {
		if _, err := h.v.Verify(h.delivery(t, t.Context(), fmt.Sprintf("later-%d", i))); !errors.Is(err, httpsig.ErrUnknownKey) {
			t.Fatalf("later random key id: %v", err)
		}
	}
	if n := h.fetches.Load(); n != 1 {
		t.Fatalf("%d fetches for 200 deliveries within a minute, want 1", n)
	}
	// The genuine key, fetched by the first of them, is cached.
	if _, err := h.v.Verify(h.delivery(t, t.Context(), "upvest-1")); err != nil {
		t.Fatalf("genuine delivery: %v", err)
	}
	// A minute on, an unknown key id may fetch again.
	h.advance(keyRefreshInterval + time.Second)
	h.release <- nil
	if _, err := h.v.Verify(h.delivery(t, t.Context(), "rotated")); !errors.Is(err, httpsig.ErrUnknownKey) {
		t.Fatalf("rotated key id: %v", err)
	}
	if n := h.fetches.Load(); n != 2 {
		t.Fatalf("%d fetches after a minute, want 2", n)
	}
}

// TestKeyCacheDoesNotBlockKnownKeys: while a fetch for an unknown key id
// hangs, a delivery signed with a cached key is verified at once.
func TestKeyCacheDoesNotBlockKnownKeys(t *testing.T) {
	h := newCacheHarness(t, true)
	h.advance(keyRefreshInterval + time.Second) // an unknown key may fetch
	pending := make(chan error, 1)
	go func() {
		_, err := h.v.Verify(h.delivery(t, t.Context(), "unknown"))
		pending <- err
	}()
	h.waitStarted(t)

	done := make(chan error, 1)
	start := time.Now()
	go func() {
		_, err := h.v.Verify(h.delivery(t, t.Context(), "upvest-1"))
		t.Logf("a cached key verified in %v while the fetch hangs", time.Since(start))
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("cached key: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a delivery with a cached key waited for the pending fetch")
	}
	h.release <- nil
	if err := <-pending; !errors.Is(err, httpsig.ErrUnknownKey) {
		t.Fatalf("unknown key: %v", err)
	}
}

// TestKeyCacheFailedFetchIsThrottled: a failed fetch counts against the
// once-a-minute budget, and deliveries meanwhile are told the keys could
// not be fetched (not that their signature is bad).
func TestKeyCacheFailedFetchIsThrottled(t *testing.T) {
	h := newCacheHarness(t, false)
	h.release <- errors.New("decode 200 answer: unexpected EOF")
	for i := range 50 {
		_, err := h.v.Verify(h.delivery(t, t.Context(), fmt.Sprintf("k-%d", i)))
		if err == nil || errors.Is(err, ErrInvalidSignature) {
			t.Fatalf("delivery %d after a failed fetch: %v, want a key fetch error", i, err)
		}
	}
	if n := h.fetches.Load(); n != 1 {
		t.Fatalf("%d fetches after a failure, want 1", n)
	}
	h.advance(keyRefreshInterval + time.Second)
	h.release <- nil
	if _, err := h.v.Verify(h.delivery(t, t.Context(), "upvest-1")); err != nil {
		t.Fatalf("a minute later: %v", err)
	}
}

// TestKeyCacheCallerHangsUp: a delivery that gives up waiting does not
// cancel the fetch, whose keys serve the next delivery.
func TestKeyCacheCallerHangsUp(t *testing.T) {
	h := newCacheHarness(t, false)
	ctx, cancel := context.WithCancel(t.Context())
	result := make(chan error, 1)
	go func() {
		_, err := h.v.Verify(h.delivery(t, ctx, "upvest-1"))
		result <- err
	}()
	h.waitStarted(t)
	cancel()
	if err := <-result; !errors.Is(err, context.Canceled) || errors.Is(err, ErrInvalidSignature) {
		t.Fatalf("caller hung up: %v", err)
	}
	h.release <- nil
	if err := <-h.ctxErr; err != nil {
		t.Fatalf("the fetch's context ended with its caller: %v", err)
	}
	if _, err := h.v.Verify(h.delivery(t, t.Context(), "upvest-1")); err != nil {
		t.Fatalf("next delivery: %v", err)
	}
	if n := h.fetches.Load(); n != 1 {
		t.Fatalf("%d fetches, want 1", n)
	}
}

// TestKeyCacheFetchPanics: a panic while fetching becomes an error.
func TestKeyCacheFetchPanics(t *testing.T) {
	h := newCacheHarness(t, false)
	h.v.fetch = func(context.Context) (*JWKS, error) { panic("boom") }
	_, err := h.v.Verify(h.delivery(t, t.Context(), "upvest-1"))
	if err == nil || errors.Is(err, ErrInvalidSignature) {
		t.Fatalf("fetch panicked: %v", err)
	}
}

// TestVerifierIndependentDeliveries replays the webhook deliveries signed
// by other implementations (Upvest's own signers among them; see
// internal/httpsig/testdata/independent) through a WebhookVerifier built
// from their JWKS: the valid ones yield their events, the others are
// refused as invalid signatures.
func TestVerifierIndependentDeliveries(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "internal", "httpsig", "testdata", "independent", "*.json"))
	n := 0
	for _, f := range files {
		if strings.HasPrefix(filepath.Base(f), "rfc9421") {
			continue // RFC examples, not webhook deliveries
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var c struct {
			Name    string `json:"name"`
			Now     int64  `json:"now"`
			Keys    []JWK  `json:"keys"`
			Request struct {
				Method  string      `json:"method"`
				URL     string      `json:"url"`
				Headers [][2]string `json:"headers"`
				Body    string      `json:"body"`
			} `json:"request"`
			Expect string `json:"expect"`
		}
		if err := json.Unmarshal(data, &c); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		n++
		t.Run(c.Name, func(t *testing.T) {
			v, err := NewWebhookVerifier(JWKS{Keys: c.Keys})
			if err != nil {
				t.Fatal(err)
			}
			v.now = func() time.Time { return time.Unix(c.Now, 0) }
			req := httptest.NewRequest(c.Request.Method, c.Request.URL, strings.NewReader(c.Request.Body))
			for _, h := range c.Request.Headers {
				if strings.EqualFold(h[0], "Host") {
					req.Host = h[1] // where a server puts it: net/http keeps Host out of Header
					continue
				}
				req.Header.Add(h[0], h[1])
			}
			events, err := v.Verify(req)
			if c.Expect == "valid" {
				if err != nil || len(events) == 0 {
					t.Fatalf("Verify = %d events, %v", len(events), err)
				}
				return
			}
			if !errors.Is(err, ErrInvalidSignature) {
				t.Fatalf("Verify = %v, want ErrInvalidSignature", err)
			}
		})
	}
	if n < 20 {
		t.Fatalf("only %d independent deliveries", n)
	}
}

// TestKeyCacheDropsWithdrawnKey: a key set an hour old is fetched again
// before its keys are trusted, so a key Upvest no longer lists stops
// verifying; while the set is fresh, no fetch is made.
func TestKeyCacheDropsWithdrawnKey(t *testing.T) {
	h := newCacheHarness(t, true)
	h.v.maxAge = keyMaxAge
	if _, err := h.v.Verify(h.delivery(t, t.Context(), "upvest-1")); err != nil {
		t.Fatal(err)
	}
	h.advance(keyMaxAge - time.Second)
	if _, err := h.v.Verify(h.delivery(t, t.Context(), "upvest-1")); err != nil {
		t.Fatal(err)
	}
	if n := h.fetches.Load(); n != 0 {
		t.Fatalf("%d fetches while the key set was fresh", n)
	}

	other, err := JWKFromPublicKey("upvest-2", ed25519.NewKeyFromSeed(bytes.Repeat([]byte{8}, ed25519.SeedSize)).Public())
	if err != nil {
		t.Fatal(err)
	}
	h.mu.Lock()
	h.set = &JWKS{Keys: []JWK{other}}
	h.mu.Unlock()
	h.advance(time.Second)
	h.release <- nil
	_, err = h.v.Verify(h.delivery(t, t.Context(), "upvest-1"))
	if !errors.Is(err, ErrInvalidSignature) || !errors.Is(err, httpsig.ErrUnknownKey) {
		t.Errorf("a withdrawn key an hour on: %v, want ErrInvalidSignature and an unknown key", err)
	}
	if n := h.fetches.Load(); n != 1 {
		t.Errorf("%d fetches, want 1", n)
	}
}

// TestKeyCacheKeepsKeysWhenRefreshFails: when the set an hour old cannot
// be fetched again, its keys stay in use (and the next try waits a
// minute), rather than every delivery failing while Upvest's endpoint is
// down.
func TestKeyCacheKeepsKeysWhenRefreshFails(t *testing.T) {
	h := newCacheHarness(t, true)
	h.v.maxAge = keyMaxAge
	h.advance(keyMaxAge)
	h.release <- errors.New("verify_keys: 503")
	if _, err := h.v.Verify(h.delivery(t, t.Context(), "upvest-1")); err != nil {
		t.Fatalf("stale key after a failed refresh: %v", err)
	}
	if _, err := h.v.Verify(h.delivery(t, t.Context(), "upvest-1")); err != nil {
		t.Fatalf("stale key within a minute of the failed refresh: %v", err)
	}
	if n := h.fetches.Load(); n != 1 {
		t.Errorf("%d fetches, want 1", n)
	}
}
