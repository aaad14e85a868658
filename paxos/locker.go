package paxos

import (
	"context"
	"errors"
	"strings"
)

// Locker serialises the read-modify-write of an account's members
// (AddMember, RemoveMember, SetMemberRoles) and the calls that must not
// interleave with it (UpdateAccount, DisableAccount, EnableAccount,
// AddAccountMembers). Paxos's update endpoint has no version or If-Match to
// detect a concurrent change, so the lock is the only guard.
//
// The key is [MemberLockKey] of the Client's environment and the account.
// A Locker may be used by many Clients and goroutines at once.
//
// A Locker whose locks can be lost while held (a database session that
// ends, a lease that expires) must say so by implementing [ContextLocker];
// with a plain Locker, a lock once granted is taken to be held until unlock.
type Locker interface {
	// Lock blocks until the caller holds key or ctx ends; unlock releases it.
	Lock(ctx context.Context, key string) (unlock func(), err error)
}

// ContextLocker is a [Locker] that reports a lock lost while held. The
// calls that take the member lock (the member helpers, AddAccountMembers,
// UpdateAccount, DisableAccount and EnableAccount) use LockContext when a
// Locker has it.
type ContextLocker interface {
	Locker
	// LockContext is Lock that also returns held, a context derived from
	// ctx that ends as soon as the Locker learns the lock is lost, with
	// context.Cause(held) saying why. held also ends with ctx, and at the
	// latest when unlock is called.
	LockContext(ctx context.Context, key string) (held context.Context, unlock func(), err error)
}

// ErrLockLost is wrapped by the error of a call holding the member lock
// (a member helper, AddAccountMembers, UpdateAccount, DisableAccount,
// EnableAccount) whose lock a [ContextLocker] reported lost: the call sent
// no write after it learned that. A write already on the wire is cancelled, and may or may not have
// been applied, as with any cancelled request; read the account to know.
var ErrLockLost = errors.New("paxos: the account's member lock was lost")

// WithMemberLocker makes the member helpers take each account's lock from l
// instead of the default: an in-process lock per account shared by every
// Client in the process for the same environment. Use a Locker that works
// across processes, such as package
// github.com/accountkit/accountkit-go/pglock, when several processes change
// the members of the same accounts. A nil l keeps the default.
//
// Waiting for the lock honours the call's context. An error from l, or a
// lock l reports lost (see [ContextLocker]), fails the call; nothing is
// written without the lock.
func WithMemberLocker(l Locker) Option {
	return func(s *settings) { s.memberLocker = l }
}

// MemberLockKey is the key a Client passes to its [Locker] for an account:
// the account's URL, env.BaseURL without trailing slashes followed by
// "/identity/accounts/" and accountID, such as
// "https://api.paxos.com/v2/identity/accounts/1c5ff0ac-…". It is stable
// across releases: processes running different versions of the SDK take
// the same lock. Processes that reach Paxos through different base URLs
// (a proxy, say) do not exclude each other.
func MemberLockKey(env Environment, accountID string) string {
	return memberLockKey(env.BaseURL, accountID)
}

func memberLockKey(baseURL, accountID string) string {
	return strings.TrimRight(baseURL, "/") + "/identity/accounts/" + accountID
}
