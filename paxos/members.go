package paxos

import (
	"context"
	"slices"
)

// AddMember adds member to the account, keeping every existing member, and
// returns the account as it is afterwards. member needs an identity id and
// roles from FINANCIAL_ADVISOR and AUTHORIZED_USER, the only ones an update
// may add; beneficial owners are named when the account is created.
//
// Adding an identity that is already a member with all the given roles
// changes nothing and returns the account as read, so a retried AddMember is
// harmless. An identity that is a member with other roles is refused: use
// SetMemberRoles to change its roles.
//
// AddMember reads the account and writes back the complete members array;
// see the package documentation for what that means for concurrent writers.
func (c *Client) AddMember(ctx context.Context, accountID string, member AccountMember) (*Account, error) {
	const op = "AddMember"
	ctx, done, err := c.begin(ctx, op)
	if err != nil {
		return nil, err
	}
	defer done()
	if accountID == "" {
		return nil, invalid(op, "the account id is empty")
	}
	if member.IdentityID == "" {
		return nil, invalid(op, "the member has no identity id")
	}
	if member.ID != "" {
		return nil, invalid(op, "the member has an id (%s); Paxos assigns member ids, leave it empty", member.ID)
	}
	roles := memberRoles(member)
	if len(roles) == 0 {
		return nil, invalid(op, "the member has no roles; give it %s or %s", RoleFinancialAdvisor, RoleAuthorizedUser)
	}
	for _, r := range roles {
		if !updatableRole(r) {
			return nil, refuse(ErrRoleNotUpdatable, op, "role %s cannot be added by an account update, only %s and %s can; name beneficial owners in CreateAccount's members", r, RoleFinancialAdvisor, RoleAuthorizedUser)
		}
	}
	return c.modifyMembers(ctx, op, accountID, func(acct *Account, members []AccountMember) ([]AccountMember, error) {
		if member.IdentityID == acct.IdentityID {
			return nil, refuse(ErrMemberExists, op, "identity %s is the primary owner of account %s already", member.IdentityID, accountID)
		}
		if i := indexOfIdentity(members, member.IdentityID); i >= 0 {
			if containsAll(members[i].Roles, roles) {
				return nil, nil
			}
			return nil, refuse(ErrMemberExists, op, "identity %s is already a member of account %s with roles %v; use SetMemberRoles to change its roles", member.IdentityID, accountID, members[i].Roles)
		}
		return append(members, AccountMember{IdentityID: member.IdentityID, Roles: roles}), nil
	})
}

// RemoveMember removes the member with the given identity from the account,
// keeping every other member, and returns the account as it is afterwards.
//
// An update cannot take the BENEFICIAL_OWNER role away, nor leave an account
// with no members, so RemoveMember refuses a beneficial owner and the last
// member; DeleteAccountMember, given the member's id, removes either. An
// identity that is not a member is refused too.
func (c *Client) RemoveMember(ctx context.Context, accountID, identityID string) (*Account, error) {
	const op = "RemoveMember"
	ctx, done, err := c.begin(ctx, op)
	if err != nil {
		return nil, err
	}
	defer done()
	if accountID == "" {
		return nil, invalid(op, "the account id is empty")
	}
	if identityID == "" {
		return nil, invalid(op, "the identity id is empty")
	}
	return c.modifyMembers(ctx, op, accountID, func(_ *Account, members []AccountMember) ([]AccountMember, error) {
		i := indexOfIdentity(members, identityID)
		if i < 0 {
			return nil, refuse(ErrNotMember, op, "identity %s is not a member of account %s", identityID, accountID)
		}
		for _, r := range members[i].Roles {
			if !updatableRole(r) {
				return nil, refuse(ErrRoleNotUpdatable, op, "identity %s holds role %s, which an account update cannot remove; use DeleteAccountMember(ctx, %q)", identityID, r, members[i].ID)
			}
		}
		if len(members) == 1 {
			return nil, refuse(ErrLastMember, op, "identity %s is the account's last member and an update needs at least one; use DeleteAccountMember(ctx, %q)", identityID, members[i].ID)
		}
		return slices.Delete(members, i, i+1), nil
	})
}

// SetMemberRoles replaces the roles of the member with the given identity by
// roles, keeping every other member, and returns the account as it is
// afterwards. Only FINANCIAL_ADVISOR and AUTHORIZED_USER may be added or
// dropped; every other role the member holds must stay in roles. When the
// roles are already those, nothing is written.
//
// To add a financial advisor role to a beneficial owner:
//
//	client.SetMemberRoles(ctx, accountID, identityID, paxos.RoleBeneficialOwner, paxos.RoleFinancialAdvisor)
func (c *Client) SetMemberRoles(ctx context.Context, accountID, identityID string, roles ...Role) (*Account, error) {
	const op = "SetMemberRoles"
	ctx, done, err := c.begin(ctx, op)
	if err != nil {
		return nil, err
	}
	defer done()
	if accountID == "" {
		return nil, invalid(op, "the account id is empty")
	}
	if identityID == "" {
		return nil, invalid(op, "the identity id is empty")
	}
	roles = dedupeRoles(roles)
	if len(roles) == 0 {
		return nil, invalid(op, "no roles given; a member needs at least one, use RemoveMember to take it off the account")
	}
	return c.modifyMembers(ctx, op, accountID, func(_ *Account, members []AccountMember) ([]AccountMember, error) {
		i := indexOfIdentity(members, identityID)
		if i < 0 {
			return nil, refuse(ErrNotMember, op, "identity %s is not a member of account %s; use AddMember", identityID, accountID)
		}
		current := members[i].Roles
		for _, r := range roles {
			if !slices.Contains(current, r) && !updatableRole(r) {
				return nil, refuse(ErrRoleNotUpdatable, op, "role %s cannot be added by an account update, only %s and %s can", r, RoleFinancialAdvisor, RoleAuthorizedUser)
			}
		}
		for _, r := range current {
			if !slices.Contains(roles, r) && !updatableRole(r) {
				return nil, refuse(ErrRoleNotUpdatable, op, "role %s cannot be removed by an account update, only %s and %s can; keep it in roles", r, RoleFinancialAdvisor, RoleAuthorizedUser)
			}
		}
		if slices.Equal(current, roles) {
			return nil, nil
		}
		members[i].Roles = roles
		return members, nil
	})
}

// AddAccountMembers adds members to the account in one server-side step,
// leaving the existing members untouched, and returns the added members
// with the ids Paxos gave them. Unlike AddMember it cannot lose a member
// another process adds at the same time. Members carry an identity id and
// roles, never an id. It is not retried: a repeat would add the members
// twice.
func (c *Client) AddAccountMembers(ctx context.Context, accountID string, members ...AccountMember) ([]AccountMember, error) {
	const op = "AddAccountMembers"
	ctx, done, err := c.begin(ctx, op)
	if err != nil {
		return nil, err
	}
	defer done()
	if accountID == "" {
		return nil, invalid(op, "the account id is empty")
	}
	if len(members) == 0 {
		return nil, invalid(op, "no members given; pass at least one")
	}
	if err := validateNewMembers(op, members); err != nil {
		return nil, err
	}
	held, unlock, err := c.locks.hold(ctx, accountID)
	if err != nil {
		return nil, opError(op, err)
	}
	defer unlock()
	if err := lost(ctx, held); err != nil {
		return nil, opError(op, err)
	}
	resp, err := c.api.addAccountMembers(held, addAccountMembersRequest{AccountID: accountID, Members: members})
	if err != nil {
		return nil, lostOr(op, ctx, held, opError(op, err))
	}
	return resp.Members, nil
}

// DeleteAccountMember removes one member from its account. memberID is the
// member's own id (AccountMember.ID), not its identity id. It can remove
// what an update cannot: a beneficial owner, or the last member.
//
// It knows the member, not its account, so it takes no member lock: a
// member helper (AddMember, RemoveMember, SetMemberRoles) that read the
// same account before the deletion writes the member back. Do not run it
// while a helper may be changing that account; for the members it can
// remove, RemoveMember takes the lock.
func (c *Client) DeleteAccountMember(ctx context.Context, memberID string) error {
	const op = "DeleteAccountMember"
	ctx, done, err := c.begin(ctx, op)
	if err != nil {
		return err
	}
	defer done()
	if memberID == "" {
		return invalid(op, "the member id is empty; pass AccountMember.ID, not the identity id")
	}
	if err := c.api.deleteAccountMember(ctx, memberID); err != nil {
		return opError(op, err)
	}
	return nil
}

// modifyMembers is the read-modify-write behind the member helpers. Under
// the account's lock it reads the account, lets change compute the new
// members from a copy of the current ones (in the form an update sends:
// identity id and roles), and writes them back. change returns nil members
// when nothing needs writing; the account as read is returned then.
func (c *Client) modifyMembers(ctx context.Context, op, accountID string, change func(acct *Account, members []AccountMember) ([]AccountMember, error)) (*Account, error) {
	held, unlock, err := c.locks.hold(ctx, accountID)
	if err != nil {
		return nil, opError(op, err)
	}
	defer unlock()
	acct, err := c.getAccount(held, op, accountID)
	if err != nil {
		return nil, lostOr(op, ctx, held, err)
	}
	members := make([]AccountMember, len(acct.Members))
	for i, m := range acct.Members {
		members[i] = AccountMember{ID: m.ID, IdentityID: m.IdentityID, Roles: memberRoles(m)}
	}
	next, err := change(acct, members)
	if err != nil || next == nil {
		if err != nil {
			return nil, err
		}
		return acct, nil
	}
	// The lock must still be held when the write leaves: a Locker that
	// lost it has ended held, which also cuts off a write in flight.
	if err := lost(ctx, held); err != nil {
		return nil, opError(op, err)
	}
	acct, err = c.updateAccount(held, op, UpdateAccountRequest{Account: Account{ID: accountID, Members: next}})
	if err != nil {
		return nil, lostOr(op, ctx, held, err)
	}
	return acct, nil
}

// writableMembers is members as an update sends them: identity id and
// roles only, in the same order. nil stays nil (members not sent).
func writableMembers(members []AccountMember) []AccountMember {
	if members == nil {
		return nil
	}
	out := make([]AccountMember, len(members))
	for i, m := range members {
		out[i] = AccountMember{IdentityID: m.IdentityID, Roles: memberRoles(m)}
	}
	return out
}

// memberRoles is a member's roles without repeats, falling back to the
// deprecated single type when roles is empty.
func memberRoles(m AccountMember) []Role {
	if len(m.Roles) == 0 && m.Type != "" {
		return []Role{m.Type}
	}
	return dedupeRoles(m.Roles)
}

// dedupeRoles drops repeated roles, keeping first occurrences in order.
func dedupeRoles(roles []Role) []Role {
	out := make([]Role, 0, len(roles))
	for _, r := range roles {
		if r != "" && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// updatableRole reports whether an update may add or remove r.
func updatableRole(r Role) bool {
	return r == RoleFinancialAdvisor || r == RoleAuthorizedUser
}

func indexOfIdentity(members []AccountMember, identityID string) int {
	return slices.IndexFunc(members, func(m AccountMember) bool { return m.IdentityID == identityID })
}

func containsAll(have, want []Role) bool {
	for _, r := range want {
		if !slices.Contains(have, r) {
			return false
		}
	}
	return true
}
