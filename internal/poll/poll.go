// Package poll is the loop behind the clients' WaitForStatus methods: read
// a resource again and again, with capped exponential backoff and jitter,
// until its status is one of those wanted, cannot become one of them any
// more, or the context ends.
package poll

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Defaults for [Backoff].
const (
	DefaultFirst = 250 * time.Millisecond
	DefaultMax   = 10 * time.Second
)

// Backoff spaces the reads of a wait. Wait n (1 before the second read) is
// drawn from [c/2, c], where c = min(Max, First*2^(n-1)) is its ceiling:
// half of it fixed, so that reads never bunch up, half random, so that
// many waiters spread out. A zero or negative field means its default.
type Backoff struct {
	First, Max time.Duration
}

func (b Backoff) withDefaults() Backoff {
	if b.First <= 0 {
		b.First = DefaultFirst
	}
	if b.Max <= 0 {
		b.Max = DefaultMax
	}
	if b.Max < b.First {
		b.Max = b.First
	}
	return b
}

// Ceiling is the longest wait n can be: min(Max, First*2^(n-1)), for n ≥ 1.
func (b Backoff) Ceiling(n int) time.Duration {
	b = b.withDefaults()
	n = max(n, 1)
	if n > 62 {
		return b.Max
	}
	if d := b.First << (n - 1); d > 0 && d < b.Max && d>>(n-1) == b.First {
		return d
	}
	return b.Max
}

// Interval is wait n: drawn from [Ceiling(n)/2, Ceiling(n)].
func (b Backoff) Interval(n int) time.Duration {
	c := b.Ceiling(n)
	half := c / 2
	return half + rand.N(c-half+1)
}

// Graph says which statuses can follow which: each known status maps to
// those it can move to next (none for a final status). Statuses missing
// from the graph are unknown: from them anything may follow.
type Graph[S ~string] map[S][]S

// CanReach reports whether one of want can still follow from. It is false
// only when from is known and no wanted status can be reached from it
// through the graph; a wanted status the graph does not know (newer than
// the SDK) is taken as reachable from every known status that is not
// final.
func (g Graph[S]) CanReach(from S, want []S) bool {
	next, known := g[from]
	if !known {
		return true
	}
	for _, w := range want {
		if _, ok := g[w]; !ok && len(next) > 0 {
			return true
		}
	}
	seen := make(map[S]bool, len(g))
	queue := append([]S(nil), next...)
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		if seen[s] {
			continue
		}
		seen[s] = true
		for _, w := range want {
			if s == w {
				return true
			}
		}
		queue = append(queue, g[s]...)
	}
	return false
}

// Wait describes one wait for a resource of type T whose status is an S.
type Wait[T any, S ~string] struct {
	// Pkg and Op name the call in errors: "paxos", "WaitForStatus".
	Pkg, Op string
	// Noun and ID name the resource in errors: "account", its id.
	Noun, ID string
	// Want are the statuses that end the wait; not empty.
	Want []S
	// Graph is what can follow what.
	Graph Graph[S]
	// Backoff spaces the reads.
	Backoff Backoff
	// Unreachable is the sentinel an unreachable status error wraps.
	Unreachable error
	// Read reads the resource.
	Read func(ctx context.Context) (*T, error)
	// Status is the resource's status.
	Status func(*T) S
}

// Run reads the resource until its status is one of Want (it returns the
// resource), it reaches a known status from which none of Want can follow
// (an error wrapping Unreachable, with the resource), or ctx ends (an
// error wrapping ctx.Err() and its cause, with the resource as last read,
// nil if it never was). A failed read ends the wait with the read's error;
// when ctx ended meanwhile, or the read gave up because ctx's deadline
// would pass before it could be sent (a retry's or a rate limit's wait),
// the error is the one of an ended context.
func (w Wait[T, S]) Run(ctx context.Context) (*T, error) {
	var last *T
	for n := 1; ; n++ {
		v, err := w.Read(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return last, w.ended(ctx, last, nil)
			}
			if _, ok := ctx.Deadline(); ok && errors.Is(err, context.DeadlineExceeded) {
				// The read gave up early, its wait (for a retry or
				// a rate limit) outlasting the deadline.
				return last, w.ended(ctx, last, err)
			}
			return nil, fmt.Errorf("%s: %s: %w", w.Pkg, w.Op, err)
		}
		last = v
		status := w.Status(v)
		for _, s := range w.Want {
			if status == s {
				return v, nil
			}
		}
		if !w.Graph.CanReach(status, w.Want) {
			return v, fmt.Errorf("%s: %s: %w: %s %s is %s and cannot become %s",
				w.Pkg, w.Op, w.Unreachable, w.Noun, w.ID, describe(status), join(w.Want))
		}
		if err := sleep(ctx, w.Backoff.Interval(n)); err != nil {
			return last, w.ended(ctx, last, nil)
		}
	}
}

// ended is the error for a wait whose context ended, or whose read gave
// up because its deadline would pass (readErr), naming the last status
// seen.
func (w Wait[T, S]) ended(ctx context.Context, last *T, readErr error) error {
	err := readErr
	if err == nil {
		err = ctx.Err()
		if cause := context.Cause(ctx); cause != nil && !errors.Is(err, cause) {
			err = fmt.Errorf("%w: %w", err, cause)
		}
	}
	if last == nil {
		return fmt.Errorf("%s: %s: %s %s not read yet, waiting for %s: %w", w.Pkg, w.Op, w.Noun, w.ID, join(w.Want), err)
	}
	return fmt.Errorf("%s: %s: %s %s is still %s, waiting for %s: %w", w.Pkg, w.Op, w.Noun, w.ID, describe(w.Status(last)), join(w.Want), err)
}

// describe names a status for an error; an empty one is "without a status".
func describe[S ~string](s S) string {
	if s == "" {
		return "without a status"
	}
	return string(s)
}

// join lists statuses as "A", "A or B", "A, B or C".
func join[S ~string](ss []S) string {
	names := make([]string, len(ss))
	for i, s := range ss {
		names[i] = string(s)
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
