package marketplacetest_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/accountkit/accountkit-go/marketplace"
	"github.com/accountkit/accountkit-go/marketplace/marketplacetest"
)

// The tests in this file send requests as clients other than package
// marketplace write them: a literal + in the query string, a body on
// activate, PascalCase member names, and read the answers as raw JSON.

// TestSelectWithLiteralPlus: the vendor's documents write select=+audit
// unencoded, and a query string decodes that + as a space.
func TestSelectWithLiteralPlus(t *testing.T) {
	srv := marketplacetest.NewServer()
	defer srv.Close()
	a := srv.AddAccount(marketplace.Account{Name: "Acme", Type: marketplace.AccountTypeClient,
		Groups: []marketplace.Group{{ID: "UGR-1", Name: "Admins"}}})

	for _, query := range []string{"select=+audit,+groups", "select=%2Baudit,%2Bgroups", "select=%2Baudit,+groups", "select=+audit%2C+groups"} {
		status, body := do(t, srv, http.MethodGet, "/accounts/accounts/"+a.ID+"?"+query, "", nil)
		var got struct {
			Audit  map[string]any   `json:"audit"`
			Groups []map[string]any `json:"groups"`
			Meta   struct {
				Omitted []string `json:"omitted"`
			} `json:"$meta"`
		}
		if err := json.Unmarshal([]byte(body), &got); status != http.StatusOK || err != nil {
			t.Fatalf("GET ?%s: %d %s", query, status, body)
		}
		if got.Audit == nil || len(got.Groups) != 1 || len(got.Meta.Omitted) != 0 {
			t.Errorf("GET ?%s: audit and groups not selected: %s", query, body)
		}

		status, body = do(t, srv, http.MethodGet, "/accounts/accounts?"+query, "", nil)
		var page struct {
			Data []struct {
				Audit  map[string]any   `json:"audit"`
				Groups []map[string]any `json:"groups"`
			} `json:"data"`
		}
		if err := json.Unmarshal([]byte(body), &page); status != http.StatusOK || err != nil || len(page.Data) != 1 {
			t.Fatalf("list ?%s: %d %s", query, status, body)
		}
		if page.Data[0].Audit == nil || len(page.Data[0].Groups) != 1 {
			t.Errorf("list ?%s: audit and groups not selected: %s", query, body)
		}
	}

	// Entries the fake does not know are ignored, as before.
	if status, body := do(t, srv, http.MethodGet, "/accounts/accounts/"+a.ID+"?select=+nothing,-nothing", "", nil); status != http.StatusOK {
		t.Errorf("unknown select entries: %d %s", status, body)
	}
}

// TestActivateTakesABody: the vendor's spec gives activate an optional
// AccountActivateQueryModel body (externalId and name required).
func TestActivateTakesABody(t *testing.T) {
	srv := marketplacetest.NewServer()
	defer srv.Close()
	for _, ct := range []string{"application/json", "application/json; charset=utf-8", "text/json", "application/vnd.softwareone+json"} {
		a := srv.AddAccount(marketplace.Account{Name: "Acme", Type: marketplace.AccountTypeClient, Status: marketplace.AccountStatusNew})
		status, body := do(t, srv, http.MethodPost, "/accounts/accounts/"+a.ID+"/activate", ct,
			strings.NewReader(`{"externalId":"EXT-1","name":"Acme Ltd","externalName":"ACME","description":"the account"}`))
		if status != http.StatusOK || !strings.Contains(body, `"status":"Active"`) || !strings.Contains(body, `"externalId":"EXT-1"`) {
			t.Errorf("%s: %d %s", ct, status, body)
		}
		if got, _ := srv.Account(a.ID); got.Status != marketplace.AccountStatusActive || got.ExternalID != "EXT-1" || got.Name != "Acme Ltd" {
			t.Errorf("%s: stored %+v", ct, got)
		}
	}

	// An account sent back as GET returned it, with externalId and name,
	// is a valid activate body too (the schema lists those members).
	a := srv.AddAccount(marketplace.Account{Name: "Acme", Type: marketplace.AccountTypeClient, ExternalID: "EXT-2",
		Groups: []marketplace.Group{{ID: "UGR-1"}}})
	_, got := do(t, srv, http.MethodGet, "/accounts/accounts/"+a.ID+"?select=%2Baudit,%2Bgroups", "", nil)
	if status, body := do(t, srv, http.MethodPost, "/accounts/accounts/"+a.ID+"/activate", "application/json", strings.NewReader(got)); status != http.StatusOK {
		t.Errorf("the GET answer as the body: %d %s", status, body)
	}

	a = srv.AddAccount(marketplace.Account{Name: "Acme", Type: marketplace.AccountTypeClient, Status: marketplace.AccountStatusNew})
	path := "/accounts/accounts/" + a.ID + "/activate"
	for _, tc := range []struct {
		name, ct, body string
		status         int
		field          string
	}{
		{"no externalId", "application/json", `{"name":"Acme"}`, 400, "externalId"},
		{"empty externalId", "application/json", `{"externalId":"","name":"Acme"}`, 400, "externalId"},
		{"externalId too long", "application/json", `{"externalId":"` + strings.Repeat("x", 251) + `","name":"Acme"}`, 400, "externalId"},
		{"no name", "application/json", `{"externalId":"EXT-1"}`, 400, "name"},
		{"name too long", "application/json", `{"externalId":"EXT-1","name":"` + strings.Repeat("n", 501) + `"}`, 400, "name"},
		{"not an email", "application/json", `{"externalId":"EXT-1","name":"Acme","technicalSupportEmail":"support at acme"}`, 400, "technicalSupportEmail"},
		{"unknown member", "application/json", `{"externalId":"EXT-1","name":"Acme","nickname":"A"}`, 400, "account"},
		{"member the activate schema lacks", "application/json", `{"externalId":"EXT-1","name":"Acme","eligibility":{"client":true}}`, 400, "account"},
		{"malformed", "application/json", `{"externalId":`, 400, "account"},
		{"not JSON", "text/plain", `{"externalId":"EXT-1","name":"Acme"}`, 415, ""},
	} {
		status, body := do(t, srv, http.MethodPost, path, tc.ct, strings.NewReader(tc.body))
		var p struct {
			Errors map[string][]string `json:"errors"`
		}
		_ = json.Unmarshal([]byte(body), &p)
		if status != tc.status || tc.field != "" && len(p.Errors[tc.field]) == 0 {
			t.Errorf("%s: %d %s, want %d with an error for %q", tc.name, status, body, tc.status, tc.field)
		}
	}
	if got, _ := srv.Account(a.ID); got.Status != marketplace.AccountStatusNew || got.ExternalID != "" || got.Name != "Acme" {
		t.Errorf("a refused activate changed the account: %+v", got)
	}

	// Without a body, the stored externalId is used, as before.
	if status, body := do(t, srv, http.MethodPost, path, "", nil); status != http.StatusBadRequest || !strings.Contains(body, "externalId") {
		t.Errorf("no body, no externalId: %d %s", status, body)
	}
	if status, body := do(t, srv, http.MethodPost, path, "application/json", strings.NewReader("")); status != http.StatusBadRequest || !strings.Contains(body, "externalId") {
		t.Errorf("an empty JSON body, no externalId: %d %s", status, body)
	}
	// A failed status change leaves the account as it was.
	d := srv.AddAccount(marketplace.Account{Name: "Acme", Type: marketplace.AccountTypeClient, Status: marketplace.AccountStatusDisabled})
	if status, body := do(t, srv, http.MethodPost, "/accounts/accounts/"+d.ID+"/activate", "application/json", strings.NewReader(`{"externalId":"EXT-1","name":"New name"}`)); status != http.StatusBadRequest {
		t.Errorf("activating a disabled account: %d %s", status, body)
	}
	if got, _ := srv.Account(d.ID); got.ExternalID != "" || got.Name != "Acme" {
		t.Errorf("a refused activate changed the account: %+v", got)
	}
	if status, body := do(t, srv, http.MethodPost, "/accounts/accounts/ACC-0000-0000/activate", "application/json", strings.NewReader(`{"externalId":"EXT-1","name":"Acme"}`)); status != http.StatusNotFound {
		t.Errorf("unknown account: %d %s", status, body)
	}
}

// TestMemberNamesIgnoreCase: the server (ASP.NET Core, System.Text.Json
// web defaults) matches member names case-insensitively, and the vendor's
// own example writes them in PascalCase.
func TestMemberNamesIgnoreCase(t *testing.T) {
	srv := marketplacetest.NewServer()
	defer srv.Close()
	a := srv.AddAccount(marketplace.Account{Name: "Acme", Type: marketplace.AccountTypeClient, ServiceLevel: marketplace.ServiceLevelExpress})
	path := "/accounts/accounts/" + a.ID

	// The vendor's example (seed 002), without its dotted names.
	seed := `{"ExternalId":"text","ExternalName":"text","Type":"Client","Status":"Active","ServiceLevel":"Express",
		"TechnicalSupportEmail":"support@example.com","Website":"text","Description":"text","Name":"text",
		"Groups":[{"id":"text","name":"text"}],"Icon":"text","IconFileId":"text","Id":"text","SystemId":1}`
	ct, body := multipartBody(t, [3]string{"account", "application/json", seed})
	if status, answer := do(t, srv, http.MethodPut, path, ct, body); status != http.StatusOK {
		t.Fatalf("PUT of the vendor's PascalCase example: %d %s", status, answer)
	}
	stored, _ := srv.Account(a.ID)
	if stored.Name != "text" || stored.ExternalID != "text" || stored.Website != "text" || stored.Description != "text" ||
		stored.TechnicalSupportEmail != "support@example.com" || stored.ID != a.ID || stored.Status != marketplace.AccountStatusEnabled {
		t.Errorf("PascalCase members not applied, or read-only ones applied: %+v", stored)
	}

	status, answer := do(t, srv, http.MethodPost, "/accounts/accounts", "application/json",
		strings.NewReader(`{"NAME":"Beta","type":"Vendor","serviceLEVEL":"Elite","Address":{"City":"Zug","country":"CH"},"Eligibility":{"Client":true}}`))
	var created marketplace.Account
	if err := json.Unmarshal([]byte(answer), &created); status != http.StatusCreated || err != nil {
		t.Fatalf("POST with mixed case: %d %s", status, answer)
	}
	if created.Name != "Beta" || created.Type != marketplace.AccountTypeVendor || created.ServiceLevel != "Elite" ||
		created.Address.City != "Zug" || created.Address.Country != "CH" || created.Eligibility.Client == nil || !*created.Eligibility.Client {
		t.Errorf("created %+v", created)
	}

	for _, tc := range []struct{ name, body string }{
		{"two names differing in case", `{"name":"a","Name":"b"}`},
		{"two read-only members differing in case", `{"name":"a","status":"New","Status":"Active"}`},
		{"nested members differing in case", `{"name":"a","address":{"city":"a","City":"b"}}`},
		{"dotted name", `{"Name":"a","Address.City":"Zug"}`},
		{"dotted camelCase name", `{"name":"a","address.city":"Zug"}`},
	} {
		ct, body := multipartBody(t, [3]string{"account", "application/json", tc.body})
		status, answer := do(t, srv, http.MethodPut, path, ct, body)
		var p struct {
			Errors map[string][]string `json:"errors"`
		}
		_ = json.Unmarshal([]byte(answer), &p)
		if status != http.StatusBadRequest || len(p.Errors["account"]) == 0 {
			t.Errorf("%s: %d %s, want 400 with an error for account", tc.name, status, answer)
		}
	}
	if got, _ := srv.Account(a.ID); got.Name != "text" {
		t.Errorf("a refused update changed the account: %+v", got)
	}
}

// TestListAnswerShape: every page, an empty one too, has data and all of
// $meta.pagination, as the vendor documents them.
func TestListAnswerShape(t *testing.T) {
	srv := marketplacetest.NewServer()
	defer srv.Close()
	check := func(query string, wantData, wantTotal, wantLimit, wantOffset int) {
		t.Helper()
		status, body := do(t, srv, http.MethodGet, "/accounts/accounts"+query, "", nil)
		var page map[string]any
		if err := json.Unmarshal([]byte(body), &page); status != http.StatusOK || err != nil {
			t.Fatalf("%s: %d %s", query, status, body)
		}
		data, ok := page["data"].([]any)
		if !ok || len(data) != wantData {
			t.Errorf("%s: data %v, want an array of %d: %s", query, page["data"], wantData, body)
		}
		meta, _ := page["$meta"].(map[string]any)
		pagination, _ := meta["pagination"].(map[string]any)
		for k, want := range map[string]int{"total": wantTotal, "limit": wantLimit, "offset": wantOffset} {
			if got, ok := pagination[k].(float64); !ok || int(got) != want {
				t.Errorf("%s: $meta.pagination.%s is %v, want %d: %s", query, k, pagination[k], want, body)
			}
		}
	}
	check("", 0, 0, 10, 0)
	check("?limit=0", 0, 0, 0, 0)
	srv.AddAccount(marketplace.Account{Name: "Acme", Type: marketplace.AccountTypeClient})
	check("?eq(name,Nobody)", 0, 0, 10, 0)
	check("?offset=5", 0, 1, 10, 5)
	check("?limit=100", 1, 1, 100, 0)
	if _, body := do(t, srv, http.MethodGet, "/accounts/accounts?select=%2Baudit", "", nil); !strings.Contains(body, `"omitted":["groups"]`) {
		t.Errorf("omitted: %s", body)
	}

	// The SDK's client still reads an empty list.
	c, err := srv.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	var n int
	for _, err := range c.ListAccounts(t.Context(), &marketplace.ListAccountsParams{RQL: "eq(name,Nobody)"}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 0 {
		t.Errorf("%d accounts in an empty list", n)
	}
}
