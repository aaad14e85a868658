package transport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/accountkit/accountkit-go"
)

// hop is one request a redirecting server received.
type hop struct {
	method, path, body, auth, signature string
}

// redirector answers /start with status and a Location of /moved (or of
// to, when set) and /moved with 200, recording every request.
type redirector struct {
	*httptest.Server
	mu   sync.Mutex
	hops []hop
}

func newRedirector(t *testing.T, status int, to func() string) *redirector {
	t.Helper()
	rd := &redirector{}
	rd.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rd.mu.Lock()
		rd.hops = append(rd.hops, hop{r.Method, r.URL.Path, string(body), r.Header.Get("Authorization"), r.Header.Get("Signature")})
		rd.mu.Unlock()
		switch r.URL.Path {
		case "/start", "/loop":
			loc := "/moved"
			if r.URL.Path == "/loop" {
				loc = "/loop"
			}
			if to != nil {
				loc = to()
			}
			w.Header().Set("Location", loc)
			w.WriteHeader(status)
		default:
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"ok":true}`)
		}
	}))
	t.Cleanup(rd.Close)
	return rd
}

func (rd *redirector) received() []hop {
	rd.mu.Lock()
	defer rd.mu.Unlock()
	return append([]hop(nil), rd.hops...)
}

func staticTokenDoer(t *testing.T) *Doer {
	t.Helper()
	return newDoer(t, Config{Tokens: StaticToken("secret-token"), Sign: func(r *http.Request) error {
		r.Header.Set("Signature", "sig1=:"+r.URL.Path+":")
		return nil
	}})
}

// TestRedirectedWritesAreNotTurnedIntoGETs: a 301, 302 or 303 answer to a
// write is an error saying so, and nothing is sent to where it points;
// 307 and 308 repeat the write, body and all, at the same origin.
func TestRedirectedWritesAreNotTurnedIntoGETs(t *testing.T) {
	for _, status := range []int{301, 302, 303, 307, 308} {
		for _, method := range []string{http.MethodGet, http.MethodPut, http.MethodPost, http.MethodDelete, http.MethodPatch} {
			t.Run(fmt.Sprintf("%d/%s", status, method), func(t *testing.T) {
				rd := newRedirector(t, status, nil)
				d := staticTokenDoer(t)
				var body io.Reader
				if method != http.MethodGet {
					body = strings.NewReader(`{"write":1}`)
				}
				req, _ := http.NewRequestWithContext(t.Context(), method, rd.URL+"/start", body)
				resp, err := d.Do(req)
				hops := rd.received()
				follows := status == 307 || status == 308 || method == http.MethodGet
				if !follows {
					if !errors.Is(err, ErrRedirect) || !strings.Contains(err.Error(), "not sent again as a GET") {
						t.Fatalf("Do = %v, want a redirect error", err)
					}
					if len(hops) != 1 {
						t.Fatalf("%d requests reached the server, want 1: %+v", len(hops), hops)
					}
					return
				}
				if err != nil {
					t.Fatalf("Do: %v", err)
				}
				resp.Body.Close()
				if len(hops) != 2 {
					t.Fatalf("%d requests, want 2", len(hops))
				}
				moved := hops[1]
				if moved.path != "/moved" || moved.method != method || moved.body != hops[0].body || moved.auth != "Bearer secret-token" || moved.signature != "sig1=:/moved:" {
					t.Errorf("followed request %+v after %+v: want the same method, body and token, signed for /moved", moved, hops[0])
				}
			})
		}
	}
}

// TestRedirectToAnotherOriginIsNotFollowed: a redirect to another scheme,
// host or port is an error, and the other origin receives nothing: no
// Authorization, API token or signature leaves the origin.
func TestRedirectToAnotherOriginIsNotFollowed(t *testing.T) {
	other := newRedirector(t, 200, nil)
	otherURL, _ := netURL(other.URL)
	for name, to := range map[string]string{
		"another port":   "http://127.0.0.1:" + otherURL.port + "/moved",
		"another host":   "http://localhost:" + otherURL.port + "/moved",
		"another scheme": "https://127.0.0.1:" + otherURL.port + "/moved",
	} {
		for _, status := range []int{301, 307, 308} {
			t.Run(fmt.Sprintf("%s/%d", name, status), func(t *testing.T) {
				rd := newRedirector(t, status, func() string { return to })
				req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, rd.URL+"/start", nil)
				_, err := staticTokenDoer(t).Do(req)
				if !errors.Is(err, ErrRedirect) || !strings.Contains(err.Error(), "another origin") {
					t.Fatalf("Do = %v, want a redirect error", err)
				}
				if got := other.received(); len(got) != 0 {
					t.Fatalf("the other origin received %+v", got)
				}
			})
		}
	}
}

type hostPort struct{ host, port string }

func netURL(raw string) (hostPort, error) {
	h, p, err := net.SplitHostPort(strings.TrimPrefix(raw, "http://"))
	return hostPort{h, p}, err
}

// TestRedirectToHTTPSSaysSo: a plain http:// base URL that the server
// moves to https is refused with a hint.
func TestRedirectToHTTPSSaysSo(t *testing.T) {
	var rd *redirector
	rd = newRedirector(t, 301, func() string { return strings.Replace(rd.URL, "http://", "https://", 1) + "/moved" })
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPut, rd.URL+"/start", strings.NewReader("{}"))
	_, err := staticTokenDoer(t).Do(req)
	if !errors.Is(err, ErrRedirect) || !strings.Contains(err.Error(), "use an https:// base URL") {
		t.Fatalf("Do = %v", err)
	}
}

// TestRedirectLoopIsFinal: a loop stops after ten redirects and is not
// retried like a network error.
func TestRedirectLoopIsFinal(t *testing.T) {
	rd := newRedirector(t, 307, nil)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, rd.URL+"/loop", nil)
	_, err := staticTokenDoer(t).Do(req)
	if !errors.Is(err, ErrRedirect) {
		t.Fatalf("Do = %v", err)
	}
	if n := len(rd.received()); n != maxRedirects+1 {
		t.Fatalf("%d requests for one call, want %d", n, maxRedirects+1)
	}
}

// TestTokenRequestsAreNotRedirected: the token request, whose body holds
// the client secret, is not sent anywhere a redirect points, even to the
// same origin.
func TestTokenRequestsAreNotRedirected(t *testing.T) {
	for _, status := range []int{301, 302, 307, 308} {
		other := newRedirector(t, 200, nil)
		rd := newRedirector(t, status, func() string { return other.URL + "/token" })
		same := newRedirector(t, status, nil)
		for name, tokenURL := range map[string]string{"another origin": rd.URL + "/start", "same origin": same.URL + "/start"} {
			fetch := ClientCredentials(tokenURL, "client-id", "client-secret", nil, TokenClient(nil, nil, "accountkit-test", nil))
			_, err := NewTokenCache(fetch).Token(t.Context())
			var apiErr *accountkit.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != status {
				t.Errorf("%d to %s: %v, want the %d as an error", status, name, err, status)
			}
		}
		if got := append(other.received(), same.received()[1:]...); len(got) != 0 {
			t.Errorf("%d: the secret was sent on: %+v", status, got)
		}
		if strings.Contains(fmt.Sprint(rd.received()), "client-secret") && len(rd.received()) != 1 {
			t.Errorf("token endpoint received %d requests", len(rd.received()))
		}
	}
}

// TestTokenRequestCarriesUserAgent: the token request is the SDK's like any
// other.
func TestTokenRequestCarriesUserAgent(t *testing.T) {
	var ua string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ua = r.Header.Get("User-Agent")
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"access_token":"t","token_type":"bearer","expires_in":3600}`)
	}))
	defer srv.Close()
	fetch := ClientCredentials(srv.URL, "id", "secret", nil, TokenClient(nil, nil, "myapp/1 "+UserAgent, nil))
	if _, err := fetch(t.Context()); err != nil {
		t.Fatal(err)
	}
	if ua != "myapp/1 "+UserAgent {
		t.Errorf("User-Agent %q", ua)
	}
}

// TestAnnouncedLengthIsNotPreallocated: an answer announcing 64 MiB and
// sending 10 bytes costs a small buffer, not 64 MiB per attempt.
func TestAnnouncedLengthIsNotPreallocated(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				buf := make([]byte, 4096)
				_, _ = conn.Read(buf)
				_, _ = io.WriteString(conn, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 67108864\r\n\r\n{\"a\":1}   ")
			}()
		}
	}()
	d := newDoer(t, Config{MaxRetries: 3})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, "http://"+ln.Addr().String()+"/", nil)
	_, err = d.Do(req)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("Do = %v, want the cut answer", err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 8<<20 {
		t.Errorf("4 attempts at a 10-byte answer announcing 64 MiB allocated %d MiB", got>>20)
	}
}

func TestCheckBaseURLRedactsPassword(t *testing.T) {
	for _, raw := range []string{
		"https://user:s3cr3t-pass@api.example.com/v2?x=1",
		"ftp://user:s3cr3t-pass@api.example.com",
		"https://user:s3cr3t-pass@exa mple.com/%zz",
		"user:s3cr3t-pass@host",
	} {
		err := CheckBaseURL(raw)
		if err == nil || strings.Contains(err.Error(), "s3cr3t-pass") || !errors.Is(err, accountkit.ErrInvalidRequest) {
			t.Errorf("CheckBaseURL(%q) = %v", RedactURL(raw), err)
		}
	}
}

// TestRetryWaitsRespectTheDeadline: a retry whose wait would end after the
// context's deadline is not made, whatever failed: here a connection that
// breaks, which used to wait regardless.
func TestRetryWaitsRespectTheDeadline(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		conn, _, _ := w.(http.Hijacker).Hijack()
		_ = conn.Close()
	}))
	defer srv.Close()
	slept := false
	d, err := New(Config{MaxRetries: 3, MinBackoff: time.Hour, MaxBackoff: time.Hour,
		sleep: func(context.Context, time.Duration) error { slept = true; return nil },
		draw:  func(ceiling time.Duration) time.Duration { return ceiling }})
	if err != nil {
		t.Fatal(err)
	}
	// Every wait is an hour, far past the deadline.
	ctx, cancel := context.WithTimeout(t.Context(), time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	if _, err := d.Do(req); err == nil {
		t.Fatal("no error")
	}
	if slept || hits.Load() != 1 {
		t.Errorf("slept %v, %d attempts: want no wait past the deadline and one attempt", slept, hits.Load())
	}
}
