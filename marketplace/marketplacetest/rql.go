package marketplacetest

import (
	"errors"
	"net/url"
	"path"
	"strings"

	"github.com/accountkit/accountkit-go/marketplace"
)

// rql is a parsed filter: eq, ne and ilike on a field, or and/or of filters.
type rql struct {
	op    string
	field string
	value string
	args  []rql
}

func urlUnescape(s string) (string, error) { return url.QueryUnescape(s) }

// parseRQL reads one RQL term such as and(eq(status,Active),ilike(name,*soft*)).
func parseRQL(term string) (rql, error) {
	term, err := url.PathUnescape(term)
	if err != nil {
		return rql{}, err
	}
	f, rest, err := parseCall(term)
	if err != nil {
		return rql{}, err
	}
	if rest != "" {
		return rql{}, errors.New("unexpected " + rest)
	}
	return f, nil
}

func parseCall(s string) (rql, string, error) {
	open := strings.IndexByte(s, '(')
	if open <= 0 {
		return rql{}, "", errors.New("expected op(...)")
	}
	f := rql{op: s[:open]}
	s = s[open+1:]
	switch f.op {
	case "and", "or":
		for {
			arg, rest, err := parseCall(s)
			if err != nil {
				return rql{}, "", err
			}
			f.args = append(f.args, arg)
			if strings.HasPrefix(rest, ",") {
				s = rest[1:]
				continue
			}
			if !strings.HasPrefix(rest, ")") {
				return rql{}, "", errors.New("missing )")
			}
			return f, rest[1:], nil
		}
	case "eq", "ne", "ilike":
		end := strings.IndexByte(s, ')')
		if end < 0 {
			return rql{}, "", errors.New("missing )")
		}
		field, value, ok := strings.Cut(s[:end], ",")
		if !ok {
			return rql{}, "", errors.New(f.op + " takes a field and a value")
		}
		if _, known := fieldValue(&marketplace.Account{}, field); !known {
			return rql{}, "", errors.New("cannot filter on " + field)
		}
		f.field, f.value = field, strings.Trim(value, `'"`)
		return f, s[end+1:], nil
	}
	return rql{}, "", errors.New("unsupported operator " + f.op)
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
	}
	v, _ := fieldValue(a, f.field)
	switch f.op {
	case "eq":
		return v == f.value
	case "ne":
		return v != f.value
	default: // ilike
		ok, _ := path.Match(strings.ToLower(f.value), strings.ToLower(v))
		return ok
	}
}
