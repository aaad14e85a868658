package accountkit_test

import (
	"go/ast"
	"go/build"
	"go/doc"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// modulePath is the import path of the module this test's directory roots.
const modulePath = "github.com/accountkit/accountkit-go"

// sourcePackage is one public package of the module, parsed with its doc
// comments: the files a build includes, tests left out.
type sourcePackage struct {
	dir    string // slash-separated, relative to the module root: "." or "paxos"
	fset   *token.FileSet
	files  map[string]*ast.File // by base name
	pkgDoc map[string]string    // each file's package comment, by base name
	gen    map[string]bool      // the files marked "Code generated ... DO NOT EDIT."
	doc    *doc.Package
}

// publicPackages parses every package of the module a user can import:
// everything but internal/, examples/, testdata and nested modules.
func publicPackages(t *testing.T) []*sourcePackage {
	t.Helper()
	var pkgs []*sourcePackage
	err := filepath.WalkDir(".", func(dir string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		name := d.Name()
		if dir != "." {
			if name == "internal" || name == "examples" || name == "testdata" ||
				strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				return filepath.SkipDir // another module
			}
		}
		if p := parsePackage(t, dir); p != nil {
			pkgs = append(pkgs, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) < 8 {
		t.Fatalf("found only %d packages", len(pkgs))
	}
	return pkgs
}

// parsePackage parses the non-test Go files of dir that the default build
// context includes; it returns nil when there are none.
func parsePackage(t *testing.T, dir string) *sourcePackage {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	p := &sourcePackage{dir: filepath.ToSlash(dir), fset: token.NewFileSet(), files: map[string]*ast.File{}, pkgDoc: map[string]string{}, gen: map[string]bool{}}
	var files []*ast.File
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		if ok, err := build.Default.MatchFile(dir, name); err != nil || !ok {
			continue
		}
		f, err := parser.ParseFile(p.fset, filepath.Join(dir, name), nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		p.files[name] = f
		// Read the comments before go/doc takes the files over.
		if f.Doc != nil {
			p.pkgDoc[name] = f.Doc.Text()
		}
		p.gen[name] = ast.IsGenerated(f)
		files = append(files, f)
	}
	if len(files) == 0 {
		return nil
	}
	p.doc, err = doc.NewFromFiles(p.fset, files, path.Join(modulePath, p.dir))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestPackageDocComesFromDocGo checks that each package's doc comment is its
// doc.go's, whole: no other file, generated ones above all, adds a package
// comment, and the generator's "Code generated ... DO NOT EDIT." header stays
// out of it, so that a package index shows doc.go's synopsis.
func TestPackageDocComesFromDocGo(t *testing.T) {
	for _, p := range publicPackages(t) {
		docGo, ok := p.pkgDoc["doc.go"]
		if !ok {
			t.Errorf("%s: no doc.go with a package comment", p.dir)
			continue
		}
		for name := range p.files {
			if text, ok := p.pkgDoc[name]; ok && name != "doc.go" {
				t.Errorf("%s/%s has a package comment %q; the package comment belongs in doc.go alone", p.dir, name, firstLine(text))
			}
			if strings.HasSuffix(name, ".gen.go") && !p.gen[name] {
				t.Errorf("%s/%s lacks the generator's \"Code generated ... DO NOT EDIT.\" header", p.dir, name)
			}
		}
		if want, got := p.doc.Synopsis(docGo), p.doc.Synopsis(p.doc.Doc); got != want || got == "" {
			t.Errorf("%s: synopsis %q, want doc.go's %q", p.dir, got, want)
		}
		if strings.Contains(p.doc.Doc, "Code generated") || strings.Contains(p.doc.Doc, "DO NOT EDIT") {
			t.Errorf("%s: the package doc holds the generator's header:\n%s", p.dir, p.doc.Doc)
		}
		if !strings.HasPrefix(p.doc.Doc, "Package "+p.doc.Name+" ") {
			t.Errorf("%s: the package doc starts %q, not \"Package %s ...\"", p.dir, firstLine(p.doc.Doc), p.doc.Name)
		}
	}
}

// TestDocCommentsAreGoStyle checks the doc comments of every exported type
// and exported struct field in the public packages, generated models
// included: each reads "Name verb ..." ("Account is a Paxos account",
// "IdentityID is the ..."), or, for a field, is a sentence of its own. None
// is in the generator's "Name Description" form ("Account A Paxos
// account").
func TestDocCommentsAreGoStyle(t *testing.T) {
	checked := 0
	for _, p := range publicPackages(t) {
		for _, typ := range p.doc.Types {
			where := p.dir + "." + typ.Name
			if msg := goStyle(typ.Name, typ.Doc, false, false); msg != "" {
				t.Errorf("type %s: %s", where, msg)
			}
			checked++
			for _, spec := range typ.Decl.Specs {
				st, ok := spec.(*ast.TypeSpec).Type.(*ast.StructType)
				if !ok {
					continue
				}
				for _, field := range st.Fields.List {
					text, line := field.Doc.Text(), false
					if text == "" {
						text, line = field.Comment.Text(), true
					}
					for _, name := range field.Names {
						if !name.IsExported() {
							continue
						}
						if msg := goStyle(name.Name, text, true, line); msg != "" {
							t.Errorf("field %s.%s: %s", where, name.Name, msg)
						}
						checked++
					}
				}
			}
		}
	}
	if checked < 100 {
		t.Errorf("checked only %d types and fields", checked)
	}
}

// goStyle says what is wrong with text as the doc comment of name, or ""
// when nothing is. A type's comment starts with its name and a verb; a
// field's may instead be a sentence of its own, or a short line comment
// after the field (line).
func goStyle(name, text string, field, line bool) string {
	text = strings.TrimSpace(text)
	if text == "" {
		return "undocumented"
	}
	words := strings.Fields(text)
	first := strings.TrimRight(words[0], ",")
	if first == name {
		if len(words) < 2 {
			return "the comment is the name alone"
		}
		if next, _ := utf8.DecodeRuneInString(words[1]); !unicode.IsLower(next) && words[0] == name {
			return "\"" + firstLine(text) + "\" is in the generator's \"Name Description\" form; write \"" + name + " is ...\""
		}
		return ""
	}
	if strings.HasPrefix(text, "Deprecated:") {
		return ""
	}
	if !field {
		return "\"" + firstLine(text) + "\" does not start with " + name + " and a verb"
	}
	// Names listed together share one comment: "Type, Title, Detail and
	// Instance are ...".
	if strings.HasSuffix(words[0], ",") && strings.Contains(text, name) {
		return ""
	}
	if line {
		return "" // a line comment such as "// optional"
	}
	if !strings.HasSuffix(text, ".") {
		return "\"" + firstLine(text) + "\" is not a sentence"
	}
	return ""
}

// TestExportedNamesDocumented checks that go doc has something to say about
// every exported name of the public packages: constants, variables,
// functions, types, methods and struct fields.
func TestExportedNamesDocumented(t *testing.T) {
	for _, p := range publicPackages(t) {
		for _, name := range undocumented(p) {
			t.Errorf("%s.%s is exported and undocumented", p.dir, name)
		}
	}
}

// undocumented lists the exported names of p that have no doc comment:
// neither their own nor their declaration group's.
func undocumented(p *sourcePackage) []string {
	var out []string
	values := func(prefix string, vs []*doc.Value) {
		for _, v := range vs {
			for _, spec := range v.Decl.Specs {
				vs := spec.(*ast.ValueSpec)
				for _, n := range vs.Names {
					if n.IsExported() && v.Doc == "" && vs.Doc.Text() == "" && vs.Comment.Text() == "" {
						out = append(out, prefix+n.Name)
					}
				}
			}
		}
	}
	funcs := func(prefix string, fs []*doc.Func) {
		for _, f := range fs {
			if ast.IsExported(f.Name) && f.Doc == "" {
				out = append(out, prefix+f.Name)
			}
		}
	}
	values("", p.doc.Consts)
	values("", p.doc.Vars)
	funcs("", p.doc.Funcs)
	for _, typ := range p.doc.Types {
		if typ.Doc == "" {
			out = append(out, typ.Name)
		}
		values("", typ.Consts)
		values("", typ.Vars)
		funcs("", typ.Funcs)
		funcs(typ.Name+".", typ.Methods)
		for _, spec := range typ.Decl.Specs {
			var fields *ast.FieldList
			switch t := spec.(*ast.TypeSpec).Type.(type) {
			case *ast.StructType:
				fields = t.Fields
			case *ast.InterfaceType:
				fields = t.Methods
			default:
				continue
			}
			for _, f := range fields.List {
				if f.Doc.Text() != "" || f.Comment.Text() != "" {
					continue
				}
				for _, n := range f.Names {
					if n.IsExported() {
						out = append(out, typ.Name+"."+n.Name)
					}
				}
			}
		}
	}
	return out
}

// firstLine is the first line of text.
func firstLine(text string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(text), "\n")
	return line
}
