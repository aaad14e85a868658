package paxos

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestProcessLocksKeyedByEnvironmentAndAccount: the default locks of
// Clients of the same environment are one lock per account (whatever their
// base URL's trailing slash); another account, or another environment, has
// its own.
func TestProcessLocksKeyedByEnvironmentAndAccount(t *testing.T) {
	a := memberLocks{baseURL: "https://paxos.test/v2"}
	sameEnv := memberLocks{baseURL: "https://paxos.test/v2/"}
	otherEnv := memberLocks{baseURL: "https://sandbox.paxos.test/v2"}

	unlock, err := a.lock(t.Context(), "acct-1")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	if _, err := sameEnv.lock(ctx, "acct-1"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("another Client of the same environment took a held account's lock: %v", err)
	}
	for name, try := range map[string]func() (func(), error){
		"another account":     func() (func(), error) { return sameEnv.lock(t.Context(), "acct-2") },
		"another environment": func() (func(), error) { return otherEnv.lock(t.Context(), "acct-1") },
	} {
		u, err := try()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		u()
	}
	unlock()
	unlock() // releasing twice is harmless
	u, err := sameEnv.lock(t.Context(), "acct-1")
	if err != nil {
		t.Fatal(err)
	}
	u()
	if n := processLocks.Len(); n != 0 {
		t.Errorf("%d lock entries left after every lock was released", n)
	}
}

// lock is hold without the held context.
func (m memberLocks) lock(ctx context.Context, accountID string) (unlock func(), err error) {
	_, unlock, err = m.hold(ctx, accountID)
	return unlock, err
}
