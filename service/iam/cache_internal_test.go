package iam

import (
	"testing"
	"time"

	"github.com/cairnhq/cairn"
)

// A lookup that read the store before an invalidation must not fill the
// cache with what it read.
func TestCacheRefusesFillsAcrossInvalidation(t *testing.T) {
	c := newCredCache(10, time.Minute)
	now := time.Unix(1000, 0)
	_, gen, ok := c.get("AKIA1", now)
	if ok {
		t.Fatal("hit in an empty cache")
	}
	stale := cairn.Credential{AccessKeyID: "AKIA1", Active: true}
	c.invalidate("AKIA1") // a write committed while the lookup read
	c.put("AKIA1", stale, gen, now)
	if _, _, ok := c.get("AKIA1", now); ok {
		t.Fatal("stale credential cached after an invalidation")
	}
	_, gen, _ = c.get("AKIA1", now)
	c.put("AKIA1", stale, gen, now)
	if _, _, ok := c.get("AKIA1", now); !ok {
		t.Fatal("fresh credential not cached")
	}
	if _, _, ok := c.get("AKIA1", now.Add(time.Minute)); ok {
		t.Fatal("entry outlived its TTL")
	}
}

func TestCacheIsBounded(t *testing.T) {
	c := newCredCache(3, time.Minute)
	now := time.Unix(1000, 0)
	for _, id := range []string{"a", "b", "c", "d", "e"} {
		_, gen, _ := c.get(id, now)
		c.put(id, cairn.Credential{AccessKeyID: id}, gen, now)
	}
	if n := c.len(); n != 3 {
		t.Fatalf("cache holds %d entries, bound is 3", n)
	}
	if _, _, ok := c.get("e", now); !ok {
		t.Fatal("latest entry evicted")
	}
}

func TestPolicyCacheRefusesFillsAcrossInvalidation(t *testing.T) {
	c := newPolicyCache(10, time.Minute)
	now := time.Unix(1000, 0)
	_, gen, ok := c.get("u", now)
	if ok {
		t.Fatal("hit in an empty cache")
	}
	c.invalidate() // a write committed while the lookup read
	c.put("u", policyEntry{identity: []string{"stale"}}, gen, now)
	if _, _, ok := c.get("u", now); ok {
		t.Fatal("stale policies cached after an invalidation")
	}
	_, gen, _ = c.get("u", now)
	c.put("u", policyEntry{identity: []string{"fresh"}}, gen, now)
	if e, _, ok := c.get("u", now); !ok || e.identity[0] != "fresh" {
		t.Fatal("fresh policies not cached")
	}
	if _, _, ok := c.get("u", now.Add(time.Minute)); ok {
		t.Fatal("entry outlived its TTL")
	}
}

func TestPolicyCacheIsBounded(t *testing.T) {
	c := newPolicyCache(3, time.Minute)
	now := time.Unix(1000, 0)
	for _, k := range []string{"a", "b", "c", "d", "e"} {
		_, gen, _ := c.get(k, now)
		c.put(k, policyEntry{}, gen, now)
	}
	if n := c.len(); n != 3 {
		t.Fatalf("cache holds %d entries, bound is 3", n)
	}
	c.invalidate()
	if n := c.len(); n != 0 {
		t.Fatalf("invalidate left %d entries", n)
	}
}
