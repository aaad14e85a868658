package transport

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
)

// MaxAnswer is the largest 2xx body the transport reads; a larger one is an
// error rather than an unbounded allocation.
const MaxAnswer = 64 << 20

// maxPooled is the largest buffer kept for reuse.
const maxPooled = 1 << 20

// maxPresize bounds the buffer made ready from an answer's Content-Length:
// the header is the server's word, not the bytes, and a hostile or broken
// server announcing 64 MiB must not cost 64 MiB before a byte arrives. A
// larger body grows the buffer as it comes.
const maxPresize = 256 << 10

var answerPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// errAnswerTooLarge reports a 2xx body over MaxAnswer.
var errAnswerTooLarge = fmt.Errorf("the answer is larger than %d bytes", MaxAnswer)

// readAnswer reads a 2xx body whole into a pooled buffer and closes the
// connection's body, so that a connection cut in the middle of the body is
// an error the retry loop sees (and can retry), not one the decoder meets
// later. The buffer goes back to the pool when the caller closes the body.
func readAnswer(resp *http.Response) error {
	buf := answerPool.Get().(*bytes.Buffer)
	buf.Reset()
	if n := resp.ContentLength; n > 0 && n <= MaxAnswer {
		buf.Grow(int(min(n, maxPresize)) + bytes.MinRead) // ReadFrom wants MinRead spare bytes to not grow again
	}
	// One allocation holds both the body and the limit reader.
	ab := &answerBody{buf: buf, limit: io.LimitedReader{R: resp.Body, N: MaxAnswer + 1}}
	_, err := buf.ReadFrom(&ab.limit)
	_ = resp.Body.Close()
	ab.limit.R = nil
	if err == nil && buf.Len() > MaxAnswer {
		err = errAnswerTooLarge
	}
	if err != nil {
		recycle(buf)
		return err
	}
	resp.Body = ab
	return nil
}

func recycle(buf *bytes.Buffer) {
	if buf.Cap() <= maxPooled {
		answerPool.Put(buf)
	}
}

// answerBody is a buffered answer; Close returns its buffer to the pool.
type answerBody struct {
	buf   *bytes.Buffer
	limit io.LimitedReader
}

var errClosed = errors.New("read on a closed answer body")

func (b *answerBody) Read(p []byte) (int, error) {
	if b.buf == nil {
		return 0, errClosed
	}
	return b.buf.Read(p)
}

// Bytes is the unread rest of the answer, for decoders that take a slice.
// It stays valid until Close.
func (b *answerBody) Bytes() []byte {
	if b.buf == nil {
		return nil
	}
	return b.buf.Bytes()
}

func (b *answerBody) Close() error {
	if b.buf != nil {
		recycle(b.buf)
		b.buf = nil
	}
	return nil
}
