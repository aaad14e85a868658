package accountgroups_test

import (
	"context"
	"testing"
	"time"

	"github.com/accountkit/accountkit-go/accountgroups"
	"github.com/accountkit/accountkit-go/accountgroups/accountgroupstest"
)

const userID = "413715f2-5401-4b97-8055-034a6b879f8c"

func newFake(t *testing.T, srvOpts []accountgroupstest.Option, opts ...accountgroups.Option) (*accountgroupstest.Server, *accountgroups.Client) {
	t.Helper()
	srv := accountgroupstest.NewServer(srvOpts...)
	t.Cleanup(srv.Close)
	opts = append([]accountgroups.Option{accountgroups.WithRetryBackoff(time.Millisecond, 5*time.Millisecond)}, opts...)
	c, err := srv.NewClient(opts...)
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func countMethod(srv *accountgroupstest.Server, method string) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Method == method {
			n++
		}
	}
	return n
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s", what)
		case <-time.After(5 * time.Millisecond):
		}
	}
}
