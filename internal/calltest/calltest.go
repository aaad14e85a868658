// Package calltest holds the helpers the clients' tests share to call a
// method the way a careless caller would.
package calltest

import (
	"errors"
	"fmt"
	"iter"
	"strings"
	"testing"

	"github.com/accountkit/accountkit-go"
	"github.com/accountkit/accountkit-go/accountkittest"
)

// Recover runs f, turning a panic into an error so that one misbehaving
// method fails its own subtest instead of the whole test binary.
func Recover(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return f()
}

// FirstErr is the error of a listing's first step (nil when it yields a
// value first, or nothing).
func FirstErr[T any](seq iter.Seq2[T, error]) error {
	for _, err := range seq {
		return err
	}
	return nil
}

// Refused runs f as Recover does and fails t unless f was refused before
// anything was sent: an error wrapping accountkit.ErrInvalidRequest whose
// text starts with prefix (the package and operation, "paxos: GetAccount:
// ") and holds detail, and no request among those sent reports.
func Refused(t testing.TB, f func() error, prefix, detail string, sent func() []accountkittest.Request) {
	t.Helper()
	err := Recover(f)
	if !errors.Is(err, accountkit.ErrInvalidRequest) || !strings.HasPrefix(fmt.Sprint(err), prefix) || !strings.Contains(fmt.Sprint(err), detail) {
		t.Errorf("err = %v, want %s...%s wrapping ErrInvalidRequest", err, prefix, detail)
	}
	if reqs := sent(); len(reqs) != 0 {
		t.Errorf("sent %s %s", reqs[0].Method, reqs[0].Path)
	}
}
