package transport

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/accountkit/accountkit-go"
)

// optionsServer answers with statuses in turn (the last one for every
// request after) and records each request's query and X-Tenant header.
type optionsServer struct {
	*httptest.Server
	mu       sync.Mutex
	queries  []string
	tenants  []string
	statuses []int
}

func newOptionsServer(t *testing.T, statuses ...int) *optionsServer {
	s := &optionsServer{statuses: statuses}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		n := len(s.queries)
		s.queries = append(s.queries, r.URL.RawQuery)
		s.tenants = append(s.tenants, strings.Join(r.Header.Values("X-Tenant"), ","))
		s.mu.Unlock()
		w.Header().Set("X-Request-Id", "req-"+string(rune('1'+n)))
		status := s.statuses[min(n, len(s.statuses)-1)]
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`{}`))
	}))
	t.Cleanup(s.Close)
	return s
}

func newOptionsDoer(t *testing.T, sign func(*http.Request) error) *Doer {
	t.Helper()
	cfg := Config{
		MaxRetries:       3,
		RequestIDHeaders: []string{"X-Request-Id"},
		Header:           http.Header{"X-Tenant": {"client-default"}},
		Sign:             sign,
	}
	cfg.sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	d, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestCallOptionsReachEveryAttempt checks that a call's header is on
// every attempt, before the signature; that its query is added once; and
// that WithResponse gets the final answer.
func TestCallOptionsReachEveryAttempt(t *testing.T) {
	srv := newOptionsServer(t, http.StatusServiceUnavailable, http.StatusOK)
	var signed []string
	d := newOptionsDoer(t, func(r *http.Request) error {
		signed = append(signed, r.Header.Get("X-Tenant"))
		return nil
	})
	var resp accountkit.Response
	opts := []accountkit.CallOption{
		accountkit.WithHeader("x-tenant", "t1"),
		accountkit.WithQuery("select", "+audit"),
		accountkit.WithResponse(&resp),
	}
	ctx, done, err := Begin(t.Context(), "test", "Get", opts)
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/x?a=1", nil)
	if err := Call(d, req, nil); err != nil {
		t.Fatal(err)
	}
	if want := []string{"a=1&select=%2Baudit", "a=1&select=%2Baudit"}; strings.Join(srv.queries, " ") != strings.Join(want, " ") {
		t.Errorf("queries %q, want %q", srv.queries, want)
	}
	if strings.Join(srv.tenants, " ") != "t1 t1" || strings.Join(signed, " ") != "t1 t1" {
		t.Errorf("X-Tenant sent %q, signed %q; want the call's t1 on both attempts, replacing the client's", srv.tenants, signed)
	}
	if resp.StatusCode != http.StatusOK || resp.RequestID != "req-2" || resp.Attempts != 2 || resp.Header.Get("X-Request-Id") != "req-2" {
		t.Errorf("response %+v, want 200, req-2, 2 attempts", resp)
	}
}

func TestCallOptionsResponseOnFailure(t *testing.T) {
	srv := newOptionsServer(t, http.StatusNotFound)
	d := newOptionsDoer(t, nil)
	resp := accountkit.Response{StatusCode: 999}
	ctx, done, err := Begin(t.Context(), "test", "Get", []accountkit.CallOption{accountkit.WithResponse(&resp)})
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	if resp.StatusCode != 0 || resp.Header != nil || resp.RequestID != "" || resp.Attempts != 0 {
		t.Errorf("Begin left %+v; want a zero Response until an answer", resp)
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	err = Call(d, req, nil)
	var apiErr *accountkit.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v, want an APIError", err)
	}
	if resp.StatusCode != http.StatusNotFound || resp.RequestID != apiErr.RequestID || resp.RequestID != "req-1" || resp.Attempts != 1 {
		t.Errorf("response %+v, want 404 req-1 after 1 attempt", resp)
	}

	// No answer at all: the attempts, and no status.
	srv.Close()
	req, _ = http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	if err := Call(d, req, nil); err == nil {
		t.Fatal("no error from a closed server")
	}
	if resp.StatusCode != 0 || resp.Header != nil || resp.Attempts != 4 {
		t.Errorf("response %+v, want no status after 4 attempts", resp)
	}
}

func TestCallMaxRetries(t *testing.T) {
	for _, tc := range []struct {
		opts []accountkit.CallOption
		want int
	}{
		{nil, 4}, // the client's 3 retries
		{[]accountkit.CallOption{accountkit.WithMaxRetries(0)}, 1},
		{[]accountkit.CallOption{accountkit.WithMaxRetries(5)}, 6},
		{[]accountkit.CallOption{accountkit.WithMaxRetries(5), accountkit.WithMaxRetries(1)}, 2}, // the later wins
	} {
		srv := newOptionsServer(t, http.StatusServiceUnavailable)
		d := newOptionsDoer(t, nil)
		ctx, done, err := Begin(t.Context(), "test", "Get", tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
		_ = Call(d, req, nil)
		done()
		if len(srv.queries) != tc.want {
			t.Errorf("%d options: %d requests, want %d", len(tc.opts), len(srv.queries), tc.want)
		}
	}
}

func TestBeginRefusesInvalidOptions(t *testing.T) {
	for name, opt := range map[string]accountkit.CallOption{
		"header name":       accountkit.WithHeader("X Tenant", "t"),
		"empty header name": accountkit.WithHeader("", "t"),
		"header value":      accountkit.WithHeader("X-Tenant", "a\r\nInjected: 1"),
		"authorization":     accountkit.WithHeader("authorization", "Bearer x"),
		"idempotency-key":   accountkit.WithHeader("Idempotency-Key", "8a9ee4a2-0b79-4e47-9a7d-6c0a1f3e5b21"),
		"query name":        accountkit.WithQuery("", "x"),
		"negative retries":  accountkit.WithMaxRetries(-1),
		"too many retries":  accountkit.WithMaxRetries(21),
		"zero timeout":      accountkit.WithTimeout(0),
		"key not a UUID":    accountkit.WithIdempotencyKey("k1"),
		"nil response":      accountkit.WithResponse(nil),
	} {
		_, done, err := Begin(t.Context(), "test", "Get", []accountkit.CallOption{accountkit.WithMaxRetries(1), opt})
		done()
		if !errors.Is(err, accountkit.ErrInvalidRequest) || !strings.HasPrefix(err.Error(), "test: Get: invalid request: ") {
			t.Errorf("%s: err = %v, want ErrInvalidRequest", name, err)
		}
	}
	//lint:ignore SA1012 the nil context is the point
	if _, _, err := Begin(nil, "test", "Get", []accountkit.CallOption(nil)); !errors.Is(err, accountkit.ErrInvalidRequest) {
		t.Errorf("nil context: %v", err)
	}
}

func TestBeginSkipsNilAndNamesTheCall(t *testing.T) {
	ctx, done, err := Begin(t.Context(), "paxos", "GetAccount", []accountkit.CallOption{nil})
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	if got := accountkit.OperationName(ctx); got != "paxos.GetAccount" {
		t.Errorf("OperationName = %q", got)
	}
	if _, ok := ctx.Deadline(); ok {
		t.Error("a deadline without WithTimeout")
	}
	// A call made within another is part of it.
	type key struct{}
	inner, innerDone, err := Begin(context.WithValue(ctx, key{}, 1), "paxos", "GetAccount2", []accountkit.CallOption{accountkit.WithTimeout(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	innerDone()
	if got := accountkit.OperationName(inner); got != "paxos.GetAccount" {
		t.Errorf("inner OperationName = %q, want the outer call's", got)
	}
	if _, ok := inner.Deadline(); ok {
		t.Error("the inner call set a deadline of its own")
	}
	if got := accountkit.OperationName(t.Context()); got != "" {
		t.Errorf("OperationName outside a call = %q", got)
	}
}

func TestBeginTimeoutBoundsTheCall(t *testing.T) {
	ctx, done, err := Begin(t.Context(), "test", "Get", []accountkit.CallOption{accountkit.WithTimeout(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if dl, ok := ctx.Deadline(); !ok || time.Until(dl) > time.Hour {
		t.Errorf("deadline %v, %v", dl, ok)
	}
	// Contexts derived from the call's stay cancelled with it, without a
	// goroutine of their own.
	child, cancel := context.WithCancel(ctx)
	defer cancel()
	done()
	select {
	case <-child.Done():
	case <-time.After(time.Second):
		t.Fatal("ending the call did not end a context derived from it")
	}
}

func TestBeginWithoutOptionsAllocatesOnce(t *testing.T) {
	ctx := t.Context()
	n := testing.AllocsPerRun(100, func() {
		_, done, _ := Begin(ctx, "paxos", "GetAccount", []accountkit.CallOption(nil))
		done()
	})
	if n != 1 {
		t.Errorf("%v allocations, want 1", n)
	}
}

// TestTokenFetchIsNamedApart checks that a token fetch, shared by every
// caller waiting for it, is named for what it is rather than for the
// first caller's operation, and takes none of its options.
func TestTokenFetchIsNamedApart(t *testing.T) {
	var name string
	cache := NewTokenCache(func(ctx context.Context) (*oauth2.Token, error) {
		name = accountkit.OperationName(ctx)
		return &oauth2.Token{AccessToken: "t"}, nil
	})
	ctx, done, err := Begin(t.Context(), "paxos", "GetAccount", []accountkit.CallOption{accountkit.WithHeader("X-Tenant", "t1")})
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	if _, err := cache.Token(ctx); err != nil {
		t.Fatal(err)
	}
	if name != "paxos.FetchToken" {
		t.Errorf("token fetch named %q, want paxos.FetchToken", name)
	}
}
