package transport

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// ErrRedirect is wrapped by the error of a call whose answer was a redirect
// the SDK does not follow: to another origin, a write answered 301, 302 or
// 303, or one redirect too many.
var ErrRedirect = errors.New("redirect not followed")

// isRedirect reports the statuses that redirect a request elsewhere.
func isRedirect(code int) bool {
	switch code {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// follow decides whether the redirect resp answered to r is followed, and
// returns the call's next request when it is. Only redirects to the same
// origin (scheme, host and port) are followed, so that the Authorization
// header, API tokens, client ids and signatures never reach another host;
// the next attempt is prepared afresh (its token and signature set for the
// new URL). 307 and 308 repeat the request, body and all; 301, 302 and 303
// are followed only by GET and HEAD: a write is never turned into a GET,
// whose answer would report it done when the server has not said so.
func (d *Doer) follow(c *call, r *http.Request, resp *http.Response) (*http.Request, error) {
	what := fmt.Sprintf("%s %s was answered %d %s", r.Method, r.URL.EscapedPath(), resp.StatusCode, http.StatusText(resp.StatusCode))
	loc := resp.Header.Get("Location")
	if loc == "" {
		return nil, newAPIError(resp, 1, d.cfg.RequestIDHeaders)
	}
	target, err := r.URL.Parse(loc)
	if err != nil || (target.Scheme != "http" && target.Scheme != "https") || target.Host == "" {
		return nil, fmt.Errorf("%w: %s with a Location that is not an http(s) URL", ErrRedirect, what)
	}
	if from, to := origin(r.URL), origin(target); from != to {
		hint := ""
		if r.URL.Scheme == "http" && target.Scheme == "https" && r.URL.Hostname() == target.Hostname() {
			hint = "; use an https:// base URL"
		}
		return nil, fmt.Errorf("%w: %s to another origin, %s; it is not followed, so that credentials stay with %s%s", ErrRedirect, what, to, from, hint)
	}
	if c.redirects >= maxRedirects {
		return nil, fmt.Errorf("%w: %s after %d redirects already; stopped", ErrRedirect, what, maxRedirects)
	}
	switch resp.StatusCode {
	case http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		if !c.replayable {
			return nil, fmt.Errorf("%w: %s, and the request body cannot be sent again", ErrRedirect, what)
		}
	default:
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			return nil, fmt.Errorf("%w: %s; a redirected write is not sent again as a GET, and the server has not confirmed it: check whether it took effect before trying again", ErrRedirect, what)
		}
	}
	c.redirects++
	next := c.req.Clone(c.req.Context())
	next.URL = target
	next.Host = ""
	return next, nil
}

// origin is a URL's scheme, host and port, the port made explicit.
func origin(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[scheme]
	}
	return scheme + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

// noRedirects stops net/http from following redirects: the SDK follows
// them itself (Doer.follow), and token requests not at all.
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
