// Package sealstream encrypts object bytes at rest with AES-256-GCM in a
// segmented format that supports random access: a ranged read decrypts only
// the segments that hold the range.
//
// # Format (version 1)
//
//	header    13 bytes: version (1) | segment size S (uint32, big endian) | nonce prefix (8 random bytes)
//	segment 0 ciphertext of plaintext bytes [0, S)   | 16-byte GCM tag
//	segment 1 ciphertext of plaintext bytes [S, 2S)  | tag
//	...
//	segment k-1 (final): the last 1..S plaintext bytes (0 for an empty object) | tag
//
// A plaintext of P bytes has k = max(1, ceil(P/S)) segments; every segment
// but the last holds exactly S bytes, and an empty plaintext still has one
// (empty) final segment, so CiphertextSize(P) = 13 + P + 16k. S is 64 KiB
// (DefaultSegmentSize) for everything this package writes; readers accept any
// S from 1 byte to MaxSegmentSize.
//
// Segment i is sealed with AES-256-GCM under the object's 256-bit data key:
//
//	nonce = nonce prefix (8) | i (uint32, big endian)
//	additional data = header (13) | i (uint64, big endian) | final (1 byte: 1 for segment k-1, else 0) | caller's aad
//
// (A nil and an empty aad are the same.)
//
// # Guarantees
//
//   - Confidentiality: the data key and a random nonce prefix per object;
//     nonces never repeat within an object (at most 2^32 segments, 256 TiB at
//     64 KiB), and a data key reused by mistake across objects still gets
//     distinct nonces with overwhelming probability.
//   - Integrity of every byte returned: a segment's plaintext is released
//     only after its tag verifies, so every byte returned is the byte
//     sealed at that offset of that object. Modified bytes anywhere (header,
//     segment body, tag), segments swapped, duplicated or moved between
//     objects, the wrong key or the wrong aad make the read of an affected
//     segment fail with ErrAuth. A truncated ciphertext, even one cut at a
//     segment boundary and paired with a matching shorter size (the final
//     flag catches it), fails any read that reaches its end; a range that
//     stops short of the damage reads correctly.
//   - Binding: the caller's aad (the object's identity, say) is
//     authenticated with every segment, so a ciphertext moved to another
//     object does not decrypt there.
//   - Random access: NewReader reads the header and the segments that
//     overlap the range, nothing else; memory is one segment per stream.
//
// What it does not do: hide the plaintext size (it is the ciphertext size
// minus a known overhead), or detect bytes appended after the final segment
// (they are never read; the caller's metadata holds the plaintext size).
// Streaming means a read can fail midway with ErrAuth after earlier, authentic
// segments have been returned; NewReader authenticates the first segment of
// the range before it returns, so a wrong key or a corrupt start is reported
// before any byte is.
package sealstream

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
)

const (
	// Version is the format version written in the header.
	Version = 1
	// DefaultSegmentSize is the plaintext size of a segment.
	DefaultSegmentSize = 64 << 10
	// MaxSegmentSize is the largest segment size a reader accepts.
	MaxSegmentSize = 16 << 20
	// KeySize is the data key size: AES-256.
	KeySize = 32
	// HeaderSize is the size of the header at the start of a ciphertext.
	HeaderSize = 1 + 4 + prefixSize
	// TagSize is the per-segment overhead.
	TagSize = 16

	prefixSize  = 8
	nonceSize   = 12
	maxSegments = 1 << 32
	adFixed     = HeaderSize + 8 + 1
)

var (
	// ErrAuth is returned for a ciphertext that does not authenticate:
	// tampered, truncated, reordered, or read with the wrong key or aad.
	ErrAuth = errors.New("sealstream: ciphertext does not authenticate")
	// ErrRange is returned by NewReader for an offset outside [0, size].
	ErrRange = errors.New("sealstream: offset out of range")
	// ErrTooLarge is returned by writers past 2^32 segments.
	ErrTooLarge = errors.New("sealstream: plaintext too large")
	// ErrClosed is returned by a Writer or a reader used after Close.
	ErrClosed = errors.New("sealstream: use after Close")
)

// CiphertextSize returns the size of the ciphertext that NewWriter or
// NewSealingReader produce for plaintextSize bytes.
func CiphertextSize(plaintextSize int64) int64 {
	return ciphertextSize(plaintextSize, DefaultSegmentSize)
}

func ciphertextSize(p int64, segSize int) int64 {
	return HeaderSize + p + TagSize*segments(p, segSize)
}

// segments returns the number of segments of a p-byte plaintext.
func segments(p int64, segSize int) int64 {
	if p == 0 {
		return 1
	}
	return (p + int64(segSize) - 1) / int64(segSize)
}

// sealer holds what sealing or opening segment i needs.
type sealer struct {
	aead    cipher.AEAD
	segSize int
	nonce   [nonceSize]byte
	ad      []byte // header | index | final | aad
}

func newSealer(key, aad []byte, header []byte) (*sealer, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("sealstream: key is %d bytes, want %d", len(key), KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("sealstream: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("sealstream: %w", err)
	}
	s := &sealer{aead: aead, segSize: int(binary.BigEndian.Uint32(header[1:5]))}
	copy(s.nonce[:prefixSize], header[5:HeaderSize])
	s.ad = make([]byte, adFixed+len(aad))
	copy(s.ad, header)
	copy(s.ad[adFixed:], aad)
	return s, nil
}

func (s *sealer) setSegment(i uint64, final bool) {
	binary.BigEndian.PutUint32(s.nonce[prefixSize:], uint32(i))
	binary.BigEndian.PutUint64(s.ad[HeaderSize:], i)
	s.ad[HeaderSize+8] = 0
	if final {
		s.ad[HeaderSize+8] = 1
	}
}

// seal encrypts pt in place; pt must have TagSize bytes of capacity beyond
// its length.
func (s *sealer) seal(pt []byte, i uint64, final bool) []byte {
	s.setSegment(i, final)
	return s.aead.Seal(pt[:0], s.nonce[:], pt, s.ad)
}

// open decrypts ct in place.
func (s *sealer) open(ct []byte, i uint64, final bool) ([]byte, error) {
	s.setSegment(i, final)
	pt, err := s.aead.Open(ct[:0], s.nonce[:], ct, s.ad)
	if err != nil {
		return nil, fmt.Errorf("%w (segment %d)", ErrAuth, i)
	}
	return pt, nil
}

func newHeader(segSize int) ([]byte, error) {
	if segSize < 1 || segSize > MaxSegmentSize {
		return nil, fmt.Errorf("sealstream: segment size %d out of range", segSize)
	}
	h := make([]byte, HeaderSize)
	h[0] = Version
	binary.BigEndian.PutUint32(h[1:5], uint32(segSize))
	if _, err := randRead(h[5:]); err != nil {
		return nil, fmt.Errorf("sealstream: nonce prefix: %w", err)
	}
	return h, nil
}

// randRead draws nonce prefixes; tests replace it to get fixed vectors.
var randRead = rand.Read

// A pooled buffer of header + one default segment + tag.
var bufPool = sync.Pool{New: func() any {
	b := make([]byte, HeaderSize+DefaultSegmentSize+TagSize)
	return &b
}}

func getBuf(segSize int) *[]byte {
	if segSize == DefaultSegmentSize {
		return bufPool.Get().(*[]byte)
	}
	b := make([]byte, HeaderSize+segSize+TagSize)
	return &b
}

func putBuf(b *[]byte) {
	if b != nil && len(*b) == HeaderSize+DefaultSegmentSize+TagSize {
		bufPool.Put(b)
	}
}

// Writer encrypts what is written to it into an underlying writer. Each
// segment reaches the underlying writer in one Write call (the first one
// with the header in front); the last segment waits for Close.
type Writer struct {
	w     io.Writer
	s     *sealer
	bp    *[]byte
	buf   []byte // *bp: header | segment | tag
	n     int    // plaintext bytes in buf[HeaderSize:]
	index uint64
	err   error
}

// NewWriter returns a Writer that seals what is written to it under key (32
// bytes) and aad into w. Close must be called to seal the final segment.
func NewWriter(w io.Writer, key, aad []byte) (*Writer, error) {
	return newWriter(w, key, aad, DefaultSegmentSize)
}

func newWriter(w io.Writer, key, aad []byte, segSize int) (*Writer, error) {
	h, err := newHeader(segSize)
	if err != nil {
		return nil, err
	}
	s, err := newSealer(key, aad, h)
	if err != nil {
		return nil, err
	}
	bp := getBuf(segSize)
	copy(*bp, h)
	return &Writer{w: w, s: s, bp: bp, buf: *bp}, nil
}

// Write buffers p and writes out every segment that is complete and known
// not to be the last one.
func (w *Writer) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	written := 0
	for len(p) > 0 {
		if w.n == w.s.segSize { // more is coming: the full segment is not the last
			if err := w.flush(false); err != nil {
				return written, err
			}
		}
		k := copy(w.buf[HeaderSize+w.n:HeaderSize+w.s.segSize], p)
		w.n += k
		written += k
		p = p[k:]
	}
	return written, nil
}

// ReadFrom reads r to its end (io.EOF) straight into the segment buffer,
// sparing io.Copy a copy. Errors from r are returned as they are.
func (w *Writer) ReadFrom(r io.Reader) (int64, error) {
	var total int64
	for w.err == nil {
		if w.n == w.s.segSize {
			// Is there more? Read one byte ahead into a side buffer.
			var one [1]byte
			k, err := readSome(r, one[:])
			if k == 1 {
				if err := w.flush(false); err != nil {
					return total, err
				}
				w.buf[HeaderSize] = one[0]
				w.n = 1
				total++
			}
			if err == io.EOF {
				return total, nil
			}
			if err != nil {
				return total, err
			}
			continue
		}
		k, err := r.Read(w.buf[HeaderSize+w.n : HeaderSize+w.s.segSize])
		w.n += k
		total += int64(k)
		if err == io.EOF {
			return total, nil
		}
		if err != nil {
			return total, err
		}
	}
	return total, w.err
}

// readSome reads until p is full or r fails; io.EOF only when nothing was
// read.
func readSome(r io.Reader, p []byte) (int, error) {
	n := 0
	for n < len(p) {
		k, err := r.Read(p[n:])
		n += k
		if err != nil {
			if err == io.EOF && n > 0 {
				return n, nil
			}
			return n, err
		}
	}
	return n, nil
}

func (w *Writer) flush(final bool) error {
	if w.index >= maxSegments {
		w.err = ErrTooLarge
		return w.err
	}
	ct := w.s.seal(w.buf[HeaderSize:HeaderSize+w.n], w.index, final)
	start := HeaderSize
	if w.index == 0 {
		start = 0
	}
	if _, err := w.w.Write(w.buf[start : HeaderSize+len(ct)]); err != nil {
		w.err = err
		return err
	}
	w.index++
	w.n = 0
	return nil
}

// Close seals the final segment (an empty plaintext gets one empty final
// segment) and writes it. It does not close the underlying writer. A second
// Close returns ErrClosed.
func (w *Writer) Close() error {
	if w.err != nil {
		return w.err
	}
	err := w.flush(true)
	putBuf(w.bp)
	w.bp, w.buf = nil, nil
	if err == nil {
		w.err = ErrClosed
	}
	return err
}

// sealingReader is the pull form of Writer.
type sealingReader struct {
	r       io.Reader
	s       *sealer
	bp      *[]byte
	buf     []byte
	pending []byte // sealed bytes not yet returned
	index   uint64
	peek    byte
	hasPeek bool
	final   bool // the final segment has been sealed
	err     error
}

// NewSealingReader returns a reader of the ciphertext of r's bytes, sealed
// under key (32 bytes) and aad: what a Writer would write. It reads r to
// io.EOF; any other error from r (io.ErrUnexpectedEOF included) is returned
// as it is, and the final segment is then never produced, so a consumer that
// stops at the error (blob.Store.Put) stores nothing.
func NewSealingReader(r io.Reader, key, aad []byte) (io.Reader, error) {
	return newSealingReader(r, key, aad, DefaultSegmentSize)
}

func newSealingReader(r io.Reader, key, aad []byte, segSize int) (*sealingReader, error) {
	h, err := newHeader(segSize)
	if err != nil {
		return nil, err
	}
	s, err := newSealer(key, aad, h)
	if err != nil {
		return nil, err
	}
	bp := getBuf(segSize)
	copy(*bp, h)
	return &sealingReader{r: r, s: s, bp: bp, buf: *bp}, nil
}

func (sr *sealingReader) Read(p []byte) (int, error) {
	for len(sr.pending) == 0 {
		if err := sr.next(); err != nil {
			return 0, err
		}
	}
	n := copy(p, sr.pending)
	sr.pending = sr.pending[n:]
	return n, nil
}

func (sr *sealingReader) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for {
		for len(sr.pending) == 0 {
			if err := sr.next(); err == io.EOF {
				return total, nil
			} else if err != nil {
				return total, err
			}
		}
		n, err := w.Write(sr.pending)
		total += int64(n)
		sr.pending = sr.pending[n:]
		if err != nil {
			return total, err
		}
	}
}

// next seals the next segment into pending, or returns io.EOF after the
// final one.
func (sr *sealingReader) next() error {
	if sr.err != nil {
		return sr.err
	}
	if sr.final {
		putBuf(sr.bp)
		sr.bp, sr.buf = nil, nil
		sr.err = io.EOF
		return sr.err
	}
	if sr.index >= maxSegments {
		sr.err = ErrTooLarge
		return sr.err
	}
	seg := sr.buf[HeaderSize : HeaderSize+sr.s.segSize]
	n := 0
	if sr.hasPeek {
		seg[0] = sr.peek
		n, sr.hasPeek = 1, false
	}
	k, err := readSome(sr.r, seg[n:])
	n += k
	switch {
	case err == io.EOF:
		sr.final = true
	case err != nil:
		sr.err = err
		return err
	case n == len(seg): // full: is it the last one?
		var one [1]byte
		k, err := readSome(sr.r, one[:])
		switch {
		case k == 1:
			sr.peek, sr.hasPeek = one[0], true
		case err == io.EOF:
			sr.final = true
		default:
			sr.err = err
			return err
		}
	default: // short without EOF cannot happen with readSome
		sr.final = true
	}
	ct := sr.s.seal(seg[:n], sr.index, sr.final)
	start := HeaderSize
	if sr.index == 0 {
		start = 0
	}
	sr.pending = sr.buf[start : HeaderSize+len(ct)]
	sr.index++
	return nil
}
