package s3

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"io"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/blob"
	"github.com/cairnhq/cairn/sealstream"
	"github.com/cairnhq/cairn/store"
)

// stored is what writing a stream into a blob produced.
type stored struct {
	size     int64
	md5      []byte
	checksum *checksumRec
	// inline is the sealed blob when it was kept for the metadata store
	// (nil when it went to the blob store).
	inline []byte
}

// meter passes a plaintext through to the sealing reader, counting and
// hashing it, and turns a body longer than allowed, or shorter than
// declared, into an error before the blob store can commit it.
type meter struct {
	r        io.Reader
	n        int64
	max      int64
	declared int64 // -1: unknown
	md5      hash.Hash
	sum      hash.Hash // the declared checksum's algorithm, or nil
}

func (m *meter) Read(p []byte) (int, error) {
	n, err := m.r.Read(p)
	m.n += int64(n)
	m.md5.Write(p[:n])
	if m.sum != nil {
		m.sum.Write(p[:n])
	}
	switch {
	case m.n > m.max:
		return n, entityTooLarge()
	case m.declared >= 0 && m.n > m.declared:
		return n, incompleteBody()
	case err == io.EOF && m.declared >= 0 && m.n < m.declared:
		return n, incompleteBody()
	}
	return n, err
}

// writeBlob seals body under dataKey into a new blob. Nothing is stored
// unless the whole body was read and verified: the blob store keeps no
// partial blob, and a body error (a bad signature or checksum, a short
// body) fails the write. With inline, a body declared at most inlineMax
// long is sealed into memory (stored.inline) for the caller to commit
// with the object's record.
func (s *Service) writeBlob(ctx context.Context, blobKey string, body io.Reader, dataKey []byte, declared *int64, checksumAlg string, inline bool) (stored, error) {
	if body == nil {
		body = bytes.NewReader(nil)
	}
	m := &meter{r: body, max: s.cfg.MaxObjectSize, declared: -1, md5: md5.New()}
	if declared != nil {
		if *declared > s.cfg.MaxObjectSize {
			return stored{}, entityTooLarge()
		}
		m.declared = *declared
	}
	if checksumAlg != "" {
		h, ok := newChecksum(checksumAlg)
		if !ok {
			return stored{}, invalidRequest("Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]")
		}
		m.sum = h
	}
	sealing, err := sealstream.NewSealingReader(m, dataKey, []byte(blobKey))
	if err != nil {
		return stored{}, fmt.Errorf("seal %s: %w", blobKey, err)
	}
	var sealed []byte
	if inline && declared != nil && *declared <= inlineMax {
		// The meter stops the body at its declared length.
		if sealed, err = io.ReadAll(sealing); err != nil {
			if e := cairn.AsError(err); e != nil {
				return stored{}, e
			}
			return stored{}, fmt.Errorf("read body: %w", err)
		}
	} else if _, err := s.cfg.Blobs.Put(ctx, blobKey, sealing); err != nil {
		if e := cairn.AsError(err); e != nil {
			return stored{}, e
		}
		return stored{}, fmt.Errorf("store blob: %w", err)
	}
	st := stored{size: m.n, md5: m.md5.Sum(nil), inline: sealed}
	if m.sum != nil {
		st.checksum = &checksumRec{Algorithm: normalizeChecksum(checksumAlg), Value: base64.StdEncoding.EncodeToString(m.sum.Sum(nil))}
	}
	return st, nil
}

// eagerBlobs is how many blobs of an object a read opens before it
// returns: an open blob keeps being readable when the object is replaced
// and its blobs deleted, so a read that opened all of its blobs cannot be
// cut short by an overwrite. Objects of more parts open theirs as the
// read reaches them.
const eagerBlobs = 64

// openObject returns a reader of the plaintext bytes [off, off+n) of the
// object o under key in bucket b, decrypting only the segments that hold
// them, across the blobs of a multipart object. An error wrapping
// cairn.ErrNotFound means the object was replaced or deleted since o was
// read: read it again.
func (s *Service) openObject(ctx context.Context, c *cairn.Call, b *bucketRec, key string, o *objectRec, off, n int64) (io.ReadCloser, error) {
	dataKey, err := s.openDataKey(ctx, c, b, o.SSE, key)
	if err != nil {
		return nil, err
	}
	r := &objectReader{s: s, ctx: ctx, key: dataKey, blobs: o.Blobs, off: off, end: off + n}
	if len(o.Blobs) > 1 && len(o.Blobs) <= eagerBlobs {
		if err := r.openAll(); err != nil {
			r.Close()
			return nil, err
		}
	}
	if err := r.next(); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

// objectReader reads a range of an object blob after blob, opening each
// one's decrypting reader when it is reached (or all of them up front).
type objectReader struct {
	s     *Service
	ctx   context.Context
	key   []byte
	blobs []blobRec
	off   int64 // next plaintext offset of the object to read
	end   int64
	base  int64 // object offset of blobs[0]
	cur   io.ReadCloser
	// opened holds readers opened up front, by blob key.
	opened map[string]io.ReadCloser
}

// openAll opens every blob the range touches.
func (r *objectReader) openAll() error {
	r.opened = map[string]io.ReadCloser{}
	base := r.base
	for _, b := range r.blobs {
		start, stop := max(r.off, base), min(r.end, base+b.Size)
		if start < stop {
			rc, err := r.open(b, start-base, stop-start)
			if err != nil {
				return err
			}
			r.opened[b.Key] = rc
		}
		base += b.Size
	}
	return nil
}

func (r *objectReader) open(b blobRec, start, n int64) (io.ReadCloser, error) {
	open := func(o, l int64) (io.ReadCloser, error) { return r.s.cfg.Blobs.Open(r.ctx, b.Key, o, l) }
	if b.Inline {
		// Read once: the bytes in hand are the reader's snapshot.
		sealed, err := r.s.inlineBlob(r.ctx, b.Key)
		if err != nil {
			return nil, err
		}
		open = func(o, l int64) (io.ReadCloser, error) {
			if o < 0 || o > int64(len(sealed)) {
				return nil, blob.ErrRange
			}
			end := int64(len(sealed))
			if l >= 0 && o+l < end {
				end = o + l
			}
			return io.NopCloser(bytes.NewReader(sealed[o:end])), nil
		}
	}
	rc, err := sealstream.NewReader(open, r.key, []byte(b.Key), b.Size, start, n)
	if err != nil {
		return nil, fmt.Errorf("open object data: %w", err)
	}
	return rc, nil
}

// next opens the blob that holds r.off.
func (r *objectReader) next() error {
	for len(r.blobs) > 0 && r.off >= r.base+r.blobs[0].Size && r.off < r.end {
		r.base += r.blobs[0].Size
		r.blobs = r.blobs[1:]
	}
	if len(r.blobs) == 0 || r.off >= r.end {
		return nil
	}
	b := r.blobs[0]
	if rc, ok := r.opened[b.Key]; ok {
		delete(r.opened, b.Key)
		r.cur = rc
		return nil
	}
	start := r.off - r.base
	rc, err := r.open(b, start, min(b.Size-start, r.end-r.off))
	if err != nil {
		return err
	}
	r.cur = rc
	return nil
}

func (r *objectReader) Read(p []byte) (int, error) {
	for {
		if r.cur == nil {
			return 0, io.EOF
		}
		n, err := r.cur.Read(p)
		r.off += int64(n)
		if errors.Is(err, io.EOF) {
			_ = r.cur.Close()
			r.cur = nil
			if err := r.next(); err != nil {
				return n, err
			}
			if n > 0 {
				return n, nil
			}
			continue
		}
		return n, err
	}
}

func (r *objectReader) Close() error {
	clear(r.key)
	var err error
	if r.cur != nil {
		err = r.cur.Close()
		r.cur = nil
	}
	for k, rc := range r.opened {
		_ = rc.Close()
		delete(r.opened, k)
	}
	return err
}

// inlineBlob reads an inline blob; an error wrapping cairn.ErrNotFound
// when its object was replaced or deleted since its record was read.
func (s *Service) inlineBlob(ctx context.Context, key string) ([]byte, error) {
	if b, ok := s.inline.get(key); ok {
		return b, nil
	}
	var sealed []byte
	err := s.view(ctx, func(tx store.Tx) error {
		v, err := tx.Get(tblInline, key)
		sealed = v
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read inline blob: %w", err)
	}
	s.inline.put(key, sealed)
	return sealed, nil
}
