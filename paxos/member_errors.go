package paxos

import "errors"

// Errors the member helpers (AddMember, RemoveMember, SetMemberRoles) wrap
// when they refuse a change, together with accountkit.ErrInvalidRequest:
// errors.Is works for both, and nothing was sent.
var (
	// ErrNotMember: the identity is not a member of the account.
	ErrNotMember = errors.New("the identity is not a member of the account")
	// ErrRoleNotUpdatable: the change adds or removes a role that an
	// account update cannot change (BENEFICIAL_OWNER, or one Paxos adds
	// later); only FINANCIAL_ADVISOR and AUTHORIZED_USER can.
	ErrRoleNotUpdatable = errors.New("an account update cannot change this role")
	// ErrLastMember: the change would leave the account without members,
	// which an update cannot do; DeleteAccountMember can.
	ErrLastMember = errors.New("an account update cannot remove the last member")
	// ErrMemberExists: the identity is a member already (or the account's
	// owner) with other roles than those asked for; SetMemberRoles changes
	// them.
	ErrMemberExists = errors.New("the identity is a member of the account already")
)

// memberError is a refusal of a member helper: its message is the
// refusal's, and it wraps both the refusal (which wraps
// accountkit.ErrInvalidRequest) and its kind.
type memberError struct {
	kind error
	err  error
}

func (e *memberError) Error() string   { return e.err.Error() }
func (e *memberError) Unwrap() []error { return []error{e.err, e.kind} }

// refuse is invalid for a member change refused as kind.
func refuse(kind error, op, format string, args ...any) error {
	return &memberError{kind: kind, err: invalid(op, format, args...)}
}
