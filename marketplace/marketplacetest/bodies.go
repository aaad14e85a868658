package marketplacetest

import "github.com/accountkit/accountkit-go/marketplace"

// The envelopes below are bodies whose types package marketplace keeps to
// itself: its methods return accounts, not these.

// accountPage is the answer of ListAccounts: one page of accounts. data
// and the whole of $meta.pagination are always sent, data as [] on an
// empty page, as the vendor documents the shape
// {data: [...], $meta: {pagination: {total, limit, offset}}}.
type accountPage struct {
	Meta listMeta              `json:"$meta"`
	Data []marketplace.Account `json:"data"`
}

// listMeta is the $meta of a page.
type listMeta struct {
	Omitted    []string   `json:"omitted,omitempty,omitzero"`
	Pagination pagination `json:"pagination"`
}

// pagination is where a page sits in the whole list.
type pagination struct {
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
	Total  int `json:"total"`
}
