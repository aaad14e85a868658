package accountgroups

import (
	"context"
	"time"

	"github.com/accountkit/accountkit-go"
	"github.com/accountkit/accountkit-go/internal/poll"
)

// statusGraph is what an account group's status can become next: the
// table WaitForStatus documents.
var statusGraph = poll.Graph[AccountGroupStatus]{
	AccountGroupStatusPendingApproval: {AccountGroupStatusActive},
	AccountGroupStatusActive:          {AccountGroupStatusClosing, AccountGroupStatusLocked},
	AccountGroupStatusLocked:          {AccountGroupStatusActive, AccountGroupStatusClosing},
	AccountGroupStatusClosing:         {AccountGroupStatusClosed},
	AccountGroupStatusClosed:          nil,
}

// WithPollInterval spaces the reads of [Client.WaitForStatus]: the first
// wait is about first, each next one twice as long, up to maxWait
// (250ms and 10s by default); each wait is drawn at random between half
// its length and its length, so that many waiters spread out.
func WithPollInterval(first, maxWait time.Duration) Option {
	return func(s *settings) { s.poll = poll.Backoff{First: first, Max: maxWait} }
}

// WaitForStatus reads the account group until its status is one of want
// and returns it, waiting between reads with capped exponential backoff
// ([WithPollInterval]). Upvest approves new groups (PENDING_APPROVAL, then
// ACTIVE) and closes them ([Client.CloseAccountGroup]: CLOSING, then
// CLOSED) asynchronously.
//
// The wait ends early with an error wrapping
// [accountkit.ErrStatusUnreachable] when the group reaches a status from
// which none of want can follow, such as CLOSING or CLOSED while ACTIVE is
// wanted. What can follow what, from the statuses and webhook events
// Upvest documents (ACTIVATED, CLOSING_INITIATED, CLOSED, LOCKED):
//
//	PENDING_APPROVAL -> ACTIVE
//	ACTIVE           -> CLOSING, LOCKED
//	LOCKED           -> ACTIVE (unlocked), CLOSING
//	CLOSING          -> CLOSED
//	CLOSED: final
//
// Upvest documents no way back from CLOSING. A status this SDK does not
// know (one newer than it) keeps the wait going, and so does a wanted
// status it does not know, unless the group is CLOSED.
//
// When ctx ends first, the error wraps ctx's error (and its cause) and
// names the last status seen. With that error and with the unreachable
// one, the group as last read is returned too (nil if it never was). A
// failed read ends the wait with its error: a 404 is an
// *accountkit.APIError; failures worth retrying were retried already. An
// empty id or want is refused before any request, with an error wrapping
// [accountkit.ErrInvalidRequest].
func (c *Client) WaitForStatus(ctx context.Context, id string, want ...AccountGroupStatus) (*AccountGroup, error) {
	const op = "WaitForStatus"
	ctx, done, err := c.begin(ctx, op)
	if err != nil {
		return nil, err
	}
	defer done()
	if id == "" {
		return nil, invalid(op, "the account group id is empty")
	}
	if len(want) == 0 {
		return nil, invalid(op, "no status to wait for; name one or more, such as %s", AccountGroupStatusActive)
	}
	for _, s := range want {
		if s == "" {
			return nil, invalid(op, "an empty status is among those to wait for; name statuses such as %s", AccountGroupStatusActive)
		}
	}
	w := poll.Wait[AccountGroup, AccountGroupStatus]{
		Pkg: "accountgroups", Op: op, Noun: "account group", ID: id,
		Want:        want,
		Graph:       statusGraph,
		Backoff:     c.poll,
		Unreachable: accountkit.ErrStatusUnreachable,
		Read:        func(ctx context.Context) (*AccountGroup, error) { return c.api.getAccountGroup(ctx, id) },
		Status:      func(g *AccountGroup) AccountGroupStatus { return g.Status },
	}
	return w.Run(ctx)
}
