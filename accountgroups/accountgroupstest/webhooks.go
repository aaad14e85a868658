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
	URL      string   // where the batch was sent
	EventIDs []string // the ids of the batch's events, in order
	Attempt  int      // 1 for the first try of the batch
	Status   int      // the receiver's answer; 0 when it could not be reached
	Err      string   // why it could not be reached
}

// SetWebhookURL makes the fake deliver events to url from now on: a signed
// batch per change, redelivered until the receiver answers 200 (at most
// MaxDeliveryAttempts times). An empty url stops deliveries. Deliveries
// run on a goroutine of the fake's own, which Close stops.
func (f *Fake) SetWebhookURL(url string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.webhookURL = url
	if url != "" && !f.delivering && !f.closed {
		f.delivering = true
		ctx, cancel := context.WithCancel(context.Background())
		f.stop = cancel
		go f.deliverLoop(ctx)
	}
}

// Deliveries lists the delivery attempts so far, in order.
func (f *Fake) Deliveries() []Delivery {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.deliveries)
}

// Flush waits until every queued batch has been delivered or given up on.
func (f *Fake) Flush(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		f.pending.Wait()
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
func (f *Fake) WebhookKeys() accountgroups.JWKS {
	jwk, _ := accountgroups.JWKFromPublicKey(WebhookKeyID, &f.webhookKey.PublicKey)
	return accountgroups.JWKS{Keys: []accountgroups.JWK{jwk}}
}

// NewEvent makes an event about g, as the fake would send it.
func (f *Fake) NewEvent(typ accountgroups.EventType, g accountgroups.AccountGroup) accountgroups.Event {
	obj, _ := json.Marshal(g)
	return accountgroups.Event{
		ID:        f.newID(),
		CreatedAt: f.now().UTC().Truncate(time.Millisecond),
		Type:      typ,
		Object:    obj,
		WebhookID: f.webhookID,
	}
}

// DeliverWebhook POSTs events to url once, as a batch signed with the
// fake's webhook key, and returns the receiver's status. Use it to test a
// webhook handler with events of your choosing.
func (f *Fake) DeliverWebhook(ctx context.Context, url string, events ...accountgroups.Event) (int, error) {
	body, err := json.Marshal(webhookBatch{Payload: events})
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	signer := &httpsig.Signer{KeyID: WebhookKeyID, Key: f.webhookKey, Now: f.now, Version: f.webhookV}
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

// emit queues an event for the webhook URL, if one is set. f.mu is held.
func (f *Fake) emit(typ accountgroups.EventType, g accountgroups.AccountGroup) {
	if f.webhookURL == "" || !f.delivering || f.closed {
		return
	}
	f.pending.Add(1)
	select {
	case f.queue <- []accountgroups.Event{f.NewEvent(typ, g)}:
	default:
		f.pending.Done() // the queue is full: drop, as a backlogged sender would
	}
}

// deliverLoop sends queued batches in order, each until it is answered 200.
func (f *Fake) deliverLoop(ctx context.Context) {
	defer close(f.done)
	for {
		select {
		case <-ctx.Done():
			for {
				select {
				case <-f.queue:
					f.pending.Done()
				default:
					return
				}
			}
		case batch := <-f.queue:
			f.deliver(ctx, batch)
			f.pending.Done()
		}
	}
}

func (f *Fake) deliver(ctx context.Context, batch []accountgroups.Event) {
	ids := make([]string, len(batch))
	for i, e := range batch {
		ids[i] = e.ID
	}
	wait := 20 * time.Millisecond
	for attempt := 1; attempt <= MaxDeliveryAttempts; attempt++ {
		f.mu.Lock()
		url := f.webhookURL
		f.mu.Unlock()
		if url == "" {
			return
		}
		status, err := f.DeliverWebhook(ctx, url, batch...)
		d := Delivery{URL: url, EventIDs: ids, Attempt: attempt, Status: status}
		if err != nil {
			d.Err = err.Error()
		}
		f.mu.Lock()
		f.deliveries = append(f.deliveries, d)
		f.mu.Unlock()
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
