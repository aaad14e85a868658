// Package fakeapi holds what the SDK's in-memory fakes (paxostest,
// marketplacetest, accountgroupstest) share, so that each fake supplies
// only its API and its error format:
//
//   - [Harness]: injected faults, latency, request ids and the request log
//     (with credentials redacted);
//   - [Tokens]: an OAuth2 client-credentials token endpoint and the bearer
//     tokens it issued, checked by scope on a clock;
//   - JSON answers and bodies ([WriteJSON], [DecodeJSON]), integer
//     parameters ([Int]) and pages ([Page]);
//   - [Start], which serves a handler on a loopback address.
package fakeapi
