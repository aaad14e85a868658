package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/accountkit/accountkit-go/accountgroups"
	"github.com/accountkit/accountkit-go/accountgroups/accountgroupstest"
)

// runAccountGroups opens an account group, reads and lists it, and closes
// it, every request signed.
func runAccountGroups(ctx context.Context, out io.Writer) error {
	client, userID, where, done, err := accountGroupsSetup()
	if err != nil {
		return err
	}
	defer done()
	fmt.Fprintf(out, "\n== Upvest account groups (%s)\n", where)

	group, err := client.CreateAccountGroup(ctx, userID, accountgroups.AccountGroupTypePersonal)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "created account group %s (%s, %s) for user %s, securities account %s\n",
		group.ID, group.Type, group.Status, userID, group.SecuritiesAccountNumber)

	n := 0
	for g, err := range client.ListUserAccountGroups(ctx, userID, &accountgroups.ListUserAccountGroupsParams{Limit: 100}) {
		if err != nil {
			return err
		}
		if n < 3 {
			fmt.Fprintf(out, "listed account group %s: %s, %s\n", g.ID, g.Type, g.Status)
		}
		n++
	}
	fmt.Fprintf(out, "user %s has %d account group(s)\n", userID, n)

	if err := client.CloseAccountGroup(ctx, group.ID, accountgroups.ClosureReasonUserInitiated, false); err != nil {
		return err
	}
	group, err = client.GetAccountGroup(ctx, group.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "closing account group %s: status %s (Upvest closes it asynchronously)\n", group.ID, group.Status)
	return nil
}

// accountGroupsSetup returns a sandbox client when the UPVEST_ variables
// are set, or one for an in-process fake.
func accountGroupsSetup() (*accountgroups.Client, string, string, func(), error) {
	id, secret := os.Getenv("UPVEST_CLIENT_ID"), os.Getenv("UPVEST_CLIENT_SECRET")
	keyID, keyFile := os.Getenv("UPVEST_KEY_ID"), os.Getenv("UPVEST_PRIVATE_KEY_FILE")
	if id != "" && secret != "" && keyID != "" && keyFile != "" {
		userID := os.Getenv("UPVEST_USER_ID")
		if userID == "" {
			return nil, "", "", nil, fmt.Errorf("against the Upvest sandbox, set UPVEST_USER_ID to a sandbox user's id")
		}
		key, err := accountgroups.LoadPrivateKey(keyFile)
		if err != nil {
			return nil, "", "", nil, err
		}
		env, where := accountgroups.Sandbox, "Upvest sandbox"
		if base := os.Getenv("UPVEST_BASE_URL"); base != "" {
			env, where = accountgroups.Environment{BaseURL: base}, base
		}
		c, err := accountgroups.NewClient(env, accountgroups.WithClientCredentials(id, secret), accountgroups.WithSigningKey(keyID, key))
		return c, userID, where, func() {}, err
	}
	srv := accountgroupstest.NewServer(accountgroupstest.WithClosingDelay(time.Second))
	c, err := srv.NewClient()
	if err != nil {
		srv.Close()
		return nil, "", "", nil, err
	}
	return c, "413715f2-5401-4b97-8055-034a6b879f8c", "in-process fake; set UPVEST_CLIENT_ID, UPVEST_CLIENT_SECRET, UPVEST_KEY_ID, UPVEST_PRIVATE_KEY_FILE and UPVEST_USER_ID for the sandbox", srv.Close, nil
}
