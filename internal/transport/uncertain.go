package transport

import (
	"errors"
	"net"
)

// uncertainError is the error a call ended with after retrying an attempt
// the server may have carried out: a connection that failed once the
// request was on its way, a 5xx answer, or a 2xx answer whose body broke
// off. It changes nothing but what MayHaveApplied reports.
type uncertainError struct{ error }

func (e uncertainError) Unwrap() error { return e.error }

// MayHaveApplied reports whether a call that failed with err had retried
// an attempt the server may have carried out. A create answered 409 by a
// retry may then have been refused because of the call's own first
// attempt; without such an attempt (the earlier ones were refused
// unprocessed: 408, 429, 401, a redirect, a connection never made) the
// conflict is with something else.
func MayHaveApplied(err error) bool {
	var u uncertainError
	return errors.As(err, &u)
}

// mayHaveArrived reports whether a request that failed with the transport
// error err may have reached the server: anything but a failure to resolve
// or connect to it.
func mayHaveArrived(err error) bool {
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return false
	}
	var op *net.OpError
	return !errors.As(err, &op) || op.Op != "dial"
}
