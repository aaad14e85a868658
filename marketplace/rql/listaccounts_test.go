package rql_test

import (
	"errors"
	"net/http"
	"slices"
	"testing"

	accountkit "github.com/accountkit/accountkit-go"
	"github.com/accountkit/accountkit-go/marketplace"
	"github.com/accountkit/accountkit-go/marketplace/marketplacetest"
	"github.com/accountkit/accountkit-go/marketplace/rql"
)

// trickyNames are account names holding what RQL, URLs and query strings
// treat specially.
var trickyNames = []string{
	"Acme Corp",
	"Acme  Corp ",
	" ",
	"a,b",
	"(parenthesised)",
	"eq(name,x)",
	"and(eq(status,Active),eq(type,Client))",
	"O'Neil",
	`The "Best" Co`,
	`back\slash\`,
	`\*`,
	"star*inside*",
	"*",
	"100% sure",
	"%41",
	"a+b",
	"a&b=c",
	"#hash?query;semi|pipe",
	"Zürich",
	"東京株式会社",
	"🚀 rocket",
	"tab\tand\nnewline",
	"null()",
	"empty()",
	"status",
	"Active",
	"2026-01-31T23:00:00.000Z",
	"true",
	"42",
}

func listNames(t *testing.T, c *marketplace.Client, q rql.Query) []string {
	t.Helper()
	if err := q.Err(); err != nil {
		t.Fatalf("%v", err)
	}
	var names []string
	for a, err := range c.ListAccounts(t.Context(), &marketplace.ListAccountsParams{RQL: q.String(), Limit: 100}) {
		if err != nil {
			t.Fatalf("ListAccounts(%s): %v", q, err)
		}
		names = append(names, a.Name)
	}
	slices.Sort(names)
	return names
}

// TestEqFindsEachTrickyName stores accounts under trickyNames in the fake
// and finds each one, and only it, through ListAccounts with rql.Eq.
func TestEqFindsEachTrickyName(t *testing.T) {
	srv := marketplacetest.NewServer()
	defer srv.Close()
	for _, name := range trickyNames {
		srv.AddAccount(marketplace.Account{Name: name, Type: marketplace.AccountTypeClient, Status: marketplace.AccountStatusActive})
	}
	c, err := srv.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range trickyNames {
		got := listNames(t, c, rql.Eq("name", name))
		if !slices.Equal(got, []string{name}) {
			t.Errorf("Eq(name, %q) found %q", name, got)
		}
		got = listNames(t, c, rql.Ne("name", name))
		if len(got) != len(trickyNames)-1 || slices.Contains(got, name) {
			t.Errorf("Ne(name, %q) found %d accounts", name, len(got))
		}
	}
}

// TestOperatorsThroughListAccounts runs every operator through the SDK
// and the fake.
func TestOperatorsThroughListAccounts(t *testing.T) {
	srv := marketplacetest.NewServer()
	defer srv.Close()
	for _, a := range []marketplace.Account{
		{Name: "Soft & Co", Type: marketplace.AccountTypeClient, Status: marketplace.AccountStatusActive, ExternalID: "x-1"},
		{Name: "SOFTWARE, Inc.", Type: marketplace.AccountTypeVendor, Status: marketplace.AccountStatusEnabled, ExternalID: "x-2"},
		{Name: "O'Neil & Sons", Type: marketplace.AccountTypeClient, Status: marketplace.AccountStatusDisabled},
		{Name: "*Stars*", Type: marketplace.AccountTypeOperations, Status: marketplace.AccountStatusNew},
		{Name: "x-1", Type: marketplace.AccountTypeClient, Status: marketplace.AccountStatusActive, ExternalID: "x-1"},
	} {
		srv.AddAccount(a)
	}
	c, err := srv.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		q    rql.Query
		want []string
	}{
		{"in", rql.In("status", marketplace.AccountStatusActive, marketplace.AccountStatusNew), []string{"*Stars*", "Soft & Co", "x-1"}},
		{"out", rql.Out("type", "Client", "Vendor"), []string{"*Stars*"}},
		{"in with a comma", rql.In("name", "SOFTWARE, Inc.", "nobody"), []string{"SOFTWARE, Inc."}},
		{"like is case-sensitive", rql.Like("name", "Soft*"), []string{"Soft & Co"}},
		{"ilike ignores case", rql.ILike("name", "soft*"), []string{"SOFTWARE, Inc.", "Soft & Co"}},
		{"ilike contains", rql.ILike("name", "* & *"), []string{"O'Neil & Sons", "Soft & Co"}},
		{"ilike ends with", rql.ILike("name", "*sons"), []string{"O'Neil & Sons"}},
		{"ilike with a quote", rql.ILike("name", "o'neil*"), []string{"O'Neil & Sons"}},
		{"like with escaped asterisks", rql.Like("name", `\*Stars\*`), []string{"*Stars*"}},
		{"like with an escaped leading asterisk", rql.Like("name", `\*St*`), []string{"*Stars*"}},
		{"like anything", rql.Like("name", "*"), []string{"*Stars*", "O'Neil & Sons", "SOFTWARE, Inc.", "Soft & Co", "x-1"}},
		{"gt", rql.Gt("name", "S"), []string{"SOFTWARE, Inc.", "Soft & Co", "x-1"}},
		{"le", rql.Le("name", "O'Neil & Sons"), []string{"*Stars*", "O'Neil & Sons"}},
		{"ge and lt", rql.And(rql.Ge("name", "O"), rql.Lt("name", "Soft")), []string{"O'Neil & Sons", "SOFTWARE, Inc."}},
		{"empty externalId", rql.Eq("externalId", ""), []string{"*Stars*", "O'Neil & Sons"}},
		{"null externalId", rql.Eq("externalId", nil), []string{"*Stars*", "O'Neil & Sons"}},
		{"not null externalId", rql.Ne("externalId", nil), []string{"SOFTWARE, Inc.", "Soft & Co", "x-1"}},
		{"a quoted value is text, not a field", rql.Eq("name", "externalId"), nil},
		{"and", rql.And(rql.Eq("type", "Client"), rql.Ne("status", "Disabled")), []string{"Soft & Co", "x-1"}},
		{"or", rql.Or(rql.Eq("name", "O'Neil & Sons"), rql.Eq("status", "New")), []string{"*Stars*", "O'Neil & Sons"}},
		{"not", rql.Not(rql.ILike("name", "*s*")), []string{"x-1"}},
		{"nested", rql.Or(rql.And(rql.Eq("type", "Client"), rql.Not(rql.Eq("status", "Active"))), rql.Eq("type", "Vendor")),
			[]string{"O'Neil & Sons", "SOFTWARE, Inc."}},
		{"zero query", rql.Query{}, []string{"*Stars*", "O'Neil & Sons", "SOFTWARE, Inc.", "Soft & Co", "x-1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := listNames(t, c, tt.q); !slices.Equal(got, tt.want) {
				t.Errorf("%s found %q, want %q", tt.q, got, tt.want)
			}
		})
	}
}

// TestHandWrittenFiltersKeepWorking checks filters written by hand, as
// before package rql, and a bare word naming a field, as the server reads it.
func TestHandWrittenFiltersKeepWorking(t *testing.T) {
	srv := marketplacetest.NewServer()
	defer srv.Close()
	srv.AddAccount(marketplace.Account{Name: "Microsoft", Type: marketplace.AccountTypeVendor, Status: marketplace.AccountStatusActive, ExternalID: "Microsoft"})
	srv.AddAccount(marketplace.Account{Name: "Acme Corp", Type: marketplace.AccountTypeClient, Status: marketplace.AccountStatusActive})
	c, err := srv.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	for filter, want := range map[string][]string{
		"eq(status,Active)":                             {"Acme Corp", "Microsoft"},
		`eq(name,"Acme%20Corp")`:                        {"Acme Corp"},
		"eq(name,'Acme%20Corp')":                        {"Acme Corp"},
		"and(eq(type,Client),ilike(name,*corp*))":       {"Acme Corp"},
		"EQ(type,Vendor)":                               {"Microsoft"},
		"eq(name,externalId)":                           {"Microsoft"}, // the field, not the text
		"eq(name,'externalId')":                         nil,
		"in(type,Client)":                               {"Acme Corp"},
		"or(eq(name,Microsoft),eq(name,'Acme%20Corp'))": {"Acme Corp", "Microsoft"},
	} {
		var got []string
		for a, err := range c.ListAccounts(t.Context(), &marketplace.ListAccountsParams{RQL: filter}) {
			if err != nil {
				t.Fatalf("%s: %v", filter, err)
			}
			got = append(got, a.Name)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s found %q, want %q", filter, got, want)
		}
	}
}

// TestUnwritableQueryIsRefused sends a query whose Err is set: the fake
// answers 400 rather than listing accounts.
func TestUnwritableQueryIsRefused(t *testing.T) {
	srv := marketplacetest.NewServer()
	defer srv.Close()
	srv.AddAccount(marketplace.Account{Name: `both ' and "`, Type: marketplace.AccountTypeClient})
	c, err := srv.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	q := rql.Eq("name", `both ' and "`)
	if q.Err() == nil {
		t.Fatal("no Err")
	}
	for a, err := range c.ListAccounts(t.Context(), &marketplace.ListAccountsParams{RQL: q.String()}) {
		var apiErr *accountkit.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest {
			t.Fatalf("got %v, %v; want a 400", a, err)
		}
	}
}
