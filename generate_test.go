package accountkit_test

import (
	"bytes"
	"fmt"
	"go/scanner"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// generate runs the pinned oapi-codegen with the templates of
// openapi/templates on a spec holding one path item (paths), as go
// generate does for the real specs. It returns the generated code, or the
// generator's output when it fails.
func generate(t *testing.T, paths string) (code string, failure string) {
	t.Helper()
	return generateWith(t, paths, `
    Thing:
      type: object
      properties:
        id: {type: string}
    Other:
      type: object
      properties:
        name: {type: string}
    Empty:
      type: object
`)
}

// generateWith is generate with the given components/schemas.
func generateWith(t *testing.T, paths, schemas string) (code string, failure string) {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command to run the generator with")
	}
	root, err := os.Getwd() // the module root: this test's package directory
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	spec := `openapi: 3.0.3
info: {title: templates test, version: "1"}
paths:
` + paths + `
components:
  schemas:` + schemas
	templates := filepath.Join(root, "openapi", "templates")
	config := `package: things
output: ` + filepath.Join(dir, "things.gen.go") + `
additional-imports:
  - package: github.com/accountkit/accountkit-go/internal/transport
generate: {models: true, client: true}
output-options:
  client-type-name: apiClient
  user-templates:
    imports.tmpl: ` + filepath.Join(templates, "imports.tmpl") + `
    typedef.tmpl: ` + filepath.Join(templates, "typedef.tmpl") + `
    param-types.tmpl: ` + filepath.Join(templates, "param-types.tmpl") + `
    constants.tmpl: ` + filepath.Join(templates, "constants.tmpl") + `
    client.tmpl: ` + filepath.Join(templates, "client.tmpl") + `
    client-with-responses.tmpl: ` + filepath.Join(templates, "client-with-responses.tmpl") + `
    request-bodies.tmpl: ` + filepath.Join(templates, "request-bodies.tmpl") + `
`
	for name, text := range map[string]string{"spec.yaml": spec, "config.yaml": config} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("go", "tool", "-modfile=tools.mod", "oapi-codegen",
		"-config", filepath.Join(dir, "config.yaml"), filepath.Join(dir, "spec.yaml"))
	cmd.Dir = root
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			t.Fatalf("run the generator: %v", err)
		}
		return "", out.String()
	}
	data, err := os.ReadFile(filepath.Join(dir, "things.gen.go"))
	if err != nil {
		t.Fatal(err)
	}
	return string(data), ""
}

// thingPath is a path item whose GET takes extra parameters and answers a
// Thing.
func thingPath(params string) string {
	return `  /things/{id}:
    get:
      operationId: GetThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
` + params + `
      responses:
        "200":
          description: the thing
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}`
}

// TestTemplatesRefuseUnimplementedParameters checks that generation fails,
// saying why, on what the templates would otherwise encode wrongly.
func TestTemplatesRefuseUnimplementedParameters(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		paths string
		want  string
	}{
		"deepObject query": {thingPath(`        - {name: filter, in: query, style: deepObject, explode: true, schema: {type: object, properties: {name: {type: string}}}}`),
			`query parameter "filter" has style "deepObject"`},
		"explode false query array": {thingPath(`        - {name: tags, in: query, explode: false, schema: {type: array, items: {type: string}}}`),
			`query parameter "tags" has style "form", explode false`},
		"spaceDelimited query array": {thingPath(`        - {name: tags, in: query, style: spaceDelimited, schema: {type: array, items: {type: string}}}`),
			`query parameter "tags" has style "spaceDelimited"`},
		"form query object": {thingPath(`        - {name: filter, in: query, schema: {type: object, properties: {name: {type: string}}}}`),
			`query parameter "filter" has style "form", explode true, allowReserved false, type "object"`},
		"query array of objects": {thingPath(`        - {name: filter, in: query, schema: {type: array, items: {type: object}}}`),
			`query parameter "filter"`},
		"allowReserved query": {thingPath(`        - {name: q, in: query, allowReserved: true, schema: {type: string}}`),
			`allowReserved true`},
		"JSON query": {thingPath(`        - {name: q, in: query, content: {application/json: {schema: {type: object}}}}`),
			`query parameter "q"`},
		"label path": {`  /things/{id}:
    get:
      operationId: GetThing
      parameters:
        - {name: id, in: path, required: true, style: label, schema: {type: string}}
      responses:
        "204": {description: done}`,
			`path parameter "id" has style "label"`},
		"matrix path": {`  /things/{id}:
    get:
      operationId: GetThing
      parameters:
        - {name: id, in: path, required: true, style: matrix, schema: {type: string}}
      responses:
        "204": {description: done}`,
			`path parameter "id" has style "matrix"`},
		"path array": {`  /things/{ids}:
    get:
      operationId: GetThings
      parameters:
        - {name: ids, in: path, required: true, schema: {type: array, items: {type: string}}}
      responses:
        "204": {description: done}`,
			`path parameter "ids" has style "simple", explode false, type "array"`},
		"header array": {thingPath(`        - {name: X-Tags, in: header, schema: {type: array, items: {type: string}}}`),
			`header parameter "X-Tags"`},
		"cookie": {thingPath(`        - {name: session, in: cookie, schema: {type: string}}`),
			`cookie parameter "session"`},
		"two 2xx types": {`  /things:
    get:
      operationId: ListThings
      responses:
        "200":
          description: a thing
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
        "201":
          description: another
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Other"}`,
			`its 2xx answers have different types, Thing and Other`},
		"text 2xx": {`  /things:
    get:
      operationId: ListThings
      responses:
        "200":
          description: text
          content:
            text/plain:
              schema: {type: string}`,
			`the 200 answer's content type "text/plain" cannot be decoded`},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			code, failure := generate(t, tc.paths)
			if failure == "" {
				t.Fatalf("generation succeeded; want it to fail with %q. Generated:\n%s", tc.want, code)
			}
			if !strings.Contains(failure, "accountkit templates:") || !strings.Contains(failure, tc.want) {
				t.Errorf("generator output:\n%s\nwant a template error containing %q", failure, tc.want)
			}
		})
	}
}

// TestTemplatesOperationShapes checks what the templates emit for what
// they implement: an operation returns its decoded 2xx model, or error
// alone when the answer has nothing to decode, and every path parameter
// goes through transport.PathParam.
func TestTemplatesOperationShapes(t *testing.T) {
	t.Parallel()
	code, failure := generate(t, thingPath(`        - {name: tags, in: query, schema: {type: array, items: {type: string}}}
        - {name: limit, in: query, explode: true, style: form, schema: {type: integer, format: int32}}
        - {name: X-Trace, in: header, schema: {type: string}}`)+`
    delete:
      operationId: DeleteThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "204": {description: deleted}
  /things/{id}/ping:
    post:
      operationId: PingThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: an empty object
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Empty"}`)
	if failure != "" {
		t.Fatalf("generation failed:\n%s", failure)
	}
	for _, want := range []string{
		"func (c *apiClient) getThing(ctx context.Context, id string, params *GetThingParams) (*Thing, error) {",
		"func (c *apiClient) deleteThing(ctx context.Context, id string) error {",
		"func (c *apiClient) pingThing(ctx context.Context, id string) error {",
		`transport.PathParam("id", id)`,
		"transport.Call(c.doer, req, &out)",
		"transport.Call(c.doer, req, nil)",
		"transport.NewRequest(ctx, ",
		// the path template, for what works per endpoint (rate limits)
		`transport.NewRequest(ctx, http.MethodDelete, "/things/{id}", target, nil)`,
	} {
		if !strings.Contains(code, want) {
			t.Errorf("generated code lacks %q", want)
		}
	}
	for _, unwanted := range []string{"WithResponse", "JSON200", "HTTPResponse", "func parse", "url.PathEscape"} {
		if strings.Contains(code, unwanted) {
			t.Errorf("generated code holds %q", unwanted)
		}
	}
}

// TestTemplatesGoDoc checks what the imports and model templates emit: the
// generator's header kept apart from the package clause, with no package
// comment of its own; doc comments in Go style ("Thing is a thing ...",
// "Count is how many ..."), an initialism left as it is; and an
// unexported parameter type for an operation marked x-unexported-params.
func TestTemplatesGoDoc(t *testing.T) {
	t.Parallel()
	code, failure := generateWith(t, `  /things/{id}:
    get:
      operationId: GetThing
      x-unexported-params: true
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: fields, in: query, description: The list of fields to return., schema: {type: string}}
      responses:
        "200":
          description: the thing
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
  /things:
    get:
      operationId: ListThings
      parameters:
        - {name: limit, in: query, description: The largest number of things on one page., schema: {type: integer}}
      responses:
        "200":
          description: a thing
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}`, `
    Thing:
      type: object
      description: |
        A thing the API keeps. Its label is
        free text.
      required: [label]
      properties:
        label: {type: string, description: The thing's label.}
        count: {type: integer, readOnly: true, description: How many parts the thing has.}
        urn: {type: string, description: URN naming the thing.}
        shared: {type: boolean, x-go-type-skip-optional-pointer: false, description: Whether the thing is shared; nil leaves it unsent.}
        kind: {$ref: "#/components/schemas/Kind"}
        box:
          type: object
          description: The box the thing ships in.
          properties:
            size: {type: integer, description: The box's size in centimetres.}
    Kind:
      type: string
      description: The kind of a thing.
      enum: [big, small]
`)
	if failure != "" {
		t.Fatalf("generation failed:\n%s", failure)
	}
	if !strings.HasPrefix(code, "// Code generated by ") || !strings.Contains(code, " DO NOT EDIT.\n\npackage things\n") {
		t.Errorf("the header is not a comment of its own, apart from the package clause:\n%s", firstLines(code, 4))
	}
	if strings.Contains(code, "// Package things") || strings.Contains(code, "provides primitives") {
		t.Errorf("generated code carries a package comment:\n%s", firstLines(code, 4))
	}
	for _, want := range []string{
		"// Thing is a thing the API keeps. Its label is\n// free text.\ntype Thing struct {",
		"\t// Count is how many parts the thing has.\n\tCount *int `json:\"count,omitempty\"`",
		"\t// Label is the thing's label.\n\tLabel string `json:\"label\"`",
		"\t// Shared is whether the thing is shared; nil leaves it unsent.\n\tShared *bool `json:\"shared,omitempty\"`",
		"\t// Urn is URN naming the thing.\n",
		"\t// Kind is the kind of a thing.\n\tKind *Kind `json:\"kind,omitempty\"`",
		"// Kind is the kind of a thing.\ntype Kind string",
		"// Known values of Kind.\nconst (",
		"// Valid reports whether e is one of the known values of Kind.\nfunc (e Kind) Valid() bool {",
		"// getThingParams holds the parameters of GetThing.\ntype getThingParams struct {",
		"\t// Fields is the list of fields to return.\n\tFields *string `form:\"fields,omitempty\" json:\"fields,omitempty\"`",
		"func (c *apiClient) getThing(ctx context.Context, id string, params *getThingParams) (*Thing, error) {",
		"// ListThingsParams holds the parameters of ListThings.\ntype ListThingsParams struct {",
		"\t// Limit is the largest number of things on one page.\n",
		"\t// Box is the box the thing ships in.\n\tBox *struct {\n\t\t// Size is the box's size in centimetres.\n\t\tSize *int `json:\"size,omitempty\"`\n\t} `json:\"box,omitempty\"`",
	} {
		if !strings.Contains(code, want) {
			t.Errorf("generated code lacks\n%s", want)
		}
	}
	if strings.Contains(code, "GetThingParams") {
		t.Error("the parameters of an x-unexported-params operation have an exported type")
	}
	if t.Failed() {
		t.Logf("generated:\n%s", code)
	}
}

// TestTemplatesRefuseUnimplementedModels checks that generation fails,
// saying why, on models whose comments or fields the model template would
// get wrong.
func TestTemplatesRefuseUnimplementedModels(t *testing.T) {
	t.Parallel()
	paths := thingPath("")
	for name, tc := range map[string]struct {
		property string
		want     string
	}{
		"array of inline objects":  {`boxes: {type: array, items: {type: object, properties: {size: {type: integer}}}}`, `property "boxes" is an array of inline objects`},
		"deprecated property":      {`old: {type: string, deprecated: true}`, `property "old" is deprecated`},
		"extra tags":               {`tagged: {type: string, x-oapi-codegen-extra-tags: {validate: required}}`, `property "tagged" has x-go-json-ignore or x-oapi-codegen-extra-tags`},
		"properties and additions": {`name: {type: string}`, `both properties and additionalProperties`},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			thing := `
    Thing:
      type: object
      properties:
        ` + tc.property
			if name == "properties and additions" {
				thing += `
      additionalProperties: {type: string}`
			}
			code, failure := generateWith(t, paths, thing+"\n")
			if failure == "" {
				t.Fatalf("generation succeeded; want it to fail with %q. Generated:\n%s", tc.want, code)
			}
			if !strings.Contains(failure, "accountkit templates:") || !strings.Contains(failure, tc.want) {
				t.Errorf("generator output:\n%s\nwant a template error containing %q", failure, tc.want)
			}
		})
	}
}

// TestModelTemplateKeepsUpstreamDeclarations generates each real spec a
// second time with oapi-codegen's own model and parameter templates and
// checks that the committed code declares the same things: the templates
// here change comments (and the case of x-unexported-params types), not a
// field, a type or a tag.
func TestModelTemplateKeepsUpstreamDeclarations(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command to run the generator with")
	}
	for _, api := range []string{"paxos", "marketplace", "accountgroups"} {
		t.Run(api, func(t *testing.T) {
			t.Parallel()
			config, err := os.ReadFile(filepath.Join("openapi", api+".config.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(t.TempDir(), api+".gen.go")
			var lines []string
			for _, line := range strings.Split(string(config), "\n") {
				switch {
				case strings.Contains(line, "typedef.tmpl:"), strings.Contains(line, "param-types.tmpl:"), strings.Contains(line, "constants.tmpl:"):
					continue // upstream's
				case strings.HasPrefix(line, "output:"):
					line = "output: " + out
				}
				lines = append(lines, line)
			}
			upstreamConfig := filepath.Join(t.TempDir(), "config.yaml")
			if err := os.WriteFile(upstreamConfig, []byte(strings.Join(lines, "\n")), 0o600); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command("go", "tool", "-modfile=tools.mod", "oapi-codegen", "-config", upstreamConfig, filepath.Join("openapi", api+".yaml"))
			if msg, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("generate with upstream's templates: %v\n%s", err, msg)
			}
			upstream, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			ours, err := os.ReadFile(filepath.Join(api, api+".gen.go"))
			if err != nil {
				t.Fatal(err)
			}
			a, b := goTokens(t, upstream), goTokens(t, ours)
			for i := range max(len(a), len(b)) {
				if i >= len(a) || i >= len(b) || !a[i].same(b[i]) {
					var x, y goToken
					if i < len(a) {
						x = a[i]
					}
					if i < len(b) {
						y = b[i]
					}
					t.Fatalf("%s.gen.go differs from upstream's declarations at line %d (upstream line %d): %s, upstream %s", api, y.line, x.line, y, x)
				}
			}
		})
	}
}

// goToken is one token of Go source, comments left out.
type goToken struct {
	tok  token.Token
	lit  string
	line int
}

func (t goToken) String() string { return fmt.Sprintf("%s %q", t.tok, t.lit) }

// same reports whether t and u are the same token, an identifier's case
// aside.
func (t goToken) same(u goToken) bool {
	if t.tok == token.IDENT && u.tok == token.IDENT {
		return strings.EqualFold(t.lit, u.lit)
	}
	return t.tok == u.tok && t.lit == u.lit
}

// goTokens scans src into tokens, without comments.
func goTokens(t *testing.T, src []byte) []goToken {
	t.Helper()
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	var s scanner.Scanner
	s.Init(file, src, func(pos token.Position, msg string) { t.Fatalf("%s: %s", pos, msg) }, 0)
	var out []goToken
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			return out
		}
		out = append(out, goToken{tok, lit, fset.Position(pos).Line})
	}
}

// firstLines is the first n lines of text.
func firstLines(text string, n int) string {
	lines := strings.SplitN(text, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}
