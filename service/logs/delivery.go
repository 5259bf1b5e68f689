package logs

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// What CloudTrail's delivery to CloudWatch Logs uses. These calls come from
// the wiring, not from a caller: CloudTrail authorizes its role itself and
// records what it does.

// LogGroupExists reports whether account's group exists in region: nil, or
// an error wrapping cairn.ErrNotFound.
func (s *Service) LogGroupExists(ctx context.Context, account, region, group string) error {
	_, err := s.group(ctx, groupRef{account, region, group})
	if isResourceNotFound(err) {
		return fmt.Errorf("log group %s in %s/%s: %w", group, account, region, cairn.ErrNotFound)
	}
	return err
}

// isResourceNotFound reports a missing group or stream.
func isResourceNotFound(err error) bool {
	e := cairn.AsError(err)
	return e != nil && e.Code == "ResourceNotFoundException"
}

// EnsureStream creates the stream if missing (idempotent). A missing group
// is an error wrapping cairn.ErrNotFound.
func (s *Service) EnsureStream(ctx context.Context, account, region, group, stream string) error {
	if err := validateName("logStreamName", stream); err != nil {
		return err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		g, err := getGroup(tx, groupRef{account, region, group})
		if err != nil {
			return err
		}
		if _, err := getStream(tx, g, stream); err == nil || !isResourceNotFound(err) {
			return err
		}
		_, err = createStream(tx, g, stream, s.cfg.Clock.Now().UnixMilli())
		return err
	})
	if isResourceNotFound(err) {
		return fmt.Errorf("ensure stream %s: log group %s: %w", stream, group, cairn.ErrNotFound)
	}
	return err
}

// Append ingests events into an existing stream as PutLogEvents does,
// metric filters included, in one transaction. It sorts the events by
// timestamp and stores them in as many chunks as the batch limits need
// (10,000 events, 1 MB, 24 hours each), so callers need not batch; events
// PutLogEvents would reject (empty, older than 14 days or the retention,
// more than 2 hours ahead) are dropped. A missing group or stream is an
// error wrapping cairn.ErrNotFound.
func (s *Service) Append(ctx context.Context, account, region, group, stream string, events []InputEvent) error {
	sorted := make([]InputLogEvent, 0, len(events))
	for _, e := range events {
		if e.Message != "" && e.Timestamp >= 0 && len(e.Message)+eventOverhead <= maxBatchBytes {
			sorted = append(sorted, e)
		}
	}
	slices.SortStableFunc(sorted, func(a, b InputLogEvent) int {
		switch {
		case a.Timestamp < b.Timestamp:
			return -1
		case a.Timestamp > b.Timestamp:
			return 1
		}
		return 0
	})
	now := s.cfg.Clock.Now()
	err := s.update(ctx, func(tx store.Tx) error {
		g, err := getGroup(tx, groupRef{account, region, group})
		if err != nil {
			return err
		}
		st, err := getStream(tx, g, stream)
		if err != nil {
			return err
		}
		accepted, _ := admit(sorted, now, g.Retention)
		for len(accepted) > 0 {
			n := batchLen(accepted)
			if err := s.ingest(tx, g, st, accepted[:n], now.UnixMilli()); err != nil {
				return err
			}
			accepted = accepted[n:]
		}
		return nil
	})
	if isResourceNotFound(err) {
		return fmt.Errorf("append to %s/%s: %w: %w", group, stream, err, cairn.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("append to %s/%s: %w", group, stream, err)
	}
	return nil
}

// batchLen is how many of the sorted events fit one chunk.
func batchLen(events []InputLogEvent) int {
	size := 0
	for i := range events {
		size += len(events[i].Message) + eventOverhead
		switch {
		case i == maxBatchEvents,
			i > 0 && size > maxBatchBytes,
			time.Duration(events[i].Timestamp-events[0].Timestamp)*time.Millisecond > maxSpan:
			return i
		}
	}
	return len(events)
}
