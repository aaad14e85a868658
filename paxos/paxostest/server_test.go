package paxostest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/accountkit/accountkit-go/paxos"
	"github.com/accountkit/accountkit-go/paxos/paxostest"
)

// token fetches a token from the fake with the given scopes.
func token(t *testing.T, srv *paxostest.Server, scope string) string {
	t.Helper()
	resp, err := http.PostForm(srv.Environment().TokenURL, url.Values{
		"grant_type": {"client_credentials"}, "client_id": {paxostest.ClientID},
		"client_secret": {paxostest.ClientSecret}, "scope": {scope},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.AccessToken == "" || tok.ExpiresIn != 3599 {
		t.Fatalf("token: %v %+v", err, tok)
	}
	return tok.AccessToken
}

func call(t *testing.T, srv *paxostest.Server, tok, method, path, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, srv.Environment().BaseURL+path, strings.NewReader(body))
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 400 && resp.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("%s %s: error answer with content type %q", method, path, resp.Header.Get("Content-Type"))
	}
	return resp.StatusCode, string(b)
}

// TestFakeRefusesWhatPaxosRefuses talks to the fake over plain HTTP.
func TestFakeRefusesWhatPaxosRefuses(t *testing.T) {
	srv := paxostest.NewServer()
	defer srv.Close()
	a := srv.AddAccount(paxos.Account{IdentityID: "owner", RefID: "r1", Members: []paxos.AccountMember{
		{IdentityID: "bo", Roles: []paxos.Role{paxos.RoleBeneficialOwner}},
		{IdentityID: "au", Roles: []paxos.Role{paxos.RoleAuthorizedUser}},
	}})
	rw := token(t, srv, paxos.ScopeReadAccount+" "+paxos.ScopeWriteAccount)
	ro := token(t, srv, paxos.ScopeReadAccount)
	put := func(members string) string {
		return `{"account":{"id":"` + a.ID + `","members":` + members + `}}`
	}
	for _, tc := range []struct {
		name, tok, method, path, body string
		want                          int
		detail                        string
	}{
		{"no token", "", "GET", "/identity/accounts/" + a.ID, "", 401, "missing bearer token"},
		{"bad token", "nope", "GET", "/identity/accounts/" + a.ID, "", 401, "invalid or has expired"},
		{"read-only token writes", ro, "PUT", "/identity/accounts", put(`[{"identity_id":"bo","roles":["BENEFICIAL_OWNER"]}]`), 403, "lacks scope"},
		{"unknown account", rw, "GET", "/identity/accounts/nope", "", 404, "not found"},
		{"empty members", rw, "PUT", "/identity/accounts", put(`[]`), 400, "at least one element"},
		{"drop beneficial owner", rw, "PUT", "/identity/accounts", put(`[{"identity_id":"au","roles":["AUTHORIZED_USER"]}]`), 400, "cannot be removed"},
		{"add beneficial owner", rw, "PUT", "/identity/accounts", put(`[{"identity_id":"bo","roles":["BENEFICIAL_OWNER"]},{"identity_id":"au","roles":["AUTHORIZED_USER","BENEFICIAL_OWNER"]}]`), 400, "cannot be added or removed"},
		{"unknown role", rw, "PUT", "/identity/accounts", put(`[{"identity_id":"bo","roles":["BENEFICIAL_OWNER"]},{"identity_id":"au","roles":["KING"]}]`), 400, "unknown role"},
		{"update without id", rw, "PUT", "/identity/accounts", `{"account":{"description":"x"}}`, 400, "account.id is required"},
		{"update unknown account", rw, "PUT", "/identity/accounts", `{"account":{"id":"nope","description":"x"}}`, 404, "not found"},
		{"not JSON", rw, "PUT", "/identity/accounts", `{"account":`, 400, "invalid JSON"},
		{"create without identity", rw, "POST", "/identity/accounts", `{"account":{}}`, 400, "identity_id is required"},
		{"create with member id", rw, "POST", "/identity/accounts", `{"account":{"identity_id":"x","members":[{"id":"m","identity_id":"y","roles":["AUTHORIZED_USER"]}]}}`, 400, "assigned by the server"},
		{"duplicate ref_id", rw, "POST", "/identity/accounts", `{"account":{"identity_id":"x","ref_id":"r1"}}`, 409, "already exists"},
		{"add no members", rw, "POST", "/identity/account-members", `{"account_id":"` + a.ID + `","members":[]}`, 400, "at least one element"},
		{"delete unknown member", rw, "DELETE", "/identity/account-members/nope", "", 404, "not found"},
		{"bad cursor", rw, "GET", "/identity/accounts?page_cursor=zzz", "", 400, "invalid page_cursor"},
		{"negative limit", rw, "GET", "/identity/accounts?limit=-1", "", 400, "limit"},
		{"bad order", rw, "GET", "/identity/accounts?order=up", "", 400, "order must be"},
		{"bad time filter", rw, "GET", "/identity/accounts?created_at.gt=yesterday", "", 400, "RFC 3339"},
		{"add member with id", rw, "POST", "/identity/account-members", `{"account_id":"` + a.ID + `","members":[{"id":"m","identity_id":"y","roles":["AUTHORIZED_USER"]}]}`, 400, "assigned by the server"},
		{"add existing member", rw, "POST", "/identity/account-members", `{"account_id":"` + a.ID + `","members":[{"identity_id":"au","roles":["AUTHORIZED_USER"]}]}`, 409, "already a member"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := call(t, srv, tc.tok, tc.method, tc.path, tc.body)
			if status != tc.want || !strings.Contains(body, tc.detail) {
				t.Errorf("%d %s, want %d mentioning %q", status, body, tc.want, tc.detail)
			}
		})
	}
	if got, _ := srv.Account(a.ID); len(got.Members) != 2 {
		t.Errorf("a refused request changed the account: %v", got.Members)
	}
	status, body := call(t, srv, rw, "POST", "/identity/accounts", `{"account":{"identity_id":"x","ref_id":"r1"}}`)
	if status != 409 || !strings.Contains(body, `"existing"`) || !strings.Contains(body, a.ID) {
		t.Errorf("409 without meta.existing: %s", body)
	}
}

// staticToken is an oauth2.TokenSource that always returns tok.
type staticToken string

func (s staticToken) Token() (*oauth2.Token, error) {
	return &oauth2.Token{AccessToken: string(s), TokenType: "Bearer"}, nil
}
