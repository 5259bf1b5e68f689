package cloudtrail

import (
	"context"
	"time"

	"github.com/cairnhq/cairn/store"
)

// RedeliveryWindow is how long delivery keeps trying to deliver an event
// (AWS: "up to 30 days" when the bucket is unreachable). An event the
// trail delivers that is still after its cursor when it is older than
// that could not be delivered for all that time (the bucket refused, or
// Cairn was down): it is skipped, as AWS gives up on it, rather than
// retried until the 90-day event history purges it from under the cursor.
const RedeliveryWindow = 30 * 24 * time.Hour

// expire counts e among the events skipped past RedeliveryWindow.
func (b *batch) expire(e *store.Event) {
	b.expired++
	if b.expiredOldest.IsZero() || e.Time.Before(b.expiredOldest) {
		b.expiredOldest = e.Time
	}
	if e.Time.After(b.expiredNewest) {
		b.expiredNewest = e.Time
	}
}

// skipExpired moves the cursor past the expired head of b and reports the
// skipped events in the trail's status. A pinned file keeps its pin (and
// key) if events of it remain; the repeated write then carries those only.
func (d *Deliverer) skipExpired(ctx context.Context, ck string, cur cursorRec, t *Trail, b *batch) error {
	next := cursorRec{Seq: b.skipTo}
	if cur.Pending != nil && cur.Pending.Last > b.skipTo {
		next.Pending = cur.Pending
	}
	err := d.cfg.Store.Update(ctx, func(tx store.Tx) error {
		var now cursorRec
		if err := store.GetJSON(tx, tblCursors, ck, &now); err != nil && !isNotFound(err) {
			return err
		}
		if now.Seq != cur.Seq {
			return errConcurrent
		}
		return store.PutJSON(tx, tblCursors, ck, &next)
	})
	if err != nil {
		return errorf("skip expired events of %s: %w", ck, err)
	}
	d.cfg.Log.Warn("cloudtrail: events not delivered within the redelivery window were skipped", "trail", t.ARN,
		"cursor", ck, "events", b.expired, "oldest", b.expiredOldest, "newest", b.expiredNewest)
	err = d.cfg.Service.RecordDeliverySkipped(ctx, t.ARN, b.expired, b.expiredOldest, b.expiredNewest)
	if err != nil && !isNotFound(err) {
		d.cfg.Log.Warn("record skipped events", "trail", t.ARN, "error", err)
	}
	return nil
}
