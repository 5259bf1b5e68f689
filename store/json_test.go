package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
	"github.com/cairnhq/cairn/store/sqlite"
)

func TestJSONRecords(t *testing.T) {
	s, err := sqlite.Open(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	type rec struct{ Name string }
	err = s.Update(context.Background(), func(tx store.Tx) error {
		if err := store.InsertJSON(tx, "t", "k", rec{"a"}); err != nil {
			return err
		}
		if err := store.InsertJSON(tx, "t", "k", rec{"b"}); !errors.Is(err, cairn.ErrExists) {
			t.Errorf("second insert: %v, want ErrExists", err)
		}
		if err := store.PutJSON(tx, "t", "k", rec{"c"}); err != nil {
			return err
		}
		var got rec
		if err := store.GetJSON(tx, "t", "k", &got); err != nil || got.Name != "c" {
			t.Errorf("get = %+v, %v", got, err)
		}
		if err := store.GetJSON(tx, "t", "missing", &got); !errors.Is(err, cairn.ErrNotFound) {
			t.Errorf("missing: %v, want ErrNotFound", err)
		}
		if err := tx.Put("t", "bad", []byte("{")); err != nil {
			return err
		}
		if err := store.GetJSON(tx, "t", "bad", &got); err == nil || errors.Is(err, cairn.ErrNotFound) {
			t.Errorf("undecodable value: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
