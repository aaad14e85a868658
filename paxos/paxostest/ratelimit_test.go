package paxostest_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/accountkit/accountkit-go/paxos"
	"github.com/accountkit/accountkit-go/paxos/paxostest"
)

func rateFake(t *testing.T, opts ...paxostest.Option) (*paxostest.Fake, *manualClock, string) {
	t.Helper()
	clk := newManualClock()
	fake := paxostest.New(append([]paxostest.Option{paxostest.WithClock(clk.Now)}, opts...)...)
	fake.AddToken("tok")
	return fake, clk, fake.AddAccount(paxos.Account{IdentityID: "owner"}).ID
}

// get sends GET path from ip and returns the answer.
func get(fake *paxostest.Fake, ip, path string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.RemoteAddr = ip + ":50000"
	req.Header.Set("Authorization", "Bearer tok")
	rec := httptest.NewRecorder()
	fake.ServeHTTP(rec, req)
	return rec
}

func statuses(fake *paxostest.Fake, n int, ip, path string) map[int]int {
	got := map[int]int{}
	for range n {
		got[get(fake, ip, path).Code]++
	}
	return got
}

func TestRateLimitOffByDefault(t *testing.T) {
	fake, _, id := rateFake(t)
	if got := statuses(fake, 200, "192.0.2.1", "/v2/identity/accounts/"+id); got[http.StatusOK] != 200 {
		t.Errorf("200 requests in one instant: %v", got)
	}
}

// TestRateLimitThrottlesFiveMinutes: the 51st request in a second is
// answered 429 (problem+json, no Retry-After), and the IP is then refused
// at every endpoint for five minutes of the fake's clock; other IPs are
// not.
func TestRateLimitThrottlesFiveMinutes(t *testing.T) {
	fake, clk, id := rateFake(t, paxostest.WithRateLimit(paxostest.RateLimit))
	account := "/v2/identity/accounts/" + id
	if got := statuses(fake, 50, "192.0.2.1", account); got[http.StatusOK] != 50 {
		t.Fatalf("the first 50: %v", got)
	}
	rec := get(fake, "192.0.2.1", account)
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Content-Type") != "application/problem+json" ||
		rec.Header().Get("Retry-After") != "" || !strings.Contains(rec.Body.String(), "throttled for 5m0s") {
		t.Fatalf("the 51st: %d %v %s", rec.Code, rec.Header(), rec.Body)
	}
	if code := get(fake, "192.0.2.1", "/v2/identity/accounts").Code; code != http.StatusTooManyRequests {
		t.Errorf("another endpoint from the throttled IP: %d", code)
	}
	if code := get(fake, "192.0.2.2", account).Code; code != http.StatusOK {
		t.Errorf("another IP: %d", code)
	}
	clk.Advance(paxostest.ThrottleDuration - time.Second)
	if code := get(fake, "192.0.2.1", account).Code; code != http.StatusTooManyRequests {
		t.Errorf("after 4m59s: %d", code)
	}
	clk.Advance(time.Second)
	if got := statuses(fake, 50, "192.0.2.1", account); got[http.StatusOK] != 50 {
		t.Errorf("after five minutes, 50 again: %v", got)
	}
}

// TestRateLimitSlidingWindow: the limit holds in every one-second window,
// not per calendar second, and per endpoint: a second endpoint has its own
// count.
func TestRateLimitSlidingWindow(t *testing.T) {
	fake, clk, id := rateFake(t, paxostest.WithRateLimit(10))
	account := "/v2/identity/accounts/" + id
	for i := range 10 {
		if code := get(fake, "192.0.2.1", account).Code; code != http.StatusOK {
			t.Fatalf("request %d: %d", i, code)
		}
		clk.Advance(90 * time.Millisecond) // ten in 900 ms
	}
	if got := statuses(fake, 10, "192.0.2.1", "/v2/identity/accounts"); got[http.StatusOK] != 10 {
		t.Fatalf("ten to another endpoint: %v", got)
	}
	clk.Advance(99 * time.Millisecond) // 999 ms after the first
	if code := get(fake, "192.0.2.1", account).Code; code != http.StatusTooManyRequests {
		t.Errorf("the 11th within a second: %d", code)
	}

	fake, clk, id = rateFake(t, paxostest.WithRateLimit(10))
	account = "/v2/identity/accounts/" + id
	for range 5 {
		statuses(fake, 10, "192.0.2.1", account)
		clk.Advance(time.Second) // ten each second, for five seconds
	}
	if got := statuses(fake, 10, "192.0.2.1", account); got[http.StatusOK] != 10 {
		t.Errorf("ten a second, sixth second: %v", got)
	}
}

// TestTokenEndpointRateLimit: Paxos's token endpoint takes one request a
// second.
func TestTokenEndpointRateLimit(t *testing.T) {
	fake, clk, _ := rateFake(t, paxostest.WithRateLimit(paxostest.RateLimit))
	token := func() int {
		form := url.Values{"grant_type": {"client_credentials"}, "client_id": {paxostest.ClientID}, "client_secret": {paxostest.ClientSecret}}
		req := httptest.NewRequest(http.MethodPost, paxostest.TokenPath, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.RemoteAddr = "192.0.2.9:4000"
		rec := httptest.NewRecorder()
		fake.ServeHTTP(rec, req)
		return rec.Code
	}
	if code := token(); code != http.StatusOK {
		t.Fatalf("first token: %d", code)
	}
	clk.Advance(500 * time.Millisecond)
	if code := token(); code != http.StatusTooManyRequests {
		t.Errorf("second token within a second: %d", code)
	}
}
