package marketplacetest_test

import (
	"bytes"
	"context"
	"fmt"
	"log"

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
