package iam

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/cairnhq/cairn/store"
)

// Last-used tracking. MarkUsed is called by the server for every
// authenticated request, so it only touches memory: it drops uses within a
// minute of the last one recorded for the same key, and hands the rest to
// a background writer that stores a batch in one transaction.

// usageInterval is how often at most a key's use is recorded.
const usageInterval = time.Minute

// maxThrottled bounds the per-key memory of the throttle.
const maxThrottled = 100000

type usageRecorder struct {
	s *Service

	mu      sync.Mutex
	last    map[string]time.Time // key ID → last use handed to the writer
	pending map[string]usageRec
	closed  bool

	wake chan struct{}
	stop chan struct{}
	done chan struct{}
}

func newUsageRecorder(s *Service) *usageRecorder {
	u := &usageRecorder{
		s: s, last: map[string]time.Time{}, pending: map[string]usageRec{},
		wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{}),
	}
	go u.run()
	return u
}

// MarkUsed records that accessKeyID signed a request to service in region
// at t. It never blocks on storage: the record is written in the
// background, at most once per minute per key. Unknown keys are ignored
// when the batch is written.
func (s *Service) MarkUsed(accessKeyID, service, region string, t time.Time) {
	s.usage.mark(accessKeyID, service, region, t)
}

func (u *usageRecorder) mark(id, service, region string, t time.Time) {
	if id == "" {
		return
	}
	u.mu.Lock()
	if u.closed {
		u.mu.Unlock()
		return
	}
	if prev, ok := u.last[id]; ok && t.Sub(prev) < usageInterval && !t.Before(prev) {
		u.mu.Unlock()
		return
	}
	if len(u.last) >= maxThrottled {
		u.last = map[string]time.Time{}
	}
	u.last[id] = t
	u.pending[id] = usageRec{Time: t.UTC().Truncate(time.Second), Service: service, Region: region}
	u.mu.Unlock()
	select {
	case u.wake <- struct{}{}:
	default:
	}
}

func (u *usageRecorder) run() {
	defer close(u.done)
	for {
		select {
		case <-u.wake:
			_ = u.flush(context.Background()) // best effort: last-used dates are advisory
		case <-u.stop:
			return
		}
	}
}

// flush writes the pending records in one transaction.
func (u *usageRecorder) flush(ctx context.Context) error {
	u.mu.Lock()
	batch := u.pending
	u.pending = map[string]usageRec{}
	u.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	err := u.s.updateQuiet(ctx, func(tx store.Tx) error {
		for id, rec := range batch {
			if _, err := tx.Get(tblKeys, id); err != nil {
				if isNotFound(err) {
					continue // a session key, or one deleted since
				}
				return err
			}
			if err := store.PutJSON(tx, tblKeyUsage, id, rec); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record access key usage: %w", err)
	}
	return nil
}

func (u *usageRecorder) close() error {
	u.mu.Lock()
	u.closed = true
	u.mu.Unlock()
	close(u.stop)
	<-u.done
	return u.flush(context.Background())
}
