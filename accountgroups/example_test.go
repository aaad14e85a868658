package accountgroups_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/accountkit/accountkit-go"
	"github.com/accountkit/accountkit-go/accountgroups"
	"github.com/accountkit/accountkit-go/accountgroups/accountgroupstest"
)

func ExampleNewClient() {
	key, err := accountgroups.LoadPrivateKey(os.Getenv("UPVEST_PRIVATE_KEY_FILE"))
	if err != nil {
		log.Fatal(err)
	}
	client, err := accountgroups.NewClient(accountgroups.Sandbox,
		accountgroups.WithClientCredentials(os.Getenv("UPVEST_CLIENT_ID"), os.Getenv("UPVEST_CLIENT_SECRET")),
		accountgroups.WithSigningKey(os.Getenv("UPVEST_KEY_ID"), key))
	if err != nil {
		log.Fatal(err)
	}
	_ = client
}

func ExampleWithSigningKey() {
	// Upvest documents ECDSA P-521 keys; register the public half with
	// Upvest under a key id.
	key, err := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	_, err = accountgroups.NewClient(accountgroups.Sandbox,
		accountgroups.WithClientCredentials("client-id", "client-secret"),
		accountgroups.WithSigningKey("my-key-id", key))
	fmt.Println(err)
	// Output: <nil>
}

func ExampleClient_CreateAccountGroup() {
	srv := accountgroupstest.NewServer(accountgroupstest.WithDeterministicIDs())
	defer srv.Close()
	client, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}

	// Choosing the idempotency key, and storing it before the first try,
	// makes the create safe to repeat, even from another process after a
	// crash.
	key := accountkit.NewIdempotencyKey()
	keyed := client.With(accountkit.WithIdempotencyKey(key))
	ctx := context.Background()
	first, err := keyed.CreateAccountGroup(ctx, "413715f2-5401-4b97-8055-034a6b879f8c", accountgroups.AccountGroupTypePersonal)
	if err != nil {
		log.Fatal(err)
	}
	again, err := keyed.CreateAccountGroup(ctx, "413715f2-5401-4b97-8055-034a6b879f8c", accountgroups.AccountGroupTypePersonal)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(first.Status, first.SecuritiesAccountNumber, first.ID == again.ID)
	// Output: ACTIVE 100000001 true
}

func ExampleParseWebhookEvents() {
	body := []byte(`{"payload": [{
		"id": "72da9e41-9926-419f-976e-4c8069a04249",
		"created_at": "2021-07-21T14:10:00.00Z",
		"type": "ACCOUNT_GROUP.CREATED",
		"object": {"id": "9d95820d-4333-46b6-98de-04ab7512e76f", "type": "PERSONAL", "status": "ACTIVE",
			"users": [{"id": "413715f2-5401-4b97-8055-034a6b879f8c", "type": "OWNER"}], "securities_account_number": "123456789"},
		"webhook_id": "9df39835-be87-4243-9018-f2500b39cee6"
	}]}`)
	events, err := accountgroups.ParseWebhookEvents(body)
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range events {
		g, err := e.AccountGroup()
		if err != nil {
			continue
		}
		fmt.Println(e.Type, g.ID, g.Status)
	}
	// Output: ACCOUNT_GROUP.CREATED 9d95820d-4333-46b6-98de-04ab7512e76f ACTIVE
}

func ExampleWebhookHandler() {
	srv := accountgroupstest.NewServer()
	defer srv.Close()
	client, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}

	// Serve this handler at the URL registered with Upvest. Answer 200 only
	// once the events are safely handled; Upvest redelivers otherwise, so
	// deduplicate by event id.
	processed := map[string]bool{}
	handler := accountgroups.WebhookHandler(client.WebhookVerifier(), func(ctx context.Context, events []accountgroups.Event) error {
		for _, e := range events {
			if processed[e.ID] {
				continue
			}
			processed[e.ID] = true
			fmt.Println("handled", e.Type)
		}
		return nil
	})
	hook := httptest.NewServer(handler)
	defer hook.Close()

	g := srv.AddAccountGroup(accountgroups.AccountGroup{})
	status, err := srv.DeliverWebhook(context.Background(), hook.URL, srv.NewEvent(accountgroups.EventTypeAccountGroupLocked, g))
	fmt.Println(status == http.StatusOK, err)
	// Output:
	// handled ACCOUNT_GROUP.LOCKED
	// true <nil>
}
