package paxos_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/accountkit/accountkit-go"
	"github.com/accountkit/accountkit-go/paxos"
	"github.com/accountkit/accountkit-go/paxos/paxostest"
)

func ExampleClient_WaitForStatus() {
	// The fake approves new accounts after a delay, as Paxos's onboarding
	// does.
	srv := paxostest.NewServer(paxostest.WithApprovalDelay(20 * time.Millisecond))
	defer srv.Close()
	client, err := srv.NewClient(paxos.WithPollInterval(10*time.Millisecond, time.Second))
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	account, err := client.CreateAccount(ctx, paxos.CreateAccountRequest{Account: paxos.Account{IdentityID: "owner"}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(account.SummaryStatus)

	account, err = client.WaitForStatus(ctx, account.ID, paxos.SummaryStatusApproved)
	if errors.Is(err, accountkit.ErrStatusUnreachable) {
		fmt.Println("not approved:", account.SummaryStatus) // DENIED or ERROR
		return
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(account.SummaryStatus)
	// Output:
	// PENDING
	// APPROVED
}

func ExampleClient_WaitForStatus_denied() {
	srv := paxostest.NewServer(paxostest.WithDeterministicIDs())
	defer srv.Close()
	client, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	account := srv.AddAccount(paxos.Account{IdentityID: "owner"})
	srv.SetSummaryStatus(account.ID, paxos.SummaryStatusDenied) // as Paxos's onboarding would

	// DENIED is final: the wait ends at once instead of running until the
	// context ends.
	_, err = client.WaitForStatus(context.Background(), account.ID, paxos.SummaryStatusApproved)
	fmt.Println(errors.Is(err, accountkit.ErrStatusUnreachable))
	fmt.Println(err)
	// Output:
	// true
	// paxos: WaitForStatus: status unreachable: account 00000000-0000-4000-8000-000000000001 is DENIED and cannot become APPROVED
}
