package paxos_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/accountkit/accountkit-go/internal/fixture"
	"github.com/accountkit/accountkit-go/paxos"
)

// TestSeedRequestBodies checks that, for each example on the vendor's
// Update Account pages, the body the client sends (as recorded, and so as
// replayed by TestFixtures) is exactly the vendor's body.
func TestSeedRequestBodies(t *testing.T) {
	for cassette, seed := range map[string]string{
		"update_account":         "update_account_request.json",
		"update_account_disable": "disable_account_request.json",
		"add_member":             "add_member_request.json",
		"remove_member":          "remove_member_request.json",
		"set_member_roles":       "set_member_roles_request.json",
	} {
		t.Run(cassette, func(t *testing.T) {
			want := readFile(t, filepath.Join("testdata", "seeds", seed))
			var c fixture.Cassette
			if err := json.Unmarshal(readFile(t, filepath.Join("testdata", cassette+".json")), &c); err != nil {
				t.Fatal(err)
			}
			var puts []json.RawMessage
			for _, ex := range c.Exchanges {
				if ex.Request.Method == http.MethodPut && ex.Request.Path == "/identity/accounts" {
					puts = append(puts, ex.Request.Body)
				}
			}
			if len(puts) != 1 {
				t.Fatalf("%s: %d PUT /identity/accounts requests, want 1", cassette, len(puts))
			}
			if diff := fixture.JSONDiff(want, puts[0]); diff != "" {
				t.Errorf("%s: the body sent differs from the vendor's example (-vendor +sent):\n%s", cassette, diff)
			}
		})
	}
}

// TestSeedResponseDecodes checks that the vendor's example response decodes
// into an Account that marshals back to the same JSON: nothing is lost.
func TestSeedResponseDecodes(t *testing.T) {
	raw := readFile(t, filepath.Join("testdata", "seeds", "update_account_response.json"))
	var a paxos.Account
	if err := json.Unmarshal(raw, &a); err != nil {
		t.Fatal(err)
	}
	if a.ID != seedAccountID || a.IdentityID != seedOwner || len(a.Members) != 3 || a.SummaryStatus != paxos.SummaryStatusPending {
		t.Errorf("decoded %+v", a)
	}
	if got := a.CreatedAt.Format("2006-01-02T15:04:05.999999Z07:00"); got != "2014-02-20T04:22:22.222221Z" {
		t.Errorf("created_at = %s", got)
	}
	back, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	if diff := fixture.JSONDiff(raw, back); diff != "" {
		t.Errorf("round trip lost data (-vendor +re-encoded):\n%s", diff)
	}
}

// TestUnknownValuesDecode checks that enum values and fields this SDK does
// not know yet decode without error and are kept.
func TestUnknownValuesDecode(t *testing.T) {
	raw := []byte(`{
		"id": "a1", "identity_id": "i1", "summary_status": "UNDER_REVIEW", "type": "CUSTODIAL_IRA",
		"brand_new_field": {"nested": [1, 2, 3]},
		"members": [{"identity_id": "i2", "roles": ["TRUSTEE", "AUTHORIZED_USER"], "id": "m1", "since": "2026-01-01"}]
	}`)
	var a paxos.Account
	if err := json.Unmarshal(raw, &a); err != nil {
		t.Fatalf("decoding unknown values: %v", err)
	}
	if a.SummaryStatus != "UNDER_REVIEW" || a.SummaryStatus.Valid() {
		t.Errorf("summary_status = %q (valid %v), want the unknown value kept and reported invalid", a.SummaryStatus, a.SummaryStatus.Valid())
	}
	if a.Type != "CUSTODIAL_IRA" {
		t.Errorf("type = %q", a.Type)
	}
	if got := a.Members[0].Roles; len(got) != 2 || got[0] != "TRUSTEE" || got[0].Valid() || !got[1].Valid() {
		t.Errorf("roles = %v", got)
	}
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
