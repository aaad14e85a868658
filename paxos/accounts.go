package paxos

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"

	"github.com/accountkit/accountkit-go"
	"github.com/accountkit/accountkit-go/internal/transport"
)

// GetAccount reads the account with the given id.
func (c *Client) GetAccount(ctx context.Context, id string) (*Account, error) {
	const op = "GetAccount"
	ctx, done, err := c.begin(ctx, op)
	if err != nil {
		return nil, err
	}
	defer done()
	return c.getAccount(ctx, op, id)
}

func (c *Client) getAccount(ctx context.Context, op, id string) (*Account, error) {
	account, err := c.api.getAccount(ctx, id)
	if err != nil {
		return nil, opError(op, err)
	}
	return account, nil
}

// ListAccounts iterates over the accounts that params select, fetching one
// page at a time as the loop asks for more and following next_page_cursor
// until the last page. Breaking out of the loop stops fetching. A failed
// page ends the iteration with its error. params may be nil; its PageCursor,
// when set, is where the listing starts.
//
//	for account, err := range client.ListAccounts(ctx, &paxos.ListAccountsParams{Limit: 100}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(account.ID)
//	}
func (c *Client) ListAccounts(ctx context.Context, params *ListAccountsParams) iter.Seq2[*Account, error] {
	const op = "ListAccounts"
	var p ListAccountsParams
	if params != nil {
		p = *params
	}
	return func(yield func(*Account, error) bool) {
		ctx, done, err := c.begin(ctx, op)
		if err != nil {
			yield(nil, err)
			return
		}
		defer done()
		if p.Limit < 0 {
			yield(nil, invalid(op, "limit %d is negative; leave it 0 for the server's default", p.Limit))
			return
		}
		page := p
		for {
			resp, err := c.api.listAccounts(ctx, &page)
			if err != nil {
				yield(nil, opError(op, err))
				return
			}
			for i := range resp.Items {
				if !yield(&resp.Items[i], nil) {
					return
				}
			}
			next := resp.NextPageCursor
			if next == "" {
				return
			}
			if next == page.PageCursor {
				yield(nil, opError(op, fmt.Errorf("the server returned the same page cursor %q twice", next)))
				return
			}
			page.PageCursor = next
		}
	}
}

// CreateAccount opens an account for req.Account.IdentityID, which becomes
// its primary owner. Only IdentityID, Description, Metadata, RefID and
// Members may be set (Paxos forbids every other field on create, Type
// included); members carry an identity id and roles, never an id.
//
// Creating is retried after a failure only when req.Account.RefID is set:
// Paxos refuses a second account with the same ref_id, which makes the
// retry safe. When a retry is answered 409 after an earlier try that may
// have created the account (its connection failed once the request was
// sent, or it was answered 5xx), and the existing account Paxos names has
// this ref_id and identity, CreateAccount returns that account. Any other
// 409 means the ref_id was used before; [ExistingAccount] reads the
// account from that error.
func (c *Client) CreateAccount(ctx context.Context, req CreateAccountRequest) (*Account, error) {
	const op = "CreateAccount"
	ctx, done, err := c.begin(ctx, op)
	if err != nil {
		return nil, err
	}
	defer done()
	if err := validateCreate(op, &req.Account); err != nil {
		return nil, err
	}
	if req.Account.RefID != "" {
		ctx = transport.WithRetryable(ctx)
	}
	account, err := c.api.createAccount(ctx, req)
	if err != nil {
		var apiErr *accountkit.APIError
		if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusConflict && transport.MayHaveApplied(err) {
			if existing, ok := ExistingAccount(err); ok && existing.RefID == req.Account.RefID && existing.IdentityID == req.Account.IdentityID {
				return existing, nil
			}
		}
		return nil, opError(op, err)
	}
	return account, nil
}

// ExistingAccount returns the account a 409 answer names in meta.existing:
// the account that already holds the ref_id a create asked for.
func ExistingAccount(err error) (*Account, bool) {
	var apiErr *accountkit.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusConflict || len(apiErr.Meta) == 0 {
		return nil, false
	}
	var meta struct {
		Existing *Account `json:"existing"`
	}
	if json.Unmarshal(apiErr.Meta, &meta) != nil || meta.Existing == nil || meta.Existing.ID == "" {
		return nil, false
	}
	return meta.Existing, true
}

// UpdateAccount changes the account req.Account.ID. Only the fields Paxos
// lets an update change are sent: Description, RefID and Metadata when set
// (Metadata replaces the stored map), Members when not nil (the complete
// list: members left out are removed; each is sent as identity id and
// roles), and SetUserDisabled when not nil. Read-only fields such as
// CreatedAt, and member ids, are left out, so an account read with
// GetAccount can be changed and passed back as it is.
//
// The update endpoint can add or remove only the FINANCIAL_ADVISOR and
// AUTHORIZED_USER roles and needs at least one member; prefer AddMember,
// RemoveMember and SetMemberRoles, which check those rules against the
// current members. It takes the account's member lock (see
// WithMemberLocker), so it never lands between their read and write.
func (c *Client) UpdateAccount(ctx context.Context, req UpdateAccountRequest) (*Account, error) {
	const op = "UpdateAccount"
	ctx, done, err := c.begin(ctx, op)
	if err != nil {
		return nil, err
	}
	defer done()
	if err := validateUpdate(op, &req); err != nil {
		return nil, err
	}
	return c.lockedUpdate(ctx, op, req)
}

// lockedUpdate sends req under the account's member lock, so that it never
// lands between a member helper's read and write, and never after a Locker
// reported the lock lost (the write is then cut off, retries included).
func (c *Client) lockedUpdate(ctx context.Context, op string, req UpdateAccountRequest) (*Account, error) {
	held, unlock, err := c.locks.hold(ctx, req.Account.ID)
	if err != nil {
		return nil, opError(op, err)
	}
	defer unlock()
	if err := lost(ctx, held); err != nil {
		return nil, opError(op, err)
	}
	account, err := c.updateAccount(held, op, req)
	if err != nil {
		return nil, lostOr(op, ctx, held, err)
	}
	return account, nil
}

// updateAccount sends the writable part of req; the caller holds the
// account's lock and has validated req.
func (c *Client) updateAccount(ctx context.Context, op string, req UpdateAccountRequest) (*Account, error) {
	body := UpdateAccountRequest{
		Account: Account{
			ID:          req.Account.ID,
			Description: req.Account.Description,
			RefID:       req.Account.RefID,
			Metadata:    req.Account.Metadata,
			Members:     writableMembers(req.Account.Members),
		},
		SetUserDisabled: req.SetUserDisabled,
	}
	account, err := c.api.updateAccount(ctx, body)
	if err != nil {
		return nil, opError(op, err)
	}
	return account, nil
}

// DisableAccount disables the account (set_user_disabled: true), limiting
// what it can be used for on the Paxos platform until EnableAccount.
func (c *Client) DisableAccount(ctx context.Context, accountID string) (*Account, error) {
	return c.setDisabled(ctx, "DisableAccount", accountID, true)
}

// EnableAccount enables an account that DisableAccount disabled
// (set_user_disabled: false). An account disabled by Paxos
// (AdminDisabled) stays disabled.
func (c *Client) EnableAccount(ctx context.Context, accountID string) (*Account, error) {
	return c.setDisabled(ctx, "EnableAccount", accountID, false)
}

func (c *Client) setDisabled(ctx context.Context, op, accountID string, disabled bool) (*Account, error) {
	ctx, done, err := c.begin(ctx, op)
	if err != nil {
		return nil, err
	}
	defer done()
	if accountID == "" {
		return nil, invalid(op, "the account id is empty")
	}
	return c.lockedUpdate(ctx, op, UpdateAccountRequest{Account: Account{ID: accountID}, SetUserDisabled: &disabled})
}
