package paxos_test

import (
	"slices"
	"sync"
	"testing"

	"github.com/accountkit/accountkit-go/paxos"
)

// rangeIDs ranges over seq once and returns the ids it yields.
func rangeIDs(t *testing.T, seq func(func(*paxos.Account, error) bool)) []string {
	var ids []string
	for a, err := range seq {
		if err != nil {
			t.Error(err)
			return ids
		}
		ids = append(ids, a.ID)
	}
	return ids
}

// TestListAccountsRangesAfresh ranges one iterator twice, then from two
// goroutines at once (run it with -race): every range sees every account,
// from the first page on.
func TestListAccountsRangesAfresh(t *testing.T) {
	srv, c := newFake(t)
	for range 5 {
		srv.AddAccount(paxos.Account{IdentityID: "owner"})
	}
	accounts := c.ListAccounts(t.Context(), &paxos.ListAccountsParams{Limit: 2})
	first := rangeIDs(t, accounts)
	if len(first) != 5 {
		t.Fatalf("first range: %d accounts, want 5", len(first))
	}
	if again := rangeIDs(t, accounts); !slices.Equal(again, first) {
		t.Errorf("second range = %v, want %v", again, first)
	}
	var wg sync.WaitGroup
	got := make([][]string, 2)
	for i := range got {
		wg.Go(func() { got[i] = rangeIDs(t, accounts) })
	}
	wg.Wait()
	for i, ids := range got {
		if !slices.Equal(ids, first) {
			t.Errorf("goroutine %d saw %v, want %v", i, ids, first)
		}
	}
}
