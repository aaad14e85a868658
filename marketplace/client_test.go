package marketplace_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/accountkit/accountkit-go"
	"github.com/accountkit/accountkit-go/internal/calltest"
	"github.com/accountkit/accountkit-go/marketplace"
	"github.com/accountkit/accountkit-go/marketplace/marketplacetest"
)

func sum(b []byte) string { h := sha256.Sum256(b); return hex.EncodeToString(h[:]) }

// png is the start of a PNG file: enough for content sniffing.
var png = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{7}, 3000)...)

func TestCreateWithLogoSniffsTypeAndStreams(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	got, err := c.CreateAccount(ctx, newAccount("Acme"), &marketplace.Logo{Filename: "acme.png", Content: bytes.NewReader(png)})
	if err != nil {
		t.Fatal(err)
	}
	if got.ID == "" || got.Status != marketplace.AccountStatusNew || got.Icon == "" || got.Name != "Acme" || *got.Eligibility.Client != true || *got.Eligibility.Partner != false {
		t.Errorf("created %+v", got)
	}
	logo, ok := srv.Logo(got.ID)
	want := marketplacetest.LogoInfo{Filename: "acme.png", ContentType: "image/png", Size: int64(len(png)), SHA256: sum(png)}
	if !ok || logo != want {
		t.Errorf("logo stored %+v, want %+v", logo, want)
	}

	// A reader that cannot seek: sniffed, sent chunked, every byte kept.
	pr, pw := io.Pipe()
	go func() {
		_, _ = pw.Write(png)
		pw.Close()
	}()
	updated, err := c.UpdateAccount(ctx, got.ID, got, &marketplace.Logo{Content: pr})
	if err != nil {
		t.Fatal(err)
	}
	if logo, _ := srv.Logo(updated.ID); logo.Size != int64(len(png)) || logo.SHA256 != sum(png) || logo.ContentType != "image/png" || logo.Filename != "logo" {
		t.Errorf("piped logo stored %+v", logo)
	}
}

func TestUpdateFromFileIsRetried(t *testing.T) {
	srv, c := newFake(t)
	a := srv.AddAccount(*newAccount("Acme"))
	path := filepath.Join(t.TempDir(), "logo.svg")
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>`)
	if err := os.WriteFile(path, svg, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	srv.InjectFault(marketplacetest.Fault{Method: http.MethodPut, Status: http.StatusServiceUnavailable, Times: 2})
	a.Description = "retried"
	got, err := c.UpdateAccount(context.Background(), a.ID, &a, &marketplace.Logo{Content: f, ContentType: "image/svg+xml", Filename: "logo.svg"})
	if err != nil {
		t.Fatalf("update with a file logo after two 503s: %v", err)
	}
	if got.Description != "retried" {
		t.Errorf("description %q", got.Description)
	}
	if logo, _ := srv.Logo(a.ID); logo.Size != int64(len(svg)) || logo.SHA256 != sum(svg) {
		t.Errorf("logo after retries: %+v, want %d bytes", logo, len(svg))
	}
	puts := 0
	for _, r := range srv.Requests() {
		if r.Method == http.MethodPut {
			puts++
		}
	}
	if puts != 3 {
		t.Errorf("%d PUTs, want 3", puts)
	}
}

func TestUpdateFromPipeIsNotRetried(t *testing.T) {
	srv, c := newFake(t)
	a := srv.AddAccount(*newAccount("Acme"))
	srv.InjectFault(marketplacetest.Fault{Method: http.MethodPut, Status: http.StatusServiceUnavailable})
	_, err := c.UpdateAccount(context.Background(), a.ID, &a, &marketplace.Logo{Content: io.MultiReader(bytes.NewReader(png))})
	var apiErr *accountkit.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 || apiErr.Attempts != 1 {
		t.Fatalf("err = %v, want the 503 after one attempt", err)
	}
}

func TestValidation(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	long := strings.Repeat("x", 501)
	for name, call := range map[string]func() error{
		"create nil": func() error { _, err := c.CreateAccount(ctx, nil, nil); return err },
		"create no name": func() error {
			_, err := c.CreateAccount(ctx, &marketplace.Account{Type: "Client", ServiceLevel: "Express"}, nil)
			return err
		},
		"create long name": func() error { a := newAccount(long); _, err := c.CreateAccount(ctx, a, nil); return err },
		"create no type":   func() error { a := newAccount("x"); a.Type = ""; _, err := c.CreateAccount(ctx, a, nil); return err },
		"create no level": func() error {
			a := newAccount("x")
			a.ServiceLevel = ""
			_, err := c.CreateAccount(ctx, a, nil)
			return err
		},
		"bad email": func() error {
			a := newAccount("x")
			a.TechnicalSupportEmail = "not an email"
			_, err := c.CreateAccount(ctx, a, nil)
			return err
		},
		"logo without body": func() error { _, err := c.CreateAccount(ctx, newAccount("x"), &marketplace.Logo{}); return err },
		"update no id":      func() error { _, err := c.UpdateAccount(ctx, "", newAccount("x"), nil); return err },
		"update id differs": func() error {
			a := newAccount("x")
			a.ID = "ACC-1"
			_, err := c.UpdateAccount(ctx, "ACC-2", a, nil)
			return err
		},
		"get no id":    func() error { _, err := c.GetAccount(ctx, ""); return err },
		"enable no id": func() error { _, err := c.EnableAccount(ctx, ""); return err },
		"limit too big": func() error {
			return calltest.FirstErr(c.ListAccounts(ctx, &marketplace.ListAccountsParams{Limit: 101}))
		},
		"rql space": func() error {
			return calltest.FirstErr(c.ListAccounts(ctx, &marketplace.ListAccountsParams{RQL: "eq(name,Acme Corp)"}))
		},
	} {
		t.Run(name, func(t *testing.T) {
			if err := call(); !errors.Is(err, accountkit.ErrInvalidRequest) {
				t.Errorf("err = %v, want ErrInvalidRequest", err)
			}
		})
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent for invalid input", n)
	}
}

func TestFieldErrorsAndTraceID(t *testing.T) {
	srv, c := newFake(t)
	a := srv.AddAccount(*newAccount("Acme"))
	// Map-shaped errors: the fake refuses a description over the API's
	// 2000 characters.
	b := newAccount("Acme")
	b.Description = strings.Repeat("d", 2001)
	_, err := c.UpdateAccount(context.Background(), a.ID, b, nil)
	var apiErr *accountkit.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || len(apiErr.FieldErrors["description"]) != 1 || !strings.HasPrefix(apiErr.RequestID, "00-") {
		t.Fatalf("err = %v (%+v)", err, apiErr)
	}
	// List-shaped errors: enabling an account that is not disabled.
	_, err = c.EnableAccount(context.Background(), a.ID)
	if !errors.As(err, &apiErr) || len(apiErr.FieldErrors["status"]) != 1 {
		t.Fatalf("err = %v (%+v)", err, apiErr)
	}
}

func TestStatusChanges(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	a := srv.AddAccount(marketplace.Account{Name: "Acme", Type: "Client", Status: marketplace.AccountStatusNew})
	if _, err := c.ActivateAccount(ctx, a.ID); err == nil {
		t.Fatal("activating without an externalId succeeded")
	}
	a.ExternalID = "ext-1"
	if _, err := c.UpdateAccount(ctx, a.ID, &a, nil); err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		call func(context.Context, string) (*marketplace.Account, error)
		want marketplace.AccountStatus
	}{
		{c.ActivateAccount, marketplace.AccountStatusActive},
		{c.DisableAccount, marketplace.AccountStatusDisabled},
		{c.EnableAccount, marketplace.AccountStatusEnabled},
	} {
		got, err := step.call(ctx, a.ID)
		if err != nil || got.Status != step.want {
			t.Fatalf("status %v, %v; want %s", got, err, step.want)
		}
	}
}

func TestListAccountsPagesAndFilters(t *testing.T) {
	srv, c := newFake(t)
	for i, name := range []string{"Alpha Soft", "Beta", "Gamma Soft", "Delta", "Epsilon Soft"} {
		a := *newAccount(name)
		if i%2 == 1 {
			a.Type = marketplace.AccountTypeVendor
		}
		srv.AddAccount(a)
	}
	ctx := context.Background()
	var names []string
	for a, err := range c.ListAccounts(ctx, &marketplace.ListAccountsParams{Limit: 2, Order: "name"}) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, a.Name)
	}
	if strings.Join(names, ",") != "Alpha Soft,Beta,Delta,Epsilon Soft,Gamma Soft" {
		t.Errorf("names %v", names)
	}
	if n := len(srv.Requests()); n != 3 {
		t.Errorf("%d pages for 5 accounts at 2 a page, want 3", n)
	}
	names = nil
	for a, err := range c.ListAccounts(ctx, &marketplace.ListAccountsParams{RQL: "and(eq(type,Client),ilike(name,*soft*))", Limit: 100}) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, a.Name)
	}
	if strings.Join(names, ",") != "Alpha Soft,Gamma Soft,Epsilon Soft" {
		t.Errorf("filtered names %v", names)
	}
}
