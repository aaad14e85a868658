package accountgroups_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/accountkit/accountkit-go"
	"github.com/accountkit/accountkit-go/accountgroups"
	"github.com/accountkit/accountkit-go/accountgroups/accountgroupstest"
)

// waitFake starts a fake and a client for it that polls every millisecond
// or two. before, when not nil, runs before the fake serves each read of
// a group, with the read's number (1 for the first), so that a test can
// change the group between reads. reads reports how many there were.
func waitFake(t *testing.T, before func(n int), fakeOpts ...accountgroupstest.Option) (srv *accountgroupstest.Server, c *accountgroups.Client, reads func() int) {
	t.Helper()
	srv = accountgroupstest.NewServer(fakeOpts...)
	t.Cleanup(srv.Close)
	var (
		mu sync.Mutex
		n  int
	)
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/account_groups/") {
			mu.Lock()
			n++
			if before != nil {
				before(n)
			}
			mu.Unlock()
		}
		return http.DefaultTransport.RoundTrip(r)
	})}
	c, err := srv.NewClient(accountgroups.WithHTTPClient(hc),
		accountgroups.WithRetryBackoff(time.Millisecond, 5*time.Millisecond),
		accountgroups.WithPollInterval(time.Millisecond, 2*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	return srv, c, func() int {
		mu.Lock()
		defer mu.Unlock()
		return n
	}
}

// TestWaitForStatusApprovalAndClosure follows a group through the fake's
// own transitions: PENDING_APPROVAL to ACTIVE after the approval delay,
// then CLOSING to CLOSED after a closure; once it is closing, waiting for
// ACTIVE ends at once.
func TestWaitForStatusApprovalAndClosure(t *testing.T) {
	_, c, reads := waitFake(t, nil,
		accountgroupstest.WithApprovalDelay(10*time.Millisecond),
		accountgroupstest.WithClosingDelay(10*time.Millisecond))
	ctx := t.Context()
	g, err := c.CreateAccountGroup(ctx, userID, accountgroups.AccountGroupTypePersonal)
	if err != nil {
		t.Fatal(err)
	}
	if g.Status != accountgroups.AccountGroupStatusPendingApproval {
		t.Fatalf("a new group is %s, want PENDING_APPROVAL", g.Status)
	}
	active, err := c.WaitForStatus(ctx, g.ID, accountgroups.AccountGroupStatusActive)
	if err != nil || active.Status != accountgroups.AccountGroupStatusActive {
		t.Fatalf("WaitForStatus(ACTIVE) = %v, %v", active, err)
	}
	if err := c.CloseAccountGroup(ctx, g.ID, accountgroups.ClosureReasonUserInitiated, false); err != nil {
		t.Fatal(err)
	}
	before := reads()
	got, err := c.WaitForStatus(ctx, g.ID, accountgroups.AccountGroupStatusActive, accountgroups.AccountGroupStatusLocked)
	if !errors.Is(err, accountkit.ErrStatusUnreachable) || got == nil ||
		(got.Status != accountgroups.AccountGroupStatusClosing && got.Status != accountgroups.AccountGroupStatusClosed) {
		t.Fatalf("WaitForStatus(ACTIVE, LOCKED) of a closing group = %v, %v; want ErrStatusUnreachable", got, err)
	}
	if reads() != before+1 {
		t.Errorf("%d reads of a closing group, want 1", reads()-before)
	}
	closed, err := c.WaitForStatus(ctx, g.ID, accountgroups.AccountGroupStatusClosed)
	if err != nil || closed.Status != accountgroups.AccountGroupStatusClosed {
		t.Errorf("WaitForStatus(CLOSED) = %v, %v", closed, err)
	}
}

// TestWaitForStatusThroughTransitions moves the group through ACTIVE and a
// status the SDK does not know (which keeps the wait going) before it is
// LOCKED.
func TestWaitForStatusThroughTransitions(t *testing.T) {
	var srv *accountgroupstest.Server
	var id string
	steps := map[int]accountgroups.AccountGroupStatus{
		2: accountgroups.AccountGroupStatusActive,
		4: "SUSPENDED",
		6: accountgroups.AccountGroupStatusLocked,
		8: accountgroups.AccountGroupStatusClosed, // never reached
	}
	srv, c, reads := waitFake(t, func(n int) {
		if s, ok := steps[n]; ok {
			srv.SetStatus(id, s)
		}
	})
	id = srv.AddAccountGroup(accountgroups.AccountGroup{Status: accountgroups.AccountGroupStatusPendingApproval}).ID

	got, err := c.WaitForStatus(t.Context(), id, accountgroups.AccountGroupStatusLocked)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != accountgroups.AccountGroupStatusLocked || reads() != 6 {
		t.Errorf("WaitForStatus = %s after %d reads, want LOCKED after 6", got.Status, reads())
	}
}

// TestWaitForStatusUnreachable ends the wait as soon as the group is in a
// status from which none of those wanted can follow.
func TestWaitForStatusUnreachable(t *testing.T) {
	for name, tc := range map[string]struct {
		initial   accountgroups.AccountGroupStatus
		later     accountgroups.AccountGroupStatus // set before the third read
		want      []accountgroups.AccountGroupStatus
		reached   accountgroups.AccountGroupStatus
		reads     int
		wantNamed string
	}{
		"ACTIVE of a CLOSED group": {
			initial: accountgroups.AccountGroupStatusClosed, want: []accountgroups.AccountGroupStatus{accountgroups.AccountGroupStatusActive},
			reached: accountgroups.AccountGroupStatusClosed, reads: 1, wantNamed: "cannot become ACTIVE",
		},
		"ACTIVE of a LOCKED group that starts closing": {
			initial: accountgroups.AccountGroupStatusLocked, later: accountgroups.AccountGroupStatusClosing,
			want:    []accountgroups.AccountGroupStatus{accountgroups.AccountGroupStatusActive},
			reached: accountgroups.AccountGroupStatusClosing, reads: 3, wantNamed: "cannot become ACTIVE",
		},
		"LOCKED of a CLOSING group": {
			initial: accountgroups.AccountGroupStatusClosing, want: []accountgroups.AccountGroupStatus{accountgroups.AccountGroupStatusLocked},
			reached: accountgroups.AccountGroupStatusClosing, reads: 1, wantNamed: "cannot become LOCKED",
		},
		"PENDING_APPROVAL of an ACTIVE group": {
			initial: accountgroups.AccountGroupStatusActive, want: []accountgroups.AccountGroupStatus{accountgroups.AccountGroupStatusPendingApproval},
			reached: accountgroups.AccountGroupStatusActive, reads: 1, wantNamed: "cannot become PENDING_APPROVAL",
		},
		"an unknown status of a CLOSED group": {
			initial: accountgroups.AccountGroupStatusClosed, want: []accountgroups.AccountGroupStatus{"ARCHIVED", accountgroups.AccountGroupStatusLocked},
			reached: accountgroups.AccountGroupStatusClosed, reads: 1, wantNamed: "cannot become ARCHIVED or LOCKED",
		},
	} {
		t.Run(name, func(t *testing.T) {
			var srv *accountgroupstest.Server
			var id string
			srv, c, reads := waitFake(t, func(n int) {
				if n == 3 && tc.later != "" {
					srv.SetStatus(id, tc.later)
				}
			}, accountgroupstest.WithClosingDelay(time.Hour))
			id = srv.AddAccountGroup(accountgroups.AccountGroup{Status: tc.initial}).ID

			got, err := c.WaitForStatus(t.Context(), id, tc.want...)
			if !errors.Is(err, accountkit.ErrStatusUnreachable) {
				t.Fatalf("WaitForStatus = %v, want ErrStatusUnreachable", err)
			}
			if got == nil || got.ID != id || got.Status != tc.reached {
				t.Errorf("returned group %+v, want %s %s", got, id, tc.reached)
			}
			if msg := err.Error(); !strings.Contains(msg, "account group "+id+" is "+string(tc.reached)) || !strings.Contains(msg, tc.wantNamed) {
				t.Errorf("error %q does not name the status reached (%s) and those wanted", msg, tc.reached)
			}
			if reads() != tc.reads {
				t.Errorf("%d reads, want %d", reads(), tc.reads)
			}
		})
	}
}

func TestWaitForStatusContextEnds(t *testing.T) {
	t.Run("cancelled", func(t *testing.T) {
		cause := errors.New("shutting down")
		ctx, cancel := context.WithCancelCause(t.Context())
		defer cancel(nil)
		srv, c, reads := waitFake(t, func(n int) {
			if n == 3 {
				cancel(cause)
			}
		})
		g := srv.AddAccountGroup(accountgroups.AccountGroup{Status: accountgroups.AccountGroupStatusPendingApproval})
		got, err := c.WaitForStatus(ctx, g.ID, accountgroups.AccountGroupStatusActive)
		if !errors.Is(err, context.Canceled) || !errors.Is(err, cause) {
			t.Fatalf("WaitForStatus = %v, want context.Canceled with its cause", err)
		}
		if !strings.Contains(err.Error(), "still PENDING_APPROVAL") {
			t.Errorf("error %q does not name the last status seen", err)
		}
		if got == nil || got.Status != accountgroups.AccountGroupStatusPendingApproval {
			t.Errorf("returned %+v, want the group as last read", got)
		}
		if reads() > 3 {
			t.Errorf("%d reads after the context was cancelled at the third", reads())
		}
	})
	t.Run("deadline", func(t *testing.T) {
		srv, c, _ := waitFake(t, nil)
		g := srv.AddAccountGroup(accountgroups.AccountGroup{Status: accountgroups.AccountGroupStatusLocked})
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
		defer cancel()
		got, err := c.WaitForStatus(ctx, g.ID, accountgroups.AccountGroupStatusActive)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("WaitForStatus = %v, want context.DeadlineExceeded", err)
		}
		if got != nil && !strings.Contains(err.Error(), "still LOCKED") {
			t.Errorf("error %q does not name the last status seen", err)
		}
	})
}

func TestWaitForStatusRefusesBadInput(t *testing.T) {
	srv, c, _ := waitFake(t, nil)
	g := srv.AddAccountGroup(accountgroups.AccountGroup{})
	for name, call := range map[string]func() (*accountgroups.AccountGroup, error){
		"empty id": func() (*accountgroups.AccountGroup, error) {
			return c.WaitForStatus(t.Context(), "", accountgroups.AccountGroupStatusActive)
		},
		"no status": func() (*accountgroups.AccountGroup, error) { return c.WaitForStatus(t.Context(), g.ID) },
		"empty status": func() (*accountgroups.AccountGroup, error) {
			return c.WaitForStatus(t.Context(), g.ID, accountgroups.AccountGroupStatusClosed, "")
		},
	} {
		got, err := call()
		if !errors.Is(err, accountkit.ErrInvalidRequest) || got != nil {
			t.Errorf("%s: WaitForStatus = %v, %v; want ErrInvalidRequest", name, got, err)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent; refused calls send none", n)
	}
}

func TestWaitForStatusNotFound(t *testing.T) {
	_, c, reads := waitFake(t, nil)
	got, err := c.WaitForStatus(t.Context(), "4e0c7a58-7d8b-4f3e-9a55-0c5a0d6b1e11", accountgroups.AccountGroupStatusActive)
	var apiErr *accountkit.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusNotFound || got != nil {
		t.Fatalf("WaitForStatus = %v, %v; want a 404 *accountkit.APIError", got, err)
	}
	if reads() != 1 {
		t.Errorf("%d reads, want 1", reads())
	}
}

// TestWaitForStatusTransientError ends the wait with the error of a read
// that failed after the transport's retries.
func TestWaitForStatusTransientError(t *testing.T) {
	srv, c, _ := waitFake(t, nil)
	g := srv.AddAccountGroup(accountgroups.AccountGroup{Status: accountgroups.AccountGroupStatusPendingApproval})
	srv.InjectFault(accountgroupstest.Fault{Method: http.MethodGet, Path: "/account_groups/", Status: http.StatusServiceUnavailable, Times: 100})
	_, err := c.WaitForStatus(t.Context(), g.ID, accountgroups.AccountGroupStatusActive)
	var apiErr *accountkit.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusServiceUnavailable || apiErr.Attempts < 2 {
		t.Fatalf("WaitForStatus = %v; want the 503 after retries", err)
	}
	if !strings.HasPrefix(err.Error(), "accountgroups: WaitForStatus: ") {
		t.Errorf("error %q does not name the call", err)
	}
}
