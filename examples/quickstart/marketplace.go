package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"

	"github.com/accountkit/accountkit-go/marketplace"
	"github.com/accountkit/accountkit-go/marketplace/marketplacetest"
)

// quickstartLogo is a tiny SVG logo.
const quickstartLogo = `<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32"><circle cx="16" cy="16" r="14" fill="#e4002b"/></svg>`

// runMarketplace creates an account with a logo, updates it, lists and
// changes its status.
func runMarketplace(ctx context.Context, out io.Writer) error {
	client, where, done, err := marketplaceSetup()
	if err != nil {
		return err
	}
	defer done()
	fmt.Fprintf(out, "\n== SoftwareOne Marketplace accounts (%s)\n", where)

	account, err := client.CreateAccount(ctx, &marketplace.Account{
		Name:         "accountkit quickstart " + randomSuffix(),
		Type:         marketplace.AccountTypeClient,
		ServiceLevel: marketplace.ServiceLevelNotApplicable,
		Address:      marketplace.Address{AddressLine1: "Riedenmatt 4", PostCode: "6370", City: "Stans", Country: "CH"},
	}, &marketplace.Logo{Filename: "logo.svg", ContentType: "image/svg+xml", Content: bytes.NewReader([]byte(quickstartLogo))})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "created account %s %q (%s), logo at %s\n", account.ID, account.Name, account.Status, account.Icon)

	account.Website = "https://example.com"
	account.ExternalID = "quickstart-" + randomSuffix()
	account, err = client.UpdateAccount(ctx, account.ID, account, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "updated website to %s and external id to %s\n", account.Website, account.ExternalID)

	n := 0
	for a, err := range client.ListAccounts(ctx, &marketplace.ListAccountsParams{RQL: "eq(type,Client)", Limit: 50}) {
		if err != nil {
			return err
		}
		if n < 3 {
			fmt.Fprintf(out, "listed client account %s %q\n", a.ID, a.Name)
		}
		n++
	}
	fmt.Fprintf(out, "%d client account(s) in all\n", n)

	for _, step := range []struct {
		name string
		call func(context.Context, string) (*marketplace.Account, error)
	}{
		{"activated", client.ActivateAccount},
		{"disabled", client.DisableAccount},
	} {
		if account, err = step.call(ctx, account.ID); err != nil {
			return err
		}
		fmt.Fprintf(out, "%s account %s: status %s\n", step.name, account.ID, account.Status)
	}
	return nil
}

// marketplaceSetup returns a client for the real API when MPT_API_TOKEN
// and MPT_API_BASE_URL are set, or for an in-process fake.
func marketplaceSetup() (*marketplace.Client, string, func(), error) {
	token, base := os.Getenv("MPT_API_TOKEN"), os.Getenv("MPT_API_BASE_URL")
	if token != "" && base != "" {
		c, err := marketplace.NewClient(marketplace.Environment{BaseURL: base}, marketplace.WithAPIToken(token))
		return c, base, func() {}, err
	}
	srv := marketplacetest.NewServer()
	c, err := srv.NewClient()
	if err != nil {
		srv.Close()
		return nil, "", nil, err
	}
	return c, "in-process fake; set MPT_API_TOKEN and MPT_API_BASE_URL for the real API", srv.Close, nil
}
