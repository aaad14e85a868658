package accountgroupstest_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/accountkit/accountkit-go/accountgroups"
	"github.com/accountkit/accountkit-go/accountgroups/accountgroupstest"
)

// eventLog receives the fake's webhook deliveries and keeps the events'
// types and statuses, in order.
type eventLog struct {
	mu     sync.Mutex
	events []string
}

func (l *eventLog) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	events, err := accountgroups.ParseWebhookEvents(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, e := range events {
		status := "(no group)"
		if g, err := e.AccountGroup(); err == nil {
			status = string(g.Status)
		}
		l.events = append(l.events, string(e.Type)+" "+status)
	}
}

func (l *eventLog) list() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.events)
}

// await polls cond until it holds, failing the test after 5 seconds.
func await(t *testing.T, what string, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s", what)
		case <-time.After(time.Millisecond):
		}
	}
}

func groupStatus(fake *accountgroupstest.Fake, id string) accountgroups.AccountGroupStatus {
	g, _ := fake.AccountGroup(id)
	return g.Status
}

// TestApprovalDelay creates a group through the API: it is
// PENDING_APPROVAL, then ACTIVE, announced by ACCOUNT_GROUP.ACTIVATED.
func TestApprovalDelay(t *testing.T) {
	srv := accountgroupstest.NewServer(accountgroupstest.WithApprovalDelay(5 * time.Millisecond))
	defer srv.Close()
	log := &eventLog{}
	hook := httptest.NewServer(log)
	defer hook.Close()
	srv.SetWebhookURL(hook.URL)
	c, err := srv.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	g, err := c.CreateAccountGroup(t.Context(), "413715f2-5401-4b97-8055-034a6b879f8c", accountgroups.AccountGroupTypePersonal)
	if err != nil {
		t.Fatal(err)
	}
	if g.Status != accountgroups.AccountGroupStatusPendingApproval {
		t.Errorf("created as %s, want PENDING_APPROVAL", g.Status)
	}
	await(t, "ACTIVE", func() bool { return groupStatus(srv.Fake, g.ID) == accountgroups.AccountGroupStatusActive })
	if err := srv.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	want := []string{"ACCOUNT_GROUP.CREATED PENDING_APPROVAL", "ACCOUNT_GROUP.ACTIVATED ACTIVE"}
	if got := log.list(); !slices.Equal(got, want) {
		t.Errorf("events %q, want %q", got, want)
	}
}

// TestNoApprovalDelay checks the default: a new group is ACTIVE at once.
func TestNoApprovalDelay(t *testing.T) {
	srv := accountgroupstest.NewServer()
	defer srv.Close()
	c, err := srv.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	g, err := c.CreateAccountGroup(t.Context(), "413715f2-5401-4b97-8055-034a6b879f8c", accountgroups.AccountGroupTypePersonal)
	if err != nil || g.Status != accountgroups.AccountGroupStatusActive {
		t.Errorf("CreateAccountGroup = %v, %v; want an ACTIVE group", g, err)
	}
}

// TestSetStatus moves a group as Upvest would: each status is announced,
// CLOSING moves on to CLOSED after the closing delay, PENDING_APPROVAL to
// ACTIVE after the approval delay.
func TestSetStatus(t *testing.T) {
	fake := accountgroupstest.New(
		accountgroupstest.WithClosingDelay(time.Millisecond),
		accountgroupstest.WithApprovalDelay(time.Millisecond))
	defer fake.Close()
	log := &eventLog{}
	hook := httptest.NewServer(log)
	defer hook.Close()
	fake.SetWebhookURL(hook.URL)

	if fake.SetStatus("4e0c7a58-7d8b-4f3e-9a55-0c5a0d6b1e11", accountgroups.AccountGroupStatusLocked) {
		t.Error("SetStatus of an unknown group reported success")
	}
	g := fake.AddAccountGroup(accountgroups.AccountGroup{})
	for _, s := range []accountgroups.AccountGroupStatus{accountgroups.AccountGroupStatusLocked, accountgroups.AccountGroupStatusActive, "SUSPENDED"} {
		if !fake.SetStatus(g.ID, s) {
			t.Fatal("SetStatus reported no group")
		}
		if got := groupStatus(fake, g.ID); got != s {
			t.Errorf("after SetStatus(%s): %s", s, got)
		}
	}
	fake.SetStatus(g.ID, accountgroups.AccountGroupStatusPendingApproval)
	await(t, "ACTIVE", func() bool { return groupStatus(fake, g.ID) == accountgroups.AccountGroupStatusActive })
	fake.SetStatus(g.ID, accountgroups.AccountGroupStatusClosing)
	await(t, "CLOSED", func() bool { return groupStatus(fake, g.ID) == accountgroups.AccountGroupStatusClosed })

	if err := fake.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"ACCOUNT_GROUP.LOCKED LOCKED",
		"ACCOUNT_GROUP.ACTIVATED ACTIVE",
		"ACCOUNT_GROUP.ACTIVATED ACTIVE", // approved after PENDING_APPROVAL
		"ACCOUNT_GROUP.CLOSING_INITIATED CLOSING",
		"ACCOUNT_GROUP.CLOSED CLOSED",
	}
	if got := log.list(); !slices.Equal(got, want) {
		t.Errorf("events %q, want %q", got, want)
	}
}
