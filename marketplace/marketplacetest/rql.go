package marketplacetest

import (
	"errors"
	"net/url"
	"strings"

	"github.com/accountkit/accountkit-go/marketplace"
)

// The fake reads RQL as SoftwareOne's reference implementation
// (github.com/softwareone-platform/mpt-rql-net, Parsers/Linear) does, for
// the forms package marketplace/rql writes and the usual hand-written ones:
//
//   - The term is percent-decoded once, then parsed.
//   - Operators: eq, ne, gt, ge, lt, le, like, ilike (field and value),
//     in and out (field and a list (a,b,...) or a single value), and, or
//     (one or more filters) and not (one filter); names in any case.
//   - A value is quoted with ' or " (only the same quote ends it; there
//     is no escape character), null(), empty(), or a bare word up to the
//     next , or ). In eq, ne, gt, ge, lt and le a bare word that names a
//     field the fake knows stands for that field, as on the server; any
//     other bare word is text. null() and empty() compare as the empty
//     string (the fake's accounts do not tell an absent string from "").
//
// It answers 400, rather than a wrong answer, for what it cannot evaluate:
// other operators and the infix forms (& | ; =), unknown fields, null() in
// like, ilike, in, out and the order comparisons, and like patterns with a
// * other than at their start or end (SoftwareOne's documents and its
// reference implementation disagree about those).

// rqlValue is one value of a filter.
type rqlValue struct {
	kind rqlKind
	text string // the text of a quoted or bare value; "" for null() and empty()
}

type rqlKind int

const (
	rqlBare   rqlKind = iota // an unquoted word
	rqlQuoted                // between ' or "
	rqlNull                  // null()
	rqlEmpty                 // empty()
)

// rql is a parsed filter: a comparison, search or list on a field, or and,
// or and not of filters.
type rql struct {
	op     string     // eq ne gt ge lt le like ilike in out and or not
	field  string     // for the operators on a field
	values []rqlValue // one for comparisons and searches, the list for in and out
	args   []rql      // for and, or and not
}

func urlUnescape(s string) (string, error) { return url.QueryUnescape(s) }

// maxRQLDepth bounds the nesting of and, or and not.
const maxRQLDepth = 64

// parseRQL reads one RQL term such as and(eq(status,Active),ilike(name,*soft*))
// and checks that the fake can evaluate it.
func parseRQL(term string) (rql, error) {
	term, err := url.PathUnescape(term)
	if err != nil {
		return rql{}, err
	}
	f, err := parseRQLSyntax(term)
	if err != nil {
		return rql{}, err
	}
	return f, f.check()
}

// parseRQLSyntax parses decoded RQL without judging its fields and values.
func parseRQLSyntax(s string) (rql, error) {
	p := &rqlParser{s: s}
	f, err := p.filter(0)
	if err != nil {
		return rql{}, err
	}
	if p.i != len(p.s) {
		return rql{}, errors.New("unexpected " + p.s[p.i:])
	}
	return f, nil
}

type rqlParser struct {
	s string
	i int
}

func (p *rqlParser) eat(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *rqlParser) expect(c byte) error {
	if p.eat(c) {
		return nil
	}
	if p.i == len(p.s) {
		return errors.New("missing " + string(c))
	}
	return errors.New("expected " + string(c) + " at " + p.s[p.i:])
}

// word reads up to the next RQL delimiter.
func (p *rqlParser) word() string {
	start := p.i
	for p.i < len(p.s) && strings.IndexByte(`(),&|;='"`, p.s[p.i]) < 0 {
		p.i++
	}
	return p.s[start:p.i]
}

func (p *rqlParser) filter(depth int) (rql, error) {
	if depth > maxRQLDepth {
		return rql{}, errors.New("filters nested too deeply")
	}
	name := p.word()
	if name == "" || !p.eat('(') {
		return rql{}, errors.New("expected op(...)")
	}
	f := rql{op: strings.ToLower(name)}
	switch f.op {
	case "and", "or":
		for {
			arg, err := p.filter(depth + 1)
			if err != nil {
				return rql{}, err
			}
			f.args = append(f.args, arg)
			if !p.eat(',') {
				return f, p.expect(')')
			}
		}
	case "not":
		arg, err := p.filter(depth + 1)
		if err != nil {
			return rql{}, err
		}
		f.args = []rql{arg}
		return f, p.expect(')')
	case "eq", "ne", "gt", "ge", "lt", "le", "like", "ilike", "in", "out":
		f.field = p.word()
		if f.field == "" {
			return rql{}, errors.New(f.op + " takes a field and a value")
		}
		if err := p.expect(','); err != nil {
			return rql{}, err
		}
		list := f.op == "in" || f.op == "out"
		if list && p.eat('(') {
			for {
				v, err := p.value()
				if err != nil {
					return rql{}, err
				}
				f.values = append(f.values, v)
				if !p.eat(',') {
					break
				}
			}
			if err := p.expect(')'); err != nil {
				return rql{}, err
			}
		} else {
			v, err := p.value()
			if err != nil {
				return rql{}, err
			}
			f.values = []rqlValue{v}
		}
		return f, p.expect(')')
	}
	return rql{}, errors.New("unsupported operator " + name)
}

func (p *rqlParser) value() (rqlValue, error) {
	if p.i < len(p.s) && (p.s[p.i] == '\'' || p.s[p.i] == '"') {
		q := p.s[p.i]
		end := strings.IndexByte(p.s[p.i+1:], q)
		if end < 0 {
			return rqlValue{}, errors.New("unterminated " + string(q))
		}
		v := rqlValue{kind: rqlQuoted, text: p.s[p.i+1 : p.i+1+end]}
		p.i += end + 2
		return v, nil
	}
	for _, c := range [...]struct {
		text string
		kind rqlKind
	}{{"null()", rqlNull}, {"empty()", rqlEmpty}} {
		if len(p.s)-p.i >= len(c.text) && strings.EqualFold(p.s[p.i:p.i+len(c.text)], c.text) {
			p.i += len(c.text)
			return rqlValue{kind: c.kind}, nil
		}
	}
	w := p.word()
	if w == "" {
		if p.i < len(p.s) && strings.IndexByte(`(),`, p.s[p.i]) < 0 {
			return rqlValue{}, errors.New("cannot evaluate " + p.s[p.i:])
		}
		return rqlValue{}, errors.New("missing value")
	}
	return rqlValue{kind: rqlBare, text: w}, nil
}

// check refuses what the fake cannot evaluate.
func (f rql) check() error {
	switch f.op {
	case "and", "or", "not":
		for _, x := range f.args {
			if err := x.check(); err != nil {
				return err
			}
		}
		return nil
	}
	if _, known := fieldValue(&marketplace.Account{}, f.field); !known {
		return errors.New("cannot filter on " + f.field)
	}
	for _, v := range f.values {
		if v.kind == rqlNull && f.op != "eq" && f.op != "ne" {
			return errors.New("null() is not a value for " + f.op)
		}
	}
	if f.op == "like" || f.op == "ilike" {
		if _, _, ok := likePattern(f.values[0].text); !ok {
			return errors.New("cannot evaluate the pattern " + f.values[0].text + ": a * inside it is a wildcard by SoftwareOne's documents and literal by its reference implementation")
		}
	}
	return nil
}

// operand is what a comparison compares a field with: a bare word naming
// a field stands for that field.
func (v rqlValue) operand(a *marketplace.Account) string {
	if v.kind == rqlBare {
		if s, known := fieldValue(a, v.text); known {
			return s
		}
	}
	return v.text
}

func fieldValue(a *marketplace.Account, field string) (string, bool) {
	switch field {
	case "id":
		return a.ID, true
	case "name":
		return a.Name, true
	case "status":
		return string(a.Status), true
	case "type":
		return string(a.Type), true
	case "serviceLevel":
		return string(a.ServiceLevel), true
	case "externalId":
		return a.ExternalID, true
	}
	return "", false
}

// likePattern reads a like pattern as SoftwareOne's reference
// implementation does (Like.cs): a leading and a trailing * are wildcards,
// \* at either end a literal *. mode is "contains", "starts", "ends" or
// "equals". ok is false when a * is left inside the literal.
func likePattern(p string) (mode, literal string, ok bool) {
	startsWild := strings.HasPrefix(p, "*")
	startsEscaped := strings.HasPrefix(p, `\*`)
	endsEscaped := strings.HasSuffix(p, `\*`)
	endsWild := !endsEscaped && strings.HasSuffix(p, "*")
	start, end := 0, len(p)
	if startsWild || startsEscaped {
		start = 1
	}
	if endsEscaped {
		end = max(start, end-2)
	} else if endsWild {
		end = max(start, end-1)
	}
	literal = p[start:end]
	inner := literal
	if startsEscaped && inner != "" {
		inner = inner[1:] // the escaped leading *
	}
	if strings.Contains(inner, "*") {
		return "", "", false
	}
	if endsEscaped {
		literal += "*"
	}
	switch {
	case startsWild && endsWild:
		mode = "contains"
	case startsWild:
		mode = "ends"
	case endsWild:
		mode = "starts"
	default:
		mode = "equals"
	}
	return mode, literal, true
}

func (f rql) match(a *marketplace.Account) bool {
	switch f.op {
	case "and":
		for _, x := range f.args {
			if !x.match(a) {
				return false
			}
		}
		return true
	case "or":
		for _, x := range f.args {
			if x.match(a) {
				return true
			}
		}
		return false
	case "not":
		return !f.args[0].match(a)
	}
	v, _ := fieldValue(a, f.field)
	switch f.op {
	case "in", "out":
		in := false
		for _, x := range f.values {
			in = in || v == x.text
		}
		return in == (f.op == "in")
	case "like", "ilike":
		mode, lit, _ := likePattern(f.values[0].text)
		if f.op == "ilike" {
			v, lit = strings.ToLower(v), strings.ToLower(lit)
		}
		switch mode {
		case "contains":
			return strings.Contains(v, lit)
		case "starts":
			return strings.HasPrefix(v, lit)
		case "ends":
			return strings.HasSuffix(v, lit)
		}
		return v == lit
	}
	c := strings.Compare(v, f.values[0].operand(a))
	switch f.op {
	case "eq":
		return c == 0
	case "ne":
		return c != 0
	case "gt":
		return c > 0
	case "ge":
		return c >= 0
	case "lt":
		return c < 0
	}
	return c <= 0 // le
}
