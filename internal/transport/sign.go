package transport

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
)

// BodyBytes returns req's body for a signer to digest, leaving the body
// readable: through GetBody when the request has one, otherwise by reading
// it into memory and installing a replayable copy.
func BodyBytes(req *http.Request) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	if req.GetBody != nil {
		rc, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		return io.ReadAll(rc)
	}
	data, err := io.ReadAll(req.Body)
	_ = req.Body.Close()
	if err != nil {
		return nil, err
	}
	req.Body = io.NopCloser(bytes.NewReader(data))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	req.ContentLength = int64(len(data))
	return data, nil
}

// TokenClient is the client an OAuth2 token request (made by
// golang.org/x/oauth2) goes through: hc (DefaultHTTPClient when nil),
// with every request first given header and userAgent and then signed by
// sign when it is not nil. It never follows a redirect: a token request
// carries the client secret in its body, so a 3xx answer is a failure
// rather than a reason to send the secret elsewhere. It keeps hc's
// transport, timeout and cookie jar.
func TokenClient(hc *http.Client, header http.Header, userAgent string, sign func(*http.Request) error) *http.Client {
	if hc == nil {
		hc = DefaultHTTPClient()
	}
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	c := *hc
	c.CheckRedirect = noRedirects
	c.Transport = &tokenTransport{base: base, header: header, userAgent: userAgent, sign: sign}
	return &c
}

type tokenTransport struct {
	base      http.RoundTripper
	header    http.Header
	userAgent string
	sign      func(*http.Request) error
}

func (t *tokenTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context()) // a RoundTripper must not change its request
	if req.GetBody != nil && req.Body != nil && req.Body != http.NoBody {
		body, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		r.Body = body
		_ = req.Body.Close()
	}
	for k, v := range t.header {
		r.Header[k] = v
	}
	if t.userAgent != "" {
		r.Header.Set("User-Agent", t.userAgent)
	}
	if t.sign != nil {
		if err := t.sign(r); err != nil {
			if r.Body != nil {
				_ = r.Body.Close()
			}
			return nil, fmt.Errorf("sign request: %w", err)
		}
	}
	return t.base.RoundTrip(r)
}
