package marketplace_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/accountkit/accountkit-go"
	"github.com/accountkit/accountkit-go/marketplace"
	"github.com/accountkit/accountkit-go/marketplace/marketplacetest"
)

// logoBytes is n bytes that do not repeat, so that a logo missing or
// repeating a chunk hashes differently.
func logoBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.NewChaCha8([32]byte{1}).Read(b)
	return b
}

// seekOnly hides every method of its reader but Read and Seek: a logo that
// can rewind but not be read at an offset.
type seekOnly struct{ io.ReadSeeker }

// leakyTransport fails the first attempts the way net/http may: it reads a
// little of the body, returns an error, and goes on reading the body in a
// goroutine after returning, closing it only at the end. Later attempts go
// to next. It hashes every body it reads whole, to compare attempts.
type leakyTransport struct {
	next http.RoundTripper
	wg   sync.WaitGroup

	mu     sync.Mutex
	fail   int      // attempts still to fail
	hashes []string // of each body read whole, in the order they ended
}

func (lt *leakyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	lt.mu.Lock()
	failing := lt.fail > 0
	if failing {
		lt.fail--
	}
	lt.mu.Unlock()
	if !failing {
		r := req.Clone(req.Context())
		r.Body = &hashingBody{ReadCloser: req.Body, h: sha256.New(), done: lt.record}
		return lt.next.RoundTrip(r)
	}
	first := make(chan struct{})
	lt.wg.Add(1)
	go func() {
		defer lt.wg.Done()
		defer req.Body.Close()
		h := sha256.New()
		buf := make([]byte, 32<<10)
		for i := 0; ; i++ {
			n, err := req.Body.Read(buf)
			h.Write(buf[:n])
			if i == 0 {
				close(first)
			}
			if err == io.EOF {
				lt.record(h)
				return
			}
			if err != nil {
				return
			}
			time.Sleep(20 * time.Microsecond)
		}
	}()
	<-first
	return nil, errors.New("leaky: connection reset while the body was being sent")
}

func (lt *leakyTransport) record(h hash.Hash) {
	lt.mu.Lock()
	defer lt.mu.Unlock()
	lt.hashes = append(lt.hashes, hex.EncodeToString(h.Sum(nil)))
}

// hashingBody hashes what is read through it and reports the hash at EOF.
type hashingBody struct {
	io.ReadCloser
	h    hash.Hash
	done func(hash.Hash)
}

func (b *hashingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.h.Write(p[:n])
	if err == io.EOF {
		b.done(b.h)
	}
	return n, err
}

// logoKinds are the seekable logos a retry must send again whole: readers
// with ReadAt and Seek, a file, a reader that can only Seek, and one whose
// logo starts part-way in.
func logoKinds(t *testing.T, logo []byte) map[string]func(*testing.T) io.Reader {
	path := filepath.Join(t.TempDir(), "logo.bin")
	if err := os.WriteFile(path, logo, 0o600); err != nil {
		t.Fatal(err)
	}
	return map[string]func(*testing.T) io.Reader{
		"bytes.Reader": func(*testing.T) io.Reader { return bytes.NewReader(logo) },
		"os.File": func(t *testing.T) io.Reader {
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { f.Close() })
			return f
		},
		"seek only": func(*testing.T) io.Reader { return seekOnly{bytes.NewReader(logo)} },
		"seek only, part-way in": func(t *testing.T) io.Reader {
			r := seekOnly{bytes.NewReader(append(bytes.Repeat([]byte("skip"), 1000), logo...))}
			if _, err := r.Seek(4000, io.SeekStart); err != nil {
				t.Fatal(err)
			}
			return r
		},
		"bytes.Reader, part-way in": func(t *testing.T) io.Reader {
			r := bytes.NewReader(append(bytes.Repeat([]byte("skip"), 1000), logo...))
			if _, err := r.Seek(4000, io.SeekStart); err != nil {
				t.Fatal(err)
			}
			return r
		},
	}
}

// TestRetriedLogoIsSentWhole fails the first two attempts of an update while
// the transport goes on reading their bodies, as net/http may: the retry
// must not share the logo's read position with them, every attempt must
// send the same bytes, and the server must get the logo whole. Run it with
// -race.
func TestRetriedLogoIsSentWhole(t *testing.T) {
	logo := logoBytes(2<<20 + 123)
	for name, content := range logoKinds(t, logo) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			lt := &leakyTransport{next: http.DefaultTransport, fail: 2}
			t.Cleanup(lt.wg.Wait)
			srv, c := newFake(t, marketplace.WithHTTPClient(&http.Client{Transport: lt, Timeout: time.Minute}))
			a := srv.AddAccount(*newAccount("Acme"))
			_, err := c.UpdateAccount(t.Context(), a.ID, &a, &marketplace.Logo{Content: content(t), ContentType: "image/png"})
			if err != nil {
				t.Fatalf("update after two failed attempts: %v", err)
			}
			lt.wg.Wait()
			if got, _ := srv.Logo(a.ID); got.Size != int64(len(logo)) || got.SHA256 != sum(logo) {
				t.Errorf("the server stored %d bytes with SHA-256 %s, want %d bytes with %s", got.Size, got.SHA256, len(logo), sum(logo))
			}
			lt.mu.Lock()
			defer lt.mu.Unlock()
			if len(lt.hashes) != 3 {
				t.Fatalf("%d attempts were read whole, want 3", len(lt.hashes))
			}
			for i, h := range lt.hashes[1:] {
				if h != lt.hashes[0] {
					t.Errorf("attempt body %d hashes to %s, the first to %s", i+2, h, lt.hashes[0])
				}
			}
		})
	}
}

// TestLogoRetriedAfterEarly503s answers the first two uploads with a 503
// before reading their bodies, as a proxy may, so that net/http is still
// sending each body when the client retries; the logo must arrive whole.
func TestLogoRetriedAfterEarly503s(t *testing.T) {
	logo := logoBytes(4<<20 + 7)
	for name, content := range logoKinds(t, logo) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fake := marketplacetest.New()
			var mu sync.Mutex
			early := 2
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				refuse := r.Method == http.MethodPut && early > 0
				if refuse {
					early--
				}
				mu.Unlock()
				if refuse {
					http.Error(w, "busy", http.StatusServiceUnavailable)
					return
				}
				fake.ServeHTTP(w, r)
			}))
			t.Cleanup(srv.Close)
			c, err := fake.NewClientAt(srv.URL, marketplace.WithRetryBackoff(time.Millisecond, 5*time.Millisecond))
			if err != nil {
				t.Fatal(err)
			}
			a := fake.AddAccount(*newAccount("Acme"))
			if _, err := c.UpdateAccount(t.Context(), a.ID, &a, &marketplace.Logo{Content: content(t), ContentType: "image/png"}); err != nil {
				t.Fatalf("update after two 503s: %v", err)
			}
			if got, _ := fake.Logo(a.ID); got.Size != int64(len(logo)) || got.SHA256 != sum(logo) {
				t.Errorf("the server stored %d bytes with SHA-256 %s, want %d bytes with %s", got.Size, got.SHA256, len(logo), sum(logo))
			}
		})
	}
}

// nilReader is an io.Reader whose nil pointer is not a nil interface.
type nilReader struct{ io.Reader }

// TestTypedNilLogoIsRefused passes nil pointers of reader types as the
// logo: each call must fail, before sending anything, and not panic.
func TestTypedNilLogoIsRefused(t *testing.T) {
	srv, c := newFake(t)
	a := srv.AddAccount(*newAccount("Acme"))
	for _, content := range []io.Reader{(*bytes.Reader)(nil), (*os.File)(nil), (*nilReader)(nil), (*io.SectionReader)(nil)} {
		t.Run(fmt.Sprintf("%T", content), func(t *testing.T) {
			logo := &marketplace.Logo{Content: content, ContentType: "image/png"}
			_, err := c.UpdateAccount(t.Context(), a.ID, &a, logo)
			if !errors.Is(err, accountkit.ErrInvalidRequest) {
				t.Errorf("UpdateAccount: err = %v, want ErrInvalidRequest", err)
			}
			_, err = c.CreateAccount(t.Context(), newAccount("Acme"), logo)
			if !errors.Is(err, accountkit.ErrInvalidRequest) {
				t.Errorf("CreateAccount: err = %v, want ErrInvalidRequest", err)
			}
		})
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
}

// stuckTransport fails the first attempt after reading a little of its
// body and closes that body only after delay, long after RoundTrip has
// returned. Later attempts go to next.
type stuckTransport struct {
	next  http.RoundTripper
	delay time.Duration
	once  sync.Once
	wg    sync.WaitGroup
}

func (st *stuckTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	first := false
	st.once.Do(func() { first = true })
	if !first {
		return st.next.RoundTrip(req)
	}
	_, _ = io.ReadFull(req.Body, make([]byte, 64<<10))
	st.wg.Go(func() {
		time.Sleep(st.delay)
		req.Body.Close()
	})
	return nil, errors.New("stuck: connection reset while the body was being sent")
}

// TestRetryWaitsForTheAttemptBefore keeps the first attempt of a logo that
// can only seek open, part-read, for a while after giving up on it: the
// retry must wait for it to be closed, then send the logo whole.
func TestRetryWaitsForTheAttemptBefore(t *testing.T) {
	const delay = 200 * time.Millisecond
	st := &stuckTransport{next: http.DefaultTransport, delay: delay}
	t.Cleanup(st.wg.Wait)
	srv, c := newFake(t, marketplace.WithHTTPClient(&http.Client{Transport: st}))
	a := srv.AddAccount(*newAccount("Acme"))
	logo := logoBytes(1 << 20)
	start := time.Now()
	if _, err := c.UpdateAccount(t.Context(), a.ID, &a, &marketplace.Logo{Content: seekOnly{bytes.NewReader(logo)}, ContentType: "image/png"}); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < delay {
		t.Errorf("the retry went ahead after %v, before the first attempt was closed", d)
	}
	if got, _ := srv.Logo(a.ID); got.Size != int64(len(logo)) || got.SHA256 != sum(logo) {
		t.Errorf("the server stored %d bytes with SHA-256 %s, want %d bytes with %s", got.Size, got.SHA256, len(logo), sum(logo))
	}
}
