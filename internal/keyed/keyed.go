// Package keyed serialises work per key, such as an account: the
// in-process member lock of paxos, and the queue pglock keeps in front of
// the database so that only one caller per key waits on a connection.
package keyed

import (
	"context"
	"sync"
)

// Mutex is a mutex per key. Waiting honours the context, and a key's entry
// is dropped when nobody holds or waits for it. The zero value is ready to
// use, and a Mutex must not be copied after first use.
type Mutex struct {
	mu    sync.Mutex
	locks map[string]*entry
}

type entry struct {
	sem  chan struct{}
	refs int
}

// Lock waits until the caller holds key or ctx ends, and returns the
// function that releases key.
func (k *Mutex) Lock(ctx context.Context, key string) (unlock func(), err error) {
	k.mu.Lock()
	if k.locks == nil {
		k.locks = make(map[string]*entry)
	}
	l := k.locks[key]
	if l == nil {
		l = &entry{sem: make(chan struct{}, 1)}
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

func (k *Mutex) release(key string, l *entry) {
	k.mu.Lock()
	l.refs--
	if l.refs == 0 {
		delete(k.locks, key)
	}
	k.mu.Unlock()
}

// Len is how many keys are held or waited for.
func (k *Mutex) Len() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.locks)
}
