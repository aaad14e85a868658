package accountkit_test

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/accountkit/accountkit-go/accountgroups"
	"github.com/accountkit/accountkit-go/accountgroups/accountgroupstest"
	"github.com/accountkit/accountkit-go/marketplace"
	"github.com/accountkit/accountkit-go/marketplace/marketplacetest"
	"github.com/accountkit/accountkit-go/paxos"
	"github.com/accountkit/accountkit-go/paxos/paxostest"
)

// BenchmarkTokenReuse runs the main read from 64 goroutines at once and
// reports how many access tokens the fake issued in all: one per token
// lifetime is the goal. (The Marketplace client uses a fixed API token and
// fetches none.)
func BenchmarkTokenReuse(b *testing.B) {
	b.Run("paxos", func(b *testing.B) {
		srv := paxostest.NewServer()
		defer srv.Close()
		// No client-side rate limit: the benchmark measures the SDK's work,
		// not Paxos's 50 requests a second.
		c, err := srv.NewClient(paxos.WithRateLimit(0, 0))
		if err != nil {
			b.Fatal(err)
		}
		a := srv.AddAccount(paxos.Account{IdentityID: "owner"})
		run64(b, func(ctx context.Context) error { _, err := c.GetAccount(ctx, a.ID); return err })
		b.ReportMetric(float64(srv.TokensIssued()), "tokens")
	})
	b.Run("marketplace", func(b *testing.B) {
		srv := marketplacetest.NewServer()
		defer srv.Close()
		c, err := srv.NewClient()
		if err != nil {
			b.Fatal(err)
		}
		a := srv.AddAccount(marketplace.Account{Name: "Acme", Type: marketplace.AccountTypeClient})
		run64(b, func(ctx context.Context) error { _, err := c.GetAccount(ctx, a.ID); return err })
		b.ReportMetric(0, "tokens")
	})
	b.Run("accountgroups", func(b *testing.B) {
		srv := accountgroupstest.NewServer()
		defer srv.Close()
		c, err := srv.NewClient()
		if err != nil {
			b.Fatal(err)
		}
		g := srv.AddAccountGroup(accountgroups.AccountGroup{})
		run64(b, func(ctx context.Context) error { _, err := c.GetAccountGroup(ctx, g.ID); return err })
		b.ReportMetric(float64(srv.TokensIssued()), "tokens")
	})
}

// run64 calls f b.N times in all from 64 goroutines started together, so
// that the first calls race for the first token.
func run64(b *testing.B, f func(context.Context) error) {
	b.ReportAllocs()
	b.ResetTimer()
	var wg sync.WaitGroup
	start := make(chan struct{})
	per := max(b.N/64, 1)
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for range per {
				if err := f(context.Background()); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	close(start)
	wg.Wait()
}

// listSize is the length of the list the memory benchmark walks.
const listSize = 50_000

// BenchmarkListMemory walks a 50,000-item list with each client's iterator
// and reports the heap the walk holds on to beyond its starting point, at
// its highest (sampled after a GC every 1,000 items): the iterator keeps one
// page, never the list. The goal is under 4 MiB.
func BenchmarkListMemory(b *testing.B) {
	b.Run("paxos", func(b *testing.B) {
		srv := paxostest.NewServer()
		defer srv.Close()
		for i := range listSize {
			srv.AddAccount(paxos.Account{IdentityID: fmt.Sprintf("owner-%d", i), Description: "listed"})
		}
		c, err := srv.NewClient()
		if err != nil {
			b.Fatal(err)
		}
		walk(b, func(ctx context.Context, yield func() bool) error {
			for _, err := range c.ListAccounts(ctx, &paxos.ListAccountsParams{Limit: 1000}) {
				if err != nil {
					return err
				}
				yield()
			}
			return nil
		})
	})
	b.Run("marketplace", func(b *testing.B) {
		srv := marketplacetest.NewServer()
		defer srv.Close()
		for i := range listSize {
			srv.AddAccount(marketplace.Account{Name: fmt.Sprintf("Account %d", i), Type: marketplace.AccountTypeClient})
		}
		c, err := srv.NewClient()
		if err != nil {
			b.Fatal(err)
		}
		walk(b, func(ctx context.Context, yield func() bool) error {
			for _, err := range c.ListAccounts(ctx, &marketplace.ListAccountsParams{Limit: marketplace.MaxPageSize}) {
				if err != nil {
					return err
				}
				yield()
			}
			return nil
		})
	})
	b.Run("accountgroups", func(b *testing.B) {
		srv := accountgroupstest.NewServer()
		defer srv.Close()
		for range listSize {
			srv.AddAccountGroup(accountgroups.AccountGroup{})
		}
		c, err := srv.NewClient()
		if err != nil {
			b.Fatal(err)
		}
		walk(b, func(ctx context.Context, yield func() bool) error {
			for _, err := range c.ListAccountGroups(ctx, &accountgroups.ListAccountGroupsParams{Limit: accountgroups.MaxPageSize}) {
				if err != nil {
					return err
				}
				yield()
			}
			return nil
		})
	})
}

// walk runs list b.N times, measuring the live heap every 1,000 items.
func walk(b *testing.B, list func(ctx context.Context, item func() bool) error) {
	var peak uint64
	var items int
	b.ReportAllocs()
	start := time.Now()
	for b.Loop() {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		base := ms.HeapAlloc
		items = 0
		err := list(context.Background(), func() bool {
			items++
			if items%1000 == 0 {
				runtime.GC()
				runtime.ReadMemStats(&ms)
				if ms.HeapAlloc > base && ms.HeapAlloc-base > peak {
					peak = ms.HeapAlloc - base
				}
			}
			return true
		})
		if err != nil {
			b.Fatal(err)
		}
		if items != listSize {
			b.Fatalf("walked %d items, want %d", items, listSize)
		}
	}
	b.ReportMetric(float64(peak)/(1<<20), "MiB-held")
	b.ReportMetric(float64(listSize*b.N)/time.Since(start).Seconds(), "items/s")
}
