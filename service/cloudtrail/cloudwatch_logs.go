package cloudtrail

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// CloudTrail → CloudWatch Logs: the events a trail logs are also streamed,
// within seconds, into the trail's log group, one log event per record
// (the record's JSON as the message), into the stream
// <account>_CloudTrail_<region> (<o-id>_<account>_CloudTrail_<region> for
// an organization trail's member accounts). Each trail has its own cursor
// per event stream, separate from S3 delivery's: a failing log group
// holds back neither S3 delivery nor other trails. Delivery is at least
// once: a crash between the write and the cursor's commit writes those
// events again.

// LogsWriter writes a trail's events into its log group as CloudTrail
// does: it assumes the trail's CloudWatchLogsRoleArn as
// cloudtrail.amazonaws.com and, as that role session, creates the stream
// if it is missing and puts the events (chronological, within one
// PutLogEvents batch's limits). An error that is a *cairn.Error
// (AccessDenied, ResourceNotFoundException, …) is shown by its code in
// GetTrailStatus's LatestCloudWatchLogsDeliveryError; the events are
// written again on the next pass.
type LogsWriter interface {
	WriteLogEvents(ctx context.Context, t Trail, stream string, events []LogEvent) error
}

// LogEvent is one record for CloudWatch Logs.
type LogEvent struct {
	Time    time.Time
	Message string
}

// DefaultLogsInterval is how often events are streamed to log groups.
const DefaultLogsInterval = 2 * time.Second

const (
	tblLogsCursors = "cloudtrail_logs_cursors" // <trail ARN>|<account>|<region> -> cursorRec
	// A batch stays within PutLogEvents' limits: 10,000 events, 1 MiB
	// counting 26 bytes per event, 24 hours; an event over 256 KiB is
	// not sent, as CloudTrail does not send it.
	logsBatchEvents = 10000
	logsBatchBytes  = 1 << 20
	logsEventBytes  = 256 << 10
	logsBatchSpan   = 23 * time.Hour
)

// LogStreamName is the log stream CloudTrail writes an event stream to.
func LogStreamName(t *Trail, account, region string) string {
	name := account + "_CloudTrail_" + region
	if t.IsOrganizationTrail && t.OrganizationID != "" {
		name = t.OrganizationID + "_" + name
	}
	return name
}

// RunLogs streams events to log groups every LogsInterval until ctx is
// done; a pass in progress finishes first.
func (d *Deliverer) RunLogs(ctx context.Context) {
	if d.cfg.Logs == nil {
		return
	}
	every := d.cfg.LogsInterval
	if every <= 0 {
		every = DefaultLogsInterval
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := d.StreamLogs(context.WithoutCancel(ctx)); err != nil {
			d.cfg.Log.Error("cloudtrail to cloudwatch logs", "error", err)
		}
	}
}

// StreamLogs runs one pass: every logging trail with a log group gets the
// events after its cursors. Refused writes are reported in the trail's
// status; only internal failures are returned.
func (d *Deliverer) StreamLogs(ctx context.Context) error {
	if d.cfg.Logs == nil {
		return nil
	}
	trails, err := d.cfg.Service.Trails(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for i := range trails {
		t := &trails[i]
		if t.CloudWatchLogsLogGroupArn == "" || t.StartLoggingTime.IsZero() {
			continue
		}
		if err := d.streamTrailLogs(ctx, t); err != nil {
			errs = append(errs, fmt.Errorf("trail %s: %w", t.ARN, err))
		}
	}
	return errors.Join(errs...)
}

func (d *Deliverer) streamTrailLogs(ctx context.Context, t *Trail) error {
	streams, err := d.streamsOf(ctx, t)
	if err != nil {
		return err
	}
	wrote := false
	var refused error
	for _, st := range streams {
		for {
			n, more, err := d.streamLogs(ctx, t, st.account, st.region)
			wrote = wrote || n > 0
			if err != nil {
				if isRefusal(err) {
					refused = err
					break
				}
				return err
			}
			if !more {
				break
			}
		}
		if refused != nil {
			break
		}
	}
	if wrote || refused != nil {
		at := d.cfg.Clock.Now().UTC()
		if rerr := d.cfg.Service.RecordCloudWatchLogsDelivery(ctx, t.ARN, at, refused); rerr != nil && !isNotFound(rerr) {
			d.cfg.Log.Warn("record cloudwatch logs status", "trail", t.ARN, "error", rerr)
		}
	}
	return nil
}

// streamLogs writes at most one batch of one event stream and reports how
// many events it wrote and whether more are waiting.
func (d *Deliverer) streamLogs(ctx context.Context, t *Trail, account, region string) (int, bool, error) {
	ck := cursorKey(t.ARN, account, region)
	cur, err := d.cursor(ctx, tblLogsCursors, ck, t, account, region)
	if err != nil {
		return 0, false, err
	}
	events, last, more, err := d.collectLogs(ctx, t, account, region, cur.Seq)
	if err != nil {
		return 0, false, err
	}
	if last == cur.Seq {
		return 0, false, nil
	}
	if len(events) > 0 {
		slices.SortStableFunc(events, func(a, b LogEvent) int { return a.Time.Compare(b.Time) })
		if err := d.cfg.Logs.WriteLogEvents(ctx, *t, LogStreamName(t, account, region), events); err != nil {
			return 0, false, fmt.Errorf("write %d events to %s: %w", len(events), t.CloudWatchLogsLogGroupArn, err)
		}
	}
	err = d.cfg.Store.Update(ctx, func(tx store.Tx) error {
		var now cursorRec
		if err := store.GetJSON(tx, tblLogsCursors, ck, &now); err != nil {
			return err
		}
		if now.Seq != cur.Seq {
			return errConcurrent
		}
		return store.PutJSON(tx, tblLogsCursors, ck, &cursorRec{Seq: last})
	})
	if err != nil {
		return 0, false, errorf("commit logs cursor %s: %w", ck, err)
	}
	return len(events), more, nil
}

// collectLogs reads the events after seq that t logs, up to one batch.
func (d *Deliverer) collectLogs(ctx context.Context, t *Trail, account, region string, seq int64) (events []LogEvent, last int64, more bool, err error) {
	last = seq
	size := 0
	var oldest time.Time
	for {
		evs, err := d.cfg.Store.EventsAfter(ctx, account, region, last, readBatch)
		if err != nil {
			return nil, 0, false, errorf("read events of %s/%s: %w", account, region, err)
		}
		for _, e := range evs {
			keep, stop, err := d.delivers(t, e)
			if err != nil {
				return nil, 0, false, err
			}
			if stop {
				return events, last, false, nil
			}
			if keep && len(e.Record) <= logsEventBytes {
				if len(events) == logsBatchEvents || size+len(e.Record)+26 > logsBatchBytes ||
					(len(events) > 0 && (e.Time.Sub(oldest) > logsBatchSpan || oldest.Sub(e.Time) > logsBatchSpan)) {
					return events, last, true, nil
				}
				if len(events) == 0 || e.Time.Before(oldest) {
					oldest = e.Time
				}
				events = append(events, LogEvent{Time: e.Time, Message: string(e.Record)})
				size += len(e.Record) + 26
			}
			last = e.Seq
		}
		if len(evs) < readBatch {
			return events, last, false, nil
		}
	}
}

// isRefusal reports whether err is a destination's refusal (a
// *cairn.Error: access denied, missing group) rather than an internal
// failure.
func isRefusal(err error) bool { return cairn.AsError(err) != nil }
