package accountgroupstest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/accountkit/accountkit-go"
	"github.com/accountkit/accountkit-go/accountgroups"
	"github.com/accountkit/accountkit-go/accountgroups/accountgroupstest"
)

// TestUnsignedRequestsAreRefused talks to the fake without the SDK.
func TestUnsignedRequestsAreRefused(t *testing.T) {
	srv := accountgroupstest.NewServer()
	defer srv.Close()
	for _, req := range []*http.Request{
		mustRequest(http.MethodPost, srv.URL+"/auth/token", "grant_type=client_credentials&client_id="+accountgroupstest.ClientID+"&client_secret="+accountgroupstest.ClientSecret+"&scope=accounts:read"),
		mustRequest(http.MethodGet, srv.URL+"/account_groups", ""),
		mustRequest(http.MethodGet, srv.URL+"/auth/verify_keys", ""),
	} {
		req.Header.Set("Upvest-Client-Id", accountgroupstest.ClientID)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var p struct {
			Detail    string `json:"detail"`
			RequestID string `json:"request_id"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&p)
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(p.Detail, "not signed") || p.RequestID == "" {
			t.Errorf("%s %s: %d %+v, want 401 for an unsigned request", req.Method, req.URL.Path, resp.StatusCode, p)
		}
	}
}

func mustRequest(method, url, form string) *http.Request {
	req, _ := http.NewRequest(method, url, strings.NewReader(form))
	if form != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return req
}

// TestIdempotencyKeyReuseWithAnotherBody is refused.
func TestIdempotencyKeyReuseWithAnotherBody(t *testing.T) {
	srv := accountgroupstest.NewServer()
	defer srv.Close()
	c, err := srv.NewClient(accountgroups.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	c = c.With(accountkit.WithIdempotencyKey("8a9ee4a2-0b79-4e47-9a7d-6c0a1f3e5b21"))
	if _, err := c.CreateAccountGroup(ctx, "413715f2-5401-4b97-8055-034a6b879f8c", accountgroups.AccountGroupTypePersonal); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateAccountGroup(ctx, "413715f2-5401-4b97-8055-034a6b879f8c", accountgroups.AccountGroupTypeISA); err == nil || !strings.Contains(err.Error(), "422") {
		t.Errorf("same key, another body: %v, want a 422", err)
	}
}
