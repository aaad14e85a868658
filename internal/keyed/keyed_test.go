package keyed

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

func TestMutexSerialisesPerKey(t *testing.T) {
	var k Mutex
	var mu sync.Mutex
	inside := map[string]int{}
	var wg sync.WaitGroup
	for i := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := []string{"a", "b"}[i%2]
			unlock, err := k.Lock(t.Context(), key)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			inside[key]++
			if inside[key] > 1 {
				t.Errorf("two holders of %s", key)
			}
			mu.Unlock()
			time.Sleep(time.Millisecond)
			mu.Lock()
			inside[key]--
			mu.Unlock()
			unlock()
		}()
	}
	wg.Wait()
	if len(k.locks) != 0 {
		t.Errorf("%d entries left", len(k.locks))
	}
}

func TestMutexWaitHonoursContext(t *testing.T) {
	var k Mutex
	unlock, _ := k.Lock(t.Context(), "a")
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Millisecond)
	defer cancel()
	if _, err := k.Lock(ctx, "a"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Lock = %v", err)
	}
	unlock()
	if len(k.locks) != 0 {
		t.Errorf("%d entries left", len(k.locks))
	}
}
