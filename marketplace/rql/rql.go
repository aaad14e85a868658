package rql

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Query is an RQL filter. Its String is what to put in
// marketplace.ListAccountsParams.RQL. The zero Query is no filter at all:
// its String is empty, it matches every account, and [And] leaves it out.
// Queries are values: combining them never changes them.
type Query struct {
	text string // ready to send, percent-encoded
	err  error
}

// String returns the filter ready to send: percent-encoded RQL to put in
// marketplace.ListAccountsParams.RQL as it is (the SDK sends that field
// verbatim, so encoding it again would change the values). For a Query
// whose Err is not nil it returns an rqlerror(...) term that the server
// refuses.
func (q Query) String() string {
	if q.err != nil {
		// A valid literal, so that the server's answer is about rqlerror.
		return "rqlerror(" + quote(strings.ReplaceAll(q.err.Error(), `"`, "'")) + ")"
	}
	return q.text
}

// Err reports why the query cannot be written faithfully, or nil. It is
// the first such reason among the query and the queries it was built from.
func (q Query) Err() error { return q.err }

// zero reports whether q is the zero Query, the absent filter.
func (q Query) zero() bool { return q.text == "" && q.err == nil }

// Eq matches where field equals value.
func Eq(field string, value any) Query { return compare("eq", field, value) }

// Ne matches where field does not equal value.
func Ne(field string, value any) Query { return compare("ne", field, value) }

// Gt matches where field is greater than value.
func Gt(field string, value any) Query { return compare("gt", field, value) }

// Ge matches where field is greater than or equal to value.
func Ge(field string, value any) Query { return compare("ge", field, value) }

// Lt matches where field is less than value.
func Lt(field string, value any) Query { return compare("lt", field, value) }

// Le matches where field is less than or equal to value.
func Le(field string, value any) Query { return compare("le", field, value) }

// In matches where field equals one of values. It needs at least one
// value, none of them nil.
func In(field string, values ...any) Query { return list("in", field, values) }

// Out matches where field equals none of values. It needs at least one
// value, none of them nil.
func Out(field string, values ...any) Query { return list("out", field, values) }

// Like matches where field matches pattern, in which * at the start or the
// end stands for any text and \* there for a literal asterisk. The
// comparison's case sensitivity is the server's.
func Like(field, pattern string) Query { return search("like", field, pattern) }

// ILike is [Like] ignoring case.
func ILike(field, pattern string) Query { return search("ilike", field, pattern) }

// And matches where every one of q matches. Zero Queries among q are left
// out; And of one query is that query, and And of none is the zero Query,
// which matches everything.
func And(q ...Query) Query {
	var kept []Query
	for _, x := range q {
		if !x.zero() {
			kept = append(kept, x)
		}
	}
	switch len(kept) {
	case 0:
		return Query{}
	case 1:
		return kept[0]
	}
	return group("and", kept)
}

// Or matches where at least one of q matches. Or of one query is that
// query; a zero Query among q (no filter) makes Or the zero Query too. Or
// of none would match nothing, which RQL cannot say: its Err is set.
func Or(q ...Query) Query {
	for _, x := range q {
		if x.err != nil {
			return Query{err: x.err}
		}
	}
	for _, x := range q {
		if x.zero() {
			return Query{}
		}
	}
	switch len(q) {
	case 0:
		return Query{err: errors.New("rql: Or of no queries matches nothing and cannot be written")}
	case 1:
		return q[0]
	}
	return group("or", q)
}

// Not matches where q does not. Not of the zero Query would match
// nothing, which RQL cannot say: its Err is set.
func Not(q Query) Query {
	if q.zero() {
		return Query{err: errors.New("rql: Not of the zero Query matches nothing and cannot be written")}
	}
	if q.err != nil {
		return q
	}
	return Query{text: "not(" + q.text + ")"}
}

func group(op string, q []Query) Query {
	var b strings.Builder
	b.WriteString(op)
	b.WriteByte('(')
	for i, x := range q {
		if x.err != nil {
			return Query{err: x.err}
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(x.text)
	}
	b.WriteByte(')')
	return Query{text: b.String()}
}

func compare(op, field string, value any) Query {
	if err := checkField(op, field); err != nil {
		return Query{err: err}
	}
	v, err := formatValue(value)
	if err != nil {
		return Query{err: fmt.Errorf("rql: %s(%s): %w", op, field, err)}
	}
	return Query{text: op + "(" + field + "," + v + ")"}
}

func search(op, field, pattern string) Query {
	if err := checkField(op, field); err != nil {
		return Query{err: err}
	}
	v, err := formatString(pattern)
	if err != nil {
		return Query{err: fmt.Errorf("rql: %s(%s): %w", op, field, err)}
	}
	return Query{text: op + "(" + field + "," + v + ")"}
}

func list(op, field string, values []any) Query {
	if err := checkField(op, field); err != nil {
		return Query{err: err}
	}
	if len(values) == 0 {
		return Query{err: fmt.Errorf("rql: %s(%s) needs at least one value", op, field)}
	}
	var b strings.Builder
	b.WriteString(op + "(" + field + ",(")
	for i, value := range values {
		v, err := formatValue(value)
		if err == nil && v == null {
			err = errors.New("null() cannot be in a list")
		}
		if err != nil {
			return Query{err: fmt.Errorf("rql: %s(%s) value %d: %w", op, field, i, err)}
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(v)
	}
	b.WriteString("))")
	return Query{text: b.String()}
}

// checkField refuses a field name that is not a dotted path of letters,
// digits, _ and -: RQL has no way to quote a field name.
func checkField(op, field string) error {
	if !validField(field) {
		return fmt.Errorf("rql: %s: field name %q is not a path of letters, digits, _ and - separated by dots", op, field)
	}
	return nil
}

func validField(field string) bool {
	for seg := range strings.SplitSeq(field, ".") {
		if seg == "" {
			return false
		}
		for i := 0; i < len(seg); i++ {
			c := seg[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
				return false
			}
		}
	}
	return true
}

const (
	null  = "null()"
	empty = "empty()"
)

var timeType = reflect.TypeFor[time.Time]()

// formatValue writes value as an RQL argument.
func formatValue(value any) (string, error) {
	if value == nil {
		return null, nil
	}
	rv := reflect.ValueOf(value)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return null, nil
		}
		rv = rv.Elem()
	}
	if rv.Type() == timeType {
		return formatTime(rv.Interface().(time.Time))
	}
	switch rv.Kind() {
	case reflect.String:
		return formatString(rv.String())
	case reflect.Bool:
		return strconv.FormatBool(rv.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(rv.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(rv.Uint(), 10), nil
	case reflect.Float32, reflect.Float64:
		f := rv.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return "", fmt.Errorf("%v is not a number RQL can hold", f)
		}
		bits := 64
		if rv.Kind() == reflect.Float32 {
			bits = 32
		}
		return strconv.FormatFloat(f, 'f', -1, bits), nil
	}
	if s, ok := rv.Interface().(fmt.Stringer); ok {
		return formatString(s.String())
	}
	if s, ok := value.(fmt.Stringer); ok { // a String method on the pointer
		return formatString(s.String())
	}
	return "", fmt.Errorf("cannot write a %T: pass a string, number, bool, time.Time, nil or a fmt.Stringer", value)
}

// formatTime writes t in UTC with milliseconds, SoftwareOne's documented
// format, or with 7 or 9 fractional digits when t has a finer part.
func formatTime(t time.Time) (string, error) {
	t = t.UTC()
	if y := t.Year(); y < 1 || y > 9999 {
		return "", fmt.Errorf("time %v is outside the years 1 to 9999", t)
	}
	layout := "2006-01-02T15:04:05.000Z"
	switch ns := t.Nanosecond(); {
	case ns%1e6 == 0:
	case ns%100 == 0:
		layout = "2006-01-02T15:04:05.0000000Z"
	default:
		layout = "2006-01-02T15:04:05.000000000Z"
	}
	return formatString(t.Format(layout))
}

// formatString writes s as a quoted, percent-encoded RQL value, or empty()
// for the empty string.
func formatString(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("value %q is not valid UTF-8", s)
	}
	if s == "" {
		return empty, nil
	}
	if strings.Contains(s, "'") && strings.Contains(s, `"`) {
		return "", fmt.Errorf(`value %q holds both ' and ", which no RQL value can hold`, s)
	}
	return quote(s), nil
}

// quote returns s between ' (or ", sent as %22, when s holds a ') with
// every byte but A-Z a-z 0-9 - . _ ~ * : percent-encoded.
func quote(s string) string {
	delim := "'"
	if strings.Contains(s, "'") {
		delim = "%22"
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(delim)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~*:", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	b.WriteString(delim)
	return b.String()
}
