package marketplacetest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"

	"github.com/accountkit/accountkit-go/marketplace"
	"github.com/accountkit/accountkit-go/marketplace/marketplacetest"
)

// multipartBody builds a body from parts: name, content type, content.
func multipartBody(t *testing.T, parts ...[3]string) (string, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, p := range parts {
		h := textproto.MIMEHeader{"Content-Disposition": {`form-data; name="` + p[0] + `"; filename="f"`}}
		if p[1] != "" {
			h.Set("Content-Type", p[1])
		}
		pw, err := w.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.WriteString(pw, p[2])
	}
	_ = w.Close()
	return w.FormDataContentType(), &buf
}

func TestFakeRefusesBadBodies(t *testing.T) {
	srv := marketplacetest.NewServer()
	defer srv.Close()
	a := srv.AddAccount(marketplace.Account{Name: "Acme", Type: marketplace.AccountTypeClient})
	good := `{"name":"Acme","type":"Client","serviceLevel":"Express"}`
	for _, tc := range []struct {
		name   string
		parts  [][3]string
		json   string
		status int
		field  string
	}{
		{"no account part", [][3]string{{"logo", "image/png", "png"}}, "", 400, "account"},
		{"account part not JSON", [][3]string{{"account", "text/plain", good}}, "", 400, "account"},
		{"account part malformed", [][3]string{{"account", "application/json", `{"name":`}}, "", 400, "account"},
		{"member an account does not have", [][3]string{{"account", "application/json", `{"name":"Acme","nickname":"A"}`}}, "", 400, "account"},
		{"account not an object", [][3]string{{"account", "application/json", `["Acme"]`}}, "", 400, "account"},
		{"description too long", nil, `{"name":"Acme","description":"` + strings.Repeat("d", 2001) + `"}`, 400, "description"},
		{"not an email", nil, `{"name":"Acme","technicalSupportEmail":"support at acme"}`, 400, "technicalSupportEmail"},
		{"json without name", nil, `{"type":"Client"}`, 400, "name"},
		{"type change", nil, `{"name":"Acme","type":"Vendor"}`, 400, "type"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ct, body := "application/json", bytes.NewBufferString(tc.json)
			if tc.parts != nil {
				ct, body = multipartBody(t, tc.parts...)
			}
			req, _ := http.NewRequest(http.MethodPut, srv.Environment().BaseURL+"/accounts/accounts/"+a.ID, body)
			req.Header.Set("Content-Type", ct)
			req.Header.Set("Authorization", "Bearer "+marketplacetest.Token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var p struct {
				Errors  map[string][]string `json:"errors"`
				TraceID string              `json:"traceId"`
			}
			_ = json.NewDecoder(resp.Body).Decode(&p)
			if resp.StatusCode != tc.status || len(p.Errors[tc.field]) == 0 || p.TraceID == "" || resp.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("%d %+v, want %d with an error for %q", resp.StatusCode, p, tc.status, tc.field)
			}
		})
	}
	if got, _ := srv.Account(a.ID); got.Type != marketplace.AccountTypeClient || got.Status != marketplace.AccountStatusEnabled {
		t.Errorf("a refused request changed the account: %+v", got)
	}
	req, _ := http.NewRequest(http.MethodGet, srv.Environment().BaseURL+"/accounts/accounts/"+a.ID, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("no token: %d, want 401", resp.StatusCode)
	}
	if !strings.HasPrefix(resp.Header.Get("X-Request-Id"), "marketplacetest-") {
		t.Errorf("no request id")
	}
}
