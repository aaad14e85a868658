package transport

import (
	"io"
	"net/http"
)

// Body is a request body that streams from its source and knows more about
// itself than an io.Reader: its length, when known, and whether it can be
// produced again for a retry. The Doer sets Content-Length and GetBody from
// it; generated clients pass it through untouched because it is an
// io.ReadCloser.
type Body interface {
	io.ReadCloser
	// Len is the body's length in bytes, or -1 when it is not known (the
	// body is then sent chunked).
	Len() int64
	// Rewind returns a fresh copy of the body from its start, or nil when
	// the body cannot be read twice.
	Rewind() func() (io.ReadCloser, error)
}

// applyBody copies what a Body knows onto its request.
func applyBody(req *http.Request) {
	b, ok := req.Body.(Body)
	if !ok {
		return
	}
	if n := b.Len(); n >= 0 {
		req.ContentLength = n
		if n == 0 {
			req.Body, req.GetBody = http.NoBody, nil
			return
		}
	} else {
		req.ContentLength = -1
	}
	if rewind := b.Rewind(); rewind != nil {
		req.GetBody = rewind
	}
}
