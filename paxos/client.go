package paxos

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"golang.org/x/oauth2"

	"github.com/accountkit/accountkit-go"
	"github.com/accountkit/accountkit-go/internal/callopt"
	"github.com/accountkit/accountkit-go/internal/poll"
	"github.com/accountkit/accountkit-go/internal/transport"
)

// Environment names a Paxos deployment: the API's base URL and the OAuth2
// token URL that goes with it.
type Environment struct {
	// BaseURL is the API's base URL, such as https://api.paxos.com/v2;
	// operation paths are appended to it.
	BaseURL string

	// TokenURL is the OAuth2 token endpoint that WithClientCredentials
	// fetches tokens from.
	TokenURL string
}

var (
	// Sandbox is Paxos's test environment.
	Sandbox = Environment{
		BaseURL:  "https://api.sandbox.paxos.com/v2",
		TokenURL: "https://oauth.sandbox.paxos.com/oauth2/token",
	}
	// Production is Paxos's live environment.
	Production = Environment{
		BaseURL:  "https://api.paxos.com/v2",
		TokenURL: "https://oauth.paxos.com/oauth2/token",
	}
)

// Scopes the client asks for when WithClientCredentials names none.
const (
	ScopeReadAccount  = "identity:read_account"
	ScopeWriteAccount = "identity:write_account"
)

// requestIDHeaders are the answer headers that may carry Paxos's request id.
var requestIDHeaders = []string{"X-Request-Id", "Paxos-Request-Id"}

// Client calls the Paxos accounts API. It is safe for concurrent use; share
// one per set of credentials.
//
// [Client.With] derives a client that makes its calls with per-call options
// and shares everything else with its parent.
type Client struct {
	*core
	opts []accountkit.CallOption // With's options, applied to each call
}

// core is what a Client shares with the clients derived from it by With:
// the transport, its token cache and rate limiters, the member locks.
type core struct {
	api   *apiClient
	locks memberLocks
	poll  poll.Backoff // WaitForStatus's reads
}

// Option configures a Client.
type Option func(*settings)

type settings struct {
	transport    transport.Config
	clientID     string
	clientSecret string
	scopes       []string
	tokenSource  oauth2.TokenSource
	memberLocker Locker
	poll         poll.Backoff
	signing      signingSettings   // WithRequestSigning: signing.go
	rateLimit    rateLimitSettings // WithRateLimit: ratelimit.go
}

// WithClientCredentials authenticates with the OAuth2 client-credentials
// grant at the environment's token URL. With no scopes it asks for
// identity:read_account and identity:write_account.
func WithClientCredentials(clientID, clientSecret string, scopes ...string) Option {
	return func(s *settings) {
		s.clientID, s.clientSecret = clientID, clientSecret
		s.scopes = scopes
	}
}

// WithTokenSource authenticates with tokens from ts instead of client
// credentials. The client caches each token until shortly before its expiry.
func WithTokenSource(ts oauth2.TokenSource) Option {
	return func(s *settings) { s.tokenSource = ts }
}

// WithHTTPClient sends requests, and token requests, through hc instead of
// the SDK's default client.
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

// NewClient returns a client for env. It needs WithClientCredentials or
// WithTokenSource. Nil options are skipped.
func NewClient(env Environment, opts ...Option) (*Client, error) {
	s := settings{transport: transport.Config{MaxRetries: transport.DefaultMaxRetries}}
	for _, opt := range opts {
		if opt != nil {
			opt(&s)
		}
	}
	if err := transport.CheckBaseURL(env.BaseURL); err != nil {
		return nil, fmt.Errorf("paxos: NewClient: %w", err)
	}
	switch {
	case s.tokenSource != nil:
		s.transport.Tokens = transport.NewTokenCache(transport.FromTokenSource(s.tokenSource))
	case s.clientID != "" || s.clientSecret != "":
		if s.clientID == "" || s.clientSecret == "" {
			return nil, fmt.Errorf("paxos: NewClient: %w: WithClientCredentials needs both a client id and a client secret", accountkit.ErrInvalidRequest)
		}
		if err := transport.CheckBaseURL(env.TokenURL); err != nil {
			return nil, fmt.Errorf("paxos: NewClient: token URL: %w", err)
		}
		scopes := s.scopes
		if len(scopes) == 0 {
			scopes = []string{ScopeReadAccount, ScopeWriteAccount}
		}
		s.transport.Tokens = transport.NewTokenCache(s.limitTokenFetches(env.TokenURL, transport.ClientCredentials(env.TokenURL, s.clientID, s.clientSecret, scopes,
			transport.TokenClient(s.transport.HTTPClient, nil, s.transport.UserAgent(), nil))))
	default:
		return nil, fmt.Errorf("paxos: NewClient: %w: no credentials; use WithClientCredentials or WithTokenSource", accountkit.ErrInvalidRequest)
	}
	s.transport.Header = http.Header{"Accept": {"application/json"}}
	s.transport.RequestIDHeaders = requestIDHeaders
	if err := s.configureSigning(); err != nil {
		return nil, err
	}
	if err := s.configureRateLimit(); err != nil {
		return nil, err
	}
	doer, err := transport.New(s.transport)
	if err != nil {
		return nil, fmt.Errorf("paxos: NewClient: %w", err)
	}
	return &Client{core: &core{api: newAPIClient(env.BaseURL, doer), locks: memberLocks{baseURL: env.BaseURL, locker: s.memberLocker}, poll: s.poll}}, nil
}

// With returns a client that makes every call with opts after c's own
// options, sharing c's transport, token cache, rate limiters and member
// locks. It costs
// one small allocation, so deriving a client per call is cheap:
//
//	var resp accountkit.Response
//	account, err := client.With(accountkit.WithResponse(&resp)).GetAccount(ctx, id)
//	log.Printf("request id %s", resp.RequestID)
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
	return transport.Begin(ctx, "paxos", op, c.opts)
}

// opError wraps err with the operation's name.
func opError(op string, err error) error { return transport.OpError("paxos", op, err) }

// invalid refuses a call before anything is sent.
func invalid(op, format string, args ...any) error {
	return transport.Invalid("paxos", op, format, args...)
}
