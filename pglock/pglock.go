package pglock

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/accountkit/accountkit-go/internal/keyed"
	"github.com/accountkit/accountkit-go/paxos"
)

// Defaults of a Locker made by New.
const (
	// DefaultTimeout bounds the wait for a lock: see WithTimeout.
	DefaultTimeout = 30 * time.Second
	// DefaultCheckInterval is how often a held lock's session is checked:
	// see WithCheckInterval.
	DefaultCheckInterval = time.Second
	// checkTimeout is the least time a check of a held lock's session is
	// given to answer: a check cut short ends its connection (and so the
	// lock), so a busy machine must not make it fail.
	checkTimeout = 5 * time.Second
	// releaseTimeout bounds pg_advisory_unlock; past it the connection is
	// closed, which ends the session and its locks.
	releaseTimeout = 10 * time.Second
)

var (
	// ErrTimeout is wrapped by the error of a Lock that waited the
	// Locker's timeout (WithTimeout) without getting the lock.
	ErrTimeout = errors.New("pglock: timed out waiting for the lock")
	// ErrLost is the cause of a held context (LockContext) that ended
	// because the lock's session failed a check: its connection broke, the
	// server ended it, or it no longer holds the lock.
	ErrLost = errors.New("pglock: the lock's database session was lost")
)

// Locker takes PostgreSQL session-level advisory locks, one per key, on
// connections from a *sql.DB. It implements [paxos.Locker] and
// [paxos.ContextLocker], and is safe for concurrent use. Make it with New.
type Locker struct {
	db       *sql.DB
	timeout  time.Duration
	interval time.Duration
	local    keyed.Mutex // one waiter per key in this process, so only one pins a connection
}

var _ paxos.ContextLocker = (*Locker)(nil)

// Option configures a Locker.
type Option func(*Locker)

// WithTimeout bounds how long Lock waits for a lock, in this process and in
// the server's lock queue together ([DefaultTimeout] unless set); the error
// then wraps [ErrTimeout]. The context's deadline bounds it too. 0 or less
// waits as long as the context allows.
func WithTimeout(d time.Duration) Option {
	return func(l *Locker) { l.timeout = max(d, 0) }
}

// WithCheckInterval sets how often the session holding a lock taken with
// LockContext is asked whether it still holds it ([DefaultCheckInterval]
// unless set). A check that fails, or has no answer within 5s (or d, if
// longer), ends the held context with [ErrLost]. The checks also keep the
// session from looking idle to the server's idle_session_timeout. 0 or
// less turns them off.
func WithCheckInterval(d time.Duration) Option {
	return func(l *Locker) { l.interval = max(d, 0) }
}

// New returns a Locker that takes its locks on connections from db, a
// PostgreSQL database opened with any database/sql driver that cancels a
// query when its context ends (pgx's stdlib, lib/pq). Each held lock pins
// one of db's connections until unlock, and so does each wait for a key
// (waits for the same key in one process queue in the process first), so
// let db keep as many idle connections as locks are usually held at once
// (db.SetMaxIdleConns).
func New(db *sql.DB, opts ...Option) *Locker {
	l := &Locker{db: db, timeout: DefaultTimeout, interval: DefaultCheckInterval}
	for _, opt := range opts {
		if opt != nil {
			opt(l)
		}
	}
	return l
}

// Key is the advisory lock id a key is locked under: the first 8 bytes of
// the SHA-256 of key, read as a big-endian two's complement int64. It
// never changes, so processes on different versions of this package
// exclude each other. In pg_locks the lock shows with locktype advisory,
// classid the upper 32 bits, objid the lower 32 bits and objsubid 1.
func Key(key string) int64 {
	sum := sha256.Sum256([]byte(key))
	return int64(binary.BigEndian.Uint64(sum[:8]))
}

// Lock blocks until this process holds key's advisory lock, ctx ends or
// the Locker's timeout passes; unlock releases it. See LockContext for a
// lock whose loss is reported.
func (l *Locker) Lock(ctx context.Context, key string) (unlock func(), err error) {
	_, unlock, err = l.acquire(ctx, key, false)
	return unlock, err
}

// LockContext is Lock that also returns held, a context derived from ctx
// that ends, with a cause wrapping [ErrLost], as soon as a check of the
// session holding the lock fails (see WithCheckInterval). held ends too
// when unlock is called.
func (l *Locker) LockContext(ctx context.Context, key string) (held context.Context, unlock func(), err error) {
	return l.acquire(ctx, key, true)
}

func (l *Locker) acquire(ctx context.Context, key string, watch bool) (context.Context, func(), error) {
	if l == nil || l.db == nil {
		return nil, nil, errors.New("pglock: the Locker has no *sql.DB; make it with New")
	}
	if ctx == nil {
		return nil, nil, errors.New("pglock: the context is nil")
	}
	wait, cancel := ctx, context.CancelFunc(func() {})
	if l.timeout > 0 {
		wait, cancel = context.WithTimeoutCause(ctx, l.timeout, ErrTimeout)
	}
	defer cancel()

	localUnlock, err := l.local.Lock(wait, key)
	if err != nil {
		return nil, nil, l.waitError(ctx, wait, key, err)
	}
	conn, err := l.db.Conn(wait)
	if err != nil {
		localUnlock()
		return nil, nil, l.waitError(ctx, wait, key, err)
	}
	id := Key(key)
	if err := lockSession(wait, conn, id); err != nil {
		// Whether the server granted the lock is unknown (the answer may
		// have been lost to the cancellation): end the session, which
		// releases it, rather than put the connection back in the pool.
		discard(conn)
		localUnlock()
		return nil, nil, l.waitError(ctx, wait, key, err)
	}

	h := &hold{conn: conn, id: id, key: key, localUnlock: localUnlock}
	held := ctx
	if watch {
		var lose context.CancelCauseFunc
		held, lose = context.WithCancelCause(ctx)
		h.lose = lose
		if l.interval > 0 {
			h.stop, h.stopped = make(chan struct{}), make(chan struct{})
			go h.watch(l.interval)
		}
	}
	return held, sync.OnceFunc(h.unlock), nil
}

// lockSession takes the advisory lock id on conn's session, waiting no
// longer than ctx allows.
func lockSession(ctx context.Context, conn *sql.Conn, id int64) error {
	var ok bool
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", id).Scan(&ok); err != nil {
		return err
	}
	if ok {
		return nil
	}
	// Wait in the server's lock queue, in turns of at most serverWait (and
	// a second past the context's deadline), each bounded by lock_timeout
	// on the server too: a waiter whose client is gone, its cancel request
	// lost with it, leaves the queue within a turn instead of staying
	// queued (and then holding the lock for a moment) for as long as the
	// holder keeps it.
	for {
		turn := serverWait
		if deadline, ok := ctx.Deadline(); ok {
			turn = min(turn, max(time.Until(deadline), 0)+time.Second)
		}
		if _, err := conn.ExecContext(ctx, "SELECT set_config('lock_timeout', $1, false)", fmt.Sprintf("%dms", max(turn.Milliseconds(), 1))); err != nil {
			return err
		}
		_, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", id)
		if err == nil {
			break
		}
		if !lockTimedOut(err) || ctx.Err() != nil {
			return err
		}
	}
	_, err := conn.ExecContext(ctx, "RESET lock_timeout")
	return err
}

// serverWait is the longest one turn in the server's lock queue lasts.
var serverWait = 5 * time.Second

// lockTimedOut reports whether err is PostgreSQL's lock_timeout ending a
// wait: SQLSTATE 55P03 (lock_not_available) for drivers that expose it,
// or its message for those that do not.
func lockTimedOut(err error) bool {
	return sqlState(err) == "55P03" || strings.Contains(err.Error(), "canceling statement due to lock timeout")
}

// waitError explains why a wait for key ended without the lock.
func (l *Locker) waitError(ctx, wait context.Context, key string, err error) error {
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("pglock: waiting for %q: %w", key, ctx.Err())
	case errors.Is(context.Cause(wait), ErrTimeout) || lockTimedOut(err):
		return fmt.Errorf("%w %q after %v", ErrTimeout, key, l.timeout)
	}
	return fmt.Errorf("pglock: locking %q: %w", key, err)
}

// sqlState is the SQLSTATE code of a PostgreSQL error, for drivers whose
// errors have a SQLState method (pgx, lib/pq).
func sqlState(err error) string {
	var e interface{ SQLState() string }
	if errors.As(err, &e) {
		return e.SQLState()
	}
	return ""
}

// discard closes conn instead of returning it to the pool: its session
// ends, and with it every lock the session held.
func discard(conn *sql.Conn) {
	_ = conn.Raw(func(any) error { return driver.ErrBadConn })
	_ = conn.Close()
}

// hold is one held lock.
type hold struct {
	conn        *sql.Conn
	id          int64
	key         string
	localUnlock func()

	lose    context.CancelCauseFunc // ends held; nil for Lock
	stop    chan struct{}           // closed by unlock to stop watch
	stopped chan struct{}           // closed when watch returns
	mu      sync.Mutex
	lost    bool
}

// checkLock asks whether this session holds the advisory lock on the
// bigint key made of $1 (upper half) and $2 (lower half).
const checkLock = `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()
AND classid::bigint = $1 AND objid::bigint = $2 AND objsubid = 1 AND granted)`

// watch checks the session every interval until unlock, and ends held
// when a check fails.
func (h *hold) watch(interval time.Duration) {
	defer close(h.stopped)
	hi, lo := int64(uint64(h.id)>>32), int64(uint64(h.id)&0xffffffff)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-h.stop:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), max(interval, checkTimeout))
		var ok bool
		err := h.conn.QueryRowContext(ctx, checkLock, hi, lo).Scan(&ok)
		cancel()
		if err == nil && !ok {
			err = errors.New("the session no longer holds it")
		}
		if err != nil {
			h.mu.Lock()
			h.lost = true
			h.mu.Unlock()
			h.lose(fmt.Errorf("%w: lock %q: %w", ErrLost, h.key, err))
			return
		}
	}
}

// unlock releases the lock and returns the connection to the pool, or
// closes it when the release fails or the lock was lost, so that the
// session ends and cannot keep the lock.
func (h *hold) unlock() {
	if h.stop != nil {
		close(h.stop)
		<-h.stopped
	}
	if h.lose != nil {
		h.lose(nil)
	}
	h.mu.Lock()
	lost := h.lost
	h.mu.Unlock()
	released := false
	if !lost {
		ctx, cancel := context.WithTimeout(context.Background(), releaseTimeout)
		err := h.conn.QueryRowContext(ctx, "SELECT pg_advisory_unlock($1)", h.id).Scan(&released)
		cancel()
		released = err == nil && released
	}
	if released {
		_ = h.conn.Close()
	} else {
		discard(h.conn)
	}
	h.localUnlock()
}
