package transport

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func TestNewRequestCarriesItsPathTemplate(t *testing.T) {
	req, err := NewRequest(t.Context(), http.MethodGet, "/identity/accounts/{id}", "http://x/v2/identity/accounts/a1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := PathTemplate(req); got != "/identity/accounts/{id}" {
		t.Errorf("PathTemplate = %q", got)
	}
	if got := Endpoint(req); got != "GET /identity/accounts/{id}" {
		t.Errorf("Endpoint = %q", got)
	}
	// A retry's copy keeps it: the context goes with the request.
	if got := Endpoint(req.Clone(req.Context())); got != "GET /identity/accounts/{id}" {
		t.Errorf("Endpoint of a clone = %q", got)
	}
	plain := httptest.NewRequest(http.MethodDelete, "http://x/a", nil)
	if got := Endpoint(plain); got != "DELETE ?" {
		t.Errorf("Endpoint of a request built elsewhere = %q", got)
	}
}

// TestLimitRunsOnEveryAttemptBeforeSign: each attempt waits its turn (a
// retry is a request like any other for the vendor's limit), and is
// signed after the wait.
func TestLimitRunsOnEveryAttemptBeforeSign(t *testing.T) {
	var served atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if served.Add(1) < 3 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte(`{}`))
	}))
	t.Cleanup(srv.Close)
	var order []string
	cfg := Config{
		MaxRetries: 3,
		Limit: func(r *http.Request) error {
			order = append(order, "limit "+Endpoint(r))
			return nil
		},
		Sign: func(r *http.Request) error {
			order = append(order, "sign")
			return nil
		},
	}
	cfg.sleep = func(context.Context, time.Duration) error { return nil }
	d, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	req, err := NewRequest(t.Context(), http.MethodGet, "/things/{id}", srv.URL+"/things/1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := Call(d, req, nil); err != nil {
		t.Fatal(err)
	}
	want := "[limit GET /things/{id} sign limit GET /things/{id} sign limit GET /things/{id} sign]"
	if got := fmt.Sprint(order); got != want {
		t.Errorf("order = %s\nwant    %s", got, want)
	}
}

// TestLimitFailureIsNotRetried: when the limit says the context ends
// before the request's turn, the call ends with that error and nothing is
// sent, even though a preparation failure is otherwise worth a retry.
func TestLimitFailureIsNotRetried(t *testing.T) {
	var served, limited atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { served.Add(1) }))
	t.Cleanup(srv.Close)
	cfg := Config{
		MaxRetries: 3,
		Limit: func(r *http.Request) error {
			limited.Add(1)
			return fmt.Errorf("the wait would outlast the deadline: %w", context.DeadlineExceeded)
		},
	}
	cfg.sleep = func(context.Context, time.Duration) error { return nil }
	d, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	req, err := NewRequest(t.Context(), http.MethodGet, "/things", srv.URL+"/things", nil)
	if err != nil {
		t.Fatal(err)
	}
	err = Call(d, req, nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want one wrapping context.DeadlineExceeded", err)
	}
	if limited.Load() != 1 || served.Load() != 0 {
		t.Errorf("limit ran %d times and the server got %d requests; want 1 and 0", limited.Load(), served.Load())
	}
}
