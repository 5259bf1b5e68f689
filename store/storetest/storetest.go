// Package storetest is the conformance suite every store.Store
// implementation must pass. Call Run from the implementation's tests with a
// constructor that returns a fresh, empty store.
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// Run runs the whole suite. open must return a new empty store; the suite
// closes it.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	t.Run("KV", func(t *testing.T) { testKV(t, open(t)) })
	t.Run("Rollback", func(t *testing.T) { testRollback(t, open(t)) })
	t.Run("Scan", func(t *testing.T) { testScan(t, open(t)) })
	t.Run("LargeValues", func(t *testing.T) { testLargeValues(t, open(t)) })
	t.Run("ConcurrentUpdates", func(t *testing.T) { testConcurrent(t, open(t)) })
	t.Run("EventSequences", func(t *testing.T) { testSequences(t, open(t)) })
	t.Run("LookupEvents", func(t *testing.T) { testLookup(t, open(t)) })
	t.Run("EventsAfterAndPurge", func(t *testing.T) { testAfterPurge(t, open(t)) })
}

func testKV(t *testing.T, s store.Store) {
	defer s.Close()
	ctx := context.Background()
	err := s.Update(ctx, func(tx store.Tx) error {
		if err := tx.Insert("users", "a/alice", []byte("1")); err != nil {
			return err
		}
		if err := tx.Insert("users", "a/alice", []byte("2")); !errors.Is(err, cairn.ErrExists) {
			return fmt.Errorf("second insert: got %v, want ErrExists", err)
		}
		if err := tx.Put("users", "a/bob", []byte("b")); err != nil {
			return err
		}
		return tx.Put("users", "a/bob", []byte("b2"))
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.View(ctx, func(tx store.Tx) error {
		v, err := tx.Get("users", "a/alice")
		if err != nil || string(v) != "1" {
			return fmt.Errorf("get alice = %q, %v", v, err)
		}
		v, err = tx.Get("users", "a/bob")
		if err != nil || string(v) != "b2" {
			return fmt.Errorf("get bob = %q, %v", v, err)
		}
		if _, err := tx.Get("users", "a/carol"); !errors.Is(err, cairn.ErrNotFound) {
			return fmt.Errorf("get missing: %v, want ErrNotFound", err)
		}
		if _, err := tx.Get("groups", "a/alice"); !errors.Is(err, cairn.ErrNotFound) {
			return fmt.Errorf("tables must be separate: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Update(ctx, func(tx store.Tx) error {
		if err := tx.Delete("users", "a/alice"); err != nil {
			return err
		}
		if err := tx.Delete("users", "a/alice"); !errors.Is(err, cairn.ErrNotFound) {
			return fmt.Errorf("second delete: %v, want ErrNotFound", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func testRollback(t *testing.T, s store.Store) {
	defer s.Close()
	ctx := context.Background()
	boom := errors.New("boom")
	err := s.Update(ctx, func(tx store.Tx) error {
		if err := tx.Put("t", "k", []byte("v")); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update returned %v, want the callback's error", err)
	}
	_ = s.View(ctx, func(tx store.Tx) error {
		if _, err := tx.Get("t", "k"); !errors.Is(err, cairn.ErrNotFound) {
			t.Errorf("rolled-back write is visible: %v", err)
		}
		return nil
	})
}

func testScan(t *testing.T, s store.Store) {
	defer s.Close()
	ctx := context.Background()
	keys := []string{"1/a", "1/b", "1/b%", "1/c_", "1/d", "10/a", "2/a", "1/ü"}
	err := s.Update(ctx, func(tx store.Tx) error {
		for _, k := range keys {
			if err := tx.Put("t", k, []byte(k)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	scan := func(prefix, after string, limit int) []string {
		var got []string
		err := s.View(ctx, func(tx store.Tx) error {
			return tx.Scan("t", prefix, after, limit, func(k string, v []byte) error {
				if string(v) != k {
					t.Errorf("value of %q = %q", k, v)
				}
				got = append(got, k)
				return nil
			})
		})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	check := func(name string, got []string, want ...string) {
		t.Helper()
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	check("prefix 1/", scan("1/", "", 0), "1/a", "1/b", "1/b%", "1/c_", "1/d", "1/ü")
	// Values may be kept after fn returns: they stay intact while the scan
	// goes on and after it ends.
	var kept [][]byte
	err = s.View(ctx, func(tx store.Tx) error {
		return tx.Scan("t", "", "", 0, func(_ string, v []byte) error {
			kept = append(kept, v)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	var keptKeys []string
	for _, v := range kept {
		keptKeys = append(keptKeys, string(v))
	}
	check("kept values", keptKeys, "1/a", "1/b", "1/b%", "1/c_", "1/d", "1/ü", "10/a", "2/a")
	check("after 1/b", scan("1/", "1/b", 0), "1/b%", "1/c_", "1/d", "1/ü")
	check("limit 2", scan("1/", "", 2), "1/a", "1/b")
	check("wildcards are literal", scan("1/b%", "", 0), "1/b%")
	check("all", scan("", "", 0), "1/a", "1/b", "1/b%", "1/c_", "1/d", "1/ü", "10/a", "2/a")
	var n int
	_ = s.View(ctx, func(tx store.Tx) error {
		return tx.Scan("t", "", "", 0, func(string, []byte) error {
			n++
			if n == 3 {
				return store.ErrStop
			}
			return nil
		})
	})
	if n != 3 {
		t.Errorf("ErrStop visited %d keys, want 3", n)
	}
}

// testLargeValues: values of every size, a megabyte included, behave the
// same: insert, replace either way, roll back, delete, scan.
func testLargeValues(t *testing.T, s store.Store) {
	defer s.Close()
	ctx := context.Background()
	val := func(seed byte, n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = seed + byte(i%7)
		}
		return b
	}
	big, big2, small := val('a', 1<<20), val('b', 100<<10), val('c', 10)
	err := s.Update(ctx, func(tx store.Tx) error {
		for k, v := range map[string][]byte{"a": big, "b": small, "c": big2, "d": val('d', 9000)} {
			if err := tx.Insert("t", k, v); err != nil {
				return err
			}
		}
		if err := tx.Insert("t", "a", small); err != cairn.ErrExists {
			return fmt.Errorf("insert over a large value: %v", err)
		}
		return tx.Insert("t", "b", big)
	})
	if err != cairn.ErrExists {
		t.Fatalf("Update: %v, want ErrExists from the last insert", err)
	}
	// That transaction rolled back: nothing is there.
	_ = s.View(ctx, func(tx store.Tx) error {
		if _, err := tx.Get("t", "a"); err != cairn.ErrNotFound {
			t.Errorf("after rollback: %v", err)
		}
		return nil
	})
	err = s.Update(ctx, func(tx store.Tx) error {
		for k, v := range map[string][]byte{"a": big, "b": small, "c": big2, "d": val('d', 9000)} {
			if err := tx.Insert("t", k, v); err != nil {
				return err
			}
		}
		if err := tx.Insert("t", "a", big2); err != cairn.ErrExists {
			return fmt.Errorf("insert over a large value: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]byte{"a": big, "b": small, "c": big2, "d": val('d', 9000)}
	check := func(when string) {
		t.Helper()
		_ = s.View(ctx, func(tx store.Tx) error {
			for k, w := range want {
				got, err := tx.Get("t", k)
				if err != nil || !bytes.Equal(got, w) {
					t.Errorf("%s: Get %s: %d bytes, %v; want %d bytes", when, k, len(got), err, len(w))
				}
			}
			var keys []string
			err := tx.Scan("t", "", "", 0, func(k string, v []byte) error {
				keys = append(keys, k)
				if !bytes.Equal(v, want[k]) {
					t.Errorf("%s: Scan %s: %d bytes, want %d", when, k, len(v), len(want[k]))
				}
				return nil
			})
			if err != nil || len(keys) != len(want) {
				t.Errorf("%s: Scan saw %v, %v", when, keys, err)
			}
			return nil
		})
	}
	check("inserted")
	err = s.Update(ctx, func(tx store.Tx) error {
		for k, v := range map[string][]byte{"a": small, "b": big, "c": val('e', 200<<10)} {
			if err := tx.Put("t", k, v); err != nil {
				return err
			}
			want[k] = v
		}
		return tx.Delete("t", "d")
	})
	if err != nil {
		t.Fatal(err)
	}
	delete(want, "d")
	check("replaced")
	// A failed transaction leaves the large values as they were.
	_ = s.Update(ctx, func(tx store.Tx) error {
		_ = tx.Put("t", "b", small)
		_ = tx.Delete("t", "c")
		return errors.New("roll back")
	})
	check("rolled back")
}

func testConcurrent(t *testing.T, s store.Store) {
	defer s.Close()
	ctx := context.Background()
	const workers, each = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				err := s.Update(ctx, func(tx store.Tx) error {
					v, err := tx.Get("c", "n")
					if err != nil && !errors.Is(err, cairn.ErrNotFound) {
						return err
					}
					var n int
					fmt.Sscan(string(v), &n)
					return tx.Put("c", "n", []byte(fmt.Sprint(n+1)))
				})
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	_ = s.View(ctx, func(tx store.Tx) error {
		v, err := tx.Get("c", "n")
		if err != nil || string(v) != fmt.Sprint(workers*each) {
			t.Errorf("counter = %q, %v; want %d (lost update)", v, err, workers*each)
		}
		return nil
	})
}

func event(account, region, name string, at time.Time) *store.Event {
	return &store.Event{
		Account: account, Region: region, ID: fmt.Sprintf("%s-%s-%d", name, region, at.UnixNano()),
		Time: at, Name: name, Source: "iam.amazonaws.com", Management: true,
		Username: "alice", AccessKeyID: "AKIAEXAMPLE", Record: []byte(`{"eventName":"` + name + `"}`),
	}
}

func testSequences(t *testing.T, s store.Store) {
	defer s.Close()
	ctx := context.Background()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var all []*store.Event
	var wg sync.WaitGroup
	var mu sync.Mutex
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				batch := []*store.Event{
					event("111111111111", "us-east-1", fmt.Sprintf("A%d-%d", w, i), now),
					event("111111111111", "eu-west-1", fmt.Sprintf("B%d-%d", w, i), now),
					event("222222222222", "us-east-1", fmt.Sprintf("C%d-%d", w, i), now),
				}
				if err := s.AppendEvents(ctx, batch); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				all = append(all, batch...)
				mu.Unlock()
			}
		}(w)
	}
	wg.Wait()
	seen := map[string]map[int64]bool{}
	for _, e := range all {
		k := e.Account + "/" + e.Region
		if seen[k] == nil {
			seen[k] = map[int64]bool{}
		}
		if e.Seq <= 0 || seen[k][e.Seq] {
			t.Fatalf("stream %s: seq %d invalid or reused", k, e.Seq)
		}
		seen[k][e.Seq] = true
	}
	for k, seqs := range seen {
		for i := int64(1); i <= int64(len(seqs)); i++ {
			if !seqs[i] {
				t.Errorf("stream %s: gap at seq %d", k, i)
			}
		}
	}
}

func testLookup(t *testing.T, s store.Store) {
	defer s.Close()
	ctx := context.Background()
	base := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	var batch []*store.Event
	for i := 0; i < 30; i++ {
		e := event("111111111111", "us-east-1", []string{"CreateUser", "ListUsers", "GetObject"}[i%3], base.Add(time.Duration(i)*time.Minute))
		e.ReadOnly = e.Name == "ListUsers"
		e.Management = e.Name != "GetObject"
		if i%2 == 0 {
			e.Username = "bob"
			e.AccessKeyID = "AKIABOB"
			e.Source = "sts.amazonaws.com"
		}
		e.Resources = []store.EventResource{{Type: "AWS::IAM::User", Name: fmt.Sprintf("user%d", i%5)}}
		batch = append(batch, e)
	}
	batch = append(batch, event("111111111111", "eu-west-1", "CreateUser", base))
	batch = append(batch, event("999999999999", "us-east-1", "CreateUser", base))
	if err := s.AppendEvents(ctx, batch); err != nil {
		t.Fatal(err)
	}
	q := func(mod func(*store.EventQuery)) []*store.Event {
		t.Helper()
		eq := store.EventQuery{Account: "111111111111", Region: "us-east-1", Limit: 50}
		mod(&eq)
		got, err := s.LookupEvents(ctx, eq)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	all := q(func(*store.EventQuery) {})
	if len(all) != 30 {
		t.Fatalf("all: %d events, want 30 (stream isolation)", len(all))
	}
	for i := 1; i < len(all); i++ {
		if all[i].Seq >= all[i-1].Seq {
			t.Fatal("not newest first")
		}
	}
	if all[0].Name != batch[29].Name || string(all[0].Record) != string(batch[29].Record) {
		t.Errorf("newest = %s, want %s", all[0].Name, batch[29].Name)
	}
	// all[0] is a data event (GetObject): its resources are not kept.
	if len(all[0].Resources) != 0 || len(all[1].Resources) != 1 || all[1].Resources[0].Name != "user3" {
		t.Errorf("resources = %+v, %+v", all[0].Resources, all[1].Resources)
	}
	if !all[0].Time.Equal(batch[29].Time) {
		t.Errorf("time = %v, want %v", all[0].Time, batch[29].Time)
	}
	cases := []struct {
		name string
		mod  func(*store.EventQuery)
		want int
	}{
		// Attribute filters find management events only (20 of the 30).
		{"management only", func(q *store.EventQuery) { q.ManagementOnly = true }, 20},
		{"event name", func(q *store.EventQuery) { q.AttrKey, q.AttrValue = store.AttrEventName, "CreateUser" }, 10},
		{"data event name", func(q *store.EventQuery) { q.AttrKey, q.AttrValue = store.AttrEventName, "GetObject" }, 0},
		{"read only", func(q *store.EventQuery) { q.AttrKey, q.AttrValue = store.AttrReadOnly, "true" }, 10},
		{"read write", func(q *store.EventQuery) { q.AttrKey, q.AttrValue = store.AttrReadOnly, "false" }, 10},
		{"username", func(q *store.EventQuery) { q.AttrKey, q.AttrValue = store.AttrUsername, "bob" }, 10},
		{"access key", func(q *store.EventQuery) { q.AttrKey, q.AttrValue = store.AttrAccessKeyID, "AKIABOB" }, 10},
		{"source", func(q *store.EventQuery) { q.AttrKey, q.AttrValue = store.AttrEventSource, "sts.amazonaws.com" }, 10},
		{"resource type", func(q *store.EventQuery) { q.AttrKey, q.AttrValue = store.AttrResourceType, "AWS::IAM::User" }, 20},
		{"resource name", func(q *store.EventQuery) { q.AttrKey, q.AttrValue = store.AttrResourceName, "user1" }, 4},
		{"event id", func(q *store.EventQuery) { q.AttrKey, q.AttrValue = store.AttrEventID, batch[7].ID }, 1},
		{"time range", func(q *store.EventQuery) { q.Start, q.End = base.Add(10*time.Minute), base.Add(14*time.Minute) }, 5},
		{"limit", func(q *store.EventQuery) { q.Limit = 7 }, 7},
		{"before", func(q *store.EventQuery) { q.Before = all[9].Seq }, 20},
	}
	for _, c := range cases {
		if got := q(c.mod); len(got) != c.want {
			t.Errorf("%s: %d events, want %d", c.name, len(got), c.want)
		}
	}
}

func testAfterPurge(t *testing.T, s store.Store) {
	defer s.Close()
	ctx := context.Background()
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	var batch []*store.Event
	for i := 0; i < 10; i++ {
		batch = append(batch, event("111111111111", "us-east-1", fmt.Sprintf("E%d", i), base.AddDate(0, 0, i)))
	}
	if err := s.AppendEvents(ctx, batch); err != nil {
		t.Fatal(err)
	}
	got, err := s.EventsAfter(ctx, "111111111111", "us-east-1", batch[3].Seq, 4)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || got[0].Name != "E4" || got[3].Name != "E7" {
		t.Fatalf("EventsAfter = %d events starting %v", len(got), got)
	}
	n, err := s.PurgeEvents(ctx, base.AddDate(0, 0, 5))
	if err != nil || n != 5 {
		t.Fatalf("purge = %d, %v; want 5", n, err)
	}
	got, _ = s.EventsAfter(ctx, "111111111111", "us-east-1", 0, 100)
	if len(got) != 5 || got[0].Name != "E5" {
		t.Fatalf("after purge: %d events", len(got))
	}
	for _, name := range []string{"E2", "E7"} {
		found, err := s.LookupEvents(ctx, store.EventQuery{Account: "111111111111", Region: "us-east-1",
			AttrKey: store.AttrEventName, AttrValue: name, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if want := map[string]int{"E2": 0, "E7": 1}[name]; len(found) != want {
			t.Errorf("lookup %s after purge: %d events, want %d", name, len(found), want)
		}
	}
	// Sequence numbers are never reused after a purge.
	more := []*store.Event{event("111111111111", "us-east-1", "E10", base.AddDate(0, 0, 10))}
	if err := s.AppendEvents(ctx, more); err != nil {
		t.Fatal(err)
	}
	if more[0].Seq != batch[9].Seq+1 {
		t.Errorf("seq after purge = %d, want %d", more[0].Seq, batch[9].Seq+1)
	}
}
