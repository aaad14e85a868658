// Command marketplace-logo uploads a logo for a SoftwareOne Marketplace
// account from a file, streaming it: the file is never read into memory
// whole. With no file it uploads the small logo.png next to this source,
// embedded in the program.
//
//	go run ./examples/marketplace-logo
//	go run ./examples/marketplace-logo path/to/logo.png
//
// With no credentials it runs against an in-process fake and creates the
// account first. With MPT_API_TOKEN and MPT_API_BASE_URL set it updates
// the real account named by -account:
//
//	MPT_API_TOKEN=... MPT_API_BASE_URL=https://api.platform.softwareone.com/public/v1 \
//		go run ./examples/marketplace-logo -account ACC-1234-5678 logo.png
package main

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/accountkit/accountkit-go/marketplace"
	"github.com/accountkit/accountkit-go/marketplace/marketplacetest"
)

// defaultLogo is the logo uploaded when no file is named: a 32x32 PNG.
//
//go:embed logo.png
var defaultLogo []byte

func main() {
	accountID := flag.String("account", "", "the account whose logo to replace (needed with MPT_API_TOKEN)")
	contentType := flag.String("type", "", "the logo's media type; sniffed from the file when empty")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: marketplace-logo [-account ACC-...] [-type image/png] [FILE]")
		flag.PrintDefaults()
	}
	flag.Parse()
	log.SetFlags(0)
	if flag.NArg() > 1 {
		flag.Usage()
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := run(ctx, *accountID, *contentType, flag.Arg(0)); err != nil {
		log.Fatal("marketplace-logo: ", err)
	}
}

// run uploads the file at path as the logo of accountID (of a new account
// in the fake), or the embedded logo when path is empty.
func run(ctx context.Context, accountID, contentType, path string) error {
	// An *os.File or a *bytes.Reader is streamed with its size as
	// Content-Length, and can be re-read from the start if the update has to
	// be retried.
	var content io.Reader = bytes.NewReader(defaultLogo)
	name, size := "logo.png", int64(len(defaultLogo))
	if path != "" {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		info, err := f.Stat()
		if err != nil {
			return err
		}
		content, name, size = f, filepath.Base(path), info.Size()
	}

	client, fake, err := newClient()
	if err != nil {
		return err
	}
	if fake != nil {
		defer fake.Close()
		a := fake.AddAccount(marketplace.Account{Name: "Logo Example Ltd", Type: marketplace.AccountTypeClient, ServiceLevel: marketplace.ServiceLevelExpress})
		accountID = a.ID
		fmt.Printf("(in-process fake; account %s)\n", a.ID)
	} else if accountID == "" {
		return errors.New("pass -account with the id of the account to update")
	}

	account, err := client.GetAccount(ctx, accountID)
	if err != nil {
		return err
	}
	updated, err := client.UpdateAccount(ctx, account.ID, account, &marketplace.Logo{
		Filename:    name,
		ContentType: contentType,
		Content:     content,
	})
	if err != nil {
		return err
	}
	fmt.Printf("uploaded %s (%d bytes) as the logo of %s %q\n", name, size, updated.ID, updated.Name)
	fmt.Printf("icon: %s\n", updated.Icon)
	if fake != nil {
		if logo, ok := fake.Logo(updated.ID); ok {
			fmt.Printf("the fake received %d bytes of %s, sha256 %s\n", logo.Size, logo.ContentType, logo.SHA256)
		}
	}
	return nil
}

// newClient returns a client for the real API when its variables are set,
// or for a fake otherwise.
func newClient() (*marketplace.Client, *marketplacetest.Server, error) {
	token, base := os.Getenv("MPT_API_TOKEN"), os.Getenv("MPT_API_BASE_URL")
	if token != "" && base != "" {
		c, err := marketplace.NewClient(marketplace.Environment{BaseURL: base}, marketplace.WithAPIToken(token))
		return c, nil, err
	}
	srv := marketplacetest.NewServer()
	c, err := srv.NewClient()
	if err != nil {
		srv.Close()
		return nil, nil, err
	}
	return c, srv, nil
}
