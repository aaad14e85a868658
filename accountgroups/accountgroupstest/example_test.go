package accountgroupstest_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/accountkit/accountkit-go/accountgroups"
	"github.com/accountkit/accountkit-go/accountgroups/accountgroupstest"
)

// Mount the fake on your own mux, under a prefix: it checks every
// request's signature against the path the client signed.
func ExampleNew() {
	fake := accountgroupstest.New(accountgroupstest.WithDeterministicIDs())
	defer fake.Close()
	mux := http.NewServeMux()
	mux.Handle("/upvest/", http.StripPrefix("/upvest", fake))
	ts := httptest.NewServer(mux)
	defer ts.Close()

	client, err := fake.NewClientAt(ts.URL + "/upvest")
	if err != nil {
		log.Fatal(err)
	}
	group, err := client.CreateAccountGroup(context.Background(), "413715f2-5401-4b97-8055-034a6b879f8c", accountgroups.AccountGroupTypePersonal)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(group.ID, group.Status)

	sent := fake.Requests()[0]
	fmt.Println(sent.Method, sent.Path, sent.Status)
	fmt.Println(sent.Header.Get("Authorization"), sent.Header.Get("Upvest-Signature-Version"))
	// Output:
	// 00000000-0000-4000-8000-000000000002 ACTIVE
	// POST /account_groups 200
	// Bearer REDACTED 15
}
