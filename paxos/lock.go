package paxos

import (
	"context"
	"sync"

	"github.com/accountkit/accountkit-go/internal/transport"
)

// keyedMutex serialises work per key (an account id). Waiting honours the
// context, and a key's entry is dropped when nobody holds or waits for it.
type keyedMutex struct {
	mu    sync.Mutex
	locks map[string]*keyLock
}

type keyLock struct {
	sem  chan struct{}
	refs int
}

// lock waits for key and returns the function that releases it. It
// refuses a nil ctx, which it could not wait on.
func (k *keyedMutex) lock(ctx context.Context, key string) (unlock func(), err error) {
	if err := transport.CheckContext(ctx); err != nil {
		return nil, err
	}
	k.mu.Lock()
	if k.locks == nil {
		k.locks = make(map[string]*keyLock)
	}
	l := k.locks[key]
	if l == nil {
		l = &keyLock{sem: make(chan struct{}, 1)}
		k.locks[key] = l
	}
	l.refs++
	k.mu.Unlock()

	select {
	case l.sem <- struct{}{}:
		return func() {
			<-l.sem
			k.release(key, l)
		}, nil
	case <-ctx.Done():
		k.release(key, l)
		return nil, ctx.Err()
	}
}

func (k *keyedMutex) release(key string, l *keyLock) {
	k.mu.Lock()
	l.refs--
	if l.refs == 0 {
		delete(k.locks, key)
	}
	k.mu.Unlock()
}
