package marketplacetest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/accountkit/accountkit-go/marketplace"
	"github.com/accountkit/accountkit-go/marketplace/marketplacetest"
)

func do(t *testing.T, srv *marketplacetest.Server, method, path, contentType string, body io.Reader) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, srv.Environment().BaseURL+path, body)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Authorization", "Bearer "+marketplacetest.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestUpdateTakesAccountAsGetReturnedIt sends an account back as GET
// returned it (audit, groups, status, href, $meta and all) as the
// multipart account part and as a JSON body: the vendor's update schema
// lists those members, and ignores the read-only ones.
func TestUpdateTakesAccountAsGetReturnedIt(t *testing.T) {
	srv := marketplacetest.NewServer()
	defer srv.Close()
	a := srv.AddAccount(marketplace.Account{Name: "Acme", Type: marketplace.AccountTypeClient, ServiceLevel: marketplace.ServiceLevelExpress,
		Groups: []marketplace.Group{{ID: "UGR-1", Name: "Admins"}}})
	path := "/accounts/accounts/" + a.ID

	status, got := do(t, srv, http.MethodGet, path+"?select=%2Baudit,%2Bgroups", "", nil)
	if status != http.StatusOK {
		t.Fatalf("GET: %d %s", status, got)
	}
	ct, body := multipartBody(t, [3]string{"account", "application/json", got})
	if status, answer := do(t, srv, http.MethodPut, path, ct, body); status != http.StatusOK {
		t.Fatalf("PUT of the GET answer as the account part: %d %s", status, answer)
	}

	var account map[string]any
	_ = json.Unmarshal([]byte(got), &account)
	account["name"] = "Acme Ltd"
	account["externalName"] = "ACME"
	account["status"] = "Disabled"
	account["id"] = "ACC-9999-9999"
	account["icon"] = "/made/up"
	raw, _ := json.Marshal(account)
	if status, answer := do(t, srv, http.MethodPut, path, "application/json", strings.NewReader(string(raw))); status != http.StatusOK {
		t.Fatalf("PUT of a changed GET answer as JSON: %d %s", status, answer)
	}
	stored, _ := srv.Account(a.ID)
	if stored.Name != "Acme Ltd" || stored.ExternalName != "ACME" {
		t.Errorf("name %q, externalName %q: not applied", stored.Name, stored.ExternalName)
	}
	if stored.Status != marketplace.AccountStatusEnabled || stored.ID != a.ID || stored.Icon != "" || len(stored.Groups) != 1 || !stored.Audit.Created.At.Equal(a.Audit.Created.At) {
		t.Errorf("a read-only member changed: %+v", stored)
	}
}

// TestUnknownPartsAndParametersAreIgnored: form binding skips parts an
// operation does not take; a list skips parameters it does not read.
func TestUnknownPartsAndParametersAreIgnored(t *testing.T) {
	srv := marketplacetest.NewServer()
	defer srv.Close()
	a := srv.AddAccount(marketplace.Account{Name: "Acme", Type: marketplace.AccountTypeClient})
	ct, body := multipartBody(t, [3]string{"account", "text/json", `{"name":"Acme","serviceLevel":"Premium"}`}, [3]string{"banner", "image/png", "x"})
	if status, answer := do(t, srv, http.MethodPut, "/accounts/accounts/"+a.ID, ct, body); status != http.StatusOK {
		t.Errorf("an extra part, a text/json account and a service level the schema's enum lacks: %d %s", status, answer)
	}
	if status, answer := do(t, srv, http.MethodGet, "/accounts/accounts?limit=5&trace=1&eq(name,Acme)", "", nil); status != http.StatusOK || !strings.Contains(answer, a.ID) {
		t.Errorf("an unknown parameter: %d %s", status, answer)
	}
}
