package rql_test

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/accountkit/accountkit-go/marketplace"
	"github.com/accountkit/accountkit-go/marketplace/rql"
)

type stringer struct{ id int }

func (s stringer) String() string { return fmt.Sprintf("S-%d", s.id) }

type ptrStringer struct{ id int }

func (s *ptrStringer) String() string { return fmt.Sprintf("P-%d", s.id) }

// TestQueryString checks what the builder writes for tricky values: the
// text sent, and the RQL the server parses once it has percent-decoded it.
func TestQueryString(t *testing.T) {
	str := "s"
	var nilStr *string
	tests := []struct {
		name    string
		q       rql.Query
		wire    string // Query.String()
		decoded string // what the server parses
	}{
		{"plain", rql.Eq("status", "Active"), "eq(status,'Active')", "eq(status,'Active')"},
		{"named string type", rql.Eq("type", marketplace.AccountTypeClient), "eq(type,'Client')", "eq(type,'Client')"},
		{"space", rql.Eq("name", "Acme Corp"), "eq(name,'Acme%20Corp')", "eq(name,'Acme Corp')"},
		{"comma and parentheses", rql.Eq("name", "a,b(c)"), "eq(name,'a%2Cb%28c%29')", "eq(name,'a,b(c)')"},
		{"double quotes", rql.Eq("name", `say "hi"`), "eq(name,'say%20%22hi%22')", `eq(name,'say "hi"')`},
		{"single quote", rql.Eq("name", "O'Neil"), "eq(name,%22O%27Neil%22)", `eq(name,"O'Neil")`},
		{"backslash", rql.Eq("name", `a\b\`), "eq(name,'a%5Cb%5C')", `eq(name,'a\b\')`},
		{"query delimiters", rql.Eq("name", "a&b=c+d#e?f;g|h"), "eq(name,'a%26b%3Dc%2Bd%23e%3Ff%3Bg%7Ch')", "eq(name,'a&b=c+d#e?f;g|h')"},
		{"percent", rql.Eq("name", "100%25"), "eq(name,'100%2525')", "eq(name,'100%25')"},
		{"rql keywords as text", rql.Eq("name", "null()"), "eq(name,'null%28%29')", "eq(name,'null()')"},
		{"unicode", rql.Eq("name", "Zürich Ünïcødé 東京"), "eq(name,'Z%C3%BCrich%20%C3%9Cn%C3%AFc%C3%B8d%C3%A9%20%E6%9D%B1%E4%BA%AC')", "eq(name,'Zürich Ünïcødé 東京')"},
		{"emoji", rql.Eq("name", "rocket 🚀"), "eq(name,'rocket%20%F0%9F%9A%80')", "eq(name,'rocket 🚀')"},
		{"control characters", rql.Eq("name", "a\tb\nc\x00"), "eq(name,'a%09b%0Ac%00')", "eq(name,'a\tb\nc\x00')"},
		{"empty string", rql.Eq("name", ""), "eq(name,empty())", "eq(name,empty())"},
		{"blank string", rql.Eq("name", " "), "eq(name,'%20')", "eq(name,' ')"},
		{"nil", rql.Eq("externalId", nil), "eq(externalId,null())", "eq(externalId,null())"},
		{"nil pointer", rql.Ne("externalId", nilStr), "ne(externalId,null())", "ne(externalId,null())"},
		{"pointer", rql.Eq("name", &str), "eq(name,'s')", "eq(name,'s')"},
		{"true", rql.Eq("eligibility.client", true), "eq(eligibility.client,true)", "eq(eligibility.client,true)"},
		{"false", rql.Ne("eligibility.partner", false), "ne(eligibility.partner,false)", "ne(eligibility.partner,false)"},
		{"int", rql.Gt("count", 42), "gt(count,42)", "gt(count,42)"},
		{"negative int", rql.Ge("count", int8(-7)), "ge(count,-7)", "ge(count,-7)"},
		{"uint64", rql.Lt("count", uint64(math.MaxUint64)), "lt(count,18446744073709551615)", "lt(count,18446744073709551615)"},
		{"float", rql.Le("price.SPxM", 12.5), "le(price.SPxM,12.5)", "le(price.SPxM,12.5)"},
		{"float without exponent", rql.Gt("price.SPxM", 1e21), "gt(price.SPxM,1000000000000000000000)", "gt(price.SPxM,1000000000000000000000)"},
		{"small float", rql.Gt("price.SPxM", 0.000001), "gt(price.SPxM,0.000001)", "gt(price.SPxM,0.000001)"},
		{"float32", rql.Gt("price.SPxM", float32(0.1)), "gt(price.SPxM,0.1)", "gt(price.SPxM,0.1)"},
		{"time in UTC with milliseconds", rql.Gt("audit.created.at", time.Date(2026, 1, 31, 23, 0, 0, 0, time.UTC)),
			"gt(audit.created.at,'2026-01-31T23:00:00.000Z')", "gt(audit.created.at,'2026-01-31T23:00:00.000Z')"},
		{"time zone converted to UTC", rql.Lt("audit.created.at", time.Date(2026, 2, 1, 1, 30, 0, 123e6, time.FixedZone("CET", 3600))),
			"lt(audit.created.at,'2026-02-01T00:30:00.123Z')", "lt(audit.created.at,'2026-02-01T00:30:00.123Z')"},
		{"time with ticks", rql.Ge("audit.updated.at", time.Date(2026, 1, 1, 0, 0, 0, 1234500, time.UTC)),
			"ge(audit.updated.at,'2026-01-01T00:00:00.0012345Z')", "ge(audit.updated.at,'2026-01-01T00:00:00.0012345Z')"},
		{"time with nanoseconds", rql.Ge("audit.updated.at", time.Date(2026, 1, 1, 0, 0, 0, 1, time.UTC)),
			"ge(audit.updated.at,'2026-01-01T00:00:00.000000001Z')", "ge(audit.updated.at,'2026-01-01T00:00:00.000000001Z')"},
		{"zero time", rql.Eq("t", time.Time{}), "eq(t,'0001-01-01T00:00:00.000Z')", "eq(t,'0001-01-01T00:00:00.000Z')"},
		{"date as a string", rql.Ge("commitmentDate", "2026-12-31"), "ge(commitmentDate,'2026-12-31')", "ge(commitmentDate,'2026-12-31')"},
		{"stringer", rql.Eq("id", stringer{7}), "eq(id,'S-7')", "eq(id,'S-7')"},
		{"pointer stringer", rql.Eq("id", &ptrStringer{8}), "eq(id,'P-8')", "eq(id,'P-8')"},
		{"like wildcards", rql.Like("name", "*soft*"), "like(name,'*soft*')", "like(name,'*soft*')"},
		{"ilike with a literal asterisk", rql.ILike("name", `\*star*`), "ilike(name,'%5C*star*')", `ilike(name,'\*star*')`},
		{"like with * inside", rql.Like("name", "a*b c"), "like(name,'a*b%20c')", "like(name,'a*b c')"},
		{"ilike quotes and spaces", rql.ILike("name", "*o'neil & sons*"), "ilike(name,%22*o%27neil%20%26%20sons*%22)", `ilike(name,"*o'neil & sons*")`},
		{"like empty", rql.Like("name", ""), "like(name,empty())", "like(name,empty())"},
		{"in", rql.In("status", "Active", "Enabled"), "in(status,('Active','Enabled'))", "in(status,('Active','Enabled'))"},
		{"in one value", rql.In("status", marketplace.AccountStatusActive), "in(status,('Active'))", "in(status,('Active'))"},
		{"out mixed values", rql.Out("name", "a,b", "", 3, "it's"), "out(name,('a%2Cb',empty(),3,%22it%27s%22))", `out(name,('a,b',empty(),3,"it's"))`},
		{"and", rql.And(rql.Eq("type", "Client"), rql.Ne("status", "Disabled")), "and(eq(type,'Client'),ne(status,'Disabled'))", "and(eq(type,'Client'),ne(status,'Disabled'))"},
		{"or", rql.Or(rql.Eq("name", "a b"), rql.Eq("name", "c")), "or(eq(name,'a%20b'),eq(name,'c'))", "or(eq(name,'a b'),eq(name,'c'))"},
		{"not", rql.Not(rql.In("status", "New")), "not(in(status,('New')))", "not(in(status,('New')))"},
		{"nested", rql.And(rql.Or(rql.Eq("a", 1), rql.Not(rql.Eq("b", "x y"))), rql.ILike("c", "*z*")),
			"and(or(eq(a,1),not(eq(b,'x%20y'))),ilike(c,'*z*'))", "and(or(eq(a,1),not(eq(b,'x y'))),ilike(c,'*z*'))"},
		{"and of one", rql.And(rql.Eq("name", "x")), "eq(name,'x')", "eq(name,'x')"},
		{"and skips the zero query", rql.And(rql.Query{}, rql.Eq("name", "x"), rql.Query{}), "eq(name,'x')", "eq(name,'x')"},
		{"or of one", rql.Or(rql.Eq("name", "x")), "eq(name,'x')", "eq(name,'x')"},
		{"and of none", rql.And(), "", ""},
		{"or with the zero query", rql.Or(rql.Eq("name", "x"), rql.Query{}), "", ""},
		{"dotted field", rql.Eq("externalIds.pyraTenantId", "t-1"), "eq(externalIds.pyraTenantId,'t-1')", "eq(externalIds.pyraTenantId,'t-1')"},
		{"field with _ and -", rql.Eq("a_b.c-d", "v"), "eq(a_b.c-d,'v')", "eq(a_b.c-d,'v')"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.q.Err(); err != nil {
				t.Fatalf("Err() = %v", err)
			}
			got := tt.q.String()
			if got != tt.wire {
				t.Errorf("String() = %s\n                want %s", got, tt.wire)
			}
			if strings.ContainsAny(got, " #\t\r\n\"&+=") {
				t.Errorf("String() = %q holds a byte that must be percent-encoded in a query string", got)
			}
			decoded, err := url.PathUnescape(got)
			if err != nil || decoded != tt.decoded {
				t.Errorf("decoded = %q, %v; want %q", decoded, err, tt.decoded)
			}
		})
	}
}

// TestQueryErr checks the queries that cannot be written faithfully: Err
// says why, and String is a term the server refuses, never a filter.
func TestQueryErr(t *testing.T) {
	ok := rql.Eq("name", "x")
	bad := rql.Eq("name", `both ' and "`)
	tests := []struct {
		name string
		q    rql.Query
		want string // in Err()
	}{
		{"both quotes", bad, `both ' and "`},
		{"both quotes in like", rql.ILike("name", `*'"*`), "both"},
		{"both quotes in a list", rql.In("name", "a", `'"`), "value 1"},
		{"invalid UTF-8", rql.Eq("name", "a\xffb"), "not valid UTF-8"},
		{"invalid UTF-8 in like", rql.Like("name", "\xc3"), "not valid UTF-8"},
		{"empty field", rql.Eq("", "x"), "field name"},
		{"field with a space", rql.Eq("first name", "x"), "field name"},
		{"field with a parenthesis", rql.Eq("name)", "x"), "field name"},
		{"field with a comma", rql.In("a,b", "x"), "field name"},
		{"field with an empty segment", rql.Eq("address..city", "x"), "field name"},
		{"field ending in a dot", rql.Like("address.", "x"), "field name"},
		{"unicode field", rql.Eq("näme", "x"), "field name"},
		{"NaN", rql.Gt("n", math.NaN()), "not a number"},
		{"infinity", rql.Lt("n", math.Inf(-1)), "not a number"},
		{"struct", rql.Eq("n", struct{ A int }{1}), "cannot write a struct"},
		{"slice", rql.Eq("n", []string{"a"}), "cannot write a []string"},
		{"time out of range", rql.Eq("t", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)), "outside the years"},
		{"in without values", rql.In("status"), "at least one value"},
		{"out with nil", rql.Out("status", "a", nil), "null() cannot be in a list"},
		{"or of none", rql.Or(), "matches nothing"},
		{"not of the zero query", rql.Not(rql.Query{}), "matches nothing"},
		{"and carries it", rql.And(ok, bad), `both ' and "`},
		{"or carries it", rql.Or(ok, rql.Not(bad)), `both ' and "`},
		{"not carries it", rql.Not(bad), `both ' and "`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.q.Err()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Err() = %v, want it to mention %q", err, tt.want)
			}
			s := tt.q.String()
			if !strings.HasPrefix(s, "rqlerror(") || strings.ContainsAny(s, " #\t\r\n") {
				t.Errorf("String() = %q, want an rqlerror(...) term", s)
			}
		})
	}
	if !errors.Is(rql.And(ok, bad).Err(), bad.Err()) {
		t.Errorf("And's Err is not the failing query's")
	}
}

// TestZeroQuery checks that the zero Query is no filter.
func TestZeroQuery(t *testing.T) {
	var q rql.Query
	if q.String() != "" || q.Err() != nil {
		t.Errorf("zero Query: %q, %v", q.String(), q.Err())
	}
	if got := rql.And(q, q).String(); got != "" {
		t.Errorf("And of zero Queries = %q", got)
	}
	if got := rql.Or(rql.Eq("name", "x"), q); got.String() != "" || got.Err() != nil {
		t.Errorf("Or with the zero Query = %q, %v", got.String(), got.Err())
	}
	// A query that could not be written is reported even where the zero
	// Query makes Or match everything.
	if got := rql.Or(q, rql.Eq("name", `'"`)); got.Err() == nil {
		t.Errorf("Or hid the Err of a query it was built from: %q", got.String())
	}
}
