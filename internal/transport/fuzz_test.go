package transport

import (
	"bytes"
	"io"
	"net/http"
	"testing"

	"github.com/accountkit/accountkit-go"
)

// FuzzDecodeProblem feeds arbitrary error bodies to the error decoder: it
// must never panic, keep at most MaxErrorBody bytes, and describe itself.
func FuzzDecodeProblem(f *testing.F) {
	for _, seed := range []string{
		`{"type":"t","title":"Conflict","status":409,"detail":"exists","meta":{"existing":{"id":"a"}}}`,
		`{"title":"Bad","traceId":"00-1","errors":{"name":["required"],"website":"bad"}}`,
		`{"errors":[{"id":"E1","message":"m","properties":["name"]},"plain",7]}`,
		`{"errors":[{"properties":{"a":1}}]}`,
		`<html>502 Bad Gateway</html>`,
		`{"title":`,
		``,
	} {
		f.Add(seed, 400)
	}
	f.Fuzz(func(t *testing.T, body string, status int) {
		resp := &http.Response{StatusCode: status, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader([]byte(body)))}
		e := newAPIError(resp, 1, []string{"X-Request-Id"})
		if len(e.Body) > accountkit.MaxErrorBody {
			t.Fatalf("kept %d bytes", len(e.Body))
		}
		if e.Error() == "" {
			t.Fatal("empty description")
		}
	})
}
