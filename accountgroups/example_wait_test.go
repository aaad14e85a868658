package accountgroups_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/accountkit/accountkit-go/accountgroups"
	"github.com/accountkit/accountkit-go/accountgroups/accountgroupstest"
)

func ExampleClient_WaitForStatus() {
	// The fake approves new groups and finishes closures after a delay,
	// as Upvest does.
	srv := accountgroupstest.NewServer(
		accountgroupstest.WithApprovalDelay(20*time.Millisecond),
		accountgroupstest.WithClosingDelay(20*time.Millisecond))
	defer srv.Close()
	client, err := srv.NewClient(accountgroups.WithPollInterval(10*time.Millisecond, time.Second))
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	group, err := client.CreateAccountGroup(ctx, "413715f2-5401-4b97-8055-034a6b879f8c", accountgroups.AccountGroupTypePersonal)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(group.Status)

	group, err = client.WaitForStatus(ctx, group.ID, accountgroups.AccountGroupStatusActive)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(group.Status)

	if err := client.CloseAccountGroup(ctx, group.ID, accountgroups.ClosureReasonUserInitiated, false); err != nil {
		log.Fatal(err)
	}
	group, err = client.WaitForStatus(ctx, group.ID, accountgroups.AccountGroupStatusClosed)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(group.Status)
	// Output:
	// PENDING_APPROVAL
	// ACTIVE
	// CLOSED
}
