package paxos

// The bodies the package keeps unexported, under the names of the vendor's
// schemas, for the conformance tests in package paxos_test.
type (
	AddAccountMembersRequest  = addAccountMembersRequest
	AddAccountMembersResponse = addAccountMembersResponse
	ListAccountsResponse      = listAccountsResponse
)
