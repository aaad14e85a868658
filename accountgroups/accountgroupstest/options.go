package accountgroupstest

import (
	"time"

	"github.com/accountkit/accountkit-go/internal/fakeapi"
	"github.com/accountkit/accountkit-go/internal/uuid"
)

// Option configures a [Fake] made by [New] or the one a [Server] made by
// [NewServer] serves.
type Option func(*options)

type options struct {
	addr         string
	now          func() time.Time
	signatureNow func() time.Time
	newID        func() string
	closingDelay time.Duration
	tokenTTL     time.Duration
	webhookV     int

	approvalDelay time.Duration
}

func defaults() options {
	return options{
		now:          time.Now,
		signatureNow: time.Now,
		newID:        uuid.New,
		closingDelay: 100 * time.Millisecond,
		tokenTTL:     DefaultTokenTTL,
		webhookV:     15,
	}
}

// WithAddr makes NewServer listen on addr (such as 127.0.0.1:12113)
// instead of a free loopback port; NewServer panics when it cannot. New
// ignores it: a Fake has no listener of its own.
func WithAddr(addr string) Option { return func(o *options) { o.addr = addr } }

// WithClock makes the fake read the time from now: timestamps, token
// expiry, the created time of webhook events and of their signatures.
// Request signatures are still checked against the real clock, since
// clients sign with it; see [WithSignatureClock].
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithSignatureClock makes the fake check the validity window of request
// signatures (their created and expires parameters) against now instead
// of the real clock. Use it to replay signed requests recorded earlier:
// set it to the time they were signed, and register their key
// ([Fake.RegisterClientKey]) and bearer token ([Fake.AddToken]).
func WithSignatureClock(now func() time.Time) Option {
	return func(o *options) { o.signatureNow = now }
}

// WithDeterministicIDs makes the fake number its ids
// (00000000-0000-4000-8000-000000000001, ...) instead of drawing random
// UUIDs.
func WithDeterministicIDs() Option {
	return func(o *options) { o.newID = fakeapi.SequentialUUIDs() }
}

// WithClosingDelay sets how long a closed group stays CLOSING before it is
// CLOSED (100 ms by default).
func WithClosingDelay(d time.Duration) Option { return func(o *options) { o.closingDelay = d } }

// WithTokenTTL sets how long issued tokens live ([DefaultTokenTTL] unless
// set).
func WithTokenTTL(d time.Duration) Option { return func(o *options) { o.tokenTTL = d } }

// WithWebhookSignatureVersion signs webhook deliveries in format 6 (the
// older one, which Upvest's documentation names for webhooks) instead of
// 15.
func WithWebhookSignatureVersion(v int) Option { return func(o *options) { o.webhookV = v } }
