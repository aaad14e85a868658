// Package vendorspec reads a vendor's own OpenAPI document, kept beside
// the repository as reference data, so that tests can check the SDK's
// requests and models against it.
package vendorspec

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Doc is a parsed OpenAPI document.
type Doc struct {
	doc map[string]any
}

// Load reads the document named file from the reference folder beside
// the repository, skipping the test when it is not there.
func Load(t testing.TB, file string) *Doc {
	t.Helper()
	path := filepath.Join("..", "..", "shared", "reference", file)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("the vendor's OpenAPI document is not beside the repository (%v)", err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	return &Doc{doc: doc}
}

// Schema returns a component schema.
func (d *Doc) Schema(name string) map[string]any {
	s, _ := d.doc["components"].(map[string]any)["schemas"].(map[string]any)[name].(map[string]any)
	return s
}

// Properties lists a component schema's property names.
func (d *Doc) Properties(name string) []string {
	props, _ := d.Schema(name)["properties"].(map[string]any)
	var out []string
	for k := range props {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Enum lists a component schema's enum values.
func (d *Doc) Enum(name string) []string { return asStrings(d.Schema(name)["enum"]) }

// resolve follows a $ref.
func (d *Doc) resolve(s map[string]any) map[string]any {
	if ref, ok := s["$ref"].(string); ok {
		return d.Schema(strings.TrimPrefix(ref, "#/components/schemas/"))
	}
	return s
}

// Operation finds the operation for a method and a concrete path (with the
// document's own path prefix, such as /v1).
func (d *Doc) Operation(method, path string) (map[string]any, bool) {
	for tmpl, item := range d.doc["paths"].(map[string]any) {
		if !pathMatches(tmpl, path) {
			continue
		}
		op, ok := item.(map[string]any)[strings.ToLower(method)].(map[string]any)
		return op, ok
	}
	return nil, false
}

// Parameters lists an operation's parameter names, following $refs to
// components/parameters.
func (d *Doc) Parameters(op map[string]any) []string {
	ps, _ := op["parameters"].([]any)
	var out []string
	for _, p := range ps {
		pm, _ := p.(map[string]any)
		if ref, ok := pm["$ref"].(string); ok {
			params, _ := d.doc["components"].(map[string]any)["parameters"].(map[string]any)
			pm, _ = params[strings.TrimPrefix(ref, "#/components/parameters/")].(map[string]any)
		}
		if name, ok := pm["name"].(string); ok {
			out = append(out, name)
		}
	}
	return out
}

// RequestSchema is an operation's request body schema for a media type.
func RequestSchema(op map[string]any, mediaType string) (map[string]any, bool) {
	rb, _ := op["requestBody"].(map[string]any)
	content, _ := rb["content"].(map[string]any)
	mt, _ := content[mediaType].(map[string]any)
	s, ok := mt["schema"].(map[string]any)
	return s, ok
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

// Validate checks a decoded JSON value against a schema: types, enums,
// required members, and no members the schema does not define. It returns
// one message per problem.
func (d *Doc) Validate(path string, value any, s map[string]any) []string {
	s = d.resolve(s)
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
				errs = append(errs, d.Validate(path+"."+k, val, props[k].(map[string]any))...)
			case extra != nil:
				errs = append(errs, d.Validate(path+"."+k, val, extra)...)
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
			errs = append(errs, d.Validate(fmt.Sprintf("%s[%d]", path, i), item, s["items"].(map[string]any))...)
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
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
