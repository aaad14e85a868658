package rql_test

import (
	"context"
	"fmt"
	"log"
	"net/url"

	"github.com/accountkit/accountkit-go/marketplace"
	"github.com/accountkit/accountkit-go/marketplace/marketplacetest"
	"github.com/accountkit/accountkit-go/marketplace/rql"
)

// Build a filter and see what is sent, and what the server reads once it
// has percent-decoded the query string.
func Example() {
	q := rql.And(
		rql.Eq("type", marketplace.AccountTypeClient),
		rql.ILike("name", "*o'neil & sons*"),
		rql.Not(rql.In("status", marketplace.AccountStatusDisabled, marketplace.AccountStatusNew)),
	)
	if err := q.Err(); err != nil {
		log.Fatal(err)
	}
	fmt.Println(q)
	decoded, _ := url.PathUnescape(q.String())
	fmt.Println(decoded)
	// Output:
	// and(eq(type,'Client'),ilike(name,%22*o%27neil%20%26%20sons*%22),not(in(status,('Disabled','New'))))
	// and(eq(type,'Client'),ilike(name,"*o'neil & sons*"),not(in(status,('Disabled','New'))))
}

// Filter ListAccounts by a name with spaces, a comma and quotes.
func Example_listAccounts() {
	srv := marketplacetest.NewServer()
	defer srv.Close()
	srv.AddAccount(marketplace.Account{Name: `Smith, "The" Builders`, Type: marketplace.AccountTypeClient})
	srv.AddAccount(marketplace.Account{Name: "Smith", Type: marketplace.AccountTypeClient})
	client, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}

	params := &marketplace.ListAccountsParams{RQL: rql.Eq("name", `Smith, "The" Builders`).String()}
	for account, err := range client.ListAccounts(context.Background(), params) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(account.Name)
	}
	// Output: Smith, "The" Builders
}
