package fakeapi

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/accountkit/accountkit-go/accountkittest"
)

func TestRecordRedactsCredentials(t *testing.T) {
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"id"}, "client_secret": {"s3cret"}}.Encode()
	r := httptest.NewRequest(http.MethodPost, "/v2/x?a=b", strings.NewReader(form))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Authorization", "Bearer t0ken")
	r.Header.Set("Proxy-Authorization", "Basic cHJveHk6cHc=")
	r.Header.Set("Cookie", "session=abc")
	r.Header.Set("Signature", "sig1=:abc:")
	rec := record(r, "/x")
	for _, want := range [][2]string{
		{"Authorization", "Bearer " + accountkittest.Redacted},
		{"Proxy-Authorization", "Basic " + accountkittest.Redacted},
		{"Cookie", accountkittest.Redacted},
		{"Signature", "sig1=:abc:"},
	} {
		if got := rec.Header.Get(want[0]); got != want[1] {
			t.Errorf("%s recorded as %q, want %q", want[0], got, want[1])
		}
	}
	if strings.Contains(string(rec.Body), "s3cret") || !strings.Contains(string(rec.Body), "client_id=id") {
		t.Errorf("body recorded as %q", rec.Body)
	}
	if r.Header.Get("Authorization") != "Bearer t0ken" {
		t.Error("recording changed the request's own headers")
	}
	if rest, _ := io.ReadAll(r.Body); string(rest) != form {
		t.Errorf("the handler reads %q, want the whole body", rest)
	}
	if rec.Path != "/x" || rec.Query != "a=b" || rec.Method != http.MethodPost {
		t.Errorf("recorded %+v", rec)
	}
}

func TestRecordCapsTheBody(t *testing.T) {
	body := strings.Repeat("x", accountkittest.MaxBodySize+10)
	for _, length := range []int64{int64(len(body)), -1} {
		r := httptest.NewRequest(http.MethodPut, "/x", strings.NewReader(body))
		r.ContentLength = length
		rec := record(r, "/x")
		rest, _ := io.ReadAll(r.Body)
		if len(rec.Body) != accountkittest.MaxBodySize || len(rest) != len(body) {
			t.Errorf("length %d: recorded %d bytes, handler read %d", length, len(rec.Body), len(rest))
		}
	}
}

func TestTokens(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	var status int
	tokens := &Tokens{
		ClientID: "id", ClientSecret: "secret", Scopes: []string{"a:read", "a:admin"},
		Implies: map[string][]string{"a:admin": {"a:read"}},
		TTL:     time.Minute, Now: func() time.Time { return now }, Prefix: "t_",
		AuthError: func(w http.ResponseWriter, s int, _ string) { status = s; w.WriteHeader(s) },
	}
	if _, refused := tokens.Issue("id", "wrong", nil); refused == nil || refused.Code != "invalid_client" {
		t.Errorf("wrong secret: %v", refused)
	}
	if _, refused := tokens.Issue("id", "secret", []string{"b:read"}); refused == nil || refused.Code != "invalid_scope" {
		t.Errorf("unknown scope: %v", refused)
	}
	g, refused := tokens.Issue("id", "secret", []string{"a:admin"})
	if refused != nil || !strings.HasPrefix(g.AccessToken, "t_") || g.ExpiresIn != 60 || g.Scope != "a:admin" {
		t.Fatalf("Issue: %+v %v", g, refused)
	}
	if s, _ := tokens.Check("Bearer "+g.AccessToken, "a:read"); s != 0 {
		t.Errorf("a:admin implies a:read: %d", s)
	}
	if s, _ := tokens.Check("bearer "+g.AccessToken, "c:read", "a:admin"); s != 0 {
		t.Errorf("any of the scopes, scheme in lower case: %d", s)
	}
	if s, _ := tokens.Check("Bearer "+g.AccessToken, "c:read"); s != http.StatusForbidden {
		t.Errorf("a scope the token lacks: %d", s)
	}
	tokens.Add("fixed", "a:read")
	now = now.Add(time.Hour)
	if s, _ := tokens.Check("Bearer "+g.AccessToken, "a:read"); s != http.StatusUnauthorized {
		t.Errorf("an expired token: %d", s)
	}
	h := tokens.Require(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }, "a:read")
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("Authorization", "Bearer fixed")
	w := httptest.NewRecorder()
	h(w, r)
	if w.Code != http.StatusNoContent {
		t.Errorf("an added token, an hour on: %d", w.Code)
	}
	tokens.ExpireAll()
	h(httptest.NewRecorder(), r)
	if status != http.StatusUnauthorized || tokens.Issued() != 1 {
		t.Errorf("after ExpireAll: %d; issued %d", status, tokens.Issued())
	}
}

func TestPage(t *testing.T) {
	all := []int{1, 2, 3, 4, 5}
	for _, tc := range []struct{ offset, limit, want int }{{0, 2, 2}, {4, 2, 1}, {5, 2, 0}, {0, 0, 0}, {9, 1, 0}} {
		if got := Page(all, tc.offset, tc.limit); len(got) != tc.want {
			t.Errorf("Page(offset %d, limit %d) = %v", tc.offset, tc.limit, got)
		}
	}
}

// TestTokensRequireScope: with RequireScope a token request without a
// scope is invalid_request; without it, one is issued with no scopes.
func TestTokensRequireScope(t *testing.T) {
	for _, require := range []bool{false, true} {
		var code string
		tokens := &Tokens{
			ClientID: "id", ClientSecret: "secret", TTL: time.Minute, RequireScope: require,
			TokenError: func(w http.ResponseWriter, s int, c, _ string) { code = c; w.WriteHeader(s) },
		}
		for _, scope := range []string{"", " "} {
			form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"id"}, "client_secret": {"secret"}}
			if scope != "" {
				form.Set("scope", scope)
			}
			r := httptest.NewRequest(http.MethodPost, "/token", strings.NewReader(form.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			w := httptest.NewRecorder()
			code = ""
			tokens.ServeHTTP(w, r)
			if require && (w.Code != http.StatusBadRequest || code != "invalid_request") {
				t.Errorf("RequireScope, scope %q: %d %q, want 400 invalid_request", scope, w.Code, code)
			}
			if !require && w.Code != http.StatusOK {
				t.Errorf("scope %q: %d, want 200", scope, w.Code)
			}
		}
	}
}

// TestHarnessRequestID: the prefix and a sequence number, or what
// RequestID makes of the number.
func TestHarnessRequestID(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {})
	for _, tc := range []struct {
		h    *Harness
		want string
	}{
		{&Harness{RequestIDHeader: "X-Request-Id", RequestIDPrefix: "fake-"}, "fake-000002"},
		{&Harness{RequestIDHeader: "X-Request-Id", RequestIDPrefix: "fake-", RequestID: func(n int) string { return fmt.Sprintf("id-%d", n) }}, "id-2"},
	} {
		h := tc.h.Wrap(ok)
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
		if got := w.Header().Get("X-Request-Id"); got != tc.want {
			t.Errorf("second request id %q, want %q", got, tc.want)
		}
	}
}
