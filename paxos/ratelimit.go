package paxos

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"sync"
	"time"

	"golang.org/x/oauth2"
	// golang.org/x/time/rate is the Go project's own token bucket: small,
	// dependency-free, well kept, and its waits honour the context. Worth
	// the one module a program inherits over a hand-made limiter.
	"golang.org/x/time/rate"

	"github.com/accountkit/accountkit-go/internal/transport"
)

// Paxos's documented rate limit: per endpoint and IP, 50 requests a second
// on average; over it, 429 and five minutes of throttling for the IP.
const (
	DefaultRateLimit = 50 // requests in any one-second window, per endpoint
	DefaultRateBurst = 1
)

// RateJitter is the headroom WithRateLimit leaves for the network: requests
// that leave evenly spaced may reach Paxos up to this much closer together
// and still stay within the limit.
const RateJitter = 50 * time.Millisecond

// WithRateLimit keeps each endpoint's requests (method and path template,
// such as GET /identity/accounts/{id}, whatever the id) at or under
// perSecond in every one-second window as Paxos counts them, with up to
// burst of them back to back. Paxos throttles an IP for five minutes once
// it goes over 50 requests a second on an endpoint; retrying cannot win
// that back, so the client waits its turn instead, honouring the call's
// context: a call whose deadline would pass before its turn fails at once
// with an error wrapping context.DeadlineExceeded, and sends nothing.
//
// The limiter is a token bucket of burst tokens refilled at
// (perSecond − burst) / (1 s + [RateJitter]) a second: a full burst and the
// refill of a second and 50 ms stay within perSecond, so requests that the
// network brings up to 50 ms closer together still do. A bucket refilled
// at perSecond would let burst + perSecond through in the first second.
// The default, WithRateLimit(50, 1), sends at most 50 requests in any
// window of 1.05 s, 46.7 a second sustained (93% of Paxos's limit). burst
// must be smaller than perSecond; a burst below 1 is 1. WithRateLimit(0, 0)
// turns the limiter off.
//
// Every attempt counts (retries, a 401's retry with a new token, a
// redirect followed), as each is a request to Paxos. Paxos allows its token
// endpoint 1 request a second: the token cache asks for one token per
// token lifetime (an hour), whatever the number of goroutines; a second
// request to the same token URL from any Client of the process (a 401
// makes the cache ask again at once; two Clients start together) waits
// until 1.05 s after the one before (with client credentials;
// WithRateLimit(0, 0) lifts that too).
//
// The limiters belong to the Client and are shared by the clients that
// [Client.With] derives from it. Clients made by separate NewClient calls,
// and separate processes, each have their own: when several share one
// egress IP, divide Paxos's budget between them (perSecond = 50 / replicas).
func WithRateLimit(perSecond float64, burst int) Option {
	return func(s *settings) { s.rateLimit = rateLimitSettings{set: true, perSecond: perSecond, burst: burst} }
}

type rateLimitSettings struct {
	set       bool
	perSecond float64
	burst     int
}

// configureRateLimit installs the endpoint limiters as the transport's
// Limit hook, which runs on every attempt. It lives in the transport, like
// the token cache, so that every client sharing the transport (those
// With derives) shares the limiters too.
func (s *settings) configureRateLimit() error {
	r := s.rateLimit
	if !r.set {
		r = rateLimitSettings{perSecond: DefaultRateLimit, burst: DefaultRateBurst}
	}
	l, err := newEndpointLimiters(r.perSecond, r.burst)
	if err != nil {
		return invalid("NewClient", "WithRateLimit(%v, %d): %v", r.perSecond, r.burst, err)
	}
	if l != nil {
		s.transport.Limit = l.wait
	}
	return nil
}

// newEndpointLimiters returns the limiters for WithRateLimit(perSecond,
// burst), or nil when perSecond is 0.
func newEndpointLimiters(perSecond float64, burst int) (*endpointLimiters, error) {
	switch {
	case perSecond == 0:
		return nil, nil
	case perSecond < 0 || math.IsNaN(perSecond) || math.IsInf(perSecond, 0):
		return nil, errors.New("perSecond must be a positive number of requests a second, or 0 to turn the limiter off")
	}
	burst = max(burst, 1)
	if float64(burst) >= perSecond {
		return nil, errors.New("the burst must be smaller than perSecond: a one-second window holds the burst and a second's refill")
	}
	refill := (perSecond - float64(burst)) / (1 + RateJitter.Seconds())
	return &endpointLimiters{refill: rate.Limit(refill), burst: burst}, nil
}

// tokenLimiters space the token requests of every Client in the process
// that uses the same token URL: Paxos counts them per IP.
var tokenLimiters sync.Map // token URL -> *rate.Limiter

// limitTokenFetches keeps the process's requests to tokenURL within
// Paxos's limit for its token endpoint, one a second, unless
// WithRateLimit(0, 0) turned limits off. A Client fetches one token per
// lifetime, but a 401 makes it fetch again at once, and two Clients
// started together fetch one each: two requests within a second would get
// the IP throttled for five minutes.
func (s *settings) limitTokenFetches(tokenURL string, fetch transport.TokenFetcher) transport.TokenFetcher {
	if s.rateLimit.set && s.rateLimit.perSecond == 0 {
		return fetch
	}
	l, _ := tokenLimiters.LoadOrStore(tokenURL, rate.NewLimiter(rate.Every(time.Second+RateJitter), 1))
	lim := l.(*rate.Limiter)
	return func(ctx context.Context) (*oauth2.Token, error) {
		if err := lim.Wait(ctx); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, fmt.Errorf("rate limit of the token endpoint: the wait would outlast the context's deadline: %w", context.DeadlineExceeded)
		}
		return fetch(ctx)
	}
}

// endpointLimiters holds one token bucket per endpoint. Endpoints are the
// spec's operations, a handful, so the map stays small.
type endpointLimiters struct {
	refill rate.Limit
	burst  int
	m      sync.Map // endpoint -> *rate.Limiter
}

type endpoint struct{ method, path string }

// limiter is the endpoint's bucket, made on first use.
func (l *endpointLimiters) limiter(e endpoint) *rate.Limiter {
	if lim, ok := l.m.Load(e); ok {
		return lim.(*rate.Limiter)
	}
	lim, _ := l.m.LoadOrStore(e, rate.NewLimiter(l.refill, l.burst))
	return lim.(*rate.Limiter)
}

// wait blocks until req's endpoint may send another request. The endpoint
// is the method and the path template the generated request builder put
// in the request's context; requests without one share one bucket per
// method.
func (l *endpointLimiters) wait(req *http.Request) error {
	ctx := req.Context()
	if err := l.limiter(endpoint{req.Method, transport.PathTemplate(req)}).Wait(ctx); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		// Wait refuses at once when the turn would come after the deadline.
		return fmt.Errorf("rate limit of %s: the wait for this request's turn would outlast the context's deadline: %w", transport.Endpoint(req), context.DeadlineExceeded)
	}
	return nil
}
