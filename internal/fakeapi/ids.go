package fakeapi

import (
	"fmt"
	"sync"
)

// SequentialUUIDs returns a source of numbered UUIDs,
// 00000000-0000-4000-8000-000000000001 and on, for fakes whose recorded
// exchanges must repeat. It is safe for concurrent use.
func SequentialUUIDs() func() string {
	var mu sync.Mutex
	n := 0
	return func() string {
		mu.Lock()
		defer mu.Unlock()
		n++
		return fmt.Sprintf("00000000-0000-4000-8000-%012d", n)
	}
}
