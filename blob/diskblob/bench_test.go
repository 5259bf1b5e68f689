package diskblob_test

import (
	"context"
	"fmt"
	"io"
	"sync/atomic"
	"testing"

	"github.com/cairnhq/cairn/blob/diskblob"
)

// repeatReader yields size bytes cycling through a fixed buffer, so that
// the source costs next to nothing.
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

func benchStore(b *testing.B) *diskblob.Store {
	s, err := diskblob.Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

const gib = 1 << 30

// BenchmarkPut1GiB: one 1 GiB blob, write + fsync + rename.
func BenchmarkPut1GiB(b *testing.B) {
	s := benchStore(b)
	b.SetBytes(gib)
	for b.Loop() {
		if _, err := s.Put(context.Background(), "big", newRepeat(gib)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpen1GiB: io.Copy of a 1 GiB blob to io.Discard (page cache warm
// from the Put).
func BenchmarkOpen1GiB(b *testing.B) {
	s := benchStore(b)
	if _, err := s.Put(context.Background(), "big", newRepeat(gib)); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(gib)
	for b.Loop() {
		rc, err := s.Open(context.Background(), "big", 0, -1)
		if err != nil {
			b.Fatal(err)
		}
		if n, err := io.Copy(io.Discard, rc); err != nil || n != gib {
			b.Fatal(n, err)
		}
		rc.Close()
	}
}

// BenchmarkSmall: 4 KiB blobs, 32 goroutines. PutNew puts new keys into a
// new folder, so most Puts also create their fan-out directory; Put
// replaces existing keys; Open reads them.
func BenchmarkSmall(b *testing.B) {
	for _, op := range []string{"PutNew", "Put", "Open"} {
		b.Run(op, func(b *testing.B) {
			s := benchStore(b)
			data := newRepeat(4096).buf[:4096]
			const keys = 10000
			if op != "PutNew" {
				for i := range keys {
					if _, err := s.Put(context.Background(), fmt.Sprint("k", i), &repeatReader{buf: data, size: 4096}); err != nil {
						b.Fatal(err)
					}
				}
			}
			var next atomic.Int64
			b.SetBytes(4096)
			b.SetParallelism(16) // 16 × GOMAXPROCS(2) = 32 goroutines
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				buf := make([]byte, 8192)
				for pb.Next() {
					key := fmt.Sprint("k", next.Add(1)%keys)
					if op != "Open" {
						if _, err := s.Put(context.Background(), key, &repeatReader{buf: data, size: 4096}); err != nil {
							b.Error(err)
							return
						}
						continue
					}
					rc, err := s.Open(context.Background(), key, 0, -1)
					if err != nil {
						b.Error(err)
						return
					}
					if n, err := io.ReadFull(rc, buf[:4096]); err != nil || n != 4096 {
						b.Error(n, err)
					}
					rc.Close()
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
		})
	}
}
