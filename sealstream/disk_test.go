package sealstream_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/cairnhq/cairn/blob"
	"github.com/cairnhq/cairn/blob/diskblob"
	"github.com/cairnhq/cairn/sealstream"
)

var (
	dataKey = bytes.Repeat([]byte{7}, sealstream.KeySize)
	sample  = []byte("AUDITOR-VISIBLE-PLAINTEXT/0123456789/known-sample")
)

// putSealed stores the ciphertext of pt under key.
func putSealed(t testing.TB, s blob.Store, key string, pt io.Reader, aad []byte) int64 {
	t.Helper()
	sr, err := sealstream.NewSealingReader(pt, dataKey, aad)
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.Put(context.Background(), key, sr)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func getSealed(s blob.Store, key string, aad []byte, size, off, n int64) ([]byte, error) {
	open := func(o, l int64) (io.ReadCloser, error) { return s.Open(context.Background(), key, o, l) }
	r, err := sealstream.NewReader(open, dataKey, aad, size, off, n)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// TestAtRestOnDisk: sealed objects in a diskblob folder hold no plaintext,
// read back by range, and fail to authenticate when a byte on disk changes or
// the blob is read as another object.
func TestAtRestOnDisk(t *testing.T) {
	dir := t.TempDir()
	s, err := diskblob.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	pt := bytes.Repeat(sample, 3<<20/len(sample))
	aad := []byte("bucket/logs/2026/01/01/file.json.gz")
	n := putSealed(t, s, "obj-1", bytes.NewReader(pt), aad)
	if n != sealstream.CiphertextSize(int64(len(pt))) {
		t.Fatalf("stored %d bytes, CiphertextSize says %d", n, sealstream.CiphertextSize(int64(len(pt))))
	}
	putSealed(t, s, "obj-2", bytes.NewReader(sample), []byte("small"))

	// Grep the folder.
	files := 0
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files++
		for i := 0; i+12 <= len(sample); i++ {
			if bytes.Contains(b, sample[i:i+12]) {
				t.Errorf("%s contains plaintext %q", p, sample[i:i+12])
				break
			}
		}
		return nil
	})
	if files < 2 {
		t.Fatalf("found %d files", files)
	}

	size := int64(len(pt))
	for _, r := range [][2]int64{{0, -1}, {0, 1}, {size - 1, 1}, {size / 3, 200000}, {size, -1}} {
		got, err := getSealed(s, "obj-1", aad, size, r[0], r[1])
		want := pt[r[0]:]
		if r[1] >= 0 {
			want = want[:min(int64(len(want)), r[1])]
		}
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("range %v: %d bytes, %v", r, len(got), err)
		}
	}
	if _, err := getSealed(s, "obj-1", []byte("bucket/other"), size, 0, -1); !errors.Is(err, sealstream.ErrAuth) {
		t.Errorf("read as another object: %v, want ErrAuth", err)
	}
	if _, err := getSealed(s, "missing", aad, size, 0, -1); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("missing blob: %v, want blob.ErrNotFound", err)
	}

	// Flip one byte of the file on disk, in the second segment. The file
	// is the only one of at least n bytes: the store's header, then the
	// ciphertext.
	var file string
	var hdr int64
	filepath.WalkDir(filepath.Join(dir, "objects"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if st, _ := d.Info(); st.Size() >= n {
				file, hdr = p, st.Size()-n
			}
		}
		return err
	})
	f, err := os.OpenFile(file, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	at := hdr + int64(sealstream.HeaderSize+sealstream.DefaultSegmentSize+sealstream.TagSize+100)
	var b [1]byte
	f.ReadAt(b[:], at)
	b[0] ^= 1
	f.WriteAt(b[:], at)
	f.Close()
	got, err := getSealed(s, "obj-1", aad, size, 0, -1)
	if !errors.Is(err, sealstream.ErrAuth) || len(got) > sealstream.DefaultSegmentSize {
		t.Errorf("after flipping a byte on disk: %d bytes, %v; want at most the first segment, then ErrAuth", len(got), err)
	}
	if got, err := getSealed(s, "obj-1", aad, size, 0, 1000); err != nil || !bytes.Equal(got, pt[:1000]) {
		t.Errorf("a range before the damage: %v", err)
	}
}

// repeatReader yields size bytes cycling through a 1 MiB buffer.
type repeatReader struct {
	buf       []byte
	off, size int64
}

func newRepeat(size int64) *repeatReader {
	b := make([]byte, 1<<20)
	for i := range b {
		b[i] = byte(i*7 + i>>8)
	}
	return &repeatReader{buf: b, size: size}
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.off >= r.size {
		return 0, io.EOF
	}
	if rem := r.size - r.off; int64(len(p)) > rem {
		p = p[:rem]
	}
	n := 0
	for n < len(p) {
		n += copy(p[n:], r.buf[(r.off+int64(n))%int64(len(r.buf)):])
	}
	r.off += int64(n)
	return n, nil
}

// BenchmarkDisk1GiB: a 1 GiB object sealed into diskblob (Put) and read
// back decrypted (Get), what an S3 PUT and GET of it cost below the HTTP
// layer. maxrss-MiB is the process peak.
func BenchmarkDisk1GiB(b *testing.B) {
	const size = 1 << 30
	s, err := diskblob.Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	aad := []byte("bench")
	b.Run("Put", func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			putSealed(b, s, "big", newRepeat(size), aad)
		}
		b.ReportMetric(maxRSS(), "maxrss-MiB")
	})
	b.Run("Get", func(b *testing.B) {
		if _, err := s.Size(context.Background(), "big"); err != nil {
			putSealed(b, s, "big", newRepeat(size), aad)
		}
		open := func(o, l int64) (io.ReadCloser, error) { return s.Open(context.Background(), "big", o, l) }
		b.SetBytes(size)
		for b.Loop() {
			r, err := sealstream.NewReader(open, dataKey, aad, size, 0, -1)
			if err != nil {
				b.Fatal(err)
			}
			if n, err := io.Copy(io.Discard, r); err != nil || n != size {
				b.Fatal(n, err)
			}
			r.Close()
		}
		b.ReportMetric(maxRSS(), "maxrss-MiB")
	})
}
