package accountgroupstest

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"time"

	"github.com/accountkit/accountkit-go/accountgroups"
	"github.com/accountkit/accountkit-go/internal/httpsig"
)

// MaxDeliveryAttempts is how many times the fake tries a webhook batch
// before giving up on it.
const MaxDeliveryAttempts = 5

// Delivery is one attempt at delivering a webhook batch.
type Delivery struct {
	URL      string
	EventIDs []string
	Attempt  int
	Status   int    // the receiver's answer; 0 when it could not be reached
	Err      string // why it could not be reached
}

// SetWebhookURL makes the fake deliver events to url from now on: a signed
// batch per change, redelivered until the receiver answers 200 (at most
// MaxDeliveryAttempts times). An empty url stops deliveries.
func (s *Server) SetWebhookURL(url string) {
	s.mu.Lock()
	s.webhookURL = url
	s.mu.Unlock()
}

// Deliveries lists the delivery attempts so far, in order.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.deliveries)
}

// Flush waits until every queued batch has been delivered or given up on.
func (s *Server) Flush(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		s.pending.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// WebhookKeys is the fake's webhook key set, as GET /auth/verify_keys
// serves it. accountgroups.NewWebhookVerifier takes it directly.
func (s *Server) WebhookKeys() accountgroups.JWKS {
	jwk, _ := accountgroups.JWKFromPublicKey(WebhookKeyID, &s.webhookKey.PublicKey)
	return accountgroups.JWKS{Keys: []accountgroups.JWK{jwk}}
}

// NewEvent makes an event about g, as the fake would send it.
func (s *Server) NewEvent(typ accountgroups.EventType, g accountgroups.AccountGroup) accountgroups.Event {
	obj, _ := json.Marshal(g)
	return accountgroups.Event{
		ID:        s.newID(),
		CreatedAt: s.now().UTC().Truncate(time.Millisecond),
		Type:      typ,
		Object:    obj,
		WebhookID: s.webhookID,
	}
}

// DeliverWebhook POSTs events to url once, as a batch signed with the
// fake's webhook key, and returns the receiver's status. Use it to test a
// webhook handler with events of your choosing.
func (s *Server) DeliverWebhook(ctx context.Context, url string, events ...accountgroups.Event) (int, error) {
	body, err := json.Marshal(accountgroups.WebhookBatch{Payload: events})
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	signer := &httpsig.Signer{KeyID: WebhookKeyID, Key: s.webhookKey, Now: s.now, Version: s.webhookV}
	if err := signer.Sign(req, body); err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	_ = resp.Body.Close()
	return resp.StatusCode, nil
}

// emit queues an event for the webhook URL, if one is set. s.mu is held.
func (s *Server) emit(typ accountgroups.EventType, g accountgroups.AccountGroup) {
	if s.webhookURL == "" {
		return
	}
	s.pending.Add(1)
	select {
	case s.queue <- []accountgroups.Event{s.NewEvent(typ, g)}:
	default:
		s.pending.Done() // the queue is full: drop, as a backlogged sender would
	}
}

// deliverLoop sends queued batches in order, each until it is answered 200.
func (s *Server) deliverLoop(ctx context.Context) {
	defer close(s.done)
	for {
		select {
		case <-ctx.Done():
			for {
				select {
				case <-s.queue:
					s.pending.Done()
				default:
					return
				}
			}
		case batch := <-s.queue:
			s.deliver(ctx, batch)
			s.pending.Done()
		}
	}
}

func (s *Server) deliver(ctx context.Context, batch []accountgroups.Event) {
	ids := make([]string, len(batch))
	for i, e := range batch {
		ids[i] = e.ID
	}
	wait := 20 * time.Millisecond
	for attempt := 1; attempt <= MaxDeliveryAttempts; attempt++ {
		s.mu.Lock()
		url := s.webhookURL
		s.mu.Unlock()
		if url == "" {
			return
		}
		status, err := s.DeliverWebhook(ctx, url, batch...)
		d := Delivery{URL: url, EventIDs: ids, Attempt: attempt, Status: status}
		if err != nil {
			d.Err = err.Error()
		}
		s.mu.Lock()
		s.deliveries = append(s.deliveries, d)
		s.mu.Unlock()
		if status == http.StatusOK {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait *= 2
	}
}
