package blobtest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/cairnhq/cairn/blob"
)

// walkAll returns the keys Walk reports, failing on a key reported twice
// or a zero modification time.
func walkAll(t *testing.T, s blob.Store) map[string]bool {
	t.Helper()
	got := map[string]bool{}
	err := s.Walk(context.Background(), func(key string, modified time.Time) error {
		if got[key] {
			return fmt.Errorf("%q reported twice", short(key))
		}
		if modified.IsZero() {
			return fmt.Errorf("%q reported with a zero modification time", short(key))
		}
		got[key] = true
		return nil
	})
	if err != nil {
		t.Fatalf("Walk: %v", err)
	}
	return got
}

func mustWalk(t *testing.T, s blob.Store, want map[string]bool) {
	t.Helper()
	got := walkAll(t, s)
	if !maps.Equal(got, want) {
		t.Fatalf("Walk reported %d keys %q, want %d keys %q", len(got), slices.Sorted(maps.Keys(got)), len(want), slices.Sorted(maps.Keys(want)))
	}
}

// testWalk: Walk reports every blob's key once, hostile keys included,
// and not deleted ones; fn's error stops it; fn may delete.
func testWalk(t *testing.T, s blob.Store) {
	defer s.Close()
	ctx := context.Background()
	mustWalk(t, s, map[string]bool{})
	want := map[string]bool{}
	for i, k := range HostileKeys("walk") {
		put(t, s, k, content(uint64(i), i))
		want[k] = true
	}
	put(t, s, "replaced", content(1, 10))
	put(t, s, "replaced", content(2, 300<<10))
	want["replaced"] = true
	put(t, s, "deleted", nil)
	if err := s.Delete(ctx, "deleted"); err != nil {
		t.Fatal(err)
	}
	mustWalk(t, s, want)
	mustGet(t, s, "replaced", content(2, 300<<10)) // Walk does not disturb the bytes

	stop := errors.New("stop")
	calls := 0
	err := s.Walk(ctx, func(string, time.Time) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("Walk with fn failing: %v after %d calls, want fn's error after 1", err, calls)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := s.Walk(cctx, func(string, time.Time) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("Walk with a done context: %v, want context.Canceled", err)
	}

	// fn deletes every other key it is shown.
	i := 0
	err = s.Walk(ctx, func(key string, _ time.Time) error {
		i++
		if i%2 == 0 {
			delete(want, key)
			return s.Delete(ctx, key)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Walk deleting from fn: %v", err)
	}
	mustWalk(t, s, want)

	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Walk(ctx, func(string, time.Time) error { return nil }); !errors.Is(err, blob.ErrClosed) {
		t.Errorf("Walk after Close: %v, want ErrClosed", err)
	}
}
