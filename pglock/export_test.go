package pglock

import "time"

// SetServerWait makes each turn in the server's lock queue last at most d,
// until the returned function restores it.
func SetServerWait(d time.Duration) (restore func()) {
	old := serverWait
	serverWait = d
	return func() { serverWait = old }
}
