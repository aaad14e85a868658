package paxos

// validateCreate refuses what CreateAccount forbids: a missing identity id,
// fields only Paxos sets, and malformed members.
func validateCreate(op string, a *Account) error {
	if a.IdentityID == "" {
		return invalid(op, "account.identity_id is required: the identity that will own the account")
	}
	readOnly := []struct {
		name string
		set  bool
	}{
		{"id", a.ID != ""},
		{"admin_disabled", a.AdminDisabled},
		{"user_disabled", a.UserDisabled},
		{"created_at", !a.CreatedAt.IsZero()},
		{"updated_at", !a.UpdatedAt.IsZero()},
		{"summary_status", a.SummaryStatus != ""},
		{"profile_id", a.ProfileID != ""},
	}
	for _, f := range readOnly {
		if f.set {
			return invalid(op, "account.%s is set by Paxos and cannot be sent on create; leave it empty (use CreateAccountRequest.CreateProfile for a profile, DisableAccount to disable)", f.name)
		}
	}
	if a.Type != "" {
		return invalid(op, "account.type cannot be sent on create (Paxos forbids every field but identity_id, description, metadata, ref_id and members); leave it empty")
	}
	if a.Members != nil {
		return validateNewMembers(op, a.Members)
	}
	return nil
}

// validateNewMembers refuses members that cannot be added: no identity, no
// roles, an id (Paxos assigns those), or the same identity twice.
func validateNewMembers(op string, members []AccountMember) error {
	for i, m := range members {
		if m.ID != "" {
			return invalid(op, "member %d (identity %s) has an id; Paxos assigns member ids, leave it empty", i, m.IdentityID)
		}
	}
	return validateMembers(op, members)
}

// validateUpdate refuses an update Paxos documents as invalid: no account
// id, an empty members list, or malformed members.
func validateUpdate(op string, req *UpdateAccountRequest) error {
	if req.Account.ID == "" {
		return invalid(op, "account.id is required: the id of the account to change")
	}
	members := req.Account.Members
	if members != nil && len(members) == 0 {
		return invalid(op, "members is empty but an update needs at least one member; leave members nil to keep them as they are, or use DeleteAccountMember to remove members one by one")
	}
	return validateMembers(op, members)
}

// validateMembers refuses members without an identity or roles, and an
// identity listed twice.
func validateMembers(op string, members []AccountMember) error {
	seen := make(map[string]bool, len(members))
	for i, m := range members {
		if m.IdentityID == "" {
			return invalid(op, "member %d has no identity id", i)
		}
		if len(memberRoles(m)) == 0 {
			return invalid(op, "member %d (identity %s) has no roles; every member needs at least one", i, m.IdentityID)
		}
		if seen[m.IdentityID] {
			return invalid(op, "identity %s is listed twice; give it one entry with all its roles", m.IdentityID)
		}
		seen[m.IdentityID] = true
	}
	return nil
}
