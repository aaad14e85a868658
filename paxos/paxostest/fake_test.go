package paxostest_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/accountkit/accountkit-go/accountkittest"
	"github.com/accountkit/accountkit-go/paxos"
	"github.com/accountkit/accountkit-go/paxos/paxostest"
)

// TestFakeMountedOnMux serves the fake under a prefix of the test's own
// mux, beside a handler of its own, and drives it with the SDK.
func TestFakeMountedOnMux(t *testing.T) {
	fake := paxostest.New()
	mux := http.NewServeMux()
	mux.Handle("/paxos/", http.StripPrefix("/paxos", fake))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) })
	ts := httptest.NewServer(mux)
	defer ts.Close()

	c, err := fake.NewClientAt(ts.URL + "/paxos")
	if err != nil {
		t.Fatal(err)
	}
	created, err := c.CreateAccount(t.Context(), paxos.CreateAccountRequest{Account: paxos.Account{IdentityID: "owner"}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.GetAccount(t.Context(), created.ID)
	if err != nil || got.IdentityID != "owner" {
		t.Fatalf("GetAccount: %+v, %v", got, err)
	}
	if a, ok := fake.Account(created.ID); !ok || a.IdentityID != "owner" {
		t.Errorf("the fake holds %+v, %v", a, ok)
	}
	reqs := fake.Requests()
	if len(reqs) != 2 || reqs[0].Path != "/identity/accounts" || reqs[1].Path != "/identity/accounts/"+created.ID {
		t.Errorf("requests %+v, want the two API requests with paths relative to the API base", reqs)
	}
	if fake.TokensIssued() != 1 {
		t.Errorf("TokensIssued = %d, want 1", fake.TokensIssued())
	}
	if env := fake.EnvironmentAt(ts.URL + "/paxos/"); env.BaseURL != ts.URL+"/paxos/v2" || env.TokenURL != ts.URL+"/paxos/oauth2/token" {
		t.Errorf("EnvironmentAt = %+v", env)
	}
}

// TestFakeWithRecorder drives the handler with httptest.NewRecorder, no
// listener at all.
func TestFakeWithRecorder(t *testing.T) {
	fake := paxostest.New()
	a := fake.AddAccount(paxos.Account{IdentityID: "owner"})

	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {paxostest.ClientID},
		"client_secret": {paxostest.ClientSecret}, "scope": {paxos.ScopeReadAccount}}
	req := httptest.NewRequest(http.MethodPost, paxostest.TokenPath, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	fake.ServeHTTP(rec, req)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(rec.Body).Decode(&tok); rec.Code != http.StatusOK || err != nil || tok.AccessToken == "" {
		t.Fatalf("token: %d %v", rec.Code, err)
	}

	req = httptest.NewRequest(http.MethodGet, paxostest.APIBase+"/identity/accounts/"+a.ID, nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	rec = httptest.NewRecorder()
	fake.ServeHTTP(rec, req)
	var got paxos.Account
	if err := json.NewDecoder(rec.Body).Decode(&got); rec.Code != http.StatusOK || err != nil || got.ID != a.ID {
		t.Fatalf("GET: %d %+v %v", rec.Code, got, err)
	}
	if rec.Header().Get("X-Request-Id") == "" {
		t.Error("no request id")
	}

	fake.InjectFault(paxostest.Fault{Method: http.MethodGet, Status: http.StatusServiceUnavailable})
	rec = httptest.NewRecorder()
	fake.ServeHTTP(rec, req)
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Content-Type") != "application/problem+json" {
		t.Errorf("injected fault: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	if reqs := fake.Requests(); len(reqs) != 2 || reqs[1].Status != http.StatusServiceUnavailable {
		t.Errorf("requests %+v", reqs)
	}
}

// TestRequestsCarryHeadersAndBodies: a test can check what the client sent,
// and no credential is kept.
func TestRequestsCarryHeadersAndBodies(t *testing.T) {
	srv := paxostest.NewServer()
	defer srv.Close()
	c, err := srv.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	a, err := c.CreateAccount(t.Context(), paxos.CreateAccountRequest{Account: paxos.Account{IdentityID: "owner", Metadata: map[string]string{"k": "v"}}})
	if err != nil {
		t.Fatal(err)
	}
	for range c.ListAccounts(t.Context(), &paxos.ListAccountsParams{IdentityID: "owner", Limit: 5}) {
	}
	reqs := srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2 (token requests are not listed)", len(reqs))
	}
	create, list := reqs[0], reqs[1]
	var body paxos.CreateAccountRequest
	if err := json.Unmarshal(create.Body, &body); err != nil || body.Account.IdentityID != "owner" || body.Account.Metadata["k"] != "v" {
		t.Errorf("create body %s: %v", create.Body, err)
	}
	if create.Method != http.MethodPost || create.Status != http.StatusOK || create.Header.Get("Content-Type") != "application/json" {
		t.Errorf("create %s %d %v", create.Method, create.Status, create.Header)
	}
	if got := create.Header.Get("Authorization"); got != "Bearer "+accountkittest.Redacted {
		t.Errorf("Authorization recorded as %q, want it redacted", got)
	}
	if q, _ := url.ParseQuery(list.Query); q.Get("identity_id") != "owner" || q.Get("limit") != "5" || list.Body != nil {
		t.Errorf("list query %q, body %q", list.Query, list.Body)
	}
	for _, r := range reqs {
		raw, _ := json.Marshal(r)
		if strings.Contains(string(raw), paxostest.ClientSecret) || strings.Contains(string(raw), "paxostest_") {
			t.Errorf("a credential was recorded: %s", raw)
		}
	}
	if reqs[0].Header.Get("Authorization") == "" || a.ID == "" {
		t.Error("nothing recorded")
	}
	reqs[0].Header.Set("Authorization", "changed")
	if srv.Requests()[0].Header.Get("Authorization") == "changed" {
		t.Error("Requests returns the fake's own headers, not a copy")
	}
}

// TestAddToken replays requests that carry a token from elsewhere.
func TestAddToken(t *testing.T) {
	srv := paxostest.NewServer()
	defer srv.Close()
	a := srv.AddAccount(paxos.Account{IdentityID: "owner", Members: []paxos.AccountMember{{IdentityID: "bo", Roles: []paxos.Role{paxos.RoleBeneficialOwner}}}})
	srv.AddToken("recorded-token")
	srv.AddToken("read-only-token", paxos.ScopeReadAccount)
	update := `{"account":{"id":"` + a.ID + `","description":"replayed"}}`

	if status, body := call(t, srv, "recorded-token", http.MethodGet, "/identity/accounts/"+a.ID, ""); status != http.StatusOK {
		t.Errorf("GET with an added token: %d %s", status, body)
	}
	if status, body := call(t, srv, "recorded-token", http.MethodPut, "/identity/accounts", update); status != http.StatusOK {
		t.Errorf("PUT with an added token: %d %s", status, body)
	}
	if status, _ := call(t, srv, "read-only-token", http.MethodPut, "/identity/accounts", update); status != http.StatusForbidden {
		t.Errorf("PUT with a read-only added token: %d, want 403", status)
	}
	if status, _ := call(t, srv, "read-only-token", http.MethodGet, "/identity/accounts/"+a.ID, ""); status != http.StatusOK {
		t.Errorf("GET with a read-only added token: %d, want 200", status)
	}
	if srv.TokensIssued() != 0 {
		t.Errorf("TokensIssued = %d: added tokens are not issued ones", srv.TokensIssued())
	}
	srv.ExpireTokens()
	if status, _ := call(t, srv, "recorded-token", http.MethodGet, "/identity/accounts/"+a.ID, ""); status != http.StatusUnauthorized {
		t.Errorf("after ExpireTokens: %d, want 401", status)
	}

	// A client with a fixed token of its own, as in recorded fixtures.
	srv.AddToken("fixture-token")
	c, err := paxos.NewClient(srv.Environment(), paxos.WithTokenSource(staticToken("fixture-token")))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := c.GetAccount(t.Context(), a.ID); err != nil || got.Description != "replayed" {
		t.Errorf("GetAccount with a fixed token: %+v, %v", got, err)
	}
}

// TestTokenEndpointScopes grants any scope of Paxos's scheme and refuses
// others.
func TestTokenEndpointScopes(t *testing.T) {
	srv := paxostest.NewServer()
	defer srv.Close()
	post := func(scope string, basic bool) int {
		form := url.Values{"grant_type": {"client_credentials"}, "scope": {scope}}
		if !basic {
			form.Set("client_id", paxostest.ClientID)
			form.Set("client_secret", paxostest.ClientSecret)
		}
		req, _ := http.NewRequest(http.MethodPost, srv.Environment().TokenURL, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if basic {
			req.SetBasicAuth(paxostest.ClientID, paxostest.ClientSecret)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := post("identity:read_account funding:read_profile", false); got != http.StatusOK {
		t.Errorf("scopes of Paxos's scheme: %d, want 200", got)
	}
	if got := post("identity:read_account", true); got != http.StatusOK {
		t.Errorf("credentials in Basic auth: %d, want 200", got)
	}
	if got := post("identity:everything", false); got != http.StatusBadRequest {
		t.Errorf("an unknown scope: %d, want 400", got)
	}
}
