package marketplace

import (
	"context"
	"encoding/json"
	"io"
	"iter"
	"strings"

	"github.com/accountkit/accountkit-go/internal/transport"
)

// MaxPageSize is the largest page ListAccounts may ask for.
const MaxPageSize = 100

// GetAccount reads the account with the given id (ACC-1234-5678).
//
// The Marketplace leaves the account's audit trail and groups out unless
// asked for them: ask with a derived client,
// c.With(accountkit.WithQuery("select", "+audit,+groups")).
func (c *Client) GetAccount(ctx context.Context, id string) (*Account, error) {
	const op = "GetAccount"
	ctx, done, err := c.begin(ctx, op)
	if err != nil {
		return nil, err
	}
	defer done()
	account, err := c.api.getAccount(ctx, id, nil)
	if err != nil {
		return nil, opError(op, err)
	}
	return account, nil
}

// ListAccounts iterates over the accounts params select, fetching one page
// at a time as the loop asks for more and following $meta.pagination until
// every matching account has been seen. Breaking out of the loop stops
// fetching; a failed page ends the iteration with its error. params may be
// nil. RQL filters go in params.RQL verbatim, for example
// "eq(status,Active)"; Limit (at most 100) sets the page size and Offset
// where the listing starts.
//
//	for account, err := range client.ListAccounts(ctx, &marketplace.ListAccountsParams{RQL: "eq(type,Client)", Limit: 100}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(account.ID, account.Name)
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
		switch {
		case p.Limit < 0 || p.Limit > MaxPageSize:
			yield(nil, invalid(op, "limit %d is out of range: the API takes 1 to %d (0 for its default)", p.Limit, MaxPageSize))
			return
		case p.Offset < 0:
			yield(nil, invalid(op, "offset %d is negative", p.Offset))
			return
		case strings.ContainsAny(p.RQL, " #\t\r\n"):
			yield(nil, invalid(op, "the RQL filter %q holds spaces or '#': percent-encode them (%%20, %%23)", p.RQL))
			return
		}
		q := p // this range's own copy: each range starts at params' offset
		for {
			page, err := c.api.listAccounts(ctx, &q)
			if err != nil {
				yield(nil, opError(op, err))
				return
			}
			for i := range page.Data {
				if !yield(&page.Data[i], nil) {
					return
				}
			}
			next := q.Offset + len(page.Data)
			if len(page.Data) == 0 || next >= page.Meta.Pagination.Total {
				return
			}
			q.Offset = next
		}
	}
}

// CreateAccount creates an account, with a logo when logo is not nil, and
// returns it as the API stored it. account needs Name, Type and
// ServiceLevel; only the writable members are sent (see the package
// documentation). With a logo the body is multipart and the logo is
// streamed; without one it is JSON.
//
// CreateAccount is not retried after a failure: the API has no idempotency
// key for it, and a retry could create the account twice.
func (c *Client) CreateAccount(ctx context.Context, account *Account, logo *Logo) (*Account, error) {
	const op = "CreateAccount"
	ctx, done, err := c.begin(ctx, op)
	if err != nil {
		return nil, err
	}
	defer done()
	if account == nil {
		return nil, invalid(op, "account is nil")
	}
	if err := validateAccount(op, account, true); err != nil {
		return nil, err
	}
	if err := validateLogo(op, logo); err != nil {
		return nil, err
	}
	created, err := sendAccount(ctx, writable(account, true), logo,
		func(body accountInput) (*Account, error) { return c.api.createAccount(ctx, body) },
		func(contentType string, body io.Reader) (*Account, error) {
			return c.api.createAccountWithBody(ctx, contentType, body)
		})
	if err != nil {
		return nil, opError(op, err)
	}
	return created, nil
}

// UpdateAccount changes the account id, and its logo when logo is not nil,
// and returns the account as it is afterwards. account needs Name; only the
// writable members are sent, and Type is not (it is fixed at creation), so
// an account read with GetAccount can be modified and passed back. When
// account.ID is set it must be id.
//
// An update is retried after a failure like any PUT, except when its logo
// cannot be read again from the start (see [Logo]).
func (c *Client) UpdateAccount(ctx context.Context, id string, account *Account, logo *Logo) (*Account, error) {
	const op = "UpdateAccount"
	ctx, done, err := c.begin(ctx, op)
	if err != nil {
		return nil, err
	}
	defer done()
	switch {
	case id == "":
		return nil, invalid(op, "the account id is empty")
	case account == nil:
		return nil, invalid(op, "account is nil")
	case account.ID != "" && account.ID != id:
		return nil, invalid(op, "account.ID is %s but the id to update is %s; pass the same id, or leave account.ID empty", account.ID, id)
	}
	if err := validateAccount(op, account, false); err != nil {
		return nil, err
	}
	if err := validateLogo(op, logo); err != nil {
		return nil, err
	}
	updated, err := sendAccount(ctx, writable(account, false), logo,
		func(body accountInput) (*Account, error) { return c.api.updateAccount(ctx, id, body) },
		func(contentType string, body io.Reader) (*Account, error) {
			return c.api.updateAccountWithBody(ctx, id, contentType, body)
		})
	if err != nil {
		return nil, opError(op, err)
	}
	return updated, nil
}

// EnableAccount enables a disabled account.
func (c *Client) EnableAccount(ctx context.Context, id string) (*Account, error) {
	const op = "EnableAccount"
	ctx, done, err := c.begin(ctx, op)
	if err != nil {
		return nil, err
	}
	defer done()
	account, err := c.api.enableAccount(ctx, id)
	if err != nil {
		return nil, opError(op, err)
	}
	return account, nil
}

// DisableAccount disables an account.
func (c *Client) DisableAccount(ctx context.Context, id string) (*Account, error) {
	const op = "DisableAccount"
	ctx, done, err := c.begin(ctx, op)
	if err != nil {
		return nil, err
	}
	defer done()
	account, err := c.api.disableAccount(ctx, id)
	if err != nil {
		return nil, opError(op, err)
	}
	return account, nil
}

// ActivateAccount activates a new or enabled account. The API reads the
// account's name and externalId as stored: set them with UpdateAccount
// first.
func (c *Client) ActivateAccount(ctx context.Context, id string) (*Account, error) {
	const op = "ActivateAccount"
	ctx, done, err := c.begin(ctx, op)
	if err != nil {
		return nil, err
	}
	defer done()
	account, err := c.api.activateAccount(ctx, id)
	if err != nil {
		return nil, opError(op, err)
	}
	return account, nil
}

// writable is the part of account that create (with type) or update sends.
func writable(a *Account, create bool) accountInput {
	in := accountInput{
		Name:                  a.Name,
		ServiceLevel:          a.ServiceLevel,
		ExternalIDs:           a.ExternalIDs,
		ExternalID:            a.ExternalID,
		Address:               a.Address,
		TechnicalSupportEmail: a.TechnicalSupportEmail,
		Website:               a.Website,
		Description:           a.Description,
		Eligibility:           a.Eligibility,
	}
	if create {
		in.Type = a.Type
	}
	return in
}

// sendAccount sends input as JSON, or, with a logo, as a multipart body
// with the logo streamed after it.
func sendAccount(ctx context.Context, input accountInput, logo *Logo, sendJSON func(accountInput) (*Account, error), sendBody func(contentType string, body io.Reader) (*Account, error)) (*Account, error) {
	if logo == nil {
		return sendJSON(input)
	}
	if err := transport.CheckContext(ctx); err != nil {
		return nil, err
	}
	data, err := json.Marshal(input)
	if err != nil {
		return nil, err
	}
	body, err := newMultipartBody(ctx.Done(), data, logo)
	if err != nil {
		return nil, err
	}
	return sendBody(body.ContentType(), body)
}
