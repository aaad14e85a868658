package accountgroups_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/iotest"

	"github.com/accountkit/accountkit-go/accountgroups"
	"github.com/accountkit/accountkit-go/accountgroups/accountgroupstest"
)

// capturedDelivery is a genuine signed delivery of the fake, taken off the
// wire so that tests can send copies of it, changed.
type capturedDelivery struct {
	header http.Header
	body   []byte
}

func captureDelivery(t *testing.T, srv *accountgroupstest.Server) capturedDelivery {
	t.Helper()
	var got capturedDelivery
	grab := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.body, _ = io.ReadAll(r.Body)
		got.header = r.Header.Clone()
	}))
	defer grab.Close()
	g := srv.AddAccountGroup(accountgroups.AccountGroup{})
	if _, err := srv.DeliverWebhook(t.Context(), grab.URL, srv.NewEvent(accountgroups.EventTypeAccountGroupActivated, g)); err != nil {
		t.Fatal(err)
	}
	return got
}

// send posts body with header to url and returns the answer's status.
func send(t *testing.T, url string, header http.Header, body io.Reader) int {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, url, body)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}

// refusals records what WithWebhookErrorHandler reports.
type refusals struct {
	mu   sync.Mutex
	list []string
	errs []error
}

func (rf *refusals) record(_ *http.Request, status int, err error) {
	rf.mu.Lock()
	defer rf.mu.Unlock()
	rf.list = append(rf.list, fmt.Sprint(status))
	rf.errs = append(rf.errs, err)
}

func (rf *refusals) last() (string, error) {
	rf.mu.Lock()
	defer rf.mu.Unlock()
	if len(rf.list) == 0 {
		return "", nil
	}
	return rf.list[len(rf.list)-1], rf.errs[len(rf.errs)-1]
}

// readSpy is a body that records whether anything read it.
type readSpy struct {
	io.Reader
	read bool
}

func (r *readSpy) Read(p []byte) (int, error) {
	r.read = true
	return r.Reader.Read(p)
}

func TestWebhookHandlerAnswers(t *testing.T) {
	srv, c := newFake(t, nil)
	genuine := captureDelivery(t, srv)
	rf := &refusals{}
	callbackErr := errors.New("database unavailable")
	var fail bool
	handler := accountgroups.WebhookHandler(c.WebhookVerifier(), func(context.Context, []accountgroups.Event) error {
		if fail {
			return callbackErr
		}
		return nil
	}, accountgroups.WithWebhookErrorHandler(rf.record))

	t.Run("unsigned, refused before the body is read", func(t *testing.T) {
		spy := &readSpy{Reader: bytes.NewReader(genuine.body)}
		req := httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/upvest", spy)
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusUnauthorized || spy.read {
			t.Errorf("unsigned: %d, body read %v; want 401 without reading", rec.Code, spy.read)
		}
		if status, err := rf.last(); status != "401" || !errors.Is(err, accountgroups.ErrInvalidSignature) {
			t.Errorf("reported %s, %v", status, err)
		}
	})

	t.Run("genuine", func(t *testing.T) {
		if got := send(t, httptestURL(t, handler), genuine.header, bytes.NewReader(genuine.body)); got != http.StatusOK {
			t.Errorf("genuine delivery: %d", got)
		}
	})

	t.Run("over the size limit, announced", func(t *testing.T) {
		req := httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/upvest", strings.NewReader("{}"))
		req.Header = genuine.header.Clone()
		req.ContentLength = accountgroups.MaxWebhookBody + 1
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("announced oversize body: %d, want 413", rec.Code)
		}
	})

	t.Run("over the size limit, chunked", func(t *testing.T) {
		big := io.MultiReader(strings.NewReader(`{"payload":[`), strings.NewReader(strings.Repeat(" ", accountgroups.MaxWebhookBody)), strings.NewReader(`]}`))
		h := genuine.header.Clone()
		h.Del("Content-Length")
		if got := send(t, httptestURL(t, handler), h, io.NopCloser(big)); got != http.StatusRequestEntityTooLarge {
			t.Errorf("chunked oversize body: %d, want 413", got)
		}
		if status, err := rf.last(); status != "413" || !errors.Is(err, accountgroups.ErrWebhookTooLarge) {
			t.Errorf("reported %s, %v", status, err)
		}
	})

	t.Run("body cut short", func(t *testing.T) {
		req := httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/upvest",
			io.MultiReader(bytes.NewReader(genuine.body[:len(genuine.body)/2]), iotest.ErrReader(io.ErrUnexpectedEOF)))
		req.Header = genuine.header.Clone()
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusBadRequest {
			t.Errorf("truncated body: %d, want 400", rec.Code)
		}
		if status, err := rf.last(); status != "400" || !errors.Is(err, accountgroups.ErrMalformedDelivery) || !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("reported %s, %v", status, err)
		}
	})

	t.Run("callback fails", func(t *testing.T) {
		fail = true
		defer func() { fail = false }()
		req := httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/", bytes.NewReader(genuine.body))
		req.Header = genuine.header.Clone()
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusInternalServerError {
			t.Errorf("failing callback: %d, want 500", rec.Code)
		}
		if status, err := rf.last(); status != "500" || !errors.Is(err, callbackErr) {
			t.Errorf("reported %s, %v", status, err)
		}
	})

	t.Run("GET", func(t *testing.T) {
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/upvest", nil))
		if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != http.MethodPost {
			t.Errorf("GET: %d %v", rec.Code, rec.Header())
		}
	})
}

func httptestURL(t *testing.T, h http.Handler) string {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s.URL
}

// TestWebhookRandomKeyIDsFetchOnce sends 100 deliveries naming made-up key
// ids: the verifier fetches the key set at most twice (here once: the
// first delivery's fetch, then none within the minute).
func TestWebhookRandomKeyIDsFetchOnce(t *testing.T) {
	srv, c := newFake(t, nil)
	genuine := captureDelivery(t, srv)
	url := httptestURL(t, accountgroups.WebhookHandler(c.WebhookVerifier(), func(context.Context, []accountgroups.Event) error { return nil }))
	var wg sync.WaitGroup
	statuses := make(chan int, 100)
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h := genuine.header.Clone()
			h.Set("Signature-Input", strings.Replace(h.Get("Signature-Input"), `keyid="`+accountgroupstest.WebhookKeyID+`"`, fmt.Sprintf(`keyid="random-%d"`, i), 1))
			statuses <- send(t, url, h, bytes.NewReader(genuine.body))
		}()
	}
	wg.Wait()
	close(statuses)
	for s := range statuses {
		if s != http.StatusUnauthorized {
			t.Fatalf("random key id answered %d, want 401", s)
		}
	}
	if n := countPath(srv, "/auth/verify_keys"); n > 2 {
		t.Errorf("%d key fetches for 100 deliveries with random key ids, want at most 2", n)
	}
	// The genuine delivery still passes, from the cache.
	if got := send(t, url, genuine.header, bytes.NewReader(genuine.body)); got != http.StatusOK {
		t.Errorf("genuine delivery after the flood: %d", got)
	}
}

// TestWebhookTruncatedKeySet: a key set cut short is a failure to fetch
// (503, delivered again later), and counts against the once-a-minute
// budget like any other fetch.
func TestWebhookTruncatedKeySet(t *testing.T) {
	srv, c := newFake(t, nil)
	genuine := captureDelivery(t, srv)
	srv.InjectFault(accountgroupstest.Fault{Path: "/auth/verify_keys", Status: http.StatusOK, Times: 100,
		Header: http.Header{"Content-Type": {"application/json"}}, Body: `{"keys":[{"kid":"x","kty":"EC"`})
	rf := &refusals{}
	url := httptestURL(t, accountgroups.WebhookHandler(c.WebhookVerifier(), func(context.Context, []accountgroups.Event) error { return nil },
		accountgroups.WithWebhookErrorHandler(rf.record)))
	for range 20 {
		if got := send(t, url, genuine.header, bytes.NewReader(genuine.body)); got != http.StatusServiceUnavailable {
			t.Fatalf("delivery while the key set is broken: %d, want 503", got)
		}
	}
	if n := countPath(srv, "/auth/verify_keys"); n != 1 {
		t.Errorf("%d key fetches, want 1", n)
	}
	if status, err := rf.last(); status != "503" || err == nil || errors.Is(err, accountgroups.ErrInvalidSignature) {
		t.Errorf("reported %s, %v", status, err)
	}
}

func countPath(srv *accountgroupstest.Server, path string) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Path == path {
			n++
		}
	}
	return n
}

// TestWebhookMisuseIsAnError: misuse returns errors instead of panicking.
func TestWebhookMisuseIsAnError(t *testing.T) {
	var zero accountgroups.WebhookVerifier
	req := httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/", nil)
	req.Header.Set("Signature-Input", `sig1=("@method");keyid="k";created=1`)
	req.Header.Set("Signature", `sig1=:AAAA:`)
	if _, err := zero.Verify(req); err == nil {
		t.Error("Verify on a zero WebhookVerifier: no error")
	}
	var nilVerifier *accountgroups.WebhookVerifier
	if _, err := nilVerifier.Verify(req); err == nil {
		t.Error("Verify on a nil WebhookVerifier: no error")
	}
	v, err := accountgroups.NewWebhookVerifier(accountgroups.JWKS{Keys: []accountgroups.JWK{{Kid: "k", Kty: "OKP", Crv: "Ed25519", X: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}}})
	if err != nil {
		t.Fatal(err)
	}
	req.Body = nil
	if _, err := v.Verify(req); !errors.Is(err, accountgroups.ErrInvalidSignature) {
		t.Errorf("Verify with a nil body: %v", err)
	}
	if _, err := v.Verify(nil); err == nil {
		t.Error("Verify(nil): no error")
	}
	for _, pub := range []any{nil, (*ecdsa.PublicKey)(nil), &ecdsa.PublicKey{}, ed25519.PublicKey(nil)} {
		if _, err := accountgroups.JWKFromPublicKey("k", pub); err == nil {
			t.Errorf("JWKFromPublicKey(%#v): no error", pub)
		}
	}
}
