package accountgroups

import (
	"context"
	"crypto"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/accountkit/accountkit-go"
	"github.com/accountkit/accountkit-go/internal/callopt"
	"github.com/accountkit/accountkit-go/internal/httpsig"
	"github.com/accountkit/accountkit-go/internal/poll"
	"github.com/accountkit/accountkit-go/internal/transport"
)

// Environment names an Upvest deployment by its base URL; the token URL is
// BaseURL + "/auth/token".
type Environment struct {
	// BaseURL is the API's base URL, such as https://api.upvest.co;
	// operation paths, the token endpoint's included, are appended to it.
	BaseURL string
}

var (
	// Sandbox is Upvest's test environment.
	Sandbox = Environment{BaseURL: "https://sandbox.upvest.co"}
	// Production is Upvest's live environment.
	Production = Environment{BaseURL: "https://api.upvest.co"}
)

// Scopes the client asks for when WithClientCredentials names none.
const (
	ScopeAccountsRead  = "accounts:read"
	ScopeAccountsAdmin = "accounts:admin"
)

// ScopeWebhooksRead is the scope GET /auth/verify_keys needs. A
// WebhookVerifier made by Client.WebhookVerifier asks for a token with this
// scope alone, apart from the client's own token, so the API client must be
// allowed it.
const ScopeWebhooksRead = "webhooks:read"

// The headers Upvest expects on every request.
const (
	HeaderClientID         = "Upvest-Client-Id"
	HeaderAPIVersion       = "Upvest-Api-Version"
	HeaderSignatureVersion = "Upvest-Signature-Version"
	HeaderRequestID        = "Upvest-Request-Id"
)

// Client calls the Upvest account groups API. It is safe for concurrent use.
//
// [Client.With] derives a client that makes its calls with per-call options
// and shares everything else with its parent.
type Client struct {
	*core
	opts []accountkit.CallOption // With's options, applied to each call
}

// core is what a Client shares with the clients derived from it by With:
// the transports, their token caches and signer.
type core struct {
	api  *apiClient
	keys *apiClient   // for /auth/verify_keys, with a webhooks:read token
	poll poll.Backoff // WaitForStatus's reads
}

// Option configures a Client.
type Option func(*settings)

type settings struct {
	transport    transport.Config
	clientID     string
	clientSecret string
	scopes       []string
	keyID        string
	key          crypto.Signer
	poll         poll.Backoff
}

// WithClientCredentials authenticates with the OAuth2 client-credentials
// grant at BaseURL/auth/token. clientID is also sent on every request as
// upvest-client-id. With no scopes it asks for accounts:read and
// accounts:admin.
func WithClientCredentials(clientID, clientSecret string, scopes ...string) Option {
	return func(s *settings) {
		s.clientID, s.clientSecret, s.scopes = clientID, clientSecret, scopes
	}
}

// WithSigningKey signs every request with key, named keyID in the
// signature. The key's public half decides how: ECDSA P-521 (signed with
// SHA-512) or Ed25519. Any crypto.Signer with such a public key works, so
// a KMS or HSM key does as well as an *ecdsa.PrivateKey or an
// ed25519.PrivateKey: the SDK signs only through key.Sign. NewClient fails
// without a key, with another kind of key, and with an in-memory key that
// cannot make a signature its public key verifies.
func WithSigningKey(keyID string, key crypto.Signer) Option {
	return func(s *settings) { s.keyID, s.key = keyID, key }
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

// NewClient returns a client for env. It needs WithClientCredentials and
// WithSigningKey. Nil options are skipped.
func NewClient(env Environment, opts ...Option) (*Client, error) {
	const op = "NewClient"
	s := settings{transport: transport.Config{MaxRetries: transport.DefaultMaxRetries}}
	for _, opt := range opts {
		if opt != nil {
			opt(&s)
		}
	}
	if err := transport.CheckBaseURL(env.BaseURL); err != nil {
		return nil, opError(op, err)
	}
	if s.clientID == "" || s.clientSecret == "" {
		return nil, invalid(op, "no client credentials; use WithClientCredentials with the client id and secret")
	}
	if s.keyID == "" {
		return nil, invalid(op, "no signing key; Upvest refuses unsigned requests: use WithSigningKey with the key id registered with Upvest")
	}
	if err := httpsig.CheckKey(s.key); err != nil {
		return nil, invalid(op, "signing key: %v", err)
	}
	s.transport.Header = http.Header{
		"Accept":               {"application/json"},
		HeaderClientID:         {s.clientID},
		HeaderAPIVersion:       {"1"},
		HeaderSignatureVersion: {"15"},
	}
	s.transport.RequestIDHeaders = []string{HeaderRequestID}

	signer := &httpsig.Signer{KeyID: s.keyID, Key: s.key}
	sign := func(req *http.Request) error {
		body, err := transport.BodyBytes(req)
		if err != nil {
			return err
		}
		return signer.Sign(req, body)
	}
	s.transport.Sign = sign
	scopes := s.scopes
	if len(scopes) == 0 {
		scopes = []string{ScopeAccountsRead, ScopeAccountsAdmin}
	}
	// The token request is signed too, through the same headers and key.
	tokenClient := transport.TokenClient(s.transport.HTTPClient, s.transport.Header, s.transport.UserAgent(), sign)
	tokenURL := strings.TrimRight(env.BaseURL, "/") + "/auth/token"
	keysConfig := s.transport
	s.transport.Tokens = transport.NewTokenCache(transport.ClientCredentials(tokenURL, s.clientID, s.clientSecret, scopes, tokenClient))
	doer, err := transport.New(s.transport)
	if err != nil {
		return nil, opError(op, err)
	}
	// The webhook keys need webhooks:read, which the account scopes do not
	// include: their token is fetched, once, when a verifier first needs it.
	keysConfig.Tokens = transport.NewTokenCache(transport.ClientCredentials(tokenURL, s.clientID, s.clientSecret, []string{ScopeWebhooksRead}, tokenClient))
	keysDoer, err := transport.New(keysConfig)
	if err != nil {
		return nil, opError(op, err)
	}
	return &Client{core: &core{api: newAPIClient(env.BaseURL, doer), keys: newAPIClient(env.BaseURL, keysDoer), poll: s.poll}}, nil
}

// With returns a client that makes every call with opts after c's own
// options, sharing c's transport and credentials. It costs one small
// allocation, so deriving a client per call is cheap:
//
//	key := accountkit.NewIdempotencyKey() // store it to repeat the create after a crash
//	group, err := client.With(accountkit.WithIdempotencyKey(key)).CreateAccountGroup(ctx, userID, groupType)
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
	return transport.Begin(ctx, "accountgroups", op, c.opts)
}

// opError wraps err with the operation's name.
func opError(op string, err error) error { return transport.OpError("accountgroups", op, err) }

// invalid refuses a call before anything is sent.
func invalid(op, format string, args ...any) error {
	return transport.Invalid("accountgroups", op, format, args...)
}
