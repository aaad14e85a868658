package paxostest

import (
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// Paxos's documented rate limits, which [WithRateLimit] makes the fake
// enforce.
const (
	// RateLimit is how many requests an IP may send to one endpoint in a
	// second.
	RateLimit = 50
	// TokenRateLimit is the same for the token endpoint.
	TokenRateLimit = 1
	// ThrottleDuration is how long an IP that went over a limit is
	// refused.
	ThrottleDuration = 5 * time.Minute
)

// WithRateLimit makes the fake enforce Paxos's rate limits: per endpoint
// (method and route, such as GET /v2/identity/accounts/{id}) and client
// IP, at most perSecond requests in any one-second window ([RateLimit],
// 50, is Paxos's), and [TokenRateLimit] at the token endpoint. A request
// over a limit is answered 429 with a problem document (and no
// Retry-After, which Paxos does not document), and its IP is then refused
// the same way at every endpoint for [ThrottleDuration], measured on the
// fake's clock ([WithClock]), which a test can move forward. The default,
// 0, enforces nothing: tests that send bursts keep working.
func WithRateLimit(perSecond int) Option {
	return func(o *options) { o.rateLimit = max(perSecond, 0) }
}

// rateLimits counts each IP's requests per endpoint in a sliding
// one-second window and throttles the IPs that go over.
type rateLimits struct {
	perSecond int // 0: off
	now       func() time.Time

	mu        sync.Mutex
	windows   map[rateKey]*arrivals
	throttled map[string]time.Time // IP -> refused until
}

type rateKey struct{ ip, endpoint string }

// arrivals is a ring of the times of the last accepted requests, at most
// the limit.
type arrivals struct {
	times []time.Time
	next  int // the oldest once the ring is full
}

func newRateLimits(o options) *rateLimits {
	return &rateLimits{perSecond: o.rateLimit, now: o.now, windows: make(map[rateKey]*arrivals), throttled: make(map[string]time.Time)}
}

// limit serves mux's requests within the limits: the endpoint is the
// pattern mux routes the request by.
func (l *rateLimits) limit(mux *http.ServeMux) http.Handler {
	if l.perSecond == 0 {
		return mux
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, pattern := mux.Handler(r)
		limit := l.perSecond
		if pattern == "POST "+TokenPath {
			limit = TokenRateLimit
		}
		ip, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			ip = r.RemoteAddr
		}
		if detail := l.admit(ip, pattern, limit); detail != "" {
			problem(w, http.StatusTooManyRequests, "too-many-requests", "Too Many Requests", detail, nil)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// admit counts a request from ip to endpoint and returns why it is
// refused, or "".
func (l *rateLimits) admit(ip, endpoint string, limit int) string {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if until, ok := l.throttled[ip]; ok {
		if now.Before(until) {
			return fmt.Sprintf("%s is throttled until %s for going over a rate limit", ip, until.UTC().Format(time.RFC3339))
		}
		delete(l.throttled, ip)
		for k := range l.windows {
			if k.ip == ip {
				delete(l.windows, k)
			}
		}
	}
	key := rateKey{ip, endpoint}
	a := l.windows[key]
	if a == nil {
		a = &arrivals{times: make([]time.Time, 0, limit)}
		l.windows[key] = a
	}
	if len(a.times) < limit {
		a.times = append(a.times, now)
		return ""
	}
	if oldest := a.times[a.next]; now.Sub(oldest) < time.Second {
		until := now.Add(ThrottleDuration)
		l.throttled[ip] = until
		return fmt.Sprintf("more than %d requests in one second to %s from %s: throttled for %v, until %s", limit, endpoint, ip, ThrottleDuration, until.UTC().Format(time.RFC3339))
	}
	a.times[a.next] = now
	a.next = (a.next + 1) % limit
	return ""
}
