package marketplace_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/accountkit/accountkit-go"
	"github.com/accountkit/accountkit-go/marketplace"
	"github.com/accountkit/accountkit-go/marketplace/marketplacetest"
)

func ExampleNewClient() {
	client, err := marketplace.NewClient(marketplace.Production,
		marketplace.WithAPIToken(os.Getenv("MPT_API_TOKEN")))
	if err != nil {
		log.Fatal(err)
	}
	_ = client
}

func ExampleClient_CreateAccount() {
	srv := marketplacetest.NewServer(marketplacetest.WithDeterministicIDs())
	defer srv.Close()
	client, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}

	// The logo is streamed from its reader; its type is sniffed when not
	// given.
	logo := &marketplace.Logo{Filename: "acme.svg", Content: strings.NewReader(`<svg xmlns="http://www.w3.org/2000/svg"/>`)}
	account, err := client.CreateAccount(context.Background(), &marketplace.Account{
		Name:         "Acme Corp",
		Type:         marketplace.AccountTypeClient,
		ServiceLevel: marketplace.ServiceLevelExpress,
	}, logo)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(account.ID, account.Name, account.Status)
	fmt.Println(account.Icon)
	// Output:
	// ACC-0000-0001 Acme Corp New
	// /v1/accounts/accounts/ACC-0000-0001/icon
}

func ExampleClient_UpdateAccount() {
	srv := marketplacetest.NewServer()
	defer srv.Close()
	stored := srv.AddAccount(marketplace.Account{Name: "Acme Corp", Type: marketplace.AccountTypeClient})
	client, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	// Read, change, write back: read-only members are not sent.
	account, err := client.GetAccount(ctx, stored.ID)
	if err != nil {
		log.Fatal(err)
	}
	account.Website = "https://acme.example"
	account, err = client.UpdateAccount(ctx, account.ID, account, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(account.Website)
	// Output: https://acme.example
}

func ExampleClient_ListAccounts() {
	srv := marketplacetest.NewServer()
	defer srv.Close()
	for _, name := range []string{"Acme Soft", "Globex", "Initech Soft"} {
		srv.AddAccount(marketplace.Account{Name: name, Type: marketplace.AccountTypeClient})
	}
	client, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	params := &marketplace.ListAccountsParams{RQL: "ilike(name,*soft)", Order: "-name", Limit: 100}
	for account, err := range client.ListAccounts(context.Background(), params) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(account.Name)
	}
	// Output:
	// Initech Soft
	// Acme Soft
}

func ExampleClient_EnableAccount() {
	srv := marketplacetest.NewServer()
	defer srv.Close()
	stored := srv.AddAccount(marketplace.Account{Name: "Acme Corp", Type: marketplace.AccountTypeClient})
	client, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}

	// Enabling an account that is not disabled is refused; the field
	// errors come in one form whatever shape the API used.
	_, err = client.EnableAccount(context.Background(), stored.ID)
	var apiErr *accountkit.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.FieldErrors["status"])
	}
	// Output: 400 [only a disabled account can be enabled; the account is Enabled]
}
