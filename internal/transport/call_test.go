package transport

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/accountkit/accountkit-go"
)

type thing struct {
	ID string `json:"id"`
}

// senderFunc is a Sender made of a function.
type senderFunc func(*http.Request) (*http.Response, error)

func (f senderFunc) Do(req *http.Request) (*http.Response, error) { return f(req) }

// answer is a Sender that answers every request with status and body, as
// a plain client would: unbuffered, and non-2xx answers as they are.
func answer(status int, body string) Sender {
	return senderFunc(func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(strings.NewReader(body))}, nil
	})
}

// serve answers every request with status and body through a Doer, which
// buffers 2xx answers.
func serve(t *testing.T, status int, body string) (Sender, string) {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	d, err := New(Config{MaxRetries: 0})
	if err != nil {
		t.Fatal(err)
	}
	return d, srv.URL
}

func newGet(t *testing.T, target string) *http.Request {
	t.Helper()
	req, err := NewRequest(t.Context(), http.MethodGet, "/thing", target, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func TestCallDecodesTheAnswer(t *testing.T) {
	for name, sender := range map[string]func(t *testing.T) (Sender, string){
		"buffered by a Doer": func(t *testing.T) (Sender, string) { return serve(t, http.StatusCreated, `{"id":"a"}`) },
		"plain stream":       func(*testing.T) (Sender, string) { return answer(http.StatusCreated, `{"id":"a"}`), "http://x" },
	} {
		t.Run(name, func(t *testing.T) {
			s, url := sender(t)
			var out thing
			if err := Call(s, newGet(t, url), &out); err != nil || out.ID != "a" {
				t.Fatalf("Call = %+v, %v", out, err)
			}
			if err := Call(s, newGet(t, url), nil); err != nil {
				t.Fatalf("Call with nothing to decode = %v", err)
			}
		})
	}
}

func TestCallReportsAnswersWithoutAModel(t *testing.T) {
	for name, tc := range map[string]struct {
		body string
		want string
	}{
		"empty":      {"", `the 200 answer (content type "application/json") is empty where transport.thing was expected`},
		"blank":      {" \n", "is empty where transport.thing was expected"},
		"null":       {"null", "is null where transport.thing was expected"},
		"not JSON":   {"<html>", `decode 200 answer (content type "application/json") as transport.thing: invalid character '<'`},
		"wrong type": {`[1]`, "decode 200 answer"},
	} {
		t.Run(name, func(t *testing.T) {
			for _, s := range []func() (Sender, string){
				func() (Sender, string) { return serve(t, http.StatusOK, tc.body) },
				func() (Sender, string) { return answer(http.StatusOK, tc.body), "http://x" },
			} {
				sender, url := s()
				var out thing
				err := Call(sender, newGet(t, url), &out)
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("Call(%q) = %v, want an error containing %q", tc.body, err, tc.want)
				}
			}
		})
	}
	// A truncated answer stays recognisable as one.
	s, url := serve(t, http.StatusOK, `{"id":"tru`)
	if err := Call(s, newGet(t, url), new(thing)); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("truncated answer: %v, want io.ErrUnexpectedEOF", err)
	}
}

func TestCallMakesAnAPIErrorOfNon2xx(t *testing.T) {
	err := Call(answer(http.StatusNotFound, `{"title":"Not Found","detail":"no such thing"}`), newGet(t, "http://x"), new(thing))
	var apiErr *accountkit.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusNotFound || apiErr.Detail != "no such thing" {
		t.Fatalf("Call = %v, want a 404 *accountkit.APIError", err)
	}
	sendErr := errors.New("connection refused")
	if err := Call(senderFunc(func(*http.Request) (*http.Response, error) { return nil, sendErr }), newGet(t, "http://x"), nil); !errors.Is(err, sendErr) {
		t.Errorf("Call = %v, want the sender's error", err)
	}
}

func TestNewRequestRefusesNilContext(t *testing.T) {
	var ctx context.Context // nil, as a caller might pass by mistake
	if _, err := NewRequest(ctx, http.MethodGet, "/", "http://x", nil); !errors.Is(err, accountkit.ErrInvalidRequest) || !strings.Contains(err.Error(), "context is nil") {
		t.Errorf("NewRequest(nil ctx) = %v, want ErrInvalidRequest", err)
	}
	if err := CheckContext(t.Context()); err != nil {
		t.Errorf("CheckContext = %v", err)
	}
}
