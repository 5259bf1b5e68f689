package diskblob

import (
	"bytes"
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
	"strings"
	"time"
)

// walked is one blob found by Walk.
type walked struct {
	key      string
	modified time.Time
}

// Walk implements blob.Store. It reads one fan-out directory at a time
// (1/256 of the blobs), holding no lock while fn runs, so fn may call the
// store. Blobs written by format 1 are not reported: their keys are
// unknown.
func (s *Store) Walk(ctx context.Context, fn func(key string, modified time.Time) error) error {
	for i := range 256 {
		batch, err := s.walkDir(ctx, filepath.Join(s.objects, fmt.Sprintf("%02x", i)))
		if err != nil {
			return err
		}
		for _, w := range batch {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := fn(w.key, w.modified); err != nil {
				return err
			}
		}
	}
	return nil
}

// walkDir returns the blobs of one fan-out directory.
func (s *Store) walkDir(ctx context.Context, dir string) ([]walked, error) {
	if err := s.admit(ctx); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil // removed behind our back: no blobs
	}
	if err != nil {
		return nil, fmt.Errorf("diskblob: walk: %w", err)
	}
	var batch []walked
	for _, e := range ents {
		name, ok := strings.CutSuffix(e.Name(), keyedExt)
		if !ok || len(name) != sha256.Size*2 || !e.Type().IsRegular() {
			continue // a format-1 blob, or not a blob
		}
		w, err := readHeader(filepath.Join(dir, e.Name()), name)
		if errors.Is(err, fs.ErrNotExist) {
			continue // deleted since ReadDir
		}
		if err != nil {
			return nil, fmt.Errorf("diskblob: walk: %w", err)
		}
		batch = append(batch, w)
	}
	return batch, nil
}

// readHeader returns the key in the header of the blob file p and the
// file's modification time; hash is the file's name, which the key must
// hash to.
func readHeader(p, hash string) (walked, error) {
	f, err := os.Open(p)
	if err != nil {
		return walked{}, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return walked{}, err
	}
	var fixed [len(hdrMagic) + 2]byte
	if _, err := io.ReadFull(f, fixed[:]); err != nil {
		return walked{}, fmt.Errorf("%s: header: %w", p, err)
	}
	if !bytes.Equal(fixed[:len(hdrMagic)], []byte(hdrMagic)) {
		return walked{}, fmt.Errorf("%s: no blob header", p)
	}
	key := make([]byte, binary.BigEndian.Uint16(fixed[len(hdrMagic):]))
	if _, err := io.ReadFull(f, key); err != nil {
		return walked{}, fmt.Errorf("%s: header: %w", p, err)
	}
	if sum := sha256.Sum256(key); hex.EncodeToString(sum[:]) != hash {
		return walked{}, fmt.Errorf("%s: the key in the header does not match the file name", p)
	}
	return walked{key: string(key), modified: st.ModTime()}, nil
}
