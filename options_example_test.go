package accountkit_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"strings"
	"time"

	"github.com/accountkit/accountkit-go"
	"github.com/accountkit/accountkit-go/accountgroups"
	"github.com/accountkit/accountkit-go/accountgroups/accountgroupstest"
	"github.com/accountkit/accountkit-go/marketplace"
	"github.com/accountkit/accountkit-go/marketplace/marketplacetest"
	"github.com/accountkit/accountkit-go/paxos"
	"github.com/accountkit/accountkit-go/paxos/paxostest"
)

// WithResponse hands back the vendor's request id, for a support ticket,
// whether the call succeeded or not.
func ExampleWithResponse() {
	srv := paxostest.NewServer()
	defer srv.Close()
	client, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}

	var resp accountkit.Response
	_, err = client.With(accountkit.WithResponse(&resp)).GetAccount(context.Background(), "no-such-account")
	var apiErr *accountkit.APIError
	fmt.Println(errors.As(err, &apiErr), resp.StatusCode, resp.Attempts)
	fmt.Println(strings.HasPrefix(resp.RequestID, "paxostest-"), resp.RequestID == apiErr.RequestID)
	// Output:
	// true 404 1
	// true true
}

// WithQuery adds a query parameter: here the Marketplace's select, which
// asks for the account's audit trail, left out of answers otherwise.
func ExampleWithQuery() {
	srv := marketplacetest.NewServer()
	defer srv.Close()
	client, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	a := srv.AddAccount(marketplace.Account{Name: "Example Ltd", Type: marketplace.AccountTypeClient})

	account, err := client.With(accountkit.WithQuery("select", "+audit")).GetAccount(context.Background(), a.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(account.Audit.Created.By.Name)
	// Output: marketplacetest
}

// WithTimeout bounds the whole call: AddMember's read and write together,
// retries and waits included.
func ExampleWithTimeout() {
	srv := paxostest.NewServer()
	defer srv.Close()
	client, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	a := srv.AddAccount(paxos.Account{IdentityID: "owner"})
	srv.SetLatency(100 * time.Millisecond) // each request takes 100ms

	_, err = client.With(accountkit.WithTimeout(50*time.Millisecond)).AddMember(context.Background(), a.ID, paxos.AccountMember{
		IdentityID: "bob",
		Roles:      []paxos.Role{paxos.RoleAuthorizedUser},
	})
	fmt.Println(errors.Is(err, context.DeadlineExceeded))
	// Output: true
}

// WithMaxRetries(0) makes one call fail at once where the client would
// retry.
func ExampleWithMaxRetries() {
	srv := paxostest.NewServer()
	defer srv.Close()
	client, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	a := srv.AddAccount(paxos.Account{IdentityID: "owner"})
	srv.InjectFault(paxostest.Fault{Method: http.MethodGet, Status: http.StatusServiceUnavailable, Times: 1})

	_, err = client.With(accountkit.WithMaxRetries(0)).GetAccount(context.Background(), a.ID)
	fmt.Println(err != nil)
	// Output: true
}

// WithIdempotencyKey makes an Upvest create safe to repeat, even from
// another process after a crash, as long as the key was stored first.
func ExampleWithIdempotencyKey() {
	srv := accountgroupstest.NewServer()
	defer srv.Close()
	client, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	const userID = "413715f2-5401-4b97-8055-034a6b879f8c"

	key := accountkit.NewIdempotencyKey() // store it with the work to do
	keyed := client.With(accountkit.WithIdempotencyKey(key))
	first, err := keyed.CreateAccountGroup(context.Background(), userID, accountgroups.AccountGroupTypePersonal)
	if err != nil {
		log.Fatal(err)
	}
	again, err := keyed.CreateAccountGroup(context.Background(), userID, accountgroups.AccountGroupTypePersonal)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(first.ID == again.ID)
	// Output: true
}

// namingTransport prints the operation each request belongs to, as a
// tracing transport would name its spans.
type namingTransport struct{ next http.RoundTripper }

func (t namingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	fmt.Println(r.Method, accountkit.OperationName(r.Context()))
	return t.next.RoundTrip(r)
}

// OperationName names each request after the SDK call it belongs to; a
// helper's requests all carry the helper's name. With OpenTelemetry:
//
//	hc := &http.Client{Transport: otelhttp.NewTransport(http.DefaultTransport,
//		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string {
//			return accountkit.OperationName(r.Context())
//		}))}
//	client, err := paxos.NewClient(paxos.Production, paxos.WithHTTPClient(hc), ...)
func ExampleOperationName() {
	srv := paxostest.NewServer()
	defer srv.Close()
	client, err := srv.NewClient(paxos.WithHTTPClient(&http.Client{Transport: namingTransport{http.DefaultTransport}}))
	if err != nil {
		log.Fatal(err)
	}
	a := srv.AddAccount(paxos.Account{IdentityID: "owner"})

	_, err = client.AddMember(context.Background(), a.ID, paxos.AccountMember{
		IdentityID: "bob",
		Roles:      []paxos.Role{paxos.RoleAuthorizedUser},
	})
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// POST paxos.FetchToken
	// GET paxos.AddMember
	// PUT paxos.AddMember
}
