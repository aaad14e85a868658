package transport

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

type retryableKey struct{}

// WithRetryable marks the requests made with ctx as safe to send more than
// once even though their method is not idempotent (a POST whose body carries
// its own idempotency key, such as Paxos's ref_id).
func WithRetryable(ctx context.Context) context.Context {
	return context.WithValue(ctx, retryableKey{}, true)
}

// IdempotencyKeyHeader is the header that makes a POST safe to retry.
const IdempotencyKeyHeader = "Idempotency-Key"

// isRetryable reports whether req may be sent again after a failure: its
// method is idempotent, or it carries an idempotency key, or its context says
// so.
func isRetryable(req *http.Request) bool {
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
		return true
	}
	if req.Header.Get(IdempotencyKeyHeader) != "" {
		return true
	}
	ok, _ := req.Context().Value(retryableKey{}).(bool)
	return ok
}

// replayable reports whether req's body can be produced again.
func replayable(req *http.Request) bool {
	return req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
}

// retryableStatus reports the statuses worth another try.
func retryableStatus(code int) bool {
	switch code {
	case http.StatusRequestTimeout, http.StatusTooManyRequests,
		http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// backoff is the wait before retry number n (1 for the first retry): full
// jitter over a capped exponential.
func (c *Config) backoff(n int) time.Duration {
	ceiling := c.MaxBackoff
	if n < 32 {
		if d := c.MinBackoff << (n - 1); d > 0 && d < ceiling {
			ceiling = d
		}
	}
	if c.draw != nil {
		return c.draw(ceiling)
	}
	return rand.N(ceiling) + 1
}

// retryAfter parses a Retry-After header, in seconds or as an HTTP date.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, true
		}
		if secs > int64(24*time.Hour/time.Second) {
			secs = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}
