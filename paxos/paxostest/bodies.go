package paxostest

import "github.com/accountkit/accountkit-go/paxos"

// The envelopes below are bodies whose types package paxos keeps to itself:
// its methods take and return accounts and members, not these.

// accountPage is the answer of ListAccounts: one page of accounts.
type accountPage struct {
	Items          []paxos.Account `json:"items,omitempty"`
	NextPageCursor string          `json:"next_page_cursor,omitempty"`
}

// addMembersRequest is the body of AddAccountMembers.
type addMembersRequest struct {
	AccountID string                `json:"account_id"`
	Members   []paxos.AccountMember `json:"members"`
}

// addMembersAnswer is the answer of AddAccountMembers: the added members,
// with their new ids.
type addMembersAnswer struct {
	AccountID string                `json:"account_id,omitempty"`
	Members   []paxos.AccountMember `json:"members,omitempty"`
}
