package marketplace

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
	"time"
)

// readSeeker hides every method of its reader but Read and Seek.
type readSeeker struct{ io.ReadSeeker }

// gatedReader blocks every Read until gate is closed, saying on entered
// that a Read has begun.
type gatedReader struct {
	io.ReadSeeker
	gate, entered chan struct{}
}

func (g *gatedReader) Read(p []byte) (int, error) {
	select {
	case g.entered <- struct{}{}:
	default:
	}
	<-g.gate
	return g.ReadSeeker.Read(p)
}

// readAll reads r whole in a goroutine.
func readAll(r io.Reader) <-chan result {
	c := make(chan result, 1)
	go func() {
		b, err := io.ReadAll(r)
		c <- result{b, err}
	}()
	return c
}

type result struct {
	b   []byte
	err error
}

// stillWaiting fails the test when c has a result within a short while.
func stillWaiting(t *testing.T, c <-chan result, what string) {
	t.Helper()
	select {
	case r := <-c:
		t.Fatalf("%s returned (%d bytes, %v); it should wait for the attempt before it", what, len(r.b), r.err)
	case <-time.After(20 * time.Millisecond):
	}
}

// wait returns c's result, failing the test after a while.
func wait(t *testing.T, c <-chan result, what string) result {
	t.Helper()
	select {
	case r := <-c:
		return r
	case <-time.After(10 * time.Second):
		t.Fatalf("%s still waiting", what)
		return result{}
	}
}

func newTestBody(t *testing.T, content io.Reader) *multipartBody {
	t.Helper()
	b, err := newMultipartBody(nil, []byte(`{"name":"Acme"}`), &Logo{Content: content, ContentType: "image/png"})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func whole(b *multipartBody, logo []byte) []byte {
	return append(append(bytes.Clone(b.head), logo...), b.tail...)
}

// TestSeekOnlyAttemptsTakeTurns checks that an attempt of a logo that can
// only seek waits at its first read for the attempt before it to be closed
// or read to its end, that closing a waiting attempt ends its wait, and
// that every attempt that runs sends the same bytes.
func TestSeekOnlyAttemptsTakeTurns(t *testing.T) {
	logo := bytes.Repeat([]byte("0123456789abcdef"), 4096)
	first := newTestBody(t, readSeeker{bytes.NewReader(logo)})
	if got := first.Len(); got != int64(len(whole(first, logo))) {
		t.Errorf("Len = %d, want %d", got, len(whole(first, logo)))
	}
	rewind := first.Rewind()
	if rewind == nil {
		t.Fatal("a logo that can seek cannot be rewound")
	}
	if _, err := io.ReadFull(first, make([]byte, len(first.head)+100)); err != nil {
		t.Fatal(err)
	}

	second, _ := rewind()
	secondDone := readAll(second)
	stillWaiting(t, secondDone, "the second attempt")
	second.Close()
	if r := wait(t, secondDone, "the closed second attempt"); !errors.Is(r.err, errAttemptClosed) {
		t.Errorf("the second attempt, closed while waiting, returned %v, want errAttemptClosed", r.err)
	}

	third, _ := rewind()
	thirdDone := readAll(third)
	stillWaiting(t, thirdDone, "the third attempt")
	first.Close()
	if r := wait(t, thirdDone, "the third attempt"); r.err != nil || !bytes.Equal(r.b, whole(first, logo)) {
		t.Errorf("the third attempt read %d bytes, %v; want the whole body of %d bytes", len(r.b), r.err, len(whole(first, logo)))
	}
	if _, err := first.Read(make([]byte, 10)); !errors.Is(err, errAttemptClosed) {
		t.Errorf("the first attempt, read after Close: %v, want errAttemptClosed", err)
	}

	// The third attempt read the logo to its end and gave it back unclosed.
	fourth, _ := rewind()
	if r := wait(t, readAll(fourth), "the fourth attempt"); r.err != nil || !bytes.Equal(r.b, whole(first, logo)) {
		t.Errorf("the fourth attempt read %d bytes, %v; want the whole body", len(r.b), r.err)
	}
}

// TestCloseDuringReadKeepsTheLogo closes an attempt while a Read of its
// logo is under way, as net/http may from another goroutine: Close returns
// at once, and the next attempt does not touch the logo until that Read
// has returned. Run it with -race.
func TestCloseDuringReadKeepsTheLogo(t *testing.T) {
	logo := bytes.Repeat([]byte("logo"), 10000)
	g := &gatedReader{ReadSeeker: bytes.NewReader(logo), gate: make(chan struct{}), entered: make(chan struct{}, 1)}
	first := newTestBody(t, g)
	if _, err := io.ReadFull(first, make([]byte, len(first.head))); err != nil {
		t.Fatal(err)
	}
	firstRead := make(chan error, 1)
	go func() {
		_, err := first.Read(make([]byte, 100))
		firstRead <- err
	}()
	<-g.entered

	closed := make(chan struct{})
	go func() { first.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("Close waited for the Read under way")
	}

	second, _ := first.Rewind()()
	secondDone := readAll(second)
	stillWaiting(t, secondDone, "the second attempt")
	close(g.gate)
	if err := <-firstRead; err != nil {
		t.Errorf("the Read under way when the first attempt was closed: %v", err)
	}
	if r := wait(t, secondDone, "the second attempt"); r.err != nil || !bytes.Equal(r.b, whole(first, logo)) {
		t.Errorf("the second attempt read %d bytes, %v; want the whole body", len(r.b), r.err)
	}
}

// TestShortLogoFailsTheAttempt shrinks a logo that can only seek between
// two attempts: the second must fail, not send fewer bytes than its
// Content-Length.
func TestShortLogoFailsTheAttempt(t *testing.T) {
	data := bytes.Repeat([]byte("x"), 5000)
	r := &shrinking{data: data}
	first := newTestBody(t, r)
	if _, err := io.ReadAll(first); err != nil {
		t.Fatal(err)
	}
	first.Close()
	r.data = data[:4000]
	second, _ := first.Rewind()()
	if _, err := io.ReadAll(second); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("a logo 1000 bytes short: err = %v, want io.ErrUnexpectedEOF", err)
	}
}

// shrinking is a reader that can only seek, over data that a test may
// replace.
type shrinking struct {
	data []byte
	off  int64
}

func (s *shrinking) Read(p []byte) (int, error) {
	if s.off >= int64(len(s.data)) {
		return 0, io.EOF
	}
	n := copy(p, s.data[s.off:])
	s.off += int64(n)
	return n, nil
}

func (s *shrinking) Seek(off int64, whence int) (int64, error) {
	switch whence {
	case io.SeekCurrent:
		off += s.off
	case io.SeekEnd:
		off += int64(len(s.data))
	}
	s.off = off
	return off, nil
}

// TestSeekOnlyWaitEndsWithTheCall: an attempt waiting for a seek-only logo
// that an earlier attempt still holds gives up when the call's context
// ends.
func TestSeekOnlyWaitEndsWithTheCall(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	logo := bytes.Repeat([]byte("0123456789abcdef"), 4096)
	first, err := newMultipartBody(ctx.Done(), []byte(`{"name":"Acme"}`), &Logo{Content: readSeeker{bytes.NewReader(logo)}, ContentType: "image/png"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(first, make([]byte, len(first.head)+100)); err != nil {
		t.Fatal(err)
	}
	second, _ := first.Rewind()()
	secondDone := readAll(second)
	stillWaiting(t, secondDone, "the second attempt")
	cancel()
	if r := wait(t, secondDone, "the second attempt after the call ended"); !errors.Is(r.err, errCallEnded) {
		t.Errorf("the second attempt returned %v, want errCallEnded", r.err)
	}
}
