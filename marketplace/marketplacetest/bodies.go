package marketplacetest

import "github.com/accountkit/accountkit-go/marketplace"

// The envelopes below are bodies whose types package marketplace keeps to
// itself: its methods return accounts, not these.

// accountPage is the answer of ListAccounts: one page of accounts.
type accountPage struct {
	Meta listMeta              `json:"$meta,omitempty,omitzero"`
	Data []marketplace.Account `json:"data,omitempty,omitzero"`
}

// listMeta is the $meta of a page.
type listMeta struct {
	Omitted    []string   `json:"omitted,omitempty,omitzero"`
	Pagination pagination `json:"pagination,omitempty,omitzero"`
}

// pagination is where a page sits in the whole list.
type pagination struct {
	Limit  int `json:"limit,omitempty,omitzero"`
	Offset int `json:"offset,omitempty,omitzero"`
	Total  int `json:"total,omitempty,omitzero"`
}
