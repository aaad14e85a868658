package paxostest_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"

	"github.com/accountkit/accountkit-go"
	"github.com/accountkit/accountkit-go/paxos"
	"github.com/accountkit/accountkit-go/paxos/paxostest"
)

// Test code that uses a paxos.Client against the fake, including how it
// copes with a failing API.
func Example() {
	srv := paxostest.NewServer()
	defer srv.Close()
	account := srv.AddAccount(paxos.Account{IdentityID: "owner"})

	client, err := srv.NewClient(paxos.WithMaxRetries(0))
	if err != nil {
		log.Fatal(err)
	}

	srv.InjectFault(paxostest.Fault{Method: http.MethodGet, Status: http.StatusServiceUnavailable})
	_, err = client.GetAccount(context.Background(), account.ID)
	var apiErr *accountkit.APIError
	fmt.Println(errors.As(err, &apiErr), apiErr.StatusCode)

	got, err := client.GetAccount(context.Background(), account.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(got.IdentityID, len(srv.Requests()), srv.TokensIssued())
	// Output:
	// true 503
	// owner 2 1
}
