package accountkit

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
)

// Version is the SDK's version. It is sent in the User-Agent header as
// accountkit-go/<Version>.
const Version = "0.1.0"

// ErrInvalidRequest is wrapped by every error that refuses a call before any
// request is sent, because the vendor documents the input as invalid. The
// error's text says what to do instead. Test for it with errors.Is.
var ErrInvalidRequest = errors.New("invalid request")

// ErrStatusUnreachable is wrapped by the error a WaitForStatus method
// returns when the resource has reached a status from which none of the
// wanted ones can follow (a DENIED Paxos account waited on to become
// APPROVED, a CLOSED Upvest account group waited on to become ACTIVE).
// The error's text names the status reached and the ones wanted. Test for
// it with errors.Is.
var ErrStatusUnreachable = errors.New("status unreachable")

// MaxErrorBody is the most bytes of an error answer's body that an
// [APIError] keeps; the rest is discarded unread.
const MaxErrorBody = 1 << 20

// APIError is a non-2xx answer from a vendor API. When the body is an RFC
// 9457 problem document its members are decoded into the fields below; the
// raw body is kept either way, capped at [MaxErrorBody] bytes.
//
// Clients wrap it with the operation's name, so use errors.As to reach it:
//
//	var apiErr *accountkit.APIError
//	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound { ... }
type APIError struct {
	// StatusCode is the HTTP status of the answer.
	StatusCode int

	// Type, Title, Detail and Instance are the RFC 9457 problem details
	// members, empty when the vendor did not send them.
	Type, Title, Detail, Instance string

	// RequestID is the vendor's id for the request (a response header, or the
	// problem document's request or trace id), for support tickets.
	RequestID string

	// Body is the raw answer body, capped at MaxErrorBody bytes.
	Body []byte

	// Truncated reports that the body was longer than MaxErrorBody.
	Truncated bool

	// FieldErrors maps a request field to the vendor's messages about it,
	// when the problem document lists them (SoftwareOne's "errors", in
	// either of its two shapes). Errors not tied to a field are under "".
	FieldErrors map[string][]string

	// Meta is the problem document's "meta" member, raw (Paxos puts the
	// existing record of a 409 under meta.existing).
	Meta json.RawMessage

	// Header is the answer's header, for Retry-After and vendor specifics.
	Header http.Header

	// Attempts is how many times the request was sent, retries included.
	Attempts int
}

// Error describes the answer in one line: status, problem title and detail,
// and the request id. It never includes request headers or credentials.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("API error ")
	fmt.Fprintf(&b, "%d", e.StatusCode)
	if text := http.StatusText(e.StatusCode); text != "" {
		b.WriteString(" ")
		b.WriteString(text)
	}
	if e.Title != "" && !strings.EqualFold(e.Title, http.StatusText(e.StatusCode)) {
		b.WriteString(": ")
		b.WriteString(e.Title)
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	if len(e.FieldErrors) > 0 {
		fields := make([]string, 0, len(e.FieldErrors))
		for f := range e.FieldErrors {
			fields = append(fields, f)
		}
		sort.Strings(fields)
		b.WriteString(" (")
		for i, f := range fields {
			if i > 0 {
				b.WriteString("; ")
			}
			if f != "" {
				b.WriteString(f)
				b.WriteString(": ")
			}
			b.WriteString(strings.Join(e.FieldErrors[f], ", "))
		}
		b.WriteString(")")
	}
	if e.RequestID != "" {
		b.WriteString(" [request id ")
		b.WriteString(e.RequestID)
		b.WriteString("]")
	}
	return b.String()
}

// Temporary reports whether the same request may succeed if sent again
// later: throttling (429), a timeout (408) or a server-side failure (5xx).
func (e *APIError) Temporary() bool {
	switch e.StatusCode {
	case http.StatusRequestTimeout, http.StatusTooManyRequests,
		http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}
