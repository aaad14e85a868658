package accountkittest

import (
	"net/http"
	"time"
)

// Fault makes a fake answer matching requests with a failure instead of
// serving them, or lose or cut the answer after serving them. Faults are
// tried in the order they were injected; the first that matches is used.
type Fault struct {
	// Method selects requests by method; empty matches any.
	Method string
	// Path selects requests whose path starts with it, relative to the
	// API's base path as in [Request.Path] (/identity/accounts,
	// /accounts/accounts/ACC-1, /account_groups), or the token
	// endpoint's path (/oauth2/token for Paxos, /auth/token for Upvest).
	// Empty matches any.
	Path string
	// Times is how many matching requests fail; 0 means 1. The fault is
	// forgotten once used up.
	Times int
	// Status is the answer's status.
	Status int
	// Header holds extra answer headers, such as Retry-After.
	Header http.Header
	// Body is the answer's body, sent as text/plain unless Header sets a
	// Content-Type; empty means the vendor's own problem document.
	Body string
	// Delay holds the answer back this long first (on top of any latency
	// set on the fake); a client that gives up first gets nothing.
	Delay time.Duration
	// Lost serves the request, so that its change is made, and then
	// answers the fault instead, as when a proxy or the network loses an
	// answer the server sent.
	Lost bool
	// Reset serves the request, sends its status, its headers and half of
	// its body, then resets the connection (a handler driven by an
	// httptest.ResponseRecorder, which has no connection, just gets half
	// the body). Status and Body are not used.
	Reset bool
}
