package paxos_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/accountkit/accountkit-go"
	"github.com/accountkit/accountkit-go/paxos"
	"github.com/accountkit/accountkit-go/paxos/paxostest"
)

// memberSet is members without their server-assigned ids, for comparison.
func memberSet(ms []paxos.AccountMember) []paxos.AccountMember {
	out := make([]paxos.AccountMember, len(ms))
	for i, m := range ms {
		out[i] = paxos.AccountMember{IdentityID: m.IdentityID, Roles: m.Roles}
	}
	return out
}

func seedAccount(srv *paxostest.Server, members ...paxos.AccountMember) paxos.Account {
	return srv.AddAccount(paxos.Account{IdentityID: "owner", Members: members})
}

func TestAddMemberKeepsMembersAndOrder(t *testing.T) {
	srv, c := newFake(t)
	a := seedAccount(srv, member("bo", paxos.RoleBeneficialOwner), member("fa", paxos.RoleFinancialAdvisor))
	got, err := c.AddMember(context.Background(), a.ID, member("au", paxos.RoleAuthorizedUser, paxos.RoleAuthorizedUser))
	if err != nil {
		t.Fatal(err)
	}
	want := []paxos.AccountMember{member("bo", paxos.RoleBeneficialOwner), member("fa", paxos.RoleFinancialAdvisor), member("au", paxos.RoleAuthorizedUser)}
	if diff := cmp.Diff(want, memberSet(got.Members)); diff != "" {
		t.Errorf("members (-want +got):\n%s", diff)
	}
	// The ids of the members that stayed are kept.
	if got.Members[0].ID != a.Members[0].ID || got.Members[1].ID != a.Members[1].ID {
		t.Errorf("member ids changed: before %v, after %v", a.Members, got.Members)
	}
}

func TestAddMemberAlreadyPresent(t *testing.T) {
	srv, c := newFake(t)
	a := seedAccount(srv, member("bo", paxos.RoleBeneficialOwner), member("au", paxos.RoleAuthorizedUser, paxos.RoleFinancialAdvisor))
	ctx := context.Background()

	// Same roles, or a subset: nothing to write, the account comes back.
	got, err := c.AddMember(ctx, a.ID, member("au", paxos.RoleAuthorizedUser))
	if err != nil {
		t.Fatalf("repeat AddMember: %v", err)
	}
	if len(got.Members) != 2 {
		t.Errorf("members = %v", got.Members)
	}
	if n := countRequests(srv, http.MethodPut); n != 0 {
		t.Errorf("%d PUTs for a member already present, want 0", n)
	}

	// Other roles: refused, pointing at SetMemberRoles.
	a2 := seedAccount(srv, member("bo", paxos.RoleBeneficialOwner), member("au", paxos.RoleAuthorizedUser))
	_, err = c.AddMember(ctx, a2.ID, member("au", paxos.RoleFinancialAdvisor))
	if !errors.Is(err, accountkit.ErrInvalidRequest) || !strings.Contains(err.Error(), "SetMemberRoles") {
		t.Errorf("AddMember with new roles for a member: %v, want ErrInvalidRequest naming SetMemberRoles", err)
	}
}

// TestMemberHelpersRefuse checks every refusal: each wraps
// ErrInvalidRequest, names the way forward, and sends no write (checks that
// need the current members read it first).
func TestMemberHelpersRefuse(t *testing.T) {
	srv, c := newFake(t)
	a := seedAccount(srv, member("bo", paxos.RoleBeneficialOwner), member("au", paxos.RoleAuthorizedUser))
	single := seedAccount(srv, member("au", paxos.RoleAuthorizedUser))
	ctx := context.Background()
	tests := []struct {
		name     string
		call     func() error
		hint     string
		needsGet bool
		kind     error // the member error it wraps, if any
	}{
		{"add beneficial owner", func() error {
			_, err := c.AddMember(ctx, a.ID, member("x", paxos.RoleBeneficialOwner))
			return err
		}, "CreateAccount", false, paxos.ErrRoleNotUpdatable},
		{"add unknown role", func() error {
			_, err := c.AddMember(ctx, a.ID, member("x", "TRUSTEE"))
			return err
		}, "FINANCIAL_ADVISOR", false, paxos.ErrRoleNotUpdatable},
		{"add without roles", func() error { _, err := c.AddMember(ctx, a.ID, member("x")); return err }, "give it", false, nil},
		{"add without identity", func() error {
			_, err := c.AddMember(ctx, a.ID, member("", paxos.RoleAuthorizedUser))
			return err
		}, "identity", false, nil},
		{"add with member id", func() error {
			_, err := c.AddMember(ctx, a.ID, paxos.AccountMember{ID: "m1", IdentityID: "x", Roles: roles(paxos.RoleAuthorizedUser)})
			return err
		}, "assigns member ids", false, nil},
		{"add primary owner", func() error {
			_, err := c.AddMember(ctx, a.ID, member("owner", paxos.RoleAuthorizedUser))
			return err
		}, "primary owner", true, paxos.ErrMemberExists},
		{"add member with other roles", func() error {
			_, err := c.AddMember(ctx, a.ID, member("au", paxos.RoleFinancialAdvisor))
			return err
		}, "use SetMemberRoles", true, paxos.ErrMemberExists},
		{"add without account", func() error { _, err := c.AddMember(ctx, "", member("x", paxos.RoleAuthorizedUser)); return err }, "account id", false, nil},
		{"remove beneficial owner", func() error { _, err := c.RemoveMember(ctx, a.ID, "bo"); return err }, "DeleteAccountMember(ctx, \"" + a.Members[0].ID + "\")", true, paxos.ErrRoleNotUpdatable},
		{"remove last member", func() error { _, err := c.RemoveMember(ctx, single.ID, "au"); return err }, "DeleteAccountMember(ctx, \"" + single.Members[0].ID + "\")", true, paxos.ErrLastMember},
		{"remove non-member", func() error { _, err := c.RemoveMember(ctx, a.ID, "nobody"); return err }, "not a member", true, paxos.ErrNotMember},
		{"remove without identity", func() error { _, err := c.RemoveMember(ctx, a.ID, ""); return err }, "identity id", false, nil},
		{"set roles adds beneficial owner", func() error {
			_, err := c.SetMemberRoles(ctx, a.ID, "au", paxos.RoleAuthorizedUser, paxos.RoleBeneficialOwner)
			return err
		}, "cannot be added", true, paxos.ErrRoleNotUpdatable},
		{"set roles drops beneficial owner", func() error {
			_, err := c.SetMemberRoles(ctx, a.ID, "bo", paxos.RoleFinancialAdvisor)
			return err
		}, "keep it in roles", true, paxos.ErrRoleNotUpdatable},
		{"set no roles", func() error { _, err := c.SetMemberRoles(ctx, a.ID, "au"); return err }, "RemoveMember", false, nil},
		{"set roles of non-member", func() error {
			_, err := c.SetMemberRoles(ctx, a.ID, "nobody", paxos.RoleAuthorizedUser)
			return err
		}, "use AddMember", true, paxos.ErrNotMember},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(srv.Requests())
			err := tt.call()
			if !errors.Is(err, accountkit.ErrInvalidRequest) {
				t.Fatalf("err = %v, want one wrapping ErrInvalidRequest", err)
			}
			if tt.kind != nil && !errors.Is(err, tt.kind) {
				t.Errorf("err = %v, want one wrapping %v", err, tt.kind)
			}
			for _, other := range []error{paxos.ErrNotMember, paxos.ErrRoleNotUpdatable, paxos.ErrLastMember, paxos.ErrMemberExists} {
				if other != tt.kind && errors.Is(err, other) {
					t.Errorf("err = %v also wraps %v", err, other)
				}
			}
			if !strings.Contains(err.Error(), tt.hint) {
				t.Errorf("err = %q, want it to mention %q", err, tt.hint)
			}
			sent := srv.Requests()[before:]
			for _, r := range sent {
				if r.Method != http.MethodGet {
					t.Errorf("sent %s %s before refusing", r.Method, r.Path)
				}
			}
			if !tt.needsGet && len(sent) > 0 {
				t.Errorf("sent %d requests for input that is invalid on its face", len(sent))
			}
		})
	}
	if got, _ := srv.Account(a.ID); len(got.Members) != 2 {
		t.Errorf("the account changed: %v", got.Members)
	}
}

func TestSetMemberRolesNoChangeWritesNothing(t *testing.T) {
	srv, c := newFake(t)
	a := seedAccount(srv, member("bo", paxos.RoleBeneficialOwner, paxos.RoleFinancialAdvisor))
	if _, err := c.SetMemberRoles(context.Background(), a.ID, "bo", paxos.RoleBeneficialOwner, paxos.RoleFinancialAdvisor); err != nil {
		t.Fatal(err)
	}
	if n := countRequests(srv, http.MethodPut); n != 0 {
		t.Errorf("%d PUTs, want 0", n)
	}
	got, err := c.SetMemberRoles(context.Background(), a.ID, "bo", paxos.RoleBeneficialOwner)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(roles(paxos.RoleBeneficialOwner), got.Members[0].Roles); diff != "" {
		t.Errorf("roles (-want +got):\n%s", diff)
	}
}

// TestConcurrentMemberHelpersLoseNothing runs many helpers on one account at
// once: serialised per account, none overwrites another's change.
func TestConcurrentMemberHelpersLoseNothing(t *testing.T) {
	srv, c := newFake(t)
	a := seedAccount(srv, member("bo", paxos.RoleBeneficialOwner), member("leaver", paxos.RoleAuthorizedUser))
	other := seedAccount(srv, member("bo", paxos.RoleBeneficialOwner))
	const n = 24
	var wg sync.WaitGroup
	errs := make(chan error, 2*n+2)
	for i := range n {
		wg.Add(2)
		go func() {
			defer wg.Done()
			_, err := c.AddMember(context.Background(), a.ID, member(fmt.Sprintf("id-%02d", i), paxos.RoleAuthorizedUser))
			errs <- err
		}()
		go func() {
			defer wg.Done()
			_, err := c.AddMember(context.Background(), other.ID, member(fmt.Sprintf("id-%02d", i), paxos.RoleFinancialAdvisor))
			errs <- err
		}()
	}
	wg.Add(2)
	go func() {
		defer wg.Done()
		_, err := c.RemoveMember(context.Background(), a.ID, "leaver")
		errs <- err
	}()
	go func() {
		defer wg.Done()
		_, err := c.SetMemberRoles(context.Background(), a.ID, "bo", paxos.RoleBeneficialOwner, paxos.RoleFinancialAdvisor)
		errs <- err
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	got, _ := srv.Account(a.ID)
	if len(got.Members) != n+1 {
		t.Fatalf("account has %d members, want %d: %v", len(got.Members), n+1, memberSet(got.Members))
	}
	if diff := cmp.Diff(roles(paxos.RoleBeneficialOwner, paxos.RoleFinancialAdvisor), got.Members[0].Roles); diff != "" {
		t.Errorf("bo roles (-want +got):\n%s", diff)
	}
	for _, m := range got.Members {
		if m.IdentityID == "leaver" {
			t.Errorf("removed member is back")
		}
	}
	gotOther, _ := srv.Account(other.ID)
	if len(gotOther.Members) != n+1 {
		t.Errorf("other account has %d members, want %d", len(gotOther.Members), n+1)
	}
}

func TestAddAndDeleteAccountMembers(t *testing.T) {
	srv, c := newFake(t)
	a := seedAccount(srv, member("bo", paxos.RoleBeneficialOwner))
	ctx := context.Background()
	added, err := c.AddAccountMembers(ctx, a.ID, member("fa", paxos.RoleFinancialAdvisor), member("au", paxos.RoleAuthorizedUser))
	if err != nil {
		t.Fatal(err)
	}
	if len(added) != 2 || added[0].ID == "" || added[1].ID == "" {
		t.Fatalf("added = %v, want two members with ids", added)
	}
	if diff := cmp.Diff([]paxos.AccountMember{member("fa", paxos.RoleFinancialAdvisor), member("au", paxos.RoleAuthorizedUser)}, added, cmpopts.IgnoreFields(paxos.AccountMember{}, "ID")); diff != "" {
		t.Errorf("added (-want +got):\n%s", diff)
	}
	// DeleteAccountMember removes what an update cannot: the beneficial
	// owner, then everyone.
	for _, m := range append([]paxos.AccountMember{a.Members[0]}, added...) {
		if err := c.DeleteAccountMember(ctx, m.ID); err != nil {
			t.Fatalf("delete %s: %v", m.IdentityID, err)
		}
	}
	if got, _ := srv.Account(a.ID); len(got.Members) != 0 {
		t.Errorf("members left: %v", got.Members)
	}
	err = c.DeleteAccountMember(ctx, added[0].ID)
	var apiErr *accountkit.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusNotFound {
		t.Errorf("deleting twice: %v, want a 404 APIError", err)
	}
	for _, bad := range [][]paxos.AccountMember{nil, {{IdentityID: "x", ID: "m", Roles: roles(paxos.RoleAuthorizedUser)}}, {member("x")}} {
		if _, err := c.AddAccountMembers(ctx, a.ID, bad...); !errors.Is(err, accountkit.ErrInvalidRequest) {
			t.Errorf("AddAccountMembers(%v) = %v, want ErrInvalidRequest", bad, err)
		}
	}
	if err := c.DeleteAccountMember(ctx, ""); !errors.Is(err, accountkit.ErrInvalidRequest) {
		t.Errorf("DeleteAccountMember(\"\") = %v", err)
	}
}
