package accountkit_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// generate runs the pinned oapi-codegen with the client templates of
// openapi/templates on a spec holding one path item (paths), as go
// generate does for the real specs. It returns the generated code, or the
// generator's output when it fails.
func generate(t *testing.T, paths string) (code string, failure string) {
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
  schemas:
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
`
	templates := filepath.Join(root, "openapi", "templates")
	config := `package: things
output: ` + filepath.Join(dir, "things.gen.go") + `
additional-imports:
  - package: github.com/accountkit/accountkit-go/internal/transport
generate: {models: true, client: true}
output-options:
  client-type-name: apiClient
  user-templates:
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
