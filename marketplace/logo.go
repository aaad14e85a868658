package marketplace

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"reflect"
	"strings"
	"sync"

	"github.com/accountkit/accountkit-go"
)

// Logo is an account's logo image, sent as the "logo" file part of a
// multipart create or update.
type Logo struct {
	// Filename is the file name sent with the part; "logo" when empty.
	Filename string
	// ContentType is the image's media type (image/png, image/svg+xml, ...).
	// When empty it is sniffed from the first 512 bytes of Content, which
	// are still sent.
	ContentType string
	// Content is streamed from its current offset as the request is sent:
	// it is never held in memory whole. A nil pointer is refused.
	//
	// When it is an io.Seeker (*bytes.Reader, *strings.Reader, *os.File,
	// *io.SectionReader, ...), its size is sent as Content-Length and a
	// failed update is retried with the same bytes. If it is an
	// io.ReaderAt as well, as those four are, every attempt reads it with
	// ReadAt through its own io.SectionReader and its offset is left
	// alone; otherwise each attempt seeks it back to where it started, but
	// only once the previous attempt has read the logo to its end or its
	// body has been closed, since net/http may still be reading an attempt
	// after giving up on it. For the same reason, after a call that failed
	// net/http may read Content for a moment more, until it closes the
	// request; a reader without ReadAt should not be reused at once.
	//
	// Other readers are sent chunked and not retried.
	Content io.Reader
}

// multipartBody is one attempt's stream of an "account" JSON part and a
// "logo" file part. It implements transport.Body.
type multipartBody struct {
	*layout
	logo io.ReadCloser // this attempt's logo
	r    io.Reader     // this attempt's whole body
}

// layout is what every attempt of a multipart body shares. It is not
// changed once built.
type layout struct {
	head, tail []byte // framing and the account part; the closing boundary
	boundary   string
	size       int64 // the logo's length, or -1
	// open gives a new attempt the logo from its start, or is nil when the
	// logo can be read only once.
	open func() io.ReadCloser
}

// newMultipartBody lays out the body around logo and returns its first
// attempt. It reads at most 512 bytes of the logo, to sniff its type when
// none is given.
//
// done, the call's ctx.Done(), ends an attempt's wait for a logo that
// only seeks (see Rewind); nil waits until the attempt before lets go.
func newMultipartBody(done <-chan struct{}, account []byte, logo *Logo) (*multipartBody, error) {
	content := logo.Content
	if isNil(content) {
		return nil, fmt.Errorf("%w: logo.Content is a nil %T; pass a nil *Logo to leave the logo as it is", accountkit.ErrInvalidRequest, content)
	}
	l := &layout{boundary: randomBoundary()}
	var err error
	if l.size, l.open, err = replay(content, done); err != nil {
		return nil, fmt.Errorf("logo: %w", err)
	}
	first := func() io.ReadCloser { return io.NopCloser(content) }
	if l.open != nil {
		first = l.open
	}
	contentType := logo.ContentType
	if contentType == "" {
		head, err := sniff(first())
		if err != nil {
			return nil, fmt.Errorf("logo: %w", err)
		}
		contentType = http.DetectContentType(head)
		if l.open == nil {
			// Read again what sniffing took, then the rest.
			first = func() io.ReadCloser { return io.NopCloser(io.MultiReader(bytes.NewReader(head), content)) }
		}
	}
	if contentType, err = cleanMediaType(contentType); err != nil {
		return nil, fmt.Errorf("logo: %w", err)
	}
	filename := escapeQuotes(logo.Filename)
	if filename == "" {
		filename = "logo"
	}

	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if err := w.SetBoundary(l.boundary); err != nil {
		return nil, err
	}
	part, err := w.CreatePart(textproto.MIMEHeader{
		"Content-Disposition": {`form-data; name="account"`},
		"Content-Type":        {"application/json"},
	})
	if err != nil {
		return nil, err
	}
	if _, err := part.Write(account); err != nil {
		return nil, err
	}
	if _, err := w.CreatePart(textproto.MIMEHeader{
		"Content-Disposition": {fmt.Sprintf(`form-data; name="logo"; filename="%s"`, filename)},
		"Content-Type":        {contentType},
	}); err != nil {
		return nil, err
	}
	l.head = bytes.Clone(buf.Bytes())
	buf.Reset()
	if err := w.Close(); err != nil {
		return nil, err
	}
	l.tail = bytes.Clone(buf.Bytes())
	return l.attempt(first()), nil
}

// isNil reports whether r is nil, or a nil pointer, map, chan or func
// behind a non-nil interface, whose methods would likely panic.
func isNil(r io.Reader) bool {
	if r == nil {
		return true
	}
	switch v := reflect.ValueOf(r); v.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Chan, reflect.Func, reflect.UnsafePointer:
		return v.IsNil()
	}
	return false
}

// replay measures content from its offset and says how each attempt
// reads it again from there. When content cannot seek, size is -1 and open
// is nil.
func replay(content io.Reader, done <-chan struct{}) (size int64, open func() io.ReadCloser, err error) {
	s, ok := content.(io.Seeker)
	if !ok {
		return -1, nil, nil
	}
	start, end, ok := span(s)
	if !ok {
		return -1, nil, nil
	}
	if _, err := s.Seek(start, io.SeekStart); err != nil {
		return 0, nil, err
	}
	size = end - start
	if ra, ok := content.(io.ReaderAt); ok {
		return size, func() io.ReadCloser { return io.NopCloser(io.NewSectionReader(ra, start, size)) }, nil
	}
	return size, newSeekSource(content.(io.ReadSeeker), start, size, done).open, nil
}

// span returns s's offset and its end, leaving s at its end; ok is false
// when s cannot seek (a pipe behind an *os.File, say).
func span(s io.Seeker) (start, end int64, ok bool) {
	start, err := s.Seek(0, io.SeekCurrent)
	if err != nil {
		return 0, 0, false
	}
	end, err = s.Seek(0, io.SeekEnd)
	if err != nil || end < start {
		_, _ = s.Seek(start, io.SeekStart)
		return 0, 0, false
	}
	return start, end, true
}

// sniff reads the first 512 bytes of r, or all of it when shorter, and
// closes it.
func sniff(r io.ReadCloser) ([]byte, error) {
	defer r.Close()
	head := make([]byte, 512)
	n, err := io.ReadFull(r, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return nil, err
	}
	return head[:n], nil
}

// attempt is a body that sends logo between the layout's head and tail.
func (l *layout) attempt(logo io.ReadCloser) *multipartBody {
	return &multipartBody{
		layout: l,
		logo:   logo,
		r:      io.MultiReader(bytes.NewReader(l.head), logo, bytes.NewReader(l.tail)),
	}
}

// ContentType is the body's media type with its boundary.
func (b *multipartBody) ContentType() string {
	return "multipart/form-data; boundary=" + b.boundary
}

func (b *multipartBody) Read(p []byte) (int, error) { return b.r.Read(p) }

// Close ends this attempt: a logo that can only seek is then free for the
// next attempt. It never closes Content: the caller owns it.
func (b *multipartBody) Close() error { return b.logo.Close() }

// Len is the body's length, or -1 when the logo's size is unknown.
func (b *multipartBody) Len() int64 {
	if b.size < 0 {
		return -1
	}
	return int64(len(b.head)) + b.size + int64(len(b.tail))
}

// Rewind gives a new attempt from the start, with its own reader of the
// logo, when the logo can be read again; nil otherwise.
//
// An attempt whose logo can only seek waits, at its first read, until the
// attempts before it have read the logo to its end or been closed, the
// waiting attempt is closed, or the call's context ends (the done channel
// newMultipartBody was given). net/http's Transport closes an attempt it
// gives up on promptly; a RoundTripper that keeps a body past RoundTrip
// without closing it holds the retry up until then or until the context
// ends.
func (b *multipartBody) Rewind() func() (io.ReadCloser, error) {
	if b.open == nil {
		return nil
	}
	return func() (io.ReadCloser, error) { return b.attempt(b.open()), nil }
}

// errCallEnded is what an attempt waiting for the logo reads when the
// call's context ends.
var errCallEnded = errors.New("the call ended while the logo waited for the attempt before")

// errAttemptClosed is what an attempt's logo reads after it was closed.
var errAttemptClosed = errors.New("logo read after its request body was closed")

// seekSource shares a logo that can seek but not ReadAt between attempts,
// one at a time: an attempt takes the reader at its first read and seeks it
// to the logo's start, and gives it back once it has read the logo to its
// end, failed, or been closed.
type seekSource struct {
	r           io.ReadSeeker
	start, size int64
	free        chan struct{}   // holds a token while no attempt has r
	done        <-chan struct{} // the call's end, which ends every wait
}

func newSeekSource(r io.ReadSeeker, start, size int64, done <-chan struct{}) *seekSource {
	s := &seekSource{r: r, start: start, size: size, free: make(chan struct{}, 1), done: done}
	s.free <- struct{}{}
	return s
}

// open returns a new attempt's reader of the logo.
func (s *seekSource) open() io.ReadCloser {
	return &seekAttempt{src: s, left: s.size, closing: make(chan struct{})}
}

// seekAttempt is one attempt's reader of a seekSource. Close may come from
// another goroutine during a Read, as net/http allows; the reader is given
// back only after that Read returns.
type seekAttempt struct {
	src     *seekSource
	closing chan struct{} // closed by Close, to end a wait for the reader

	mu      sync.Mutex
	left    int64 // bytes of the logo still to read
	holds   bool  // this attempt has the reader
	reading bool  // a Read of the reader is under way
	closed  bool
	err     error // returned by every Read from now on
}

func (a *seekAttempt) Read(p []byte) (int, error) {
	left, err := a.begin()
	if err != nil {
		return 0, err
	}
	if int64(len(p)) > left {
		p = p[:left]
	}
	n, err := a.src.r.Read(p)
	return a.end(n, err)
}

// begin takes the reader for this attempt, waiting for earlier attempts to
// give it back, and returns how much of the logo is left to read.
func (a *seekAttempt) begin() (int64, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	switch {
	case a.err != nil:
		return 0, a.err
	case a.closed:
		return 0, errAttemptClosed
	case a.left == 0:
		return 0, io.EOF
	}
	if !a.holds {
		a.mu.Unlock()
		got, ended := false, false
		select {
		case <-a.src.free:
			got = true
		case <-a.closing:
		case <-a.src.done:
			ended = true
		}
		a.mu.Lock()
		if got {
			a.holds = true
		}
		if a.closed || ended {
			a.release()
			if ended {
				a.err = errCallEnded
				return 0, a.err
			}
			return 0, errAttemptClosed
		}
		if _, err := a.src.r.Seek(a.src.start, io.SeekStart); err != nil {
			a.err = err
			a.release()
			return 0, err
		}
	}
	a.reading = true
	return a.left, nil
}

// end records a Read of n bytes that returned err, and gives the reader
// back when this attempt is done with it.
func (a *seekAttempt) end(n int, err error) (int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.reading = false
	a.left -= int64(n)
	switch {
	case a.left <= 0:
		a.left = 0
		err = nil
	case err == io.EOF:
		err = fmt.Errorf("the logo ended %d bytes short of the %d it had when the request was made: %w", a.left, a.src.size, io.ErrUnexpectedEOF)
	}
	if err != nil {
		a.err = err
	}
	if err != nil || a.left == 0 || a.closed {
		a.release()
	}
	return n, err
}

// release gives the reader back if this attempt has it. a.mu is held.
func (a *seekAttempt) release() {
	if a.holds {
		a.holds = false
		a.src.free <- struct{}{}
	}
}

// Close ends the attempt: a Read waiting for the reader returns, and the
// reader is given back now, or when a Read under way returns.
func (a *seekAttempt) Close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return nil
	}
	a.closed = true
	close(a.closing)
	if !a.reading {
		a.release()
	}
	return nil
}

func randomBoundary() string {
	var buf [24]byte
	_, _ = rand.Read(buf[:])
	return "accountkit-" + hex.EncodeToString(buf[:])
}

// cleanMediaType parses a media type and writes it back in canonical form,
// so that nothing but a type/subtype and its parameters reaches the part's
// headers.
func cleanMediaType(v string) (string, error) {
	mt, params, err := mime.ParseMediaType(v)
	if err == nil && !strings.Contains(mt, "/") {
		err = errors.New("no subtype")
	}
	if err != nil {
		return "", fmt.Errorf("content type %q is not a media type such as image/png: %w", v, err)
	}
	out := mime.FormatMediaType(mt, params)
	if out == "" {
		return "", fmt.Errorf("content type %q is not a media type such as image/png", v)
	}
	return out, nil
}

// escapeQuotes makes s safe inside a quoted header parameter: it escapes
// quotes and backslashes and drops control characters, which would break
// the part's headers.
func escapeQuotes(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 0x20 || r == 0x7f:
			continue
		case r == '"' || r == '\\':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
