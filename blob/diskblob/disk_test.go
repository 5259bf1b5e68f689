package diskblob_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cairnhq/cairn/blob"
	"github.com/cairnhq/cairn/blob/blobtest"
	"github.com/cairnhq/cairn/blob/diskblob"
)

func mustPut(t *testing.T, s blob.Store, key, data string) {
	t.Helper()
	if _, err := s.Put(context.Background(), key, strings.NewReader(data)); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, s blob.Store, key string) (string, error) {
	t.Helper()
	rc, err := s.Open(context.Background(), key, 0, -1)
	if err != nil {
		return "", err
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	return string(b), err
}

// TestLayout: a blob lives at objects/ab/<sha256 of the key>.k after a
// header naming its key, private to the owner; the 256 fan-out directories
// exist from the start.
func TestLayout(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	defer s.Close()
	mustPut(t, s, "bucket/some/key.txt", "data")
	sum := sha256.Sum256([]byte("bucket/some/key.txt"))
	h := hex.EncodeToString(sum[:])
	p := filepath.Join(dir, "objects", h[:2], h+".k")
	b, err := os.ReadFile(p)
	if want := "cairnkey\x00\x13bucket/some/key.txtdata"; err != nil || string(b) != want {
		t.Fatalf("%s: %q, %v", p, b, err)
	}
	for _, q := range []string{filepath.Join(dir, "objects"), filepath.Join(dir, "objects", "00"), filepath.Join(dir, "objects", "ff"), filepath.Dir(p), filepath.Join(dir, "tmp")} {
		if st, err := os.Stat(q); err != nil || st.Mode().Perm() != 0o700 {
			t.Errorf("%s: mode %v, %v; want 0700", q, st.Mode().Perm(), err)
		}
	}
	if st, _ := os.Stat(p); st.Mode().Perm() != 0o600 {
		t.Errorf("blob file mode %v, want 0600", st.Mode().Perm())
	}
	if f, err := os.ReadFile(filepath.Join(dir, "FORMAT")); err != nil || string(f) != "cairn diskblob 2\n" {
		t.Errorf("FORMAT = %q, %v", f, err)
	}
}

// TestNoKeyMaterialInNames: file names derive from hashes only.
func TestNoKeyMaterialInNames(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	const token = "f00dfeedcafe"
	for _, k := range blobtest.HostileKeys(token) {
		mustPut(t, s, k, "x")
	}
	s.Close()
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if strings.Contains(p, token) || strings.Contains(p, "escape") {
			t.Errorf("file name %s carries key material", p)
		}
		return err
	})
}

// TestTempFilesFromACrash: files a crash left in tmp/ are removed when the
// folder is opened, and never become blobs.
func TestTempFilesFromACrash(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	mustPut(t, s, "k", "old")
	s.Close()
	// What a crash between write and rename leaves: a full temp file, and
	// one cut short.
	for _, name := range []string{"put-123456", "put-crashed", "put-dir"} {
		p := filepath.Join(dir, "tmp", name)
		if name == "put-dir" {
			if err := os.MkdirAll(filepath.Join(p, "x"), 0o700); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(p, bytes.Repeat([]byte("partial"), 100000), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	s = open(t, dir)
	defer s.Close()
	ents, err := os.ReadDir(filepath.Join(dir, "tmp"))
	if err != nil || len(ents) != 0 {
		t.Fatalf("tmp/ after Open: %v, %v; want empty", ents, err)
	}
	if got, err := read(t, s, "k"); err != nil || got != "old" {
		t.Fatalf("k = %q, %v", got, err)
	}
	for _, k := range []string{"put-123456", "tmp/put-123456", "new"} {
		if _, err := s.Size(context.Background(), k); !errors.Is(err, blob.ErrNotFound) {
			t.Errorf("Size(%q): %v, want ErrNotFound", k, err)
		}
	}
	mustPut(t, s, "k", "new")
	mustPut(t, s, "new", "fresh")
	if got, _ := read(t, s, "k"); got != "new" {
		t.Errorf("k = %q after Put", got)
	}
}

func TestFolderLock(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	if _, err := diskblob.Open(dir); err == nil {
		t.Fatal("a second Store opened a folder in use")
	}
	mustPut(t, s, "k", "v")
	s.Close()
	s2 := open(t, dir)
	defer s2.Close()
	if got, err := read(t, s2, "k"); err != nil || got != "v" {
		t.Fatalf("after reopen: %q, %v", got, err)
	}
}

func TestUnknownFormat(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "FORMAT"), []byte("cairn diskblob 99\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if s, err := diskblob.Open(dir); err == nil {
		s.Close()
		t.Fatal("opened a folder of an unknown format")
	}
}

// TestRelativeDir: a relative folder is fixed at Open and keeps working
// when the working directory changes.
func TestRelativeDir(t *testing.T) {
	base := t.TempDir()
	t.Chdir(base)
	s := open(t, "blobs")
	defer s.Close()
	t.Chdir(t.TempDir())
	mustPut(t, s, "k", "v")
	if got, err := read(t, s, "k"); err != nil || got != "v" {
		t.Fatalf("%q, %v", got, err)
	}
	if _, err := os.Stat(filepath.Join(base, "blobs", "FORMAT")); err != nil {
		t.Fatal(err)
	}
}

// TestForeignFolder: a non-empty folder without FORMAT is not taken over
// (Open would clean its tmp/).
func TestForeignFolder(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o700); err != nil {
		t.Fatal(err)
	}
	precious := filepath.Join(dir, "tmp", "precious")
	if err := os.WriteFile(precious, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if s, err := diskblob.Open(dir); err == nil {
		s.Close()
		t.Fatal("took over a foreign folder")
	}
	if _, err := os.Stat(precious); err != nil {
		t.Fatalf("a file of the foreign folder is gone: %v", err)
	}
}
