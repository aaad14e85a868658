package marketplace_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"testing"
	"time"

	"github.com/accountkit/accountkit-go"
	"github.com/accountkit/accountkit-go/marketplace"
	"github.com/accountkit/accountkit-go/marketplace/marketplacetest"
)

// TestGetAccountSelect checks that GetAccount returns the audit trail and
// the groups only when a derived client asks for them with select.
func TestGetAccountSelect(t *testing.T) {
	srv, c := newFake(t)
	a := newAccount("Select Ltd")
	a.Groups = []marketplace.Group{{ID: "UGR-0000-0001", Name: "admins"}}
	stored := srv.AddAccount(*a)
	ctx := t.Context()

	for _, tc := range []struct {
		client            *marketplace.Client
		query             string
		audit, withGroups bool
	}{
		{c, "", false, false},
		{c.With(accountkit.WithQuery("select", "+audit")), "select=%2Baudit", true, false},
		{c.With(accountkit.WithQuery("select", "+groups")), "select=%2Bgroups", false, true},
		{c.With(accountkit.WithQuery("select", "+audit,+groups")), "select=%2Baudit%2C%2Bgroups", true, true},
	} {
		got, err := tc.client.GetAccount(ctx, stored.ID)
		if err != nil {
			t.Fatal(err)
		}
		reqs := srv.Requests()
		if q := reqs[len(reqs)-1].Query; q != tc.query {
			t.Errorf("query %q, want %q", q, tc.query)
		}
		if hasAudit := !got.Audit.Created.At.IsZero(); hasAudit != tc.audit || !got.Audit.Created.At.Equal(stored.Audit.Created.At) && tc.audit {
			t.Errorf("%s: audit %+v, want it: %v", tc.query, got.Audit, tc.audit)
		}
		if hasGroups := len(got.Groups) == 1; hasGroups != tc.withGroups {
			t.Errorf("%s: groups %v, want them: %v", tc.query, got.Groups, tc.withGroups)
		}
	}
}

func TestWithResponseOnError(t *testing.T) {
	_, c := newFake(t)
	var resp accountkit.Response
	_, err := c.With(accountkit.WithResponse(&resp)).GetAccount(t.Context(), "ACC-0000-0000")
	var apiErr *accountkit.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusNotFound {
		t.Fatalf("err = %v, want a 404", err)
	}
	// The Marketplace's request id is the problem document's traceId.
	if resp.StatusCode != http.StatusNotFound || resp.RequestID == "" || resp.RequestID != apiErr.RequestID || resp.Attempts != 1 {
		t.Errorf("response %+v, want the 404 with the error's request id %q", resp, apiErr.RequestID)
	}
}

// TestOptionsReachUploads checks a multipart update: the call's header is
// on it and it is named after the operation.
func TestOptionsReachUploads(t *testing.T) {
	var names []string
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		names = append(names, accountkit.OperationName(r.Context()))
		return http.DefaultTransport.RoundTrip(r)
	})
	srv, c := newFake(t, marketplace.WithHTTPClient(&http.Client{Transport: rt}))
	stored := srv.AddAccount(*newAccount("Upload Ltd"))
	a := newAccount("Upload Ltd")
	_, err := c.With(accountkit.WithHeader("X-Tenant", "t1")).UpdateAccount(t.Context(), stored.ID, a, &marketplace.Logo{Filename: "logo.png", Content: bytes.NewReader(logoBytes(1024)), ContentType: "image/png"})
	if err != nil {
		t.Fatal(err)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 || reqs[0].Header.Get("X-Tenant") != "t1" {
		t.Errorf("requests %+v, want one with X-Tenant t1", reqs)
	}
	if fmt.Sprint(names) != "[marketplace.UpdateAccount]" {
		t.Errorf("operation names %q", names)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestWithAllocatesOnce(t *testing.T) {
	_, c := newFake(t)
	sel, timeout := accountkit.WithQuery("select", "+audit"), accountkit.WithTimeout(time.Second)
	if n := testing.AllocsPerRun(100, func() { _ = c.With(sel, timeout) }); n != 1 {
		t.Errorf("With: %v allocations, want 1", n)
	}
}

func ExampleClient_With() {
	srv := marketplacetest.NewServer(marketplacetest.WithDeterministicIDs())
	defer srv.Close()
	client, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	a := srv.AddAccount(marketplace.Account{Name: "Example Ltd", Type: marketplace.AccountTypeClient})

	// The audit trail is left out of answers unless asked for.
	plain, err := client.GetAccount(context.Background(), a.ID)
	if err != nil {
		log.Fatal(err)
	}
	audited, err := client.With(accountkit.WithQuery("select", "+audit")).GetAccount(context.Background(), a.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(plain.Audit.Created.At.IsZero(), audited.Audit.Created.By.Name)
	// Output: true marketplacetest
}
