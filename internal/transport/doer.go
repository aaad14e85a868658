package transport

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/accountkit/accountkit-go"
	"github.com/accountkit/accountkit-go/internal/callopt"
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
	cfg = cfg.withDefaults()
	// The caller's client keeps its transport, timeout and jar; redirects
	// are the Doer's to follow.
	hc := *cfg.HTTPClient
	hc.CheckRedirect = noRedirects
	cfg.HTTPClient = &hc
	return &Doer{cfg: cfg, userAgent: cfg.UserAgent()}, nil
}

// HTTPClient is the client the Doer sends through.
func (d *Doer) HTTPClient() *http.Client { return d.cfg.HTTPClient }

// Do sends req and returns its answer when the status is 2xx, its body
// read whole (at most MaxAnswer bytes) so that a connection cut in the
// middle of it is retried like a transport error. Any other status comes
// back as an *accountkit.APIError, after the retries the policy allows.
// The caller owns req: Do sets headers on it.
//
// Each attempt is prepared (headers, token, signature), sent, and handed to
// next, the one place that decides what follows: done, a retry after a
// wait, another attempt at once (a refreshed token, a redirect followed),
// or an error. Redirects are the SDK's to follow (see follow), never
// net/http's.
//
// The call's options (see internal/callopt), read from req's context, add
// their query parameters once and their headers to every attempt, bound
// the retries, and receive the outcome.
func (d *Doer) Do(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	applyBody(req)
	opts := callOptions(req)
	c := &call{req: req, retryable: isRetryable(req), replayable: replayable(req), opts: opts, maxRetries: d.cfg.MaxRetries}
	if opts != nil && opts.Retries >= 0 {
		c.maxRetries = opts.Retries
	}
	for attempt := 1; ; attempt++ {
		r, tok, err := d.prepare(ctx, c, attempt)
		var resp *http.Response
		if err == nil {
			c.sent++
			resp, err = d.send(ctx, r, attempt)
		}
		step := d.next(ctx, c, r, tok, attempt, resp, err)
		if step.err == nil && step.resp == nil {
			werr := d.wait(ctx, step.delay)
			if werr == nil {
				continue
			}
			step.err = cmp.Or(step.cause, werr)
		}
		if step.err != nil && c.uncertain {
			step.err = uncertainError{step.err}
		}
		d.record(opts, step.resp, step.err, c.sent)
		return step.resp, step.err
	}
}

// call is the state of one Do across its attempts.
type call struct {
	req        *http.Request // what the next attempt sends: the caller's, or where a redirect led
	retryable  bool          // safe to send more than once
	replayable bool          // its body can be produced again
	retries    int           // retries made so far (refreshes and redirects do not count)
	redirects  int
	refreshed  bool // a 401 already made the token be fetched again
	sent       int  // attempts that were sent (a failed token fetch sends nothing)
	uncertain  bool // an attempt that was retried may have been carried out
	maxRetries int  // the client's, or the call's own
	opts       *callopt.Config
}

// step is what next decided: finish with resp or err, or try again after
// delay (cause is the error to return should the wait be cut short).
type step struct {
	resp  *http.Response
	err   error
	delay time.Duration
	cause error
}

// maxRedirects is how many redirects one call follows.
const maxRedirects = 10

// next decides what follows an attempt that sent r (with tok) and got resp
// or err: it is the one place that knows which failures are worth another
// try, and it counts the retries.
func (d *Doer) next(ctx context.Context, c *call, r *http.Request, tok *Token, attempt int, resp *http.Response, err error) step {
	retry := func(delay time.Duration, cause error) step {
		if !fitsDeadline(ctx, delay) {
			return step{err: cause} // the caller is better served by the error now
		}
		c.retries++
		return step{delay: delay, cause: cause}
	}
	budget := ctx.Err() == nil && c.retries < c.maxRetries
	switch {
	case err != nil && resp == nil && r == nil:
		// Preparing failed (the token could not be fetched): nothing was
		// sent, so any request may try again.
		if budget && temporaryTokenError(err) && c.replayable {
			return retry(d.cfg.backoff(c.retries+1), err)
		}
		return step{err: err}
	case err != nil && resp == nil:
		if !budget || !c.retryable {
			return step{err: err}
		}
		if !c.replayable {
			return step{err: fmt.Errorf("%w: %w", ErrNotReplayable, err)}
		}
		c.uncertain = c.uncertain || mayHaveArrived(err)
		return retry(d.cfg.backoff(c.retries+1), err)
	case err != nil:
		// A 2xx answer whose body broke off.
		err = fmt.Errorf("read the %d answer: %w", resp.StatusCode, err)
		if !budget || errors.Is(err, errAnswerTooLarge) || !c.retryable || !c.replayable {
			return step{err: err}
		}
		c.uncertain = true // the server answered 2xx: it was carried out
		return retry(d.cfg.backoff(c.retries+1), err)
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return step{resp: resp}
	case isRedirect(resp.StatusCode):
		next, err := d.follow(c, r, resp)
		discard(resp)
		if err != nil {
			return step{err: err}
		}
		c.req = next
		return step{}
	case resp.StatusCode == http.StatusUnauthorized && tok != nil && !d.cfg.Tokens.static && !c.refreshed && c.replayable:
		// The server refused a token we thought valid: it was revoked or
		// expired early. The request was not processed; try a new token.
		c.refreshed = true
		d.cfg.Tokens.Invalidate(tok)
		discard(resp)
		return step{}
	case budget && c.retryable && c.replayable && retryableStatus(resp.StatusCode):
		if delay, ok := d.retryDelay(ctx, c.retries+1, resp.Header); ok {
			discard(resp)
			c.retries++
			// 408 and 429 refuse a request unprocessed; a 5xx, from the
			// server or a gateway in front of it, does not say.
			c.uncertain = c.uncertain || resp.StatusCode >= 500
			return step{delay: delay}
		}
	}
	return step{err: newAPIError(resp, c.sent, d.cfg.RequestIDHeaders)}
}

// send sends one prepared attempt and, for a 2xx answer, reads its body
// whole (see readAnswer): an error then comes back with the answer.
func (d *Doer) send(ctx context.Context, r *http.Request, attempt int) (*http.Response, error) {
	start := time.Now()
	resp, err := d.cfg.HTTPClient.Do(r)
	d.log(ctx, r, attempt, start, resp, err)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if err := readAnswer(resp); err != nil {
			return resp, err
		}
	}
	return resp, nil
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
	return delay, fitsDeadline(ctx, delay)
}

// fitsDeadline reports whether a wait of delay ends before ctx's deadline.
func fitsDeadline(ctx context.Context, delay time.Duration) bool {
	deadline, has := ctx.Deadline()
	return !has || time.Now().Add(delay).Before(deadline)
}

func (d *Doer) wait(ctx context.Context, delay time.Duration) error {
	return d.cfg.sleep(ctx, delay)
}

// prepare makes the request of one attempt: the call's request itself the
// first time, a copy with a fresh body after that, with the static headers,
// the call's own headers (which replace static ones of the same name),
// User-Agent, Authorization, its turn under the rate limit (Limit) waited
// for and, last, the signature set. A failure (the token could not be
// fetched, the context ended while waiting) returns no request: nothing
// was sent.
func (d *Doer) prepare(ctx context.Context, c *call, attempt int) (*http.Request, *Token, error) {
	r := c.req
	if attempt > 1 {
		var err error
		if r, err = cloneForRetry(c.req); err != nil {
			return nil, nil, err
		}
	}
	for k, v := range d.cfg.Header {
		r.Header[k] = v // shared, never written to: nothing in the stack edits values in place
	}
	if c.opts != nil {
		for k, v := range c.opts.Header {
			r.Header[k] = v // the same; a call's header replaces the client's of that name
		}
	}
	r.Header.Set("User-Agent", d.userAgent)
	var tok *Token
	if d.cfg.Tokens != nil {
		var err error
		if tok, err = d.cfg.Tokens.Token(ctx); err != nil {
			return nil, nil, err
		}
		r.Header.Set("Authorization", tok.header)
	}
	if d.cfg.Limit != nil {
		if err := d.cfg.Limit(r); err != nil {
			return nil, nil, &limitError{err}
		}
	}
	if d.cfg.Sign != nil {
		if err := d.cfg.Sign(r); err != nil {
			return nil, nil, fmt.Errorf("sign request: %w", err)
		}
	}
	return r, tok, nil
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
	if le := (*limitError)(nil); errors.As(err, &le) {
		return false // the context ended, or would, before the rate limit let the request go
	}
	var apiErr *accountkit.APIError
	if errors.As(err, &apiErr) {
		return retryableStatus(apiErr.StatusCode)
	}
	return true
}

// limitError is a failure of Config.Limit: the request's context ended, or
// would have, before the rate limit let it go. It is never retried.
type limitError struct{ err error }

func (e *limitError) Error() string { return e.err.Error() }
func (e *limitError) Unwrap() error { return e.err }
