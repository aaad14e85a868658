package accountgroups_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/accountkit/accountkit-go"
	"github.com/accountkit/accountkit-go/accountgroups"
	"github.com/accountkit/accountkit-go/accountgroups/accountgroupstest"
	"github.com/accountkit/accountkit-go/internal/fixture"
	"github.com/accountkit/accountkit-go/internal/uuid"
)

// The seed page's ids.
const (
	seedGroupID = "9d95820d-4333-46b6-98de-04ab7512e76f"
	seedUserID  = "413715f2-5401-4b97-8055-034a6b879f8c"
)

var (
	signatureParams = regexp.MustCompile(`;nonce="[^"]*";created=\d+;expires=\d+`)
	keyIDParam      = regexp.MustCompile(`;keyid="[^"]*"`)
)

// scrub hides what changes from run to run in a signed request (nonce and
// times, the key id, random idempotency keys) and the secrets, keeping
// what is checked: the covered components.
func scrub(name, value string) string {
	switch strings.ToLower(name) {
	case "signature-input":
		value = signatureParams.ReplaceAllString(value, `;nonce="NONCE";created=0;expires=10`)
		return keyIDParam.ReplaceAllString(value, `;keyid="KEY"`)
	case "content-digest":
		// Over the token request's form it is a hash of the client secret.
		return fixture.Redacted
	case "idempotency-key":
		if uuid.Valid(value) && value[14] == '4' {
			return "RANDOM-UUID-V4"
		}
	}
	return fixture.DefaultScrub(name, value)
}

type scenario struct {
	name  string
	docs  bool
	setup func(srv *accountgroupstest.Server)
	run   func(ctx context.Context, c *accountgroups.Client) (any, error)
}

func newFixtureClient(t *testing.T, sc scenario) (*accountgroups.Client, *fixture.Recorder, *accountgroupstest.Server) {
	t.Helper()
	env := accountgroups.Sandbox
	opts := fixture.Options{
		BaseURL:         env.BaseURL,
		RequestHeaders:  []string{"Accept", "Authorization", "Content-Type", "Content-Digest", "Idempotency-Key", "Signature", "Signature-Input", "Upvest-Api-Version", "Upvest-Client-Id", "Upvest-Signature-Version"},
		ResponseHeaders: []string{"Content-Type", "Upvest-Request-Id"},
		Upstream:        http.DefaultTransport,
		Scrub:           scrub,
	}
	clientID, secret := accountgroupstest.ClientID, "replay-secret"
	keyID, key := "replay-key", crypto.Signer(mustKey(t))
	var srv *accountgroupstest.Server
	realID, realSecret, realKeyID, realKeyFile := os.Getenv("UPVEST_CLIENT_ID"), os.Getenv("UPVEST_CLIENT_SECRET"), os.Getenv("UPVEST_KEY_ID"), os.Getenv("UPVEST_PRIVATE_KEY_FILE")
	switch {
	case fixture.Recording() && !sc.docs && realID != "" && realSecret != "" && realKeyID != "" && realKeyFile != "":
		k, err := accountgroups.LoadPrivateKey(realKeyFile)
		if err != nil {
			t.Fatal(err)
		}
		clientID, secret, keyID, key = realID, realSecret, realKeyID, k
		opts.Source = "upvest sandbox"
	case fixture.Recording() && !sc.docs:
		tick := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		var mu sync.Mutex
		srv = accountgroupstest.NewServer(accountgroupstest.WithDeterministicIDs(), accountgroupstest.WithClock(func() time.Time {
			mu.Lock()
			defer mu.Unlock()
			tick = tick.Add(time.Second)
			return tick
		}))
		t.Cleanup(srv.Close)
		env = srv.Environment()
		opts.BaseURL, opts.Source = env.BaseURL, "accountgroupstest fake"
		keyID, key = srv.SigningKey()
		clientID, secret = accountgroupstest.ClientID, accountgroupstest.ClientSecret
	}
	rec := fixture.New(t, sc.name, opts)
	if !rec.Recording() {
		env = accountgroups.Sandbox
	}
	c, err := accountgroups.NewClient(env,
		accountgroups.WithClientCredentials(clientID, secret),
		accountgroups.WithSigningKey(keyID, key),
		accountgroups.WithHTTPClient(rec.Client()))
	if err != nil {
		t.Fatal(err)
	}
	return c, rec, srv
}

func mustKey(t *testing.T) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

var scenarios = []scenario{
	{
		name: "get_account_group", docs: true,
		run: func(ctx context.Context, c *accountgroups.Client) (any, error) {
			return c.GetAccountGroup(ctx, seedGroupID)
		},
	},
	{
		name: "list_account_groups", docs: true,
		run: func(ctx context.Context, c *accountgroups.Client) (any, error) {
			return collect(c.ListAccountGroups(ctx, &accountgroups.ListAccountGroupsParams{Sort: accountgroups.SortFieldCreatedAt, Order: accountgroups.SortOrderAsc}))
		},
	},
	{
		name: "list_user_account_groups", docs: true,
		run: func(ctx context.Context, c *accountgroups.Client) (any, error) {
			return collect(c.ListUserAccountGroups(ctx, seedUserID, nil))
		},
	},
	{
		name: "create_account_group", docs: true,
		run: func(ctx context.Context, c *accountgroups.Client) (any, error) {
			return c.CreateAccountGroup(ctx, seedUserID, accountgroups.AccountGroupTypePersonal)
		},
	},
	{
		name: "close_account_group", docs: true,
		run: func(ctx context.Context, c *accountgroups.Client) (any, error) {
			return "closing", c.CloseAccountGroup(ctx, seedGroupID, accountgroups.ClosureReasonUserInitiated, false)
		},
	},
	{
		name: "list_account_groups_pages",
		setup: func(srv *accountgroupstest.Server) {
			for range 3 {
				srv.AddAccountGroup(accountgroups.AccountGroup{Users: []accountgroups.AccountGroupUser{{ID: seedUserID, Type: accountgroups.AccountGroupUserTypeOwner}}})
			}
		},
		run: func(ctx context.Context, c *accountgroups.Client) (any, error) {
			return collect(c.ListUserAccountGroups(ctx, seedUserID, &accountgroups.ListUserAccountGroupsParams{Limit: 2}))
		},
	},
	{
		name: "close_account_group_conflict",
		setup: func(srv *accountgroupstest.Server) {
			srv.AddAccountGroup(accountgroups.AccountGroup{ID: seedGroupID, Status: accountgroups.AccountGroupStatusLocked})
		},
		run: func(ctx context.Context, c *accountgroups.Client) (any, error) {
			err := c.CloseAccountGroup(ctx, seedGroupID, accountgroups.ClosureReasonAML, false)
			var apiErr *accountkit.APIError
			if !errors.As(err, &apiErr) {
				return nil, err
			}
			return map[string]any{"error": err.Error(), "status": apiErr.StatusCode, "detail": apiErr.Detail, "request_id": apiErr.RequestID}, nil
		},
	},
}

func collect(seq func(func(*accountgroups.AccountGroup, error) bool)) ([]*accountgroups.AccountGroup, error) {
	var out []*accountgroups.AccountGroup
	for g, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, nil
}

// TestFixtures replays every scenario, signed requests and token exchange
// included, and compares the results with the golden files.
func TestFixtures(t *testing.T) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			c, rec, srv := newFixtureClient(t, sc)
			if rec.Recording() && sc.setup != nil && srv != nil {
				sc.setup(srv)
			}
			got, err := sc.run(context.Background(), c)
			if err != nil {
				t.Fatalf("%s: %v", sc.name, err)
			}
			fixture.Golden(t, sc.name, got)
		})
	}
}
