package accountgroupstest

import (
	"bytes"
	"crypto"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/accountkit/accountkit-go/accountgroups"
	"github.com/accountkit/accountkit-go/internal/httpsig"
)

// verifySignature refuses, like Upvest, any request that is not signed by
// a registered key in the format its upvest-signature-version names,
// lacks upvest-client-id or names another client, or asks for an API
// version other than 1.
func (f *Fake) verifySignature(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			problem(w, http.StatusBadRequest, "reading the body: "+err.Error())
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		res, err := httpsig.Verify(asSent(r), body, httpsig.VerifyOptions{
			Now: f.signatureNow,
			Key: func(kid string) (crypto.PublicKey, error) {
				f.mu.Lock()
				defer f.mu.Unlock()
				if k, ok := f.clientKeys[kid]; ok {
					return k, nil
				}
				return nil, fmt.Errorf("%w: %q", httpsig.ErrUnknownKey, kid)
			},
		})
		if err != nil {
			problem(w, http.StatusUnauthorized, "signature verification failed: "+err.Error())
			return
		}
		if r.Header.Get(accountgroups.HeaderClientID) != ClientID {
			problem(w, http.StatusUnauthorized, "upvest-client-id is missing or unknown")
			return
		}
		if v := r.Header.Get(accountgroups.HeaderAPIVersion); v != "" && v != "1" {
			problem(w, http.StatusBadRequest, "upvest-api-version "+v+" is not supported: send 1, or leave it out for the default, 1")
			return
		}
		declared, ok := signatureVersion(r.Header.Get(accountgroups.HeaderSignatureVersion))
		if !ok {
			problem(w, http.StatusBadRequest, "upvest-signature-version must be 15, or left out for the default format, 6")
			return
		}
		if res.Version != declared {
			problem(w, http.StatusUnauthorized, fmt.Sprintf(
				"signature verification failed: the request is signed in format %d but upvest-signature-version %s; send upvest-signature-version: %d",
				res.Version, describeVersion(r.Header.Get(accountgroups.HeaderSignatureVersion)), res.Version))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// signatureVersion reads upvest-signature-version: 15 for "15", 6 when it
// is absent (Upvest's default format) or "6".
func signatureVersion(v string) (int, bool) {
	switch v {
	case "15":
		return 15, true
	case "", "6":
		return 6, true
	}
	return 0, false
}

func describeVersion(v string) string {
	if v == "" {
		return "is absent, which means 6"
	}
	return "says " + v
}

// asSent returns r as the client sent and signed it. A mux that strips a
// prefix before the fake (http.StripPrefix) changes r.URL but not
// r.RequestURI, and the signature covers the path sent.
func asSent(r *http.Request) *http.Request {
	if r.RequestURI == "" {
		return r
	}
	u, err := url.ParseRequestURI(r.RequestURI)
	if err != nil || (u.Path == r.URL.Path && u.RawQuery == r.URL.RawQuery) {
		return r
	}
	sent := r.Clone(r.Context())
	sent.URL.Path, sent.URL.RawPath, sent.URL.RawQuery = u.Path, u.RawPath, u.RawQuery
	return sent
}
