// Package calltest holds the helpers the clients' tests share to call a
// method the way a careless caller would.
package calltest

import (
	"fmt"
	"iter"
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
