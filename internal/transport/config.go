package transport

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/accountkit/accountkit-go"
	"github.com/accountkit/accountkit-go/internal/callopt"
)

// Defaults for the retry policy.
const (
	DefaultMaxRetries    = 3
	DefaultMinBackoff    = 250 * time.Millisecond
	DefaultMaxBackoff    = 8 * time.Second
	DefaultMaxRetryAfter = time.Minute
)

// UserAgent is the User-Agent every client sends unless told otherwise.
const UserAgent = "accountkit-go/" + accountkit.Version

// Config describes one client's transport. The zero value of each field
// means its default.
type Config struct {
	// HTTPClient sends the requests. Nil means DefaultHTTPClient.
	HTTPClient *http.Client

	// Tokens supplies the Authorization header; nil sends none.
	Tokens *TokenCache

	// Product, when set, goes before the SDK's own token in the User-Agent
	// header: "myapp/1.2 accountkit-go/<version>".
	Product string

	// Header is added to every request (Accept, vendor headers, ...).
	Header http.Header

	// MaxRetries is how many times a retryable request is sent again after
	// its first try. Negative means DefaultMaxRetries; 0 disables retries.
	MaxRetries int

	// MinBackoff and MaxBackoff bound the exponential backoff; each wait is
	// drawn uniformly from [0, min(MaxBackoff, MinBackoff*2^(n-1))).
	MinBackoff, MaxBackoff time.Duration

	// MaxRetryAfter is the longest Retry-After the client waits for; an
	// answer asking for longer is returned as an error at once.
	MaxRetryAfter time.Duration

	// RequestIDHeaders are the answer headers that carry the vendor's
	// request id, tried in order.
	RequestIDHeaders []string

	// Sign, when set, runs last on every attempt, after the auth and static
	// headers are in place. It may read the body through req.GetBody.
	Sign func(req *http.Request) error

	// Limit, when set, runs on every attempt before Sign: it waits until
	// the request may be sent (a client-side rate limit) and returns an
	// error, without waiting, when the request's context ends or would end
	// first. Such an error ends the call: it is never retried.
	Limit func(req *http.Request) error

	// Logger, when set, receives one record per attempt: method, path,
	// status, attempt, duration and request id. Header values, query
	// strings and bodies are never logged.
	Logger *slog.Logger

	// sleep waits for d or until ctx is done; tests replace it.
	sleep func(ctx context.Context, d time.Duration) error
	// draw picks a backoff below ceiling; nil draws uniformly. Tests
	// replace it.
	draw func(ceiling time.Duration) time.Duration
}

// ErrNotReplayable reports that a request failed and could have been
// retried, but its body could not be read a second time.
var ErrNotReplayable = errors.New("request body cannot be replayed, so the request was not retried")

func (c Config) withDefaults() Config {
	if c.HTTPClient == nil {
		c.HTTPClient = DefaultHTTPClient()
	}
	if c.MaxRetries < 0 {
		c.MaxRetries = DefaultMaxRetries
	}
	if c.MinBackoff <= 0 {
		c.MinBackoff = DefaultMinBackoff
	}
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = DefaultMaxBackoff
	}
	if c.MaxBackoff < c.MinBackoff {
		c.MaxBackoff = c.MinBackoff
	}
	if c.MaxRetryAfter <= 0 {
		c.MaxRetryAfter = DefaultMaxRetryAfter
	}
	if c.sleep == nil {
		c.sleep = sleepContext
	}
	return c
}

// UserAgent is the User-Agent header the configuration sends.
func (c Config) UserAgent() string {
	if c.Product == "" {
		return UserAgent
	}
	return c.Product + " " + UserAgent
}

// Validate reports settings that cannot work.
func (c Config) Validate() error {
	if c.MaxRetries > callopt.MaxRetries {
		return fmt.Errorf("%w: at most %d retries are allowed, got %d", accountkit.ErrInvalidRequest, callopt.MaxRetries, c.MaxRetries)
	}
	return nil
}

func sleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
