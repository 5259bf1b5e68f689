package s3

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/cairnhq/cairn/blob"
	"github.com/cairnhq/cairn/store"
)

// SweepOrphanBlobs deletes the blobs that no object record and no part
// record refers to and that were written before olderThan, and returns how
// many it deleted. Such blobs are left by a crash (or a failed delete)
// between writing a blob and committing, or after dropping, the record
// that points at it; nothing ever reads them.
//
// Races. The candidates are listed first; the referenced keys are read
// after, in one snapshot of both tables, so that an upload completing
// during the sweep (which moves part blobs into an object record in one
// transaction) is seen on one side or the other. A record committed after
// that snapshot can still point at a candidate only if its blob was
// written before olderThan and its commit came after the snapshot: a
// write stalled between the blob's Put and its commit for longer than the
// margin between olderThan and now. That margin (an hour in production) is
// the guard: a blob's modification time is when its Put committed, after
// the body streamed, so a slow upload does not eat into it. A record
// deleted during the sweep makes its blobs unreferenced; the request that
// deleted it deletes them too, so ErrNotFound from Delete is not a
// failure. Blob keys are random and never reused, so a Delete here cannot
// hit a newer blob put under a candidate's key.
//
// Memory grows with the number of blobs older than olderThan (their keys).
func (s *Service) SweepOrphanBlobs(ctx context.Context, olderThan time.Time) (int, error) {
	candidates := map[string]bool{}
	err := s.cfg.Blobs.Walk(ctx, func(key string, modified time.Time) error {
		if modified.Before(olderThan) {
			candidates[key] = true
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("sweep blobs: %w", err)
	}
	if len(candidates) == 0 {
		return 0, nil
	}
	if err := s.view(ctx, func(tx store.Tx) error { return dropReferenced(tx, candidates) }); err != nil {
		return 0, fmt.Errorf("sweep blobs: %w", err)
	}
	n := 0
	for key := range candidates {
		switch err := s.cfg.Blobs.Delete(ctx, key); {
		case err == nil:
			n++
		case errors.Is(err, blob.ErrNotFound):
		default:
			return n, fmt.Errorf("sweep blobs: %w", err)
		}
	}
	return n, nil
}

// dropReferenced removes from keys the blob keys that object and part
// records refer to.
func dropReferenced(tx store.Tx, keys map[string]bool) error {
	err := tx.Scan(tblObjects, "", "", 0, func(k string, v []byte) error {
		var o struct{ Blobs []blobRec }
		if err := json.Unmarshal(v, &o); err != nil {
			return fmt.Errorf("object %q: %w", k, err)
		}
		for _, b := range o.Blobs {
			delete(keys, b.Key)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return tx.Scan(tblParts, "", "", 0, func(k string, v []byte) error {
		var p struct{ Blob string }
		if err := json.Unmarshal(v, &p); err != nil {
			return fmt.Errorf("part %q: %w", k, err)
		}
		delete(keys, p.Blob)
		return nil
	})
}
