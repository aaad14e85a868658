// Package fakeapi holds what the SDK's in-memory fakes share: injected
// faults, latency, request ids, a request log and problem answers.
package fakeapi

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"time"
)

// Fault makes a fake answer matching requests with Status instead of
// serving them.
type Fault struct {
	// Method and Path select requests; empty matches any. Path is a prefix
	// of the request path relative to the API base (/identity/accounts,
	// /accounts/accounts/ACC-1), or the token endpoint's path.
	Method, Path string
	// Times is how many matching requests fail; 0 means 1.
	Times int
	// Status is the answer's status; Body its body (a problem document
	// when empty) and Header extra headers, such as Retry-After.
	Status int
	Header http.Header
	Body   string
	// Delay holds the answer back this long first.
	Delay time.Duration
	// Lost serves the request first and then replaces its answer, as when
	// a proxy or the network loses a response the server already sent:
	// the change is made, the client sees the fault.
	Lost bool
	// Reset serves the request, sends the status, the headers and half of
	// the body, then resets the connection. Status and Body are not used.
	Reset bool
}

// Request is one request a fake received.
type Request struct {
	Method string
	Path   string // relative to the API base
	Query  string
	Status int // the status the fake answered with
}

// Problem writes a problem document.
type Problem func(w http.ResponseWriter, status int, detail string)

// Harness wraps a fake's handler with faults, latency, request ids and a
// request log. Its methods are safe for concurrent use.
type Harness struct {
	// Base is the API's path prefix, stripped from logged paths.
	Base string
	// RequestIDHeader names the header carrying each answer's request id.
	RequestIDHeader string
	// RequestIDPrefix starts each request id.
	RequestIDPrefix string
	// Unlogged paths (relative to Base) are served but not logged.
	Unlogged []string
	// Problem answers injected faults without a body.
	Problem Problem

	mu       sync.Mutex
	faults   []*Fault
	latency  time.Duration
	requests []Request
	seq      int
}

// InjectFault adds a fault; faults match in the order they were added.
func (h *Harness) InjectFault(f Fault) {
	if f.Times <= 0 {
		f.Times = 1
	}
	h.mu.Lock()
	h.faults = append(h.faults, &f)
	h.mu.Unlock()
}

// SetLatency delays every answer by d.
func (h *Harness) SetLatency(d time.Duration) {
	h.mu.Lock()
	h.latency = d
	h.mu.Unlock()
}

// Requests lists the logged requests so far, in order.
func (h *Harness) Requests() []Request {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.requests)
}

// takeFault returns the first fault matching the request and uses one of
// its times up. h.mu is held.
func (h *Harness) takeFault(method, path string) *Fault {
	for i, f := range h.faults {
		if (f.Method == "" || f.Method == method) && (f.Path == "" || strings.HasPrefix(path, f.Path)) {
			f.Times--
			if f.Times <= 0 {
				h.faults = slices.Delete(h.faults, i, i+1)
			}
			return f
		}
	}
	return nil
}

// statusWriter remembers the status an answer was given.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Wrap returns next behind the harness.
func (h *Harness) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path := strings.TrimPrefix(r.URL.Path, h.Base)
		h.mu.Lock()
		h.seq++
		reqID := fmt.Sprintf("%s%06d", h.RequestIDPrefix, h.seq)
		delay := h.latency
		fault := h.takeFault(r.Method, path)
		h.mu.Unlock()
		if fault != nil {
			delay += fault.Delay
		}

		w.Header().Set(h.RequestIDHeader, reqID)
		sw := &statusWriter{ResponseWriter: w}
		if !slices.Contains(h.Unlogged, path) {
			defer func() {
				h.mu.Lock()
				h.requests = append(h.requests, Request{Method: r.Method, Path: path, Query: r.URL.RawQuery, Status: sw.status})
				h.mu.Unlock()
			}()
		}
		if delay > 0 {
			t := time.NewTimer(delay)
			select {
			case <-r.Context().Done():
				t.Stop()
				return
			case <-t.C:
			}
		}
		if fault == nil {
			next.ServeHTTP(sw, r)
			return
		}
		if fault.Reset {
			resetMidBody(sw, r, next)
			return
		}
		if fault.Lost {
			next.ServeHTTP(httptest.NewRecorder(), r)
		} else {
			// Read what the client sends, as a server would before failing.
			_, _ = io.Copy(io.Discard, r.Body)
		}
		for k, v := range fault.Header {
			sw.Header()[k] = v
		}
		if fault.Body != "" {
			if sw.Header().Get("Content-Type") == "" {
				sw.Header().Set("Content-Type", "text/plain; charset=utf-8")
			}
			sw.WriteHeader(fault.Status)
			_, _ = io.WriteString(sw, fault.Body)
			return
		}
		h.Problem(sw, fault.Status, "fault injected by the fake")
	})
}

// resetMidBody serves r, then sends its status, headers and the first half
// of its body (announcing the full length) and resets the connection.
func resetMidBody(w *statusWriter, r *http.Request, next http.Handler) {
	rec := httptest.NewRecorder()
	next.ServeHTTP(rec, r)
	body := rec.Body.Bytes()
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(rec.Code)
	_, _ = w.Write(body[:len(body)/2])
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
	hj, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0) // close with a reset, not a clean end
	}
	_ = conn.Close()
}

// WriteJSON answers v as JSON.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Start serves h on addr (host:port; "" or a :0 port for any free loopback
// port) and returns the running server.
func Start(h http.Handler, addr string) (*httptest.Server, error) {
	if addr == "" {
		return httptest.NewServer(h), nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	srv := httptest.NewUnstartedServer(h)
	_ = srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	return srv, nil
}
