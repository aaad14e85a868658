package paxos_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/accountkit/accountkit-go/internal/fixture"
	"github.com/accountkit/accountkit-go/internal/vendorspec"
	"github.com/accountkit/accountkit-go/paxos"
)

const vendorDoc = "paxos-v2-accounts.official.json"

// TestRequestsValidateAgainstVendorSpec checks every request the client
// sends in the recorded fixtures against Paxos's own OpenAPI document: the
// operation exists, the query parameters are the operation's, and the body
// validates against the operation's request schema.
func TestRequestsValidateAgainstVendorSpec(t *testing.T) {
	spec := vendorspec.Load(t, vendorDoc)
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	checked := 0
	for _, file := range files {
		var c fixture.Cassette
		if err := json.Unmarshal(readFile(t, file), &c); err != nil {
			t.Fatal(err)
		}
		for i, ex := range c.Exchanges {
			where := fmt.Sprintf("%s request %d (%s %s)", filepath.Base(file), i+1, ex.Request.Method, ex.Request.Path)
			op, ok := spec.Operation(ex.Request.Method, ex.Request.Path)
			if !ok {
				t.Errorf("%s: no such operation in the vendor's document", where)
				continue
			}
			params := spec.Parameters(op)
			if ex.Request.Query != "" {
				for _, kv := range strings.Split(ex.Request.Query, "&") {
					name, _, _ := strings.Cut(kv, "=")
					if !slices.Contains(params, name) {
						t.Errorf("%s: query parameter %q is not the operation's", where, name)
					}
				}
			}
			if len(ex.Request.Body) > 0 {
				schema, ok := vendorspec.RequestSchema(op, "application/json")
				if !ok {
					t.Errorf("%s: the operation takes no JSON body", where)
					continue
				}
				var body any
				if err := json.Unmarshal(ex.Request.Body, &body); err != nil {
					t.Fatal(err)
				}
				for _, e := range spec.Validate("body", body, schema) {
					t.Errorf("%s: %s", where, e)
				}
			}
			checked++
		}
	}
	if checked < 10 {
		t.Errorf("checked only %d requests", checked)
	}
}

// jsonNames lists the JSON member names of a struct type.
func jsonNames(typ reflect.Type) []string {
	var out []string
	for i := range typ.NumField() {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// TestModelsMatchVendorSchemas checks that the generated models carry
// exactly the members of the vendor's schemas and know their enum values.
func TestModelsMatchVendorSchemas(t *testing.T) {
	spec := vendorspec.Load(t, vendorDoc)
	for vendorName, model := range map[string]any{
		"Account":                   paxos.Account{},
		"AccountMember":             paxos.AccountMember{},
		"CreateAccountRequest":      paxos.CreateAccountRequest{},
		"UpdateAccountRequest":      paxos.UpdateAccountRequest{},
		"AddAccountMembersRequest":  paxos.AddAccountMembersRequest{},
		"AddAccountMembersResponse": paxos.AddAccountMembersResponse{},
		"ListAccountsResponse":      paxos.ListAccountsResponse{},
	} {
		if diff := cmp.Diff(spec.Properties(vendorName), jsonNames(reflect.TypeOf(model))); diff != "" {
			t.Errorf("%s members (-vendor +model):\n%s", vendorName, diff)
		}
	}
	for vendorName, valid := range map[string]func(string) bool{
		"AccountMemberAccountRoleType": func(s string) bool { return paxos.Role(s).Valid() },
		"AccountAccountType":           func(s string) bool { return paxos.AccountType(s).Valid() },
		"IdentityStatus":               func(s string) bool { return paxos.SummaryStatus(s).Valid() },
	} {
		for _, value := range spec.Enum(vendorName) {
			if !valid(value) {
				t.Errorf("%s value %s has no constant", vendorName, value)
			}
		}
	}
}

// TestVendorValidatorCatchesMistakes shows the validator above can fail.
func TestVendorValidatorCatchesMistakes(t *testing.T) {
	spec := vendorspec.Load(t, vendorDoc)
	var body any
	_ = json.Unmarshal([]byte(`{"account":{"id":"x","bogus":1,"members":[{"identity_id":"i","roles":["KING"]}]},"set_user_disabled":"yes"}`), &body)
	errs := spec.Validate("body", body, spec.Schema("UpdateAccountRequest"))
	sort.Strings(errs)
	want := []string{
		`body.account.members[0].roles[0]: "KING" is not one of [BENEFICIAL_OWNER AUTHORIZED_USER FINANCIAL_ADVISOR]`,
		`body.account: member "bogus" is not in the vendor's schema`,
		`body.set_user_disabled: not a boolean`,
	}
	if diff := cmp.Diff(want, errs); diff != "" {
		t.Errorf("validation errors (-want +got):\n%s", diff)
	}
}
