package transport

import (
	"context"
	"net/http"
)

// pathTemplateKey is the context key of a request's path template.
type pathTemplateKey struct{}

// PathTemplate is the spec's path of the operation that req was built for
// ("/identity/accounts/{id}", without the server's base path), as
// [NewRequest] put it in the request's context; "" for a request built
// otherwise. Together with the method it names the endpoint, whatever ids
// the concrete URL holds: what works per endpoint (a rate limiter) keys
// on it rather than on the URL.
func PathTemplate(req *http.Request) string {
	t, _ := req.Context().Value(pathTemplateKey{}).(string)
	return t
}

// Endpoint is req's method and path template, "GET /identity/accounts/{id}",
// or its method and "?" when it carries no template.
func Endpoint(req *http.Request) string {
	t := PathTemplate(req)
	if t == "" {
		t = "?"
	}
	return req.Method + " " + t
}

// withPathTemplate returns ctx carrying template; ctx itself when the
// template is empty.
func withPathTemplate(ctx context.Context, template string) context.Context {
	if template == "" {
		return ctx
	}
	return context.WithValue(ctx, pathTemplateKey{}, template)
}
