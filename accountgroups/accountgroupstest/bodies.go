package accountgroupstest

import "github.com/accountkit/accountkit-go/accountgroups"

// The bodies below have types that package accountgroups keeps to itself:
// its methods take arguments and return account groups, not these.

// createRequest is the body of CreateAccountGroup.
type createRequest struct {
	Type   accountgroups.AccountGroupType `json:"type"`
	UserID string                         `json:"user_id"`
}

// groupPage is the answer of ListAccountGroups and ListUserAccountGroups:
// one page of account groups. The vendor's schema requires both members,
// so an empty page still carries "data": [] (Data must then be an empty,
// non-nil slice).
type groupPage struct {
	Data []accountgroups.AccountGroup `json:"data"`
	Meta listMeta                     `json:"meta"`
}

// listMeta is where a page sits in the whole list.
type listMeta struct {
	Count      int                     `json:"count"`
	Limit      int                     `json:"limit"`
	Offset     int                     `json:"offset"`
	Order      accountgroups.SortOrder `json:"order,omitempty,omitzero"`
	Sort       string                  `json:"sort,omitempty,omitzero"`
	TotalCount int                     `json:"total_count"`
}

// webhookBatch is the body of a webhook delivery: events in the order they
// happened.
type webhookBatch struct {
	Payload []accountgroups.Event `json:"payload,omitempty,omitzero"`
}
