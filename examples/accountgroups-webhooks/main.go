// Command accountgroups-webhooks creates an Upvest account group, receives
// the webhook events about it, verifies their signatures and prints them.
//
//	go run ./examples/accountgroups-webhooks
//
// With no credentials it runs against an in-process fake, which delivers
// signed webhooks to a receiver on a loopback port. With UPVEST_CLIENT_ID,
// UPVEST_CLIENT_SECRET, UPVEST_KEY_ID and UPVEST_PRIVATE_KEY_FILE set it
// uses the Upvest sandbox: the receiver listens on -listen, and Upvest must
// be able to reach it (register its public URL as a webhook for
// ACCOUNT_GROUP events first); -user names the sandbox user to open the
// group for.
//
// Against the local sandbox (go run ./examples/sandbox), whose variables
// point UPVEST_BASE_URL at its Upvest fake, start the sandbox with
// -webhook-url and listen on that address:
//
//	go run ./examples/sandbox -env-file /tmp/accountkit.env -webhook-url http://127.0.0.1:12114 &
//	set -a; . /tmp/accountkit.env; set +a
//	go run ./examples/accountgroups-webhooks -listen 127.0.0.1:12114
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/accountkit/accountkit-go/accountgroups"
	"github.com/accountkit/accountkit-go/accountgroups/accountgroupstest"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address for the webhook receiver")
	userID := flag.String("user", "413715f2-5401-4b97-8055-034a6b879f8c", "the user to open the account group for")
	wait := flag.Duration("wait", 30*time.Second, "how long to wait for the events")
	flag.Parse()
	log.SetFlags(0)
	if err := run(*listen, *userID, *wait); err != nil {
		log.Fatal("accountgroups-webhooks: ", err)
	}
}

func run(listen, userID string, wait time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), wait+10*time.Second)
	defer cancel()

	client, fake, err := newClient()
	if err != nil {
		return err
	}
	if fake != nil {
		defer fake.Close()
	}

	// The receiver: verify, deduplicate by event id, print.
	var mu sync.Mutex
	seen := map[string]bool{}
	got := make(chan accountgroups.Event, 16)
	handler := accountgroups.WebhookHandler(client.WebhookVerifier(), func(_ context.Context, events []accountgroups.Event) error {
		mu.Lock()
		defer mu.Unlock()
		for _, e := range events {
			if seen[e.ID] {
				continue // a redelivery
			}
			seen[e.ID] = true
			got <- e
		}
		return nil
	})
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}
	server := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = server.Serve(ln) }()
	defer server.Close()
	url := "http://" + ln.Addr().String()
	fmt.Printf("webhook receiver listening on %s\n", url)
	if fake != nil {
		fake.SetWebhookURL(url)
	}

	group, err := client.CreateAccountGroup(ctx, userID, accountgroups.AccountGroupTypePersonal)
	if err != nil {
		return err
	}
	fmt.Printf("created account group %s (%s, %s), securities account %s\n", group.ID, group.Type, group.Status, group.SecuritiesAccountNumber)
	if fake != nil {
		if err := client.CloseAccountGroup(ctx, group.ID, accountgroups.ClosureReasonUserInitiated, false); err != nil {
			return err
		}
		fmt.Printf("closing account group %s\n", group.ID)
	}

	// Wait for the events about this group; events about other groups (a
	// sandbox shared with other runs) are printed too.
	want := 1
	if fake != nil {
		want = 3 // created, closing initiated, closed
	}
	timeout := time.After(wait)
	for n := 0; n < want; {
		select {
		case e := <-got:
			g, err := e.AccountGroup()
			if err != nil {
				fmt.Printf("verified event %s %s (%s)\n", e.ID, e.Type, err)
				continue
			}
			fmt.Printf("verified event %s %s: group %s is %s\n", e.ID, e.Type, g.ID, g.Status)
			if g.ID == group.ID {
				n++
			}
		case <-timeout:
			if os.Getenv("UPVEST_BASE_URL") != "" {
				return fmt.Errorf("timed out waiting for webhook events; was the sandbox started with -webhook-url http://%s?", ln.Addr())
			}
			return errors.New("timed out waiting for webhook events; is the receiver reachable by Upvest?")
		}
	}
	return nil
}

// newClient returns a sandbox client when the UPVEST_ variables are set, or
// a client for an in-process fake.
func newClient() (*accountgroups.Client, *accountgroupstest.Server, error) {
	id, secret := os.Getenv("UPVEST_CLIENT_ID"), os.Getenv("UPVEST_CLIENT_SECRET")
	keyID, keyFile := os.Getenv("UPVEST_KEY_ID"), os.Getenv("UPVEST_PRIVATE_KEY_FILE")
	if id != "" && secret != "" && keyID != "" && keyFile != "" {
		key, err := accountgroups.LoadPrivateKey(keyFile)
		if err != nil {
			return nil, nil, err
		}
		env := accountgroups.Sandbox
		if base := os.Getenv("UPVEST_BASE_URL"); base != "" {
			env = accountgroups.Environment{BaseURL: base}
		}
		c, err := accountgroups.NewClient(env,
			accountgroups.WithClientCredentials(id, secret),
			accountgroups.WithSigningKey(keyID, key))
		return c, nil, err
	}
	srv := accountgroupstest.NewServer(accountgroupstest.WithClosingDelay(50 * time.Millisecond))
	fmt.Println("(in-process fake; set UPVEST_CLIENT_ID, UPVEST_CLIENT_SECRET, UPVEST_KEY_ID and UPVEST_PRIVATE_KEY_FILE for the sandbox)")
	c, err := srv.NewClient()
	if err != nil {
		srv.Close()
		return nil, nil, err
	}
	return c, srv, nil
}
