package paxostest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

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

// Mount the fake on your own mux, beside your own handlers, and check
// what your code sent.
func ExampleNew() {
	fake := paxostest.New()
	mux := http.NewServeMux()
	mux.Handle("/paxos/", http.StripPrefix("/paxos", fake))
	ts := httptest.NewServer(mux)
	defer ts.Close()

	client, err := fake.NewClientAt(ts.URL + "/paxos")
	if err != nil {
		log.Fatal(err)
	}
	account, err := client.CreateAccount(context.Background(), paxos.CreateAccountRequest{
		Account: paxos.Account{IdentityID: "owner", RefID: "customer-42"},
	})
	if err != nil {
		log.Fatal(err)
	}
	stored, _ := fake.Account(account.ID)
	fmt.Println(stored.RefID)

	sent := fake.Requests()[0]
	var body paxos.CreateAccountRequest
	_ = json.Unmarshal(sent.Body, &body)
	fmt.Println(sent.Method, sent.Path, sent.Status, body.Account.RefID)
	fmt.Println(sent.Header.Get("Authorization"))
	// Output:
	// customer-42
	// POST /identity/accounts 200 customer-42
	// Bearer REDACTED
}
