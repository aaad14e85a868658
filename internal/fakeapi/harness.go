package fakeapi

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/accountkit/accountkit-go/accountkittest"
)

// Problem writes a fake's problem document.
type Problem func(w http.ResponseWriter, status int, detail string)

// Harness wraps a fake's handler with faults, latency, request ids and a
// request log. Its methods are safe for concurrent use.
type Harness struct {
	// Base is the API's path prefix, stripped from logged paths.
	Base string
	// RequestIDHeader names the header carrying each answer's request id.
	RequestIDHeader string
	// RequestIDPrefix starts each request id: the prefix and a six-digit
	// sequence number, unless RequestID is set.
	RequestIDPrefix string
	// RequestID, when set, makes the n-th request's id (n from 1) instead,
	// for vendors whose request ids have a format of their own, such as
	// a UUID.
	RequestID func(n int) string
	// Unlogged paths (relative to Base) are served but neither logged nor
	// read: the token endpoint, whose body holds the client secret.
	Unlogged []string
	// Problem answers injected faults without a body.
	Problem Problem

	mu       sync.Mutex
	faults   []*accountkittest.Fault
	latency  time.Duration
	requests []accountkittest.Request
	seq      int
}

// InjectFault adds a fault; faults match in the order they were added.
func (h *Harness) InjectFault(f accountkittest.Fault) {
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

// Requests lists the logged requests so far, in order. Each is a copy the
// caller may change.
func (h *Harness) Requests() []accountkittest.Request {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]accountkittest.Request, len(h.requests))
	for i, r := range h.requests {
		r.Header = r.Header.Clone()
		r.Body = slices.Clone(r.Body)
		out[i] = r
	}
	return out
}

// takeFault returns the first fault matching the request and uses one of
// its times up. h.mu is held.
func (h *Harness) takeFault(method, path string) *accountkittest.Fault {
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

// WriteHeader remembers the first status.
func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write remembers 200 when no status was written first.
func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Wrap returns next behind the harness.
func (h *Harness) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil { // a request made for a test, not received by a server
			r.Body = http.NoBody
		}
		path := strings.TrimPrefix(r.URL.Path, h.Base)
		h.mu.Lock()
		h.seq++
		reqID := fmt.Sprintf("%s%06d", h.RequestIDPrefix, h.seq)
		if h.RequestID != nil {
			reqID = h.RequestID(h.seq)
		}
		delay := h.latency
		fault := h.takeFault(r.Method, path)
		h.mu.Unlock()
		if fault != nil {
			delay += fault.Delay
		}

		w.Header().Set(h.RequestIDHeader, reqID)
		sw := &statusWriter{ResponseWriter: w}
		if !slices.Contains(h.Unlogged, path) {
			rec := record(r, path)
			defer func() {
				rec.Status = sw.status
				h.mu.Lock()
				h.requests = append(h.requests, rec)
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
