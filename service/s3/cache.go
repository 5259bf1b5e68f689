package s3

import (
	"context"
	"sync"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// recordCache keeps bucket or object records in memory: every request
// reads its bucket (owner, policy, ACL, settings) and most read their
// object, and this service is the only writer of both. A write
// invalidates its entries before it starts and again once it has
// committed, before the call returns, so a call that starts after a
// write's response sees the write; a record read while a write was in
// progress is not kept (the generation changed meanwhile). Cached records
// are shared: callers must not modify them.
type recordCache[T any] struct {
	mu  sync.Mutex
	gen uint64
	max int
	m   map[string]*T
}

func newRecordCache[T any](max int) *recordCache[T] {
	return &recordCache[T]{max: max, m: map[string]*T{}}
}

func (c *recordCache[T]) get(k string) (*T, uint64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	return v, c.gen, ok
}

func (c *recordCache[T]) put(k string, v *T, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return
	}
	if len(c.m) >= c.max {
		for old := range c.m {
			delete(c.m, old)
			break
		}
	}
	c.m[k] = v
}

func (c *recordCache[T]) invalidate(keys ...string) {
	c.mu.Lock()
	c.gen++
	for _, k := range keys {
		delete(c.m, k)
	}
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
	if e := cairn.AsError(err); e != nil && e.Code == "NoSuchBucket" && s.cfg.Builtin != nil {
		return s.builtinBucket(ctx, name)
	}
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

// cachedObject returns an object's record, nil when there is none, from
// the cache when it holds it. The record is shared: read it only.
func (s *Service) cachedObject(ctx context.Context, bucket, key string) (*objectRec, error) {
	k := objectKey(bucket, key)
	o, gen, ok := s.objects.get(k)
	if ok {
		return o, nil
	}
	err := s.view(ctx, func(tx store.Tx) error {
		var err error
		o, err = loadObject(tx, bucket, key)
		return err
	})
	if err != nil {
		return nil, err
	}
	if o != nil {
		s.objects.put(k, o, gen)
	}
	return o, nil
}

// writingObjects brackets a write of objects: their cached records are
// dropped now and again when the returned function is called, which the
// writer does as soon as its transaction has committed (or failed), and
// before it deletes the blobs the write released or returns.
func (s *Service) writingObjects(bucket string, keys ...string) func() {
	ks := make([]string, len(keys))
	for i, k := range keys {
		ks[i] = objectKey(bucket, k)
	}
	s.objects.invalidate(ks...)
	return func() { s.objects.invalidate(ks...) }
}
