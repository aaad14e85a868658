// Package rql builds filters in SoftwareOne's Resource Query Language (RQL)
// for marketplace.ListAccountsParams.RQL.
//
//	q := rql.And(rql.Eq("type", marketplace.AccountTypeClient), rql.ILike("name", "*o'neil & sons*"))
//	for account, err := range client.ListAccounts(ctx, &marketplace.ListAccountsParams{RQL: q.String()}) {
//
// Values may hold anything a value can hold (spaces, commas, parentheses,
// quotes, percent signs, unicode): the server reads back the value that was
// given. [Query.String] returns the filter ready to send, already
// percent-encoded, because ListAccountsParams.RQL goes into the query string
// verbatim; do not encode it again. A hand-written filter such as
// eq(status,Active) still works in ListAccountsParams.RQL as before.
//
// # How values are written
//
//   - A string is quoted: 'Acme'. SoftwareOne's RQL has no escape character
//     inside a quoted value, so a value holding ' is quoted with " instead,
//     and a value holding both kinds of quote cannot be written at all: its
//     Query reports the problem through [Query.Err] (see below).
//   - Inside the quotes every byte outside A-Z a-z 0-9 - . _ ~ * : is
//     percent-encoded as UTF-8 (a space is %20, & is %26, + is %2B, % is
//     %25, é is %C3%A9); the " delimiter itself is sent as %22. The server
//     decodes the query string once and then parses the RQL (inferred; see
//     Sources), so what it parses is the quoted value exactly. A string
//     that is not valid UTF-8 is refused.
//   - The empty string is empty(); nil (or a nil pointer) is null().
//   - Booleans are true and false; integers and floats are written in
//     decimal without an exponent (1e21 is 1000000000000000000000); NaN and
//     infinities are refused. None of them is quoted.
//   - A [time.Time] is quoted in UTC with milliseconds,
//     '2026-01-31T23:00:00.000Z', the format SoftwareOne documents; a time
//     with a finer part keeps it (7 digits, as .NET writes them, or 9).
//   - A value of a named type is written by its kind (a
//     marketplace.AccountStatus is a string); other types are written as
//     a string through their String method when they have one, and refused
//     otherwise.
//
// Field names are paths of letters, digits, _ and - separated by dots
// (name, externalIds.pyraTenantId); anything else is refused.
//
// like and ilike take a pattern: a * at its start or end matches any text,
// and \* there stands for a literal *. The pattern is sent as written
// (quoted and percent-encoded like any value). SoftwareOne documents * as
// matching "in its place"; its reference implementation honours it only at
// the start and end of the pattern and matches a * elsewhere literally, so
// do not rely on a * in the middle.
//
// # Queries that cannot be written
//
// The functions never panic. A query that cannot be written faithfully (a
// value with both ' and ", a field name with other characters, an
// unsupported type, in or out without values, Or of nothing, Not of the
// zero Query) records why in [Query.Err], and so does every query built
// from it. Its String is then an rqlerror(...) term that SoftwareOne and
// marketplacetest both refuse with 400 Bad Request, never a filter that
// would silently match other accounts. Check Err when values come from
// outside the program.
//
// # Sources
//
// What this package writes was checked against SoftwareOne's own published
// material (the copies of 2026-08):
//
//   - The RQL documentation, github.com/softwareone-platform/docs,
//     developer-resources/api-usage-and-reference/resource-query-language/
//     README.md and rql-advanced-tips.md: values with special characters or
//     whitespace go in " or ' quotes; a quote inside a value is written by
//     quoting with the other kind; * is the ilike wildcard and \* a literal
//     asterisk; null() and empty(); dates in UTC as YYYY-MM-DDTHH:mm:ss.sssZ;
//     the operators eq, ne, gt, ge, lt, le, like, ilike, in(field,(a,b)),
//     out, and, or, not(q); and the filter appended to the query string
//     itself, not sent as a rql= parameter.
//   - SoftwareOne's .NET RQL implementation, which those documents name as
//     the reference, github.com/softwareone-platform/mpt-rql-net:
//     src/Mpt.Rql/Parsers/Linear/Services/RqlParser.cs (' and " delimit a
//     value, only the same quote ends it, there is no escape character,
//     and outside quotes , & ; | ( ) = are syntax),
//     RqlExpressionMapper.cs (the quotes are removed),
//     RqlBinaryParser.cs and RqlExpressionReducer.cs (in/out lists, a
//     one-value list), Services/Filtering/Builders/BinaryExpressionBuilder.cs
//     (an unquoted value that names a property is compared with that
//     property, which is why strings are always quoted here; null() is
//     refused in lists and by like),
//     Services/Filtering/Operators/Search/Implementation/Like.cs (the
//     wildcard and \* only at the ends), and Client/Core/ValueConverter.cs
//     (its own client quotes strings with ', writes numbers in the
//     invariant culture, booleans as true/false, nil as null()).
//   - The official Python client,
//     github.com/softwareone-platform/mpt-api-python-client:
//     mpt_api_client/rql/query_builder.py (RQLValue
//     quotes strings and dates with ', writes true/false and numbers bare;
//     and(...), or(...), not(...), in(f,(a,b))) and
//     mpt_api_client/http/query_state.py (the filter is appended to the
//     query string as is).
//
// Inferred, not confirmed: that the server percent-decodes the query
// string once before it parses the RQL. The encoding above depends on it.
// The evidence is that the documents' "..." values only work that way from
// clients that encode " (browsers, the Python client's HTTP library), and
// that non-ASCII values could not be sent at all otherwise. Whether the
// server reads + as a space does not matter, because + is always sent as
// %2B. Not confirmed at all: whether the platform treats a * in the middle
// of a like pattern as a wildcard (see above); whether it keeps fractions
// of a second finer than milliseconds (it accepts the 7 digits .NET's own
// client writes; 9 digits are unverified); and whether eq and like compare
// case-sensitively, which depends on the server's collation.
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
