package transport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/accountkit/accountkit-go"
)

// Doer sends requests with auth, signing and retries. It is safe for
// concurrent use.
type Doer struct {
	cfg       Config
	userAgent string
}

// New returns a Doer for cfg.
func New(cfg Config) (*Doer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Doer{cfg: cfg.withDefaults(), userAgent: cfg.UserAgent()}, nil
}

// HTTPClient is the client the Doer sends through.
func (d *Doer) HTTPClient() *http.Client { return d.cfg.HTTPClient }

// Do sends req and returns its answer when the status is 2xx, its body
// read whole (at most MaxAnswer bytes) so that a connection cut in the
// middle of it is retried like a transport error. Any other
// status comes back as an *accountkit.APIError, after the retries the policy
// allows. The caller owns req: Do sets headers on it.
//
// A request is retried on a transport error or a 408, 429, 500, 502, 503 or
// 504 answer when it is safe to repeat (see isRetryable) and its body can be
// replayed; the wait honours Retry-After. A 401 answer to a cached token
// drops that token and tries once more with a fresh one.
func (d *Doer) Do(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	applyBody(req)
	retryable := isRetryable(req)
	canReplay := replayable(req)
	refreshed := false
	retries := 0
	for attempt := 1; ; attempt++ {
		r := req
		if attempt > 1 {
			var err error
			if r, err = cloneForRetry(req); err != nil {
				return nil, err
			}
		}
		tok, err := d.prepare(ctx, r)
		if err != nil {
			// Nothing was sent, so any request may try again.
			if ctx.Err() == nil && retries < d.cfg.MaxRetries && temporaryTokenError(err) && canReplay {
				retries++
				if werr := d.wait(ctx, d.cfg.backoff(retries)); werr != nil {
					return nil, err
				}
				continue
			}
			return nil, err
		}
		start := time.Now()
		resp, err := d.cfg.HTTPClient.Do(r)
		d.log(ctx, r, attempt, start, resp, err)
		if err != nil {
			if ctx.Err() != nil || !retryable || retries >= d.cfg.MaxRetries {
				return nil, err
			}
			if !canReplay {
				return nil, fmt.Errorf("%w: %w", ErrNotReplayable, err)
			}
			retries++
			if werr := d.wait(ctx, d.cfg.backoff(retries)); werr != nil {
				return nil, err
			}
			continue
		}
		if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			err := readAnswer(resp)
			if err == nil {
				return resp, nil
			}
			// The connection broke in the middle of the answer.
			if ctx.Err() != nil || errors.Is(err, errAnswerTooLarge) || !retryable || !canReplay || retries >= d.cfg.MaxRetries {
				return nil, fmt.Errorf("read the %d answer: %w", resp.StatusCode, err)
			}
			retries++
			if werr := d.wait(ctx, d.cfg.backoff(retries)); werr != nil {
				return nil, fmt.Errorf("read the %d answer: %w", resp.StatusCode, err)
			}
			continue
		}
		if resp.StatusCode == http.StatusUnauthorized && tok != nil && !d.cfg.Tokens.static && !refreshed && canReplay {
			// The server refused a token we thought valid: it was revoked or
			// expired early. The request was not processed; try a new token.
			refreshed = true
			d.cfg.Tokens.Invalidate(tok)
			discard(resp)
			continue
		}
		if retryable && canReplay && retries < d.cfg.MaxRetries && retryableStatus(resp.StatusCode) {
			delay, ok := d.retryDelay(ctx, retries+1, resp.Header)
			if ok {
				discard(resp)
				retries++
				if err := d.wait(ctx, delay); err != nil {
					return nil, err
				}
				continue
			}
		}
		return nil, newAPIError(resp, attempt, d.cfg.RequestIDHeaders)
	}
}

// log records one attempt. Only the method, the path (no query: it can
// hold filters with personal data), the status, the attempt number, the
// duration and the vendor's request id are logged; transport errors are
// logged without the URL.
func (d *Doer) log(ctx context.Context, r *http.Request, attempt int, start time.Time, resp *http.Response, err error) {
	l := d.cfg.Logger
	if l == nil {
		return
	}
	level := slog.LevelDebug
	attrs := []slog.Attr{
		slog.String("method", r.Method),
		slog.String("path", r.URL.EscapedPath()),
		slog.Int("attempt", attempt),
		slog.Duration("duration", time.Since(start)),
	}
	if err != nil {
		level = slog.LevelWarn
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		attrs = append(attrs, slog.String("error", err.Error()))
	} else {
		if resp.StatusCode >= 300 {
			level = slog.LevelWarn
		}
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
		for _, h := range d.cfg.RequestIDHeaders {
			if v := resp.Header.Get(h); v != "" {
				attrs = append(attrs, slog.String("request_id", v))
				break
			}
		}
	}
	if !l.Enabled(ctx, level) {
		return
	}
	l.LogAttrs(ctx, level, "accountkit request", attrs...)
}

// retryDelay is the wait before retry n: Retry-After when the answer has
// one, backoff otherwise. It says no when the wait is longer than
// MaxRetryAfter or than what is left of the context's deadline, because then
// the caller is better served by the error now.
func (d *Doer) retryDelay(ctx context.Context, n int, h http.Header) (time.Duration, bool) {
	now := time.Now()
	delay, ok := retryAfter(h, now)
	if ok {
		if delay > d.cfg.MaxRetryAfter {
			return 0, false
		}
	} else {
		delay = d.cfg.backoff(n)
	}
	if deadline, has := ctx.Deadline(); has && now.Add(delay).After(deadline) {
		return 0, false
	}
	return delay, true
}

func (d *Doer) wait(ctx context.Context, delay time.Duration) error {
	return d.cfg.sleep(ctx, delay)
}

// prepare sets the headers of one attempt: static headers, User-Agent,
// Authorization, then the signature.
func (d *Doer) prepare(ctx context.Context, r *http.Request) (*Token, error) {
	for k, v := range d.cfg.Header {
		r.Header[k] = v // shared, never written to: nothing in the stack edits values in place
	}
	r.Header.Set("User-Agent", d.userAgent)
	var tok *Token
	if d.cfg.Tokens != nil {
		var err error
		if tok, err = d.cfg.Tokens.Token(ctx); err != nil {
			return nil, err
		}
		r.Header.Set("Authorization", tok.header)
	}
	if d.cfg.Sign != nil {
		if err := d.cfg.Sign(r); err != nil {
			return nil, fmt.Errorf("sign request: %w", err)
		}
	}
	return tok, nil
}

// cloneForRetry copies req with a fresh body for another attempt.
func cloneForRetry(req *http.Request) (*http.Request, error) {
	r := req.Clone(req.Context())
	if req.GetBody != nil && req.Body != nil && req.Body != http.NoBody {
		body, err := req.GetBody()
		if err != nil {
			return nil, fmt.Errorf("replay request body: %w", err)
		}
		r.Body = body
	}
	return r, nil
}

// discard drains a little of an unwanted answer, so the connection can be
// reused, and closes it.
func discard(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
}

// temporaryTokenError reports whether a token fetch failure may pass: the
// endpoint was unreachable, or it answered 408, 429 or 5xx.
func temporaryTokenError(err error) bool {
	var apiErr *accountkit.APIError
	if errors.As(err, &apiErr) {
		return retryableStatus(apiErr.StatusCode)
	}
	return true
}
