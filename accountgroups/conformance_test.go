package accountgroups_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/accountkit/accountkit-go/accountgroups"
	"github.com/accountkit/accountkit-go/internal/fixture"
	"github.com/accountkit/accountkit-go/internal/vendorspec"
)

const vendorDoc = "upvest-account-groups.official.json"

// readmeOnlyParams are query parameters the vendor's (older) document
// lacks but its documentation lists: closure_reason and notification_only
// on the closing DELETE.
var readmeOnlyParams = []string{"closure_reason", "notification_only"}

// TestRequestsValidateAgainstVendorSpec checks the recorded requests
// against Upvest's own document: operations, query parameters, and JSON
// bodies by schema.
func TestRequestsValidateAgainstVendorSpec(t *testing.T) {
	spec := vendorspec.Load(t, vendorDoc)
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	checked := 0
	for _, file := range files {
		var c fixture.Cassette
		if err := json.Unmarshal(readFileAt(t, file), &c); err != nil {
			t.Fatal(err)
		}
		for i, ex := range c.Exchanges {
			req := ex.Request
			where := fmt.Sprintf("%s request %d (%s %s)", filepath.Base(file), i+1, req.Method, req.Path)
			op, ok := spec.Operation(req.Method, req.Path)
			if !ok {
				t.Errorf("%s: no such operation in the vendor's document", where)
				continue
			}
			checked++
			params := append(spec.Parameters(op), readmeOnlyParams...)
			for _, term := range strings.Split(req.Query, "&") {
				if name, _, _ := strings.Cut(term, "="); name != "" && !slices.Contains(params, name) {
					t.Errorf("%s: query parameter %q is not the operation's", where, name)
				}
			}
			if len(req.Body) == 0 {
				continue
			}
			schema, ok := vendorspec.RequestSchema(op, "application/json")
			if !ok {
				t.Errorf("%s: the operation takes no JSON body", where)
				continue
			}
			var body any
			_ = json.Unmarshal(req.Body, &body)
			for _, e := range spec.Validate("body", body, schema) {
				t.Errorf("%s: %s", where, e)
			}
		}
	}
	if checked < 10 {
		t.Errorf("checked only %d requests", checked)
	}
}

// TestEnumsCoverVendorValues checks the constants cover the values in the
// vendor's document (which is older than its documentation, whose extra
// values the spec adds).
func TestEnumsCoverVendorValues(t *testing.T) {
	spec := vendorspec.Load(t, vendorDoc)
	op, _ := spec.Operation("POST", "/account_groups")
	schema, _ := vendorspec.RequestSchema(op, "application/json")
	props := schema["properties"].(map[string]any)
	for _, v := range props["type"].(map[string]any)["enum"].([]any) {
		if !accountgroups.AccountGroupType(v.(string)).Valid() {
			t.Errorf("account group type %s has no constant", v)
		}
	}
	for _, v := range []string{"ACCOUNT_GROUP.CREATED", "ACCOUNT_GROUP.ACTIVATED", "ACCOUNT_GROUP.CLOSING_INITIATED", "ACCOUNT_GROUP.CLOSED", "ACCOUNT_GROUP.LOCKED"} {
		if !accountgroups.EventType(v).Valid() {
			t.Errorf("event type %s has no constant", v)
		}
	}
}
