package s3

import "sync"

// inlineCache keeps recently written and read inline blobs, sealed, in
// memory up to a byte budget (counting each entry's key and bookkeeping
// too, so that a flood of tiny objects stays within it), oldest out first. A blob key is never
// written twice (every PUT draws a new one), so a cached blob can never be
// stale; a deleted object's blob lingers until it is pushed out, read by
// nobody, since no record names it any more.
type inlineCache struct {
	mu     sync.Mutex
	m      map[string][]byte
	order  []string // insertion order, for eviction
	size   int
	budget int
}

func newInlineCache(budget int) *inlineCache {
	return &inlineCache{m: map[string][]byte{}, budget: budget}
}

func (c *inlineCache) get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.m[key]
	return b, ok
}

// put keeps b (sealed bytes the caller no longer changes) under key.
func (c *inlineCache) put(key string, b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := entrySize(key, b)
	if _, ok := c.m[key]; ok || n > c.budget {
		return
	}
	for c.size+n > c.budget && len(c.order) > 0 {
		old := c.order[0]
		c.order = c.order[1:]
		c.size -= entrySize(old, c.m[old])
		delete(c.m, old)
	}
	c.m[key] = b
	c.order = append(c.order, key)
	c.size += n
}

// entryOverhead is what an entry costs beyond its key and bytes: the map
// slot, the slice headers and the order slot, rounded up.
const entryOverhead = 128

func entrySize(key string, b []byte) int { return len(key) + len(b) + entryOverhead }
