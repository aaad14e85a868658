package accountgroupstest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/accountkit/accountkit-go/accountgroups"
	"github.com/accountkit/accountkit-go/accountgroups/accountgroupstest"
	"github.com/accountkit/accountkit-go/internal/httpsig"
)

// signed is a request to the fake signed with its client key, in format
// version, at the time now, with headers set before signing.
func signed(t *testing.T, fake *accountgroupstest.Fake, method, url, body string, version int, now time.Time, headers map[string]string) *http.Request {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set(accountgroups.HeaderClientID, accountgroupstest.ClientID)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range headers {
		if v != "" {
			req.Header.Set(k, v)
		}
	}
	keyID, key := fake.SigningKey()
	signer := &httpsig.Signer{KeyID: keyID, Key: key, Now: func() time.Time { return now }, Version: version}
	if err := signer.Sign(req, []byte(body)); err != nil {
		t.Fatal(err)
	}
	return req
}

func send(t *testing.T, req *http.Request) (int, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestVersionHeaders checks upvest-api-version and upvest-signature-version
// as the vendor documents them: the API version is optional (its spec:
// required false, default 1); the signature version says the format, 15,
// and its absence means the default format, 6.
func TestVersionHeaders(t *testing.T) {
	srv := accountgroupstest.NewServer()
	defer srv.Close()
	g := srv.AddAccountGroup(accountgroups.AccountGroup{})
	srv.AddToken("tok")
	auth := "Bearer tok"
	for _, tc := range []struct {
		name           string
		apiVersion     string
		sigVersion     string
		format         int
		want           int
		detailContains string
	}{
		{"api version 1", "1", "15", 15, 200, ""},
		{"no api version", "", "15", 15, 200, ""},
		{"api version 2", "2", "15", 15, 400, "upvest-api-version"},
		{"api version v1", "v1", "15", 15, 400, "upvest-api-version"},
		{"no signature version, format 6", "1", "", 6, 200, ""},
		{"signature version 6, format 6", "1", "6", 6, 200, ""},
		{"no signature version, format 15", "1", "", 15, 401, "upvest-signature-version: 15"},
		{"signature version 15, format 6", "1", "15", 6, 401, "format 6"},
		{"signature version 16", "1", "16", 15, 400, "upvest-signature-version must be 15"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := signed(t, srv.Fake, http.MethodGet, srv.URL+"/account_groups/"+g.ID, "", tc.format, time.Now(), map[string]string{
				"Authorization":                      auth,
				accountgroups.HeaderAPIVersion:       tc.apiVersion,
				accountgroups.HeaderSignatureVersion: tc.sigVersion,
			})
			status, body := send(t, req)
			if status != tc.want || !strings.Contains(body, tc.detailContains) {
				t.Errorf("%d %s, want %d mentioning %q", status, body, tc.want, tc.detailContains)
			}
		})
	}
}

// TestSignatureClock replays a request signed an hour ago: refused on the
// real clock, accepted with WithSignatureClock at the time it was signed.
func TestSignatureClock(t *testing.T) {
	signedAt := time.Now().Add(-time.Hour).Truncate(time.Second)
	body := `{"user_id":"413715f2-5401-4b97-8055-034a6b879f8c","type":"PERSONAL"}`
	headers := map[string]string{
		"Authorization":                      "Bearer recorded-token",
		accountgroups.HeaderSignatureVersion: "15",
		"Idempotency-Key":                    "8a9ee4a2-0b79-4e47-9a7d-6c0a1f3e5b21",
	}

	live := accountgroupstest.NewServer()
	defer live.Close()
	live.AddToken("recorded-token")
	if status, answer := send(t, signed(t, live.Fake, http.MethodPost, live.URL+"/account_groups", body, 15, signedAt, headers)); status != http.StatusUnauthorized || !strings.Contains(answer, "signature verification failed") {
		t.Errorf("an hour-old signature on the real clock: %d %s, want 401", status, answer)
	}

	replay := accountgroupstest.NewServer(accountgroupstest.WithSignatureClock(func() time.Time { return signedAt.Add(2 * time.Second) }))
	defer replay.Close()
	replay.AddToken("recorded-token", accountgroups.ScopeAccountsAdmin)
	status, answer := send(t, signed(t, replay.Fake, http.MethodPost, replay.URL+"/account_groups", body, 15, signedAt, headers))
	var g accountgroups.AccountGroup
	if status != http.StatusOK || json.Unmarshal([]byte(answer), &g) != nil || g.Users[0].ID != "413715f2-5401-4b97-8055-034a6b879f8c" {
		t.Errorf("the same request replayed at its time: %d %s, want 200", status, answer)
	}
}

// TestAddToken accepts a bearer token issued elsewhere, with its scopes.
func TestAddToken(t *testing.T) {
	srv := accountgroupstest.NewServer()
	defer srv.Close()
	g := srv.AddAccountGroup(accountgroups.AccountGroup{})
	srv.AddToken("read-token", accountgroups.ScopeAccountsRead)
	srv.AddToken("admin-token", accountgroups.ScopeAccountsAdmin)
	get := func(tok string) int {
		status, _ := send(t, signed(t, srv.Fake, http.MethodGet, srv.URL+"/account_groups/"+g.ID, "", 15, time.Now(),
			map[string]string{"Authorization": "Bearer " + tok, accountgroups.HeaderSignatureVersion: "15"}))
		return status
	}
	closeGroup := func(tok string) int {
		status, _ := send(t, signed(t, srv.Fake, http.MethodDelete, srv.URL+"/account_groups/"+g.ID+"?closure_reason=user_initiated", "", 15, time.Now(),
			map[string]string{"Authorization": "Bearer " + tok, accountgroups.HeaderSignatureVersion: "15"}))
		return status
	}
	if got := get("read-token"); got != http.StatusOK {
		t.Errorf("GET with an added read token: %d", got)
	}
	if got := get("admin-token"); got != http.StatusOK {
		t.Errorf("GET with an added admin token (admin covers reads): %d", got)
	}
	if got := get("unknown-token"); got != http.StatusUnauthorized {
		t.Errorf("GET with an unknown token: %d", got)
	}
	if got := closeGroup("read-token"); got != http.StatusForbidden {
		t.Errorf("close with a read token: %d, want 403", got)
	}
	if got := closeGroup("admin-token"); got != http.StatusAccepted {
		t.Errorf("close with an admin token: %d, want 202", got)
	}
	srv.ExpireTokens()
	if got := get("read-token"); got != http.StatusUnauthorized {
		t.Errorf("after ExpireTokens: %d, want 401", got)
	}
	if srv.TokensIssued() != 0 {
		t.Errorf("TokensIssued = %d", srv.TokensIssued())
	}
}

// TestLenientParameters: closure_reason may be left out, list parameters
// the fake does not read are ignored, limit may be 0 (the vendor's
// minimum), and an idempotency key may come without hyphens (the vendor's
// pattern).
func TestLenientParameters(t *testing.T) {
	srv := accountgroupstest.NewServer()
	defer srv.Close()
	g := srv.AddAccountGroup(accountgroups.AccountGroup{})
	srv.AddToken("tok")
	h := map[string]string{"Authorization": "Bearer tok", accountgroups.HeaderSignatureVersion: "15"}
	for _, tc := range []struct {
		method, path, body, key string
		want                    int
	}{
		{http.MethodGet, "/account_groups?limit=0", "", "", 200},
		{http.MethodGet, "/account_groups?limit=10&page=2&fields=id", "", "", 200},
		{http.MethodGet, "/account_groups?limit=1001", "", "", 400},
		{http.MethodGet, "/account_groups?order=UP", "", "", 400},
		{http.MethodPost, "/account_groups", `{"user_id":"413715f2-5401-4b97-8055-034a6b879f8c","type":"PERSONAL"}`, "8a9ee4a20b794e479a7d6c0a1f3e5b21", 200},
		{http.MethodPost, "/account_groups", `{"user_id":"413715f2-5401-4b97-8055-034a6b879f8c","type":"PERSONAL"}`, "not-a-uuid", 400},
		{http.MethodPost, "/account_groups", `{"user_id":"413715f2-5401-4b97-8055-034a6b879f8c","type":"PERSONAL","nickname":"x"}`, "9a9ee4a2-0b79-4e47-9a7d-6c0a1f3e5b21", 400},
		{http.MethodDelete, "/account_groups/" + g.ID + "?closure_reason=bored", "", "", 400},
		{http.MethodDelete, "/account_groups/" + g.ID, "", "", 202},
	} {
		hh := map[string]string{"Idempotency-Key": tc.key}
		for k, v := range h {
			hh[k] = v
		}
		status, body := send(t, signed(t, srv.Fake, tc.method, srv.URL+tc.path, tc.body, 15, time.Now(), hh))
		if status != tc.want {
			t.Errorf("%s %s (key %q): %d %s, want %d", tc.method, tc.path, tc.key, status, body, tc.want)
		}
	}
}

// TestTokenRequestMayCarryAuthorization: the vendor's token operation
// does not forbid an Authorization header, so the fake ignores one.
func TestTokenRequestMayCarryAuthorization(t *testing.T) {
	srv := accountgroupstest.NewServer()
	defer srv.Close()
	form := "grant_type=client_credentials&client_id=" + accountgroupstest.ClientID + "&client_secret=" + accountgroupstest.ClientSecret + "&scope=accounts%3Aread+webhooks%3Aread"
	req := signed(t, srv.Fake, http.MethodPost, srv.URL+accountgroupstest.TokenPath, form, 15, time.Now(),
		map[string]string{"Authorization": "Bearer stale", "Content-Type": "application/x-www-form-urlencoded", accountgroups.HeaderSignatureVersion: "15"})
	status, body := send(t, req)
	if status != http.StatusOK || !strings.Contains(body, "access_token") {
		t.Errorf("token request with an Authorization header: %d %s", status, body)
	}
	if srv.TokensIssued() != 1 || len(srv.Requests()) != 0 {
		t.Errorf("TokensIssued %d, requests %d: token requests are counted, not recorded", srv.TokensIssued(), len(srv.Requests()))
	}
}

// TestVerifyKeysScope: the webhook keys need webhooks:read (or
// webhooks:admin), as the vendor's spec says; account scopes are not
// enough.
func TestVerifyKeysScope(t *testing.T) {
	srv := accountgroupstest.NewServer()
	defer srv.Close()
	srv.AddToken("accounts-token", accountgroups.ScopeAccountsRead, accountgroups.ScopeAccountsAdmin)
	srv.AddToken("webhooks-token", accountgroups.ScopeWebhooksRead)
	srv.AddToken("webhooks-admin-token", "webhooks:admin")
	for tok, want := range map[string]int{"accounts-token": http.StatusForbidden, "webhooks-token": http.StatusOK, "webhooks-admin-token": http.StatusOK} {
		status, _ := send(t, signed(t, srv.Fake, http.MethodGet, srv.URL+"/auth/verify_keys", "", 15, time.Now(),
			map[string]string{"Authorization": "Bearer " + tok, accountgroups.HeaderSignatureVersion: "15"}))
		if status != want {
			t.Errorf("verify_keys with %s: %d, want %d", tok, status, want)
		}
	}
}
