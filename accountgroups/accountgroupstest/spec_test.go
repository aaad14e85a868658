package accountgroupstest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/accountkit/accountkit-go/accountgroups"
	"github.com/accountkit/accountkit-go/accountgroups/accountgroupstest"
	"github.com/accountkit/accountkit-go/internal/uuid"
)

// The tests below hold the fake to the vendor's OpenAPI document
// (upvest-account-groups.official.json), talking to it with raw signed
// requests as a client without the SDK would.

// do sends req and returns the answer with its body read.
func do(t *testing.T, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// TestEmptyListsCarryData: the lists' 200 schema requires meta and data,
// so an empty page is "data": [], not a page without data.
func TestEmptyListsCarryData(t *testing.T) {
	srv := accountgroupstest.NewServer()
	defer srv.Close()
	srv.AddToken("tok")
	owner := "413715f2-5401-4b97-8055-034a6b879f8c"
	srv.AddAccountGroup(accountgroups.AccountGroup{Users: []accountgroups.AccountGroupUser{{ID: owner, Type: accountgroups.AccountGroupUserTypeOwner}}})
	for _, path := range []string{
		"/users/5b0c2c9e-8d0e-4f51-9a3c-2a1b3c4d5e6f/account_groups", // a user without groups
		"/account_groups?limit=0",
		"/users/" + owner + "/account_groups?limit=0",
		"/account_groups?offset=5", // past the end
	} {
		resp, body := do(t, signed(t, srv.Fake, http.MethodGet, srv.URL+path, "", 15, time.Now(),
			map[string]string{"Authorization": "Bearer tok", accountgroups.HeaderSignatureVersion: "15"}))
		var page map[string]json.RawMessage
		if err := json.Unmarshal(body, &page); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %s (%v)", path, resp.StatusCode, body, err)
		}
		if string(page["data"]) != "[]" || page["meta"] == nil {
			t.Errorf("GET %s: %s, want meta and \"data\": []", path, body)
		}
	}
	srv2 := accountgroupstest.NewServer() // no groups at all
	defer srv2.Close()
	srv2.AddToken("tok")
	resp, body := do(t, signed(t, srv2.Fake, http.MethodGet, srv2.URL+"/account_groups", "", 15, time.Now(),
		map[string]string{"Authorization": "Bearer tok", accountgroups.HeaderSignatureVersion: "15"}))
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"data":[]`) {
		t.Errorf("GET /account_groups on an empty fake: %d %s, want \"data\": []", resp.StatusCode, body)
	}
}

// TestRequestIDsAreUUIDs: the spec declares upvest-request-id with format
// uuid on every response; a problem's request_id repeats it.
func TestRequestIDsAreUUIDs(t *testing.T) {
	srv := accountgroupstest.NewServer()
	defer srv.Close()
	srv.AddToken("tok")
	seen := map[string]bool{}
	for _, tc := range []struct {
		path    string
		status  int
		problem bool
	}{
		{"/account_groups", http.StatusOK, false},
		{"/account_groups/9d95820d-4333-46b6-98de-04ab7512e76f", http.StatusNotFound, true},
		{"/account_groups?limit=5000", http.StatusBadRequest, true},
	} {
		resp, body := do(t, signed(t, srv.Fake, http.MethodGet, srv.URL+tc.path, "", 15, time.Now(),
			map[string]string{"Authorization": "Bearer tok", accountgroups.HeaderSignatureVersion: "15"}))
		id := resp.Header.Get(accountgroups.HeaderRequestID)
		if resp.StatusCode != tc.status || !uuid.Valid(id) || seen[id] {
			t.Errorf("GET %s: %d, %s %q, want %d and a new UUID", tc.path, resp.StatusCode, accountgroups.HeaderRequestID, id, tc.status)
		}
		seen[id] = true
		if tc.problem {
			var p struct {
				RequestID string `json:"request_id"`
			}
			if err := json.Unmarshal(body, &p); err != nil || p.RequestID != id {
				t.Errorf("GET %s: problem %s, want request_id %q", tc.path, body, id)
			}
		}
	}
	// The token endpoint's answers and unsigned requests carry one too.
	resp, _ := do(t, mustRequest(http.MethodGet, srv.URL+"/account_groups", ""))
	if id := resp.Header.Get(accountgroups.HeaderRequestID); resp.StatusCode != http.StatusUnauthorized || !uuid.Valid(id) {
		t.Errorf("unsigned request: %d, %s %q, want 401 and a UUID", resp.StatusCode, accountgroups.HeaderRequestID, id)
	}
}

// TestTokenRequestNeedsScope: the token request schema requires scope;
// without one (or with a blank one) the request is a 400 problem, the
// error response the spec documents for /auth/token.
func TestTokenRequestNeedsScope(t *testing.T) {
	srv := accountgroupstest.NewServer()
	defer srv.Close()
	token := func(scope *string) (*http.Response, []byte) {
		form := url.Values{"grant_type": {"client_credentials"}, "client_id": {accountgroupstest.ClientID}, "client_secret": {accountgroupstest.ClientSecret}}
		if scope != nil {
			form.Set("scope", *scope)
		}
		return do(t, signed(t, srv.Fake, http.MethodPost, srv.URL+accountgroupstest.TokenPath, form.Encode(), 15, time.Now(),
			map[string]string{"Content-Type": "application/x-www-form-urlencoded", accountgroups.HeaderSignatureVersion: "15"}))
	}
	blank, spaces := "", "  "
	for name, scope := range map[string]*string{"no scope": nil, "empty scope": &blank, "blank scope": &spaces} {
		resp, body := token(scope)
		var p struct {
			Status    int    `json:"status"`
			Detail    string `json:"detail"`
			RequestID string `json:"request_id"`
		}
		_ = json.Unmarshal(body, &p)
		if resp.StatusCode != http.StatusBadRequest || p.Status != http.StatusBadRequest ||
			!strings.HasPrefix(resp.Header.Get("Content-Type"), "application/problem+json") ||
			!strings.Contains(p.Detail, "invalid_request") || !strings.Contains(p.Detail, "scope") || p.RequestID == "" {
			t.Errorf("%s: %d %s, want a 400 invalid_request problem", name, resp.StatusCode, body)
		}
	}
	if srv.TokensIssued() != 0 {
		t.Errorf("TokensIssued %d after refused requests, want 0", srv.TokensIssued())
	}
	scope := accountgroups.ScopeAccountsRead
	if resp, body := token(&scope); resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"scope":"accounts:read"`) {
		t.Errorf("with scope accounts:read: %d %s, want 200", resp.StatusCode, body)
	}
}
