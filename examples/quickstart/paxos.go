package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/accountkit/accountkit-go/paxos"
	"github.com/accountkit/accountkit-go/paxos/paxostest"
)

// runPaxos opens an account, changes its members with the read-modify-write
// helpers, lists and disables it.
func runPaxos(ctx context.Context, out io.Writer) error {
	client, owner, members, where, done, err := paxosSetup()
	if err != nil {
		return err
	}
	defer done()
	fmt.Fprintf(out, "== Paxos accounts (%s)\n", where)

	account, err := client.CreateAccount(ctx, paxos.CreateAccountRequest{Account: paxos.Account{
		IdentityID:  owner,
		Description: "accountkit quickstart",
		RefID:       "quickstart-" + randomSuffix(),
		Members:     []paxos.AccountMember{{IdentityID: members[0], Roles: []paxos.Role{paxos.RoleBeneficialOwner}}},
	}})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "created account %s for identity %s (%s)\n", account.ID, account.IdentityID, account.SummaryStatus)
	printMembers(out, account)

	account, err = client.AddMember(ctx, account.ID, paxos.AccountMember{IdentityID: members[1], Roles: []paxos.Role{paxos.RoleAuthorizedUser}})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "added %s as %s\n", members[1], paxos.RoleAuthorizedUser)
	printMembers(out, account)

	account, err = client.SetMemberRoles(ctx, account.ID, members[1], paxos.RoleAuthorizedUser, paxos.RoleFinancialAdvisor)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "made %s a financial advisor too\n", members[1])
	printMembers(out, account)

	// The update endpoint cannot remove a beneficial owner: the SDK says so
	// before sending anything, and names the call that can.
	if _, err := client.RemoveMember(ctx, account.ID, members[0]); err != nil {
		fmt.Fprintf(out, "removing the beneficial owner is refused: %v\n", err)
	}

	account, err = client.RemoveMember(ctx, account.ID, members[1])
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "removed %s\n", members[1])
	printMembers(out, account)

	n := 0
	for a, err := range client.ListAccounts(ctx, &paxos.ListAccountsParams{IdentityID: owner, Limit: 50}) {
		if err != nil {
			return err
		}
		if n < 3 {
			fmt.Fprintf(out, "listed account %s: %q, %s\n", a.ID, a.Description, a.SummaryStatus)
		}
		n++
	}
	fmt.Fprintf(out, "identity %s owns %d account(s)\n", owner, n)

	account, err = client.DisableAccount(ctx, account.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "disabled account %s: user_disabled=%v, status %s\n", account.ID, account.UserDisabled, account.SummaryStatus)
	return nil
}

// paxosSetup returns a client for the sandbox when credentials are set, or
// for an in-process fake otherwise, with the identities to use.
func paxosSetup() (client *paxos.Client, owner string, members []string, where string, done func(), err error) {
	var env paxos.Environment
	id, secret := os.Getenv("PAXOS_CLIENT_ID"), os.Getenv("PAXOS_CLIENT_SECRET")
	if id == "" || secret == "" {
		srv := paxostest.NewServer()
		client, err = srv.NewClient()
		if err != nil {
			srv.Close()
			return nil, "", nil, "", nil, err
		}
		return client, "0acd56b7-140b-4b29-83e4-7e717f03afd9",
			[]string{"2dedfc70-a67f-4e4a-bcc0-1d288408ba6b", "11a3122a-0c50-4950-9934-2ad48a782b78"},
			"in-process fake; set PAXOS_CLIENT_ID and PAXOS_CLIENT_SECRET for the sandbox", srv.Close, nil
	}
	owner = os.Getenv("PAXOS_IDENTITY_ID")
	members = strings.Split(os.Getenv("PAXOS_MEMBER_IDENTITY_IDS"), ",")
	if owner == "" || len(members) < 2 || members[0] == "" || members[1] == "" {
		return nil, "", nil, "", nil, errors.New("against the sandbox, set PAXOS_IDENTITY_ID and PAXOS_MEMBER_IDENTITY_IDS (two ids, comma-separated) to identities in your sandbox")
	}
	env, where = paxosEnvironment()
	opts := []paxos.Option{paxos.WithClientCredentials(id, secret)}
	// Once Paxos enables request signing for the account, every request
	// must be signed with the key registered in the dashboard.
	if keyID, keyFile := os.Getenv("PAXOS_SIGNING_KEY_ID"), os.Getenv("PAXOS_SIGNING_KEY_FILE"); keyID != "" && keyFile != "" {
		key, err := paxos.LoadPrivateKey(keyFile)
		if err != nil {
			return nil, "", nil, "", nil, err
		}
		opts = append(opts, paxos.WithRequestSigning(keyID, key))
		where += ", signed requests"
	}
	client, err = paxos.NewClient(env, opts...)
	return client, owner, members, where, func() {}, err
}

func printMembers(out io.Writer, a *paxos.Account) {
	for _, m := range a.Members {
		fmt.Fprintf(out, "    member %s %v\n", m.IdentityID, m.Roles)
	}
}

// paxosEnvironment is the Paxos sandbox, or the environment PAXOS_BASE_URL
// and PAXOS_TOKEN_URL name (such as the one go run ./examples/sandbox
// prints).
func paxosEnvironment() (paxos.Environment, string) {
	if base := os.Getenv("PAXOS_BASE_URL"); base != "" {
		return paxos.Environment{BaseURL: base, TokenURL: os.Getenv("PAXOS_TOKEN_URL")}, base
	}
	return paxos.Sandbox, "Paxos sandbox"
}
