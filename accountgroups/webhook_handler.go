package accountgroups

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// WebhookOption configures WebhookHandler.
type WebhookOption func(*webhookHandler)

// WithWebhookErrorHandler calls fn for every delivery the handler does not
// answer with 200: with the status it answers and why (the signature did
// not verify, the body was too large or malformed, the key set could not
// be fetched, or the callback's own error). Without it those reasons are
// not reported anywhere. fn runs before the answer is written; the error
// holds no secret.
func WithWebhookErrorHandler(fn func(r *http.Request, status int, err error)) WebhookOption {
	return func(h *webhookHandler) { h.onError = fn }
}

type webhookHandler struct {
	verifier *WebhookVerifier
	handle   func(ctx context.Context, events []Event) error
	onError  func(r *http.Request, status int, err error)
}

// WebhookHandler serves Upvest's webhook deliveries: it verifies each
// request with v and passes its events to handle, answering
//
//   - 200 when handle returns nil;
//   - 401 when the request is unsigned (refused before its body is read)
//     or its signature does not verify;
//   - 413 when the body is over MaxWebhookBody bytes;
//   - 400 when the body was cut short, or the signed body holds no events;
//   - 405 to anything but POST;
//   - 503 when Upvest's keys could not be fetched, and 500 when handle
//     fails (or v was not made by Client.WebhookVerifier or
//     NewWebhookVerifier): Upvest delivers the batch again later.
//
// Any answer but 200 may bring the batch again, so handle must be
// idempotent: deduplicate by Event.ID, and return an error only for
// failures worth a redelivery. WithWebhookErrorHandler reports why a
// delivery was not answered 200.
func WebhookHandler(v *WebhookVerifier, handle func(ctx context.Context, events []Event) error, opts ...WebhookOption) http.Handler {
	h := &webhookHandler{verifier: v, handle: handle}
	for _, opt := range opts {
		if opt != nil {
			opt(h)
		}
	}
	return h
}

func (h *webhookHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.refuse(w, r, http.StatusMethodNotAllowed, fmt.Errorf("accountgroups: webhook: method %s, want POST", r.Method))
		return
	}
	events, err := h.verifier.Verify(r)
	switch {
	case errors.Is(err, ErrWebhookTooLarge):
		h.refuse(w, r, http.StatusRequestEntityTooLarge, err)
		return
	case errors.Is(err, ErrInvalidSignature):
		h.refuse(w, r, http.StatusUnauthorized, err)
		return
	case errors.Is(err, ErrMalformedDelivery):
		h.refuse(w, r, http.StatusBadRequest, err)
		return
	case errors.As(err, new(*keyFetchError)):
		// The keys could not be fetched: let Upvest deliver again later.
		h.refuse(w, r, http.StatusServiceUnavailable, err)
		return
	case err != nil:
		// A verifier that was not set up.
		h.refuse(w, r, http.StatusInternalServerError, err)
		return
	}
	if h.handle == nil {
		h.refuse(w, r, http.StatusInternalServerError, errors.New("accountgroups: webhook: no callback"))
		return
	}
	if err := h.handle(r.Context(), events); err != nil {
		h.refuse(w, r, http.StatusInternalServerError, fmt.Errorf("accountgroups: webhook callback: %w", err))
		return
	}
	w.WriteHeader(http.StatusOK)
}

// refuse reports err and answers status with a short text that says
// nothing the sender could use to probe the verifier.
func (h *webhookHandler) refuse(w http.ResponseWriter, r *http.Request, status int, err error) {
	if h.onError != nil {
		h.onError(r, status, err)
	}
	msg := map[int]string{
		http.StatusMethodNotAllowed:      "webhooks are POSTed",
		http.StatusRequestEntityTooLarge: "delivery too large",
		http.StatusUnauthorized:          "invalid signature",
		http.StatusBadRequest:            "malformed delivery",
		http.StatusServiceUnavailable:    "cannot verify now; deliver again",
		http.StatusInternalServerError:   "not processed; deliver again",
	}[status]
	http.Error(w, msg, status)
}
