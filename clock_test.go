package cairn

import (
	"regexp"
	"testing"
	"time"
)

func TestEventIDsAreTimeOrderedUUIDs(t *testing.T) {
	re := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	base := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	prev := ""
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		id := NewEventID(RandomIDs{}, base.Add(time.Duration(i)*time.Millisecond))
		if !re.MatchString(id) {
			t.Fatalf("%q is not a version 7 UUID", id)
		}
		if id <= prev || seen[id] {
			t.Fatalf("%q does not sort after %q", id, prev)
		}
		prev = id
		seen[id] = true
	}
	if v4 := (RandomIDs{}).UUID(); !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(v4) {
		t.Fatalf("%q is not a version 4 UUID", v4)
	}
}
