package paxostest

import (
	"maps"
	"net/http"
	"strings"

	"github.com/accountkit/accountkit-go/paxos"
)

// AddAccount stores a as if it had been created, assigning an id, member
// ids, timestamps and a PENDING status where a leaves them empty, and
// returns what was stored.
func (f *Fake) AddAccount(a paxos.Account) paxos.Account {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.store(a)
}

// Account returns the stored account with the given id.
func (f *Fake) Account(id string) (paxos.Account, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.approveDue()
	a, ok := f.accounts[id]
	if !ok {
		return paxos.Account{}, false
	}
	return cloneAccount(a.Account), true
}

// store saves a new account, filling in what the server assigns, and
// returns a copy of it. f.mu is held.
func (f *Fake) store(a paxos.Account) paxos.Account {
	now := f.now().UTC()
	if a.ID == "" {
		a.ID = f.newID()
	}
	if a.CreatedAt.IsZero() {
		a.CreatedAt = now
	}
	if a.UpdatedAt.IsZero() {
		a.UpdatedAt = a.CreatedAt
	}
	if a.SummaryStatus == "" {
		a.SummaryStatus = paxos.SummaryStatusPending
	}
	a.Members = cloneMembers(a.Members)
	for i := range a.Members {
		if a.Members[i].ID == "" {
			a.Members[i].ID = f.newID()
		}
		f.memberOwner[a.Members[i].ID] = a.ID
	}
	a.Metadata = maps.Clone(a.Metadata)
	f.accounts[a.ID] = &account{Account: a}
	f.awaitApproval(&a, now)
	if a.RefID != "" {
		f.refIDs[a.RefID] = a.ID
	}
	return cloneAccount(a)
}

func (f *Fake) getAccount(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	out, ok := f.Account(id)
	if !ok {
		notFound(w, "account", id)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// createAccount takes CreateAccountRequest. Its account has the Account
// schema, but the vendor's description of the operation lists the fields
// a create may carry (identity_id, description, metadata, ref_id,
// members) and forbids any other: an Account field outside that list with
// a value is refused. JSON members the Account schema does not know are
// ignored, as everywhere in the fake.
func (f *Fake) createAccount(w http.ResponseWriter, r *http.Request) {
	var req paxos.CreateAccountRequest
	if !decodeBody(w, r, &req) {
		return
	}
	in := req.Account
	if in.IdentityID == "" {
		badRequest(w, "account.identity_id is required")
		return
	}
	if forbidden := forbiddenOnCreate(in); len(forbidden) > 0 {
		badRequest(w, "account.%s cannot be sent on create: only identity_id, description, metadata, ref_id and members may be", strings.Join(forbidden, ", account."))
		return
	}
	if msg := checkNewMembers(in.Members); msg != "" {
		badRequest(w, "%s", msg)
		return
	}
	a := paxos.Account{
		IdentityID:  in.IdentityID,
		Description: in.Description,
		Metadata:    in.Metadata,
		RefID:       in.RefID,
		Members:     normalizeMembers(in.Members),
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if existingID, dup := f.refIDs[a.RefID]; a.RefID != "" && dup {
		conflict(w, "an account with ref_id "+a.RefID+" already exists", cloneAccount(f.accounts[existingID].Account))
		return
	}
	if req.CreateProfile {
		a.ProfileID = f.newID()
	}
	writeJSON(w, http.StatusOK, f.store(a))
}

// forbiddenOnCreate names the fields of a that a create may not carry, in
// the Account schema's order: those outside the list the vendor's
// description of CreateAccount gives. A field holding its zero value
// (false, "", null) counts as absent, as it does for the SDK, which omits
// empty fields.
func forbiddenOnCreate(a paxos.Account) []string {
	var out []string
	for _, field := range []struct {
		name string
		set  bool
	}{
		{"id", a.ID != ""},
		{"admin_disabled", a.AdminDisabled},
		{"user_disabled", a.UserDisabled},
		{"created_at", !a.CreatedAt.IsZero()},
		{"summary_status", a.SummaryStatus != ""},
		{"updated_at", !a.UpdatedAt.IsZero()},
		{"profile_id", a.ProfileID != ""},
		{"type", a.Type != ""},
	} {
		if field.set {
			out = append(out, field.name)
		}
	}
	return out
}

// updateAccount takes UpdateAccountRequest, whose account is a whole
// Account in the vendor's schema, so that an account can be sent back as
// GET returned it. Of it, id names the account and description, ref_id,
// metadata and members are applied (members as the full new list); the
// read-only members (identity_id, created_at, updated_at, summary_status,
// admin_disabled, user_disabled, profile_id, type and the members' ids)
// are ignored. set_user_disabled disables or enables the account.
func (f *Fake) updateAccount(w http.ResponseWriter, r *http.Request) {
	var req paxos.UpdateAccountRequest
	if !decodeBody(w, r, &req) {
		return
	}
	in := req.Account
	if in.ID == "" {
		badRequest(w, "account.id is required")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	a, ok := f.accounts[in.ID]
	if !ok {
		notFound(w, "account", in.ID)
		return
	}
	if in.RefID != "" && in.RefID != a.RefID {
		if other, dup := f.refIDs[in.RefID]; dup && other != a.ID {
			conflict(w, "an account with ref_id "+in.RefID+" already exists", cloneAccount(f.accounts[other].Account))
			return
		}
	}
	var members []paxos.AccountMember
	if in.Members != nil {
		var msg string
		if members, msg = f.mergeMembers(a.IdentityID, a.Members, in.Members); msg != "" {
			badRequest(w, "%s", msg)
			return
		}
	}
	// Every check passed: apply.
	if in.Members != nil {
		for _, m := range a.Members {
			delete(f.memberOwner, m.ID)
		}
		for _, m := range members {
			f.memberOwner[m.ID] = a.ID
		}
		a.Members = members
	}
	if in.Description != "" {
		a.Description = in.Description
	}
	if in.RefID != "" && in.RefID != a.RefID {
		delete(f.refIDs, a.RefID)
		a.RefID = in.RefID
		f.refIDs[a.RefID] = a.ID
	}
	if in.Metadata != nil {
		a.Metadata = maps.Clone(in.Metadata)
	}
	if d := req.SetUserDisabled; d != nil && *d != a.UserDisabled {
		a.UserDisabled = *d
		if *d {
			a.statusBeforeDisable, a.SummaryStatus = a.SummaryStatus, paxos.SummaryStatusDisabled
		} else {
			a.SummaryStatus = a.statusBeforeDisable
		}
	}
	a.UpdatedAt = f.now().UTC()
	writeJSON(w, http.StatusOK, cloneAccount(a.Account))
}

func cloneAccount(a paxos.Account) paxos.Account {
	a.Members = cloneMembers(a.Members)
	a.Metadata = maps.Clone(a.Metadata)
	return a
}

func cloneMembers(ms []paxos.AccountMember) []paxos.AccountMember {
	if ms == nil {
		return nil
	}
	out := make([]paxos.AccountMember, len(ms))
	for i, m := range ms {
		m.Roles = append([]paxos.Role(nil), m.Roles...)
		out[i] = m
	}
	return out
}
