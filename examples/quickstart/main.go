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
package main

import (
	"context"
	"fmt"
	"os"
	"time"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := runPaxos(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}
