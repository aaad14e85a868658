package marketplacetest

import (
	"crypto/rand"
	"fmt"
	"time"
)

// Option configures a [Fake] made by [New] or the one a [Server] made by
// [NewServer] serves.
type Option func(*options)

type options struct {
	addr     string
	now      func() time.Time
	newID    func() string
	pageSize int
}

func defaults() options {
	return options{now: time.Now, newID: randomID, pageSize: 10}
}

// WithAddr makes NewServer listen on addr (such as 127.0.0.1:12112)
// instead of a free loopback port; NewServer panics when it cannot. New
// ignores it: a Fake has no listener of its own.
func WithAddr(addr string) Option { return func(o *options) { o.addr = addr } }

// WithClock makes the fake read the time from now.
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithDeterministicIDs makes the fake number its account ids
// (ACC-0000-0001, ...) instead of drawing random ones.
func WithDeterministicIDs() Option {
	return func(o *options) {
		n := 0
		o.newID = func() string {
			n++
			return fmt.Sprintf("ACC-%04d-%04d", n/10000, n%10000)
		}
	}
}

// WithPageSize sets the page size used when a list request has no limit
// (10 by default).
func WithPageSize(n int) Option { return func(o *options) { o.pageSize = n } }

func randomID() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	n := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	return fmt.Sprintf("ACC-%04d-%04d", n/10000%10000, n%10000)
}
