package paxos_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"

	"github.com/accountkit/accountkit-go"
	"github.com/accountkit/accountkit-go/paxos"
	"github.com/accountkit/accountkit-go/paxos/paxostest"
)

// exampleFake starts a fake with predictable ids and one account, owned by
// identity "owner", with a beneficial owner "alice".
func exampleFake() (*paxostest.Server, *paxos.Client, string) {
	srv := paxostest.NewServer(paxostest.WithDeterministicIDs())
	client, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	a := srv.AddAccount(paxos.Account{
		IdentityID: "owner",
		Members:    []paxos.AccountMember{{IdentityID: "alice", Roles: []paxos.Role{paxos.RoleBeneficialOwner}}},
	})
	return srv, client, a.ID
}

func ExampleNewClient() {
	client, err := paxos.NewClient(paxos.Sandbox,
		paxos.WithClientCredentials(os.Getenv("PAXOS_CLIENT_ID"), os.Getenv("PAXOS_CLIENT_SECRET")),
		paxos.WithMaxRetries(5),
		paxos.WithUserAgent("myapp/1.0"))
	if err != nil {
		log.Fatal(err)
	}
	_ = client
}

func ExampleClient_AddMember() {
	srv, client, accountID := exampleFake()
	defer srv.Close()

	account, err := client.AddMember(context.Background(), accountID, paxos.AccountMember{
		IdentityID: "bob",
		Roles:      []paxos.Role{paxos.RoleAuthorizedUser},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range account.Members {
		fmt.Println(m.IdentityID, m.Roles)
	}
	// Output:
	// alice [BENEFICIAL_OWNER]
	// bob [AUTHORIZED_USER]
}

func ExampleClient_SetMemberRoles() {
	srv, client, accountID := exampleFake()
	defer srv.Close()

	// Make the beneficial owner a financial advisor as well. Every role the
	// member keeps is listed.
	account, err := client.SetMemberRoles(context.Background(), accountID, "alice",
		paxos.RoleBeneficialOwner, paxos.RoleFinancialAdvisor)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(account.Members[0].IdentityID, account.Members[0].Roles)
	// Output: alice [BENEFICIAL_OWNER FINANCIAL_ADVISOR]
}

func ExampleClient_RemoveMember() {
	srv, client, accountID := exampleFake()
	defer srv.Close()
	ctx := context.Background()

	// An update cannot remove a beneficial owner; the client refuses before
	// sending anything and names the call that can.
	_, err := client.RemoveMember(ctx, accountID, "alice")
	fmt.Println(errors.Is(err, accountkit.ErrInvalidRequest))
	fmt.Println(err)

	if _, err := client.AddMember(ctx, accountID, paxos.AccountMember{IdentityID: "bob", Roles: []paxos.Role{paxos.RoleFinancialAdvisor}}); err != nil {
		log.Fatal(err)
	}
	account, err := client.RemoveMember(ctx, accountID, "bob")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(account.Members), "member left")
	// Output:
	// true
	// paxos: RemoveMember: invalid request: identity alice holds role BENEFICIAL_OWNER, which an account update cannot remove; use DeleteAccountMember(ctx, "00000000-0000-4000-8000-000000000002")
	// 1 member left
}

func ExampleClient_ListAccounts() {
	srv := paxostest.NewServer()
	defer srv.Close()
	for _, owner := range []string{"o1", "o2", "o3"} {
		srv.AddAccount(paxos.Account{IdentityID: owner, Description: "account of " + owner})
	}
	client, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}

	// Pages of two are fetched as the loop needs them.
	n := 0
	for account, err := range client.ListAccounts(context.Background(), &paxos.ListAccountsParams{Limit: 2, Order: paxos.SortOrderAsc}) {
		if err != nil {
			log.Fatal(err)
		}
		n++
		_ = account
	}
	fmt.Println(n, "accounts")
	// Output: 3 accounts
}

func ExampleClient_CreateAccount() {
	srv := paxostest.NewServer()
	defer srv.Close()
	client, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}

	// With a ref_id the create is retried safely after a failure, and a
	// retry that finds the account already created returns it.
	account, err := client.CreateAccount(context.Background(), paxos.CreateAccountRequest{Account: paxos.Account{
		IdentityID: "82c338f4-3cb7-4d9b-be2a-4b077c82ee3a",
		RefID:      "order-2291",
		Metadata:   map[string]string{"custom_field": "custom_value"},
	}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(account.RefID, account.SummaryStatus)

	// The same ref_id again is a conflict; the error carries the account.
	_, err = client.CreateAccount(context.Background(), paxos.CreateAccountRequest{Account: paxos.Account{
		IdentityID: "82c338f4-3cb7-4d9b-be2a-4b077c82ee3a",
		RefID:      "order-2291",
	}})
	var apiErr *accountkit.APIError
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusConflict {
		existing, _ := paxos.ExistingAccount(err)
		fmt.Println("already exists:", existing.ID == account.ID)
	}
	// Output:
	// order-2291 PENDING
	// already exists: true
}

// A refused member change tells why through errors.Is, so a program can
// branch without reading the message.
func Example_memberErrors() {
	srv, client, accountID := exampleFake()
	defer srv.Close()
	ctx := context.Background()

	_, err := client.RemoveMember(ctx, accountID, "carol")
	switch {
	case errors.Is(err, paxos.ErrNotMember):
		fmt.Println("carol is not a member: nothing to remove")
	case errors.Is(err, paxos.ErrRoleNotUpdatable), errors.Is(err, paxos.ErrLastMember):
		fmt.Println("use DeleteAccountMember")
	case err != nil:
		log.Fatal(err)
	}
	_, err = client.SetMemberRoles(ctx, accountID, "alice", paxos.RoleFinancialAdvisor)
	fmt.Println(errors.Is(err, paxos.ErrRoleNotUpdatable), errors.Is(err, accountkit.ErrInvalidRequest))
	// Output:
	// carol is not a member: nothing to remove
	// true true
}
