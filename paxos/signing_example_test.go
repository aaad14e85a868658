package paxos_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"fmt"
	"log"

	"github.com/accountkit/accountkit-go/paxos"
	"github.com/accountkit/accountkit-go/paxos/paxostest"
)

// Once Paxos enables request signing for an account, every request must
// carry a signature made with the key registered in the dashboard. Here
// the fake plays Paxos and requires it.
func ExampleWithRequestSigning() {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader) // in production: paxos.LoadPrivateKey, or a KMS key
	if err != nil {
		log.Fatal(err)
	}
	srv := paxostest.NewServer(paxostest.WithRequestSigning("key-from-the-dashboard", key.Public()))
	defer srv.Close()

	client, err := paxos.NewClient(srv.Environment(),
		paxos.WithClientCredentials(paxostest.ClientID, paxostest.ClientSecret),
		paxos.WithRequestSigning("key-from-the-dashboard", key))
	if err != nil {
		log.Fatal(err)
	}
	account, err := client.CreateAccount(context.Background(), paxos.CreateAccountRequest{Account: paxos.Account{IdentityID: "owner"}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(account.SummaryStatus, len(srv.Requests()[0].Header.Get(paxos.HeaderSignature)) > 0)
	// Output: PENDING true
}

// Four replicas behind one egress IP share Paxos's 50 requests a second
// per endpoint: each takes a quarter.
func ExampleWithRateLimit() {
	const replicas = 4
	client, err := paxos.NewClient(paxos.Sandbox,
		paxos.WithClientCredentials("client-id", "client-secret"),
		paxos.WithRateLimit(paxos.DefaultRateLimit/float64(replicas), 1))
	if err != nil {
		log.Fatal(err)
	}
	_ = client
	// Output:
}
