package accountgroups_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/accountkit/accountkit-go"
	"github.com/accountkit/accountkit-go/accountgroups"
	"github.com/accountkit/accountkit-go/accountgroups/accountgroupstest"
	"github.com/accountkit/accountkit-go/internal/calltest"
)

func TestNewClientRefusesBadConfig(t *testing.T) {
	p521, _ := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 1024)
	creds := accountgroups.WithClientCredentials("id", "secret")
	for name, opts := range map[string][]accountgroups.Option{
		"no signing key":   {creds},
		"P-256 key":        {creds, accountgroups.WithSigningKey("k", p256)},
		"RSA key":          {creds, accountgroups.WithSigningKey("k", rsaKey)},
		"no key id":        {creds, accountgroups.WithSigningKey("", p521)},
		"no credentials":   {accountgroups.WithSigningKey("k", p521)},
		"no secret":        {accountgroups.WithClientCredentials("id", ""), accountgroups.WithSigningKey("k", p521)},
		"too many retries": {creds, accountgroups.WithSigningKey("k", p521), accountgroups.WithMaxRetries(50)},
		"nil Ed25519 key":  {creds, accountgroups.WithSigningKey("k", ed25519.PrivateKey(nil))},
		"short Ed25519":    {creds, accountgroups.WithSigningKey("k", ed25519.PrivateKey(make([]byte, 10)))},
		"zero Ed25519":     {creds, accountgroups.WithSigningKey("k", ed25519.PrivateKey(make([]byte, ed25519.PrivateKeySize)))},
		"nil ECDSA key":    {creds, accountgroups.WithSigningKey("k", (*ecdsa.PrivateKey)(nil))},
		"P-521 without D":  {creds, accountgroups.WithSigningKey("k", &ecdsa.PrivateKey{PublicKey: p521.PublicKey})},
		"P-521, other D":   {creds, accountgroups.WithSigningKey("k", &ecdsa.PrivateKey{PublicKey: p521.PublicKey, D: big.NewInt(7)})},
		"empty ECDSA key":  {creds, accountgroups.WithSigningKey("k", &ecdsa.PrivateKey{})},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := accountgroups.NewClient(accountgroups.Sandbox, opts...); !errors.Is(err, accountkit.ErrInvalidRequest) {
				t.Errorf("NewClient = %v, want ErrInvalidRequest", err)
			}
		})
	}
}

// TestSignsEveryRequestWithEitherKey: the fake verifies every signature,
// the token request's included, so any call succeeding proves it signed.
func TestSignsEveryRequestWithEitherKey(t *testing.T) {
	_, edKey, _ := ed25519.GenerateKey(rand.Reader)
	p521, _ := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	for name, key := range map[string]crypto.Signer{"ed25519": edKey, "p521": p521} {
		t.Run(name, func(t *testing.T) {
			srv := accountgroupstest.NewServer()
			defer srv.Close()
			srv.RegisterClientKey("my-key", key.Public())
			c, err := accountgroups.NewClient(srv.Environment(),
				accountgroups.WithClientCredentials(accountgroupstest.ClientID, accountgroupstest.ClientSecret),
				accountgroups.WithSigningKey("my-key", key))
			if err != nil {
				t.Fatal(err)
			}
			g, err := c.CreateAccountGroup(context.Background(), userID, accountgroups.AccountGroupTypeISA)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.GetAccountGroup(context.Background(), g.ID); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestUnregisteredKeyIsRefused(t *testing.T) {
	srv := accountgroupstest.NewServer()
	defer srv.Close()
	other, _ := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	c, err := accountgroups.NewClient(srv.Environment(),
		accountgroups.WithClientCredentials(accountgroupstest.ClientID, accountgroupstest.ClientSecret),
		accountgroups.WithSigningKey(accountgroupstest.ClientKeyID, other), accountgroups.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetAccountGroup(context.Background(), "00000000-0000-4000-8000-000000000001")
	var apiErr *accountkit.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusUnauthorized || !strings.Contains(err.Error(), "fetch access token") {
		t.Fatalf("err = %v, want the token request refused with 401", err)
	}
	if !strings.Contains(apiErr.Detail, "signature") || apiErr.RequestID == "" {
		t.Errorf("problem %+v", apiErr)
	}
}

func TestRetriesAreSignedAfresh(t *testing.T) {
	srv, c := newFake(t, nil)
	g := srv.AddAccountGroup(accountgroups.AccountGroup{})
	srv.InjectFault(accountgroupstest.Fault{Method: http.MethodGet, Path: "/account_groups/", Status: http.StatusServiceUnavailable, Times: 2})
	if _, err := c.GetAccountGroup(context.Background(), g.ID); err != nil {
		t.Fatalf("GET after two 503s: %v", err)
	}
	if n := countMethod(srv, http.MethodGet); n != 3 {
		t.Errorf("%d GETs, want 3", n)
	}
}

// TestCreateIsIdempotent loses the answer to a create the fake carried out:
// the retry carries the same key, gets the first answer replayed, and only
// one group exists.
func TestCreateIsIdempotent(t *testing.T) {
	srv, c := newFake(t, nil)
	ctx := context.Background()
	srv.InjectFault(accountgroupstest.Fault{Method: http.MethodPost, Path: "/account_groups", Status: http.StatusBadGateway, Lost: true})
	g, err := c.CreateAccountGroup(ctx, userID, accountgroups.AccountGroupTypePersonal)
	if err != nil {
		t.Fatalf("create after a lost answer: %v", err)
	}
	if n := countMethod(srv, http.MethodPost); n != 2 {
		t.Errorf("%d POSTs, want 2", n)
	}
	n := 0
	for x, err := range c.ListUserAccountGroups(ctx, userID, nil) {
		if err != nil {
			t.Fatal(err)
		}
		if x.ID != g.ID {
			t.Errorf("a second group %s was created", x.ID)
		}
		n++
	}
	if n != 1 {
		t.Errorf("%d groups, want 1", n)
	}

	// A caller-chosen key: the same key twice is the same group.
	keyed := c.With(accountkit.WithIdempotencyKey("8a9ee4a2-0b79-4e47-9a7d-6c0a1f3e5b21"))
	a, err := keyed.CreateAccountGroup(ctx, userID, accountgroups.AccountGroupTypeISA)
	if err != nil {
		t.Fatal(err)
	}
	b, err := keyed.CreateAccountGroup(ctx, userID, accountgroups.AccountGroupTypeISA)
	if err != nil || b.ID != a.ID {
		t.Errorf("same key twice: %v, %v; want the same group", a.ID, b)
	}
	// Without a key each create is new.
	d, err := c.CreateAccountGroup(ctx, userID, accountgroups.AccountGroupTypeISA)
	if err != nil || d.ID == a.ID {
		t.Errorf("fresh create: %v, %v", d, err)
	}
}

func TestCreateRetriesKeyedPOSTWithSameKey(t *testing.T) {
	srv, c := newFake(t, nil)
	srv.InjectFault(accountgroupstest.Fault{Method: http.MethodPost, Path: "/account_groups", Status: http.StatusServiceUnavailable, Times: 3})
	if _, err := c.CreateAccountGroup(context.Background(), userID, accountgroups.AccountGroupTypePersonal); err != nil {
		t.Fatalf("create after three 503s: %v", err)
	}
	if n := countMethod(srv, http.MethodPost); n != 4 {
		t.Errorf("%d POSTs, want 4", n)
	}
}

func TestValidation(t *testing.T) {
	srv, c := newFake(t, nil)
	ctx := context.Background()
	for name, call := range map[string]func() error{
		"get no id": func() error { _, err := c.GetAccountGroup(ctx, ""); return err },
		"create no user": func() error {
			_, err := c.CreateAccountGroup(ctx, "", accountgroups.AccountGroupTypePersonal)
			return err
		},
		"create bad user": func() error {
			_, err := c.CreateAccountGroup(ctx, "bob", accountgroups.AccountGroupTypePersonal)
			return err
		},
		"create no type": func() error { _, err := c.CreateAccountGroup(ctx, userID, ""); return err },
		"create bad key": func() error {
			_, err := c.With(accountkit.WithIdempotencyKey("k1")).CreateAccountGroup(ctx, userID, "PERSONAL")
			return err
		},
		"close no id":     func() error { return c.CloseAccountGroup(ctx, "", accountgroups.ClosureReasonAML, false) },
		"close no reason": func() error { return c.CloseAccountGroup(ctx, "x", "", false) },
		"list limit": func() error {
			return calltest.FirstErr(c.ListAccountGroups(ctx, &accountgroups.ListAccountGroupsParams{Limit: 1001}))
		},
		"list order": func() error {
			return calltest.FirstErr(c.ListAccountGroups(ctx, &accountgroups.ListAccountGroupsParams{Order: "UP"}))
		},
		"user list no user": func() error { return calltest.FirstErr(c.ListUserAccountGroups(ctx, "", nil)) },
		"user list negative": func() error {
			return calltest.FirstErr(c.ListUserAccountGroups(ctx, userID, &accountgroups.ListUserAccountGroupsParams{Offset: -1}))
		},
	} {
		t.Run(name, func(t *testing.T) {
			if err := call(); !errors.Is(err, accountkit.ErrInvalidRequest) {
				t.Errorf("err = %v, want ErrInvalidRequest", err)
			}
		})
	}
	if n := len(srv.Requests()); n != 0 || srv.TokensIssued() != 0 {
		t.Errorf("%d requests and %d tokens for invalid input", n, srv.TokensIssued())
	}
}

func TestListsPage(t *testing.T) {
	srv, c := newFake(t, nil)
	ctx := context.Background()
	for range 5 {
		if _, err := c.CreateAccountGroup(ctx, userID, accountgroups.AccountGroupTypePersonal); err != nil {
			t.Fatal(err)
		}
	}
	srv.AddAccountGroup(accountgroups.AccountGroup{}) // another user's
	before := countMethod(srv, http.MethodGet)
	n := 0
	for _, err := range c.ListUserAccountGroups(ctx, userID, &accountgroups.ListUserAccountGroupsParams{Limit: 2, Order: accountgroups.SortOrderDesc}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 5 || countMethod(srv, http.MethodGet)-before != 3 {
		t.Errorf("%d groups in %d pages, want 5 in 3", n, countMethod(srv, http.MethodGet)-before)
	}
	all := 0
	for _, err := range c.ListAccountGroups(ctx, &accountgroups.ListAccountGroupsParams{Limit: 1000, Sort: accountgroups.SortFieldUpdatedAt}) {
		if err != nil {
			t.Fatal(err)
		}
		all++
	}
	if all != 6 {
		t.Errorf("%d groups in all, want 6", all)
	}
}

func TestCloseAccountGroup(t *testing.T) {
	srv, c := newFake(t, nil)
	ctx := context.Background()
	g := srv.AddAccountGroup(accountgroups.AccountGroup{})
	if err := c.CloseAccountGroup(ctx, g.ID, accountgroups.ClosureReasonUserInitiated, true); err != nil {
		t.Fatalf("notification only: %v", err)
	}
	if got, _ := srv.AccountGroup(g.ID); got.Status != accountgroups.AccountGroupStatusActive {
		t.Errorf("notification only changed the status to %s", got.Status)
	}
	if err := c.CloseAccountGroup(ctx, g.ID, accountgroups.ClosureReasonUserInitiated, false); err != nil {
		t.Fatal(err)
	}
	if got, _ := c.GetAccountGroup(ctx, g.ID); got.Status != accountgroups.AccountGroupStatusClosing {
		t.Errorf("status right after closing: %s, want CLOSING", got.Status)
	}
	waitFor(t, "CLOSED", func() bool {
		got, _ := c.GetAccountGroup(ctx, g.ID)
		return got != nil && got.Status == accountgroups.AccountGroupStatusClosed
	})
	err := c.CloseAccountGroup(ctx, g.ID, accountgroups.ClosureReasonUserInitiated, false)
	var apiErr *accountkit.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusConflict {
		t.Errorf("closing a closed group: %v, want a 409 APIError", err)
	}
}

// TestCloseRetryAfterLostAnswer: the 202 is lost, the retry meets 409
// because the group is CLOSING already, and the call reports success.
func TestCloseRetryAfterLostAnswer(t *testing.T) {
	srv, c := newFake(t, nil)
	g := srv.AddAccountGroup(accountgroups.AccountGroup{})
	srv.InjectFault(accountgroupstest.Fault{Method: http.MethodDelete, Status: http.StatusGatewayTimeout, Lost: true})
	if err := c.CloseAccountGroup(context.Background(), g.ID, accountgroups.ClosureReasonRiskBased, false); err != nil {
		t.Fatalf("close after a lost 202: %v", err)
	}
}

func TestOneTokenForConcurrentCalls(t *testing.T) {
	srv, c := newFake(t, nil)
	g := srv.AddAccountGroup(accountgroups.AccountGroup{})
	var wg sync.WaitGroup
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.GetAccountGroup(context.Background(), g.ID); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := srv.TokensIssued(); n != 1 {
		t.Errorf("%d tokens, want 1", n)
	}
}
