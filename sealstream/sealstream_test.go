package sealstream

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
	"testing/iotest"
	"testing/quick"
)

func testKey(i byte) []byte {
	k := make([]byte, KeySize)
	for j := range k {
		k[j] = i + byte(j)*31
	}
	return k
}

var (
	key1 = testKey(1)
	key2 = testKey(2)
	aad1 = []byte("arn:aws:s3:::bucket/key\x00version-1")
)

func plaintext(seed uint64, n int) []byte {
	b := make([]byte, n)
	r := rand.New(rand.NewPCG(seed, 99))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// seal encrypts pt with a Writer of segment size segSize in one Write.
func seal(t testing.TB, pt []byte, segSize int, key, aad []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := newWriter(&buf, key, aad, segSize)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(pt); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// store serves a ciphertext the way blob.Store.Open does and counts the
// bytes read through it.
type store struct {
	ct    []byte
	opens int
	read  int64
	err   error // returned by open when set
}

var errPastEnd = errors.New("test store: offset past the end")

func (s *store) open(off, n int64) (io.ReadCloser, error) {
	s.opens++
	if s.err != nil {
		return nil, s.err
	}
	if off < 0 || off > int64(len(s.ct)) {
		return nil, errPastEnd
	}
	end := int64(len(s.ct))
	if n >= 0 && off+n < end {
		end = off + n
	}
	return io.NopCloser(&countReader{r: bytes.NewReader(s.ct[off:end]), n: &s.read}), nil
}

type countReader struct {
	r io.Reader
	n *int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	*c.n += int64(n)
	return n, err
}

// readRange returns what a reader of [off, off+n) yields before its first
// error, and that error (nil at a clean end).
func readRange(s *store, key, aad []byte, size, off, n int64) ([]byte, error) {
	r, err := NewReader(s.open, key, aad, size, off, n)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

func wantRange(t *testing.T, pt []byte, off, n int64) []byte {
	t.Helper()
	end := int64(len(pt))
	if n >= 0 && off+n < end {
		end = off + n
	}
	return pt[off:end]
}

func TestRoundTrip(t *testing.T) {
	const S = DefaultSegmentSize
	for _, size := range []int{0, 1, 100, S - 1, S, S + 1, 2 * S, 2*S + 1, 3*S - 1, 5<<20 + 3} {
		pt := plaintext(uint64(size), size)
		r := rand.New(rand.NewPCG(uint64(size), 1))
		ways := map[string]func() []byte{
			"WriterOneWrite": func() []byte { return seal(t, pt, S, key1, aad1) },
			"WriterChunks": func() []byte {
				var buf bytes.Buffer
				w, _ := NewWriter(&buf, key1, aad1)
				for rest := pt; len(rest) > 0; {
					k := min(len(rest), 1+r.IntN(3*S))
					if n, err := w.Write(rest[:k]); err != nil || n != k {
						t.Fatal(n, err)
					}
					rest = rest[k:]
				}
				if err := w.Close(); err != nil {
					t.Fatal(err)
				}
				return buf.Bytes()
			},
			"WriterReadFrom": func() []byte {
				var buf bytes.Buffer
				w, _ := NewWriter(&buf, key1, aad1)
				src := io.Reader(iotest.HalfReader(bytes.NewReader(pt)))
				if n, err := io.Copy(w, src); err != nil || n != int64(size) {
					t.Fatal(n, err)
				}
				if err := w.Close(); err != nil {
					t.Fatal(err)
				}
				return buf.Bytes()
			},
			"SealingReaderRead": func() []byte {
				sr, _ := NewSealingReader(iotest.HalfReader(bytes.NewReader(pt)), key1, aad1)
				b, err := io.ReadAll(iotest.HalfReader(sr))
				if err != nil {
					t.Fatal(err)
				}
				return b
			},
			"SealingReaderWriteTo": func() []byte {
				sr, _ := NewSealingReader(bytes.NewReader(pt), key1, aad1)
				var buf bytes.Buffer
				if _, err := io.Copy(&buf, sr); err != nil {
					t.Fatal(err)
				}
				return buf.Bytes()
			},
		}
		for name, sealFn := range ways {
			ct := sealFn()
			if int64(len(ct)) != CiphertextSize(int64(size)) {
				t.Fatalf("%s %d: ciphertext %d bytes, CiphertextSize says %d", name, size, len(ct), CiphertextSize(int64(size)))
			}
			if ct[0] != Version || binary.BigEndian.Uint32(ct[1:5]) != S {
				t.Fatalf("%s %d: header % x", name, size, ct[:HeaderSize])
			}
			s := &store{ct: ct}
			got, err := readRange(s, key1, aad1, int64(size), 0, -1)
			if err != nil || !bytes.Equal(got, pt) {
				t.Fatalf("%s %d: read %d bytes, %v", name, size, len(got), err)
			}
			if s.opens != 1 || s.read != int64(len(ct)) {
				t.Errorf("%s %d: a full read took %d opens and %d bytes of %d", name, size, s.opens, s.read, len(ct))
			}
		}
	}
}

// TestSealingReaderMatchesWriter: the pull and push forms write the same
// bytes.
func TestSealingReaderMatchesWriter(t *testing.T) {
	defer fixPrefix(t, []byte("PREFIX!!"))()
	for _, size := range []int{0, 1, 63, 64, 65, 640, 1000} {
		for _, seg := range []int{1, 7, 64} {
			pt := plaintext(uint64(size), size)
			want := seal(t, pt, seg, key1, aad1)
			sr, err := newSealingReader(iotest.OneByteReader(bytes.NewReader(pt)), key1, aad1, seg)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(sr)
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("size %d seg %d: sealing reader differs from Writer (%v)", size, seg, err)
			}
		}
	}
}

func fixPrefix(t *testing.T, prefix []byte) func() {
	old := randRead
	randRead = func(b []byte) (int, error) { return copy(b, prefix), nil }
	return func() { randRead = old }
}

// TestFormat rebuilds the ciphertext from the format described in the
// package documentation with crypto/cipher directly.
func TestFormat(t *testing.T) {
	prefix := []byte{1, 2, 3, 4, 5, 6, 7, 8}
	defer fixPrefix(t, prefix)()
	for _, c := range []struct {
		pt  string
		seg int
	}{{"", 4}, {"abc", 4}, {"abcd", 4}, {"abcde", 4}, {"hello, cairn: segmented", 5}, {"x", DefaultSegmentSize}} {
		got := seal(t, []byte(c.pt), c.seg, key1, aad1)

		block, _ := aes.NewCipher(key1)
		gcm, _ := cipher.NewGCM(block)
		header := append([]byte{1, 0, 0, 0, 0}, prefix...)
		binary.BigEndian.PutUint32(header[1:5], uint32(c.seg))
		want := append([]byte(nil), header...)
		pt := []byte(c.pt)
		for i := 0; ; i++ {
			chunk := pt[:min(c.seg, len(pt))]
			pt = pt[len(chunk):]
			final := len(pt) == 0
			nonce := binary.BigEndian.AppendUint32(append([]byte(nil), prefix...), uint32(i))
			ad := binary.BigEndian.AppendUint64(append([]byte(nil), header...), uint64(i))
			if final {
				ad = append(ad, 1)
			} else {
				ad = append(ad, 0)
			}
			ad = append(ad, aad1...)
			want = gcm.Seal(want, nonce, chunk, ad)
			if final {
				break
			}
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%q in segments of %d:\n got % x\nwant % x", c.pt, c.seg, got, want)
		}
	}
}

// TestEveryRange reads every range of objects of every size up to a few
// segments, with tiny segments, and checks that only the header and the
// segments of the range are read.
func TestEveryRange(t *testing.T) {
	ranges := 0
	for _, seg := range []int{1, 2, 7, 16} {
		for size := 0; size <= 4*seg+3; size++ {
			pt := plaintext(uint64(size*100+seg), size)
			ct := seal(t, pt, seg, key1, aad1)
			count := segments(int64(size), seg)
			for off := int64(0); off <= int64(size); off++ {
				for n := int64(-1); n <= int64(size)-off+2; n++ {
					ranges++
					s := &store{ct: ct}
					got, err := readRange(s, key1, aad1, int64(size), off, n)
					want := wantRange(t, pt, off, n)
					if err != nil || !bytes.Equal(got, want) {
						t.Fatalf("seg %d size %d [%d,+%d): got %q, %v; want %q", seg, size, off, n, got, err, want)
					}
					m := int64(len(want))
					first := min(off/int64(seg), count-1)
					last := first
					if m > 0 {
						last = (off + m - 1) / int64(seg)
					}
					var segBytes int64
					for i := first; i <= last; i++ {
						segBytes += segLen(int64(size), seg, count, i) + TagSize
					}
					if s.read != HeaderSize+segBytes {
						t.Fatalf("seg %d size %d [%d,+%d): read %d ciphertext bytes, want header + segments %d..%d = %d",
							seg, size, off, n, s.read, first, last, HeaderSize+segBytes)
					}
				}
			}
			for _, off := range []int64{-1, int64(size) + 1, 1 << 50} {
				if _, err := NewReader((&store{ct: ct}).open, key1, aad1, int64(size), off, -1); !errors.Is(err, ErrRange) {
					t.Fatalf("seg %d size %d off %d: %v, want ErrRange", seg, size, off, err)
				}
			}
		}
	}
	t.Logf("%d ranges", ranges)
}

// A default-segment object of a few MiB shared by range tests.
var (
	bigSize = int64(5<<20 + 12345)
	bigPT   []byte
	bigCT   []byte
)

func big(t testing.TB) []byte {
	if bigCT == nil {
		bigPT = plaintext(5, int(bigSize))
		bigCT = seal(t, bigPT, DefaultSegmentSize, key1, aad1)
	}
	return bigCT
}

// checkRange reads [off, off+n) of the big object and checks the bytes, the
// opens and the ciphertext bytes read.
func checkRange(t *testing.T, off, n int64) error {
	const S = DefaultSegmentSize
	s := &store{ct: big(t)}
	got, err := readRange(s, key1, aad1, bigSize, off, n)
	if err != nil {
		return err
	}
	want := wantRange(t, bigPT, off, n)
	if !bytes.Equal(got, want) {
		return fmt.Errorf("[%d,+%d): %d bytes differ from the %d wanted", off, n, len(got), len(want))
	}
	l := layoutOf(bigSize, S, off, int64(len(want)))
	wantOpens, wantRead := 2, HeaderSize+l.ctEnd-(HeaderSize+l.first*(S+TagSize))
	if l.first == 0 {
		wantOpens, wantRead = 1, l.ctEnd
	}
	if s.opens != wantOpens || s.read != wantRead {
		return fmt.Errorf("[%d,+%d): %d opens, %d bytes read; want %d, %d", off, n, s.opens, s.read, wantOpens, wantRead)
	}
	return nil
}

func TestRanges(t *testing.T) {
	const S = DefaultSegmentSize
	P := bigSize
	for _, c := range []struct {
		name   string
		off, n int64
	}{
		{"first byte", 0, 1}, {"last byte", P - 1, 1}, {"last byte to the end", P - 1, -1},
		{"middle", P / 2, 1000}, {"whole", 0, -1}, {"whole, n = size", 0, P}, {"n past the end", 10, P},
		{"one segment", 3 * S, S}, {"segment boundary", 3*S - 1, 2}, {"two segments exactly", S, 2 * S},
		{"last segment", (P / S) * S, -1}, {"empty at the end", P, -1}, {"empty at the end, n", P, 5},
		{"empty in the middle", P / 2, 0}, {"empty at the start", 0, 0}, {"from a boundary to the end", 40 * S, -1},
	} {
		if err := checkRange(t, c.off, c.n); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	for _, off := range []int64{-1, P + 1} {
		if _, err := NewReader((&store{ct: big(t)}).open, key1, aad1, P, off, 1); !errors.Is(err, ErrRange) {
			t.Errorf("offset %d: %v, want ErrRange", off, err)
		}
	}
}

func TestRandomRanges(t *testing.T) {
	f := func(a, b uint64) bool {
		off := int64(a % uint64(bigSize+1))
		n := int64(b%uint64(bigSize+2)) - 1
		if b%4 == 0 {
			n = int64(b % (3 * DefaultSegmentSize)) // short ranges more often
		}
		if err := checkRange(t, off, n); err != nil {
			t.Error(err)
			return false
		}
		return true
	}
	if err := quick.Check(f, &quick.Config{MaxCount: 300, Rand: nil}); err != nil {
		t.Error(err)
	}
}

// readAll reads the whole object and returns what came out before the
// error.
func readAll(ct []byte, key, aad []byte, size int64) ([]byte, error) {
	return readRange(&store{ct: ct}, key, aad, size, 0, -1)
}

// mustFail checks that reading fails with ErrAuth and that every byte
// returned before the failure is authentic plaintext from before byte
// limit.
func mustFail(t *testing.T, what string, ct, key, aad, pt []byte, size int64, limit int) {
	t.Helper()
	got, err := readAll(ct, key, aad, size)
	if !errors.Is(err, ErrAuth) {
		t.Fatalf("%s: read %d bytes, %v; want ErrAuth", what, len(got), err)
	}
	if len(got) > limit || !bytes.Equal(got, pt[:len(got)]) {
		t.Fatalf("%s: returned %d bytes before ErrAuth, allowed %d authentic ones", what, len(got), limit)
	}
}

// TestTamperEveryByte flips bits in every byte of small multi-segment
// ciphertexts.
func TestTamperEveryByte(t *testing.T) {
	flips := 0
	for _, c := range []struct{ seg, size int }{{16, 50}, {16, 48}, {16, 0}, {16, 5}, {1, 3}} {
		pt := plaintext(7, c.size)
		ct := seal(t, pt, c.seg, key1, aad1)
		count := segments(int64(c.size), c.seg)
		for i := range ct {
			for _, bit := range []byte{0x01, 0x80} {
				flips++
				bad := bytes.Clone(ct)
				bad[i] ^= bit
				// Plaintext bytes that precede the tampered segment may
				// be returned; none of its own or later ones.
				limit := 0
				if i >= HeaderSize {
					limit = (i - HeaderSize) / (c.seg + TagSize) * c.seg
				}
				mustFail(t, fmt.Sprintf("seg %d size %d byte %d^%#x", c.seg, c.size, i, bit), bad, key1, aad1, pt, int64(c.size), limit)
				// A range that avoids the tampered segment still reads
				// (random access), unless the header was hit.
				if i >= HeaderSize && count > 1 {
					hit := int64(i-HeaderSize) / int64(c.seg+TagSize)
					other := (hit + 1) % count
					off := other * int64(c.seg)
					n := segLen(int64(c.size), c.seg, count, other)
					got, err := readRange(&store{ct: bad}, key1, aad1, int64(c.size), off, n)
					if err != nil || !bytes.Equal(got, pt[off:off+n]) {
						t.Fatalf("segment %d after tampering with segment %d: %v", other, hit, err)
					}
				}
			}
		}
	}
	t.Logf("%d bit flips", flips)
}

func TestTamperRegions(t *testing.T) {
	const S = DefaultSegmentSize
	P := int64(3*S + 1000)
	pt := plaintext(1, int(P))
	ct := seal(t, pt, S, key1, aad1)
	segStart := func(i int) int { return HeaderSize + i*(S+TagSize) }
	for _, c := range []struct {
		name  string
		at    int
		limit int
	}{
		{"version", 0, 0}, {"segment size", 3, 0}, {"nonce prefix", 5, 0}, {"last header byte", HeaderSize - 1, 0},
		{"first ciphertext byte", HeaderSize, 0}, {"tag of segment 0", segStart(1) - 1, 0},
		{"middle of segment 1", segStart(1) + S/2, S}, {"tag of segment 1", segStart(2) - 7, S},
		{"start of segment 2", segStart(2), 2 * S}, {"final segment", segStart(3) + 10, 3 * S},
		{"final tag", len(ct) - 1, 3 * S},
	} {
		bad := bytes.Clone(ct)
		bad[c.at] ^= 0x10
		mustFail(t, c.name, bad, key1, aad1, pt, P, c.limit)
	}
	// The segment size in the header, set to every other plausible value.
	for _, seg := range []uint32{0, 1, S / 2, S - 1, S + 1, 2 * S, MaxSegmentSize, MaxSegmentSize + 1, 1<<32 - 1} {
		bad := bytes.Clone(ct)
		binary.BigEndian.PutUint32(bad[1:5], seg)
		mustFail(t, fmt.Sprintf("segment size %d", seg), bad, key1, aad1, pt, P, 0)
	}
	bad := bytes.Clone(ct)
	bad[0] = 2
	mustFail(t, "version 2", bad, key1, aad1, pt, P, 0)
}

func TestTruncation(t *testing.T) {
	const S = DefaultSegmentSize
	P := int64(3*S + 100)
	pt := plaintext(2, int(P))
	ct := seal(t, pt, S, key1, aad1)
	// Cut at a segment boundary and claim the shorter size: the last
	// segment kept was not sealed as final.
	for j := int64(1); j <= 3; j++ {
		cut := ct[:HeaderSize+j*(S+TagSize)]
		mustFail(t, fmt.Sprintf("%d segments as a whole object", j), cut, key1, aad1, pt, j*S, int(j-1)*S)
		// Even a range confined to the last segment kept.
		if _, err := readRange(&store{ct: cut}, key1, aad1, j*S, j*S-1, 1); !errors.Is(err, ErrAuth) {
			t.Errorf("last byte of %d segments cut from more: %v, want ErrAuth", j, err)
		}
	}
	// Cut anywhere, with the true size: a short read.
	for _, n := range []int{0, 1, HeaderSize - 1, HeaderSize, HeaderSize + 1, HeaderSize + S + TagSize, len(ct) - TagSize, len(ct) - 1} {
		got, err := readAll(ct[:n], key1, aad1, P)
		if !errors.Is(err, ErrAuth) && !errors.Is(err, errPastEnd) {
			t.Errorf("cut to %d bytes: %v, want ErrAuth", n, err)
		}
		if !bytes.Equal(got, pt[:len(got)]) || len(got) > max(0, n-HeaderSize)/(S+TagSize)*S {
			t.Errorf("cut to %d bytes: returned %d bytes", n, len(got))
		}
	}
	// A wrong size from the metadata.
	for _, size := range []int64{P - 1, P + 1, 0, 3 * S, 4 * S} {
		if size == P {
			continue
		}
		got, err := readAll(ct, key1, aad1, size)
		if !errors.Is(err, ErrAuth) {
			t.Errorf("claimed size %d of %d: %d bytes, %v; want ErrAuth", size, P, len(got), err)
		}
	}
}

func TestReorder(t *testing.T) {
	const S = 64
	P := int64(4 * S)
	pt := plaintext(3, int(P))
	ct := seal(t, pt, S, key1, aad1)
	seg := func(b []byte, i int) []byte { return b[HeaderSize+i*(S+TagSize) : HeaderSize+(i+1)*(S+TagSize)] }
	swap := func(i, j int) []byte {
		bad := bytes.Clone(ct)
		a, b := bytes.Clone(seg(ct, i)), bytes.Clone(seg(ct, j))
		copy(seg(bad, i), b)
		copy(seg(bad, j), a)
		return bad
	}
	mustFail(t, "swap 0 and 1", swap(0, 1), key1, aad1, pt, P, 0)
	mustFail(t, "swap 1 and 2", swap(1, 2), key1, aad1, pt, P, S)
	mustFail(t, "swap 2 and 3 (final)", swap(2, 3), key1, aad1, pt, P, 2*S)
	dup := bytes.Clone(ct)
	copy(seg(dup, 2), seg(ct, 1))
	mustFail(t, "segment 1 twice", dup, key1, aad1, pt, P, 2*S)
	// Segments of another object under the same key and aad.
	other := seal(t, pt, S, key1, aad1)
	splice := bytes.Clone(ct)
	copy(seg(splice, 1), seg(other, 1))
	mustFail(t, "segment 1 from another object", splice, key1, aad1, pt, P, S)
	hdr := bytes.Clone(ct)
	copy(hdr, other[:HeaderSize])
	mustFail(t, "header from another object", hdr, key1, aad1, pt, P, 0)
	// Drop a middle segment and claim the smaller size.
	drop := append(bytes.Clone(ct[:HeaderSize+S+TagSize]), ct[HeaderSize+2*(S+TagSize):]...)
	mustFail(t, "segment 1 dropped", drop, key1, aad1, pt, 3*S, S)
}

func TestWrongKeyOrAAD(t *testing.T) {
	for _, size := range []int{0, 1, DefaultSegmentSize + 1} {
		pt := plaintext(4, size)
		ct := seal(t, pt, DefaultSegmentSize, key1, aad1)
		for name, c := range map[string]struct{ key, aad []byte }{
			"wrong key":   {key2, aad1},
			"wrong aad":   {key1, []byte("arn:aws:s3:::bucket/other")},
			"empty aad":   {key1, nil},
			"aad prefix":  {key1, aad1[:len(aad1)-1]},
			"aad + 1":     {key1, append(bytes.Clone(aad1), 0)},
			"key and aad": {key2, nil},
		} {
			for _, off := range []int64{0, int64(size)} {
				_, err := NewReader((&store{ct: ct}).open, c.key, c.aad, int64(size), off, -1)
				if !errors.Is(err, ErrAuth) {
					t.Errorf("size %d, %s, offset %d: %v, want ErrAuth from NewReader", size, name, off, err)
				}
			}
		}
	}
	// nil and empty aad are the same.
	ct := seal(t, []byte("x"), DefaultSegmentSize, key1, nil)
	if got, err := readAll(ct, key1, []byte{}, 1); err != nil || string(got) != "x" {
		t.Errorf("nil aad read with empty aad: %q, %v", got, err)
	}
}

// TestNoPlaintextInCiphertext: no 16-byte window of a known sample appears
// in the ciphertext of a plaintext made of it.
func TestNoPlaintextInCiphertext(t *testing.T) {
	sample := []byte("CAIRN-KNOWN-PLAINTEXT-SAMPLE-0123456789abcdef")
	pt := bytes.Repeat(sample, (1<<20)/len(sample)+1)
	for _, seg := range []int{DefaultSegmentSize, 16, 1} {
		p := pt
		if seg < 16 {
			p = pt[:4096]
		}
		ct := seal(t, p, seg, key1, aad1)
		for i := 0; i+16 <= len(sample); i++ {
			if bytes.Contains(ct, sample[i:i+16]) {
				t.Fatalf("segments of %d: ciphertext contains %q", seg, sample[i:i+16])
			}
		}
	}
	// Two sealings of the same plaintext under the same key differ.
	a, b := seal(t, pt[:100], DefaultSegmentSize, key1, aad1), seal(t, pt[:100], DefaultSegmentSize, key1, aad1)
	if bytes.Equal(a[HeaderSize:], b[HeaderSize:]) {
		t.Error("two sealings of one plaintext are identical")
	}
}

type errWriter struct {
	n   int
	err error
}

func (w *errWriter) Write(p []byte) (int, error) {
	if w.n <= 0 {
		return 0, w.err
	}
	w.n--
	return len(p), nil
}

func TestErrors(t *testing.T) {
	for _, k := range [][]byte{nil, make([]byte, 16), make([]byte, 24), make([]byte, 33)} {
		if _, err := NewWriter(io.Discard, k, nil); err == nil {
			t.Errorf("NewWriter with a %d-byte key", len(k))
		}
		if _, err := NewSealingReader(bytes.NewReader(nil), k, nil); err == nil {
			t.Errorf("NewSealingReader with a %d-byte key", len(k))
		}
		if _, err := NewReader((&store{ct: seal(t, nil, 64, key1, nil)}).open, k, nil, 0, 0, -1); err == nil || errors.Is(err, ErrAuth) {
			t.Errorf("NewReader with a %d-byte key: %v", len(k), err)
		}
	}
	if _, err := NewReader((&store{}).open, key1, nil, -1, 0, -1); err == nil {
		t.Error("NewReader with a negative size")
	}

	// Writer: errors of the underlying writer stick; use after Close.
	boom := errors.New("boom")
	w, _ := NewWriter(&errWriter{n: 1, err: boom}, key1, nil)
	big := make([]byte, 3*DefaultSegmentSize)
	if _, err := w.Write(big); !errors.Is(err, boom) {
		t.Errorf("Write over a failing writer: %v", err)
	}
	if _, err := w.Write([]byte("x")); !errors.Is(err, boom) {
		t.Errorf("Write after a failure: %v", err)
	}
	if err := w.Close(); !errors.Is(err, boom) {
		t.Errorf("Close after a failure: %v", err)
	}
	w, _ = NewWriter(io.Discard, key1, nil)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("x")); !errors.Is(err, ErrClosed) {
		t.Errorf("Write after Close: %v", err)
	}
	if err := w.Close(); !errors.Is(err, ErrClosed) {
		t.Errorf("second Close: %v", err)
	}
	// ReadFrom passes the source's error through, not as an end.
	w, _ = NewWriter(io.Discard, key1, nil)
	if _, err := w.ReadFrom(iotest.DataErrReader(io.MultiReader(bytes.NewReader(big), iotest.ErrReader(io.ErrUnexpectedEOF)))); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("ReadFrom of a failing source: %v", err)
	}

	// Sealing reader: a source error is returned, and is not an end.
	for _, ferr := range []error{boom, io.ErrUnexpectedEOF} {
		for _, at := range []int{0, 10, DefaultSegmentSize, 2*DefaultSegmentSize + 1} {
			src := io.MultiReader(bytes.NewReader(big[:at]), iotest.ErrReader(ferr))
			sr, _ := NewSealingReader(src, key1, nil)
			out, err := io.ReadAll(sr)
			if !errors.Is(err, ferr) {
				t.Errorf("sealing reader over a source failing at %d with %v: %v", at, ferr, err)
			}
			// What came out before the error is no complete object.
			if _, err := readAll(out, key1, nil, int64(at)); err == nil {
				t.Errorf("the output of a failed sealing reader (%d bytes) decrypts as a whole object", len(out))
			}
		}
	}

	// Errors of open and of its readers are passed through.
	ct := seal(t, big, DefaultSegmentSize, key1, nil)
	notFound := errors.New("not found")
	if _, err := NewReader((&store{ct: ct, err: notFound}).open, key1, nil, int64(len(big)), 0, -1); !errors.Is(err, notFound) {
		t.Errorf("open error: %v", err)
	}
	flaky := func(off, n int64) (io.ReadCloser, error) {
		return io.NopCloser(io.MultiReader(bytes.NewReader(ct[off:off+HeaderSize+100]), iotest.ErrReader(boom))), nil
	}
	if _, err := NewReader(flaky, key1, nil, int64(len(big)), 0, -1); !errors.Is(err, boom) || errors.Is(err, ErrAuth) {
		t.Errorf("read error: %v", err)
	}

	// Reads after Close.
	r, err := NewReader((&store{ct: ct}).open, key1, nil, int64(len(big)), 0, -1)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Read(make([]byte, 10)); !errors.Is(err, ErrClosed) {
		t.Errorf("Read after Close: %v", err)
	}
	if err := r.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestTooLarge(t *testing.T) {
	w, _ := newWriter(io.Discard, key1, nil, 1)
	w.index = maxSegments - 1
	if _, err := w.Write([]byte("ab")); err != nil { // seals segment 2^32-1
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("c")); !errors.Is(err, ErrTooLarge) {
		t.Errorf("segment 2^32: %v, want ErrTooLarge", err)
	}
	sr, _ := newSealingReader(bytes.NewReader([]byte("abc")), key1, nil, 1)
	sr.index = maxSegments - 1
	if _, err := io.ReadAll(sr); !errors.Is(err, ErrTooLarge) {
		t.Errorf("sealing reader past 2^32 segments: %v", err)
	}
	// A size that needs more segments than the format allows.
	ct := seal(t, []byte("abc"), 1, key1, nil)
	if _, err := NewReader((&store{ct: ct}).open, key1, nil, 1<<32+1, 1<<32, -1); !errors.Is(err, ErrAuth) {
		t.Errorf("2^32+1 segments: %v, want ErrAuth", err)
	}
	if got := CiphertextSize(5 << 40); got != HeaderSize+5<<40+TagSize*(5<<40/DefaultSegmentSize) {
		t.Errorf("CiphertextSize(5 TiB) = %d", got)
	}
}

func TestCiphertextSize(t *testing.T) {
	const S = DefaultSegmentSize
	for p, want := range map[int64]int64{0: 29, 1: 30, S - 1: 13 + S - 1 + 16, S: 13 + S + 16, S + 1: 13 + S + 1 + 32, 2 * S: 13 + 2*S + 32} {
		if got := CiphertextSize(p); got != want {
			t.Errorf("CiphertextSize(%d) = %d, want %d", p, got, want)
		}
	}
}

// FuzzReader: arbitrary ciphertexts, sizes and ranges never panic, and
// nothing is returned that was not sealed.
func FuzzReader(f *testing.F) {
	defer func(old func([]byte) (int, error)) { randRead = old }(randRead)
	randRead = func(b []byte) (int, error) { return copy(b, "fuzzfuzz"), nil }
	for _, size := range []int{0, 1, 20, 100} {
		ct := seal(f, plaintext(1, size), 16, key1, nil)
		f.Add(ct, int64(size), int64(0), int64(-1), uint16(0))
		f.Add(ct, int64(size), int64(size/2), int64(3), uint16(20))
	}
	f.Fuzz(func(t *testing.T, ct []byte, size, off, n int64, flip uint16) {
		if size < 0 || size > 1<<20 {
			return
		}
		if len(ct) > 0 {
			ct = bytes.Clone(ct)
			ct[int(flip)%len(ct)] ^= byte(flip >> 8)
		}
		got, err := readRange(&store{ct: ct}, key1, nil, size, off, n)
		if err != nil || len(got) == 0 {
			return
		}
		// Whatever authenticates was sealed by the seeds, whose plaintexts
		// are prefixes of one stream: the bytes must be that stream's at
		// their offset (a wrong size can still read a middle segment).
		all := plaintext(1, 100)
		if off+int64(len(got)) > int64(len(all)) || !bytes.Equal(got, all[off:off+int64(len(got))]) {
			t.Fatalf("returned %d bytes at %d that were never sealed there", len(got), off)
		}
	})
}
