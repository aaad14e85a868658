package transport

import (
	"fmt"
	"net/url"
	"reflect"
	"strconv"
	"time"
)

// The parameter helpers below are called by the generated clients (see
// openapi/templates), so that every package encodes parameters the same
// way.

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
