package s3

import "testing"

func TestInlineCacheEvictsOldestWithinBudget(t *testing.T) {
	c := newInlineCache(3 * (entryOverhead + 5))
	c.put("a", make([]byte, 4))
	c.put("b", make([]byte, 4))
	c.put("c", make([]byte, 4))
	c.put("d", make([]byte, 4)) // pushes a out
	if _, ok := c.get("a"); ok {
		t.Fatal("the oldest blob stayed past the budget")
	}
	for _, k := range []string{"b", "c", "d"} {
		if _, ok := c.get(k); !ok {
			t.Fatalf("%s was evicted", k)
		}
	}
	c.put("huge", make([]byte, c.budget))
	if _, ok := c.get("huge"); ok || c.size > c.budget {
		t.Fatalf("a blob over the budget was kept (size %d)", c.size)
	}
}
