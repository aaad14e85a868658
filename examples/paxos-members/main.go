// Command paxos-members shows the member helpers of package paxos on one
// account: AddMember, SetMemberRoles and RemoveMember (read-modify-write on
// the full members array), what they refuse, and the server-side
// AddAccountMembers / DeleteAccountMember pair.
//
// It runs against an in-process fake unless PAXOS_CLIENT_ID and
// PAXOS_CLIENT_SECRET are set; then it works on the sandbox account given
// by -account, adding and removing the identity given by -identity.
// PAXOS_BASE_URL and PAXOS_TOKEN_URL pick another deployment, and
// PAXOS_SIGNING_KEY_ID with PAXOS_SIGNING_KEY_FILE (a PEM private key) sign
// every request, for accounts where Paxos requires signatures:
//
//	go run ./examples/paxos-members
//	go run ./examples/paxos-members -account <account id> -identity <identity id>
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"

	"github.com/accountkit/accountkit-go"
	"github.com/accountkit/accountkit-go/paxos"
	"github.com/accountkit/accountkit-go/paxos/paxostest"
)

func main() {
	accountID := flag.String("account", "", "sandbox account to change (needed with credentials)")
	identityID := flag.String("identity", "", "sandbox identity to add and remove (needed with credentials)")
	flag.Parse()
	log.SetFlags(0)

	client, cleanup, err := newClient(accountID, identityID)
	if err != nil {
		log.Fatal(err)
	}
	defer cleanup()
	ctx := context.Background()

	show := func(step string, a *paxos.Account, err error) {
		if err != nil {
			log.Fatalf("%s: %v", step, err)
		}
		fmt.Println(step)
		for _, m := range a.Members {
			fmt.Printf("    %s %v\n", m.IdentityID, m.Roles)
		}
	}

	a, err := client.AddMember(ctx, *accountID, paxos.AccountMember{IdentityID: *identityID, Roles: []paxos.Role{paxos.RoleAuthorizedUser}})
	show("AddMember: "+*identityID+" as AUTHORIZED_USER", a, err)

	a, err = client.AddMember(ctx, *accountID, paxos.AccountMember{IdentityID: *identityID, Roles: []paxos.Role{paxos.RoleAuthorizedUser}})
	show("AddMember again with the same role: nothing to write", a, err)

	a, err = client.SetMemberRoles(ctx, *accountID, *identityID, paxos.RoleAuthorizedUser, paxos.RoleFinancialAdvisor)
	show("SetMemberRoles: AUTHORIZED_USER + FINANCIAL_ADVISOR", a, err)

	_, err = client.SetMemberRoles(ctx, *accountID, *identityID, paxos.RoleBeneficialOwner)
	if errors.Is(err, accountkit.ErrInvalidRequest) {
		fmt.Println("SetMemberRoles to BENEFICIAL_OWNER is refused before sending:\n    " + err.Error())
	}

	a, err = client.RemoveMember(ctx, *accountID, *identityID)
	show("RemoveMember: "+*identityID, a, err)

	// Server-side alternative: no read-modify-write, nothing to race with.
	added, err := client.AddAccountMembers(ctx, *accountID, paxos.AccountMember{IdentityID: *identityID, Roles: []paxos.Role{paxos.RoleFinancialAdvisor}})
	if err != nil {
		log.Fatalf("AddAccountMembers: %v", err)
	}
	fmt.Printf("AddAccountMembers: %s got member id %s\n", added[0].IdentityID, added[0].ID)
	if err := client.DeleteAccountMember(ctx, added[0].ID); err != nil {
		log.Fatalf("DeleteAccountMember: %v", err)
	}
	fmt.Printf("DeleteAccountMember: member %s removed\n", added[0].ID)
}

// newClient returns a sandbox client when credentials are set, or a client
// for a fake holding one account with a beneficial owner.
func newClient(accountID, identityID *string) (*paxos.Client, func(), error) {
	id, secret := os.Getenv("PAXOS_CLIENT_ID"), os.Getenv("PAXOS_CLIENT_SECRET")
	if id != "" && secret != "" {
		if *accountID == "" || *identityID == "" {
			return nil, nil, errors.New("with sandbox credentials, pass -account and -identity")
		}
		env := paxos.Sandbox
		if base := os.Getenv("PAXOS_BASE_URL"); base != "" {
			env = paxos.Environment{BaseURL: base, TokenURL: os.Getenv("PAXOS_TOKEN_URL")}
		}
		opts := []paxos.Option{paxos.WithClientCredentials(id, secret)}
		// Accounts that require signed requests refuse unsigned ones.
		if keyID, keyFile := os.Getenv("PAXOS_SIGNING_KEY_ID"), os.Getenv("PAXOS_SIGNING_KEY_FILE"); keyID != "" && keyFile != "" {
			key, err := paxos.LoadPrivateKey(keyFile)
			if err != nil {
				return nil, nil, err
			}
			opts = append(opts, paxos.WithRequestSigning(keyID, key))
		}
		c, err := paxos.NewClient(env, opts...)
		return c, func() {}, err
	}
	srv := paxostest.NewServer()
	a := srv.AddAccount(paxos.Account{
		IdentityID: "0f5d8475-33f3-4ebd-88a0-66dedc2581c1",
		Members:    []paxos.AccountMember{{IdentityID: "0d26f878-298e-4d47-81be-cdf4e982a3d3", Roles: []paxos.Role{paxos.RoleBeneficialOwner}}},
	})
	*accountID, *identityID = a.ID, "08ba6b70-bcc0-4e4a-a67f-1d28842dedfc"
	fmt.Printf("(in-process fake; account %s)\n", a.ID)
	c, err := srv.NewClient()
	return c, srv.Close, err
}
