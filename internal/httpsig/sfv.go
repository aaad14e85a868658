package httpsig

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// This file parses the parts of RFC 8941 (Structured Field Values) that
// signature headers use: a dictionary whose members are inner lists of
// strings (signature-input) or byte sequences (signature, content-digest),
// each with parameters. Every member keeps the exact text it was read
// from, because a signature covers its parameters as they were sent.

// sfKind is the type of a bare item.
type sfKind int

const (
	sfString sfKind = iota + 1
	sfToken
	sfInteger
	sfDecimal
	sfBytes
	sfBoolean
	sfInnerList
)

// sfItem is a bare item, or an inner list when kind is sfInnerList.
type sfItem struct {
	kind  sfKind
	str   string // string and token values; a number's text
	num   int64  // integers
	bytes []byte
	bool  bool
	list  []sfMember // inner list items
}

// sfParam is one parameter: ;key or ;key=value.
type sfParam struct {
	key   string
	value sfItem
}

// sfMember is a dictionary member or an inner list item, with its
// parameters and the text it was parsed from.
type sfMember struct {
	key    string // dictionary members only
	value  sfItem
	params []sfParam
	raw    string // the value and its parameters, exactly as received
}

var errSF = errors.New("invalid structured field")

// sfParser reads one field value.
type sfParser struct {
	s   string
	pos int
}

func (p *sfParser) fail(format string, args ...any) error {
	return fmt.Errorf("%w at offset %d: %s", errSF, p.pos, fmt.Sprintf(format, args...))
}

func (p *sfParser) peek() byte {
	if p.pos < len(p.s) {
		return p.s[p.pos]
	}
	return 0
}

func (p *sfParser) skipSP() {
	for p.pos < len(p.s) && p.s[p.pos] == ' ' {
		p.pos++
	}
}

func (p *sfParser) skipOWS() {
	for p.pos < len(p.s) && (p.s[p.pos] == ' ' || p.s[p.pos] == '\t') {
		p.pos++
	}
}

// parseDictionary reads a dictionary field value. Duplicate keys are
// refused: RFC 8941 lets the last one win, which would let a second
// signature silently replace the first.
func parseDictionary(s string, maxMembers int) ([]sfMember, error) {
	p := &sfParser{s: s}
	p.skipSP()
	var out []sfMember
	for p.pos < len(p.s) {
		if len(out) == maxMembers {
			return nil, p.fail("more than %d members", maxMembers)
		}
		key, err := p.key()
		if err != nil {
			return nil, err
		}
		for _, m := range out {
			if m.key == key {
				return nil, p.fail("member %q twice", key)
			}
		}
		start := p.pos
		m := sfMember{key: key}
		if p.peek() == '=' {
			p.pos++
			start = p.pos
			if m.value, err = p.itemOrInnerList(); err != nil {
				return nil, err
			}
		} else {
			m.value = sfItem{kind: sfBoolean, bool: true}
		}
		if m.params, err = p.parameters(); err != nil {
			return nil, err
		}
		m.raw = p.s[start:p.pos]
		out = append(out, m)
		p.skipOWS()
		if p.pos == len(p.s) {
			break
		}
		if p.peek() != ',' {
			return nil, p.fail("expected a comma")
		}
		p.pos++
		p.skipOWS()
		if p.pos == len(p.s) {
			return nil, p.fail("trailing comma")
		}
	}
	return out, nil
}

func (p *sfParser) itemOrInnerList() (sfItem, error) {
	if p.peek() != '(' {
		return p.bareItem()
	}
	p.pos++
	list := sfItem{kind: sfInnerList}
	for {
		p.skipSP()
		if p.peek() == ')' {
			p.pos++
			return list, nil
		}
		if p.pos == len(p.s) {
			return sfItem{}, p.fail("inner list has no closing parenthesis")
		}
		if len(list.list) == maxComponents {
			return sfItem{}, p.fail("more than %d inner list items", maxComponents)
		}
		start := p.pos
		v, err := p.bareItem()
		if err != nil {
			return sfItem{}, err
		}
		params, err := p.parameters()
		if err != nil {
			return sfItem{}, err
		}
		list.list = append(list.list, sfMember{value: v, params: params, raw: p.s[start:p.pos]})
		if c := p.peek(); c != ' ' && c != ')' {
			return sfItem{}, p.fail("expected a space or a closing parenthesis")
		}
	}
}

func (p *sfParser) parameters() ([]sfParam, error) {
	var out []sfParam
	for p.peek() == ';' {
		p.pos++
		p.skipSP()
		key, err := p.key()
		if err != nil {
			return nil, err
		}
		v := sfItem{kind: sfBoolean, bool: true}
		if p.peek() == '=' {
			p.pos++
			if v, err = p.bareItem(); err != nil {
				return nil, err
			}
		}
		for _, q := range out {
			if q.key == key {
				return nil, p.fail("parameter %q twice", key)
			}
		}
		if len(out) == maxParams {
			return nil, p.fail("more than %d parameters", maxParams)
		}
		out = append(out, sfParam{key: key, value: v})
	}
	return out, nil
}

func isLCAlpha(c byte) bool { return c >= 'a' && c <= 'z' }
func isAlpha(c byte) bool   { return isLCAlpha(c) || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool   { return c >= '0' && c <= '9' }

func (p *sfParser) key() (string, error) {
	start := p.pos
	if c := p.peek(); !isLCAlpha(c) && c != '*' {
		return "", p.fail("a key starts with a lower-case letter or *")
	}
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		if !isLCAlpha(c) && !isDigit(c) && c != '_' && c != '-' && c != '.' && c != '*' {
			break
		}
		p.pos++
	}
	return p.s[start:p.pos], nil
}

func (p *sfParser) bareItem() (sfItem, error) {
	switch c := p.peek(); {
	case c == '-' || isDigit(c):
		return p.number()
	case c == '"':
		return p.string()
	case c == '*' || isAlpha(c):
		return p.token(), nil
	case c == ':':
		return p.byteSequence()
	case c == '?':
		if p.pos+1 < len(p.s) && (p.s[p.pos+1] == '0' || p.s[p.pos+1] == '1') {
			v := p.s[p.pos+1] == '1'
			p.pos += 2
			return sfItem{kind: sfBoolean, bool: v}, nil
		}
		return sfItem{}, p.fail("invalid boolean")
	}
	return sfItem{}, p.fail("unexpected character %q", p.peek())
}

func (p *sfParser) number() (sfItem, error) {
	start := p.pos
	if p.peek() == '-' {
		p.pos++
	}
	digits, dot := 0, -1
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		if c == '.' && dot < 0 && digits > 0 && digits <= 12 {
			dot = digits
			p.pos++
			continue
		}
		if !isDigit(c) {
			break
		}
		digits++
		p.pos++
	}
	text := p.s[start:p.pos]
	switch {
	case digits == 0:
		return sfItem{}, p.fail("a number needs digits")
	case dot < 0:
		if digits > 15 {
			return sfItem{}, p.fail("integer too long")
		}
		n, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			return sfItem{}, p.fail("integer %q", text)
		}
		return sfItem{kind: sfInteger, num: n, str: text}, nil
	case digits == dot || digits-dot > 3:
		return sfItem{}, p.fail("decimal %q", text)
	}
	return sfItem{kind: sfDecimal, str: text}, nil
}

func (p *sfParser) string() (sfItem, error) {
	p.pos++ // the opening quote
	var b strings.Builder
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		p.pos++
		switch {
		case c == '\\':
			if p.pos == len(p.s) || (p.s[p.pos] != '"' && p.s[p.pos] != '\\') {
				return sfItem{}, p.fail("invalid escape in a string")
			}
			b.WriteByte(p.s[p.pos])
			p.pos++
		case c == '"':
			return sfItem{kind: sfString, str: b.String()}, nil
		case c < 0x20 || c > 0x7e:
			return sfItem{}, p.fail("a string holds only printable ASCII")
		default:
			b.WriteByte(c)
		}
	}
	return sfItem{}, p.fail("unterminated string")
}

func (p *sfParser) token() sfItem {
	start := p.pos
	p.pos++
	for p.pos < len(p.s) && (isTchar(p.s[p.pos]) || p.s[p.pos] == ':' || p.s[p.pos] == '/') {
		p.pos++
	}
	return sfItem{kind: sfToken, str: p.s[start:p.pos]}
}

func isTchar(c byte) bool {
	return isAlpha(c) || isDigit(c) || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

func (p *sfParser) byteSequence() (sfItem, error) {
	p.pos++
	end := strings.IndexByte(p.s[p.pos:], ':')
	if end < 0 {
		return sfItem{}, p.fail("unterminated byte sequence")
	}
	text := p.s[p.pos : p.pos+end]
	p.pos += end + 1
	for i := 0; i < len(text); i++ {
		if c := text[i]; !isAlpha(c) && !isDigit(c) && c != '+' && c != '/' && c != '=' {
			return sfItem{}, p.fail("invalid base64 in a byte sequence")
		}
	}
	b, err := base64.StdEncoding.DecodeString(text)
	if err != nil {
		// RFC 8941 lets parsers accept base64 without its padding.
		if b, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(text, "=")); err != nil {
			return sfItem{}, p.fail("invalid base64 in a byte sequence")
		}
	}
	return sfItem{kind: sfBytes, bytes: b}, nil
}
