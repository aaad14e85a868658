package accountgroupstest

import (
	"time"

	"github.com/accountkit/accountkit-go/accountgroups"
)

// WithApprovalDelay makes the fake approve new groups the way Upvest
// does, asynchronously: a group created through the API is
// PENDING_APPROVAL for d, then ACTIVE, with an ACCOUNT_GROUP.ACTIVATED
// event. Like [WithClosingDelay], d runs on the real clock, so that the
// events go out by themselves. With 0, the default, new groups are ACTIVE
// at once.
func WithApprovalDelay(d time.Duration) Option {
	return func(o *options) { o.approvalDelay = d }
}

// statusEvents are the webhook events announcing that a group reached a
// status.
var statusEvents = map[accountgroups.AccountGroupStatus]accountgroups.EventType{
	accountgroups.AccountGroupStatusActive:  accountgroups.EventTypeAccountGroupActivated,
	accountgroups.AccountGroupStatusLocked:  accountgroups.EventTypeAccountGroupLocked,
	accountgroups.AccountGroupStatusClosing: accountgroups.EventTypeAccountGroupClosingInitiated,
	accountgroups.AccountGroupStatusClosed:  accountgroups.EventTypeAccountGroupClosed,
}

// SetStatus moves the group to status, as Upvest does when it locks,
// unlocks or closes a group itself, and reports whether the group exists.
// updated_at changes and the matching event is sent (ACTIVATED, LOCKED,
// CLOSING_INITIATED or CLOSED), and the group moves on as one the API
// changed would: from CLOSING to CLOSED after the closing delay, from
// PENDING_APPROVAL to ACTIVE after the approval delay when
// [WithApprovalDelay] set one. Any status is accepted, unknown ones
// included, whatever the group's current one. ([Fake.AddAccountGroup], in
// contrast, stores a group as given and schedules nothing.)
func (f *Fake) SetStatus(id string, status accountgroups.AccountGroupStatus) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	g, ok := f.groups[id]
	if !ok {
		return false
	}
	f.setStatus(g, status)
	return true
}

// setStatus moves g to status, announces it and schedules what follows.
// f.mu is held.
func (f *Fake) setStatus(g *accountgroups.AccountGroup, status accountgroups.AccountGroupStatus) {
	g.Status = status
	g.UpdatedAt = f.now().UTC().Truncate(time.Second)
	if typ, ok := statusEvents[status]; ok {
		f.emit(typ, *g)
	}
	switch status {
	case accountgroups.AccountGroupStatusPendingApproval:
		f.awaitApproval(g.ID)
	case accountgroups.AccountGroupStatusClosing:
		id := g.ID
		time.AfterFunc(f.closingDelay, func() { f.finishClosing(id) })
	}
}

// newGroupStatus is the status of a group created through the API.
func (f *Fake) newGroupStatus() accountgroups.AccountGroupStatus {
	if f.approvalDelay > 0 {
		return accountgroups.AccountGroupStatusPendingApproval
	}
	return accountgroups.AccountGroupStatusActive
}

// awaitApproval schedules the activation of a PENDING_APPROVAL group when
// WithApprovalDelay asks for one.
func (f *Fake) awaitApproval(id string) {
	if f.approvalDelay > 0 {
		time.AfterFunc(f.approvalDelay, func() { f.activate(id) })
	}
}

// activate moves a PENDING_APPROVAL group to ACTIVE.
func (f *Fake) activate(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if g, ok := f.groups[id]; ok && g.Status == accountgroups.AccountGroupStatusPendingApproval {
		f.setStatus(g, accountgroups.AccountGroupStatusActive)
	}
}
