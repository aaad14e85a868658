// Package accountkit is the root of a typed Go SDK for three account APIs
// that fintech teams integrate:
//
//   - [github.com/accountkit/accountkit-go/paxos]: Paxos v2 Identity accounts
//     and their members, with read-modify-write helpers (AddMember,
//     RemoveMember, SetMemberRoles) over the full-list update endpoint.
//   - github.com/accountkit/accountkit-go/marketplace: SoftwareOne
//     Marketplace Platform accounts.
//   - github.com/accountkit/accountkit-go/accountgroups: Upvest Investment
//     API account groups.
//
// Every client shares one transport: OAuth2 or API-token auth with one token
// per lifetime, retries with capped exponential backoff and full jitter for
// requests that are safe to repeat, and one error model. A non-2xx answer is
// an [*APIError]; input the vendor documents as invalid is refused before
// anything is sent, with an error that wraps [ErrInvalidRequest].
//
// This package holds only what the clients share: the error types and the
// SDK version.
package accountkit
