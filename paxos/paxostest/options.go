package paxostest

import (
	"crypto"
	"time"

	"github.com/accountkit/accountkit-go/internal/fakeapi"
	"github.com/accountkit/accountkit-go/internal/uuid"
)

// Option configures a [Fake] made by [New] or the one a [Server] made by
// [NewServer] serves.
type Option func(*options)

type options struct {
	addr     string
	now      func() time.Time
	newID    func() string
	tokenTTL time.Duration
	pageSize int

	approvalDelay time.Duration

	signingKeys  map[string]crypto.PublicKey // WithRequestSigning: signature.go
	signatureNow func() time.Time
	rateLimit    int // WithRateLimit: ratelimit.go
}

func defaults() options {
	return options{now: time.Now, newID: uuid.New, tokenTTL: DefaultTokenTTL, pageSize: 100}
}

// WithAddr makes NewServer listen on addr (such as 127.0.0.1:12111)
// instead of a free loopback port; NewServer panics when it cannot. New
// ignores it: a Fake has no listener of its own.
func WithAddr(addr string) Option { return func(o *options) { o.addr = addr } }

// WithClock makes the fake read the time from now: account timestamps and
// token expiry.
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithDeterministicIDs makes the fake number its ids
// (00000000-0000-4000-8000-000000000001, ...) instead of drawing random
// UUIDs, so that recorded exchanges repeat.
func WithDeterministicIDs() Option {
	return func(o *options) { o.newID = fakeapi.SequentialUUIDs() }
}

// WithTokenTTL sets how long issued tokens live ([DefaultTokenTTL] unless
// set).
func WithTokenTTL(d time.Duration) Option { return func(o *options) { o.tokenTTL = d } }

// WithPageSize sets the page size used when a list request has no limit
// (100 by default).
func WithPageSize(n int) Option { return func(o *options) { o.pageSize = n } }
