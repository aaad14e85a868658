package fakeapi

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/accountkit/accountkit-go/accountkittest"
)

// secretHeaders are the headers whose values a recorded request redacts.
var secretHeaders = []string{"Authorization", "Proxy-Authorization", "Cookie", "X-Api-Key"}

// secretFormFields are the form fields whose values a recorded request
// redacts.
var secretFormFields = []string{"client_secret", "password"}

// record copies what a request carries into a log entry: its headers with
// credentials redacted and the first accountkittest.MaxBodySize bytes of
// its body, which it reads now and puts back in front of what is left, so
// that the handler still reads the whole body (streaming past the cap).
func record(r *http.Request, path string) accountkittest.Request {
	rec := accountkittest.Request{
		Method: r.Method,
		Path:   path,
		Query:  r.URL.RawQuery,
		Header: redactHeader(r.Header),
	}
	if r.Body == nil || r.Body == http.NoBody {
		return rec
	}
	head := readHead(r.Body, r.ContentLength, accountkittest.MaxBodySize)
	r.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head), r.Body), r.Body}
	if len(head) > 0 {
		// head is never written to again: the log shares it.
		rec.Body = redactBody(r.Header.Get("Content-Type"), head)
	}
	return rec
}

// readHead reads up to max bytes of a body whose length is length (-1
// when unknown), in one allocation when the length is known.
func readHead(body io.Reader, length int64, max int) []byte {
	if length < 0 {
		head, _ := io.ReadAll(io.LimitReader(body, int64(max)))
		return head
	}
	head := make([]byte, min(length, int64(max)))
	n, _ := io.ReadFull(body, head)
	return head[:n]
}

// redactHeader copies h, replacing credentials by Redacted; a value's
// scheme (Bearer, Basic) stays.
func redactHeader(h http.Header) http.Header {
	out := h.Clone()
	if out == nil {
		out = make(http.Header)
	}
	for _, name := range secretHeaders {
		vals := out.Values(name)
		if len(vals) == 0 {
			continue
		}
		redacted := make([]string, len(vals))
		for i, v := range vals {
			if scheme, _, ok := strings.Cut(v, " "); ok && scheme != "" {
				redacted[i] = scheme + " " + accountkittest.Redacted
			} else {
				redacted[i] = accountkittest.Redacted
			}
		}
		out[http.CanonicalHeaderKey(name)] = redacted
	}
	return out
}

// redactBody replaces the secret fields of a form body.
func redactBody(contentType string, body []byte) []byte {
	if mt, _, _ := mime.ParseMediaType(contentType); mt != "application/x-www-form-urlencoded" {
		return body
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return []byte(accountkittest.Redacted) // cannot tell what is secret in it
	}
	changed := false
	for _, k := range secretFormFields {
		if form.Has(k) {
			form.Set(k, accountkittest.Redacted)
			changed = true
		}
	}
	if !changed {
		return body
	}
	return []byte(form.Encode())
}
