package cloudtrail

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/cairnhq/cairn/store"
)

// A deleted trail that ever logged is kept as retired until the delivery
// engine has delivered what it recorded up to the deletion and, with log
// file validation, its final digests: DeleteTrail ends a chain as
// StopLogging does.
const tblRetired = "cloudtrail_retired" // <trail ARN>

// retire keeps r, stopped at now unless it was stopped before.
func retire(tx store.Tx, r *trailRec, now time.Time) error {
	if r.Started == nil {
		return nil
	}
	if r.Logging {
		r.Logging = false
		r.Stopped = &now
	}
	return store.PutJSON(tx, tblRetired, r.arn(), r)
}

// RetiredTrails returns the deleted trails whose last deliveries are still
// due, as stopped trails.
func (s *Service) RetiredTrails(ctx context.Context) ([]Trail, error) {
	var out []Trail
	err := s.view(ctx, func(tx store.Tx) error {
		return tx.Scan(tblRetired, "", "", 0, func(k string, v []byte) error {
			var r trailRec
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("decode retired trail %s: %w", k, err)
			}
			out = append(out, r.trail())
			return nil
		})
	})
	if err != nil {
		return nil, errorf("list retired trails: %w", err)
	}
	return out, nil
}

// ForgetRetired drops a retired trail once its last deliveries are done.
// A trail of the same ARN created since is not affected.
func (s *Service) ForgetRetired(ctx context.Context, trailARN string) error {
	err := s.update(ctx, func(tx store.Tx) error {
		if err := tx.Delete(tblRetired, trailARN); err != nil && !isNotFound(err) {
			return err
		}
		return nil
	})
	if err != nil {
		return errorf("forget retired trail %s: %w", trailARN, err)
	}
	return nil
}
