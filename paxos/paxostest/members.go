package paxostest

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/accountkit/accountkit-go/paxos"
)

// roles is what a member is to the account: its roles, or the older
// single type when it lists no roles.
func roles(m paxos.AccountMember) []paxos.Role {
	if len(m.Roles) == 0 && m.Type != "" {
		return []paxos.Role{m.Type}
	}
	return m.Roles
}

// normalizeMembers copies ms with each member's roles spelled out.
func normalizeMembers(ms []paxos.AccountMember) []paxos.AccountMember {
	out := cloneMembers(ms)
	for i := range out {
		out[i].Roles = slices.Clone(roles(out[i]))
	}
	return out
}

// mergeMembers checks a full members list sent on update against the
// current one and returns the new list, keeping the ids of members that
// stay; member ids sent are ignored (they are read-only). It refuses an
// empty list and any change to a role other than FINANCIAL_ADVISOR and
// AUTHORIZED_USER. The account's primary identity (primary) holds
// BENEFICIAL_OWNER whether or not it is listed, as the vendor's
// CreateAccount description says ("the identity on the account is treated
// as a BENEFICIAL_OWNER"): listing it with that role, or dropping an entry
// of it that had the role, changes no role. f.mu is held.
func (f *Fake) mergeMembers(primary string, current, next []paxos.AccountMember) ([]paxos.AccountMember, string) {
	if len(next) == 0 {
		return nil, "account.members must have at least one element; use DeleteAccountMember to remove all members"
	}
	// held is what an identity listed with rs holds on the account.
	held := func(identity string, rs []paxos.Role) []paxos.Role {
		if identity == primary && !slices.Contains(rs, paxos.RoleBeneficialOwner) {
			return append(slices.Clone(rs), paxos.RoleBeneficialOwner)
		}
		return rs
	}
	before := make(map[string]paxos.AccountMember, len(current))
	for _, m := range current {
		before[m.IdentityID] = m
	}
	seen := make(map[string]bool, len(next))
	out := make([]paxos.AccountMember, 0, len(next))
	for _, m := range next {
		rs := roles(m)
		if msg := checkMember(m, seen); msg != "" {
			return nil, msg
		}
		old, existed := before[m.IdentityID]
		for _, r := range symmetricDifference(held(m.IdentityID, roles(old)), held(m.IdentityID, rs)) {
			if r != paxos.RoleFinancialAdvisor && r != paxos.RoleAuthorizedUser {
				return nil, fmt.Sprintf("role %s of member %s cannot be added or removed by an update; only FINANCIAL_ADVISOR and AUTHORIZED_USER can", r, m.IdentityID)
			}
		}
		id := old.ID
		if !existed {
			id = f.newID()
		}
		out = append(out, paxos.AccountMember{ID: id, IdentityID: m.IdentityID, Roles: slices.Clone(rs)})
	}
	for _, m := range current {
		if seen[m.IdentityID] {
			continue
		}
		for _, r := range symmetricDifference(held(m.IdentityID, roles(m)), held(m.IdentityID, nil)) {
			if r != paxos.RoleFinancialAdvisor && r != paxos.RoleAuthorizedUser {
				return nil, fmt.Sprintf("member %s holds role %s and cannot be removed by an update; use DeleteAccountMember", m.IdentityID, r)
			}
		}
	}
	return out, ""
}

// checkMember applies the rules every member sent must follow: an
// identity, listed once, with at least one known role. seen collects the
// identities checked so far.
func checkMember(m paxos.AccountMember, seen map[string]bool) string {
	rs := roles(m)
	switch {
	case m.IdentityID == "":
		return "every member needs an identity_id"
	case seen[m.IdentityID]:
		return "identity " + m.IdentityID + " is listed twice"
	case len(rs) == 0:
		return "member " + m.IdentityID + " has no roles"
	}
	seen[m.IdentityID] = true
	for _, r := range rs {
		if !r.Valid() {
			return "unknown role " + string(r)
		}
	}
	return ""
}

func symmetricDifference(a, b []paxos.Role) []paxos.Role {
	var out []paxos.Role
	for _, r := range a {
		if !slices.Contains(b, r) {
			out = append(out, r)
		}
	}
	for _, r := range b {
		if !slices.Contains(a, r) {
			out = append(out, r)
		}
	}
	return out
}

// checkNewMembers applies the rules for members being created: no ids
// (the vendor documents sending one as a client error) and those of
// checkMember.
func checkNewMembers(ms []paxos.AccountMember) string {
	seen := make(map[string]bool, len(ms))
	for _, m := range ms {
		if m.ID != "" {
			return "member id " + m.ID + " was sent; member ids are assigned by the server"
		}
		if msg := checkMember(m, seen); msg != "" {
			return msg
		}
	}
	return ""
}

func (f *Fake) addAccountMembers(w http.ResponseWriter, r *http.Request) {
	var req addMembersRequest
	if !decodeBody(w, r, &req) {
		return
	}
	if req.AccountID == "" {
		badRequest(w, "account_id is required")
		return
	}
	if len(req.Members) == 0 {
		badRequest(w, "members must have at least one element")
		return
	}
	if msg := checkNewMembers(req.Members); msg != "" {
		badRequest(w, "%s", msg)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	a, ok := f.accounts[req.AccountID]
	if !ok {
		notFound(w, "account", req.AccountID)
		return
	}
	for _, m := range req.Members {
		if slices.ContainsFunc(a.Members, func(x paxos.AccountMember) bool { return x.IdentityID == m.IdentityID }) {
			problem(w, http.StatusConflict, "already-exists", "Conflict", "identity "+m.IdentityID+" is already a member", nil)
			return
		}
	}
	added := normalizeMembers(req.Members)
	for i := range added {
		added[i].ID = f.newID()
		f.memberOwner[added[i].ID] = a.ID
	}
	a.Members = append(a.Members, cloneMembers(added)...)
	a.UpdatedAt = f.now().UTC()
	writeJSON(w, http.StatusOK, addMembersAnswer{AccountID: a.ID, Members: added})
}

func (f *Fake) deleteAccountMember(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f.mu.Lock()
	defer f.mu.Unlock()
	accountID, ok := f.memberOwner[id]
	if !ok {
		notFound(w, "account member", id)
		return
	}
	a := f.accounts[accountID]
	a.Members = slices.DeleteFunc(a.Members, func(m paxos.AccountMember) bool { return m.ID == id })
	delete(f.memberOwner, id)
	a.UpdatedAt = f.now().UTC()
	writeJSON(w, http.StatusOK, map[string]any{})
}
