package s3

import (
	"context"
	"sync"

	"github.com/cairnhq/cairn/store"
)

// bucketCache keeps bucket records in memory: every request reads its
// bucket (owner, policy, ACL, settings), and this service is the only
// writer of bucket records. Every write invalidates the bucket's entry
// once it has committed and before the call returns, so a call that
// starts after a write's response sees the write. A record read while a
// write was in progress is not kept (the generation changed meanwhile).
// Cached records are shared: callers must not modify them.
type bucketCache struct {
	mu  sync.Mutex
	gen uint64
	max int
	m   map[string]*bucketRec
}

func newBucketCache(max int) *bucketCache {
	return &bucketCache{max: max, m: map[string]*bucketRec{}}
}

func (c *bucketCache) get(name string) (*bucketRec, uint64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.m[name]
	return b, c.gen, ok
}

func (c *bucketCache) put(name string, b *bucketRec, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return
	}
	if len(c.m) >= c.max {
		for k := range c.m {
			delete(c.m, k)
			break
		}
	}
	c.m[name] = b
}

func (c *bucketCache) invalidate(name string) {
	c.mu.Lock()
	c.gen++
	delete(c.m, name)
	c.mu.Unlock()
}

// bucket returns a bucket's record (NoSuchBucket when there is none),
// from the cache when it holds it. The record is shared: read it only.
func (s *Service) bucket(ctx context.Context, name string) (*bucketRec, error) {
	b, gen, ok := s.buckets.get(name)
	if ok {
		return b, nil
	}
	err := s.view(ctx, func(tx store.Tx) error {
		var err error
		b, err = loadBucket(tx, name)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.buckets.put(name, b, gen)
	return b, nil
}

// updateBucket runs a transaction that changes a bucket's record, and
// drops the cached record once it has committed (or failed).
func (s *Service) updateBucket(ctx context.Context, name string, fn func(store.Tx) error) error {
	s.buckets.invalidate(name)
	defer s.buckets.invalidate(name)
	return s.update(ctx, fn)
}
