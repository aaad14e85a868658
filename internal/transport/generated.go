package transport

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// The helpers below are called by the generated clients (see
// openapi/templates), so that every package shares one implementation.

// FormatParam renders a path, query or header parameter value as text:
// strings and string enums as they are, numbers and booleans in Go's
// shortest form, times as RFC 3339.
func FormatParam(v any) (string, error) {
	switch v := v.(type) {
	case string:
		return v, nil
	case time.Time:
		return v.Format(time.RFC3339Nano), nil
	case fmt.Stringer:
		return v.String(), nil
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.String:
		return rv.String(), nil
	case reflect.Bool:
		return strconv.FormatBool(rv.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(rv.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(rv.Uint(), 10), nil
	case reflect.Float32, reflect.Float64:
		return strconv.FormatFloat(rv.Float(), 'f', -1, rv.Type().Bits()), nil
	}
	return "", fmt.Errorf("cannot send a %T as a parameter", v)
}

// AddQueryParam adds a form-style, exploded query parameter: one
// name=value pair per element when v is a slice.
func AddQueryParam(query url.Values, name string, v any) error {
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Slice {
		for i := range rv.Len() {
			text, err := FormatParam(rv.Index(i).Interface())
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			query.Add(name, text)
		}
		return nil
	}
	text, err := FormatParam(v)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	query.Add(name, text)
	return nil
}

// IsZero reports whether an optional parameter holds its zero value and is
// to be left out.
func IsZero[T comparable](v T) bool {
	var zero T
	return v == zero
}

// ExpandPath joins server and an operation path, putting each escaped path
// parameter in place of the next %s, in a single allocation.
func ExpandPath(server, format string, params ...string) string {
	n := len(server) + len(format)
	for _, p := range params {
		n += len(p)
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteString(server)
	for _, p := range params {
		i := strings.Index(format, "%s")
		if i < 0 {
			break
		}
		b.WriteString(format[:i])
		b.WriteString(p)
		format = format[i+2:]
	}
	b.WriteString(format)
	return b.String()
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
