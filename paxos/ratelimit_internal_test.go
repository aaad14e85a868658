package paxos

import (
	"math"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// maxInWindow is the most of the sorted times that fall in any closed
// window [t, t+w].
func maxInWindow(times []time.Time, w time.Duration) int {
	most, j := 0, 0
	for i := range times {
		for times[i].Sub(times[j]) > w {
			j++
		}
		most = max(most, i-j+1)
	}
	return most
}

// TestRateLimitWindows simulates, on a made-up clock, callers that want
// to send as fast as they can, in bursts after pauses, or at random,
// through the limiter WithRateLimit makes, and counts the requests it lets
// start in every window of a second and RateJitter: never more than
// perSecond (so that every second at Paxos holds no more either, though
// the network bring requests up to RateJitter closer), while the sustained
// rate is (perSecond − burst) / 1.05. (A bucket refilled at the full
// perSecond would let burst + perSecond through in the first second.)
func TestRateLimitWindows(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		perSecond float64
		burst     int
	}{{DefaultRateLimit, DefaultRateBurst}, {50, 10}, {50, 49}, {200, 1}, {12.5, 1}, {2, 1}} {
		for _, pattern := range []string{"saturating", "bursts after pauses", "random"} {
			l, err := newEndpointLimiters(tc.perSecond, tc.burst)
			if err != nil {
				t.Fatal(err)
			}
			lim := l.limiter(endpoint{"GET", "/identity/accounts/{id}"})
			rng := rand.New(rand.NewPCG(1, uint64(tc.burst)))
			var starts []time.Time
			want := t0 // when the next caller wants to send
			const n = 3000
			for i := range n {
				switch pattern {
				case "bursts after pauses":
					if i%100 == 0 {
						want = want.Add(time.Duration(rng.IntN(3000)) * time.Millisecond)
					}
				case "random":
					want = want.Add(time.Duration(rng.ExpFloat64() * float64(time.Second) / tc.perSecond))
				}
				at := want // one caller at a time, in order
				if last := lastOr(starts, want); last.After(at) {
					at = last
				}
				r := lim.ReserveN(at, 1)
				start := at.Add(r.DelayFrom(at))
				starts = append(starts, start)
				if pattern == "saturating" {
					want = start
				}
			}
			if most := maxInWindow(starts, time.Second+RateJitter); float64(most) > tc.perSecond {
				t.Errorf("WithRateLimit(%v, %d), %s: %d requests in one second", tc.perSecond, tc.burst, pattern, most)
			}
			if pattern == "saturating" {
				got := float64(n-tc.burst) / starts[n-1].Sub(starts[0]).Seconds()
				if sustained := (tc.perSecond - float64(tc.burst)) / 1.05; math.Abs(got-sustained) > sustained*0.01 {
					t.Errorf("WithRateLimit(%v, %d): %.2f requests a second sustained, want %.2f", tc.perSecond, tc.burst, got, sustained)
				}
			}
		}
	}
}

func lastOr(ts []time.Time, d time.Time) time.Time {
	if len(ts) == 0 {
		return d
	}
	return ts[len(ts)-1]
}

// TestRateLimitSettings: the limiter the settings make, or none, or a
// refusal.
func TestRateLimitSettings(t *testing.T) {
	for _, tc := range []struct {
		set       bool
		perSecond float64
		burst     int
		refill    rate.Limit // 0: no limiter
		wantBurst int
		invalid   bool
	}{
		{set: false, refill: 49 / 1.05, wantBurst: 1}, // the default
		{set: true, perSecond: 0, burst: 0},
		{set: true, perSecond: 0, burst: 5},
		{set: true, perSecond: 50, burst: 0, refill: 49 / 1.05, wantBurst: 1},
		{set: true, perSecond: 12.5, burst: 2, refill: 10.5 / 1.05, wantBurst: 2},
		{set: true, perSecond: 50, burst: 50, invalid: true},
		{set: true, perSecond: 1, burst: 1, invalid: true},
		{set: true, perSecond: -1, burst: 1, invalid: true},
		{set: true, perSecond: math.NaN(), burst: 1, invalid: true},
		{set: true, perSecond: math.Inf(1), burst: 1, invalid: true},
	} {
		s := settings{rateLimit: rateLimitSettings{set: tc.set, perSecond: tc.perSecond, burst: tc.burst}}
		err := s.configureRateLimit()
		if (err != nil) != tc.invalid {
			t.Errorf("%+v: err = %v", tc, err)
			continue
		}
		if (s.transport.Limit != nil) != (tc.refill != 0) {
			t.Errorf("%+v: limiter installed = %v", tc, s.transport.Limit != nil)
		}
		if tc.refill == 0 || !tc.set {
			continue
		}
		l, _ := newEndpointLimiters(tc.perSecond, tc.burst)
		lim := l.limiter(endpoint{"GET", "/x"})
		if math.Abs(float64(lim.Limit()-tc.refill)) > 1e-9 || lim.Burst() != tc.wantBurst {
			t.Errorf("%+v: limiter %v/s, burst %d", tc, lim.Limit(), lim.Burst())
		}
	}
}

// BenchmarkLimiterWait is the limiter's own cost on a request it does not
// hold back: find the endpoint's bucket, take a token.
func BenchmarkLimiterWait(b *testing.B) {
	l, err := newEndpointLimiters(1e9, 1<<20)
	if err != nil {
		b.Fatal(err)
	}
	req, err := newGetAccountRequest(b.Context(), "https://api.sandbox.paxos.com/v2", "79c27a0e-46a2-4276-9769-e1ebc055fa72")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := l.wait(req); err != nil {
			b.Fatal(err)
		}
	}
}

// TestLimiterKeyIsTheTemplate: requests for different ids share their
// endpoint's bucket; other endpoints, and other methods on the same path,
// have their own.
func TestLimiterKeyIsTheTemplate(t *testing.T) {
	l, err := newEndpointLimiters(1e9, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	ctx, server := t.Context(), "https://api.sandbox.paxos.com/v2"
	var reqs []*http.Request
	for _, id := range []string{"a", "b", "c d"} {
		r, err := newGetAccountRequest(ctx, server, id)
		if err != nil {
			t.Fatal(err)
		}
		reqs = append(reqs, r)
		r, err = newDeleteAccountMemberRequest(ctx, server, id)
		if err != nil {
			t.Fatal(err)
		}
		reqs = append(reqs, r)
	}
	for _, build := range []func() (*http.Request, error){
		func() (*http.Request, error) {
			return newListAccountsRequest(ctx, server, &ListAccountsParams{IdentityID: "x", Limit: 3})
		},
		func() (*http.Request, error) { return newListAccountsRequest(ctx, server, nil) },
		func() (*http.Request, error) {
			return newCreateAccountRequest(ctx, server, "application/json", strings.NewReader("{}"))
		},
	} {
		r, err := build()
		if err != nil {
			t.Fatal(err)
		}
		reqs = append(reqs, r)
	}
	for _, r := range reqs {
		if err := l.wait(r); err != nil {
			t.Fatal(err)
		}
	}
	var keys []string
	l.m.Range(func(k, _ any) bool {
		e := k.(endpoint)
		keys = append(keys, e.method+" "+e.path)
		return true
	})
	slices.Sort(keys)
	want := []string{"DELETE /identity/account-members/{id}", "GET /identity/accounts", "GET /identity/accounts/{id}", "POST /identity/accounts"}
	if !slices.Equal(keys, want) {
		t.Errorf("buckets %q, want %q", keys, want)
	}
}
