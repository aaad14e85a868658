package paxostest_test

import (
	"sync"
	"testing"
	"time"

	"github.com/accountkit/accountkit-go/paxos"
	"github.com/accountkit/accountkit-go/paxos/paxostest"
)

// manualClock is a clock that moves only when told to.
type manualClock struct {
	mu  sync.Mutex
	now time.Time
}

func newManualClock() *manualClock {
	return &manualClock{now: time.Date(2025, 9, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *manualClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func status(t *testing.T, fake *paxostest.Fake, id string) paxos.SummaryStatus {
	t.Helper()
	a, ok := fake.Account(id)
	if !ok {
		t.Fatalf("account %s is gone", id)
	}
	return a.SummaryStatus
}

// TestApprovalDelay approves a PENDING account once the delay has passed
// on the fake's clock, and leaves accounts stored with another status
// alone.
func TestApprovalDelay(t *testing.T) {
	clock := newManualClock()
	fake := paxostest.New(paxostest.WithClock(clock.Now), paxostest.WithApprovalDelay(time.Hour))
	pending := fake.AddAccount(paxos.Account{IdentityID: "owner"})
	denied := fake.AddAccount(paxos.Account{IdentityID: "other", SummaryStatus: paxos.SummaryStatusDenied})
	created := clock.Now()

	clock.Advance(time.Hour - time.Second)
	if got := status(t, fake, pending.ID); got != paxos.SummaryStatusPending {
		t.Fatalf("before the delay: %s, want PENDING", got)
	}
	clock.Advance(time.Second)
	a, _ := fake.Account(pending.ID)
	if a.SummaryStatus != paxos.SummaryStatusApproved || !a.UpdatedAt.Equal(created.Add(time.Hour)) {
		t.Errorf("after the delay: %s updated at %v, want APPROVED at %v", a.SummaryStatus, a.UpdatedAt, created.Add(time.Hour))
	}
	if got := status(t, fake, denied.ID); got != paxos.SummaryStatusDenied {
		t.Errorf("an account stored DENIED became %s", got)
	}
}

// TestApprovalDelayThroughTheAPI creates an account through the API and
// reads it approved once the delay has passed.
func TestApprovalDelayThroughTheAPI(t *testing.T) {
	clock := newManualClock()
	srv := paxostest.NewServer(paxostest.WithClock(clock.Now), paxostest.WithApprovalDelay(time.Minute))
	defer srv.Close()
	c, err := srv.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	a, err := c.CreateAccount(t.Context(), paxos.CreateAccountRequest{Account: paxos.Account{IdentityID: "owner"}})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := c.GetAccount(t.Context(), a.ID); err != nil || got.SummaryStatus != paxos.SummaryStatusPending {
		t.Fatalf("at once: %v, %v; want PENDING", got, err)
	}
	clock.Advance(time.Minute)
	if got, err := c.GetAccount(t.Context(), a.ID); err != nil || got.SummaryStatus != paxos.SummaryStatusApproved {
		t.Errorf("after the delay: %v, %v; want APPROVED", got, err)
	}
	var listed paxos.SummaryStatus
	for a, err := range c.ListAccounts(t.Context(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		listed = a.SummaryStatus
	}
	if listed != paxos.SummaryStatusApproved {
		t.Errorf("listed as %s, want APPROVED", listed)
	}
}

// TestNoApprovalDelayKeepsPending checks the default: accounts stay
// PENDING however long they wait.
func TestNoApprovalDelayKeepsPending(t *testing.T) {
	clock := newManualClock()
	fake := paxostest.New(paxostest.WithClock(clock.Now))
	a := fake.AddAccount(paxos.Account{IdentityID: "owner"})
	clock.Advance(365 * 24 * time.Hour)
	if got := status(t, fake, a.ID); got != paxos.SummaryStatusPending {
		t.Errorf("a year later: %s, want PENDING", got)
	}
}

// TestApprovalWhileDisabled approves an account disabled while PENDING:
// it stays DISABLED, and enabling it finds it APPROVED.
func TestApprovalWhileDisabled(t *testing.T) {
	clock := newManualClock()
	srv := paxostest.NewServer(paxostest.WithClock(clock.Now), paxostest.WithApprovalDelay(time.Minute))
	defer srv.Close()
	c, err := srv.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	a := srv.AddAccount(paxos.Account{IdentityID: "owner"})
	if got, err := c.DisableAccount(t.Context(), a.ID); err != nil || got.SummaryStatus != paxos.SummaryStatusDisabled {
		t.Fatalf("DisableAccount = %v, %v", got, err)
	}
	clock.Advance(time.Minute)
	if got := status(t, srv.Fake, a.ID); got != paxos.SummaryStatusDisabled {
		t.Errorf("approved while disabled: %s, want DISABLED", got)
	}
	if got, err := c.EnableAccount(t.Context(), a.ID); err != nil || got.SummaryStatus != paxos.SummaryStatusApproved {
		t.Errorf("EnableAccount = %v, %v; want APPROVED", got, err)
	}
}

// TestSetSummaryStatus sets statuses Paxos decides, unknown ones
// included, and cancels a pending approval.
func TestSetSummaryStatus(t *testing.T) {
	clock := newManualClock()
	fake := paxostest.New(paxostest.WithClock(clock.Now), paxostest.WithApprovalDelay(time.Minute))
	if fake.SetSummaryStatus("no-such-account", paxos.SummaryStatusDenied) {
		t.Error("SetSummaryStatus of an unknown account reported success")
	}
	a := fake.AddAccount(paxos.Account{IdentityID: "owner"})
	clock.Advance(time.Second)
	if !fake.SetSummaryStatus(a.ID, paxos.SummaryStatusDenied) {
		t.Fatal("SetSummaryStatus reported no account")
	}
	got, _ := fake.Account(a.ID)
	if got.SummaryStatus != paxos.SummaryStatusDenied || !got.UpdatedAt.Equal(clock.Now()) || got.UserDisabled || got.AdminDisabled {
		t.Errorf("after SetSummaryStatus(DENIED): %+v", got)
	}
	clock.Advance(time.Hour)
	if got := status(t, fake, a.ID); got != paxos.SummaryStatusDenied {
		t.Errorf("the approval was not cancelled: %s", got)
	}
	fake.SetSummaryStatus(a.ID, "UNDER_REVIEW")
	if got := status(t, fake, a.ID); got != "UNDER_REVIEW" {
		t.Errorf("an unknown status was stored as %s", got)
	}
}
