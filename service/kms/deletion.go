package kms

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

const (
	minPendingDays     = 7
	maxPendingDays     = 30
	defaultPendingDays = 30
	// The model's bounds of PendingWindowInDays, wider than KMS's own.
	modelMinPendingDays = 1
	modelMaxPendingDays = 365
)

// ScheduleKeyDeletion schedules a key's deletion after a waiting period of
// 7 to 30 days (30 by default). The key is unusable meanwhile and is
// deleted for real by Sweep when the date comes, unless the deletion is
// cancelled.
func (s *Service) ScheduleKeyDeletion(ctx context.Context, c *cairn.Call, in *ScheduleKeyDeletionInput) (*ScheduleKeyDeletionOutput, error) {
	days := int32(defaultPendingDays)
	if in.PendingWindowInDays != nil {
		days = *in.PendingWindowInDays
		v := strconv.Itoa(int(days))
		// Outside the model's 1–365 the request fails input validation
		// (Coral's wording); inside it, KMS's own 7–30 check answers with
		// its own sentence [aws] (seen for a value of 1 in an AWS SDK log).
		switch {
		case days < modelMinPendingDays:
			return nil, validation("pendingWindowInDays", v, "Member must have value greater than or equal to 1")
		case days > modelMaxPendingDays:
			return nil, validation("pendingWindowInDays", v, "Member must have value less than or equal to 365")
		case days < minPendingDays || days > maxPendingDays:
			return nil, validationMsg("PendingWindowInDays must be between 7 and 30")
		}
	}
	when := s.now(c).Truncate(time.Second).AddDate(0, 0, int(days))
	rec, err := s.mutateKey(ctx, c, in, optsHome, func(k *keyRec) error {
		if k.State == statePendingDeletion {
			return pendingDeletion(k.arn())
		}
		k.State, k.DeletionDate, k.PendingDays = statePendingDeletion, &when, days
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ScheduleKeyDeletionOutput{KeyId: rec.arn(), DeletionDate: when, KeyState: statePendingDeletion, PendingWindowInDays: days}, nil
}

// CancelKeyDeletion cancels a scheduled deletion; the key is then
// disabled, as on AWS.
func (s *Service) CancelKeyDeletion(ctx context.Context, c *cairn.Call, in *CancelKeyDeletionInput) (*CancelKeyDeletionOutput, error) {
	rec, err := s.mutateKey(ctx, c, in, optsHome, func(k *keyRec) error {
		if k.State != statePendingDeletion {
			return notPendingDeletion(k.arn())
		}
		k.State, k.DeletionDate, k.PendingDays = stateDisabled, nil, 0
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &CancelKeyDeletionOutput{KeyId: rec.arn()}, nil
}

// SweepResult says what a sweep did.
type SweepResult struct {
	Deleted []string // ARNs of keys deleted
	Rotated []string // ARNs of keys rotated automatically
}

// Sweep deletes the keys whose deletion date has come (with their aliases
// and grants) and rotates the enabled keys whose automatic rotation is due. The
// wiring runs it periodically (Run); tests call it after moving the clock.
func (s *Service) Sweep(ctx context.Context) (SweepResult, error) {
	now := s.cfg.Clock.Now().UTC()
	var res SweepResult
	var due, rotate []keyRec
	err := s.view(ctx, func(tx store.Tx) error {
		return tx.Scan(tblKeys, "", "", 0, func(_ string, v []byte) error {
			var k keyRec
			if err := decodeJSON(v, &k); err != nil {
				return err
			}
			switch {
			case k.State == statePendingDeletion && k.DeletionDate != nil && !now.Before(*k.DeletionDate):
				due = append(due, k)
			// Only enabled keys rotate: AWS leaves a disabled key's material
			// alone and rotates it once it is enabled again (the sweep after
			// EnableKey finds its date passed).
			case k.State == stateEnabled && k.Rotation && k.NextRotation != nil && !now.Before(*k.NextRotation):
				rotate = append(rotate, k)
			}
			return nil
		})
	})
	if err != nil {
		return res, errorf("sweep: %w", err)
	}
	for i := range due {
		ok, err := s.deleteKey(ctx, &due[i], now)
		if err != nil {
			return res, err
		}
		if ok {
			res.Deleted = append(res.Deleted, due[i].arn())
		}
	}
	for i := range rotate {
		ok, err := s.rotate(ctx, rotate[i].Account, rotate[i].Region, rotate[i].ID, rotationAutomatic, now)
		if err != nil {
			return res, err
		}
		if ok {
			res.Rotated = append(res.Rotated, rotate[i].arn())
		}
	}
	// The events of what this sweep (or one a crash cut short) did.
	return res, s.flushServiceEvents(ctx)
}

// deleteKey deletes a key that is still due, its aliases and its grants,
// in one transaction.
func (s *Service) deleteKey(ctx context.Context, k *keyRec, now time.Time) (bool, error) {
	deleted := false
	err := s.update(ctx, func(tx store.Tx) error {
		var cur keyRec
		if err := store.GetJSON(tx, tblKeys, k.key(), &cur); err != nil {
			if isNotFound(err) {
				return nil
			}
			return err
		}
		if cur.State != statePendingDeletion || cur.DeletionDate == nil || now.Before(*cur.DeletionDate) {
			return nil // cancelled meanwhile
		}
		var aliases, grants []string
		err := tx.Scan(tblAliases, k.Account+"/"+k.Region+"/", "", 0, func(key string, v []byte) error {
			var a aliasRec
			if err := decodeJSON(v, &a); err != nil {
				return err
			}
			if a.KeyID == k.ID {
				aliases = append(aliases, key)
			}
			return nil
		})
		if err != nil {
			return err
		}
		err = tx.Scan(tblGrants, k.key()+"/", "", 0, func(key string, _ []byte) error {
			grants = append(grants, key)
			return nil
		})
		if err != nil {
			return err
		}
		for _, a := range aliases {
			if err := tx.Delete(tblAliases, a); err != nil {
				return err
			}
		}
		for _, g := range grants {
			if err := tx.Delete(tblGrants, g); err != nil {
				return err
			}
		}
		deleted = true
		if err := s.queueServiceEvent(tx, "DeleteKey", &cur, now); err != nil {
			return err
		}
		return tx.Delete(tblKeys, k.key())
	})
	if err != nil {
		return false, errorf("delete key %s: %w", k.arn(), err)
	}
	return deleted, nil
}

// Run sweeps every interval until ctx is done.
func (s *Service) Run(ctx context.Context, interval time.Duration, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		res, err := s.Sweep(ctx)
		switch {
		case err != nil && !errors.Is(err, context.Canceled) && ctx.Err() == nil:
			log.Error("kms sweep", "error", err)
		case len(res.Deleted) > 0 || len(res.Rotated) > 0:
			log.Info("kms sweep", "deleted", len(res.Deleted), "rotated", len(res.Rotated))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
