package paxos_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/accountkit/accountkit-go/paxos"
	"github.com/accountkit/accountkit-go/paxos/paxostest"
)

// TestMemberLockKey pins the key format: Lockers shared between processes
// (pglock hashes it into a PostgreSQL lock id) rely on it never changing.
func TestMemberLockKey(t *testing.T) {
	const id = "4a5e1a45-5cf6-4c7e-9d1e-0d0c5e5f7d11"
	want := "https://api.paxos.com/v2/identity/accounts/" + id
	if got := paxos.MemberLockKey(paxos.Production, id); got != want {
		t.Errorf("MemberLockKey(Production) = %q, want %q", got, want)
	}
	slash := paxos.Environment{BaseURL: "https://api.paxos.com/v2/", TokenURL: paxos.Production.TokenURL}
	if got := paxos.MemberLockKey(slash, id); got != want {
		t.Errorf("MemberLockKey with a trailing slash = %q, want %q", got, want)
	}
	if got := paxos.MemberLockKey(paxos.Sandbox, id); got == want {
		t.Errorf("sandbox and production share key %q", got)
	}
}

// TestDefaultLockSharedByClients runs AddMember through two Clients of the
// same environment at once. The default lock is the process's, not the
// Client's, so none of them overwrites another's member.
func TestDefaultLockSharedByClients(t *testing.T) {
	srv := paxostest.NewServer()
	t.Cleanup(srv.Close)
	srv.SetLatency(2 * time.Millisecond) // widens the window between read and write
	a := seedAccount(srv, member("bo", paxos.RoleBeneficialOwner))
	clients := make([]*paxos.Client, 2)
	for i := range clients {
		c, err := srv.NewClient()
		if err != nil {
			t.Fatal(err)
		}
		clients[i] = c
	}
	const perClient = 12
	var wg sync.WaitGroup
	errs := make(chan error, len(clients)*perClient)
	for ci, c := range clients {
		for g := range perClient {
			wg.Go(func() {
				_, err := c.AddMember(t.Context(), a.ID, member(fmt.Sprintf("c%d-%02d", ci, g), paxos.RoleAuthorizedUser))
				errs <- err
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	got, _ := srv.Account(a.ID)
	if want := 1 + len(clients)*perClient; len(got.Members) != want {
		t.Fatalf("account has %d members, want %d: two Clients' calls interleaved", len(got.Members), want)
	}
}

// TestDefaultLockWaitHonoursContext holds an account's lock through one
// Client (a slow AddMember) while another Client's call for the same
// account gives up when its context ends, having sent nothing.
func TestDefaultLockWaitHonoursContext(t *testing.T) {
	srv := paxostest.NewServer()
	t.Cleanup(srv.Close)
	a := seedAccount(srv, member("bo", paxos.RoleBeneficialOwner))
	holder, err := srv.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	var sent atomic.Int32
	hc := &http.Client{Transport: &hookTransport{before: func(*http.Request) { sent.Add(1) }}}
	waiter, err := srv.NewClient(paxos.WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := waiter.GetAccount(t.Context(), a.ID); err != nil { // fetches the token now
		t.Fatal(err)
	}
	srv.SetLatency(300 * time.Millisecond)
	done := make(chan error, 1)
	go func() {
		_, err := holder.AddMember(t.Context(), a.ID, member("slow", paxos.RoleAuthorizedUser))
		done <- err
	}()
	// Wait until the holder's read has arrived, so it holds the lock.
	for deadline := time.Now().Add(5 * time.Second); countRequests(srv, http.MethodGet) < 2; {
		if time.Now().After(deadline) {
			t.Fatal("the holder's read never arrived")
		}
		time.Sleep(time.Millisecond)
	}
	before := sent.Load()
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = waiter.AddMember(ctx, a.ID, member("waiter", paxos.RoleAuthorizedUser))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("waiter: %v, want context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("the waiter gave up after %v, not when its context ended", d)
	}
	if n := sent.Load() - before; n != 0 {
		t.Errorf("the waiter sent %d requests without the lock", n)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// recordingLocker is a Locker that logs what it is asked, into the same
// log as the requests that reach the fake.
type recordingLocker struct {
	log *eventLog
	err error // returned by Lock, when set
}

func (l *recordingLocker) Lock(ctx context.Context, key string) (func(), error) {
	if l.err != nil {
		l.log.add("lock failed " + key)
		return nil, l.err
	}
	l.log.add("lock " + key)
	return func() { l.log.add("unlock " + key) }, nil
}

type eventLog struct {
	mu     sync.Mutex
	events []string
}

func (l *eventLog) add(e string) {
	l.mu.Lock()
	l.events = append(l.events, e)
	l.mu.Unlock()
}

func (l *eventLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.events
	l.events = nil
	return out
}

// hookTransport calls hook with each API request (not token requests)
// before sending it, and after with its answer.
type hookTransport struct {
	before func(*http.Request)
	after  func(*http.Request, *http.Response)
}

func (h *hookTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	api := strings.Contains(req.URL.Path, "/identity/")
	if api && h.before != nil {
		h.before(req)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if api && h.after != nil && err == nil {
		h.after(req, resp)
	}
	return resp, err
}

// TestMemberLockerWrapsReadAndWrite checks that the helpers take the
// Locker's lock, under the documented key, before the read and release it
// after the write, and that the other writers of an account take it too.
func TestMemberLockerWrapsReadAndWrite(t *testing.T) {
	srv := paxostest.NewServer()
	t.Cleanup(srv.Close)
	a := seedAccount(srv, member("bo", paxos.RoleBeneficialOwner), member("fa", paxos.RoleFinancialAdvisor))
	log := &eventLog{}
	hc := &http.Client{Transport: &hookTransport{before: func(r *http.Request) { log.add(r.Method) }}}
	c, err := srv.NewClient(paxos.WithHTTPClient(hc), paxos.WithMemberLocker(&recordingLocker{log: log}))
	if err != nil {
		t.Fatal(err)
	}
	key := paxos.MemberLockKey(srv.Environment(), a.ID)
	ctx := t.Context()
	for _, tc := range []struct {
		name string
		call func() error
		want []string
	}{
		{"AddMember", func() error {
			_, err := c.AddMember(ctx, a.ID, member("au", paxos.RoleAuthorizedUser))
			return err
		}, []string{"lock " + key, "GET", "PUT", "unlock " + key}},
		{"SetMemberRoles", func() error {
			_, err := c.SetMemberRoles(ctx, a.ID, "au", paxos.RoleAuthorizedUser, paxos.RoleFinancialAdvisor)
			return err
		}, []string{"lock " + key, "GET", "PUT", "unlock " + key}},
		{"RemoveMember", func() error {
			_, err := c.RemoveMember(ctx, a.ID, "au")
			return err
		}, []string{"lock " + key, "GET", "PUT", "unlock " + key}},
		{"AddAccountMembers", func() error {
			_, err := c.AddAccountMembers(ctx, a.ID, member("au2", paxos.RoleAuthorizedUser))
			return err
		}, []string{"lock " + key, "POST", "unlock " + key}},
		{"DisableAccount", func() error {
			_, err := c.DisableAccount(ctx, a.ID)
			return err
		}, []string{"lock " + key, "PUT", "unlock " + key}},
	} {
		if err := tc.call(); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if diff := cmp.Diff(tc.want, log.take()); diff != "" {
			t.Errorf("%s: events (-want +got):\n%s", tc.name, diff)
		}
	}
}

// TestMemberLockerErrorSendsNothing: a Locker that fails fails the call,
// which then sends nothing.
func TestMemberLockerErrorSendsNothing(t *testing.T) {
	srv := paxostest.NewServer()
	t.Cleanup(srv.Close)
	a := seedAccount(srv, member("bo", paxos.RoleBeneficialOwner), member("au", paxos.RoleAuthorizedUser))
	errDown := errors.New("lock service unreachable")
	c, err := srv.NewClient(paxos.WithMemberLocker(&recordingLocker{log: &eventLog{}, err: errDown}))
	if err != nil {
		t.Fatal(err)
	}
	for name, call := range lockedCalls(t.Context(), c, a.ID) {
		err := call()
		if !errors.Is(err, errDown) {
			t.Errorf("%s: %v, want the Locker's error", name, err)
		}
		if err != nil && !strings.Contains(err.Error(), name) {
			t.Errorf("%s: error %q does not name the call", name, err)
		}
	}
	if reqs := srv.Requests(); len(reqs) != 0 {
		t.Errorf("%d requests sent without the lock: %v", len(reqs), reqs)
	}
}

// losingLocker is a ContextLocker whose locks the test can take away.
type losingLocker struct {
	mu   sync.Mutex
	lose context.CancelCauseFunc
}

func (l *losingLocker) Lock(ctx context.Context, key string) (func(), error) {
	_, unlock, err := l.LockContext(ctx, key)
	return unlock, err
}

func (l *losingLocker) LockContext(ctx context.Context, key string) (context.Context, func(), error) {
	held, cancel := context.WithCancelCause(ctx)
	l.mu.Lock()
	l.lose = cancel
	l.mu.Unlock()
	return held, func() { cancel(nil) }, nil
}

var errSessionEnded = errors.New("the lock's database session ended")

func (l *losingLocker) loseLock() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lose(errSessionEnded)
}

// TestLostLockRefusesWrite loses the lock between the read and the write:
// the helper must not write the members it read, and must say why.
func TestLostLockRefusesWrite(t *testing.T) {
	srv := paxostest.NewServer()
	t.Cleanup(srv.Close)
	a := seedAccount(srv, member("bo", paxos.RoleBeneficialOwner), member("au", paxos.RoleAuthorizedUser))
	locker := &losingLocker{}
	hc := &http.Client{Transport: &hookTransport{after: func(r *http.Request, _ *http.Response) {
		if r.Method == http.MethodGet {
			locker.loseLock()
		}
	}}}
	c, err := srv.NewClient(paxos.WithHTTPClient(hc), paxos.WithMemberLocker(locker))
	if err != nil {
		t.Fatal(err)
	}
	for name, call := range memberHelpers(t.Context(), c, a.ID) {
		err := call()
		if !errors.Is(err, paxos.ErrLockLost) || !errors.Is(err, errSessionEnded) {
			t.Errorf("%s: %v, want ErrLockLost and the Locker's cause", name, err)
		}
	}
	if n := countRequests(srv, http.MethodPut); n != 0 {
		t.Errorf("%d PUTs sent after the lock was lost", n)
	}
	if n := countRequests(srv, http.MethodGet); n != 3 {
		t.Errorf("%d GETs, want 3", n)
	}
}

// TestLostLockCutsWriteInFlight loses the lock while the write is on the
// wire: the write is cancelled and never retried, and the error says the
// lock was lost.
func TestLostLockCutsWriteInFlight(t *testing.T) {
	srv := paxostest.NewServer()
	t.Cleanup(srv.Close)
	a := seedAccount(srv, member("bo", paxos.RoleBeneficialOwner))
	locker := &losingLocker{}
	hc := &http.Client{Transport: &hookTransport{before: func(r *http.Request) {
		if r.Method == http.MethodPut {
			time.AfterFunc(20*time.Millisecond, locker.loseLock)
		}
	}}}
	c, err := srv.NewClient(paxos.WithHTTPClient(hc), paxos.WithMemberLocker(locker),
		paxos.WithRetryBackoff(time.Millisecond, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetAccount(t.Context(), a.ID); err != nil {
		t.Fatal(err)
	}
	srv.SetLatency(500 * time.Millisecond)
	start := time.Now()
	_, err = c.AddMember(t.Context(), a.ID, member("new", paxos.RoleAuthorizedUser))
	if !errors.Is(err, paxos.ErrLockLost) {
		t.Fatalf("AddMember: %v, want ErrLockLost", err)
	}
	if d := time.Since(start); d > 1500*time.Millisecond {
		t.Errorf("AddMember took %v: the write was not cut off", d)
	}
	srv.SetLatency(0)
	if n := countRequests(srv, http.MethodPut); n > 1 {
		t.Errorf("%d PUTs: the write was retried after the lock was lost", n)
	}
}

// TestLostLockStopsUpdates: UpdateAccount, DisableAccount and
// EnableAccount write under the member lock like the helpers, so a lock
// lost as the first PUT leaves (which cuts it off, or else it is answered
// 502) ends the call with ErrLockLost, and no retry goes out without the
// lock.
func TestLostLockStopsUpdates(t *testing.T) {
	for _, name := range []string{"UpdateAccount", "DisableAccount", "EnableAccount"} {
		t.Run(name, func(t *testing.T) {
			srv := paxostest.NewServer()
			t.Cleanup(srv.Close)
			a := seedAccount(srv, member("bo", paxos.RoleBeneficialOwner))
			locker := &losingLocker{}
			hc := &http.Client{Transport: &hookTransport{before: func(r *http.Request) {
				if r.Method == http.MethodPut {
					locker.loseLock()
				}
			}}}
			c, err := srv.NewClient(paxos.WithHTTPClient(hc), paxos.WithMemberLocker(locker),
				paxos.WithRetryBackoff(time.Millisecond, time.Millisecond))
			if err != nil {
				t.Fatal(err)
			}
			srv.InjectFault(paxostest.Fault{Method: http.MethodPut, Status: http.StatusBadGateway})
			if err := lockedCalls(t.Context(), c, a.ID)[name](); !errors.Is(err, paxos.ErrLockLost) {
				t.Errorf("%s: %v, want ErrLockLost", name, err)
			}
			if n := countRequests(srv, http.MethodPut); n > 1 {
				t.Errorf("%d PUTs: the write was retried after the lock was lost", n)
			}
		})
	}
}

// TestMemberLockerLockHonoursContext: the helpers hand their context to
// the Locker, so a wait for a lock held elsewhere ends with it.
func TestMemberLockerLockHonoursContext(t *testing.T) {
	srv := paxostest.NewServer()
	t.Cleanup(srv.Close)
	a := seedAccount(srv, member("bo", paxos.RoleBeneficialOwner))
	c, err := srv.NewClient(paxos.WithMemberLocker(blockedLocker{}))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Millisecond)
	defer cancel()
	if _, err := c.AddMember(ctx, a.ID, member("new", paxos.RoleAuthorizedUser)); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("AddMember: %v, want context.DeadlineExceeded", err)
	}
	if reqs := srv.Requests(); len(reqs) != 0 {
		t.Errorf("%d requests sent without the lock", len(reqs))
	}
}

// blockedLocker's lock is always held by someone else.
type blockedLocker struct{}

func (blockedLocker) Lock(ctx context.Context, _ string) (func(), error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

// memberHelpers are the read-modify-write helpers, each set to change
// member "au" of accountID (or add "new").
func memberHelpers(ctx context.Context, c *paxos.Client, accountID string) map[string]func() error {
	return map[string]func() error{
		"AddMember": func() error {
			_, err := c.AddMember(ctx, accountID, member("new", paxos.RoleAuthorizedUser))
			return err
		},
		"RemoveMember": func() error {
			_, err := c.RemoveMember(ctx, accountID, "au")
			return err
		},
		"SetMemberRoles": func() error {
			_, err := c.SetMemberRoles(ctx, accountID, "au", paxos.RoleFinancialAdvisor)
			return err
		},
	}
}

// lockedCalls are every call that takes the account's member lock: the
// member helpers and the writes that must not land between their read and
// write.
func lockedCalls(ctx context.Context, c *paxos.Client, accountID string) map[string]func() error {
	calls := memberHelpers(ctx, c, accountID)
	calls["AddAccountMembers"] = func() error {
		_, err := c.AddAccountMembers(ctx, accountID, member("new", paxos.RoleAuthorizedUser))
		return err
	}
	calls["UpdateAccount"] = func() error {
		_, err := c.UpdateAccount(ctx, paxos.UpdateAccountRequest{Account: paxos.Account{ID: accountID, Description: "changed"}})
		return err
	}
	calls["DisableAccount"] = func() error {
		_, err := c.DisableAccount(ctx, accountID)
		return err
	}
	calls["EnableAccount"] = func() error {
		_, err := c.EnableAccount(ctx, accountID)
		return err
	}
	return calls
}
