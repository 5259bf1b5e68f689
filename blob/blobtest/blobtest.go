// Package blobtest is the conformance suite every blob.Store implementation
// must pass. Call Run from the implementation's tests with a constructor
// that returns a fresh, empty store, and RunDurable when the store keeps its
// state in a place it can be reopened from (a folder, a bucket prefix).
//
// The suite measures heap use while streaming a large blob, so do not run it
// in parallel with other tests of the same binary.
package blobtest

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"
	"unicode/utf8"

	"github.com/cairnhq/cairn/blob"
)

// Run runs the suite. open must return a new empty store; the suite closes
// it.
func Run(t *testing.T, open func(t *testing.T) blob.Store) {
	t.Run("PutOpenSizeDelete", func(t *testing.T) { testBasic(t, open(t)) })
	t.Run("Empty", func(t *testing.T) { testEmpty(t, open(t)) })
	t.Run("Ranges", func(t *testing.T) { testRanges(t, open(t)) })
	t.Run("Replace", func(t *testing.T) { testReplace(t, open(t)) })
	t.Run("SnapshotReads", func(t *testing.T) { testSnapshot(t, open(t)) })
	t.Run("InvalidKeys", func(t *testing.T) { testInvalidKeys(t, open(t)) })
	t.Run("HostileKeys", func(t *testing.T) { testHostileKeys(t, open(t)) })
	t.Run("FailingReader", func(t *testing.T) { testFailingReader(t, open(t)) })
	t.Run("Context", func(t *testing.T) { testContext(t, open(t)) })
	t.Run("ConcurrentKeys", func(t *testing.T) { testConcurrentKeys(t, open(t)) })
	t.Run("ConcurrentSameKey", func(t *testing.T) { testConcurrentSameKey(t, open(t)) })
	t.Run("LargeBoundedMemory", func(t *testing.T) { testLarge(t, open(t)) })
	t.Run("Close", func(t *testing.T) { testClose(t, open(t)) })
	t.Run("Walk", func(t *testing.T) { testWalk(t, open(t)) })
}

// content returns n deterministic pseudo-random bytes for seed.
func content(seed uint64, n int) []byte {
	b := make([]byte, n)
	fill(b, seed, 0)
	return b
}

// fill writes the bytes [off, off+len(b)) of the stream for seed into b.
// Byte i of the stream is byte i%8 of splitmix(seed, i/8), so any range can
// be produced without the bytes before it.
func fill(b []byte, seed uint64, off int64) {
	for len(b) > 0 {
		word := splitmix(seed ^ uint64(off/8)*0x9e3779b97f4a7c15)
		var w [8]byte
		binary.LittleEndian.PutUint64(w[:], word)
		n := copy(b, w[off%8:])
		b = b[n:]
		off += int64(n)
	}
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// genReader streams size bytes of the stream for seed without holding them.
type genReader struct {
	seed      uint64
	off, size int64
}

func (g *genReader) Read(p []byte) (int, error) {
	if g.off >= g.size {
		return 0, io.EOF
	}
	if rem := g.size - g.off; int64(len(p)) > rem {
		p = p[:rem]
	}
	fill(p, g.seed, g.off)
	g.off += int64(len(p))
	return len(p), nil
}

func put(t *testing.T, s blob.Store, key string, data []byte) {
	t.Helper()
	n, err := s.Put(context.Background(), key, bytes.NewReader(data))
	if err != nil {
		t.Fatalf("Put(%q): %v", short(key), err)
	}
	if n != int64(len(data)) {
		t.Fatalf("Put(%q) = %d, want %d", short(key), n, len(data))
	}
}

// get reads the whole blob, alternating between Read (io.ReadAll) and
// WriteTo (io.Copy) so that both paths of a reader are exercised.
func get(t *testing.T, s blob.Store, key string) ([]byte, error) {
	t.Helper()
	return getRange(s, key, 0, -1, false)
}

var flip atomic.Uint32

func getRange(s blob.Store, key string, off, n int64, copyFirst bool) ([]byte, error) {
	rc, err := s.Open(context.Background(), key, off, n)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	if copyFirst || flip.Add(1)%2 == 0 {
		var buf bytes.Buffer
		_, err := io.Copy(&buf, rc)
		return buf.Bytes(), err
	}
	return io.ReadAll(rc)
}

func mustGet(t *testing.T, s blob.Store, key string, want []byte) {
	t.Helper()
	got, err := get(t, s, key)
	if err != nil {
		t.Fatalf("Open(%q): %v", short(key), err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("Open(%q) returned %d bytes that differ from the %d put", short(key), len(got), len(want))
	}
	size, err := s.Size(context.Background(), key)
	if err != nil || size != int64(len(want)) {
		t.Fatalf("Size(%q) = %d, %v; want %d", short(key), size, err, len(want))
	}
}

func mustBeAbsent(t *testing.T, s blob.Store, key string) {
	t.Helper()
	ctx := context.Background()
	if rc, err := s.Open(ctx, key, 0, -1); !errors.Is(err, blob.ErrNotFound) {
		if err == nil {
			rc.Close()
		}
		t.Fatalf("Open(%q): %v, want ErrNotFound", short(key), err)
	}
	if _, err := s.Size(ctx, key); !errors.Is(err, blob.ErrNotFound) {
		t.Fatalf("Size(%q): %v, want ErrNotFound", short(key), err)
	}
}

func short(key string) string {
	if len(key) <= 40 {
		return key
	}
	cut := 40
	for cut > 0 && !utf8.RuneStart(key[cut]) {
		cut--
	}
	return fmt.Sprintf("%s…(%d bytes)", key[:cut], len(key))
}

func testBasic(t *testing.T, s blob.Store) {
	defer s.Close()
	ctx := context.Background()
	mustBeAbsent(t, s, "a")
	if err := s.Delete(ctx, "a"); !errors.Is(err, blob.ErrNotFound) {
		t.Fatalf("Delete of a missing key: %v, want ErrNotFound", err)
	}
	for i, n := range []int{1, 100, 256<<10 - 1, 256 << 10, 256<<10 + 1, 1<<20 + 17} {
		key := fmt.Sprintf("basic/%d", n)
		data := content(uint64(i), n)
		put(t, s, key, data)
		mustGet(t, s, key, data)
	}
	put(t, s, "a", []byte("hello"))
	mustGet(t, s, "a", []byte("hello"))
	if err := s.Delete(ctx, "a"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	mustBeAbsent(t, s, "a")
	if err := s.Delete(ctx, "a"); !errors.Is(err, blob.ErrNotFound) {
		t.Fatalf("second Delete: %v, want ErrNotFound", err)
	}
	// Other keys are untouched.
	mustGet(t, s, "basic/100", content(1, 100))
	// A blob put after a delete is a new blob.
	put(t, s, "a", []byte("again"))
	mustGet(t, s, "a", []byte("again"))
}

func testEmpty(t *testing.T, s blob.Store) {
	defer s.Close()
	put(t, s, "empty", nil)
	mustGet(t, s, "empty", []byte{})
	for _, r := range []struct{ off, n int64 }{{0, -1}, {0, 0}, {0, 10}} {
		got, err := getRange(s, "empty", r.off, r.n, false)
		if err != nil || len(got) != 0 {
			t.Errorf("Open(empty, %d, %d) = %d bytes, %v; want 0 bytes", r.off, r.n, len(got), err)
		}
	}
	for _, off := range []int64{1, -1} {
		if _, err := s.Open(context.Background(), "empty", off, -1); !errors.Is(err, blob.ErrRange) {
			t.Errorf("Open(empty, %d, -1): %v, want ErrRange", off, err)
		}
	}
}

func testRanges(t *testing.T, s blob.Store) {
	defer s.Close()
	const size = 600<<10 + 123 // crosses several 256 KiB buffers
	data := content(7, size)
	put(t, s, "r", data)
	type rng struct{ off, n int64 }
	cases := []rng{
		{0, 1}, {0, 0}, {0, -1}, {0, size}, {0, size + 1}, {0, 1 << 40},
		{size - 1, 1}, {size - 1, -1}, {size - 1, 100},
		{size / 2, 1000}, {size / 2, -1}, {size / 2, 0},
		{256<<10 - 3, 7}, {256 << 10, 256 << 10}, {256<<10 - 1, 256<<10 + 2},
		{size, -1}, {size, 0}, {size, 10},
		{1, size - 2}, {12345, 1<<20 + 1},
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 50 {
		off := r.Int64N(size + 1)
		n := r.Int64N(size+10) - 1 // includes -1 (to the end)
		cases = append(cases, rng{off, n})
	}
	for i, c := range cases {
		end := int64(size)
		if c.n >= 0 && c.off+c.n < end {
			end = c.off + c.n
		}
		want := data[c.off:end]
		got, err := getRange(s, "r", c.off, c.n, i%2 == 0)
		if err != nil {
			t.Fatalf("Open(r, %d, %d): %v", c.off, c.n, err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("Open(r, %d, %d): %d bytes, want %d bytes [%d:%d]", c.off, c.n, len(got), len(want), c.off, end)
		}
	}
	for _, c := range []rng{{size + 1, -1}, {size + 1, 0}, {1 << 40, 1}, {-1, 1}, {-1, -1}} {
		rc, err := s.Open(context.Background(), "r", c.off, c.n)
		if !errors.Is(err, blob.ErrRange) {
			if err == nil {
				rc.Close()
			}
			t.Errorf("Open(r, %d, %d): %v, want ErrRange", c.off, c.n, err)
		}
	}
	if _, err := s.Open(context.Background(), "missing", 5, 1); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("Open(missing, 5, 1): %v, want ErrNotFound", err)
	}
	// The standard reader checks, on a middle range.
	rc, err := s.Open(context.Background(), "r", 1000, 300<<10)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if err := iotest.TestReader(rc, data[1000:1000+300<<10]); err != nil {
		t.Errorf("iotest.TestReader: %v", err)
	}
}

func testReplace(t *testing.T, s blob.Store) {
	defer s.Close()
	big, small := content(1, 700<<10), content(2, 10)
	put(t, s, "k", big)
	put(t, s, "k", small)
	mustGet(t, s, "k", small)
	put(t, s, "k", big)
	mustGet(t, s, "k", big)
	put(t, s, "k", nil)
	mustGet(t, s, "k", []byte{})
}

// testSnapshot: a reader keeps reading the blob current when it was opened.
func testSnapshot(t *testing.T, s blob.Store) {
	defer s.Close()
	ctx := context.Background()
	old := content(3, 1<<20)
	put(t, s, "k", old)
	rc, err := s.Open(ctx, "k", 0, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	first := make([]byte, 1000)
	if _, err := io.ReadFull(rc, first); err != nil {
		t.Fatal(err)
	}
	put(t, s, "k", content(4, 2000))
	rest, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("reading on after a replace: %v", err)
	}
	if !bytes.Equal(append(first, rest...), old) {
		t.Fatal("a reader opened before a replace must read the old blob whole")
	}
	rc2, err := s.Open(ctx, "k", 0, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer rc2.Close()
	if err := s.Delete(ctx, "k"); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rc2)
	if err != nil || !bytes.Equal(got, content(4, 2000)) {
		t.Fatalf("a reader opened before a delete: %d bytes, %v", len(got), err)
	}
	mustBeAbsent(t, s, "k")
}

func testInvalidKeys(t *testing.T, s blob.Store) {
	defer s.Close()
	ctx := context.Background()
	for _, key := range []string{"", string(bytes.Repeat([]byte("a"), blob.MaxKeyLen+1)), "\xff", "a\xc3", "\xed\xa0\x80"} {
		if _, err := s.Put(ctx, key, bytes.NewReader([]byte("x"))); !errors.Is(err, blob.ErrInvalidKey) {
			t.Errorf("Put(%q): %v, want ErrInvalidKey", short(key), err)
		}
		if _, err := s.Open(ctx, key, 0, -1); !errors.Is(err, blob.ErrInvalidKey) {
			t.Errorf("Open(%q): %v, want ErrInvalidKey", short(key), err)
		}
		if _, err := s.Size(ctx, key); !errors.Is(err, blob.ErrInvalidKey) {
			t.Errorf("Size(%q): %v, want ErrInvalidKey", short(key), err)
		}
		if err := s.Delete(ctx, key); !errors.Is(err, blob.ErrInvalidKey) {
			t.Errorf("Delete(%q): %v, want ErrInvalidKey", short(key), err)
		}
	}
}

// HostileKeys returns keys that would escape or collide in a store that
// used keys as paths, each containing token (when it has room) so that a
// file created from one can be found. All are valid keys and all are
// distinct.
func HostileKeys(token string) []string {
	e := "escape-" + token
	long := func(unit string, n int) string {
		var b bytes.Buffer
		for b.Len()+len(unit) <= n {
			b.WriteString(unit)
		}
		for b.Len() < n {
			b.WriteByte('x')
		}
		return b.String()
	}
	return []string{
		"../" + e, "../../" + e, "../../../../../../../../../../tmp/" + e,
		"/tmp/" + e, "/" + e, "//" + e, "a/../../" + e, "./../" + e,
		`..\..\` + e, `C:\` + e, `\\server\share\` + e, `..\/..\/` + e,
		e + "\x00.txt", "\x00", "\x00/../" + e, "a\x00b",
		".", "..", "...", "/", "//", "./", "../", "a/", "a//b", "a/./b", "a/b/..", " ", "a ", "a.",
		"%2e%2e%2f" + e, "..%2f" + e, "%00",
		"\u2024\u2024/" + e,      // one dot leaders
		"\uff0e\uff0e\uff0f" + e, // fullwidth ../
		"\u00e9", "e\u0301",      // é NFC and NFD
		"\u00c5", "\u212b", "A\u030a", // Å three ways
		"A", "a", "\ufeff", "\u200b", "\r\n", "\t",
		"con", "NUL", "aux.txt", "com1", "LOCK", "FORMAT", "objects", "tmp", "tmp/put-1", "objects/../tmp",
		long("a", 300), long("../", blob.MaxKeyLen), long("\u20ac", blob.MaxKeyLen), long("/", blob.MaxKeyLen),
		long("\U0001F600", blob.MaxKeyLen),
	}
}

func testHostileKeys(t *testing.T, s blob.Store) {
	defer s.Close()
	keys := HostileKeys("blobtest")
	seen := map[string]bool{}
	for i, k := range keys {
		if seen[k] {
			t.Fatalf("HostileKeys has %q twice", k)
		}
		seen[k] = true
		if err := blob.ValidKey(k); err != nil {
			t.Fatalf("hostile key %q: %v", short(k), err)
		}
		put(t, s, k, content(uint64(i), 100+i))
	}
	for i, k := range keys {
		mustGet(t, s, k, content(uint64(i), 100+i))
	}
	for i, k := range keys {
		if i%2 == 0 {
			if err := s.Delete(context.Background(), k); err != nil {
				t.Fatalf("Delete(%q): %v", short(k), err)
			}
		}
	}
	for i, k := range keys {
		if i%2 == 0 {
			mustBeAbsent(t, s, k)
		} else {
			mustGet(t, s, k, content(uint64(i), 100+i))
		}
	}
}

// failingReader returns n bytes of content, then err.
type failingReader struct {
	r   io.Reader
	n   int64
	err error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, f.err
	}
	if int64(len(p)) > f.n {
		p = p[:f.n]
	}
	n, err := f.r.Read(p)
	f.n -= int64(n)
	return n, err
}

func testFailingReader(t *testing.T, s blob.Store) {
	defer s.Close()
	ctx := context.Background()
	boom := errors.New("boom")
	old := content(5, 1000)
	put(t, s, "old", old)
	for _, failAt := range []int64{0, 1, 256 << 10, 3<<20 + 5} {
		for _, ferr := range []error{boom, io.ErrUnexpectedEOF} {
			for _, key := range []string{"new", "old"} {
				r := &failingReader{r: &genReader{seed: 9, size: 1 << 30}, n: failAt, err: ferr}
				if _, err := s.Put(ctx, key, r); !errors.Is(err, ferr) {
					t.Fatalf("Put(%s) from a reader failing after %d bytes with %v: %v, want that error", key, failAt, ferr, err)
				}
			}
			mustBeAbsent(t, s, "new")
			mustGet(t, s, "old", old)
		}
	}
	// The store is still usable for those keys.
	put(t, s, "new", []byte("fine"))
	mustGet(t, s, "new", []byte("fine"))
}

// cancelReader cancels its context after n bytes and keeps returning data.
type cancelReader struct {
	r      io.Reader
	n      int64
	cancel context.CancelFunc
}

func (c *cancelReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n -= int64(n)
	if c.n <= 0 {
		c.cancel()
	}
	return n, err
}

func testContext(t *testing.T, s blob.Store) {
	defer s.Close()
	put(t, s, "old", []byte("old"))
	for _, key := range []string{"new", "old"} {
		ctx, cancel := context.WithCancel(context.Background())
		r := &cancelReader{r: &genReader{seed: 1, size: 64 << 20}, n: 1 << 20, cancel: cancel}
		if _, err := s.Put(ctx, key, r); !errors.Is(err, context.Canceled) {
			t.Fatalf("Put(%s) cancelled midway: %v, want context.Canceled", key, err)
		}
		cancel()
	}
	mustBeAbsent(t, s, "new")
	mustGet(t, s, "old", []byte("old"))

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Put(ctx, "new", bytes.NewReader([]byte("x"))); !errors.Is(err, context.Canceled) {
		t.Errorf("Put with a done context: %v", err)
	}
	if _, err := s.Open(ctx, "old", 0, -1); !errors.Is(err, context.Canceled) {
		t.Errorf("Open with a done context: %v", err)
	}
	if _, err := s.Size(ctx, "old"); !errors.Is(err, context.Canceled) {
		t.Errorf("Size with a done context: %v", err)
	}
	if err := s.Delete(ctx, "old"); !errors.Is(err, context.Canceled) {
		t.Errorf("Delete with a done context: %v", err)
	}
	mustBeAbsent(t, s, "new")
	mustGet(t, s, "old", []byte("old"))
}

func testConcurrentKeys(t *testing.T, s blob.Store) {
	defer s.Close()
	const workers, rounds = 16, 8
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			ctx := context.Background()
			for r := range rounds {
				key := fmt.Sprintf("w%d/k%d", w, r%3)
				data := content(uint64(w*1000+r), 1000+w*r*997)
				if _, err := s.Put(ctx, key, bytes.NewReader(data)); err != nil {
					errs <- err
					return
				}
				got, err := getRange(s, key, 0, -1, r%2 == 0)
				if err != nil || !bytes.Equal(got, data) {
					errs <- fmt.Errorf("worker %d round %d: read back %d bytes, %v", w, r, len(got), err)
					return
				}
				if r%4 == 3 {
					if err := s.Delete(ctx, key); err != nil {
						errs <- err
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// version returns blob number v of the same-key test: 8 bytes of v, then
// bytes of the stream for v; sizes vary from a few bytes to 600 KiB.
func version(v uint64) []byte {
	n := 8 + int(splitmix(v)%(600<<10))
	b := content(v, n)
	binary.LittleEndian.PutUint64(b, v)
	return b
}

func testConcurrentSameKey(t *testing.T, s blob.Store) {
	defer s.Close()
	const writers, readers, puts = 4, 4, 12
	ctx := context.Background()
	var wg sync.WaitGroup
	var done atomic.Bool
	var reads atomic.Int64
	errs := make(chan error, writers+readers+1)
	for w := range writers {
		wg.Go(func() {
			for i := range puts {
				v := uint64(w*puts + i + 1)
				if _, err := s.Put(ctx, "same", bytes.NewReader(version(v))); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Go(func() { // a deleter
		for range puts {
			if err := s.Delete(ctx, "same"); err != nil && !errors.Is(err, blob.ErrNotFound) {
				errs <- err
				return
			}
			time.Sleep(time.Millisecond)
		}
	})
	var rwg sync.WaitGroup
	for r := range readers {
		rwg.Go(func() {
			for i := 0; !done.Load() || i < 3; i++ {
				got, err := getRange(s, "same", 0, -1, (r+i)%2 == 0)
				if errors.Is(err, blob.ErrNotFound) {
					continue
				}
				if err != nil {
					errs <- err
					return
				}
				reads.Add(1)
				if len(got) < 8 || !bytes.Equal(got, version(binary.LittleEndian.Uint64(got))) {
					errs <- fmt.Errorf("a reader saw %d bytes that are no whole version", len(got))
					return
				}
			}
		})
	}
	wg.Wait()
	done.Store(true)
	rwg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	t.Logf("%d whole reads during %d puts", reads.Load(), writers*puts)
}

// heapSampler records the peak of live heap objects while it runs.
type heapSampler struct {
	stop chan struct{}
	done chan struct{}
	peak uint64
}

const heapMetric = "/memory/classes/heap/objects:bytes"

func heapObjects() uint64 {
	s := []metrics.Sample{{Name: heapMetric}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

func startHeapSampler() *heapSampler {
	h := &heapSampler{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(h.done)
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			h.peak = max(h.peak, heapObjects())
			select {
			case <-h.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return h
}

func (h *heapSampler) Stop() uint64 {
	close(h.stop)
	<-h.done
	return max(h.peak, heapObjects())
}

// LargeSize is the blob size of the bounded-memory test (in -short mode,
// 1/16 of it).
const LargeSize = 256 << 20

// maxHeapGrowth is how far live heap objects may grow above the baseline
// while a LargeSize blob streams in or out.
const maxHeapGrowth = 32 << 20

func testLarge(t *testing.T, s blob.Store) {
	defer s.Close()
	size := int64(LargeSize)
	if testing.Short() {
		size /= 16
	}
	ctx := context.Background()
	measure := func(what string, fn func() error) {
		t.Helper()
		runtime.GC()
		var ms0, ms1 runtime.MemStats
		runtime.ReadMemStats(&ms0)
		base := heapObjects()
		h := startHeapSampler()
		start := time.Now()
		err := fn()
		elapsed := time.Since(start)
		peak := h.Stop()
		runtime.ReadMemStats(&ms1)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		growth := int64(peak) - int64(base)
		t.Logf("%s %d MiB: %.0f MB/s, heap growth %.1f MiB, allocated %.1f MiB",
			what, size>>20, float64(size)/elapsed.Seconds()/1e6, float64(growth)/(1<<20), float64(ms1.TotalAlloc-ms0.TotalAlloc)/(1<<20))
		if growth > maxHeapGrowth {
			t.Errorf("%s of %d MiB grew the heap by %d MiB (peak), want at most %d MiB", what, size>>20, growth>>20, maxHeapGrowth>>20)
		}
	}
	measure("Put", func() error {
		n, err := s.Put(ctx, "large", &genReader{seed: 42, size: size})
		if err == nil && n != size {
			err = fmt.Errorf("Put = %d, want %d", n, size)
		}
		return err
	})
	verify := func(rc io.ReadCloser, off, n int64, viaCopy bool) error {
		defer rc.Close()
		v := &verifier{seed: 42, off: off}
		var err error
		if viaCopy {
			_, err = io.Copy(v, rc)
		} else {
			_, err = io.CopyBuffer(v, struct{ io.Reader }{rc}, make([]byte, 64<<10))
		}
		if err == nil && v.off != off+n {
			err = fmt.Errorf("read %d bytes, want %d", v.off-off, n)
		}
		return err
	}
	measure("Open+Copy", func() error {
		rc, err := s.Open(ctx, "large", 0, -1)
		if err != nil {
			return err
		}
		return verify(rc, 0, size, true)
	})
	measure("Open+Read", func() error {
		rc, err := s.Open(ctx, "large", 0, -1)
		if err != nil {
			return err
		}
		return verify(rc, 0, size, false)
	})
	off, n := size/2+3, size/4
	rc, err := s.Open(ctx, "large", off, n)
	if err != nil {
		t.Fatal(err)
	}
	if err := verify(rc, off, n, true); err != nil {
		t.Fatalf("range of the large blob: %v", err)
	}
	if err := s.Delete(ctx, "large"); err != nil {
		t.Fatal(err)
	}
}

// verifier checks that what is written to it is the stream for seed from
// off on.
type verifier struct {
	seed uint64
	off  int64
	buf  []byte
}

func (v *verifier) Write(p []byte) (int, error) {
	if cap(v.buf) < len(p) {
		v.buf = make([]byte, len(p))
	}
	want := v.buf[:len(p)]
	fill(want, v.seed, v.off)
	if !bytes.Equal(p, want) {
		return 0, fmt.Errorf("bytes at %d differ from what was put", v.off)
	}
	v.off += int64(len(p))
	return len(p), nil
}

func testClose(t *testing.T, s blob.Store) {
	ctx := context.Background()
	put(t, s, "k", []byte("v"))
	rc, err := s.Open(ctx, "k", 0, -1)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	got, err := io.ReadAll(rc)
	if err != nil || string(got) != "v" {
		t.Errorf("a reader opened before Close: %q, %v", got, err)
	}
	rc.Close()
	if _, err := s.Put(ctx, "k", bytes.NewReader(nil)); !errors.Is(err, blob.ErrClosed) {
		t.Errorf("Put after Close: %v, want ErrClosed", err)
	}
	if _, err := s.Open(ctx, "k", 0, -1); !errors.Is(err, blob.ErrClosed) {
		t.Errorf("Open after Close: %v, want ErrClosed", err)
	}
	if _, err := s.Size(ctx, "k"); !errors.Is(err, blob.ErrClosed) {
		t.Errorf("Size after Close: %v, want ErrClosed", err)
	}
	if err := s.Delete(ctx, "k"); !errors.Is(err, blob.ErrClosed) {
		t.Errorf("Delete after Close: %v, want ErrClosed", err)
	}
}
