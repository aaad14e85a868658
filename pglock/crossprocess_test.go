package pglock_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/accountkit/accountkit-go/paxos"
	"github.com/accountkit/accountkit-go/paxos/paxostest"
	"github.com/accountkit/accountkit-go/pglock"
)

// The test binary runs as one of the processes of the cross-process test
// when childModeVar is set: "pglock" or "process" (the default lock).
const (
	childModeVar    = "PGLOCK_CHILD_MODE"
	childBaseURLVar = "PGLOCK_CHILD_BASE_URL"
	childTokenVar   = "PGLOCK_CHILD_TOKEN_URL"
	childAccountVar = "PGLOCK_CHILD_ACCOUNT"
	childIndexVar   = "PGLOCK_CHILD_INDEX"
	childStartVar   = "PGLOCK_CHILD_START" // Unix milliseconds at which to start, so that processes overlap
)

const (
	processes            = 4
	goroutinesPerProcess = 25
)

// TestAddMemberAcrossProcesses starts four processes, each with its own
// paxos.Client, adding 25 members each, concurrently, to one account of
// one fake Paxos. With pglock every member is there at the end; with the
// default lock, which is per process, some are lost: that is what pglock
// is for.
func TestAddMemberAcrossProcesses(t *testing.T) {
	openDB(t) // skips without a server
	if testing.Short() {
		t.Skip("starts processes")
	}
	srv := paxostest.NewServer(paxostest.WithAddr("127.0.0.1:0"))
	t.Cleanup(srv.Close)
	// A little latency, as a real API has, widens the window between a
	// read and its write.
	srv.SetLatency(3 * time.Millisecond)

	want := processes * goroutinesPerProcess
	acct, elapsed := runProcesses(t, srv, "pglock")
	got := addedMembers(srv, acct)
	t.Logf("pglock: %d processes x %d goroutines, %d of %d members present, %d lost, in %v",
		processes, goroutinesPerProcess, got, want, want-got, elapsed.Round(time.Millisecond))
	if got != want {
		t.Errorf("with pglock %d of %d members are present", got, want)
	}

	// With the default lock members are lost as soon as two processes'
	// read-modify-writes interleave. Should a run happen not to interleave
	// (it has not been seen to), run again with more latency.
	for attempt, latency := range []time.Duration{3 * time.Millisecond, 10 * time.Millisecond, 30 * time.Millisecond} {
		srv.SetLatency(latency)
		acct, elapsed := runProcesses(t, srv, "process")
		got := addedMembers(srv, acct)
		t.Logf("default lock (attempt %d, latency %v): %d of %d members present, %d lost, in %v",
			attempt+1, latency, got, want, want-got, elapsed.Round(time.Millisecond))
		if got < want {
			return
		}
	}
	t.Error("with the default in-process lock no member was lost: the test no longer shows what pglock prevents")
}

// runProcesses seeds an account and runs the processes against it with
// the given lock mode.
func runProcesses(t *testing.T, srv *paxostest.Server, mode string) (string, time.Duration) {
	t.Helper()
	acct := srv.AddAccount(paxos.Account{IdentityID: "owner", Members: []paxos.AccountMember{
		{IdentityID: "bo", Roles: []paxos.Role{paxos.RoleBeneficialOwner}},
	}})
	env := srv.Environment()
	start := time.Now().Add(time.Second)
	var wg sync.WaitGroup
	for i := range processes {
		cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(),
			childModeVar+"="+mode,
			childBaseURLVar+"="+env.BaseURL,
			childTokenVar+"="+env.TokenURL,
			childAccountVar+"="+acct.ID,
			childIndexVar+"="+strconv.Itoa(i),
			childStartVar+"="+strconv.FormatInt(start.UnixMilli(), 10),
		)
		wg.Go(func() {
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("process %d (%s): %v\n%s", i, mode, err, out)
			}
		})
	}
	wg.Wait()
	return acct.ID, time.Since(start)
}

// addedMembers counts the account's members the processes added.
func addedMembers(srv *paxostest.Server, accountID string) int {
	a, _ := srv.Account(accountID)
	n := 0
	for _, m := range a.Members {
		if strings.HasPrefix(m.IdentityID, "p") {
			n++
		}
	}
	return n
}

// runChild is one process of TestAddMemberAcrossProcesses: its own Client
// (and, in mode "pglock", its own *sql.DB and Locker), 25 goroutines each
// adding one member. It returns the exit code.
func runChild(mode string) int {
	fail := func(format string, args ...any) int {
		fmt.Fprintf(os.Stderr, "child: "+format+"\n", args...)
		return 1
	}
	env := paxos.Environment{BaseURL: os.Getenv(childBaseURLVar), TokenURL: os.Getenv(childTokenVar)}
	opts := []paxos.Option{paxos.WithClientCredentials(paxostest.ClientID, paxostest.ClientSecret)}
	switch mode {
	case "pglock":
		db, err := sql.Open("pgx", os.Getenv(dsnVar))
		if err != nil {
			return fail("%v", err)
		}
		defer db.Close()
		opts = append(opts, paxos.WithMemberLocker(pglock.New(db)))
	case "process":
	default:
		return fail("unknown mode %q", mode)
	}
	c, err := paxos.NewClient(env, opts...)
	if err != nil {
		return fail("%v", err)
	}
	accountID, index := os.Getenv(childAccountVar), os.Getenv(childIndexVar)
	startMillis, _ := strconv.ParseInt(os.Getenv(childStartVar), 10, 64)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// Fetch the token before the start, so that the processes' first
	// calls start together.
	if _, err := c.GetAccount(ctx, accountID); err != nil {
		return fail("%v", err)
	}
	time.Sleep(time.Until(time.UnixMilli(startMillis)))
	errs := make(chan error, goroutinesPerProcess)
	var wg sync.WaitGroup
	for g := range goroutinesPerProcess {
		wg.Go(func() {
			_, err := c.AddMember(ctx, accountID, paxos.AccountMember{
				IdentityID: fmt.Sprintf("p%s-g%02d", index, g),
				Roles:      []paxos.Role{paxos.RoleAuthorizedUser},
			})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	code := 0
	for err := range errs {
		if err != nil {
			code = fail("%v", err)
		}
	}
	return code
}
