// Package paxos is a client for the accounts and account members of the
// Paxos v2 Identity API.
//
// Create a client for an environment with OAuth2 client credentials:
//
//	client, err := paxos.NewClient(paxos.Sandbox,
//		paxos.WithClientCredentials(os.Getenv("PAXOS_CLIENT_ID"), os.Getenv("PAXOS_CLIENT_SECRET")))
//
// One access token is fetched per token lifetime, however many goroutines
// use the client, and renewed shortly before it expires.
//
// # Members
//
// Paxos's update endpoint takes the complete members array: members left out
// are removed. [Client.AddMember], [Client.RemoveMember] and
// [Client.SetMemberRoles] read the account, change one member and write the
// whole array back. Calls for the same account through one Client are
// serialised, so concurrent callers never lose each other's members. Other
// processes, or other Clients, can still interleave between the read and the
// write; where that matters, use [Client.AddAccountMembers] and
// [Client.DeleteAccountMember], which change members on the server in one
// step.
//
// The update endpoint can add or remove only the FINANCIAL_ADVISOR and
// AUTHORIZED_USER roles, and needs at least one member. The helpers refuse
// anything else before sending, with an error that wraps
// [accountkit.ErrInvalidRequest] and names the call to use instead.
//
// # Errors and retries
//
// A non-2xx answer is an [*accountkit.APIError]. GET, PUT and DELETE requests
// are retried on 408, 429 and 5xx answers and on transport errors; a create
// is retried only when it carries a ref_id, Paxos's idempotency key (see
// [Client.CreateAccount]).
//
// # Unknown values
//
// Paxos adds enum values and fields without notice. Enum types such as
// [Role] and [SummaryStatus] are strings, so a value this SDK does not know
// decodes as it is; check it with the type's Valid method. Unknown fields are
// ignored.
//
// For tests, package paxostest serves an in-memory fake of the API.
package paxos
