package accountgroups_test

import (
	"context"
	"testing"

	"github.com/accountkit/accountkit-go/accountgroups"
	"github.com/accountkit/accountkit-go/internal/calltest"
)

// TestPathParametersRefuseDotSegments calls every method that puts an id in
// a request path with "", "." and "..": each must be refused before
// anything is sent (ListUserAccountGroups(ctx, "..") used to list every
// group, CloseAccountGroup(ctx, "..") to send DELETE /).
func TestPathParametersRefuseDotSegments(t *testing.T) {
	for _, id := range []string{"", ".", ".."} {
		for name, f := range map[string]func(c *accountgroups.Client) error{
			"GetAccountGroup": func(c *accountgroups.Client) error { _, err := c.GetAccountGroup(t.Context(), id); return err },
			"ListUserAccountGroups": func(c *accountgroups.Client) error {
				return calltest.FirstErr(c.ListUserAccountGroups(t.Context(), id, nil))
			},
			"CloseAccountGroup": func(c *accountgroups.Client) error {
				return c.CloseAccountGroup(t.Context(), id, accountgroups.ClosureReasonUserInitiated, false)
			},
		} {
			t.Run(name+"("+id+")", func(t *testing.T) {
				srv, c := newFake(t, nil)
				calltest.Refused(t, func() error { return f(c) }, "accountgroups: "+name+": ", "", srv.Requests)
			})
		}
	}
}

// TestNilContextIsRefused calls every method with a nil context and
// otherwise valid arguments: an error wrapping ErrInvalidRequest, no panic,
// nothing sent.
func TestNilContextIsRefused(t *testing.T) {
	var ctx context.Context // nil, as a caller might pass by mistake
	const groupID = "0ad8d35a-2a45-4b31-9d1c-05ee3a14d2a1"
	for name, f := range map[string]func(c *accountgroups.Client) error{
		"GetAccountGroup":   func(c *accountgroups.Client) error { _, err := c.GetAccountGroup(ctx, groupID); return err },
		"ListAccountGroups": func(c *accountgroups.Client) error { return calltest.FirstErr(c.ListAccountGroups(ctx, nil)) },
		"ListUserAccountGroups": func(c *accountgroups.Client) error {
			return calltest.FirstErr(c.ListUserAccountGroups(ctx, userID, nil))
		},
		"CreateAccountGroup": func(c *accountgroups.Client) error {
			_, err := c.CreateAccountGroup(ctx, userID, accountgroups.AccountGroupTypePersonal)
			return err
		},
		"CloseAccountGroup": func(c *accountgroups.Client) error {
			return c.CloseAccountGroup(ctx, groupID, accountgroups.ClosureReasonUserInitiated, false)
		},
	} {
		t.Run(name, func(t *testing.T) {
			srv, c := newFake(t, nil)
			calltest.Refused(t, func() error { return f(c) }, "accountgroups: "+name+": ", "context is nil", srv.Requests)
		})
	}
}

func TestNewClientSkipsNilOptions(t *testing.T) {
	srv, _ := newFake(t, nil)
	g := srv.AddAccountGroup(accountgroups.AccountGroup{})
	var c *accountgroups.Client
	err := calltest.Recover(func() (err error) {
		c, err = srv.NewClient(nil, accountgroups.WithMaxRetries(0), nil)
		return err
	})
	if err != nil {
		t.Fatalf("NewClient with nil options = %v", err)
	}
	if got, err := c.GetAccountGroup(t.Context(), g.ID); err != nil || got.ID != g.ID {
		t.Errorf("GetAccountGroup = %v, %v", got, err)
	}
}
