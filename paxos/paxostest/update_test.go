package paxostest_test

import (
	"encoding/json"
	"fmt"
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

// TestCreateRefusesFieldsOutsideItsList: the vendor's description of
// POST /identity/accounts lists the fields a create may carry
// (identity_id, description, metadata, ref_id, members; create_profile
// beside the account) and says any other is forbidden, type included.
func TestCreateRefusesFieldsOutsideItsList(t *testing.T) {
	srv := paxostest.NewServer()
	defer srv.Close()
	tok := token(t, srv, paxos.ScopeReadAccount+" "+paxos.ScopeWriteAccount)
	create := func(account string) (int, string) {
		return call(t, srv, tok, http.MethodPost, "/identity/accounts", `{"account":{"identity_id":"owner",`+account+`}}`)
	}

	status, body := call(t, srv, tok, http.MethodPost, "/identity/accounts",
		`{"account":{"identity_id":"x1","id":"my-own-id","summary_status":"APPROVED","admin_disabled":true,"type":"ROTH_IRA"}}`)
	if status != http.StatusBadRequest || !strings.Contains(body, "account.id, account.admin_disabled, account.summary_status, account.type cannot be sent on create") ||
		!strings.Contains(body, `"title":"Bad Request"`) {
		t.Errorf("create with server-set members and type: %d %s, want a 400 problem naming them", status, body)
	}
	for _, field := range []string{
		`"id":"mine"`, `"admin_disabled":true`, `"user_disabled":true`, `"created_at":"2001-01-01T00:00:00Z"`,
		`"updated_at":"2001-01-01T00:00:00Z"`, `"summary_status":"APPROVED"`, `"profile_id":"p"`, `"type":"BROKERAGE"`,
	} {
		name, _, _ := strings.Cut(strings.Trim(field, `"`), `"`)
		if status, body := create(field); status != http.StatusBadRequest || !strings.Contains(body, "account."+name+" cannot be sent on create") {
			t.Errorf("create with %s: %d %s, want 400", field, status, body)
		}
	}
	if status, body := call(t, srv, tok, http.MethodGet, "/identity/accounts", ""); status != http.StatusOK || strings.Contains(body, `"owner"`) || strings.Contains(body, `"x1"`) {
		t.Errorf("a refused create stored an account: %s", body)
	}

	// Everything the list allows, create_profile beside it; forbidden
	// fields left at their zero value count as absent; members the
	// schema does not know are ignored; a member's role may be the older
	// single type.
	status, body = call(t, srv, tok, http.MethodPost, "/identity/accounts",
		`{"account":{"identity_id":"owner","description":"d","metadata":{"k":"v"},"ref_id":"r","members":[{"identity_id":"x","type":"AUTHORIZED_USER"}],`+
			`"id":"","admin_disabled":false,"type":null,"summary_status":"","future_field":1},"create_profile":true,"unknown":1}`)
	if status != http.StatusOK {
		t.Fatalf("create with the allowed fields: %d %s", status, body)
	}
	var a paxos.Account
	_ = json.Unmarshal([]byte(body), &a)
	if a.ID == "" || a.IdentityID != "owner" || a.Description != "d" || a.Metadata["k"] != "v" || a.RefID != "r" || a.ProfileID == "" ||
		a.SummaryStatus != paxos.SummaryStatusPending || a.Type != "" {
		t.Errorf("created %+v", a)
	}
	if len(a.Members) != 1 || len(a.Members[0].Roles) != 1 || a.Members[0].Roles[0] != paxos.RoleAuthorizedUser || a.Members[0].ID == "" {
		t.Errorf("members %+v: the single type is a role", a.Members)
	}
}

// TestUpdateListsPrimaryIdentityAsBeneficialOwner: the vendor's
// CreateAccount description says the account's own identity "is treated
// as a BENEFICIAL_OWNER", so naming it with that role in an update's full
// members list adds no role, and neither does dropping such an entry
// remove one. Other roles keep the update rules.
func TestUpdateListsPrimaryIdentityAsBeneficialOwner(t *testing.T) {
	srv := paxostest.NewServer()
	defer srv.Close()
	a := srv.AddAccount(paxos.Account{IdentityID: "owner", Members: []paxos.AccountMember{
		{IdentityID: "bo", Roles: []paxos.Role{paxos.RoleBeneficialOwner}},
	}})
	tok := token(t, srv, paxos.ScopeWriteAccount)
	update := func(members string) (int, string) {
		return call(t, srv, tok, http.MethodPut, "/identity/accounts", `{"account":{"id":"`+a.ID+`","members":`+members+`}}`)
	}
	identities := func() []string {
		got, _ := srv.Account(a.ID)
		var out []string
		for _, m := range got.Members {
			out = append(out, m.IdentityID+"="+fmt.Sprint(m.Roles))
		}
		return out
	}

	if status, body := update(`[{"identity_id":"bo","roles":["BENEFICIAL_OWNER"]},{"identity_id":"owner","roles":["BENEFICIAL_OWNER"]}]`); status != http.StatusOK {
		t.Fatalf("listing the primary identity as BENEFICIAL_OWNER: %d %s, want 200", status, body)
	}
	if got, want := identities(), []string{"bo=[BENEFICIAL_OWNER]", "owner=[BENEFICIAL_OWNER]"}; !slices.Equal(got, want) {
		t.Errorf("members %v, want %v", got, want)
	}
	// Sending the list back unchanged, and adding an updatable role to the
	// primary identity, are fine too.
	if status, body := update(`[{"identity_id":"bo","roles":["BENEFICIAL_OWNER"]},{"identity_id":"owner","roles":["BENEFICIAL_OWNER","FINANCIAL_ADVISOR"]}]`); status != http.StatusOK {
		t.Errorf("adding FINANCIAL_ADVISOR to the primary identity: %d %s, want 200", status, body)
	}
	// Dropping the entry leaves the primary identity a beneficial owner.
	if status, body := update(`[{"identity_id":"bo","roles":["BENEFICIAL_OWNER"]}]`); status != http.StatusOK {
		t.Errorf("dropping the primary identity's entry: %d %s, want 200", status, body)
	}
	if got, want := identities(), []string{"bo=[BENEFICIAL_OWNER]"}; !slices.Equal(got, want) {
		t.Errorf("members %v, want %v", got, want)
	}
	// Another identity still cannot become a beneficial owner by update.
	if status, body := update(`[{"identity_id":"bo","roles":["BENEFICIAL_OWNER"]},{"identity_id":"someone","roles":["BENEFICIAL_OWNER"]}]`); status != http.StatusBadRequest || !strings.Contains(body, "cannot be added or removed") {
		t.Errorf("adding another beneficial owner: %d %s, want 400", status, body)
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
