package transport

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/accountkit/accountkit-go"
	"github.com/accountkit/accountkit-go/internal/callopt"
)

// TokenFetcher gets a new token from its source, every time it is called.
type TokenFetcher func(ctx context.Context) (*oauth2.Token, error)

// ClientCredentials fetches tokens with the OAuth2 client-credentials grant,
// sending the client id and secret in the form body, through hc.
func ClientCredentials(tokenURL, clientID, clientSecret string, scopes []string, hc *http.Client) TokenFetcher {
	cfg := &clientcredentials.Config{
		ClientID:     clientID,
		ClientSecret: clientSecret,
		TokenURL:     tokenURL,
		Scopes:       scopes,
		AuthStyle:    oauth2.AuthStyleInParams,
	}
	return func(ctx context.Context) (*oauth2.Token, error) {
		if hc != nil {
			ctx = context.WithValue(ctx, oauth2.HTTPClient, hc)
		}
		return cfg.Token(ctx)
	}
}

// FromTokenSource adapts an oauth2.TokenSource, which may cache on its own.
func FromTokenSource(ts oauth2.TokenSource) TokenFetcher {
	return func(context.Context) (*oauth2.Token, error) { return ts.Token() }
}

// StaticToken is a cache holding one bearer token that never changes (an
// API token); a 401 answer to it is final.
func StaticToken(token string) *TokenCache {
	tok := &oauth2.Token{AccessToken: token, TokenType: "Bearer"}
	c := NewTokenCache(func(context.Context) (*oauth2.Token, error) { return tok, nil })
	c.static = true
	return c
}

// fetchTimeout bounds one token fetch, which runs detached from the callers
// that wait for it.
const fetchTimeout = 30 * time.Second

// maxExpiryDelta is how long before its expiry a token is replaced.
const maxExpiryDelta = 10 * time.Second

// Token is a cached access token and the Authorization header made from it.
type Token struct {
	token  *oauth2.Token
	header string
	stale  time.Time // zero: never
}

// TokenCache hands out one token for its whole lifetime to any number of
// goroutines. When the token is missing or about to expire exactly one fetch
// runs; callers wait for it, each giving up when its own context ends.
type TokenCache struct {
	fetch  TokenFetcher
	now    func() time.Time
	static bool // the token cannot be renewed

	mu     sync.Mutex
	cur    *Token
	flight *tokenFlight
}

type tokenFlight struct {
	done chan struct{}
	tok  *Token
	err  error
}

// NewTokenCache caches the tokens fetch returns.
func NewTokenCache(fetch TokenFetcher) *TokenCache {
	return &TokenCache{fetch: fetch, now: time.Now}
}

// Token returns a valid token, fetching one if needed.
func (c *TokenCache) Token(ctx context.Context) (*Token, error) {
	c.mu.Lock()
	if t := c.cur; t != nil && (t.stale.IsZero() || c.now().Before(t.stale)) {
		c.mu.Unlock()
		return t, nil
	}
	f := c.flight
	if f == nil {
		f = &tokenFlight{done: make(chan struct{})}
		c.flight = f
		go c.run(callopt.Detach(ctx, "FetchToken"), f)
	}
	c.mu.Unlock()

	select {
	case <-f.done:
		return f.tok, f.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (c *TokenCache) run(ctx context.Context, f *tokenFlight) {
	ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	start := c.now()
	tok, err := c.fetchSafely(ctx)
	switch {
	case err != nil:
		f.err = tokenError(err)
	case tok == nil || tok.AccessToken == "":
		f.err = errors.New("fetch access token: the token endpoint answered without an access token")
	default:
		t := &Token{token: tok, header: authHeader(tok)}
		if !tok.Expiry.IsZero() {
			delta := min(maxExpiryDelta, tok.Expiry.Sub(start)/4)
			t.stale = tok.Expiry.Add(-delta)
		}
		f.tok = t
	}
	c.mu.Lock()
	if f.err == nil {
		c.cur = f.tok
	}
	c.flight = nil
	c.mu.Unlock()
	close(f.done)
}

// fetchSafely runs the fetch on the cache's own goroutine, where a panic
// (a token source or signing key that misbehaves) would end the process:
// it becomes the fetch's error instead.
func (c *TokenCache) fetchSafely(ctx context.Context) (tok *oauth2.Token, err error) {
	defer func() {
		if p := recover(); p != nil {
			tok, err = nil, fmt.Errorf("the token source panicked: %v", p)
		}
	}()
	return c.fetch(ctx)
}

// Invalidate drops t if it is still the cached token, so that the next call
// fetches a new one. The server refusing a token before its expiry calls for
// this.
func (c *TokenCache) Invalidate(t *Token) {
	c.mu.Lock()
	if c.cur == t {
		c.cur = nil
	}
	c.mu.Unlock()
}

func authHeader(tok *oauth2.Token) string {
	typ := tok.Type() // "Bearer" unless the server said otherwise
	return typ + " " + tok.AccessToken
}

// tokenError turns a failed fetch into an error that names the step and
// carries the token endpoint's answer as an *accountkit.APIError, without
// the credentials.
func tokenError(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.Response != nil {
		apiErr := &accountkit.APIError{
			StatusCode: re.Response.StatusCode,
			Header:     re.Response.Header,
			Attempts:   1,
		}
		body := re.Body
		if len(body) > accountkit.MaxErrorBody {
			body, apiErr.Truncated = body[:accountkit.MaxErrorBody], true
		}
		apiErr.Body = body
		decodeProblem(apiErr, body)
		if apiErr.Title == "" && re.ErrorCode != "" {
			apiErr.Title = re.ErrorCode
		}
		if apiErr.Detail == "" && re.ErrorDescription != "" {
			apiErr.Detail = re.ErrorDescription
		}
		return fmt.Errorf("fetch access token: %w", apiErr)
	}
	return fmt.Errorf("fetch access token: %w", err)
}
