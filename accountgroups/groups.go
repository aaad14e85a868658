package accountgroups

import (
	"context"
	"errors"
	"iter"
	"net/http"

	"github.com/accountkit/accountkit-go"
	"github.com/accountkit/accountkit-go/internal/callopt"
	"github.com/accountkit/accountkit-go/internal/transport"
	"github.com/accountkit/accountkit-go/internal/uuid"
)

// MaxPageSize is the largest page the list calls may ask for.
const MaxPageSize = 1000

// GetAccountGroup reads the account group with the given id.
func (c *Client) GetAccountGroup(ctx context.Context, id string) (*AccountGroup, error) {
	const op = "GetAccountGroup"
	ctx, done, err := c.begin(ctx, op)
	if err != nil {
		return nil, err
	}
	defer done()
	group, err := c.api.getAccountGroup(ctx, id)
	if err != nil {
		return nil, opError(op, err)
	}
	return group, nil
}

// ListAccountGroups iterates over every account group, fetching one page at
// a time as the loop asks for more and following meta until total_count
// groups have been seen. Breaking out of the loop stops fetching; a failed
// page ends the iteration with its error. params may be nil; its Offset is
// where the listing starts and Limit (1 to 1000) the page size.
func (c *Client) ListAccountGroups(ctx context.Context, params *ListAccountGroupsParams) iter.Seq2[*AccountGroup, error] {
	const op = "ListAccountGroups"
	var p ListAccountGroupsParams
	if params != nil {
		p = *params
	}
	return c.paginate(ctx, op, p.Offset, p.Limit, p.Order, func(ctx context.Context, offset int32) (*accountGroupList, error) {
		q := p // each page's own copy: ranges and goroutines share p
		q.Offset = offset
		return c.api.listAccountGroups(ctx, &q)
	})
}

// ListUserAccountGroups iterates over one user's account groups like
// ListAccountGroups.
func (c *Client) ListUserAccountGroups(ctx context.Context, userID string, params *ListUserAccountGroupsParams) iter.Seq2[*AccountGroup, error] {
	const op = "ListUserAccountGroups"
	var p ListUserAccountGroupsParams
	if params != nil {
		p = *params
	}
	return c.paginate(ctx, op, p.Offset, p.Limit, p.Order, func(ctx context.Context, offset int32) (*accountGroupList, error) {
		q := p // each page's own copy: ranges and goroutines share p
		q.Offset = offset
		return c.api.listUserAccountGroups(ctx, userID, &q)
	})
}

// paginate walks offset pages from start, as the call op made with ctx:
// fetch returns the page at an offset. Each range of the iterator starts
// at start again.
func (c *Client) paginate(ctx context.Context, op string, start, limit int32, order SortOrder, fetch func(ctx context.Context, offset int32) (*accountGroupList, error)) iter.Seq2[*AccountGroup, error] {
	return func(yield func(*AccountGroup, error) bool) {
		ctx, done, err := c.begin(ctx, op)
		if err != nil {
			yield(nil, err)
			return
		}
		defer done()
		offset := start
		switch {
		case limit < 0 || limit > MaxPageSize:
			yield(nil, invalid(op, "limit %d is out of range: the API takes 1 to %d (0 for its default of 100)", limit, MaxPageSize))
			return
		case offset < 0:
			yield(nil, invalid(op, "offset %d is negative", offset))
			return
		case order != "" && order != SortOrderAsc && order != SortOrderDesc:
			yield(nil, invalid(op, "order %q is neither %s nor %s", order, SortOrderAsc, SortOrderDesc))
			return
		}
		for {
			page, err := fetch(ctx, offset)
			if err != nil {
				yield(nil, opError(op, err))
				return
			}
			for i := range page.Data {
				if !yield(&page.Data[i], nil) {
					return
				}
			}
			offset += int32(len(page.Data))
			if len(page.Data) == 0 || int(offset) >= page.Meta.TotalCount {
				return
			}
		}
	}
}

// CreateAccountGroup opens an account group of the given type for a user
// and returns it. The request carries an idempotency-key: a random version
// 4 UUID, or the one given with [accountkit.WithIdempotencyKey]. It is
// retried on failures like a GET, with the same key, so it opens at most
// one group. Upvest answers a repeated key with the first request's
// answer, so repeating the create with the same key after a crash or a
// timeout cannot open a second group either:
//
//	key := accountkit.NewIdempotencyKey() // stored before the first try
//	group, err := client.With(accountkit.WithIdempotencyKey(key)).CreateAccountGroup(ctx, userID, groupType)
func (c *Client) CreateAccountGroup(ctx context.Context, userID string, groupType AccountGroupType) (*AccountGroup, error) {
	const op = "CreateAccountGroup"
	ctx, done, err := c.begin(ctx, op)
	if err != nil {
		return nil, err
	}
	defer done()
	switch {
	case userID == "":
		return nil, invalid(op, "the user id is empty")
	case !uuid.Valid(userID):
		return nil, invalid(op, "user id %q is not a UUID; pass the id Upvest gave the user", userID)
	case groupType == "":
		return nil, invalid(op, "the account group type is empty; use one such as %s", AccountGroupTypePersonal)
	}
	key := uuid.New()
	if opts := callopt.Options(ctx); opts != nil && opts.IdempotencyKey != "" {
		key = opts.IdempotencyKey // checked by WithIdempotencyKey
	}
	group, err := c.api.createAccountGroup(ctx, &createAccountGroupParams{IdempotencyKey: key},
		createAccountGroupRequest{UserID: userID, Type: groupType})
	if err != nil {
		return nil, opError(op, err)
	}
	return group, nil
}

// CloseAccountGroup starts closing an account group: Upvest answers 202 and
// closes it asynchronously (CLOSING, then CLOSED, each announced by a
// webhook event). With notificationOnly it only announces a closure planned
// for later. A group whose state forbids closing is an *accountkit.APIError
// with status 409.
//
// Closing is retried on failures like any DELETE. When a retry meets a 409
// after an earlier try that may have been carried out (its connection
// failed once the request was sent, or it was answered 5xx) and the group
// is CLOSING or CLOSED now, CloseAccountGroup returns nil.
func (c *Client) CloseAccountGroup(ctx context.Context, id string, reason ClosureReason, notificationOnly bool) error {
	const op = "CloseAccountGroup"
	ctx, done, err := c.begin(ctx, op)
	if err != nil {
		return err
	}
	defer done()
	if reason == "" {
		return invalid(op, "no closure reason; use one such as %s", ClosureReasonUserInitiated)
	}
	err = c.api.closeAccountGroup(ctx, id, &closeAccountGroupParams{ClosureReason: reason, NotificationOnly: notificationOnly})
	if err == nil {
		return nil
	}
	var apiErr *accountkit.APIError
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusConflict && transport.MayHaveApplied(err) && !notificationOnly {
		if g, gerr := c.api.getAccountGroup(ctx, id); gerr == nil && (g.Status == AccountGroupStatusClosing || g.Status == AccountGroupStatusClosed) {
			return nil
		}
	}
	return opError(op, err)
}
