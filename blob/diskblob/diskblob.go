// Package diskblob is the local-disk blob.Store: one folder, one file per
// blob.
//
// Layout of the folder:
//
//	FORMAT                       "cairn diskblob 2\n"; a folder with another format is refused
//	LOCK                         flock'ed while a Store has the folder open
//	objects/ab/<sha256hex>.k     one blob; sha256hex is the SHA-256 of the key, ab its first byte
//	objects/ab/<sha256hex>       one blob written by format 1 (see below)
//	tmp/put-<random>             a Put in progress
//
// A blob file starts with a header that names its key, so that Walk can
// report keys that the hashed file names do not reveal: the 8 bytes
// "cairnkey", the key's length in 2 bytes big-endian, the key. The blob's
// bytes follow. Blob keys are opaque names chosen by the caller (the S3
// service uses random ones), not object data.
//
// Format 1 stored the bytes alone, under <sha256hex> without a suffix. Open
// upgrades a format-1 folder by rewriting FORMAT only: its blobs stay where
// they are and stay readable (a lookup that misses <sha256hex>.k tries
// <sha256hex>), a Put of their key replaces them and a Delete removes them.
// Walk does not report them, since their keys are unknown.
//
// File names derive from a hash of the key, never from the key itself, so no
// key can name a path outside objects/ (see blob.ValidKey for the keys
// accepted). Keys are hashed as bytes: "é" and "e\u0301" are different keys,
// as are "A" and "a" even on a case-insensitive filesystem.
//
// Put writes the stream through a 256 KiB buffer into a fresh file in tmp/
// (the same filesystem as objects/), fsyncs it, renames it over the blob's
// path and fsyncs the blob's directory: two fsyncs per Put. The rename is the
// commit point: a crash before it leaves only a file in tmp/, which the next
// Open of the folder deletes; a crash after it leaves the new blob. Delete removes the file and fsyncs its
// directory. Readers hold an open file, so replacing or deleting a blob does
// not disturb them (POSIX semantics; Windows is not supported).
//
// The 256 fan-out directories are created when the folder is opened, so that
// no Put pays for creating and syncing a directory. One level is enough:
// ext4 and XFS index large directories (a hundred million blobs are about 400,000
// entries per directory), and a second level of 65,536 directories would cost
// 256 MiB of directory blocks once populated, or two more fsyncs on the Put
// that creates each one lazily.
//
// The LOCK file keeps two Stores, in one process or two, from sharing a
// folder, which would let one delete the other's Puts in progress.
package diskblob

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/cairnhq/cairn/blob"
)

const (
	bufSize    = 256 << 10
	formatFile = "FORMAT"
	formatLine = "cairn diskblob 2\n"
	formatV1   = "cairn diskblob 1\n"
	keyedExt   = ".k"
	hdrMagic   = "cairnkey"
	lockFile   = "LOCK"
	objectsDir = "objects"
	tmpDir     = "tmp"
	tmpPrefix  = "put-"
)

// Store is a blob.Store in a folder of the local filesystem.
type Store struct {
	dir     string
	objects string
	tmp     string

	mu     sync.RWMutex // read-held by every call, write-held by Close
	closed bool
	lock   *os.File
}

var _ blob.Store = (*Store)(nil)

// Open opens the store in dir, creating the folder (mode 0700) when it does
// not exist, takes its lock, and deletes the temporary files that Puts
// interrupted by a crash left behind. It fails when another Store holds the
// folder or the folder has an unknown format.
func Open(dir string) (*Store, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("diskblob: %w", err)
	}
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("diskblob: create folder: %w", err)
		}
		// Make the new folder's entry durable, or a crash could lose the
		// folder with every blob in it.
		if err := syncDir(filepath.Dir(dir)); err != nil {
			return nil, fmt.Errorf("diskblob: create folder: %w", err)
		}
	}
	lock, err := lockFolder(filepath.Join(dir, lockFile))
	if err != nil {
		return nil, fmt.Errorf("diskblob: %s: %w", dir, err)
	}
	s := &Store{
		dir:     dir,
		objects: filepath.Join(dir, objectsDir),
		tmp:     filepath.Join(dir, tmpDir),
		lock:    lock,
	}
	if err := s.init(); err != nil {
		lock.Close()
		return nil, fmt.Errorf("diskblob: %s: %w", dir, err)
	}
	return s, nil
}

func (s *Store) init() error {
	switch b, err := os.ReadFile(filepath.Join(s.dir, formatFile)); {
	case errors.Is(err, fs.ErrNotExist):
		// A new store. Refuse a folder that holds anything else: Open
		// deletes what it finds in tmp/, and the folder may be a mistake.
		ents, err := os.ReadDir(s.dir)
		if err != nil {
			return err
		}
		for _, e := range ents {
			if n := e.Name(); n != lockFile && n != formatFile+".tmp" {
				return fmt.Errorf("not a blob store (no %s) and not empty (%s)", formatFile, n)
			}
		}
		if err := writeFileSync(filepath.Join(s.dir, formatFile), []byte(formatLine)); err != nil {
			return err
		}
	case err != nil:
		return err
	case string(b) == formatV1:
		// Upgrade: format-1 blobs stay readable as they are (see path).
		if err := writeFileSync(filepath.Join(s.dir, formatFile), []byte(formatLine)); err != nil {
			return err
		}
	case string(b) != formatLine:
		return fmt.Errorf("unknown format %q, want %q", b, formatLine)
	}
	for _, d := range []string{s.objects, s.tmp} {
		if err := os.Mkdir(d, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
	}
	for i := range 256 {
		err := os.Mkdir(filepath.Join(s.objects, fmt.Sprintf("%02x", i)), 0o700)
		if err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
	}
	if err := syncDir(s.objects); err != nil {
		return err
	}
	// Puts interrupted by a crash: nothing refers to their files.
	ents, err := os.ReadDir(s.tmp)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if err := os.RemoveAll(filepath.Join(s.tmp, e.Name())); err != nil {
			return fmt.Errorf("clean temporary files: %w", err)
		}
	}
	if err := syncDir(s.tmp); err != nil {
		return err
	}
	return syncDir(s.dir)
}

// Close waits for the calls in progress and releases the folder.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	return s.lock.Close() // releases the flock
}

// begin admits a call on key; the caller must call s.mu.RUnlock when
// done.
func (s *Store) begin(ctx context.Context, key string) error {
	if err := blob.ValidKey(key); err != nil {
		return err
	}
	return s.admit(ctx)
}

// admit admits a call that names no key (Walk); the caller must call
// s.mu.RUnlock when done.
func (s *Store) admit(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return blob.ErrClosed
	}
	return nil
}

// path returns the blob's directory and file for key, and the file a
// format-1 store kept it in.
func (s *Store) path(key string) (dir, file, v1 string) {
	sum := sha256.Sum256([]byte(key))
	h := hex.EncodeToString(sum[:])
	dir = filepath.Join(s.objects, h[:2])
	v1 = filepath.Join(dir, h)
	return dir, v1 + keyedExt, v1
}

// header returns the header a blob file under key starts with.
func header(key string) []byte {
	h := make([]byte, 0, len(hdrMagic)+2+len(key))
	h = append(h, hdrMagic...)
	h = binary.BigEndian.AppendUint16(h, uint16(len(key)))
	return append(h, key...)
}

// hdrLen is the length of header(key).
func hdrLen(key string) int64 { return int64(len(hdrMagic) + 2 + len(key)) }

// openFile opens the blob file of key and returns it with the length of
// its header: 0 for a format-1 file.
func (s *Store) openFile(key string) (*os.File, int64, error) {
	_, file, v1 := s.path(key)
	f, err := os.Open(file)
	if err == nil {
		return f, hdrLen(key), nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, 0, err
	}
	f, err = os.Open(v1)
	return f, 0, err
}

var bufPool = sync.Pool{New: func() any { b := make([]byte, bufSize); return &b }}

// Put implements blob.Store.
func (s *Store) Put(ctx context.Context, key string, r io.Reader) (int64, error) {
	if err := s.begin(ctx, key); err != nil {
		return 0, err
	}
	defer s.mu.RUnlock()

	f, err := os.CreateTemp(s.tmp, tmpPrefix+"*")
	if err != nil {
		return 0, fmt.Errorf("diskblob: put: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err := f.Write(header(key)); err != nil {
		return 0, fmt.Errorf("diskblob: put: %w", err)
	}
	size, err := copyFile(ctx, f, r)
	if err != nil {
		return 0, fmt.Errorf("diskblob: put: %w", err)
	}
	if err := f.Sync(); err != nil {
		return 0, fmt.Errorf("diskblob: put: sync: %w", err)
	}
	if err := f.Close(); err != nil {
		return 0, fmt.Errorf("diskblob: put: close: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	dir, final, v1 := s.path(key)
	err = os.Rename(f.Name(), final)
	if errors.Is(err, fs.ErrNotExist) {
		// The fan-out directory was removed behind our back.
		if err = s.mkdir(dir); err == nil {
			err = os.Rename(f.Name(), final)
		}
	}
	if err != nil {
		return 0, fmt.Errorf("diskblob: put: %w", err)
	}
	committed = true
	// A format-1 file of the key is shadowed by the new one; if removing
	// it fails, Delete removes it later.
	_ = os.Remove(v1)
	if err := syncDir(dir); err != nil {
		return 0, fmt.Errorf("diskblob: put: %w", err)
	}
	return size, nil
}

// mkdir creates a fan-out directory and syncs its parent so that it is
// durable before a blob is renamed into it.
func (s *Store) mkdir(dir string) error {
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return syncDir(s.objects)
}

// copyFile copies r to its end into f through a 256 KiB buffer, writing
// whole buffers. Unlike io.ReadFull it treats only io.EOF as the end, so a
// reader that fails with io.ErrUnexpectedEOF (a body cut short) fails the
// copy.
func copyFile(ctx context.Context, f *os.File, r io.Reader) (int64, error) {
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	buf := *bp
	var total int64
	for {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		n := 0
		var rerr error
		for n < len(buf) && rerr == nil {
			var m int
			m, rerr = r.Read(buf[n:])
			n += m
		}
		if n > 0 {
			if _, err := f.Write(buf[:n]); err != nil {
				return total, err
			}
			total += int64(n)
		}
		if rerr == io.EOF {
			return total, nil
		}
		if rerr != nil {
			return total, fmt.Errorf("read: %w", rerr)
		}
	}
}

// Open implements blob.Store.
func (s *Store) Open(ctx context.Context, key string, off, n int64) (io.ReadCloser, error) {
	if err := s.begin(ctx, key); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	f, hdr, err := s.openFile(key)
	if err != nil {
		return nil, notFound(err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("diskblob: open: %w", err)
	}
	size := st.Size() - hdr
	if size < 0 {
		f.Close()
		return nil, fmt.Errorf("diskblob: open: %s: shorter than its header", f.Name())
	}
	if off < 0 || off > size {
		f.Close()
		return nil, fmt.Errorf("%w: offset %d, size %d", blob.ErrRange, off, size)
	}
	if n < 0 || n > size-off {
		n = size - off
	}
	return &reader{f: f, sr: io.NewSectionReader(f, hdr+off, n)}, nil
}

// reader reads a section of a blob file. WriteTo (what io.Copy uses) moves
// 256 KiB per system call.
type reader struct {
	f  *os.File
	sr *io.SectionReader
}

func (r *reader) Read(p []byte) (int, error) { return r.sr.Read(p) }

func (r *reader) WriteTo(w io.Writer) (int64, error) {
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	buf := *bp
	var total int64
	for {
		n, err := r.sr.Read(buf)
		if n > 0 {
			m, werr := w.Write(buf[:n])
			total += int64(m)
			if werr != nil {
				return total, werr
			}
			if m < n {
				return total, io.ErrShortWrite
			}
		}
		if err == io.EOF {
			return total, nil
		}
		if err != nil {
			return total, err
		}
	}
}

func (r *reader) Close() error {
	if r.f == nil {
		return nil
	}
	err := r.f.Close()
	r.f = nil
	return err
}

// Size implements blob.Store.
func (s *Store) Size(ctx context.Context, key string) (int64, error) {
	if err := s.begin(ctx, key); err != nil {
		return 0, err
	}
	defer s.mu.RUnlock()
	_, file, v1 := s.path(key)
	hdr := hdrLen(key)
	st, err := os.Stat(file)
	if errors.Is(err, fs.ErrNotExist) {
		hdr = 0
		st, err = os.Stat(v1)
	}
	if err != nil {
		return 0, notFound(err)
	}
	if st.Size() < hdr {
		return 0, fmt.Errorf("diskblob: size: %s: shorter than its header", file)
	}
	return st.Size() - hdr, nil
}

// Delete implements blob.Store.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := s.begin(ctx, key); err != nil {
		return err
	}
	defer s.mu.RUnlock()
	dir, file, v1 := s.path(key)
	err := os.Remove(file)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("diskblob: delete: %w", err)
	}
	// A format-1 file is removed too, or it would resurface.
	if err1 := os.Remove(v1); err1 == nil {
		err = nil
	} else if !errors.Is(err1, fs.ErrNotExist) {
		return fmt.Errorf("diskblob: delete: %w", err1)
	}
	if err != nil {
		return notFound(err)
	}
	// Fan-out directories stay: removing them would race with a Put
	// renaming into them.
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("diskblob: delete: %w", err)
	}
	return nil
}

func notFound(err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return blob.ErrNotFound
	}
	return fmt.Errorf("diskblob: %w", err)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}

func writeFileSync(path string, data []byte) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
