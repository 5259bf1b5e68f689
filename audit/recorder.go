package audit

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/cairnhq/cairn/store"
)

// ErrClosed is returned by Record after Close.
var ErrClosed = errors.New("recorder closed")

// Recorder makes events durable with group commit: one committer takes
// every event queued while the previous batch was being written and commits
// them in one store transaction, so many concurrent callers share one
// fsync.
type Recorder struct {
	store    store.Store
	maxBatch int
	queue    chan *pending
	stop     chan struct{}
	done     chan struct{}
	mu       sync.RWMutex // guards closed against sends on queue
	closed   bool
	// Counters for Stats.
	events, batches, failures atomic.Uint64
}

// RecorderStats counts what the recorder committed since it started.
type RecorderStats struct {
	Events   uint64 // events made durable
	Batches  uint64 // store commits that made them durable
	Failures uint64 // commits that failed (their callers were told)
}

// Stats returns the recorder's counters.
func (r *Recorder) Stats() RecorderStats {
	return RecorderStats{Events: r.events.Load(), Batches: r.batches.Load(), Failures: r.failures.Load()}
}

type pending struct {
	events []*store.Event
	done   chan error
}

// NewRecorder starts a committer over s.
func NewRecorder(s store.Store) *Recorder {
	r := &Recorder{
		store:    s,
		maxBatch: 1024,
		queue:    make(chan *pending, 4096),
		stop:     make(chan struct{}),
		done:     make(chan struct{}),
	}
	go r.run()
	return r
}

// Record queues events and waits until they are durable. Events in one call
// are committed in the same transaction.
func (r *Recorder) Record(ctx context.Context, events ...*store.Event) error {
	p := &pending{events: events, done: make(chan error, 1)}
	r.mu.RLock()
	if r.closed {
		r.mu.RUnlock()
		return ErrClosed
	}
	select {
	case r.queue <- p:
	case <-ctx.Done():
		r.mu.RUnlock()
		return fmt.Errorf("queue event: %w", ctx.Err())
	}
	r.mu.RUnlock()
	// Once queued, the batch is committed whatever the caller does; wait
	// for the outcome so that the response never precedes durability.
	return <-p.done
}

// Close stops accepting events, commits everything queued and returns.
func (r *Recorder) Close() {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return
	}
	r.closed = true
	close(r.stop)
	r.mu.Unlock()
	<-r.done
}

func (r *Recorder) run() {
	defer close(r.done)
	batch := make([]*pending, 0, 64)
	for {
		select {
		case p := <-r.queue:
			batch = append(batch[:0], p)
		case <-r.stop:
			// Drain what was queued before Close.
			for {
				select {
				case p := <-r.queue:
					r.commit([]*pending{p})
				default:
					return
				}
			}
		}
		n := len(batch[0].events)
	fill:
		for n < r.maxBatch {
			select {
			case p := <-r.queue:
				batch = append(batch, p)
				n += len(p.events)
			default:
				break fill
			}
		}
		r.commit(batch)
	}
}

func (r *Recorder) commit(batch []*pending) {
	var events []*store.Event
	for _, p := range batch {
		events = append(events, p.events...)
	}
	err := r.store.AppendEvents(context.Background(), events)
	if err != nil {
		err = fmt.Errorf("append %d events: %w", len(events), err)
		r.failures.Add(1)
	} else {
		r.events.Add(uint64(len(events)))
		r.batches.Add(1)
	}
	for _, p := range batch {
		p.done <- err
	}
}
