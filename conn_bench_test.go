package accountkit_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/accountkit/accountkit-go/internal/baseline"
	"github.com/accountkit/accountkit-go/paxos"
	"github.com/accountkit/accountkit-go/paxos/paxostest"
)

// The load BenchmarkConnReuse puts on each client: loadCalls reads in all,
// from loadGoroutines goroutines started together.
const (
	loadGoroutines = 64
	loadCalls      = 3200
)

// BenchmarkConnReuse makes 3,200 Paxos GetAccount calls from 64 goroutines
// per iteration, against a fresh loopback fake served over HTTP/1.1, and
// reports how many TCP connections the fake accepted for them (conns/op)
// and the calls per second. Each iteration starts cold, with a new server
// and client, so conns/op is the same measure at any -benchtime.
// Allocations count the client and the fake together.
//
// old-default is the *http.Client every client used to default to
// (http.DefaultTransport, which keeps 2 idle connections per host);
// sdk-default is whatever a client gets with no WithHTTPClient today. The
// baselines are the hand-written net/http + encoding/json client over the
// same old default, and over a transport that keeps 64 idle connections
// per host.
func BenchmarkConnReuse(b *testing.B) {
	token := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: baseline.Token, TokenType: "Bearer"})
	sdk := func(opts ...paxos.Option) caller {
		return func(b *testing.B, env paxos.Environment, id string) func(context.Context) error {
			// No client-side rate limit: the load is 3,200 calls as fast as
			// the connections allow, not Paxos's 50 a second.
			c, err := paxos.NewClient(env, append([]paxos.Option{paxos.WithTokenSource(token), paxos.WithRateLimit(0, 0)}, opts...)...)
			if err != nil {
				b.Fatal(err)
			}
			return func(ctx context.Context) error { _, err := c.GetAccount(ctx, id); return err }
		}
	}
	hand := func(hc *http.Client) caller {
		return func(b *testing.B, env paxos.Environment, id string) func(context.Context) error {
			url := env.BaseURL + "/identity/accounts/" + id
			return func(ctx context.Context) error {
				var a paxos.Account
				return baseline.GetJSON(ctx, hc, url, "Bearer "+baseline.Token, &a)
			}
		}
	}
	tuned := http.DefaultTransport.(*http.Transport).Clone()
	tuned.MaxIdleConnsPerHost = loadGoroutines
	defer tuned.CloseIdleConnections()

	b.Run("old-default", func(b *testing.B) {
		connLoad(b, sdk(paxos.WithHTTPClient(&http.Client{Timeout: 60 * time.Second})))
	})
	b.Run("sdk-default", func(b *testing.B) { connLoad(b, sdk()) })
	b.Run("baseline-old-default", func(b *testing.B) {
		connLoad(b, hand(&http.Client{Timeout: 60 * time.Second}))
	})
	b.Run("baseline-64-idle", func(b *testing.B) {
		connLoad(b, hand(&http.Client{Timeout: 60 * time.Second, Transport: tuned}))
	})
}

// caller returns the call a load makes: one GetAccount of the account id
// from the fake at env.
type caller func(b *testing.B, env paxos.Environment, id string) func(context.Context) error

// connLoad runs b.N loads, each against a new fake whose server counts the
// connections it accepts, through the call newCall makes for it.
func connLoad(b *testing.B, newCall caller) {
	b.ReportAllocs()
	var conns int64
	for range b.N {
		b.StopTimer()
		fake := paxostest.New()
		fake.AddToken(baseline.Token)
		a := fake.AddAccount(paxos.Account{IdentityID: "owner", Description: "under load"})
		var opened atomic.Int64
		srv := httptest.NewUnstartedServer(fake)
		srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
			if s == http.StateNew {
				opened.Add(1)
			}
		}
		srv.Start()
		call := newCall(b, fake.EnvironmentAt(srv.URL), a.ID)
		b.StartTimer()

		load(b, call)

		b.StopTimer()
		srv.Close()
		conns += opened.Load()
		b.StartTimer()
	}
	b.ReportMetric(float64(conns)/float64(b.N), "conns/op")
	b.ReportMetric(float64(loadCalls*b.N)/b.Elapsed().Seconds(), "calls/s")
}

// load makes loadCalls calls from loadGoroutines goroutines started
// together.
func load(b *testing.B, call func(context.Context) error) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range loadGoroutines {
		wg.Go(func() {
			<-start
			for range loadCalls / loadGoroutines {
				if err := call(b.Context()); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	close(start)
	wg.Wait()
}
