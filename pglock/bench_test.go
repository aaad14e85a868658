package pglock_test

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/accountkit/accountkit-go/paxos"
	"github.com/accountkit/accountkit-go/paxos/paxostest"
	"github.com/accountkit/accountkit-go/pglock"
)

// membersPerAccount is how many members a benchmark adds to an account
// before it moves to a fresh one, so that the members array, which every
// AddMember reads and writes whole, stays the same size however long the
// benchmark runs.
const membersPerAccount = 64

// BenchmarkAddMember measures AddMember against one fake Paxos with the
// default in-process lock and with pglock: one goroutine (the latency a
// lock adds to a call), and 32 goroutines on one account (where the lock
// serialises every call) and on distinct accounts (where it should cost
// little). It reports calls/s, and µs/call, the mean latency of a call
// as its caller sees it. The client's rate limit is off: it is the lock
// that is measured.
func BenchmarkAddMember(b *testing.B) {
	locker := pglock.New(openDB(b))
	for _, lock := range []struct {
		name string
		opts []paxos.Option
	}{
		{"lock=process", nil},
		{"lock=pglock", []paxos.Option{paxos.WithMemberLocker(locker)}},
	} {
		for _, shape := range []struct {
			name       string
			goroutines int
			distinct   bool
		}{
			{"serial", 1, false},
			{"one-account-32", 32, false},
			{"distinct-accounts-32", 32, true},
		} {
			b.Run(lock.name+"/"+shape.name, func(b *testing.B) {
				// A fake per run: its request log grows with b.N.
				srv := paxostest.NewServer()
				defer srv.Close()
				c, err := srv.NewClient(append([]paxos.Option{paxos.WithRateLimit(0, 0)}, lock.opts...)...)
				if err != nil {
					b.Fatal(err)
				}
				benchAddMember(b, srv, c, shape.goroutines, shape.distinct)
			})
		}
	}
}

// benchAddMember runs b.N AddMembers from goroutines goroutines, all on
// one account at a time, or each on its own when distinct.
func benchAddMember(b *testing.B, srv *paxostest.Server, c *paxos.Client, goroutines int, distinct bool) {
	newAccount := func() string {
		return srv.AddAccount(paxos.Account{IdentityID: "owner", Members: []paxos.AccountMember{
			{IdentityID: "bo", Roles: []paxos.Role{paxos.RoleBeneficialOwner}},
		}}).ID
	}
	// shared hands out the one account all goroutines use, moving to a
	// fresh one every membersPerAccount calls.
	var mu sync.Mutex
	var current string
	var used int
	shared := func() string {
		mu.Lock()
		defer mu.Unlock()
		if current == "" || used == membersPerAccount {
			current, used = newAccount(), 0
		}
		used++
		return current
	}
	var seq atomic.Int64
	var latency atomic.Int64 // summed over calls, in ns
	call := func(accountID string) {
		start := time.Now()
		_, err := c.AddMember(b.Context(), accountID, paxos.AccountMember{
			IdentityID: fmt.Sprintf("id-%d", seq.Add(1)),
			Roles:      []paxos.Role{paxos.RoleAuthorizedUser},
		})
		latency.Add(int64(time.Since(start)))
		if err != nil {
			b.Error(err)
		}
	}
	b.ResetTimer()
	start := time.Now()
	if goroutines == 1 {
		for range b.N {
			call(shared())
		}
	} else {
		// RunParallel starts parallelism × GOMAXPROCS goroutines.
		procs := runtime.GOMAXPROCS(0)
		b.SetParallelism((goroutines + procs - 1) / procs)
		b.RunParallel(func(pb *testing.PB) {
			own, n := "", 0
			for pb.Next() {
				if !distinct {
					call(shared())
					continue
				}
				if own == "" || n == membersPerAccount {
					own, n = newAccount(), 0
				}
				n++
				call(own)
			}
		})
	}
	elapsed := time.Since(start)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "calls/s")
	b.ReportMetric(float64(latency.Load())/float64(b.N)/1e3, "µs/call")
}

// BenchmarkLockContext measures what pglock adds to each member helper
// call: LockContext and unlock of a free key, as the helpers use them.
func BenchmarkLockContext(b *testing.B) {
	l := pglock.New(openDB(b))
	for b.Loop() {
		_, unlock, err := l.LockContext(b.Context(), "pglock-bench")
		if err != nil {
			b.Fatal(err)
		}
		unlock()
	}
}
