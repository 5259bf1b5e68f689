package diskblob_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cairnhq/cairn/blob"
)

// v1Path returns where format 1 kept the blob of key.
func v1Path(dir, key string) string {
	sum := sha256.Sum256([]byte(key))
	h := hex.EncodeToString(sum[:])
	return filepath.Join(dir, "objects", h[:2], h)
}

// TestFormat1: a format-1 folder opens as format 2; its blobs (bytes with
// no header) stay readable, are replaced by a Put and removed by a Delete,
// and Walk, which cannot know their keys, skips them.
func TestFormat1(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "FORMAT"), []byte("cairn diskblob 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"old/kept", "old/replaced", "old/deleted"} {
		p := v1Path(dir, k)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("v1 bytes of "+k), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	s := open(t, dir)
	defer s.Close()
	if f, err := os.ReadFile(filepath.Join(dir, "FORMAT")); err != nil || string(f) != "cairn diskblob 2\n" {
		t.Errorf("FORMAT = %q, %v; want format 2", f, err)
	}
	if got, err := read(t, s, "old/kept"); err != nil || got != "v1 bytes of old/kept" {
		t.Fatalf("old/kept = %q, %v", got, err)
	}
	if n, err := s.Size(context.Background(), "old/kept"); err != nil || n != int64(len("v1 bytes of old/kept")) {
		t.Fatalf("Size(old/kept) = %d, %v", n, err)
	}
	mustPut(t, s, "old/replaced", "new")
	if got, err := read(t, s, "old/replaced"); err != nil || got != "new" {
		t.Fatalf("old/replaced = %q, %v", got, err)
	}
	if _, err := os.Stat(v1Path(dir, "old/replaced")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the format-1 file of a replaced blob: %v, want it gone", err)
	}
	if err := s.Delete(context.Background(), "old/deleted"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Size(context.Background(), "old/deleted"); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("Size(old/deleted) after Delete: %v, want ErrNotFound", err)
	}
	var keys []string
	err := s.Walk(context.Background(), func(k string, _ time.Time) error { keys = append(keys, k); return nil })
	if err != nil || len(keys) != 1 || keys[0] != "old/replaced" {
		t.Errorf("Walk = %q, %v; want only the blob written in format 2", keys, err)
	}
}
