package pglock_test

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/accountkit/accountkit-go/paxos"
	"github.com/accountkit/accountkit-go/paxos/paxostest"
	"github.com/accountkit/accountkit-go/pglock"
)

// TestKey pins the hash from keys to advisory lock ids: processes running
// different versions of pglock must lock the same id for the same key.
func TestKey(t *testing.T) {
	for _, tc := range []struct {
		key  string
		want int64
	}{
		{"", -2039914840885289964}, // SHA-256 e3b0c44298fc1c14...
		{"https://api.paxos.com/v2/identity/accounts/00000000-0000-4000-8000-000000000001", 4428076887773903972},
		{paxos.MemberLockKey(paxos.Sandbox, "4a5e1a45-5cf6-4c7e-9d1e-0d0c5e5f7d11"), 6645996260617643018},
	} {
		if got := pglock.Key(tc.key); got != tc.want {
			t.Errorf("Key(%q) = %d, want %d", tc.key, got, tc.want)
		}
	}
}

// TestKeyInSQL checks the SQL expression the documentation gives for Key,
// for operators looking a lock up in pg_locks.
func TestKeyInSQL(t *testing.T) {
	db := openDB(t)
	for _, key := range []string{"", "https://api.paxos.com/v2/identity/accounts/00000000-0000-4000-8000-000000000001", "ключ"} {
		var got int64
		err := db.QueryRowContext(t.Context(),
			"SELECT ('x' || left(encode(sha256(convert_to($1, 'UTF8')), 'hex'), 16))::bit(64)::bigint", key).Scan(&got)
		if err != nil {
			t.Fatal(err)
		}
		if want := pglock.Key(key); got != want {
			t.Errorf("SQL gives %d for %q, Key %d", got, key, want)
		}
	}
}

// TestLockIsTheAdvisoryLockOfKey checks, in pg_locks, that Lock holds the
// advisory lock whose id is Key(key), and that unlock releases it.
func TestLockIsTheAdvisoryLockOfKey(t *testing.T) {
	db := openDB(t)
	key := "pglock-test:" + t.Name()
	unlock, err := pglock.New(db).Lock(t.Context(), key)
	if err != nil {
		t.Fatal(err)
	}
	if pids := lockHolders(t, db, key, true); len(pids) != 1 {
		t.Fatalf("%d sessions hold advisory lock %d, want 1", len(pids), pglock.Key(key))
	}
	unlock()
	unlock() // harmless
	if pids := lockHolders(t, db, key, true); len(pids) != 0 {
		t.Fatalf("sessions %v still hold the lock after unlock", pids)
	}
}

// TestLockExcludesOtherProcesses uses two *sql.DB, as two processes would:
// while one holds a key, the other waits, as long as its context allows,
// and gets the key once it is released.
func TestLockExcludesOtherProcesses(t *testing.T) {
	a, b := pglock.New(openDB(t)), pglock.New(openDB(t))
	key := "pglock-test:" + t.Name()
	unlockA, err := a.Lock(t.Context(), key)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := b.Lock(ctx, key); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second process: %v, want context.DeadlineExceeded while the first holds the key", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("the wait ended %v after the context", d)
	}
	got := make(chan func(), 1)
	go func() {
		unlock, err := b.Lock(t.Context(), key)
		if err != nil {
			t.Error(err)
			unlock = func() {}
		}
		got <- unlock
	}()
	select {
	case <-got:
		t.Fatal("the second process got a held key")
	case <-time.After(100 * time.Millisecond):
	}
	unlockA()
	select {
	case unlockB := <-got:
		unlockB()
	case <-time.After(5 * time.Second):
		t.Fatal("the second process did not get the key after it was released")
	}
}

// TestLockTimeout: a wait longer than the Locker's timeout fails with
// ErrTimeout, and leaves no waiter queued on the server either.
func TestLockTimeout(t *testing.T) {
	db := openDB(t)
	key := "pglock-test:" + t.Name()
	unlock, err := pglock.New(db).Lock(t.Context(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	start := time.Now()
	_, err = pglock.New(openDBWithoutCancel(t), pglock.WithTimeout(200*time.Millisecond)).Lock(t.Context(), key)
	if !errors.Is(err, pglock.ErrTimeout) {
		t.Fatalf("Lock: %v, want ErrTimeout", err)
	}
	if d := time.Since(start); d < 200*time.Millisecond || d > 2*time.Second {
		t.Errorf("the wait took %v, want about 200ms", d)
	}
	// The waiter's cancel request never reached the server (as when its
	// process dies, or the network fails): the server bounds the wait too
	// (lock_timeout), so the abandoned waiter does not stay queued behind
	// the holder, and then take the lock for a moment.
	if !eventually(5*time.Second, func() bool { return len(lockHolders(t, db, key, false)) == 0 }) {
		t.Errorf("sessions %v still wait for the lock on the server", lockHolders(t, db, key, false))
	}
}

// TestLongWaitAllowed: a timeout far longer than PostgreSQL's largest
// lock_timeout (about 24.8 days) is a wait like any other, ended here by
// the holder's release.
func TestLongWaitAllowed(t *testing.T) {
	db := openDB(t)
	key := "pglock-test:" + t.Name()
	unlock, err := pglock.New(db).Lock(t.Context(), key)
	if err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(200*time.Millisecond, unlock)
	for _, l := range []*pglock.Locker{pglock.New(db, pglock.WithTimeout(600*time.Hour)), pglock.New(db, pglock.WithTimeout(0))} {
		ctx, cancel := context.WithTimeout(t.Context(), 1000*time.Hour)
		u, err := l.Lock(ctx, key)
		cancel()
		if err != nil {
			t.Fatalf("Lock with a long wait allowed: %v", err)
		}
		u()
	}
}

// TestAbandonedWaitLeavesServerQueue: with no timeout and no deadline, a
// waiter whose cancel request never reaches the server still leaves the
// server's queue within one turn, instead of waiting there as long as
// the holder keeps the lock; a waiter that stays gets the lock across
// turns.
func TestAbandonedWaitLeavesServerQueue(t *testing.T) {
	defer pglock.SetServerWait(300 * time.Millisecond)()
	db := openDB(t)
	key := "pglock-test:" + t.Name()
	unlock, err := pglock.New(db).Lock(t.Context(), key)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(100*time.Millisecond, cancel)
	if _, err := pglock.New(openDBWithoutCancel(t), pglock.WithTimeout(0)).Lock(ctx, key); !errors.Is(err, context.Canceled) {
		t.Fatalf("abandoned Lock: %v, want context.Canceled", err)
	}
	if !eventually(3*time.Second, func() bool { return len(lockHolders(t, db, key, false)) == 0 }) {
		t.Errorf("sessions %v still wait for the lock on the server", lockHolders(t, db, key, false))
	}

	time.AfterFunc(time.Second, unlock) // three turns and more
	start := time.Now()
	u, err := pglock.New(db, pglock.WithTimeout(0)).Lock(t.Context(), key)
	if err != nil {
		t.Fatalf("Lock across turns: %v", err)
	}
	u()
	if d := time.Since(start); d < 900*time.Millisecond {
		t.Errorf("got the lock after %v, before the holder released it", d)
	}
}

// TestCancelledWaitLeavesNoLock cancels a wait, then releases the key: no
// connection of the cancelled waiter's pool may hold the lock afterwards,
// and another process gets it.
func TestCancelledWaitLeavesNoLock(t *testing.T) {
	holderDB, waiterDB := openDB(t), openDB(t)
	waiterDB.SetMaxOpenConns(1) // the one connection the waiter used is the one checked
	key := "pglock-test:" + t.Name()
	unlock, err := pglock.New(holderDB).Lock(t.Context(), key)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(100*time.Millisecond, cancel)
	if _, err := pglock.New(waiterDB).Lock(ctx, key); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled Lock: %v, want context.Canceled", err)
	}
	unlock()
	if !eventually(5*time.Second, func() bool { return len(lockHolders(t, holderDB, key, true)) == 0 }) {
		t.Fatalf("sessions %v hold the lock after the holder released it and the waiter gave up", lockHolders(t, holderDB, key, true))
	}
	checkPoolHoldsNoLocks(t, waiterDB)
	c := pglock.New(openDB(t), pglock.WithTimeout(5*time.Second))
	u, err := c.Lock(t.Context(), key)
	if err != nil {
		t.Fatalf("a third process: %v", err)
	}
	u()
}

// checkPoolHoldsNoLocks fails when a connection of db's pool (which must
// have one connection at most) holds an advisory lock.
func checkPoolHoldsNoLocks(t *testing.T, db *sql.DB) {
	t.Helper()
	var n int
	err := db.QueryRowContext(t.Context(),
		"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()").Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("a pooled connection holds %d advisory locks", n)
	}
}

// TestLockGrantedAsTheWaitFailsIsReleased makes the server grant the lock
// while the client sees the call fail (as when a context ends just as the
// answer arrives). The connection must not go back to the pool holding it.
func TestLockGrantedAsTheWaitFailsIsReleased(t *testing.T) {
	db := openFlakyDB(t)
	db.SetMaxOpenConns(1)
	key := "pglock-test:" + t.Name()
	failAfterLock.Store(true)
	defer failAfterLock.Store(false)
	if _, err := pglock.New(db).Lock(t.Context(), key); err == nil {
		t.Fatal("Lock succeeded although the driver failed")
	}
	failAfterLock.Store(false)
	admin := openDB(t)
	if !eventually(5*time.Second, func() bool { return len(lockHolders(t, admin, key, true)) == 0 }) {
		t.Fatalf("sessions %v hold the lock of a Lock that failed", lockHolders(t, admin, key, true))
	}
	checkPoolHoldsNoLocks(t, db)
}

// TestLockSerialisesWithinAndAcrossProcesses runs two "processes" (two
// *sql.DB) of eight goroutines each on one key: one holder at a time, and
// each process waits on one connection at most.
func TestLockSerialisesWithinAndAcrossProcesses(t *testing.T) {
	key := "pglock-test:" + t.Name()
	var inside, most atomic.Int32
	var wg sync.WaitGroup
	for range 2 {
		db := openDB(t)
		l := pglock.New(db)
		for range 8 {
			wg.Go(func() {
				for range 3 {
					unlock, err := l.Lock(t.Context(), key)
					if err != nil {
						t.Error(err)
						return
					}
					n := inside.Add(1)
					for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
					}
					if inUse := db.Stats().InUse; inUse > 1 {
						t.Errorf("a process uses %d connections for one key", inUse)
					}
					time.Sleep(time.Millisecond)
					inside.Add(-1)
					unlock()
				}
			})
		}
	}
	wg.Wait()
	if m := most.Load(); m != 1 {
		t.Errorf("%d holders at once, want 1", m)
	}
}

// TestLostLockEndsHeld ends the holding session from outside: the held
// context of LockContext ends with ErrLost, and unlock still returns.
func TestLostLockEndsHeld(t *testing.T) {
	db, admin := openDB(t), openDB(t)
	key := "pglock-test:" + t.Name()
	held, unlock, err := pglock.New(db, pglock.WithCheckInterval(20*time.Millisecond)).LockContext(t.Context(), key)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-held.Done():
		t.Fatal("held ended while the lock is held")
	case <-time.After(100 * time.Millisecond):
	}
	terminateHolder(t, admin, key)
	select {
	case <-held.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("held did not end after the session was terminated")
	}
	if cause := context.Cause(held); !errors.Is(cause, pglock.ErrLost) {
		t.Errorf("cause %v, want ErrLost", cause)
	}
	unlock()
	// The pool works on.
	u, err := pglock.New(db).Lock(t.Context(), key)
	if err != nil {
		t.Fatal(err)
	}
	u()
}

// TestHeldEndsAtUnlock: held ends when the lock is released.
func TestHeldEndsAtUnlock(t *testing.T) {
	db := openDB(t)
	held, unlock, err := pglock.New(db).LockContext(t.Context(), "pglock-test:"+t.Name())
	if err != nil {
		t.Fatal(err)
	}
	if held.Err() != nil {
		t.Fatal("held ended before unlock")
	}
	unlock()
	if held.Err() == nil {
		t.Error("held still live after unlock")
	}
	if errors.Is(context.Cause(held), pglock.ErrLost) {
		t.Error("a released lock is reported lost")
	}
}

// terminateHolder ends the session that holds key's lock.
func terminateHolder(t *testing.T, admin *sql.DB, key string) {
	t.Helper()
	pids := lockHolders(t, admin, key, true)
	if len(pids) != 1 {
		t.Fatalf("%d sessions hold the lock, want 1", len(pids))
	}
	var ok bool
	if err := admin.QueryRowContext(context.Background(), "SELECT pg_terminate_backend($1)", pids[0]).Scan(&ok); err != nil || !ok {
		t.Fatalf("pg_terminate_backend(%d): %v %v", pids[0], ok, err)
	}
}

// TestMemberHelperRefusesWriteWhenSessionEnds runs AddMember with pglock
// and ends the lock's session between the read and the write: the write
// is not sent, and the error says the lock was lost.
func TestMemberHelperRefusesWriteWhenSessionEnds(t *testing.T) {
	db, admin := openDB(t), openDB(t)
	srv := paxostest.NewServer()
	t.Cleanup(srv.Close)
	acct := srv.AddAccount(paxos.Account{IdentityID: "owner", Members: []paxos.AccountMember{
		{IdentityID: "bo", Roles: []paxos.Role{paxos.RoleBeneficialOwner}},
	}})
	key := paxos.MemberLockKey(srv.Environment(), acct.ID)
	hc := &http.Client{Transport: afterGET(func() {
		terminateHolder(t, admin, key)
		time.Sleep(300 * time.Millisecond) // several checks
	})}
	c, err := srv.NewClient(paxos.WithHTTPClient(hc),
		paxos.WithMemberLocker(pglock.New(db, pglock.WithCheckInterval(20*time.Millisecond))))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.AddMember(t.Context(), acct.ID, paxos.AccountMember{IdentityID: "new", Roles: []paxos.Role{paxos.RoleAuthorizedUser}})
	if !errors.Is(err, paxos.ErrLockLost) || !errors.Is(err, pglock.ErrLost) {
		t.Fatalf("AddMember: %v, want paxos.ErrLockLost and pglock.ErrLost", err)
	}
	for _, r := range srv.Requests() {
		if r.Method == http.MethodPut {
			t.Errorf("PUT %s sent after the lock was lost", r.Path)
		}
	}
	if got, _ := srv.Account(acct.ID); len(got.Members) != 1 {
		t.Errorf("account has %d members, want 1", len(got.Members))
	}
}

// afterGET is a transport that calls f once, after the first API GET.
func afterGET(f func()) http.RoundTripper {
	var once sync.Once
	return roundTripper(func(r *http.Request) (*http.Response, error) {
		resp, err := http.DefaultTransport.RoundTrip(r)
		if err == nil && r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/identity/") {
			once.Do(f)
		}
		return resp, err
	})
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestNilLocker(t *testing.T) {
	var l *pglock.Locker
	if _, err := l.Lock(context.Background(), "k"); err == nil {
		t.Error("a nil Locker locked")
	}
	if _, err := pglock.New(nil).Lock(context.Background(), "k"); err == nil || !strings.Contains(err.Error(), "New") {
		t.Errorf("a Locker without a DB: %v", err)
	}
}
