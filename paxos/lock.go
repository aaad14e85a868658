package paxos

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/accountkit/accountkit-go/internal/keyed"
	"github.com/accountkit/accountkit-go/internal/transport"
)

// processLocks is the default member lock: one per account for the whole
// process, keyed by [MemberLockKey], so that every Client of the same
// environment shares it.
var processLocks keyed.Mutex

// memberLocks takes a Client's account locks: from its Locker, or from
// processLocks when it has none. It is a small value, so a derived Client
// copies it and shares the same locks.
type memberLocks struct {
	baseURL string
	locker  Locker // nil: processLocks
}

// hold waits for the account's lock. It returns held, the context to send
// requests under while the lock is held (ctx itself unless the Locker is a
// ContextLocker), and the function that releases the lock, which may be
// called more than once.
func (m memberLocks) hold(ctx context.Context, accountID string) (held context.Context, unlock func(), err error) {
	if err := transport.CheckContext(ctx); err != nil {
		return nil, nil, err
	}
	key := memberLockKey(m.baseURL, accountID)
	switch l := m.locker.(type) {
	case nil:
		if unlock, err = processLocks.Lock(ctx, key); err != nil {
			return nil, nil, err
		}
		return ctx, sync.OnceFunc(unlock), nil
	case ContextLocker:
		held, unlock, err = l.LockContext(ctx, key)
	default:
		unlock, err = l.Lock(ctx, key)
	}
	if err != nil {
		if ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
			return nil, nil, err
		}
		return nil, nil, fmt.Errorf("member lock %s: %w", key, err)
	}
	if held == nil {
		held = ctx
	}
	if unlock == nil {
		unlock = func() {}
	}
	return held, sync.OnceFunc(unlock), nil
}

// lost reports, as an error wrapping ErrLockLost, that held ended before
// ctx did: the Locker lost the lock. It is nil while the lock is held.
func lost(ctx, held context.Context) error {
	if held.Err() == nil || ctx.Err() != nil {
		return nil
	}
	return fmt.Errorf("%w: %w", ErrLockLost, context.Cause(held))
}

// lostOr is err, or the lock's loss when that is why the request sent
// under held failed.
func lostOr(op string, ctx, held context.Context, err error) error {
	if lerr := lost(ctx, held); lerr != nil {
		return opError(op, lerr)
	}
	return err
}
