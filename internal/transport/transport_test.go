package transport

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/accountkit/accountkit-go"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		header string
		want   time.Duration
		ok     bool
	}{
		{"", 0, false},
		{"3", 3 * time.Second, true},
		{" 0 ", 0, true},
		{"-5", 0, true},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0, true},
		{"soon", 0, false},
	} {
		h := http.Header{}
		if tc.header != "" {
			h.Set("Retry-After", tc.header)
		}
		got, ok := retryAfter(h, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("retryAfter(%q) = %v, %v; want %v, %v", tc.header, got, ok, tc.want, tc.ok)
		}
	}
}

func TestBackoffIsCappedFullJitter(t *testing.T) {
	c := Config{MinBackoff: 100 * time.Millisecond, MaxBackoff: time.Second}
	for n := 1; n <= 40; n++ {
		ceiling := min(time.Second, 100*time.Millisecond<<(n-1))
		if n > 20 {
			ceiling = time.Second
		}
		var maxSeen time.Duration
		for range 200 {
			d := c.backoff(n)
			if d <= 0 || d > ceiling {
				t.Fatalf("backoff(%d) = %v, want in (0, %v]", n, d, ceiling)
			}
			maxSeen = max(maxSeen, d)
		}
		if maxSeen < ceiling/2 {
			t.Errorf("backoff(%d) never above %v in 200 draws; ceiling %v", n, maxSeen, ceiling)
		}
	}
}

func TestDecodeProblemShapes(t *testing.T) {
	for name, tc := range map[string]struct {
		body string
		want accountkit.APIError
	}{
		"paxos": {`{"type":"t","title":"Conflict","status":409,"detail":"exists","meta":{"existing":{"id":"a"}}}`,
			accountkit.APIError{Type: "t", Title: "Conflict", Detail: "exists", Meta: []byte(`{"existing":{"id":"a"}}`)}},
		"errors map": {`{"title":"Bad","traceId":"00-abc","errors":{"name":["required","too short"],"website":"bad url"}}`,
			accountkit.APIError{Title: "Bad", RequestID: "00-abc", FieldErrors: map[string][]string{"name": {"required", "too short"}, "website": {"bad url"}}}},
		"errors list": {`{"title":"Bad","errors":[{"id":"E1","message":"name is required","properties":["name"]},{"id":"E2","message":"general"},"plain"]}`,
			accountkit.APIError{Title: "Bad", FieldErrors: map[string][]string{"name": {"name is required"}, "": {"general", "plain"}}}},
		"upvest":          {`{"type":"about:blank","title":"Forbidden","status":403,"request_id":"r-1","instance":"/x"}`, accountkit.APIError{Type: "about:blank", Title: "Forbidden", Instance: "/x", RequestID: "r-1"}},
		"odd member":      {`{"title":42,"detail":"kept"}`, accountkit.APIError{Detail: "kept"}},
		"html":            {`<html><body>502 Bad Gateway</body></html>`, accountkit.APIError{}},
		"truncated json":  {`{"title":"Bad","det`, accountkit.APIError{}},
		"json array":      {`[1,2]`, accountkit.APIError{}},
		"empty":           {``, accountkit.APIError{}},
		"oauth2 as json":  {`{"error":"invalid_client"}`, accountkit.APIError{}},
		"message instead": {`{"message":"rate limited"}`, accountkit.APIError{Detail: "rate limited"}},
	} {
		t.Run(name, func(t *testing.T) {
			var got accountkit.APIError
			decodeProblem(&got, []byte(tc.body))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("decodeProblem (-want +got):\n%s", diff)
			}
		})
	}
}

// server answers with the statuses in order, then 200, counting requests
// and keeping their bodies.
type server struct {
	*httptest.Server
	mu       sync.Mutex
	statuses []int
	header   http.Header
	bodies   []string
	auths    []string
}

func newServer(t *testing.T, statuses ...int) *server {
	s := &server{statuses: statuses}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.bodies = append(s.bodies, string(body))
		s.auths = append(s.auths, r.Header.Get("Authorization"))
		status := http.StatusOK
		if len(s.statuses) > 0 {
			status, s.statuses = s.statuses[0], s.statuses[1:]
		}
		for k, v := range s.header {
			w.Header()[k] = v
		}
		s.mu.Unlock()
		w.Header().Set("X-Request-Id", "rid")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, `{"title":"t"}`)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *server) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.bodies)
}

func newDoer(t *testing.T, cfg Config) *Doer {
	t.Helper()
	cfg.sleep = func(ctx context.Context, d time.Duration) error { return ctx.Err() }
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = 3
	}
	d, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDoRetriesAndReplaysBody(t *testing.T) {
	s := newServer(t, 503, 502, 429)
	d := newDoer(t, Config{RequestIDHeaders: []string{"X-Request-Id"}})
	req, _ := http.NewRequest(http.MethodPut, s.URL, bytes.NewReader([]byte(`{"a":1}`)))
	resp, err := d.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if diff := cmp.Diff([]string{`{"a":1}`, `{"a":1}`, `{"a":1}`, `{"a":1}`}, s.bodies); diff != "" {
		t.Errorf("bodies sent (-want +got):\n%s", diff)
	}
}

func TestDoDoesNotRetryUnsafePOST(t *testing.T) {
	s := newServer(t, 503)
	d := newDoer(t, Config{})
	req, _ := http.NewRequest(http.MethodPost, s.URL, strings.NewReader(`{}`))
	_, err := d.Do(req)
	var apiErr *accountkit.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 || s.count() != 1 {
		t.Fatalf("err %v, %d requests; want the 503 after one request", err, s.count())
	}

	// With an idempotency key, or a context that allows it, it is retried
	// with the same key.
	s2 := newServer(t, 503)
	req, _ = http.NewRequest(http.MethodPost, s2.URL, strings.NewReader(`{}`))
	req.Header.Set(IdempotencyKeyHeader, "k-1")
	if _, err := d.Do(req); err != nil || s2.count() != 2 {
		t.Fatalf("keyed POST: %v, %d requests", err, s2.count())
	}
	s3 := newServer(t, 503)
	req, _ = http.NewRequestWithContext(WithRetryable(context.Background()), http.MethodPost, s3.URL, strings.NewReader(`{}`))
	if _, err := d.Do(req); err != nil || s3.count() != 2 {
		t.Fatalf("retryable POST: %v, %d requests", err, s3.count())
	}
}

func TestDoDoesNotRetryUnreplayableBody(t *testing.T) {
	s := newServer(t, 503)
	d := newDoer(t, Config{})
	req, _ := http.NewRequest(http.MethodPut, s.URL, io.NopCloser(strings.NewReader(`{}`)))
	_, err := d.Do(req)
	if err == nil || s.count() != 1 {
		t.Fatalf("err %v, %d requests; want one try", err, s.count())
	}
}

func TestDoCapsErrorBody(t *testing.T) {
	big := bytes.Repeat([]byte("x"), 10<<20)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write(big)
	}))
	defer srv.Close()
	d := newDoer(t, Config{})
	req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
	_, err := d.Do(req)
	var apiErr *accountkit.APIError
	if !errors.As(err, &apiErr) || len(apiErr.Body) != accountkit.MaxErrorBody || !apiErr.Truncated {
		t.Fatalf("err %v: body %d bytes, truncated %v", err, len(apiErr.Body), apiErr.Truncated)
	}
}

func TestDoRefreshesRejectedTokenOnce(t *testing.T) {
	s := newServer(t, 401, 401)
	var fetches atomic.Int32
	cache := NewTokenCache(func(context.Context) (*oauth2.Token, error) {
		n := fetches.Add(1)
		return &oauth2.Token{AccessToken: "tok" + string(rune('0'+n)), TokenType: "Bearer", Expiry: time.Now().Add(time.Hour)}, nil
	})
	d := newDoer(t, Config{Tokens: cache})
	req, _ := http.NewRequest(http.MethodGet, s.URL, nil)
	_, err := d.Do(req)
	var apiErr *accountkit.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 401 {
		t.Fatalf("err = %v, want the second 401", err)
	}
	if diff := cmp.Diff([]string{"Bearer tok1", "Bearer tok2"}, s.auths); diff != "" {
		t.Errorf("tokens sent (-want +got):\n%s", diff)
	}
}

func TestTokenCacheSingleFetch(t *testing.T) {
	var fetches atomic.Int32
	release := make(chan struct{})
	cache := NewTokenCache(func(context.Context) (*oauth2.Token, error) {
		fetches.Add(1)
		<-release
		return &oauth2.Token{AccessToken: "t", Expiry: time.Now().Add(time.Hour)}, nil
	})
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := cache.Token(context.Background()); err != nil {
				t.Error(err)
			}
		}()
	}
	time.Sleep(20 * time.Millisecond)
	close(release)
	wg.Wait()
	if n := fetches.Load(); n != 1 {
		t.Errorf("%d fetches for 50 concurrent callers, want 1", n)
	}

	// A caller whose context ends stops waiting at once.
	slow := NewTokenCache(func(ctx context.Context) (*oauth2.Token, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := slow.Token(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want DeadlineExceeded", err)
	}
}

func TestTokenCacheRenewsNearExpiry(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var fetches int
	cache := NewTokenCache(func(context.Context) (*oauth2.Token, error) {
		fetches++
		return &oauth2.Token{AccessToken: "t", Expiry: now.Add(time.Hour)}, nil
	})
	cache.now = func() time.Time { return now }
	for range 3 {
		if _, err := cache.Token(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	now = now.Add(time.Hour - 5*time.Second) // inside the 10 s margin
	if _, err := cache.Token(context.Background()); err != nil {
		t.Fatal(err)
	}
	if fetches != 2 {
		t.Errorf("%d fetches, want 2", fetches)
	}
}
