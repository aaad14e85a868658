package paxos_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/accountkit/accountkit-go/internal/fixture"
	"github.com/accountkit/accountkit-go/paxos"
)

// vendorSpecPath is Paxos's own OpenAPI document, kept beside the
// repository (not in it) as reference data.
var vendorSpecPath = filepath.Join("..", "..", "shared", "reference", "paxos-v2-accounts.official.json")

type vendorSpec struct {
	doc map[string]any
}

func loadVendorSpec(t *testing.T) *vendorSpec {
	t.Helper()
	data, err := os.ReadFile(vendorSpecPath)
	if err != nil {
		t.Skipf("the vendor's OpenAPI document is not beside the repository (%v)", err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	return &vendorSpec{doc: doc}
}

func (v *vendorSpec) schema(name string) map[string]any {
	return v.doc["components"].(map[string]any)["schemas"].(map[string]any)[name].(map[string]any)
}

// resolve follows a $ref.
func (v *vendorSpec) resolve(s map[string]any) map[string]any {
	if ref, ok := s["$ref"].(string); ok {
		return v.schema(strings.TrimPrefix(ref, "#/components/schemas/"))
	}
	return s
}

// operation finds the vendor's operation for a method and a concrete path.
func (v *vendorSpec) operation(method, path string) (map[string]any, bool) {
	for tmpl, item := range v.doc["paths"].(map[string]any) {
		if !pathMatches(tmpl, path) {
			continue
		}
		op, ok := item.(map[string]any)[strings.ToLower(method)].(map[string]any)
		return op, ok
	}
	return nil, false
}

// pathMatches reports whether path fits the template, {name} standing for
// one segment.
func pathMatches(tmpl, path string) bool {
	ts, ps := strings.Split(tmpl, "/"), strings.Split(path, "/")
	if len(ts) != len(ps) {
		return false
	}
	for i := range ts {
		if strings.HasPrefix(ts[i], "{") && ps[i] != "" {
			continue
		}
		if ts[i] != ps[i] {
			return false
		}
	}
	return true
}

// validate checks a decoded JSON value against a schema: types, enums,
// required members, and no members the schema does not define.
func (v *vendorSpec) validate(path string, value any, s map[string]any) []string {
	s = v.resolve(s)
	var errs []string
	switch s["type"] {
	case "object", nil:
		obj, ok := value.(map[string]any)
		if !ok {
			return []string{path + ": not an object"}
		}
		props, _ := s["properties"].(map[string]any)
		extra, _ := s["additionalProperties"].(map[string]any)
		for _, r := range asStrings(s["required"]) {
			if _, ok := obj[r]; !ok {
				errs = append(errs, fmt.Sprintf("%s: required member %q missing", path, r))
			}
		}
		for k, val := range obj {
			switch {
			case props[k] != nil:
				errs = append(errs, v.validate(path+"."+k, val, props[k].(map[string]any))...)
			case extra != nil:
				errs = append(errs, v.validate(path+"."+k, val, extra)...)
			default:
				errs = append(errs, fmt.Sprintf("%s: member %q is not in the vendor's schema", path, k))
			}
		}
	case "array":
		arr, ok := value.([]any)
		if !ok {
			return []string{path + ": not an array"}
		}
		for i, item := range arr {
			errs = append(errs, v.validate(fmt.Sprintf("%s[%d]", path, i), item, s["items"].(map[string]any))...)
		}
	case "string":
		str, ok := value.(string)
		if !ok {
			return []string{path + ": not a string"}
		}
		if enum := asStrings(s["enum"]); enum != nil && !slices.Contains(enum, str) {
			errs = append(errs, fmt.Sprintf("%s: %q is not one of %v", path, str, enum))
		}
	case "boolean":
		if _, ok := value.(bool); !ok {
			errs = append(errs, path+": not a boolean")
		}
	case "integer", "number":
		if _, ok := value.(float64); !ok {
			errs = append(errs, path+": not a number")
		}
	}
	return errs
}

func asStrings(v any) []string {
	list, _ := v.([]any)
	var out []string
	for _, x := range list {
		out = append(out, x.(string))
	}
	return out
}

// TestRequestsValidateAgainstVendorSpec checks every request the client
// sends in the recorded fixtures against Paxos's own OpenAPI document: the
// operation exists, the query parameters are the operation's, and the body
// validates against the operation's request schema.
func TestRequestsValidateAgainstVendorSpec(t *testing.T) {
	spec := loadVendorSpec(t)
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	checked := 0
	for _, file := range files {
		var c fixture.Cassette
		if err := json.Unmarshal(readFile(t, file), &c); err != nil {
			t.Fatal(err)
		}
		for i, ex := range c.Exchanges {
			where := fmt.Sprintf("%s request %d (%s %s)", filepath.Base(file), i+1, ex.Request.Method, ex.Request.Path)
			op, ok := spec.operation(ex.Request.Method, ex.Request.Path)
			if !ok {
				t.Errorf("%s: no such operation in the vendor's document", where)
				continue
			}
			var params []string
			ps, _ := op["parameters"].([]any)
			for _, p := range ps {
				params = append(params, p.(map[string]any)["name"].(string))
			}
			if ex.Request.Query != "" {
				for _, kv := range strings.Split(ex.Request.Query, "&") {
					name, _, _ := strings.Cut(kv, "=")
					if !slices.Contains(params, name) {
						t.Errorf("%s: query parameter %q is not the operation's", where, name)
					}
				}
			}
			if len(ex.Request.Body) > 0 {
				rb := op["requestBody"].(map[string]any)["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)
				var body any
				if err := json.Unmarshal(ex.Request.Body, &body); err != nil {
					t.Fatal(err)
				}
				for _, e := range spec.validate("body", body, rb) {
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
	spec := loadVendorSpec(t)
	for vendorName, model := range map[string]any{
		"Account":                   paxos.Account{},
		"AccountMember":             paxos.AccountMember{},
		"CreateAccountRequest":      paxos.CreateAccountRequest{},
		"UpdateAccountRequest":      paxos.UpdateAccountRequest{},
		"AddAccountMembersRequest":  paxos.AddAccountMembersRequest{},
		"AddAccountMembersResponse": paxos.AddAccountMembersResponse{},
		"ListAccountsResponse":      paxos.ListAccountsResponse{},
	} {
		var want []string
		for name := range spec.schema(vendorName)["properties"].(map[string]any) {
			want = append(want, name)
		}
		sort.Strings(want)
		if diff := cmp.Diff(want, jsonNames(reflect.TypeOf(model))); diff != "" {
			t.Errorf("%s members (-vendor +model):\n%s", vendorName, diff)
		}
	}
	for vendorName, valid := range map[string]func(string) bool{
		"AccountMemberAccountRoleType": func(s string) bool { return paxos.Role(s).Valid() },
		"AccountAccountType":           func(s string) bool { return paxos.AccountType(s).Valid() },
		"IdentityStatus":               func(s string) bool { return paxos.SummaryStatus(s).Valid() },
	} {
		for _, value := range asStrings(spec.schema(vendorName)["enum"]) {
			if !valid(value) {
				t.Errorf("%s value %s has no constant", vendorName, value)
			}
		}
	}
}

// TestVendorValidatorCatchesMistakes shows the validator above can fail.
func TestVendorValidatorCatchesMistakes(t *testing.T) {
	spec := loadVendorSpec(t)
	var body any
	_ = json.Unmarshal([]byte(`{"account":{"id":"x","bogus":1,"members":[{"identity_id":"i","roles":["KING"]}]},"set_user_disabled":"yes"}`), &body)
	errs := spec.validate("body", body, spec.schema("UpdateAccountRequest"))
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
