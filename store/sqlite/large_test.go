package sqlite

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cairnhq/cairn/store"
)

// Large values live in kv_large; replacing or deleting their rows leaves
// no value behind there, and reads find them without sorting.
func TestLargeValuesLeaveNothingBehind(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "cairn.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	large := func() int {
		var n int
		if err := s.read.QueryRow(`SELECT count(*) FROM kv_large`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	big := bytes.Repeat([]byte("x"), largeValue+1)
	step := func(want int, fn func(tx store.Tx) error) {
		t.Helper()
		if err := s.Update(ctx, fn); err != nil {
			t.Fatal(err)
		}
		if n := large(); n != want {
			t.Fatalf("%d large values, want %d", n, want)
		}
	}
	step(2, func(tx store.Tx) error {
		if err := tx.Put("t", "a", big); err != nil {
			return err
		}
		return tx.Insert("t", "b", big)
	})
	step(2, func(tx store.Tx) error { return tx.Put("t", "a", big) })         // large → large
	step(1, func(tx store.Tx) error { return tx.Put("t", "a", []byte("s")) }) // large → small
	step(1, func(tx store.Tx) error {
		if err := tx.Insert("t", "b", big); err == nil {
			t.Error("insert over an existing key succeeded")
		}
		return nil
	})
	step(0, func(tx store.Tx) error { return tx.Delete("t", "b") })
	step(0, func(tx store.Tx) error { return tx.Delete("t", "a") })
	for _, q := range []string{
		`SELECT kv.k, ` + value + ` FROM kv ` + joinLarge + ` WHERE kv.tbl = 't' AND kv.k > '' AND kv.k >= 'a' AND kv.k < 'b' ORDER BY kv.k`,
		`SELECT ` + value + ` FROM kv ` + joinLarge + ` WHERE kv.tbl = 't' AND kv.k = 'a'`,
	} {
		rows, err := s.read.Query(`EXPLAIN QUERY PLAN ` + q)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		p := strings.Join(plan, "; ")
		if strings.Contains(p, "TEMP B-TREE") || strings.Contains(p, "SCAN kv") || !strings.Contains(p, "USING INTEGER PRIMARY KEY") {
			t.Errorf("query plan of %s: %s", q, p)
		}
	}
}
