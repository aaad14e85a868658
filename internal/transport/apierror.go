package transport

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"

	"github.com/accountkit/accountkit-go"
)

// newAPIError reads a non-2xx answer into an *accountkit.APIError, keeping at
// most accountkit.MaxErrorBody bytes of its body, and closes the body.
func newAPIError(resp *http.Response, attempts int, requestIDHeaders []string) *accountkit.APIError {
	defer func() { _ = resp.Body.Close() }()
	e := &accountkit.APIError{
		StatusCode: resp.StatusCode,
		Header:     resp.Header,
		Attempts:   attempts,
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, accountkit.MaxErrorBody+1))
	if len(body) > accountkit.MaxErrorBody {
		body, e.Truncated = body[:accountkit.MaxErrorBody], true
	}
	_ = err // a body cut short by the connection is kept as far as it came
	e.Body = body
	for _, h := range requestIDHeaders {
		if v := resp.Header.Get(h); v != "" {
			e.RequestID = v
			break
		}
	}
	decodeProblem(e, body)
	return e
}

// decodeProblem fills e from an RFC 9457 problem document, member by member,
// so that one odd member does not lose the others. Anything that is not a
// JSON object is left alone.
func decodeProblem(e *accountkit.APIError, body []byte) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		return
	}
	var members map[string]json.RawMessage
	if json.Unmarshal(body, &members) != nil {
		return
	}
	str := func(name string) string {
		var s string
		if raw, ok := members[name]; ok && json.Unmarshal(raw, &s) == nil {
			return s
		}
		return ""
	}
	e.Type, e.Title, e.Detail, e.Instance = str("type"), str("title"), str("detail"), str("instance")
	if e.Detail == "" {
		e.Detail = str("message")
	}
	if e.RequestID == "" {
		for _, name := range []string{"request_id", "requestId", "traceId", "trace_id"} {
			if v := str(name); v != "" {
				e.RequestID = v
				break
			}
		}
	}
	if raw, ok := members["meta"]; ok && len(raw) > 0 && raw[0] == '{' {
		e.Meta = raw
	}
	if raw, ok := members["errors"]; ok {
		e.FieldErrors = fieldErrors(raw)
	}
}

// fieldErrors reads both shapes of a problem's "errors" member: a map from
// field to message(s), or a list of {id, message, properties, parameters}
// (or of plain strings).
func fieldErrors(raw json.RawMessage) map[string][]string {
	out := make(map[string][]string)
	var byField map[string]json.RawMessage
	if json.Unmarshal(raw, &byField) == nil {
		for field, msgs := range byField {
			var list []string
			if json.Unmarshal(msgs, &list) == nil {
				out[field] = append(out[field], list...)
				continue
			}
			var one string
			if json.Unmarshal(msgs, &one) == nil {
				out[field] = append(out[field], one)
			}
		}
	} else {
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			return nil
		}
		for _, item := range items {
			var s string
			if json.Unmarshal(item, &s) == nil {
				out[""] = append(out[""], s)
				continue
			}
			var entry struct {
				ID         string          `json:"id"`
				Message    string          `json:"message"`
				Properties json.RawMessage `json:"properties"`
				Field      string          `json:"field"`
			}
			if json.Unmarshal(item, &entry) != nil {
				continue
			}
			msg := entry.Message
			if msg == "" {
				msg = entry.ID
			}
			fields := propertyNames(entry.Properties)
			if entry.Field != "" {
				fields = append(fields, entry.Field)
			}
			if len(fields) == 0 {
				fields = []string{""}
			}
			for _, f := range fields {
				out[f] = append(out[f], msg)
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// propertyNames reads "properties" as a list of names or an object whose
// keys are names.
func propertyNames(raw json.RawMessage) []string {
	if len(raw) == 0 {
		return nil
	}
	var names []string
	if json.Unmarshal(raw, &names) == nil {
		return names
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) == nil {
		for k := range obj {
			names = append(names, k)
		}
	}
	return names
}
