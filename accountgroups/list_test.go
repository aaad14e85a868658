package accountgroups_test

import (
	"iter"
	"slices"
	"sync"
	"testing"

	"github.com/accountkit/accountkit-go/accountgroups"
)

// rangeIDs ranges over seq once and returns the ids it yields.
func rangeIDs(t *testing.T, seq iter.Seq2[*accountgroups.AccountGroup, error]) []string {
	var ids []string
	for g, err := range seq {
		if err != nil {
			t.Error(err)
			return ids
		}
		ids = append(ids, g.ID)
	}
	return ids
}

// TestListsRangeAfresh ranges each listing's iterator twice, then from two
// goroutines at once (run it with -race): every range sees every group,
// from the first page on.
func TestListsRangeAfresh(t *testing.T) {
	srv, c := newFake(t, nil)
	owner := []accountgroups.AccountGroupUser{{ID: userID, Type: accountgroups.AccountGroupUserTypeOwner}}
	for range 5 {
		srv.AddAccountGroup(accountgroups.AccountGroup{Users: owner})
	}
	for name, groups := range map[string]iter.Seq2[*accountgroups.AccountGroup, error]{
		"ListAccountGroups":     c.ListAccountGroups(t.Context(), &accountgroups.ListAccountGroupsParams{Limit: 2}),
		"ListUserAccountGroups": c.ListUserAccountGroups(t.Context(), userID, &accountgroups.ListUserAccountGroupsParams{Limit: 2}),
	} {
		t.Run(name, func(t *testing.T) {
			first := rangeIDs(t, groups)
			if len(first) != 5 {
				t.Fatalf("first range: %d groups, want 5", len(first))
			}
			if again := rangeIDs(t, groups); !slices.Equal(again, first) {
				t.Errorf("second range = %v, want %v", again, first)
			}
			var wg sync.WaitGroup
			got := make([][]string, 2)
			for i := range got {
				wg.Go(func() { got[i] = rangeIDs(t, groups) })
			}
			wg.Wait()
			for i, ids := range got {
				if !slices.Equal(ids, first) {
					t.Errorf("goroutine %d saw %v, want %v", i, ids, first)
				}
			}
		})
	}
}
