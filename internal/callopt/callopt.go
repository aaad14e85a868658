// Package callopt holds the per-call options of an SDK call (what package
// accountkit's CallOption values add up to) and carries them, with the
// call's operation name, in the context of every request the call makes.
// Package accountkit builds options; the clients start each call with
// internal/transport's Begin, which puts a [Call] in its context; the
// transport reads the options back with [Options].
package callopt

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// MaxRetries is the most retries a client or a call may ask for.
const MaxRetries = 20

// Option changes a Config. The zero Option (nil) changes nothing.
type Option func(*Config)

// Config is what the options of one call add up to.
type Config struct {
	// Header replaces, on every request of the call, the headers of the
	// same names the client sets by default. Never written after Begin.
	Header http.Header

	// Query is added to every request's query, after the parameters the
	// operation sets itself.
	Query url.Values

	// Retries is the most retries of each request; negative: the
	// client's setting.
	Retries int

	// Timeout bounds the whole call; 0: no bound of its own.
	Timeout time.Duration

	// IdempotencyKey is the key a create that sends one uses.
	IdempotencyKey string

	// Record, when set, receives each request's outcome once it is final:
	// the answer's status, header and request id (zero values when there
	// was no answer) and how many times it was sent.
	Record func(statusCode int, header http.Header, requestID string, attempts int)

	// Err is the first invalid option's error; the call is refused with it.
	Err error
}

// set records err as the config's error, keeping the first one.
func (c *Config) set(err error) {
	if c.Err == nil {
		c.Err = err
	}
}

// Fail makes an Option that refuses the call with err.
func Fail(err error) Option { return func(c *Config) { c.set(err) } }

// Call is the context of one SDK call: the caller's context, with the
// call's operation name and options. It is a context.Context of its own
// so that carrying both costs one allocation.
type Call struct {
	context.Context
	// Pkg and Op name the operation: "paxos" and "GetAccount".
	Pkg, Op string
	// Config is the call's options; nil when it has none.
	Config *Config
}

type callKey struct{}

// Value returns c itself for the package's key and asks the caller's
// context for any other.
func (c *Call) Value(key any) any {
	if _, ok := key.(callKey); ok {
		return c
	}
	return c.Context.Value(key)
}

// String names the call, for debugging.
func (c *Call) String() string {
	return fmt.Sprintf("%v.WithCall(%s)", c.Context, c.Name())
}

// Name is the operation's name: "paxos.GetAccount".
func (c *Call) Name() string { return c.Pkg + "." + c.Op }

// FromContext returns the call ctx belongs to, or nil.
func FromContext(ctx context.Context) *Call {
	if c, ok := ctx.(*Call); ok {
		return c
	}
	c, _ := ctx.Value(callKey{}).(*Call)
	return c
}

// Options returns the options of the call ctx belongs to, or nil.
func Options(ctx context.Context) *Config {
	if c := FromContext(ctx); c != nil {
		return c.Config
	}
	return nil
}

// Join returns parent's options followed by the non-nil ones of opts,
// stored in buf when they fit: a derived client's options.
func Join[O ~func(*Config)](buf []O, parent, opts []O) []O {
	out := append(buf[:0], parent...)
	for _, o := range opts {
		if o != nil {
			out = append(out, o)
		}
	}
	return out
}

// Apply adds up opts. An invalid option's error is in the result's Err.
func Apply[O ~func(*Config)](opts []O) *Config {
	cfg := &Config{Retries: -1}
	for _, o := range opts {
		if o != nil {
			o(cfg)
		}
	}
	return cfg
}

// Detach returns a context for work that runs on behalf of the calls of a
// client rather than for one of them (a token fetch shared by every caller
// that waits for it): ctx's values, no cancellation, no options, and the
// operation named op in the package of ctx's call.
func Detach(ctx context.Context, op string) context.Context {
	ctx = context.WithoutCancel(ctx)
	c := FromContext(ctx)
	if c == nil {
		return ctx
	}
	return &Call{Context: ctx, Pkg: c.Pkg, Op: op}
}

// reserved are the headers the transport sets on each request itself; a
// call option may not set them.
var reserved = map[string]string{
	"Authorization":       "the client's credentials set it",
	"Proxy-Authorization": "set it on the http.Client's proxy",
	"User-Agent":          "use the client's WithUserAgent option",
	"Host":                "the base URL sets it",
	"Content-Length":      "the body sets it",
	"Content-Type":        "the body sets it",
	"Transfer-Encoding":   "the body sets it",
	"Idempotency-Key":     "use accountkit.WithIdempotencyKey",
	"Signature":           "the client signs each request itself",
	"Signature-Input":     "the client signs each request itself",
	"Content-Digest":      "the client signs each request itself",
}

// ValidHeader reports why key: value cannot be sent as a per-call header,
// or nil.
func ValidHeader(key, value string) error {
	if key == "" {
		return errors.New("the header name is empty")
	}
	for i := 0; i < len(key); i++ {
		if !isTokenChar(key[i]) {
			return fmt.Errorf("header name %q is not a valid HTTP field name", key)
		}
	}
	if why, ok := reserved[http.CanonicalHeaderKey(key)]; ok {
		return fmt.Errorf("header %s cannot be set per call: %s", http.CanonicalHeaderKey(key), why)
	}
	for i := 0; i < len(value); i++ {
		if b := value[i]; b < ' ' && b != '\t' || b == 0x7f {
			return fmt.Errorf("the value of header %s holds a control character (%q)", key, b)
		}
	}
	return nil
}

// isTokenChar reports whether b may appear in an HTTP token (RFC 9110
// section 5.6.2), such as a field name.
func isTokenChar(b byte) bool {
	switch {
	case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		return true
	}
	return b < 0x80 && strings.IndexByte("!#$%&'*+-.^_`|~", b) >= 0
}
