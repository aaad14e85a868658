package paxos_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/accountkit/accountkit-go"
	"github.com/accountkit/accountkit-go/paxos"
	"github.com/accountkit/accountkit-go/paxos/paxostest"
)

// waitFake starts a fake and a client for it that polls every millisecond
// or two. before, when not nil, runs before the fake serves each read of
// an account, with the read's number (1 for the first), so that a test
// can change the account between reads. reads reports how many there
// were.
func waitFake(t *testing.T, before func(n int), fakeOpts ...paxostest.Option) (srv *paxostest.Server, c *paxos.Client, reads func() int) {
	t.Helper()
	srv = paxostest.NewServer(fakeOpts...)
	t.Cleanup(srv.Close)
	var (
		mu sync.Mutex
		n  int
	)
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/identity/accounts/") {
			mu.Lock()
			n++
			if before != nil {
				before(n)
			}
			mu.Unlock()
		}
		return http.DefaultTransport.RoundTrip(r)
	})}
	c, err := srv.NewClient(paxos.WithHTTPClient(hc),
		paxos.WithRetryBackoff(time.Millisecond, 5*time.Millisecond),
		paxos.WithPollInterval(time.Millisecond, 2*time.Millisecond),
		paxos.WithRateLimit(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	return srv, c, func() int {
		mu.Lock()
		defer mu.Unlock()
		return n
	}
}

// TestWaitForStatusAfterApprovalDelay creates an account on a fake that
// approves it after a delay on its own clock, which steps a second each
// time it is read: the wait sees PENDING, then APPROVED.
func TestWaitForStatusAfterApprovalDelay(t *testing.T) {
	start := time.Date(2025, 9, 1, 12, 0, 0, 0, time.UTC)
	var ticks atomic.Int64
	clock := func() time.Time { return start.Add(time.Duration(ticks.Add(1)) * time.Second) }
	_, c, reads := waitFake(t, nil, paxostest.WithClock(clock), paxostest.WithApprovalDelay(5*time.Second))

	created, err := c.CreateAccount(t.Context(), paxos.CreateAccountRequest{Account: paxos.Account{IdentityID: "owner"}})
	if err != nil {
		t.Fatal(err)
	}
	if created.SummaryStatus != paxos.SummaryStatusPending {
		t.Fatalf("a new account is %s, want PENDING", created.SummaryStatus)
	}
	got, err := c.WaitForStatus(t.Context(), created.ID, paxos.SummaryStatusApproved, paxos.SummaryStatusDenied)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != created.ID || got.SummaryStatus != paxos.SummaryStatusApproved {
		t.Errorf("WaitForStatus = %s %s, want %s APPROVED", got.ID, got.SummaryStatus, created.ID)
	}
	if reads() < 2 {
		t.Errorf("%d reads; the account cannot have been APPROVED at the first", reads())
	}
}

// TestWaitForStatusThroughTransitions moves the account through DISABLED
// (from which APPROVED can follow) and a status the SDK does not know
// (which keeps the wait going) before it is APPROVED.
func TestWaitForStatusThroughTransitions(t *testing.T) {
	var srv *paxostest.Server
	var id string
	steps := map[int]paxos.SummaryStatus{
		2: paxos.SummaryStatusDisabled,
		4: "UNDER_REVIEW",
		6: paxos.SummaryStatusApproved,
		8: paxos.SummaryStatusDenied, // never reached
	}
	srv, c, reads := waitFake(t, func(n int) {
		if s, ok := steps[n]; ok {
			srv.SetSummaryStatus(id, s)
		}
	})
	id = srv.AddAccount(paxos.Account{IdentityID: "owner"}).ID

	got, err := c.WaitForStatus(t.Context(), id, paxos.SummaryStatusApproved)
	if err != nil {
		t.Fatal(err)
	}
	if got.SummaryStatus != paxos.SummaryStatusApproved || reads() != 6 {
		t.Errorf("WaitForStatus = %s after %d reads, want APPROVED after 6", got.SummaryStatus, reads())
	}
}

func TestWaitForStatusAlreadyThere(t *testing.T) {
	srv, c, reads := waitFake(t, nil)
	a := srv.AddAccount(paxos.Account{IdentityID: "owner", SummaryStatus: paxos.SummaryStatusDisabled})
	got, err := c.WaitForStatus(t.Context(), a.ID, paxos.SummaryStatusApproved, paxos.SummaryStatusDisabled)
	if err != nil || got.SummaryStatus != paxos.SummaryStatusDisabled || reads() != 1 {
		t.Errorf("WaitForStatus = %v, %v after %d reads; want the DISABLED account after 1", got, err, reads())
	}
}

// TestWaitForStatusUnreachable ends the wait as soon as the account is in
// a status from which none of those wanted can follow.
func TestWaitForStatusUnreachable(t *testing.T) {
	for name, tc := range map[string]struct {
		initial   paxos.SummaryStatus
		later     paxos.SummaryStatus // set before the third read
		want      []paxos.SummaryStatus
		reached   paxos.SummaryStatus
		reads     int
		wantNamed string
	}{
		"APPROVED of a DENIED account": {
			initial: paxos.SummaryStatusDenied, want: []paxos.SummaryStatus{paxos.SummaryStatusApproved},
			reached: paxos.SummaryStatusDenied, reads: 1, wantNamed: "cannot become APPROVED",
		},
		"APPROVED of an account DENIED meanwhile": {
			initial: paxos.SummaryStatusPending, later: paxos.SummaryStatusDenied, want: []paxos.SummaryStatus{paxos.SummaryStatusApproved},
			reached: paxos.SummaryStatusDenied, reads: 3, wantNamed: "cannot become APPROVED",
		},
		"APPROVED or DISABLED of an account in ERROR": {
			initial: paxos.SummaryStatusPending, later: paxos.SummaryStatusError, want: []paxos.SummaryStatus{paxos.SummaryStatusApproved, paxos.SummaryStatusDisabled},
			reached: paxos.SummaryStatusError, reads: 3, wantNamed: "cannot become APPROVED or DISABLED",
		},
		"PENDING of a DENIED account": {
			initial: paxos.SummaryStatusDenied, want: []paxos.SummaryStatus{paxos.SummaryStatusPending},
			reached: paxos.SummaryStatusDenied, reads: 1, wantNamed: "cannot become PENDING",
		},
		"an unknown status of a DENIED account": {
			initial: paxos.SummaryStatusDenied, want: []paxos.SummaryStatus{"FROZEN"},
			reached: paxos.SummaryStatusDenied, reads: 1, wantNamed: "cannot become FROZEN",
		},
	} {
		t.Run(name, func(t *testing.T) {
			var srv *paxostest.Server
			var id string
			srv, c, reads := waitFake(t, func(n int) {
				if n == 3 && tc.later != "" {
					srv.SetSummaryStatus(id, tc.later)
				}
			})
			id = srv.AddAccount(paxos.Account{IdentityID: "owner", SummaryStatus: tc.initial}).ID

			got, err := c.WaitForStatus(t.Context(), id, tc.want...)
			if !errors.Is(err, accountkit.ErrStatusUnreachable) {
				t.Fatalf("WaitForStatus = %v, want ErrStatusUnreachable", err)
			}
			if got == nil || got.ID != id || got.SummaryStatus != tc.reached {
				t.Errorf("returned account %+v, want %s %s", got, id, tc.reached)
			}
			if msg := err.Error(); !strings.Contains(msg, "account "+id+" is "+string(tc.reached)) || !strings.Contains(msg, tc.wantNamed) {
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
		a := srv.AddAccount(paxos.Account{IdentityID: "owner"})
		got, err := c.WaitForStatus(ctx, a.ID, paxos.SummaryStatusApproved)
		if !errors.Is(err, context.Canceled) || !errors.Is(err, cause) {
			t.Fatalf("WaitForStatus = %v, want context.Canceled with its cause", err)
		}
		if !strings.Contains(err.Error(), "still PENDING") {
			t.Errorf("error %q does not name the last status seen", err)
		}
		if got == nil || got.SummaryStatus != paxos.SummaryStatusPending {
			t.Errorf("returned %+v, want the account as last read", got)
		}
		if reads() > 3 {
			t.Errorf("%d reads after the context was cancelled at the third", reads())
		}
	})
	t.Run("deadline", func(t *testing.T) {
		srv, c, _ := waitFake(t, nil)
		a := srv.AddAccount(paxos.Account{IdentityID: "owner"})
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
		defer cancel()
		got, err := c.WaitForStatus(ctx, a.ID, paxos.SummaryStatusApproved)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("WaitForStatus = %v, want context.DeadlineExceeded", err)
		}
		if got != nil && !strings.Contains(err.Error(), "still PENDING") {
			t.Errorf("error %q does not name the last status seen", err)
		}
	})
	t.Run("deadline within the rate limit", func(t *testing.T) {
		// Polling faster than the default rate limit: the read whose
		// turn would come after the deadline gives up at once, which
		// ends the wait as the deadline would.
		srv := paxostest.NewServer()
		t.Cleanup(srv.Close)
		c, err := srv.NewClient(paxos.WithPollInterval(time.Millisecond, time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		a := srv.AddAccount(paxos.Account{IdentityID: "owner"})
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Millisecond)
		defer cancel()
		got, err := c.WaitForStatus(ctx, a.ID, paxos.SummaryStatusApproved)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("WaitForStatus = %v, want context.DeadlineExceeded", err)
		}
		if got != nil && !strings.Contains(err.Error(), "still PENDING") {
			t.Errorf("error %q does not name the last status seen", err)
		}
	})
	t.Run("per-call timeout", func(t *testing.T) {
		srv, c, _ := waitFake(t, nil)
		a := srv.AddAccount(paxos.Account{IdentityID: "owner"})
		if _, err := c.With(accountkit.WithTimeout(20*time.Millisecond)).WaitForStatus(t.Context(), a.ID, paxos.SummaryStatusApproved); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("WaitForStatus = %v, want context.DeadlineExceeded", err)
		}
	})
}

func TestWaitForStatusRefusesBadInput(t *testing.T) {
	srv, c, _ := waitFake(t, nil)
	a := srv.AddAccount(paxos.Account{IdentityID: "owner"})
	for name, call := range map[string]func() (*paxos.Account, error){
		"empty id":  func() (*paxos.Account, error) { return c.WaitForStatus(t.Context(), "", paxos.SummaryStatusApproved) },
		"no status": func() (*paxos.Account, error) { return c.WaitForStatus(t.Context(), a.ID) },
		"empty status": func() (*paxos.Account, error) {
			return c.WaitForStatus(t.Context(), a.ID, paxos.SummaryStatusApproved, "")
		},
		"nil want slice": func() (*paxos.Account, error) {
			return c.WaitForStatus(t.Context(), a.ID, []paxos.SummaryStatus(nil)...)
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
	got, err := c.WaitForStatus(t.Context(), "no-such-account", paxos.SummaryStatusApproved)
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
	a := srv.AddAccount(paxos.Account{IdentityID: "owner"})
	srv.InjectFault(paxostest.Fault{Method: http.MethodGet, Path: "/identity/accounts/", Status: http.StatusServiceUnavailable, Times: 100})
	_, err := c.WaitForStatus(t.Context(), a.ID, paxos.SummaryStatusApproved)
	var apiErr *accountkit.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusServiceUnavailable || apiErr.Attempts < 2 {
		t.Fatalf("WaitForStatus = %v; want the 503 after retries", err)
	}
	if !strings.HasPrefix(err.Error(), "paxos: WaitForStatus: ") {
		t.Errorf("error %q does not name the call", err)
	}
}
