// Package accountkittest holds what the SDK's in-memory fakes share with
// the tests that drive them: [Request], one request a fake received, and
// [Fault], a failure a fake can be told to answer with.
//
// The fakes themselves live beside the clients they serve:
// [github.com/accountkit/accountkit-go/paxos/paxostest],
// [github.com/accountkit/accountkit-go/marketplace/marketplacetest] and
// [github.com/accountkit/accountkit-go/accountgroups/accountgroupstest].
// Each names these types as its own (paxostest.Request, paxostest.Fault,
// ...), so a test rarely imports this package.
package accountkittest
