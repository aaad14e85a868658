// Command quickstart walks through each API the SDK covers, end to end, and
// prints what it does.
//
// With no credentials in the environment it runs against the SDK's
// in-process fakes, so it needs no network:
//
//	go run ./examples/quickstart
//
// Set the vendor's variables to run that section against the real sandbox:
//
//	PAXOS_CLIENT_ID, PAXOS_CLIENT_SECRET     Paxos sandbox API credentials
//	PAXOS_IDENTITY_ID                        an approved sandbox identity to own the account
//	PAXOS_MEMBER_IDENTITY_IDS                two more identities, comma-separated, to be members
//	MPT_API_TOKEN, MPT_API_BASE_URL          a SoftwareOne Marketplace API token and base URL
//	UPVEST_CLIENT_ID, UPVEST_CLIENT_SECRET   Upvest sandbox API credentials
//	UPVEST_KEY_ID, UPVEST_PRIVATE_KEY_FILE   the signing key registered with Upvest (PEM, ECDSA P-521 or Ed25519)
//	UPVEST_USER_ID                           a sandbox user to open an account group for
//	PAXOS_BASE_URL, PAXOS_TOKEN_URL,         other deployments than the sandboxes, such as the
//	UPVEST_BASE_URL                          local fakes of go run ./examples/sandbox
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for _, section := range []func(context.Context, io.Writer) error{runPaxos, runMarketplace, runAccountGroups} {
		if err := section(ctx, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "quickstart:", err)
			os.Exit(1)
		}
	}
}
