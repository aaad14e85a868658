package marketplacetest_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/accountkit/accountkit-go/marketplace"
	"github.com/accountkit/accountkit-go/marketplace/marketplacetest"
)

// Test code that uploads logos: the fake keeps each logo's size, type and
// hash.
func Example() {
	srv := marketplacetest.NewServer()
	defer srv.Close()
	account := srv.AddAccount(marketplace.Account{Name: "Acme", Type: marketplace.AccountTypeClient})
	client, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}

	png := []byte("\x89PNG\r\n\x1a\n fake image data")
	if _, err := client.UpdateAccount(context.Background(), account.ID, &account, &marketplace.Logo{Content: bytes.NewReader(png)}); err != nil {
		log.Fatal(err)
	}
	logo, _ := srv.Logo(account.ID)
	fmt.Println(logo.Size, logo.ContentType)
	// Output: 24 image/png
}

// Mount the fake on your own mux and check the requests your code sent.
func ExampleNew() {
	fake := marketplacetest.New(marketplacetest.WithDeterministicIDs())
	mux := http.NewServeMux()
	mux.Handle("/marketplace/", http.StripPrefix("/marketplace", fake))
	ts := httptest.NewServer(mux)
	defer ts.Close()

	account := fake.AddAccount(marketplace.Account{Name: "Acme", Type: marketplace.AccountTypeClient})
	client, err := fake.NewClientAt(ts.URL + "/marketplace")
	if err != nil {
		log.Fatal(err)
	}
	if _, err := client.DisableAccount(context.Background(), account.ID); err != nil {
		log.Fatal(err)
	}
	for _, r := range fake.Requests() {
		fmt.Println(r.Method, r.Path, r.Status, r.Header.Get("Authorization"))
	}
	// Output: POST /accounts/accounts/ACC-0000-0001/disable 200 Bearer REDACTED
}
