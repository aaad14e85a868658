package marketplace

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/accountkit/accountkit-go"
	"github.com/accountkit/accountkit-go/internal/callopt"
	"github.com/accountkit/accountkit-go/internal/transport"
)

// Environment names a Marketplace deployment by its API base URL.
type Environment struct {
	// BaseURL is the API's base URL, such as
	// https://api.platform.softwareone.com/public/v1; operation paths are
	// appended to it.
	BaseURL string
}

// Production is the SoftwareOne Marketplace Platform.
var Production = Environment{BaseURL: "https://api.platform.softwareone.com/public/v1"}

// Client calls the Marketplace accounts API. It is safe for concurrent use.
//
// [Client.With] derives a client that makes its calls with per-call options
// and shares everything else with its parent.
type Client struct {
	*core
	opts []accountkit.CallOption // With's options, applied to each call
}

// core is what a Client shares with the clients derived from it by With:
// the transport and its token.
type core struct {
	api *apiClient
}

// Option configures a Client.
type Option func(*settings)

type settings struct {
	transport transport.Config
	token     string
}

// WithAPIToken authenticates with an API token made in the Marketplace
// portal, sent as a bearer token.
func WithAPIToken(token string) Option {
	return func(s *settings) { s.token = token }
}

// WithHTTPClient sends requests through hc instead of the SDK's default
// client. Uploads of large logos may need a longer timeout than its own.
func WithHTTPClient(hc *http.Client) Option {
	return func(s *settings) { s.transport.HTTPClient = hc }
}

// WithMaxRetries sets how many times a failed request that is safe to repeat
// is retried (3 by default); 0 disables retries.
func WithMaxRetries(n int) Option {
	return func(s *settings) { s.transport.MaxRetries = max(n, 0) }
}

// WithRetryBackoff bounds the wait between retries: the n-th wait is drawn at
// random from [0, min(maxWait, minWait*2^(n-1))). A Retry-After header
// overrides it. The defaults are 250ms and 8s.
func WithRetryBackoff(minWait, maxWait time.Duration) Option {
	return func(s *settings) { s.transport.MinBackoff, s.transport.MaxBackoff = minWait, maxWait }
}

// WithLogger logs every attempt of every request to l: method, path,
// status, attempt, duration and the vendor's request id, at level Debug for
// successes and Warn for failures. Header values (tokens, signatures),
// query strings and bodies are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(s *settings) { s.transport.Logger = l }
}

// WithUserAgent puts product (such as "myapp/1.2") before the SDK's own
// token in the User-Agent header.
func WithUserAgent(product string) Option {
	return func(s *settings) { s.transport.Product = product }
}

// NewClient returns a client for env. It needs WithAPIToken. Nil options
// are skipped.
func NewClient(env Environment, opts ...Option) (*Client, error) {
	s := settings{transport: transport.Config{MaxRetries: transport.DefaultMaxRetries}}
	for _, opt := range opts {
		if opt != nil {
			opt(&s)
		}
	}
	if err := transport.CheckBaseURL(env.BaseURL); err != nil {
		return nil, opError("NewClient", err)
	}
	if s.token == "" {
		return nil, invalid("NewClient", "no API token; use WithAPIToken")
	}
	s.transport.Tokens = transport.StaticToken(s.token)
	s.transport.Header = http.Header{"Accept": {"application/json"}}
	// No header: an error's RequestID is the problem document's traceId,
	// the id SoftwareOne support asks for.
	doer, err := transport.New(s.transport)
	if err != nil {
		return nil, opError("NewClient", err)
	}
	return &Client{core: &core{api: newAPIClient(env.BaseURL, doer)}}, nil
}

// With returns a client that makes every call with opts after c's own
// options, sharing c's transport and credentials. It costs one small
// allocation, so deriving a client per call is cheap:
//
//	var resp accountkit.Response
//	account, err := client.With(accountkit.WithQuery("select", "+audit"), accountkit.WithResponse(&resp)).GetAccount(ctx, id)
func (c *Client) With(opts ...accountkit.CallOption) *Client {
	d := &derived{Client: Client{core: c.core}}
	d.opts = callopt.Join(d.buf[:], c.opts, opts)
	return &d.Client
}

// derived is a Client made by With, with room for its options.
type derived struct {
	Client
	buf [4]accountkit.CallOption
}

// begin starts the call op: see transport.Begin. Call done when the call
// returns.
func (c *Client) begin(ctx context.Context, op string) (_ context.Context, done func(), _ error) {
	return transport.Begin(ctx, "marketplace", op, c.opts)
}

// opError wraps err with the operation's name.
func opError(op string, err error) error { return transport.OpError("marketplace", op, err) }

// invalid refuses a call before anything is sent.
func invalid(op, format string, args ...any) error {
	return transport.Invalid("marketplace", op, format, args...)
}
