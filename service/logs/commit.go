package logs

import (
	"context"
	"sync"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// committer group-commits PutLogEvents: the batches that arrive while a
// transaction is being committed go together into the next one, so that
// concurrent writers share one durable commit instead of queueing for one
// each. Each batch still runs in a serializable transaction and sees the
// batches before it.
//
// A queued write must not return a *cairn.Error after it has written: such
// an error (a missing stream, a batch spanning more than 24 hours) fails
// that write alone while the rest commit. Any other error aborts the
// transaction, which is then retried one write at a time so that one
// failure does not fail the others.
type committer struct {
	st      store.Store
	mu      sync.Mutex
	queue   []*pending
	running bool
}

type pending struct {
	fn   func(store.Tx) error
	err  error
	done chan struct{}
}

// do runs fn in a transaction shared with the writes queued with it and
// returns once that transaction has committed.
func (c *committer) do(fn func(store.Tx) error) error {
	p := &pending{fn: fn, done: make(chan struct{})}
	c.mu.Lock()
	c.queue = append(c.queue, p)
	if !c.running {
		c.running = true
		go c.drain()
	}
	c.mu.Unlock()
	<-p.done
	return p.err
}

func (c *committer) drain() {
	for {
		c.mu.Lock()
		batch := c.queue
		c.queue = nil
		if len(batch) == 0 {
			c.running = false
			c.mu.Unlock()
			return
		}
		c.mu.Unlock()
		c.commit(batch)
	}
}

func (c *committer) commit(batch []*pending) {
	// The callers wait for their commit: it must not be cancelled halfway
	// by one of them, so it runs without their contexts.
	ctx := context.Background()
	err := c.st.Update(ctx, func(tx store.Tx) error {
		for _, p := range batch {
			p.err = nil
			if err := p.fn(tx); err != nil {
				if cairn.AsError(err) == nil {
					return err
				}
				p.err = err
			}
		}
		return nil
	})
	if err != nil {
		if len(batch) == 1 {
			batch[0].err = err
		} else {
			for _, p := range batch {
				p.err = c.st.Update(ctx, p.fn)
			}
		}
	}
	for _, p := range batch {
		close(p.done)
	}
}
