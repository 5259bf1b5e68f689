package sealstream

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// NewReader returns the plaintext bytes [off, off+n) of an object of
// plaintextSize bytes (n < 0: to the end; a range past the end is cut at the
// end). open(off, n) must return the ciphertext bytes [off, off+n), as
// blob.Store.Open does; NewReader calls it for the header and the segments
// that overlap the range: once when the range starts in the first segment
// (of the default size), twice otherwise. plaintextSize must come from
// trusted metadata.
//
// NewReader authenticates the first segment of the range before it returns
// (even for an empty range), so a wrong key, wrong aad or corrupt start is
// ErrAuth here. Later segments are authenticated as they are reached; a Read
// that meets a bad one returns ErrAuth, never its bytes. A ciphertext
// shorter than plaintextSize implies is ErrAuth when a read comes up short;
// but when open itself refuses an offset past the end of a truncated
// ciphertext (blob.ErrRange), that refusal is returned as open's error.
// Errors from open and from its readers are returned wrapped (errors.Is sees
// through).
//
// Errors: ErrRange (off < 0 or off > plaintextSize), ErrAuth, open's errors.
func NewReader(open func(off, n int64) (io.ReadCloser, error), key, aad []byte, plaintextSize, off, n int64) (io.ReadCloser, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("sealstream: key is %d bytes, want %d", len(key), KeySize)
	}
	if plaintextSize < 0 {
		return nil, fmt.Errorf("sealstream: negative plaintext size %d", plaintextSize)
	}
	if off < 0 || off > plaintextSize {
		return nil, fmt.Errorf("%w: offset %d, size %d", ErrRange, off, plaintextSize)
	}
	if n < 0 || n > plaintextSize-off {
		n = plaintextSize - off
	}

	// Guess the default segment size so that a range starting in the first
	// segment needs one open: header and segments in one stream.
	var (
		rc     io.ReadCloser
		header [HeaderSize]byte
		err    error
	)
	if g := layoutOf(plaintextSize, DefaultSegmentSize, off, n); g.first == 0 {
		rc, err = open(0, g.ctEnd)
	} else {
		rc, err = open(0, HeaderSize)
	}
	if err != nil {
		return nil, fmt.Errorf("sealstream: open ciphertext: %w", err)
	}
	if err := readFull(rc, header[:]); err != nil {
		rc.Close()
		return nil, err
	}
	segSize := int(binary.BigEndian.Uint32(header[1:5]))
	if header[0] != Version || segSize < 1 || segSize > MaxSegmentSize {
		rc.Close()
		return nil, fmt.Errorf("%w (header)", ErrAuth)
	}
	l := layoutOf(plaintextSize, segSize, off, n)
	if l.count > maxSegments {
		rc.Close()
		return nil, fmt.Errorf("%w (%d bytes in segments of %d)", ErrAuth, plaintextSize, segSize)
	}
	if segSize != DefaultSegmentSize || l.first != 0 {
		rc.Close()
		start := HeaderSize + l.first*int64(segSize+TagSize)
		if rc, err = open(start, l.ctEnd-start); err != nil {
			return nil, fmt.Errorf("sealstream: open ciphertext: %w", err)
		}
	}
	s, err := newSealer(key, aad, header[:])
	if err != nil {
		rc.Close()
		return nil, err
	}
	bufSize := int64(segSize)
	if plaintextSize < bufSize {
		bufSize = plaintextSize // small objects get small buffers
	}
	r := &reader{
		rc:     rc,
		s:      s,
		size:   plaintextSize,
		count:  l.count,
		next:   l.first,
		skip:   int(off - l.first*int64(segSize)),
		remain: n,
	}
	if bufSize == DefaultSegmentSize {
		r.bp = bufPool.Get().(*[]byte)
		r.buf = (*r.bp)[:DefaultSegmentSize+TagSize]
	} else {
		r.buf = make([]byte, bufSize+TagSize)
	}
	if err := r.readSegment(); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

// layout is where a range's segments are.
type layout struct {
	count int64 // segments in the object
	first int64 // first segment of the range
	ctEnd int64 // end of the last segment of the range in the ciphertext
}

func layoutOf(size int64, segSize int, off, n int64) layout {
	S := int64(segSize)
	l := layout{count: segments(size, segSize)}
	l.first = min(off/S, l.count-1)
	last := l.first
	if n > 0 {
		last = (off + n - 1) / S
	}
	l.ctEnd = HeaderSize + last*(S+TagSize) + segLen(size, segSize, l.count, last) + TagSize
	return l
}

// segLen returns the plaintext length of segment i.
func segLen(size int64, segSize int, count, i int64) int64 {
	if i < count-1 {
		return int64(segSize)
	}
	return size - (count-1)*int64(segSize)
}

// readFull reads len(p) bytes; a short ciphertext is ErrAuth.
func readFull(r io.Reader, p []byte) error {
	_, err := io.ReadFull(r, p)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%w (truncated)", ErrAuth)
	default:
		return fmt.Errorf("sealstream: read ciphertext: %w", err)
	}
}

type reader struct {
	rc     io.ReadCloser
	s      *sealer
	size   int64
	count  int64
	next   int64 // next segment to read
	skip   int   // bytes of the next segment before the range
	remain int64 // range bytes not yet decrypted
	bp     *[]byte
	buf    []byte
	plain  []byte // decrypted range bytes not yet returned
	err    error
}

// readSegment reads, authenticates and decrypts the next segment into
// r.plain.
func (r *reader) readSegment() error {
	i := r.next
	n := segLen(r.size, r.s.segSize, r.count, i) + TagSize
	ct := r.buf[:n]
	if err := readFull(r.rc, ct); err != nil {
		r.err = err
		return err
	}
	pt, err := r.s.open(ct, uint64(i), i == r.count-1)
	if err != nil {
		r.err = err
		return err
	}
	pt = pt[r.skip:]
	r.skip = 0
	if int64(len(pt)) > r.remain {
		pt = pt[:r.remain]
	}
	r.remain -= int64(len(pt))
	r.plain = pt
	r.next++
	return nil
}

func (r *reader) fill() error {
	for len(r.plain) == 0 {
		if r.err != nil {
			return r.err
		}
		if r.remain == 0 {
			return io.EOF
		}
		if err := r.readSegment(); err != nil {
			return err
		}
	}
	return nil
}

func (r *reader) Read(p []byte) (int, error) {
	if err := r.fill(); err != nil {
		return 0, err
	}
	n := copy(p, r.plain)
	r.plain = r.plain[n:]
	return n, nil
}

// WriteTo hands each decrypted segment to w without copying it.
func (r *reader) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for {
		if err := r.fill(); err == io.EOF {
			return total, nil
		} else if err != nil {
			return total, err
		}
		n, err := w.Write(r.plain)
		total += int64(n)
		r.plain = r.plain[n:]
		if err != nil {
			return total, err
		}
	}
}

// Close closes the ciphertext reader; reads afterwards return ErrClosed.
func (r *reader) Close() error {
	if r.err == ErrClosed {
		return nil
	}
	r.err, r.plain = ErrClosed, nil
	if r.bp != nil {
		bufPool.Put(r.bp)
		r.bp = nil
	}
	r.buf = nil
	return r.rc.Close()
}
