package accountkit

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/accountkit/accountkit-go/internal/callopt"
	"github.com/accountkit/accountkit-go/internal/uuid"
)

// CallOption changes the calls made through a client derived with the
// clients' With method:
//
//	var resp accountkit.Response
//	account, err := client.With(accountkit.WithTimeout(5*time.Second), accountkit.WithResponse(&resp)).GetAccount(ctx, id)
//
// The options apply to every request of each call: every page of a list,
// both the read and the write of a read-modify-write helper. An invalid
// option makes each call fail before anything is sent, with an error that
// wraps [ErrInvalidRequest]. A nil CallOption is skipped. When two options
// set the same thing, the later one wins.
type CallOption callopt.Option

// fail is an option that refuses the call with a message saying why.
func fail(format string, args ...any) CallOption {
	return CallOption(callopt.Fail(fmt.Errorf(format, args...)))
}

// WithHeader sets the header key to value on every request of the call,
// replacing what the client would send under that name (Accept, say) and
// what an earlier WithHeader set. It is sent before the request is signed,
// so Upvest's signatures cover it. Headers the client manages itself
// (Authorization, User-Agent, Content-Type, Idempotency-Key, the signature
// headers, ...) and names or values that are not valid HTTP are refused.
func WithHeader(key, value string) CallOption {
	if err := callopt.ValidHeader(key, value); err != nil {
		return fail("WithHeader: %v", err)
	}
	key = http.CanonicalHeaderKey(key)
	values := []string{value}
	return func(c *callopt.Config) {
		if c.Header == nil {
			c.Header = make(http.Header, 1)
		}
		c.Header[key] = values
	}
}

// WithQuery sets the query parameter key to value on every request of the
// call, after the parameters the call sets itself (a name the call uses
// too is then sent twice; APIs read the first). An earlier WithQuery of
// the same key is replaced. For example the Marketplace answers with an
// account's audit trail only when asked:
//
//	account, err := client.With(accountkit.WithQuery("select", "+audit")).GetAccount(ctx, id)
func WithQuery(key, value string) CallOption {
	if key == "" {
		return fail("WithQuery: the parameter name is empty")
	}
	return func(c *callopt.Config) {
		if c.Query == nil {
			c.Query = make(url.Values, 1)
		}
		c.Query.Set(key, value)
	}
}

// WithMaxRetries sets how many times each request of the call may be sent
// again after a failure that is safe to retry, in place of the client's
// setting; 0 means the call is never retried. n must be between 0 and 20.
func WithMaxRetries(n int) CallOption {
	if n < 0 || n > callopt.MaxRetries {
		return fail("WithMaxRetries: %d retries is out of range: 0 to %d", n, callopt.MaxRetries)
	}
	return func(c *callopt.Config) { c.Retries = n }
}

// WithTimeout bounds the whole call by d: every request, every retry and
// every wait between them (for a read-modify-write helper such as
// paxos.Client.AddMember, its read and its write; for a list, the whole
// iteration). The call's context still applies when it ends sooner. d
// must be positive.
func WithTimeout(d time.Duration) CallOption {
	if d <= 0 {
		return fail("WithTimeout: %v is not a positive duration", d)
	}
	return func(c *callopt.Config) { c.Timeout = d }
}

// WithIdempotencyKey makes a create that sends an idempotency key (Upvest's
// accountgroups.Client.CreateAccountGroup) send key, a UUID, instead of a
// fresh random one. The vendor answers a repeated key with the first
// request's answer, so repeating a create with the same key, after a crash
// or a timeout, cannot create twice. Use one key per create:
// [NewIdempotencyKey] makes one to store before the first try. Calls that
// send no idempotency key ignore it.
func WithIdempotencyKey(key string) CallOption {
	if !uuid.Valid(key) {
		return fail("WithIdempotencyKey: %q is not a UUID; NewIdempotencyKey makes one", key)
	}
	return func(c *callopt.Config) { c.IdempotencyKey = key }
}

// NewIdempotencyKey returns a new random idempotency key (a version 4 UUID)
// for [WithIdempotencyKey].
func NewIdempotencyKey() string { return uuid.New() }

// WithResponse makes each call fill dst with what the vendor answered: on
// success and when the call fails with an [*APIError] (for a call that
// makes several requests, the last one's). A call refused before sending
// anything, or whose request got no answer, leaves dst with no status (its
// Attempts say how many times the request was sent). dst is written by
// the call: give each concurrent call its own.
func WithResponse(dst *Response) CallOption {
	if dst == nil {
		return fail("WithResponse: the *Response to fill is nil")
	}
	record := func(statusCode int, header http.Header, requestID string, attempts int) {
		*dst = Response{StatusCode: statusCode, Header: header, RequestID: requestID, Attempts: attempts}
	}
	return func(c *callopt.Config) { c.Record = record }
}

// Response is what the vendor answered to a call made with [WithResponse].
type Response struct {
	// StatusCode is the answer's HTTP status; 0 when there was none.
	StatusCode int

	// Header is the answer's header.
	Header http.Header

	// RequestID is the vendor's id for the request, for support tickets,
	// when it sent one (for an error, as in [APIError.RequestID]).
	RequestID string

	// Attempts is how many times the request was sent, retries included.
	Attempts int
}

// OperationName returns the SDK operation a request belongs to, such as
// "paxos.GetAccount" or "accountgroups.CreateAccountGroup", from the
// request's context; "" for a context that is not an SDK call's. Every
// request a client sends carries it, so a tracing http.RoundTripper given
// to a client's WithHTTPClient can name its spans after SDK operations:
//
//	otelhttp.NewTransport(http.DefaultTransport, otelhttp.WithSpanNameFormatter(
//		func(_ string, r *http.Request) string { return accountkit.OperationName(r.Context()) }))
//
// A helper that makes several requests (paxos AddMember reads the account,
// then writes it) names each of them after itself. Token requests are
// named after the package: "paxos.FetchToken".
func OperationName(ctx context.Context) string {
	if ctx == nil {
		return ""
	}
	if c := callopt.FromContext(ctx); c != nil {
		return c.Name()
	}
	return ""
}
