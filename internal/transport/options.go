package transport

import (
	"context"
	"errors"
	"net/http"

	"github.com/accountkit/accountkit-go"
	"github.com/accountkit/accountkit-go/internal/callopt"
)

// Begin starts the call op of package pkg with the caller's ctx and the
// client's per-call options: it returns the context for the call's
// requests, which names the operation and carries the options, and the
// function that ends the call (call it when the call returns; it releases
// WithTimeout's timer). A nil ctx or an invalid option refuses the call,
// wrapping accountkit.ErrInvalidRequest, before anything is sent.
//
// A context that belongs to a call already (one of the SDK's helpers
// calling another of its methods) is returned as it is: the inner call is
// part of the outer one, with its name, options and deadline.
func Begin[O ~func(*callopt.Config)](ctx context.Context, pkg, op string, opts []O) (context.Context, context.CancelFunc, error) {
	if err := CheckContext(ctx); err != nil {
		return ctx, noop, OpError(pkg, op, err)
	}
	if callopt.FromContext(ctx) != nil {
		return ctx, noop, nil
	}
	call := &callopt.Call{Pkg: pkg, Op: op}
	cancel := noop
	if len(opts) > 0 {
		cfg := callopt.Apply(opts)
		if cfg.Err != nil {
			return ctx, noop, Invalid(pkg, op, "%v", cfg.Err)
		}
		if cfg.Record != nil {
			cfg.Record(0, nil, "", 0) // a call that sends nothing leaves a zero Response
		}
		if cfg.Timeout > 0 {
			ctx, cancel = context.WithTimeout(ctx, cfg.Timeout)
		}
		call.Config = cfg
	}
	call.Context = ctx
	return call, cancel, nil
}

func noop() {}

// callOptions returns the per-call options of req's call, nil when it has
// none, and adds their query parameters to req's URL.
func callOptions(req *http.Request) *callopt.Config {
	cfg := callopt.Options(req.Context())
	if cfg != nil && len(cfg.Query) > 0 {
		q := cfg.Query.Encode()
		if req.URL.RawQuery == "" {
			req.URL.RawQuery = q
		} else {
			req.URL.RawQuery += "&" + q
		}
	}
	return cfg
}

// record hands the call's WithResponse the outcome of a request: resp
// when it has one, or the *accountkit.APIError err holds, and how many
// times it was sent.
func (d *Doer) record(cfg *callopt.Config, resp *http.Response, err error, attempts int) {
	if cfg == nil || cfg.Record == nil {
		return
	}
	if resp == nil {
		var apiErr *accountkit.APIError
		if errors.As(err, &apiErr) {
			cfg.Record(apiErr.StatusCode, apiErr.Header, apiErr.RequestID, apiErr.Attempts)
			return
		}
		cfg.Record(0, nil, "", attempts)
		return
	}
	id := ""
	for _, h := range d.cfg.RequestIDHeaders {
		if id = resp.Header.Get(h); id != "" {
			break
		}
	}
	cfg.Record(resp.StatusCode, resp.Header, id, attempts)
}
