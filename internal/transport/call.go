package transport

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"

	"github.com/accountkit/accountkit-go"
)

// The generated clients build each request with NewRequest and send it
// with Call, so that every operation of every package checks, sends and
// decodes the same way.

// Sender sends one HTTP request: a [*Doer], or a stand-in in tests. The
// generated clients' doer interface is the same.
type Sender interface {
	Do(req *http.Request) (*http.Response, error)
}

// CheckContext refuses a nil ctx, wrapping accountkit.ErrInvalidRequest,
// before anything uses it: every call needs a context.
func CheckContext(ctx context.Context) error {
	if ctx == nil {
		return fmt.Errorf("%w: the context is nil; pass context.Background() or the caller's context", accountkit.ErrInvalidRequest)
	}
	return nil
}

// NewRequest is http.NewRequestWithContext for the generated request
// builders, refusing a nil ctx with [CheckContext]. pathTemplate is the
// operation's path in the spec ("/identity/accounts/{id}"): the request's
// context carries it (see [PathTemplate]), so that what works per endpoint
// need not map the concrete URL back to its template.
func NewRequest(ctx context.Context, method, pathTemplate, target string, body io.Reader) (*http.Request, error) {
	if err := CheckContext(ctx); err != nil {
		return nil, err
	}
	return http.NewRequestWithContext(withPathTemplate(ctx, pathTemplate), method, target, body)
}

// Call sends req through doer and decodes the JSON of its 2xx answer into
// out, a pointer. With out nil the operation's answer has nothing to decode
// (202, 204, an empty object) and its body is dropped.
//
// A non-2xx answer is an *accountkit.APIError: a Doer returns it as such,
// and Call makes one when doer is a plain client. A 2xx answer with an
// empty or null body, or one that is not JSON for out, is an error that
// says so.
func Call(doer Sender, req *http.Request, out any) error {
	resp, err := doer.Do(req)
	if err != nil {
		return err
	}
	if resp == nil {
		return errors.New("the request got no answer")
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return newAPIError(resp, 1, nil)
	}
	defer func() { _ = resp.Body.Close() }()
	if out == nil {
		// Let the connection be reused when the body was not buffered.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil
	}
	b, ok := resp.Body.(*answerBody)
	if !ok { // not sent by a Doer: buffer it the same way
		if err := readAnswer(resp); err != nil {
			return fmt.Errorf("read the %d answer: %w", resp.StatusCode, err)
		}
		b = resp.Body.(*answerBody)
	}
	if noJSON(b.Bytes()) {
		return emptyAnswer(resp, out, b.Bytes())
	}
	if err := DecodeAnswer(b, out); err != nil {
		return fmt.Errorf("decode %d answer (content type %q) as %s: %w", resp.StatusCode, resp.Header.Get("Content-Type"), typeName(out), err)
	}
	return nil
}

// noJSON reports whether data holds no JSON value to decode: nothing, or
// null.
func noJSON(data []byte) bool {
	data = bytes.TrimSpace(data)
	return len(data) == 0 || string(data) == "null"
}

func emptyAnswer(resp *http.Response, out any, data []byte) error {
	what := "empty"
	if len(bytes.TrimSpace(data)) > 0 {
		what = "null"
	}
	return fmt.Errorf("the %d answer (content type %q) is %s where %s was expected", resp.StatusCode, resp.Header.Get("Content-Type"), what, typeName(out))
}

// typeName names what out points to: "paxos.Account".
func typeName(out any) string {
	t := reflect.TypeOf(out)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.String()
}

// DecodeAnswer decodes a JSON answer: straight from the transport's
// buffer when the body is one, from the stream otherwise. A body cut short
// is reported as io.ErrUnexpectedEOF either way.
func DecodeAnswer(body io.Reader, v any) error {
	if b, ok := body.(*answerBody); ok {
		data := b.Bytes()
		if err := json.Unmarshal(data, v); err != nil {
			var syntax *json.SyntaxError
			if errors.As(err, &syntax) && syntax.Offset >= int64(len(bytes.TrimRight(data, " \t\r\n"))) {
				return fmt.Errorf("%w: %w", io.ErrUnexpectedEOF, err)
			}
			return err
		}
		return nil
	}
	return json.NewDecoder(body).Decode(v)
}
