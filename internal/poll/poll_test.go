package poll

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestBackoffIsCapped checks the ceilings double from First up to Max and
// stay there, without overflowing, and that every wait lies in the upper
// half of its ceiling.
func TestBackoffIsCapped(t *testing.T) {
	b := Backoff{First: 250 * time.Millisecond, Max: 10 * time.Second}
	want := []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second, 10 * time.Second}
	for i, w := range want {
		if got := b.Ceiling(i + 1); got != w {
			t.Errorf("Ceiling(%d) = %v, want %v", i+1, got, w)
		}
	}
	for _, n := range []int{0, 1, 2, 7, 30, 33, 62, 63, 64, 1000, 1 << 30} {
		c := b.Ceiling(n)
		if c <= 0 || c > b.Max {
			t.Errorf("Ceiling(%d) = %v, outside (0, %v]", n, c, b.Max)
		}
		for range 200 {
			if d := b.Interval(n); d < c/2 || d > c {
				t.Fatalf("Interval(%d) = %v, outside [%v, %v]", n, d, c/2, c)
			}
		}
	}
	huge := Backoff{First: time.Duration(1) << 62, Max: time.Duration(1<<63 - 1)}
	for n := 1; n < 70; n++ {
		if c := huge.Ceiling(n); c < huge.First || c > huge.Max {
			t.Fatalf("Ceiling(%d) of %+v = %v: overflowed", n, huge, c)
		}
	}
}

func TestBackoffDefaults(t *testing.T) {
	for _, b := range []Backoff{{}, {First: -1, Max: -1}} {
		if got := b.Ceiling(1); got != DefaultFirst {
			t.Errorf("%+v: first ceiling %v, want %v", b, got, DefaultFirst)
		}
		if got := b.Ceiling(100); got != DefaultMax {
			t.Errorf("%+v: last ceiling %v, want %v", b, got, DefaultMax)
		}
	}
	if got := (Backoff{First: time.Minute, Max: time.Second}).Ceiling(5); got != time.Minute {
		t.Errorf("Max below First: ceiling %v, want First", got)
	}
}

type status string

var graph = Graph[status]{
	"NEW":     {"OPEN", "REFUSED"},
	"OPEN":    {"LOCKED", "CLOSED"},
	"LOCKED":  {"OPEN"},
	"CLOSED":  nil,
	"REFUSED": nil,
}

func TestCanReach(t *testing.T) {
	for _, tc := range []struct {
		from status
		want []status
		ok   bool
	}{
		{"NEW", []status{"CLOSED"}, true},
		{"NEW", []status{"NEW"}, false}, // no way back
		{"LOCKED", []status{"CLOSED"}, true},
		{"OPEN", []status{"OPEN"}, true}, // through LOCKED
		{"OPEN", []status{"REFUSED"}, false},
		{"OPEN", []status{"REFUSED", "LOCKED"}, true},
		{"CLOSED", []status{"OPEN", "NEW"}, false},
		{"CLOSED", []status{"SOMETHING_NEW"}, false}, // final stays final
		{"OPEN", []status{"SOMETHING_NEW"}, true},    // an unknown wanted status may follow
		{"SOMETHING_NEW", []status{"NEW"}, true},     // from an unknown status anything may follow
		{"", []status{"NEW"}, true},
	} {
		if got := graph.CanReach(tc.from, tc.want); got != tc.ok {
			t.Errorf("CanReach(%s, %v) = %v, want %v", tc.from, tc.want, got, tc.ok)
		}
	}
}

var errUnreachable = errors.New("unreachable")

// script returns a Read that answers the statuses in turn, repeating the
// last, and counts the reads.
func script(reads *int, statuses ...status) func(context.Context) (*status, error) {
	return func(context.Context) (*status, error) {
		s := statuses[min(*reads, len(statuses)-1)]
		*reads++
		return &s, nil
	}
}

func wait(read func(context.Context) (*status, error), want ...status) Wait[status, status] {
	return Wait[status, status]{
		Pkg: "pkg", Op: "WaitForStatus", Noun: "thing", ID: "t1",
		Want: want, Graph: graph, Backoff: Backoff{First: time.Microsecond, Max: time.Microsecond},
		Unreachable: errUnreachable, Read: read,
		Status: func(s *status) status { return *s },
	}
}

func TestRun(t *testing.T) {
	t.Run("reaches", func(t *testing.T) {
		reads := 0
		got, err := wait(script(&reads, "NEW", "", "SURPRISE", "OPEN", "LOCKED", "OPEN", "CLOSED"), "CLOSED").Run(t.Context())
		if err != nil || *got != "CLOSED" || reads != 7 {
			t.Errorf("got %v, %v after %d reads", got, err, reads)
		}
	})
	t.Run("unreachable", func(t *testing.T) {
		reads := 0
		got, err := wait(script(&reads, "NEW", "REFUSED", "OPEN"), "OPEN", "LOCKED").Run(t.Context())
		if !errors.Is(err, errUnreachable) || got == nil || *got != "REFUSED" || reads != 2 {
			t.Fatalf("got %v, %v after %d reads", got, err, reads)
		}
		if want := "pkg: WaitForStatus: unreachable: thing t1 is REFUSED and cannot become OPEN or LOCKED"; err.Error() != want {
			t.Errorf("error %q, want %q", err, want)
		}
	})
	t.Run("read error", func(t *testing.T) {
		boom := errors.New("boom")
		got, err := wait(func(context.Context) (*status, error) { return nil, boom }, "OPEN").Run(t.Context())
		if !errors.Is(err, boom) || got != nil || !strings.HasPrefix(err.Error(), "pkg: WaitForStatus: ") {
			t.Errorf("got %v, %v", got, err)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		cause := errors.New("shutting down")
		ctx, cancel := context.WithCancelCause(t.Context())
		reads := 0
		read := script(&reads, "NEW")
		got, err := wait(func(ctx context.Context) (*status, error) {
			if reads == 3 {
				cancel(cause)
			}
			return read(ctx)
		}, "OPEN").Run(ctx)
		if !errors.Is(err, context.Canceled) || !errors.Is(err, cause) || got == nil || *got != "NEW" {
			t.Fatalf("got %v, %v", got, err)
		}
		if !strings.Contains(err.Error(), "thing t1 is still NEW, waiting for OPEN") {
			t.Errorf("error %q does not name the last status", err)
		}
	})
	t.Run("read gives up before the deadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), time.Hour)
		defer cancel()
		reads := 0
		read := script(&reads, "NEW")
		got, err := wait(func(ctx context.Context) (*status, error) {
			if reads == 2 {
				return nil, fmt.Errorf("rate limit: the wait would outlast the deadline: %w", context.DeadlineExceeded)
			}
			return read(ctx)
		}, "OPEN").Run(ctx)
		if !errors.Is(err, context.DeadlineExceeded) || got == nil || *got != "NEW" || !strings.Contains(err.Error(), "thing t1 is still NEW, waiting for OPEN: rate limit") {
			t.Errorf("got %v, %v", got, err)
		}
	})
	t.Run("cancelled while reading", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), time.Nanosecond)
		defer cancel()
		<-ctx.Done()
		got, err := wait(func(ctx context.Context) (*status, error) { return nil, fmt.Errorf("get: %w", ctx.Err()) }, "OPEN").Run(ctx)
		if !errors.Is(err, context.DeadlineExceeded) || got != nil || !strings.Contains(err.Error(), "thing t1 not read yet") {
			t.Errorf("got %v, %v", got, err)
		}
	})
}
