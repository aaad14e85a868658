package paxos_test

import (
	"testing"
	"time"

	"github.com/accountkit/accountkit-go/paxos"
	"github.com/accountkit/accountkit-go/paxos/paxostest"
)

// newFake starts a fake and a client for it with millisecond backoff.
func newFake(t *testing.T, opts ...paxos.Option) (*paxostest.Server, *paxos.Client) {
	t.Helper()
	srv := paxostest.NewServer()
	t.Cleanup(srv.Close)
	opts = append([]paxos.Option{paxos.WithRetryBackoff(time.Millisecond, 5*time.Millisecond)}, opts...)
	c, err := srv.NewClient(opts...)
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

// countRequests counts the fake's requests with the given method.
func countRequests(srv *paxostest.Server, method string) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Method == method {
			n++
		}
	}
	return n
}

func roles(rs ...paxos.Role) []paxos.Role { return rs }
