package paxos_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/accountkit/accountkit-go"
	"github.com/accountkit/accountkit-go/paxos"
	"github.com/accountkit/accountkit-go/paxos/paxostest"
)

// arrivalLog records when each API request reached the server.
type arrivalLog struct {
	mu    sync.Mutex
	times []time.Time
}

func (l *arrivalLog) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != paxostest.TokenPath {
			l.mu.Lock()
			l.times = append(l.times, time.Now())
			l.mu.Unlock()
		}
		next.ServeHTTP(w, r)
	})
}

func (l *arrivalLog) sorted() []time.Time {
	l.mu.Lock()
	times := slices.Clone(l.times)
	l.mu.Unlock()
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	return times
}

// busiestSecond is the most requests that reached the server within any
// one second.
func (l *arrivalLog) busiestSecond() int {
	times := l.sorted()
	most, j := 0, 0
	for i := range times {
		for times[i].Sub(times[j]) >= time.Second {
			j++
		}
		most = max(most, i-j+1)
	}
	return most
}

// latenessSpread says how unevenly the requests arrived against the slots
// a saturated limiter refilling at refill a second releases them in (one
// every 1/refill): the largest difference between two requests' delays
// from their slots. The limiter keeps every second within its limit when
// this is at most paxos.RateJitter; a busy machine (other processes, the
// race detector) can delay requests more than that.
func (l *arrivalLog) latenessSpread(refill float64) time.Duration {
	lo, hi := time.Duration(math.MaxInt64), time.Duration(math.MinInt64)
	times := l.sorted()
	for k, at := range times {
		late := at.Sub(times[0]) - time.Duration(float64(k)/refill*float64(time.Second))
		lo, hi = min(lo, late), max(hi, late)
	}
	return hi - lo
}

type burstResult struct {
	tooMany, failed int
	rate            float64 // successful calls a second
	busiest         int
	spread          time.Duration // see latenessSpread
}

// burst makes calls GetAccount calls from 64 goroutines through a client
// with opts against a fake that enforces fakeLimit requests a second per
// endpoint, and counts the 429 answers. refill is the client limiter's
// refill rate, for latenessSpread.
func burst(t *testing.T, fakeLimit, calls int, refill float64, opts ...paxos.Option) burstResult {
	t.Helper()
	fake := paxostest.New(paxostest.WithRateLimit(fakeLimit))
	var log arrivalLog
	ts := httptest.NewServer(log.wrap(fake))
	t.Cleanup(ts.Close)
	c, err := fake.NewClientAt(ts.URL, append([]paxos.Option{paxos.WithMaxRetries(0)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, 16)
	for i := range ids {
		ids[i] = fake.AddAccount(paxos.Account{IdentityID: fmt.Sprint("owner-", i)}).ID
	}
	var next, ok atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range 64 {
		wg.Go(func() {
			for i := next.Add(1); i <= int64(calls); i = next.Add(1) {
				if _, err := c.GetAccount(t.Context(), ids[i%int64(len(ids))]); err == nil {
					ok.Add(1)
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	var res burstResult
	for _, r := range fake.Requests() {
		if r.Status == http.StatusTooManyRequests {
			res.tooMany++
		}
	}
	res.failed = calls - int(ok.Load())
	res.rate = float64(ok.Load()) / elapsed.Seconds()
	res.busiest = log.busiestSecond()
	res.spread = log.latenessSpread(refill)
	t.Logf("%d calls in %v: %d failed, %d answered 429, %.1f calls a second, at most %d in one second at the server, arrivals up to %v apart from their slots",
		calls, elapsed.Round(time.Millisecond), res.failed, res.tooMany, res.rate, res.busiest, res.spread.Round(time.Millisecond))
	return res
}

// TestRateLimitAvoidsThrottling is the failure the limiter prevents: 64
// goroutines making 500 calls to one endpoint (different ids) against a
// fake that enforces Paxos's limits. With the limiter, no call is
// answered 429 and the calls go at 90% or more of the allowed rate;
// without it, the first second's burst trips the five-minute throttle.
// The fast case runs the same logic at 200 a second; the default case is
// the SDK's default against Paxos's documented 50 (10 s; skipped with
// -short). The limiter's promise holds while requests reach the server
// within paxos.RateJitter of their turn; when the machine is so busy that
// they do not (and a 429 follows), the run proves nothing and is skipped.
func TestRateLimitAvoidsThrottling(t *testing.T) {
	for _, tc := range []struct {
		name      string
		fakeLimit int
		opts      []paxos.Option
	}{
		{"200 a second", 200, []paxos.Option{paxos.WithRateLimit(200, 1)}},
		{"default, Paxos's 50 a second", paxostest.RateLimit, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.fakeLimit == paxostest.RateLimit && testing.Short() {
				t.Skip("10 s at Paxos's own rate; -short")
			}
			refill := (float64(tc.fakeLimit) - 1) / (1 + paxos.RateJitter.Seconds())
			res := burst(t, tc.fakeLimit, 500, refill, tc.opts...)
			if res.tooMany > 0 && res.spread > paxos.RateJitter {
				t.Skipf("requests reached the server up to %v apart from their turns, more than the %v the limiter leaves room for: this machine is too busy for the test to tell", res.spread, paxos.RateJitter)
			}
			if res.tooMany > 0 || res.failed > 0 || res.busiest > tc.fakeLimit {
				t.Errorf("%d answered 429, %d calls failed, %d requests in one second; want none, none and at most %d", res.tooMany, res.failed, res.busiest, tc.fakeLimit)
			}
			if res.rate < 0.9*float64(tc.fakeLimit) {
				t.Errorf("%.1f calls a second, below 90%% of the allowed %d", res.rate, tc.fakeLimit)
			}
		})
		t.Run(tc.name+", limiter off", func(t *testing.T) {
			res := burst(t, tc.fakeLimit, 500, 1e9, paxos.WithRateLimit(0, 0))
			if res.tooMany == 0 || res.failed < 500-tc.fakeLimit {
				t.Errorf("%d answered 429 and %d calls failed; want the throttle to refuse all but the first %d", res.tooMany, res.failed, tc.fakeLimit)
			}
		})
	}
}

// TestRateLimitPerEndpoint: one bucket per method and path template, not
// per URL, shared by the clients With derives; another endpoint has its
// own. A call whose turn would come after its deadline fails at once,
// sending nothing.
func TestRateLimitPerEndpoint(t *testing.T) {
	srv, c := newFake(t, paxos.WithRateLimit(2, 1)) // one at once, then one a second
	a := srv.AddAccount(paxos.Account{IdentityID: "owner"})
	b := srv.AddAccount(paxos.Account{IdentityID: "owner"})
	soon := func() context.Context {
		ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
		t.Cleanup(cancel)
		return ctx
	}
	if _, err := c.GetAccount(soon(), a.ID); err != nil {
		t.Fatal(err)
	}
	sent := len(srv.Requests())
	for name, call := range map[string]func() error{
		"another id": func() error { _, err := c.GetAccount(soon(), b.ID); return err },
		"derived client": func() error {
			_, err := c.With(accountkit.WithHeader("X-Test", "1")).GetAccount(soon(), b.ID)
			return err
		},
	} {
		start := time.Now()
		err := call()
		if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 200*time.Millisecond {
			t.Errorf("%s: GetAccount = %v after %v; want context.DeadlineExceeded at once", name, err, time.Since(start))
		}
	}
	if n := len(srv.Requests()); n != sent {
		t.Errorf("%d requests sent by calls refused for their deadline", n-sent)
	}
	for _, err := range c.ListAccounts(soon(), &paxos.ListAccountsParams{IdentityID: "owner"}) {
		if err != nil {
			t.Errorf("ListAccounts, another endpoint: %v", err)
		}
	}
	// Without a deadline the call waits its turn.
	start := time.Now()
	if _, err := c.GetAccount(t.Context(), b.ID); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited < 500*time.Millisecond {
		t.Errorf("the second GetAccount went after %v; want about a second", waited)
	}
}

// TestRateLimitWaitEndsWithContext: a call waiting for its turn returns
// context.Canceled as soon as its context is cancelled.
func TestRateLimitWaitEndsWithContext(t *testing.T) {
	srv, c := newFake(t, paxos.WithRateLimit(1.5, 1)) // one every two seconds
	a := srv.AddAccount(paxos.Account{IdentityID: "owner"})
	if _, err := c.GetAccount(t.Context(), a.ID); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.GetAccount(ctx, a.ID)
	if !errors.Is(err, context.Canceled) || time.Since(start) > time.Second {
		t.Errorf("GetAccount = %v after %v; want context.Canceled soon after 50ms", err, time.Since(start))
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("%d requests; want 1", n)
	}
}

// TestTokenFetchesKeepToOneASecond: a 401 makes the token cache fetch a
// new token at once; against Paxos's token endpoint limit (one a second)
// that second fetch waits its turn instead of getting the IP throttled.
// Without limits it is throttled.
func TestTokenFetchesKeepToOneASecond(t *testing.T) {
	for _, limited := range []bool{true, false} {
		srv := paxostest.NewServer(paxostest.WithRateLimit(paxostest.RateLimit))
		defer srv.Close()
		opts := []paxos.Option{paxos.WithMaxRetries(1), paxos.WithRetryBackoff(time.Millisecond, 2*time.Millisecond)}
		if !limited {
			opts = append(opts, paxos.WithRateLimit(0, 0))
		}
		c, err := srv.NewClient(opts...)
		if err != nil {
			t.Fatal(err)
		}
		a := srv.AddAccount(paxos.Account{IdentityID: "owner"})
		if _, err := c.GetAccount(t.Context(), a.ID); err != nil {
			t.Fatal(err)
		}
		srv.ExpireTokens() // the next request is answered 401
		_, err = c.GetAccount(t.Context(), a.ID)
		if limited && (err != nil || srv.TokensIssued() != 2) {
			t.Errorf("limited: GetAccount after a 401 = %v, %d tokens; want success with a second token", err, srv.TokensIssued())
		}
		if !limited && err == nil {
			t.Errorf("unlimited: a second token request within a second was not throttled")
		}
	}
}

// TestClientsShareTheTokenEndpointLimit: two Clients of one process that
// start together fetch their tokens a second apart, within Paxos's limit
// for the token endpoint, which counts per IP.
func TestClientsShareTheTokenEndpointLimit(t *testing.T) {
	srv := paxostest.NewServer(paxostest.WithRateLimit(paxostest.RateLimit))
	defer srv.Close()
	a := srv.AddAccount(paxos.Account{IdentityID: "owner"})
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		c, err := srv.NewClient(paxos.WithMaxRetries(0))
		if err != nil {
			t.Fatal(err)
		}
		wg.Go(func() { _, errs[i] = c.GetAccount(t.Context(), a.ID) })
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil || srv.TokensIssued() != 2 {
		t.Errorf("two clients: %v, %v, %d tokens; want both served, two tokens", errs[0], errs[1], srv.TokensIssued())
	}
}
