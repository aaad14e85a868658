package marketplacetest

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/accountkit/accountkit-go/marketplace"
	build "github.com/accountkit/accountkit-go/marketplace/rql" // the builder; rql is the fake's parsed filter
)

var cmpRQL = cmp.AllowUnexported(rql{}, rqlValue{})

func quoted(s string) rqlValue {
	if s == "" {
		return rqlValue{kind: rqlEmpty}
	}
	return rqlValue{kind: rqlQuoted, text: s}
}

func bare(s string) rqlValue { return rqlValue{kind: rqlBare, text: s} }

// TestParseRQL checks the parser on decoded RQL, hand-written forms
// included.
func TestParseRQL(t *testing.T) {
	tests := []struct {
		in   string
		want rql
	}{
		{"eq(status,Active)", rql{op: "eq", field: "status", values: []rqlValue{bare("Active")}}},
		{"EQ(status,Active)", rql{op: "eq", field: "status", values: []rqlValue{bare("Active")}}},
		{"eq(name,'a,b(c)')", rql{op: "eq", field: "name", values: []rqlValue{quoted("a,b(c)")}}},
		{`eq(name,"it's")`, rql{op: "eq", field: "name", values: []rqlValue{quoted("it's")}}},
		{`eq(name,'say "hi"')`, rql{op: "eq", field: "name", values: []rqlValue{quoted(`say "hi"`)}}},
		{`eq(name,'a\')`, rql{op: "eq", field: "name", values: []rqlValue{quoted(`a\`)}}},
		{"eq(name,'')", rql{op: "eq", field: "name", values: []rqlValue{{kind: rqlQuoted}}}},
		{"eq(name,empty())", rql{op: "eq", field: "name", values: []rqlValue{{kind: rqlEmpty}}}},
		{"ne(name,NULL())", rql{op: "ne", field: "name", values: []rqlValue{{kind: rqlNull}}}},
		{"eq(name, a b )", rql{op: "eq", field: "name", values: []rqlValue{bare(" a b ")}}},
		{"in(type,(Client,'Vendor',empty()))", rql{op: "in", field: "type", values: []rqlValue{bare("Client"), quoted("Vendor"), {kind: rqlEmpty}}}},
		{"out(type,Client)", rql{op: "out", field: "type", values: []rqlValue{bare("Client")}}},
		{"ilike(name,*soft*)", rql{op: "ilike", field: "name", values: []rqlValue{bare("*soft*")}}},
		{"not(and(eq(a,1),or(gt(b,2),le(c,'3'))))", rql{op: "not", args: []rql{{op: "and", args: []rql{
			{op: "eq", field: "a", values: []rqlValue{bare("1")}},
			{op: "or", args: []rql{
				{op: "gt", field: "b", values: []rqlValue{bare("2")}},
				{op: "le", field: "c", values: []rqlValue{quoted("3")}},
			}},
		}}}}},
	}
	for _, tt := range tests {
		got, err := parseRQLSyntax(tt.in)
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got, cmpRQL); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.in, diff)
		}
	}
}

// TestFakeRefusesRQLItCannotEvaluate checks the 400 answers.
func TestFakeRefusesRQLItCannotEvaluate(t *testing.T) {
	f := New()
	f.AddAccount(marketplace.Account{Name: "Acme", Type: marketplace.AccountTypeClient})
	for _, term := range []string{
		"eq(name)",
		"eq(name,)",
		"eq(,x)",
		"eq(name,'Acme)",
		`eq(name,"Acme')`,
		"eq(name,'Acme'x)",
		"eq(name,a'b')",
		"eq(name,Acme",
		"eq(name,Acme))",
		"eq(name,Acme)x",
		"and()",
		"and(eq(name,Acme),)",
		"not(eq(name,Acme),eq(name,B))",
		"in(name,())",
		"in(name,(a,)",
		"and(eq(name,Acme)&eq(type,Client))",
		"or(eq(name,Acme)|eq(type,Client))",
		"any(groups,eq(id,x))",
		"search(name,Acme)",
		"eq(address.city,Zurich)",
		"eq(Name,Acme)",
		"gt(name,null())",
		"like(name,null())",
		"in(name,(a,null()))",
		"ilike(name,a*b)",
		`ilike(name,The%5C**)`,
		"eq(name,%ZZ)",
		"rqlerror('x')",
		strings.Repeat("not(", maxRQLDepth+2) + "eq(name,Acme)" + strings.Repeat(")", maxRQLDepth+2),
	} {
		w := httptest.NewRecorder()
		f.ServeHTTP(w, authorized(httptest.NewRequest(http.MethodGet, APIBase+"/accounts/accounts?"+term, nil)))
		if w.Code != http.StatusBadRequest {
			t.Errorf("%s: %d %s", term, w.Code, w.Body)
		}
	}
	w := httptest.NewRecorder()
	f.ServeHTTP(w, authorized(httptest.NewRequest(http.MethodGet, APIBase+"/accounts/accounts?eq(name,Acme)", nil)))
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"Acme"`) {
		t.Errorf("eq(name,Acme): %d %s", w.Code, w.Body)
	}
}

func authorized(r *http.Request) *http.Request {
	r.Header.Set("Authorization", "Bearer "+Token)
	return r
}

// TestLikePattern checks the reading of like patterns against SoftwareOne's
// reference implementation's (mpt-rql-net Like.cs and its tests).
func TestLikePattern(t *testing.T) {
	tests := []struct {
		pattern, mode, literal string
		ok                     bool
	}{
		{"Jewelry*", "starts", "Jewelry", true},
		{"*Jewelry*", "contains", "Jewelry", true},
		{"*Widget", "ends", "Widget", true},
		{"Widget", "equals", "Widget", true},
		{"*", "contains", "", true},
		{"**", "contains", "", true},
		{`\*`, "equals", "*", true},
		{`*With\*`, "ends", "With*", true},
		{`\*Example \With\*`, "equals", `*Example \With*`, true},
		{`*\With*`, "contains", `\With`, true},
		{`\**`, "starts", "*", true},
		{`*\*`, "ends", "*", true},
		{`a\b`, "equals", `a\b`, true},
		{"", "equals", "", true},
		{"a*b", "", "", false},
		{`The\**`, "", "", false},
		{"***", "", "", false},
	}
	for _, tt := range tests {
		mode, literal, ok := likePattern(tt.pattern)
		if mode != tt.mode || literal != tt.literal || ok != tt.ok {
			t.Errorf("likePattern(%q) = %q, %q, %v; want %q, %q, %v", tt.pattern, mode, literal, ok, tt.mode, tt.literal, tt.ok)
		}
	}
}

// fieldSafe turns s into a field path package rql accepts: letters,
// digits, _ and - in segments joined by dots.
func fieldSafe(s string) string {
	var segs []string
	for seg := range strings.SplitSeq(s, ".") {
		seg = strings.Map(func(r rune) rune {
			if r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
				return r
			}
			return -1
		}, seg)
		if seg != "" {
			segs = append(segs, seg)
		}
	}
	if len(segs) == 0 {
		return "name"
	}
	return strings.Join(segs, ".")
}

// checkWire fails unless s holds only bytes that pass through a query
// string unchanged: unreserved ones, * : ' ( ) , and %XX escapes.
func checkWire(t *testing.T, s string) {
	t.Helper()
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', strings.IndexByte("-._~*:'(),", c) >= 0:
		case c == '%' && i+2 < len(s) && strings.IndexByte("0123456789ABCDEF", s[i+1]) >= 0 && strings.IndexByte("0123456789ABCDEF", s[i+2]) >= 0:
			i += 2
		default:
			t.Fatalf("%q holds %q at %d", s, c, i)
		}
	}
}

// writable reports whether package rql can write s as a value.
func writable(s string) bool {
	return utf8.ValidString(s) && !(strings.Contains(s, "'") && strings.Contains(s, `"`))
}

// FuzzRQLRoundTrip checks that what package rql writes, the fake reads
// back: the same values, the same tree of and, or and not, and for the
// name field the same matches.
func FuzzRQLRoundTrip(f *testing.F) {
	f.Add("name", "Acme Corp", "O'Neil & Sons")
	f.Add("externalIds.pyraTenantId", `say "hi"`, "a,b(c)")
	f.Fuzz(func(t *testing.T, field, a, b string) {
		field = fieldSafe(field)
		decode := func(q build.Query) rql {
			t.Helper()
			if err := q.Err(); err != nil {
				t.Fatalf("Err() = %v", err)
			}
			s := q.String()
			checkWire(t, s)
			decoded, err := url.PathUnescape(s)
			if err != nil {
				t.Fatalf("%s: %v", s, err)
			}
			got, err := parseRQLSyntax(decoded)
			if err != nil {
				t.Fatalf("the fake cannot parse %s (%s): %v", s, decoded, err)
			}
			return got
		}

		for _, v := range []string{a, b} {
			if writable(v) {
				continue
			}
			q := build.Eq("name", v)
			if q.Err() == nil {
				t.Fatalf("Eq(name, %q) has no Err", v)
			}
			if _, err := parseRQL(q.String()); err == nil {
				t.Fatalf("the fake accepted %s", q)
			}
			return
		}

		eq := func(op, v string) rql { return rql{op: op, field: field, values: []rqlValue{quoted(v)}} }
		if diff := cmp.Diff(eq("eq", a), decode(build.Eq(field, a)), cmpRQL); diff != "" {
			t.Fatalf("Eq(%q, %q) (-want +got):\n%s", field, a, diff)
		}

		q := build.And(
			build.Eq(field, a),
			build.Or(build.Ne(field, b), build.Not(build.In(field, a, b)), build.Gt(field, a)),
			build.Like(field, a),
			build.Not(build.Or(build.ILike(field, b), build.Out(field, b))),
			build.Ge(field, b), build.Lt(field, a), build.Le(field, b),
		)
		want := rql{op: "and", args: []rql{
			eq("eq", a),
			{op: "or", args: []rql{
				eq("ne", b),
				{op: "not", args: []rql{{op: "in", field: field, values: []rqlValue{quoted(a), quoted(b)}}}},
				eq("gt", a),
			}},
			eq("like", a),
			{op: "not", args: []rql{{op: "or", args: []rql{eq("ilike", b), {op: "out", field: field, values: []rqlValue{quoted(b)}}}}}},
			eq("ge", b), eq("lt", a), eq("le", b),
		}}
		if diff := cmp.Diff(want, decode(q), cmpRQL); diff != "" {
			t.Fatalf("%s (-want +got):\n%s", q, diff)
		}

		// Through the fake's whole path, for a field it knows.
		account := &marketplace.Account{Name: a}
		for _, c := range []struct {
			q    build.Query
			want bool
		}{
			{build.Eq("name", a), true},
			{build.Ne("name", a), false},
			{build.Ge("name", a), true},
			{build.Gt("name", a), false},
			{build.In("name", b, a), true},
			{build.Out("name", b, a), false},
			{build.Not(build.Eq("name", a)), false},
			{build.Or(build.Eq("name", b), build.Eq("name", a)), true},
			{build.And(build.Eq("name", b), build.Eq("name", a)), a == b},
		} {
			filter, err := parseRQL(c.q.String())
			if err != nil {
				t.Fatalf("the fake refused %s: %v", c.q, err)
			}
			if got := filter.match(account); got != c.want {
				t.Fatalf("%s on name %q: %v, want %v", c.q, a, got, c.want)
			}
		}
	})
}
