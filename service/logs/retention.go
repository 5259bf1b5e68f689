package logs

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// PutRetentionPolicy sets how many days a group keeps its events.
func (s *Service) PutRetentionPolicy(ctx context.Context, c *cairn.Call, in *PutRetentionPolicyInput) (*Empty, error) {
	ref, err := ownGroup(c, in.LogGroupName)
	if err != nil {
		return nil, err
	}
	days, err := validateRetention(in.RetentionInDays)
	if err != nil {
		return nil, err
	}
	if err := s.setRetention(ctx, ref, days); err != nil {
		return nil, wrap("put retention policy", err)
	}
	return &Empty{}, nil
}

// DeleteRetentionPolicy makes a group keep its events forever.
func (s *Service) DeleteRetentionPolicy(ctx context.Context, c *cairn.Call, in *DeleteRetentionPolicyInput) (*Empty, error) {
	ref, err := ownGroup(c, in.LogGroupName)
	if err != nil {
		return nil, err
	}
	if err := s.setRetention(ctx, ref, 0); err != nil {
		return nil, wrap("delete retention policy", err)
	}
	return &Empty{}, nil
}

func (s *Service) setRetention(ctx context.Context, ref groupRef, days int32) error {
	return s.update(ctx, func(tx store.Tx) error {
		g, err := getGroup(tx, ref)
		if err != nil {
			return err
		}
		g.Retention = days
		return store.PutJSON(tx, tblGroups, g.key(), g)
	})
}

// SweepResult says what a sweep deleted.
type SweepResult struct {
	Chunks int // chunks deleted because every event in them expired
	Purged int // chunks of deleted groups and streams deleted
}

// sweepBatch bounds the keys one sweep transaction deletes, so that a
// large purge does not hold the writer for long.
const sweepBatch = 500

// Sweep deletes the events that outlived their group's retention (whole
// chunks whose latest event expired; reads already hide expired events in
// chunks that still hold live ones) and the data of deleted groups and
// streams. It is safe to run at any time, concurrently with everything.
func (s *Service) Sweep(ctx context.Context) (SweepResult, error) {
	var res SweepResult
	now := s.cfg.Clock.Now()
	var groups []groupRec
	err := s.view(ctx, func(tx store.Tx) error {
		return tx.Scan(tblGroups, "", "", 0, func(_ string, v []byte) error {
			var g groupRec
			if err := decodeJSON(v, &g); err != nil {
				return err
			}
			if g.Retention > 0 {
				groups = append(groups, g)
			}
			return nil
		})
	})
	if err != nil {
		return res, errorf("sweep: %w", err)
	}
	for i := range groups {
		n, err := s.expire(ctx, &groups[i], retentionCutoff(now, groups[i].Retention))
		res.Chunks += n
		if err != nil {
			return res, errorf("sweep %s: %w", groups[i].Name, err)
		}
	}
	n, err := s.purge(ctx)
	res.Purged = n
	if err != nil {
		return res, errorf("sweep: %w", err)
	}
	return res, nil
}

// expire deletes a group's chunks whose latest event is older than cutoff.
func (s *Service) expire(ctx context.Context, g *groupRec, cutoff int64) (int, error) {
	var streams []streamRec
	err := s.view(ctx, func(tx store.Tx) error {
		return tx.Scan(tblStreams, streamKey(g.ID, ""), "", 0, func(_ string, v []byte) error {
			var st streamRec
			if err := decodeJSON(v, &st); err != nil {
				return err
			}
			if st.FirstEvent < cutoff && st.LastIngestion != 0 {
				streams = append(streams, st)
			}
			return nil
		})
	})
	if err != nil {
		return 0, err
	}
	total := 0
	for _, st := range streams {
		for {
			n, err := s.expireBatch(ctx, g, st.Name, st.ID, cutoff)
			total += n
			if err != nil {
				return total, err
			}
			if n < sweepBatch {
				break
			}
		}
	}
	return total, nil
}

// expireBatch deletes up to sweepBatch expired chunks of one stream in one
// transaction, and takes their bytes off the stream and the group.
func (s *Service) expireBatch(ctx context.Context, ref *groupRec, stream string, sid uint32, cutoff int64) (int, error) {
	n := 0
	err := s.update(ctx, func(tx store.Tx) error {
		n = 0
		g, err := getGroup(tx, groupRef{ref.Account, ref.Region, ref.Name})
		if e := cairn.AsError(err); e != nil || err == nil && g.ID != ref.ID {
			return nil // deleted meanwhile: the purge takes it
		} else if err != nil {
			return err
		}
		var expired []indexEntry
		var keys []string
		err = tx.Scan(tblIndex, indexPrefix(g.ID, sid), "", 0, func(k string, v []byte) error {
			e, err := decodeIndexEntry(v)
			if err != nil {
				return err
			}
			if e.MinTS >= cutoff || len(expired) == sweepBatch {
				return store.ErrStop
			}
			if e.MaxTS < cutoff {
				expired = append(expired, e)
				keys = append(keys, k)
			}
			return nil
		})
		if err != nil || len(expired) == 0 {
			return err
		}
		var bytes int64
		for i, e := range expired {
			if err := tx.Delete(tblChunks, chunkKey(g.ID, e.MinTS, e.Seq)); err != nil && !isNotFound(err) {
				return err
			}
			if err := tx.Delete(tblIndex, keys[i]); err != nil {
				return err
			}
			bytes += e.Bytes
		}
		st, err := getStream(tx, g, stream)
		if err == nil && st.ID == sid {
			st.StoredBytes -= bytes
			if err := store.PutJSON(tx, tblStreams, streamKey(g.ID, st.Name), st); err != nil {
				return err
			}
		}
		g.StoredBytes -= bytes
		n = len(expired)
		return store.PutJSON(tx, tblGroups, g.key(), g)
	})
	return n, err
}

// purge deletes the data of deleted groups (trash key <gid>) and streams
// (<gid>/<sid>), a batch per transaction, then their trash entries.
func (s *Service) purge(ctx context.Context) (int, error) {
	var trash []string
	err := s.view(ctx, func(tx store.Tx) error {
		return tx.Scan(tblTrash, "", "", 0, func(k string, _ []byte) error {
			trash = append(trash, k)
			return nil
		})
	})
	if err != nil {
		return 0, err
	}
	total := 0
	for _, t := range trash {
		for {
			n, done, err := s.purgeBatch(ctx, t)
			total += n
			if err != nil {
				return total, err
			}
			if done {
				break
			}
		}
	}
	return total, nil
}

// purgeBatch deletes up to sweepBatch keys of one trash entry; done says
// the entry is gone.
func (s *Service) purgeBatch(ctx context.Context, trash string) (chunks int, done bool, err error) {
	gid, sidHex, isStream := strings.Cut(trash, "/")
	err = s.update(ctx, func(tx store.Tx) error {
		chunks, done = 0, false
		budget := sweepBatch
		// del deletes up to budget keys of table under prefix, and the
		// keys more returns for each; keys are collected first, since the
		// store must not change under a scan.
		del := func(table, prefix string, more func(v []byte) (string, error)) (int, error) {
			var keys, extra []string
			err := tx.Scan(table, prefix, "", budget, func(k string, v []byte) error {
				keys = append(keys, k)
				if more != nil {
					x, err := more(v)
					if err != nil {
						return err
					}
					extra = append(extra, x)
				}
				return nil
			})
			if err != nil {
				return 0, err
			}
			for _, k := range keys {
				if err := tx.Delete(table, k); err != nil && !isNotFound(err) {
					return 0, err
				}
			}
			for _, k := range extra {
				if err := tx.Delete(tblChunks, k); err != nil && !isNotFound(err) {
					return 0, err
				}
			}
			budget -= len(keys)
			return len(keys), nil
		}
		if isStream {
			// The stream's chunks, through its index.
			n, err := del(tblIndex, gid+"/"+sidHex+"/", func(v []byte) (string, error) {
				e, err := decodeIndexEntry(v)
				if err != nil {
					return "", err
				}
				return chunkKey(gid, e.MinTS, e.Seq), nil
			})
			chunks += n
			if err != nil || n > 0 {
				return err
			}
		} else {
			for _, table := range []string{tblChunks, tblIndex, tblStreams, tblFilters} {
				n, err := del(table, gid+"/", nil)
				if err != nil {
					return err
				}
				if table == tblChunks {
					chunks += n
				}
				if budget == 0 {
					return nil
				}
			}
		}
		done = true
		return tx.Delete(tblTrash, trash)
	})
	return chunks, done, err
}

// Run sweeps every interval until ctx is done; the wiring runs it in the
// background.
func (s *Service) Run(ctx context.Context, interval time.Duration, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		res, err := s.Sweep(ctx)
		switch {
		case err != nil && !errors.Is(err, context.Canceled) && ctx.Err() == nil:
			log.Error("logs sweep", "error", err)
		case res.Chunks > 0 || res.Purged > 0:
			log.Info("logs sweep", "expired chunks", res.Chunks, "purged chunks", res.Purged)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
