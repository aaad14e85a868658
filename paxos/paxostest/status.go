package paxostest

import (
	"net/http"
	"time"

	"github.com/accountkit/accountkit-go/paxos"
)

// WithApprovalDelay makes the fake approve accounts the way Paxos's
// onboarding does, asynchronously: an account stored as PENDING (created
// through the API, or by AddAccount without another status) becomes
// APPROVED once d has passed on the fake's clock ([WithClock]), as seen by
// the first request or [Fake.Account] call after that. With 0, the
// default, accounts stay PENDING until [Fake.SetSummaryStatus] moves them.
func WithApprovalDelay(d time.Duration) Option {
	return func(o *options) { o.approvalDelay = d }
}

// SetSummaryStatus sets the account's summary_status, as Paxos does when
// it decides (APPROVED, DENIED), fails (ERROR) or disables an account
// itself (DISABLED), and reports whether the account exists. Only
// summary_status and updated_at change (not admin_disabled or
// user_disabled), and an approval [WithApprovalDelay] still had pending
// for the account is cancelled.
func (f *Fake) SetSummaryStatus(id string, status paxos.SummaryStatus) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	a, ok := f.accounts[id]
	if !ok {
		return false
	}
	delete(f.approveAt, id)
	a.SummaryStatus = status
	a.UpdatedAt = f.now().UTC()
	return true
}

// awaitApproval schedules the approval of a PENDING account when
// WithApprovalDelay asks for one. f.mu is held.
func (f *Fake) awaitApproval(a *paxos.Account, now time.Time) {
	if f.approvalDelay > 0 && a.SummaryStatus == paxos.SummaryStatusPending {
		f.approveAt[a.ID] = now.Add(f.approvalDelay)
	}
}

// approveDue approves the accounts whose approval is due. An account
// disabled meanwhile stays DISABLED and returns as APPROVED when enabled.
// f.mu is held.
func (f *Fake) approveDue() {
	if len(f.approveAt) == 0 {
		return
	}
	now := f.now()
	for id, at := range f.approveAt {
		if now.Before(at) {
			continue
		}
		delete(f.approveAt, id)
		a, ok := f.accounts[id]
		if !ok {
			continue
		}
		switch {
		case a.SummaryStatus == paxos.SummaryStatusPending:
			a.SummaryStatus = paxos.SummaryStatusApproved
		case a.SummaryStatus == paxos.SummaryStatusDisabled && a.statusBeforeDisable == paxos.SummaryStatusPending:
			a.statusBeforeDisable = paxos.SummaryStatusApproved
		default:
			continue
		}
		a.UpdatedAt = at.UTC()
	}
}

// settling approves the accounts that are due before serving each
// request.
func (f *Fake) settling(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.approveDue()
		f.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}
