package marketplace_test

import (
	"context"
	"strings"
	"testing"

	"github.com/accountkit/accountkit-go/internal/calltest"
	"github.com/accountkit/accountkit-go/marketplace"
)

// TestPathParametersRefuseDotSegments calls every method that puts an id in
// a request path with "", "." and "..": each must be refused before
// anything is sent.
func TestPathParametersRefuseDotSegments(t *testing.T) {
	for _, id := range []string{"", ".", ".."} {
		for name, f := range map[string]func(c *marketplace.Client) error{
			"GetAccount": func(c *marketplace.Client) error { _, err := c.GetAccount(t.Context(), id); return err },
			"UpdateAccount": func(c *marketplace.Client) error {
				_, err := c.UpdateAccount(t.Context(), id, newAccount("Acme"), nil)
				return err
			},
			"UpdateAccount with logo": func(c *marketplace.Client) error {
				_, err := c.UpdateAccount(t.Context(), id, newAccount("Acme"), &marketplace.Logo{ContentType: "image/png", Content: strings.NewReader("png")})
				return err
			},
			"EnableAccount":   func(c *marketplace.Client) error { _, err := c.EnableAccount(t.Context(), id); return err },
			"DisableAccount":  func(c *marketplace.Client) error { _, err := c.DisableAccount(t.Context(), id); return err },
			"ActivateAccount": func(c *marketplace.Client) error { _, err := c.ActivateAccount(t.Context(), id); return err },
		} {
			t.Run(name+"("+id+")", func(t *testing.T) {
				srv, c := newFake(t)
				op, _, _ := strings.Cut(name, " ")
				calltest.Refused(t, func() error { return f(c) }, "marketplace: "+op+": ", "", srv.Requests)
			})
		}
	}
}

// TestNilContextIsRefused calls every method with a nil context and
// otherwise valid arguments: an error wrapping ErrInvalidRequest, no panic,
// nothing sent.
func TestNilContextIsRefused(t *testing.T) {
	var ctx context.Context // nil, as a caller might pass by mistake
	for name, f := range map[string]func(c *marketplace.Client) error{
		"GetAccount":   func(c *marketplace.Client) error { _, err := c.GetAccount(ctx, "ACC-1"); return err },
		"ListAccounts": func(c *marketplace.Client) error { return calltest.FirstErr(c.ListAccounts(ctx, nil)) },
		"CreateAccount": func(c *marketplace.Client) error {
			_, err := c.CreateAccount(ctx, newAccount("Acme"), nil)
			return err
		},
		"UpdateAccount": func(c *marketplace.Client) error {
			_, err := c.UpdateAccount(ctx, "ACC-1", newAccount("Acme"), nil)
			return err
		},
		"EnableAccount":   func(c *marketplace.Client) error { _, err := c.EnableAccount(ctx, "ACC-1"); return err },
		"DisableAccount":  func(c *marketplace.Client) error { _, err := c.DisableAccount(ctx, "ACC-1"); return err },
		"ActivateAccount": func(c *marketplace.Client) error { _, err := c.ActivateAccount(ctx, "ACC-1"); return err },
	} {
		t.Run(name, func(t *testing.T) {
			srv, c := newFake(t)
			calltest.Refused(t, func() error { return f(c) }, "marketplace: "+name+": ", "context is nil", srv.Requests)
		})
	}
}

func TestNewClientSkipsNilOptions(t *testing.T) {
	srv, _ := newFake(t)
	acct := srv.AddAccount(*newAccount("Acme"))
	var c *marketplace.Client
	err := calltest.Recover(func() (err error) {
		c, err = srv.NewClient(nil, marketplace.WithMaxRetries(0), nil)
		return err
	})
	if err != nil {
		t.Fatalf("NewClient with nil options = %v", err)
	}
	if got, err := c.GetAccount(t.Context(), acct.ID); err != nil || got.ID != acct.ID {
		t.Errorf("GetAccount = %v, %v", got, err)
	}
}
