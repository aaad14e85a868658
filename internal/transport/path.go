package transport

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/accountkit/accountkit-go"
)

// PathParam returns value escaped as one path segment for the parameter
// name. It refuses, wrapping accountkit.ErrInvalidRequest, an empty value
// and the dot segments "." and "..": url.PathEscape leaves those as they
// are, and a client would resolve "/accounts/.." to "/", sending the
// request to another resource. The generated request builders call it for
// every path parameter, so no request leaves with such a path.
func PathParam(name, value string) (string, error) {
	switch value {
	case "":
		return "", fmt.Errorf("%w: path parameter %s is empty", accountkit.ErrInvalidRequest, name)
	case ".", "..":
		return "", fmt.Errorf("%w: path parameter %s is %q, which would change the request's path", accountkit.ErrInvalidRequest, name, value)
	}
	return url.PathEscape(value), nil
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
