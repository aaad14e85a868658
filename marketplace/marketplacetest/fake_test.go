package marketplacetest_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/accountkit/accountkit-go/accountkittest"
	"github.com/accountkit/accountkit-go/marketplace"
	"github.com/accountkit/accountkit-go/marketplace/marketplacetest"
)

// TestFakeMountedOnMux serves the fake under a prefix of the test's own
// mux and drives it with the SDK.
func TestFakeMountedOnMux(t *testing.T) {
	fake := marketplacetest.New(marketplacetest.WithDeterministicIDs())
	mux := http.NewServeMux()
	mux.Handle("/marketplace/", http.StripPrefix("/marketplace", fake))
	ts := httptest.NewServer(mux)
	defer ts.Close()

	c, err := fake.NewClientAt(ts.URL + "/marketplace")
	if err != nil {
		t.Fatal(err)
	}
	logo := []byte("\x89PNG\r\n\x1a\n logo")
	created, err := c.CreateAccount(t.Context(), &marketplace.Account{Name: "Acme", Type: marketplace.AccountTypeClient, ServiceLevel: marketplace.ServiceLevelExpress},
		&marketplace.Logo{Content: bytes.NewReader(logo)})
	if err != nil {
		t.Fatal(err)
	}
	if created.ID != "ACC-0000-0001" {
		t.Errorf("id %s", created.ID)
	}
	if info, ok := fake.Logo(created.ID); !ok || info.Size != int64(len(logo)) {
		t.Errorf("logo %+v", info)
	}

	// What the client sent, as a test sees it.
	reqs := fake.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	r := reqs[0]
	if r.Method != http.MethodPost || r.Path != "/accounts/accounts" || r.Status != http.StatusCreated {
		t.Errorf("request %s %s %d", r.Method, r.Path, r.Status)
	}
	if got := r.Header.Get("Authorization"); got != "Bearer "+accountkittest.Redacted {
		t.Errorf("Authorization recorded as %q", got)
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") || !bytes.Contains(r.Body, []byte(`"name":"Acme"`)) || !bytes.Contains(r.Body, logo) {
		t.Errorf("body %q", r.Body)
	}
	for _, r := range reqs {
		raw, _ := json.Marshal(r)
		if strings.Contains(string(raw), marketplacetest.Token) {
			t.Errorf("the API token was recorded: %s", raw)
		}
	}
}

// TestFakeWithRecorder drives the handler with httptest.NewRecorder.
func TestFakeWithRecorder(t *testing.T) {
	fake := marketplacetest.New()
	a := fake.AddAccount(marketplace.Account{Name: "Acme", Type: marketplace.AccountTypeClient})
	req := httptest.NewRequest(http.MethodGet, marketplacetest.APIBase+"/accounts/accounts/"+a.ID, nil)
	req.Header.Set("Authorization", "bearer "+marketplacetest.Token) // the scheme's name is case-insensitive
	rec := httptest.NewRecorder()
	fake.ServeHTTP(rec, req)
	var got marketplace.Account
	if err := json.NewDecoder(rec.Body).Decode(&got); rec.Code != http.StatusOK || err != nil || got.ID != a.ID {
		t.Fatalf("GET: %d %+v %v", rec.Code, got, err)
	}

	req.Header.Set("Authorization", "Bearer wrong")
	rec = httptest.NewRecorder()
	fake.ServeHTTP(rec, req)
	if rec.Code != http.StatusUnauthorized {
		t.Errorf("a wrong token: %d", rec.Code)
	}
	if reqs := fake.Requests(); len(reqs) != 2 || reqs[1].Status != http.StatusUnauthorized || reqs[1].Header.Get("Authorization") != "Bearer REDACTED" {
		t.Errorf("requests %+v", reqs)
	}
}

// TestRequestBodyIsCapped keeps the first MaxBodySize bytes of a large
// upload, which the fake still reads whole.
func TestRequestBodyIsCapped(t *testing.T) {
	srv := marketplacetest.NewServer()
	defer srv.Close()
	a := srv.AddAccount(marketplace.Account{Name: "Acme", Type: marketplace.AccountTypeClient})
	c, err := srv.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	logo := bytes.Repeat([]byte("x"), 3*accountkittest.MaxBodySize)
	if _, err := c.UpdateAccount(t.Context(), a.ID, &a, &marketplace.Logo{ContentType: "image/png", Content: bytes.NewReader(logo)}); err != nil {
		t.Fatal(err)
	}
	if info, _ := srv.Logo(a.ID); info.Size != int64(len(logo)) {
		t.Errorf("the fake read %d bytes of the logo, want %d", info.Size, len(logo))
	}
	if got := len(srv.Requests()[0].Body); got != accountkittest.MaxBodySize {
		t.Errorf("recorded %d bytes of the body, want %d", got, accountkittest.MaxBodySize)
	}
}
