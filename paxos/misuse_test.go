package paxos_test

import (
	"context"
	"testing"

	"github.com/accountkit/accountkit-go/internal/calltest"
	"github.com/accountkit/accountkit-go/paxos"
)

// TestPathParametersRefuseDotSegments calls every method that puts an id in
// a request path with "", "." and "..": each must be refused before
// anything is sent (".." used to reach the parent resource).
func TestPathParametersRefuseDotSegments(t *testing.T) {
	for _, id := range []string{"", ".", ".."} {
		for name, f := range map[string]func(c *paxos.Client) error{
			"GetAccount": func(c *paxos.Client) error { _, err := c.GetAccount(t.Context(), id); return err },
			"DeleteAccountMember": func(c *paxos.Client) error {
				return c.DeleteAccountMember(t.Context(), id)
			},
			"AddMember": func(c *paxos.Client) error {
				_, err := c.AddMember(t.Context(), id, member("x", paxos.RoleAuthorizedUser))
				return err
			},
			"RemoveMember": func(c *paxos.Client) error { _, err := c.RemoveMember(t.Context(), id, "x"); return err },
			"SetMemberRoles": func(c *paxos.Client) error {
				_, err := c.SetMemberRoles(t.Context(), id, "x", paxos.RoleAuthorizedUser)
				return err
			},
		} {
			t.Run(name+"("+id+")", func(t *testing.T) {
				srv, c := newFake(t)
				calltest.Refused(t, func() error { return f(c) }, "paxos: "+name+": ", "", srv.Requests)
			})
		}
	}
}

// TestNilContextIsRefused calls every method with a nil context and
// otherwise valid arguments: an error wrapping ErrInvalidRequest, no panic,
// nothing sent.
func TestNilContextIsRefused(t *testing.T) {
	var ctx context.Context // nil, as a caller might pass by mistake
	for name, f := range map[string]func(c *paxos.Client) error{
		"GetAccount":   func(c *paxos.Client) error { _, err := c.GetAccount(ctx, "acc"); return err },
		"ListAccounts": func(c *paxos.Client) error { return calltest.FirstErr(c.ListAccounts(ctx, nil)) },
		"CreateAccount": func(c *paxos.Client) error {
			_, err := c.CreateAccount(ctx, paxos.CreateAccountRequest{Account: paxos.Account{IdentityID: "i", RefID: "r"}})
			return err
		},
		"UpdateAccount": func(c *paxos.Client) error {
			_, err := c.UpdateAccount(ctx, paxos.UpdateAccountRequest{Account: paxos.Account{ID: "acc", Description: "d"}})
			return err
		},
		"AddMember": func(c *paxos.Client) error {
			_, err := c.AddMember(ctx, "acc", member("x", paxos.RoleAuthorizedUser))
			return err
		},
		"RemoveMember": func(c *paxos.Client) error { _, err := c.RemoveMember(ctx, "acc", "x"); return err },
		"SetMemberRoles": func(c *paxos.Client) error {
			_, err := c.SetMemberRoles(ctx, "acc", "x", paxos.RoleAuthorizedUser)
			return err
		},
		"DisableAccount": func(c *paxos.Client) error { _, err := c.DisableAccount(ctx, "acc"); return err },
		"EnableAccount":  func(c *paxos.Client) error { _, err := c.EnableAccount(ctx, "acc"); return err },
		"AddAccountMembers": func(c *paxos.Client) error {
			_, err := c.AddAccountMembers(ctx, "acc", member("x", paxos.RoleAuthorizedUser))
			return err
		},
		"DeleteAccountMember": func(c *paxos.Client) error { return c.DeleteAccountMember(ctx, "m") },
	} {
		t.Run(name, func(t *testing.T) {
			srv, c := newFake(t)
			calltest.Refused(t, func() error { return f(c) }, "paxos: "+name+": ", "context is nil", srv.Requests)
		})
	}
}

func TestNewClientSkipsNilOptions(t *testing.T) {
	srv, _ := newFake(t)
	acct := srv.AddAccount(paxos.Account{IdentityID: "owner"})
	var c *paxos.Client
	err := calltest.Recover(func() (err error) {
		c, err = srv.NewClient(nil, paxos.WithMaxRetries(0), nil)
		return err
	})
	if err != nil {
		t.Fatalf("NewClient with nil options = %v", err)
	}
	if got, err := c.GetAccount(t.Context(), acct.ID); err != nil || got.ID != acct.ID {
		t.Errorf("GetAccount = %v, %v", got, err)
	}
}
