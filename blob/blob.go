// Package blob defines where Cairn keeps object bytes: byte streams under
// opaque keys, written atomically and read by range.
//
// The blob layer knows nothing of buckets, object keys, sizes, ETags or
// encryption. Object metadata, including which blobs hold an object's bytes
// (one blob for a simple upload, one per part for a multipart upload), lives
// in the metadata store; the S3 service composes blobs, and it writes only
// ciphertext into them (see package sealstream).
//
// Guarantees every implementation gives, checked by the conformance suite in
// blob/blobtest:
//
//   - Atomic visibility. A blob becomes visible under its key when Put
//     returns nil, all of it at once. A Put that fails, is cancelled, or is
//     interrupted by a crash leaves the previous state under the key (no blob,
//     or the previous blob, whole) and no garbage that outlives the next
//     opening of the store.
//   - Durability. When Put or Delete returns nil the change survives a crash
//     of the process or the machine.
//   - Snapshot reads. A reader returned by Open keeps reading the blob that
//     was current when Open returned, even if the key is replaced or deleted
//     meanwhile.
//   - Bounded memory. Memory does not grow with the size of a blob, in Put or
//     in reading.
//   - Safe keys. Any valid key (see ValidKey) is stored safely: keys are never
//     interpreted as paths, so "../x", "/etc/passwd", "a\\b", NUL bytes or
//     1024-byte keys cannot reach outside the store, and keys are compared
//     bytewise (no case folding, no Unicode normalization).
//
// Safe for concurrent use by multiple goroutines, including Puts, Opens and
// Deletes of the same key.
package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
	"unicode/utf8"

	"github.com/cairnhq/cairn"
)

// MaxKeyLen is the longest key in bytes, S3's limit on object keys.
const MaxKeyLen = 1024

// Errors returned by a Store. Implementations return them (possibly wrapped;
// test with errors.Is) for the conditions documented on each method.
var (
	// ErrNotFound: no blob under the key. It is cairn.ErrNotFound, so
	// callers can treat store and blob misses alike.
	ErrNotFound = cairn.ErrNotFound
	// ErrRange: Open was asked for an offset that is negative or past the
	// end of the blob.
	ErrRange = errors.New("blob: offset out of range")
	// ErrInvalidKey: the key is empty, longer than MaxKeyLen bytes, or not
	// valid UTF-8.
	ErrInvalidKey = errors.New("blob: invalid key")
	// ErrClosed: the store was closed.
	ErrClosed = errors.New("blob: store closed")
)

// Store keeps byte streams under keys.
type Store interface {
	// Put streams r to its end into a blob under key, replacing any blob
	// already there, and returns the number of bytes stored. The new blob
	// is visible, whole and durable when Put returns nil; until then
	// readers see the previous state. If r returns an error (io.EOF ends
	// the stream; anything else, io.ErrUnexpectedEOF included, is a
	// failure), ctx is done, or storing fails, Put returns that error
	// (wrapped) and the key keeps its previous state. The one exception is
	// an I/O error while making the commit itself durable (a directory
	// fsync): the new blob may then be visible without being durable. Put
	// does not retain r after it returns.
	//
	// Errors: ErrInvalidKey, ErrClosed, ctx.Err(), r's error, I/O errors.
	Put(ctx context.Context, key string, r io.Reader) (int64, error)

	// Open returns a reader of the bytes [off, off+n) of the blob under
	// key; n < 0 reads to the end, and a range that runs past the end is
	// cut at the end (so off == size yields an empty reader). The reader
	// keeps reading the blob current at the time of Open; the caller must
	// close it. ctx bounds Open only, not the reads that follow.
	//
	// Errors: ErrNotFound, ErrRange (off < 0 or off > size),
	// ErrInvalidKey, ErrClosed, ctx.Err(), I/O errors.
	Open(ctx context.Context, key string, off, n int64) (io.ReadCloser, error)

	// Size returns the size in bytes of the blob under key.
	//
	// Errors: ErrNotFound, ErrInvalidKey, ErrClosed, ctx.Err(), I/O errors.
	Size(ctx context.Context, key string) (int64, error)

	// Delete removes the blob under key, durably when it returns nil.
	// Readers already open keep reading it.
	//
	// Errors: ErrNotFound, ErrInvalidKey, ErrClosed, ctx.Err(), I/O errors.
	Delete(ctx context.Context, key string) error

	// Walk calls fn, one call at a time, with the key and the
	// modification time (when its Put committed) of every blob, in no
	// particular order, and stops at the first error fn returns, which it
	// returns unwrapped. A blob present for the whole Walk is reported
	// exactly once; one Put, replaced or deleted while Walk runs may be
	// reported or not, and a key may be reported after it was deleted
	// (so a Delete from fn may return ErrNotFound). fn may call the
	// store's other methods, Delete included. Implementations need not
	// hold all keys in memory. Modification times come from the
	// implementation's clock (the filesystem's), not an injected one.
	//
	// Errors: fn's error, ErrClosed (also when Close is called during the
	// Walk), ctx.Err(), I/O errors.
	Walk(ctx context.Context, fn func(key string, modified time.Time) error) error

	// Close waits for the calls in progress, then releases the store. Afterwards every method returns ErrClosed; readers already
	// open stay readable until they are closed. Close is idempotent.
	Close() error
}

// ValidKey returns nil for a key a Store accepts: 1 to MaxKeyLen bytes of
// valid UTF-8. Any such key is allowed, including ones that contain "..",
// slashes, backslashes, NUL or other control characters.
func ValidKey(key string) error {
	switch {
	case key == "":
		return fmt.Errorf("%w: empty", ErrInvalidKey)
	case len(key) > MaxKeyLen:
		return fmt.Errorf("%w: %d bytes, at most %d", ErrInvalidKey, len(key), MaxKeyLen)
	case !utf8.ValidString(key):
		return fmt.Errorf("%w: not valid UTF-8", ErrInvalidKey)
	}
	return nil
}
