package fakeapi

import (
	"errors"
	"strconv"
)

// Int reads an integer parameter: def when v is empty, an error saying
// the range when v is not an integer from lo to hi.
func Int(v string, def, lo, hi int) (int, error) {
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, errors.New("must be an integer from " + strconv.Itoa(lo) + " to " + strconv.Itoa(hi))
	}
	return n, nil
}

// Page is the part of all that a page starting at offset with at most
// limit items shows; empty past the end.
func Page[T any](all []T, offset, limit int) []T {
	if offset >= len(all) || limit <= 0 {
		return nil
	}
	return all[offset:min(offset+limit, len(all))]
}
