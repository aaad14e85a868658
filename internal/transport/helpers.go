package transport

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/accountkit/accountkit-go"
)

// CheckBaseURL refuses an environment URL that is empty, relative, not
// http(s), or carries a query or fragment. Its errors never echo a
// password the URL holds.
func CheckBaseURL(raw string) error {
	if raw == "" {
		return fmt.Errorf("%w: the environment has no URL", accountkit.ErrInvalidRequest)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("%w: %q is not an http(s) URL", accountkit.ErrInvalidRequest, RedactURL(raw))
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("%w: %q must not have a query or fragment", accountkit.ErrInvalidRequest, RedactURL(raw))
	}
	return nil
}

// RedactURL is raw with the password of its user information, if any,
// replaced by "xxxxx", also when raw does not parse as a URL.
func RedactURL(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.User != nil {
		return u.Redacted()
	}
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		rest, scheme = raw, ""
	} else {
		scheme += "://"
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	at := strings.LastIndexByte(rest[:end], '@')
	if at < 0 {
		return raw
	}
	user, _, hasPassword := strings.Cut(rest[:at], ":")
	if !hasPassword {
		return raw
	}
	return scheme + user + ":xxxxx" + rest[at:]
}

// OpError wraps err with the package and operation names:
// "paxos: GetAccount: ...".
func OpError(pkg, op string, err error) error {
	return fmt.Errorf("%s: %s: %w", pkg, op, err)
}

// Invalid refuses a call before anything is sent, wrapping
// accountkit.ErrInvalidRequest; the message says what to do instead.
func Invalid(pkg, op, format string, args ...any) error {
	return fmt.Errorf("%s: %s: %w: %s", pkg, op, accountkit.ErrInvalidRequest, fmt.Sprintf(format, args...))
}
