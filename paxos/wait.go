package paxos

import (
	"context"
	"time"

	"github.com/accountkit/accountkit-go"
	"github.com/accountkit/accountkit-go/internal/poll"
)

// statusGraph is what summary_status can become next: the table
// WaitForStatus documents.
var statusGraph = poll.Graph[SummaryStatus]{
	SummaryStatusPending:  {SummaryStatusApproved, SummaryStatusDenied, SummaryStatusError, SummaryStatusDisabled},
	SummaryStatusApproved: {SummaryStatusDisabled},
	SummaryStatusDisabled: {SummaryStatusApproved, SummaryStatusPending},
	SummaryStatusDenied:   nil,
	SummaryStatusError:    nil,
}

// WithPollInterval spaces the reads of [Client.WaitForStatus]: the first
// wait is about first, each next one twice as long, up to maxWait
// (250ms and 10s by default); each wait is drawn at random between half
// its length and its length, so that many waiters spread out.
func WithPollInterval(first, maxWait time.Duration) Option {
	return func(s *settings) { s.poll = poll.Backoff{First: first, Max: maxWait} }
}

// WaitForStatus reads the account until its summary_status is one of want
// and returns it, waiting between reads with capped exponential backoff
// ([WithPollInterval]). Onboarding is asynchronous: a new account is
// PENDING until Paxos decides, APPROVED or DENIED.
//
// The wait ends early with an error wrapping
// [accountkit.ErrStatusUnreachable] when the account reaches a status from
// which none of want can follow, such as DENIED while APPROVED is wanted:
//
//	PENDING  -> APPROVED, DENIED, ERROR, DISABLED
//	APPROVED -> DISABLED
//	DISABLED -> APPROVED, PENDING (enabled again)
//	DENIED, ERROR: final
//
// Paxos documents no way out of ERROR, so it is taken as final. A status
// this SDK does not know (one newer than it) keeps the wait going, and so
// does a wanted status it does not know, unless the account is DENIED or
// in ERROR.
//
// When ctx ends first, the error wraps ctx's error (and its cause) and
// names the last status seen. With that error and with the unreachable
// one, the account as last read is returned too (nil if it never was). A
// failed read ends the wait with its error: a 404 is an
// *accountkit.APIError; failures worth retrying were retried already. An
// empty accountID or want is refused before any request, with an error
// wrapping [accountkit.ErrInvalidRequest].
func (c *Client) WaitForStatus(ctx context.Context, accountID string, want ...SummaryStatus) (*Account, error) {
	const op = "WaitForStatus"
	ctx, done, err := c.begin(ctx, op)
	if err != nil {
		return nil, err
	}
	defer done()
	if accountID == "" {
		return nil, invalid(op, "the account id is empty")
	}
	if len(want) == 0 {
		return nil, invalid(op, "no status to wait for; name one or more, such as %s", SummaryStatusApproved)
	}
	for _, s := range want {
		if s == "" {
			return nil, invalid(op, "an empty status is among those to wait for; name statuses such as %s", SummaryStatusApproved)
		}
	}
	w := poll.Wait[Account, SummaryStatus]{
		Pkg: "paxos", Op: op, Noun: "account", ID: accountID,
		Want:        want,
		Graph:       statusGraph,
		Backoff:     c.poll,
		Unreachable: accountkit.ErrStatusUnreachable,
		Read:        func(ctx context.Context) (*Account, error) { return c.api.getAccount(ctx, accountID) },
		Status:      func(a *Account) SummaryStatus { return a.SummaryStatus },
	}
	return w.Run(ctx)
}
