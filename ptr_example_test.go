package accountkit_test

import (
	"encoding/json"
	"fmt"

	accountkit "github.com/accountkit/accountkit-go"
	"github.com/accountkit/accountkit-go/marketplace"
	"github.com/accountkit/accountkit-go/paxos"
)

// Ptr fills the pointer fields whose nil means "leave it unsent": here an
// account that may buy as a client and not act as a partner, and an update
// that disables a Paxos account.
func ExamplePtr() {
	eligibility := marketplace.Eligibility{Client: accountkit.Ptr(true), Partner: accountkit.Ptr(false)}
	update := paxos.UpdateAccountRequest{Account: paxos.Account{ID: "acc-1"}, SetUserDisabled: accountkit.Ptr(true)}

	for _, v := range []any{eligibility, marketplace.Eligibility{}, update} {
		b, _ := json.Marshal(v)
		fmt.Println(string(b))
	}
	// Output:
	// {"client":true,"partner":false}
	// {}
	// {"account":{"id":"acc-1"},"set_user_disabled":true}
}
