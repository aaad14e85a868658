package accountgroupstest_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/accountkit/accountkit-go/accountgroups"
	"github.com/accountkit/accountkit-go/accountgroups/accountgroupstest"
	"github.com/accountkit/accountkit-go/accountkittest"
)

// TestFakeMountedOnMux serves the fake under a prefix of the test's own
// mux and drives it with the SDK: signatures cover the path the client
// sent, prefix included, and still verify.
func TestFakeMountedOnMux(t *testing.T) {
	fake := accountgroupstest.New(accountgroupstest.WithClosingDelay(time.Millisecond))
	defer fake.Close()
	mux := http.NewServeMux()
	mux.Handle("/upvest/", http.StripPrefix("/upvest", fake))
	ts := httptest.NewServer(mux)
	defer ts.Close()

	c, err := fake.NewClientAt(ts.URL + "/upvest")
	if err != nil {
		t.Fatal(err)
	}
	const user = "413715f2-5401-4b97-8055-034a6b879f8c"
	g, err := c.CreateAccountGroup(t.Context(), user, accountgroups.AccountGroupTypePersonal)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, err := range c.ListUserAccountGroups(t.Context(), user, &accountgroups.ListUserAccountGroupsParams{Limit: 10}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if err := c.CloseAccountGroup(t.Context(), g.ID, accountgroups.ClosureReasonUserInitiated, false); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("listed %d groups, want 1", n)
	}
	if got, ok := fake.AccountGroup(g.ID); !ok || got.Status == accountgroups.AccountGroupStatusActive {
		t.Errorf("the fake holds %+v, %v", got, ok)
	}

	reqs := fake.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3 (token requests are not listed)", len(reqs))
	}
	create := reqs[0]
	if create.Path != "/account_groups" || create.Status != http.StatusOK || !strings.Contains(string(create.Body), user) {
		t.Errorf("create recorded as %s %d %q", create.Path, create.Status, create.Body)
	}
	if got := create.Header.Get("Authorization"); got != "Bearer "+accountkittest.Redacted {
		t.Errorf("Authorization recorded as %q", got)
	}
	if create.Header.Get(accountgroups.HeaderClientID) != accountgroupstest.ClientID || create.Header.Get("Signature") == "" ||
		create.Header.Get("Signature-Input") == "" || create.Header.Get("Idempotency-Key") == "" || create.Header.Get("Content-Digest") == "" {
		t.Errorf("headers that are not secret were not kept: %v", create.Header)
	}
	if reqs[1].Path != "/users/"+user+"/account_groups" || reqs[1].Query != "limit=10" || reqs[2].Method != http.MethodDelete {
		t.Errorf("requests %+v", reqs[1:])
	}
	for _, r := range reqs {
		raw, _ := json.Marshal(r)
		if strings.Contains(string(raw), accountgroupstest.ClientSecret) || strings.Contains(string(raw), "accountgroupstest_") {
			t.Errorf("a credential was recorded: %s", raw)
		}
	}
}

// TestFakeWithRecorder drives the handler with httptest.NewRecorder.
func TestFakeWithRecorder(t *testing.T) {
	fake := accountgroupstest.New()
	g := fake.AddAccountGroup(accountgroups.AccountGroup{})
	fake.AddToken("tok")
	req := signed(t, fake, http.MethodGet, "/account_groups/"+g.ID, "", 15, time.Now(),
		map[string]string{"Authorization": "Bearer tok", accountgroups.HeaderSignatureVersion: "15"})
	req.RequestURI = req.URL.RequestURI() // as a server sets it
	rec := httptest.NewRecorder()
	fake.ServeHTTP(rec, req)
	var got accountgroups.AccountGroup
	if err := json.NewDecoder(rec.Body).Decode(&got); rec.Code != http.StatusOK || err != nil || got.ID != g.ID {
		t.Fatalf("GET: %d %+v %v", rec.Code, got, err)
	}
	if rec.Header().Get(accountgroups.HeaderRequestID) == "" {
		t.Error("no request id")
	}
	req.Header.Set("Authorization", "Bearer changed") // covered by the signature
	rec = httptest.NewRecorder()
	fake.ServeHTTP(rec, req)
	if rec.Code != http.StatusUnauthorized {
		t.Errorf("a tampered request: %d, want 401", rec.Code)
	}
}

// independentRequests are requests signed by Upvest's own reference
// signer (its JavaScript example), recorded with their token, key and
// time; see testdata/independent.
type independentRequests struct {
	Key struct {
		Kid, X, Y string
	} `json:"key"`
	Token    string `json:"token"`
	Created  int64  `json:"created"`
	Requests []struct {
		Name, Method, Path, Query, Body string
		Headers                         [][2]string
	} `json:"requests"`
}

// TestReplayRequestsOfAnotherSigner replays requests another client
// signed, some without upvest-api-version: AddToken takes their token,
// RegisterClientKey their key, WithSignatureClock their time.
func TestReplayRequestsOfAnotherSigner(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "independent", "requests.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rec independentRequests
	if err := json.Unmarshal(raw, &rec); err != nil {
		t.Fatal(err)
	}
	coord := func(s string) *big.Int {
		b, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil {
			t.Fatal(err)
		}
		return new(big.Int).SetBytes(b)
	}
	fake := accountgroupstest.New(accountgroupstest.WithSignatureClock(func() time.Time { return time.Unix(rec.Created, 0) }))
	fake.RegisterClientKey(rec.Key.Kid, &ecdsa.PublicKey{Curve: elliptic.P521(), X: coord(rec.Key.X), Y: coord(rec.Key.Y)})
	fake.AddToken(rec.Token)
	fake.AddAccountGroup(accountgroups.AccountGroup{ID: "00000000-0000-4000-8000-000000000001"})

	for _, r := range rec.Requests {
		target := r.Path
		if r.Query != "" {
			target += "?" + r.Query
		}
		req := httptest.NewRequest(r.Method, target, strings.NewReader(r.Body))
		for _, h := range r.Headers {
			req.Header.Add(h[0], h[1])
		}
		w := httptest.NewRecorder()
		fake.ServeHTTP(w, req)
		if w.Code >= 300 {
			t.Errorf("%s: %d %s", r.Name, w.Code, w.Body)
		}
	}
	if len(rec.Requests) < 2 {
		t.Errorf("only %d recorded requests", len(rec.Requests))
	}
}
