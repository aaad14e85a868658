package marketplace_test

import (
	"encoding/json"
	"fmt"
	"mime"
	"mime/multipart"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/accountkit/accountkit-go/internal/fixture"
	"github.com/accountkit/accountkit-go/internal/vendorspec"
	"github.com/accountkit/accountkit-go/marketplace"
)

const vendorDoc = "softwareone-accounts.official.json"

// seedUpdateFields is the top-level members of the vendor's Update Account
// example (its dotted names folded to camelCase): the vendor's newer
// documentation, which names members (description, externalIds,
// eligibility) its published schema lacks.
func seedUpdateFields(t *testing.T) []string {
	raw, err := os.ReadFile(filepath.Join("testdata", "seeds", "update_account_request.json"))
	if err != nil {
		t.Fatal(err)
	}
	var req struct {
		Account map[string]any `json:"account"`
	}
	if err := json.Unmarshal(raw, &req); err != nil {
		t.Fatal(err)
	}
	var out []string
	for k := range req.Account {
		first, _, _ := strings.Cut(k, ".")
		out = append(out, strings.ToLower(first[:1])+first[1:])
	}
	return out
}

// TestRequestsMatchVendorDocs checks every recorded request against the
// vendor's document: the operation exists, its query parameters are
// documented (RQL terms aside), and the account it sends, as JSON or as the
// multipart "account" part, uses only members the vendor documents.
func TestRequestsMatchVendorDocs(t *testing.T) {
	spec := vendorspec.Load(t, vendorDoc)
	known := append(spec.Properties("AccountUpdateQueryModel"), seedUpdateFields(t)...)
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	checked := 0
	for _, file := range files {
		raw, _ := os.ReadFile(file)
		var c fixture.Cassette
		if err := json.Unmarshal(raw, &c); err != nil {
			t.Fatal(err)
		}
		for i, ex := range c.Exchanges {
			req := ex.Request
			where := fmt.Sprintf("%s request %d (%s %s)", filepath.Base(file), i+1, req.Method, req.Path)
			op, ok := spec.Operation(req.Method, "/v1"+req.Path)
			if !ok {
				t.Errorf("%s: no such operation in the vendor's document", where)
				continue
			}
			checked++
			for _, term := range strings.Split(req.Query, "&") {
				name, _, _ := strings.Cut(term, "=")
				if name != "" && !strings.Contains(term, "(") && !slices.Contains(append(spec.Parameters(op), "limit", "offset", "select", "order"), name) {
					t.Errorf("%s: query parameter %q is not documented", where, name)
				}
			}
			account := accountSent(t, req)
			if account == nil {
				continue
			}
			if _, ok := vendorspec.RequestSchema(op, "application/json"); !ok {
				t.Errorf("%s: the operation takes no account", where)
			}
			for member := range account {
				if !slices.Contains(known, member) {
					t.Errorf("%s: member %q is not in the vendor's documentation", where, member)
				}
			}
		}
	}
	if checked < 8 {
		t.Errorf("checked only %d requests", checked)
	}
}

// accountSent decodes the account a request carries, as a JSON body or as
// a multipart "account" part; nil when it carries none.
func accountSent(t *testing.T, req fixture.Request) map[string]any {
	t.Helper()
	var account map[string]any
	switch {
	case len(req.Body) > 0:
		if err := json.Unmarshal(req.Body, &account); err != nil {
			t.Fatal(err)
		}
	case req.Text != "":
		_, params, err := mime.ParseMediaType(req.Header["Content-Type"])
		if err != nil {
			t.Fatal(err)
		}
		mr := multipart.NewReader(strings.NewReader(req.Text), params["boundary"])
		for {
			part, err := mr.NextPart()
			if err != nil {
				break
			}
			if part.FormName() == "account" {
				if err := json.NewDecoder(part).Decode(&account); err != nil {
					t.Fatal(err)
				}
			}
		}
		if account == nil {
			t.Errorf("multipart body without an account part")
		}
	}
	return account
}

// TestEnumsCoverVendorValues checks every enum value the vendor documents
// has a constant.
func TestEnumsCoverVendorValues(t *testing.T) {
	spec := vendorspec.Load(t, vendorDoc)
	for vendorName, valid := range map[string]func(string) bool{
		"AccountServiceLevel": func(s string) bool { return marketplace.ServiceLevel(s).Valid() },
		"AccountStatus":       func(s string) bool { return marketplace.AccountStatus(s).Valid() },
		"AccountType":         func(s string) bool { return marketplace.AccountType(s).Valid() },
	} {
		values := spec.Enum(vendorName)
		if len(values) == 0 {
			t.Errorf("%s: no values in the vendor's document", vendorName)
		}
		for _, v := range values {
			if !valid(v) {
				t.Errorf("%s value %s has no constant", vendorName, v)
			}
		}
	}
}
