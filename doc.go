// Package accountkit is the root of a typed Go SDK for the account APIs of
// Paxos, SoftwareOne and Upvest. The clients are its subpackages:
//
//   - [github.com/accountkit/accountkit-go/paxos]: Paxos v2 Identity accounts
//     and their members, with read-modify-write helpers (AddMember,
//     RemoveMember, SetMemberRoles) over the full-list update endpoint.
//   - [github.com/accountkit/accountkit-go/marketplace]: SoftwareOne
//     Marketplace Platform accounts, with logos streamed in multipart
//     creates and updates.
//   - [github.com/accountkit/accountkit-go/accountgroups]: Upvest Investment
//     API account groups, with signed requests and webhook events.
//
// Every client shares one transport: OAuth2 or API-token auth with one token
// per lifetime, retries with capped exponential backoff and full jitter for
// requests that are safe to repeat, and one error model. A non-2xx answer is
// an [*APIError]; input the vendor documents as invalid is refused before
// anything is sent, with an error that wraps [ErrInvalidRequest].
//
// This package holds what the clients share: the error types, the per-call
// options a client's With method takes ([CallOption]), [Ptr] for the few
// model fields that are pointers, and the SDK's [Version].
package accountkit
