package authz

import (
	"sync"

	"github.com/cairnhq/cairn/policy"
)

// Cache keeps parsed policies by kind and document text, so that a policy
// is parsed once however many requests it decides. It is bounded and safe
// for concurrent use.
type Cache struct {
	mu  sync.RWMutex
	max int
	m   map[cacheKey]*policy.Policy
}

type cacheKey struct {
	kind policy.Kind
	doc  string
}

// NewCache returns a cache holding at most max policies.
func NewCache(max int) *Cache {
	return &Cache{max: max, m: make(map[cacheKey]*policy.Policy)}
}

// Parse returns the parsed policy for doc, parsing it on first use. name
// identifies the policy in decisions when it is first parsed.
func (c *Cache) Parse(doc string, kind policy.Kind, name string) (*policy.Policy, error) {
	k := cacheKey{kind, doc}
	c.mu.RLock()
	p, ok := c.m[k]
	c.mu.RUnlock()
	if ok {
		return p, nil
	}
	p, err := policy.Parse(doc, kind)
	if err != nil {
		return nil, err
	}
	p.Name = name
	c.mu.Lock()
	if len(c.m) >= c.max {
		for old := range c.m { // evict an arbitrary entry
			delete(c.m, old)
			break
		}
	}
	c.m[k] = p
	c.mu.Unlock()
	return p, nil
}
