package transport

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/accountkit/accountkit-go"
)

// TestMayHaveApplied: a call that ends in a 409 after retries reports an
// earlier attempt that may have been carried out only when one was
// answered 5xx; attempts refused unprocessed (408, 429) do not count.
func TestMayHaveApplied(t *testing.T) {
	for _, tc := range []struct {
		statuses []int
		want     bool
	}{
		{[]int{409}, false},
		{[]int{429, 409}, false},
		{[]int{408, 429, 409}, false},
		{[]int{503, 409}, true},
		{[]int{429, 500, 409}, true},
		{[]int{502, 404}, true},
	} {
		s := newServer(t, tc.statuses...)
		d := newDoer(t, Config{})
		req, _ := http.NewRequest(http.MethodPut, s.URL, bytes.NewReader([]byte(`{}`)))
		_, err := d.Do(req)
		var apiErr *accountkit.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != tc.statuses[len(tc.statuses)-1] {
			t.Fatalf("%v: %v", tc.statuses, err)
		}
		if got := MayHaveApplied(err); got != tc.want {
			t.Errorf("%v: MayHaveApplied %v, want %v", tc.statuses, got, tc.want)
		}
		if apiErr.Attempts != len(tc.statuses) {
			t.Errorf("%v: Attempts %d, want %d", tc.statuses, apiErr.Attempts, len(tc.statuses))
		}
	}
}

// TestMayHaveAppliedConnectionErrors: a connection that could not be made
// carried nothing; one that failed with the request on its way may have.
func TestMayHaveAppliedConnectionErrors(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}, false},
		{&net.DNSError{Err: "no such host", Name: "paxos.invalid", IsNotFound: true}, false},
		{&net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}, true},
		{errors.New("http2: stream closed"), true},
	} {
		if got := mayHaveArrived(tc.err); got != tc.want {
			t.Errorf("mayHaveArrived(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}

// TestAttemptsCountsRequestsSent: a token that cannot be fetched sends
// nothing, and that attempt is not counted; a 401 that makes the token be
// fetched again was sent, and is.
func TestAttemptsCountsRequestsSent(t *testing.T) {
	s := newServer(t, 401, 400)
	var fetches atomic.Int32
	cache := NewTokenCache(func(context.Context) (*oauth2.Token, error) {
		if fetches.Add(1) == 1 {
			return nil, errors.New("token endpoint unreachable")
		}
		return &oauth2.Token{AccessToken: "tok", TokenType: "Bearer", Expiry: time.Now().Add(time.Hour)}, nil
	})
	d := newDoer(t, Config{Tokens: cache})
	req, _ := http.NewRequest(http.MethodGet, s.URL, nil)
	_, err := d.Do(req)
	var apiErr *accountkit.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 {
		t.Fatalf("%v, want the 400", err)
	}
	if apiErr.Attempts != 2 || s.count() != 2 || fetches.Load() != 3 {
		t.Errorf("Attempts %d, %d requests, %d token fetches; want 2, 2, 3", apiErr.Attempts, s.count(), fetches.Load())
	}
	if MayHaveApplied(err) {
		t.Error("MayHaveApplied after a failed token fetch and a 401")
	}
}
