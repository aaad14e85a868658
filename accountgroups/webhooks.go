package accountgroups

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// MaxWebhookBody is the largest webhook body a WebhookVerifier reads.
const MaxWebhookBody = 10 << 20

// ErrInvalidSignature is wrapped by Verify's errors when a request is not
// validly signed by Upvest: unsigned, tampered with, expired, or signed by
// an unknown key.
var ErrInvalidSignature = errors.New("invalid webhook signature")

// ErrMalformedDelivery is wrapped by ParseWebhookEvents's errors: the body
// is not a batch or an event. Verify wraps it too when a delivery's body
// could not be read in full.
var ErrMalformedDelivery = errors.New("malformed webhook delivery")

// ErrNotAccountGroupEvent is returned by Event.AccountGroup for events
// about something other than an account group.
var ErrNotAccountGroupEvent = errors.New("the event is not about an account group")

// ParseWebhookEvents reads a webhook delivery: a batch {"payload": [...]}
// or a single event. Events keep the order they were sent in (Upvest sends
// them oldest first); event types this SDK does not know are kept, with
// their object as raw JSON. Every event needs an id and a type.
func ParseWebhookEvents(body []byte) ([]Event, error) {
	malformed := func(format string, args ...any) error {
		return fmt.Errorf("accountgroups: ParseWebhookEvents: %w: %s", ErrMalformedDelivery, fmt.Sprintf(format, args...))
	}
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		return nil, malformed("the body is not a JSON object")
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(body, &probe); err != nil {
		return nil, malformed("%v", err)
	}
	var events []Event
	if raw, ok := probe["payload"]; ok {
		if err := json.Unmarshal(raw, &events); err != nil {
			return nil, malformed("payload: %v", err)
		}
	} else {
		var e Event
		if err := json.Unmarshal(body, &e); err != nil {
			return nil, malformed("%v", err)
		}
		events = []Event{e}
	}
	for i, e := range events {
		if e.ID == "" || e.Type == "" {
			return nil, malformed("event %d has no id or type", i)
		}
	}
	return events, nil
}

// IsAccountGroupEvent reports whether the event is about an account group
// (its type starts with ACCOUNT_GROUP.), including types added after this
// SDK was built.
func (e Event) IsAccountGroupEvent() bool {
	return strings.HasPrefix(string(e.Type), "ACCOUNT_GROUP.")
}

// AccountGroup decodes the account group an ACCOUNT_GROUP.* event is about.
// Other events return ErrNotAccountGroupEvent; their Object is still there,
// raw.
func (e Event) AccountGroup() (*AccountGroup, error) {
	if !e.IsAccountGroupEvent() {
		return nil, fmt.Errorf("%w: %s", ErrNotAccountGroupEvent, e.Type)
	}
	var g AccountGroup
	if err := json.Unmarshal(e.Object, &g); err != nil {
		return nil, fmt.Errorf("accountgroups: event %s: account group: %w", e.ID, err)
	}
	return &g, nil
}
