package paxostest_test

import (
	"encoding/json"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/accountkit/accountkit-go/paxos"
	"github.com/accountkit/accountkit-go/paxos/paxostest"
)

// seedAccount stores the account of Paxos's own Update Account response
// example and returns the example as the raw JSON object it is.
func seedAccount(t *testing.T, srv *paxostest.Server) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "testdata", "seeds", "update_account_response.json"))
	if err != nil {
		t.Fatal(err)
	}
	var a paxos.Account
	if err := json.Unmarshal(raw, &a); err != nil {
		t.Fatal(err)
	}
	srv.AddAccount(a)
	var obj map[string]any
	if err := json.Unmarshal(raw, &obj); err != nil {
		t.Fatal(err)
	}
	return obj
}

func put(t *testing.T, srv *paxostest.Server, tok string, body any) (int, string) {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return call(t, srv, tok, http.MethodPut, "/identity/accounts", string(b))
}

// TestUpdateTakesAccountAsGetReturnedIt sends a GET answer back verbatim,
// read-only members and all, over plain HTTP (the SDK sends only what an
// update changes): the vendor's schema makes UpdateAccountRequest.account
// a whole Account.
func TestUpdateTakesAccountAsGetReturnedIt(t *testing.T) {
	srv := paxostest.NewServer()
	defer srv.Close()
	seedAccount(t, srv)
	const id = "79c27a0e-46a2-4276-9769-e1ebc055fa72"
	tok := token(t, srv, paxos.ScopeReadAccount+" "+paxos.ScopeWriteAccount)

	status, got := call(t, srv, tok, http.MethodGet, "/identity/accounts/"+id, "")
	if status != http.StatusOK {
		t.Fatalf("GET: %d %s", status, got)
	}
	status, body := call(t, srv, tok, http.MethodPut, "/identity/accounts", `{"account":`+got+`}`)
	if status != http.StatusOK {
		t.Fatalf("PUT of the GET answer: %d %s", status, body)
	}
	var before, after map[string]any
	_ = json.Unmarshal([]byte(got), &before)
	_ = json.Unmarshal([]byte(body), &after)
	delete(before, "updated_at")
	delete(after, "updated_at")
	if !maps.EqualFunc(before, after, func(a, b any) bool { x, _ := json.Marshal(a); y, _ := json.Marshal(b); return string(x) == string(y) }) {
		t.Errorf("sending the account back changed it:\n got %v\nwant %v", after, before)
	}
}

// TestUpdateAppliesWritableMembersAndIgnoresReadOnlyOnes starts from the
// vendor's response example, changes members and metadata, and sets every
// read-only member to another value.
func TestUpdateAppliesWritableMembersAndIgnoresReadOnlyOnes(t *testing.T) {
	srv := paxostest.NewServer()
	defer srv.Close()
	account := seedAccount(t, srv)
	id := account["id"].(string)
	stored, _ := srv.Account(id)
	tok := token(t, srv, paxos.ScopeWriteAccount)

	// Drop the financial advisor, add an authorized user, keep the rest.
	account["members"] = []any{
		map[string]any{"id": "made-up-1", "identity_id": "08ba6b70-bcc0-4e4a-a67f-1d28842dedfc", "roles": []string{"AUTHORIZED_USER"}},
		map[string]any{"id": "made-up-2", "identity_id": "2dedfc70-a67f-4e4a-bcc0-1d288408ba6b", "roles": []string{"BENEFICIAL_OWNER"}},
		map[string]any{"identity_id": "5b1e0c3a-9f51-4c1e-8f0e-6d0f3b0c9a77", "type": "AUTHORIZED_USER"},
	}
	account["metadata"] = map[string]string{"crm": "42"}
	account["description"] = "Joint account"
	account["identity_id"] = "ffffffff-0000-4000-8000-000000000000"
	account["created_at"] = "2001-01-01T00:00:00Z"
	account["updated_at"] = "2001-01-01T00:00:00Z"
	account["summary_status"] = "APPROVED"
	account["admin_disabled"] = true
	account["user_disabled"] = true
	account["profile_id"] = "made-up-profile"
	account["type"] = "ROTH_IRA"
	account["future_field"] = "ignored"

	before := time.Now()
	if status, body := put(t, srv, tok, map[string]any{"account": account}); status != http.StatusOK {
		t.Fatalf("PUT: %d %s", status, body)
	}
	got, _ := srv.Account(id)

	identities := func(ms []paxos.AccountMember) []string {
		var out []string
		for _, m := range ms {
			out = append(out, m.IdentityID+"="+string(m.Roles[0]))
		}
		return out
	}
	want := []string{"08ba6b70-bcc0-4e4a-a67f-1d28842dedfc=AUTHORIZED_USER", "2dedfc70-a67f-4e4a-bcc0-1d288408ba6b=BENEFICIAL_OWNER", "5b1e0c3a-9f51-4c1e-8f0e-6d0f3b0c9a77=AUTHORIZED_USER"}
	if !slices.Equal(identities(got.Members), want) {
		t.Errorf("members %v, want %v", identities(got.Members), want)
	}
	if got.Members[0].ID != stored.Members[1].ID || got.Members[1].ID != stored.Members[2].ID || got.Members[2].ID == "" || strings.HasPrefix(got.Members[2].ID, "made-up") {
		t.Errorf("member ids %q, %q, %q: kept members keep their ids (%q, %q), new ones get one from the server",
			got.Members[0].ID, got.Members[1].ID, got.Members[2].ID, stored.Members[1].ID, stored.Members[2].ID)
	}
	if got.Metadata["crm"] != "42" || len(got.Metadata) != 1 || got.Description != "Joint account" {
		t.Errorf("metadata %v, description %q: not applied", got.Metadata, got.Description)
	}
	if got.IdentityID != stored.IdentityID || !got.CreatedAt.Equal(stored.CreatedAt) || got.SummaryStatus != paxos.SummaryStatusPending ||
		got.AdminDisabled || got.UserDisabled || got.ProfileID != "" || got.Type != "" {
		t.Errorf("a read-only member changed: %+v", got)
	}
	if got.UpdatedAt.Before(before.Add(-time.Second)) {
		t.Errorf("updated_at %v: the server sets it, not the body", got.UpdatedAt)
	}

	// The update rules still hold for a whole account.
	account["members"] = []any{map[string]any{"identity_id": "08ba6b70-bcc0-4e4a-a67f-1d28842dedfc", "roles": []string{"AUTHORIZED_USER"}}}
	if status, body := put(t, srv, tok, map[string]any{"account": account}); status != http.StatusBadRequest || !strings.Contains(body, "cannot be removed") {
		t.Errorf("dropping the beneficial owner: %d %s, want 400", status, body)
	}
	account["members"] = []any{}
	if status, body := put(t, srv, tok, map[string]any{"account": account}); status != http.StatusBadRequest || !strings.Contains(body, "at least one element") {
		t.Errorf("empty members: %d %s, want 400", status, body)
	}
	account["id"] = "00000000-0000-4000-8000-000000000000"
	if status, body := put(t, srv, tok, map[string]any{"account": account}); status != http.StatusNotFound {
		t.Errorf("unknown account: %d %s, want 404", status, body)
	}
}

// TestSetUserDisabledBesideAWholeAccount disables with set_user_disabled,
// whatever user_disabled the account sent says.
func TestSetUserDisabledBesideAWholeAccount(t *testing.T) {
	srv := paxostest.NewServer()
	defer srv.Close()
	account := seedAccount(t, srv)
	tok := token(t, srv, paxos.ScopeWriteAccount)
	account["user_disabled"] = false
	if status, body := put(t, srv, tok, map[string]any{"account": account, "set_user_disabled": true}); status != http.StatusOK {
		t.Fatalf("PUT: %d %s", status, body)
	}
	got, _ := srv.Account(account["id"].(string))
	if !got.UserDisabled || got.SummaryStatus != paxos.SummaryStatusDisabled {
		t.Errorf("set_user_disabled: user_disabled %v, status %s", got.UserDisabled, got.SummaryStatus)
	}
}

// TestCreateIgnoresServerSetMembers accepts a whole Account on create,
// ignoring what the server assigns, and still refuses member ids.
func TestCreateIgnoresServerSetMembers(t *testing.T) {
	srv := paxostest.NewServer()
	defer srv.Close()
	tok := token(t, srv, paxos.ScopeWriteAccount)
	status, body := call(t, srv, tok, http.MethodPost, "/identity/accounts",
		`{"account":{"id":"mine","identity_id":"owner","summary_status":"APPROVED","created_at":"2001-01-01T00:00:00Z","admin_disabled":true,"type":"BROKERAGE","members":[{"identity_id":"x","type":"AUTHORIZED_USER"}]},"unknown":1}`)
	if status != http.StatusOK {
		t.Fatalf("create: %d %s", status, body)
	}
	var a paxos.Account
	_ = json.Unmarshal([]byte(body), &a)
	if a.ID == "mine" || a.SummaryStatus != paxos.SummaryStatusPending || a.AdminDisabled || a.CreatedAt.Year() == 2001 || a.Type != paxos.AccountTypeBrokerage {
		t.Errorf("created %+v: server-set members were taken from the body, or type was not", a)
	}
	if len(a.Members) != 1 || len(a.Members[0].Roles) != 1 || a.Members[0].Roles[0] != paxos.RoleAuthorizedUser || a.Members[0].ID == "" {
		t.Errorf("members %+v: the single type is a role", a.Members)
	}
}

// TestListIgnoresUnknownParameters: Paxos ignores query parameters it does
// not read; limit=0 is the default page size.
func TestListIgnoresUnknownParameters(t *testing.T) {
	srv := paxostest.NewServer()
	defer srv.Close()
	srv.AddAccount(paxos.Account{IdentityID: "owner"})
	tok := token(t, srv, paxos.ScopeReadAccount)
	for _, q := range []string{"sort=x", "limit=0", "created_at.between=x", "page_size=3&order=ASC"} {
		if status, body := call(t, srv, tok, http.MethodGet, "/identity/accounts?"+q, ""); status != http.StatusOK || !strings.Contains(body, `"owner"`) {
			t.Errorf("?%s: %d %s, want 200 listing the account", q, status, body)
		}
	}
}

// writeBack is testdata/independent/update_writeback.json: PUT bodies of
// another client that sends back the whole account GET returned, built
// from the vendor's pages and schemas.
type writeBack struct {
	Account paxos.Account `json:"account"`
	Updates []struct {
		Name                string            `json:"name"`
		Body                json.RawMessage   `json:"body"`
		ExpectMembers       []string          `json:"expect_members"`
		ExpectKeptMemberIDs []string          `json:"expect_kept_member_ids"`
		ExpectMetadata      map[string]string `json:"expect_metadata"`
		ExpectUserDisabled  bool              `json:"expect_user_disabled"`
	} `json:"updates"`
}

// TestWriteBackFromAnotherClient sends each write-back body to a fake
// holding the account it was read from.
func TestWriteBackFromAnotherClient(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "independent", "update_writeback.json"))
	if err != nil {
		t.Fatal(err)
	}
	var wb writeBack
	if err := json.Unmarshal(raw, &wb); err != nil {
		t.Fatal(err)
	}
	for _, u := range wb.Updates {
		t.Run(u.Name, func(t *testing.T) {
			srv := paxostest.NewServer()
			defer srv.Close()
			stored := srv.AddAccount(wb.Account)
			srv.AddToken("writeback-token")
			status, body := call(t, srv, "writeback-token", http.MethodPut, "/identity/accounts", string(u.Body))
			if status != http.StatusOK {
				t.Fatalf("%d %s", status, body)
			}
			got, _ := srv.Account(stored.ID)
			var identities, ids []string
			for _, m := range got.Members {
				identities = append(identities, m.IdentityID)
				ids = append(ids, m.ID)
			}
			if !slices.Equal(identities, u.ExpectMembers) {
				t.Errorf("members %v, want %v", identities, u.ExpectMembers)
			}
			for _, id := range u.ExpectKeptMemberIDs {
				if !slices.Contains(ids, id) {
					t.Errorf("member id %s was not kept: %v", id, ids)
				}
			}
			if !maps.Equal(got.Metadata, u.ExpectMetadata) || got.UserDisabled != u.ExpectUserDisabled {
				t.Errorf("metadata %v, user_disabled %v; want %v, %v", got.Metadata, got.UserDisabled, u.ExpectMetadata, u.ExpectUserDisabled)
			}
			if got.IdentityID != stored.IdentityID || !got.CreatedAt.Equal(stored.CreatedAt) || got.ProfileID != stored.ProfileID || got.Type != stored.Type {
				t.Errorf("a read-only member changed: %+v", got)
			}
		})
	}
	if len(wb.Updates) == 0 {
		t.Error("no updates")
	}
}
