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
// whole array back, holding a lock per account from the read to the write.
// By default the lock is the process's, shared by every Client of the same
// environment, so concurrent callers in one process never lose each
// other's members. When several processes change the same accounts, give
// every Client a [Locker] they share with [WithMemberLocker], such as
// package github.com/accountkit/accountkit-go/pglock (PostgreSQL advisory
// locks); a lock the Locker reports lost fails the call before it writes
// ([ErrLockLost]). Writers outside the SDK take no lock: where they exist,
// use [Client.AddAccountMembers] and [Client.DeleteAccountMember], which
// change members on the server in one step and so never undo another
// writer's change (a read-modify-write that read the members before them
// can still undo theirs). DeleteAccountMember knows only the member's id,
// not its account, so it takes no member lock either: do not run it while
// a helper may be changing the same account.
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
// # Signed requests and rate limits
//
// Once Paxos enables request signing for an account, [WithRequestSigning]
// signs every attempt with a key registered in the dashboard (ECDSA P-256
// or Ed25519, any crypto.Signer): a Paxos-Signature JWS over the method,
// the path with its query string, and the body.
//
// Paxos allows 50 requests a second per endpoint and IP and throttles an
// IP that goes over for five minutes. The client keeps each endpoint
// within that by default, waiting its turn under the call's context;
// [WithRateLimit] sets another budget (a part of 50 per replica sharing an
// IP) or none.
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
