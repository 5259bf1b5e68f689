package audit

import (
	"context"
	"sync"

	"github.com/cairnhq/cairn/store"
)

// Deferred collects the events of calls a service makes on a caller's
// behalf while serving that caller (KMS decrypting an SSE-KMS object's
// data key for S3's GetObject), so that the funnel makes them durable in
// the same commit as the caller's own event, before the response goes
// out, instead of each waiting for a commit of its own.
type Deferred struct {
	mu     sync.Mutex
	events []*store.Event
}

type deferredKey struct{}

// WithDeferred returns a context that collects deferred events, and the
// collector. The funnel owns it: whatever is added must be recorded.
func WithDeferred(ctx context.Context) (context.Context, *Deferred) {
	d := &Deferred{}
	return context.WithValue(ctx, deferredKey{}, d), d
}

// DeferredFrom returns ctx's collector, or nil outside the funnel (the
// caller then records its events itself).
func DeferredFrom(ctx context.Context) *Deferred {
	d, _ := ctx.Value(deferredKey{}).(*Deferred)
	return d
}

// Add defers events.
func (d *Deferred) Add(events ...*store.Event) {
	d.mu.Lock()
	d.events = append(d.events, events...)
	d.mu.Unlock()
}

// Take returns the deferred events and forgets them.
func (d *Deferred) Take() []*store.Event {
	if d == nil {
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	events := d.events
	d.events = nil
	return events
}
