package logs

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// PutLogEvents' limits, as AWS documents them.
const (
	maxBatchEvents = 10000
	maxBatchBytes  = 1048576 // sum of messages in UTF-8 plus eventOverhead each
	eventOverhead  = 26
	maxPast        = 14 * 24 * time.Hour
	maxFuture      = 2 * time.Hour
	maxSpan        = 24 * time.Hour // between the first and last accepted event of a batch
)

// PutLogEvents stores a batch of events in a log stream.
func (s *Service) PutLogEvents(ctx context.Context, c *cairn.Call, in *PutLogEventsInput) (*PutLogEventsOutput, error) {
	ref, err := ownGroup(c, in.LogGroupName)
	if err != nil {
		return nil, err
	}
	if err := validateName("logStreamName", in.LogStreamName); err != nil {
		return nil, err
	}
	if err := validateBatch(in.LogEvents); err != nil {
		return nil, err
	}
	now := s.now(c)
	out := &PutLogEventsOutput{}
	// Concurrent batches share the store's group commit.
	err = s.cfg.Store.Update(ctx, func(tx store.Tx) error {
		g, err := getGroup(tx, ref)
		if err != nil {
			return err
		}
		st, err := getStream(tx, g, in.LogStreamName)
		if err != nil {
			return err
		}
		accepted, info := admit(in.LogEvents, now, g.Retention)
		if len(accepted) > 0 {
			if time.Duration(accepted[len(accepted)-1].Timestamp-accepted[0].Timestamp)*time.Millisecond > maxSpan {
				return spanTooLong()
			}
			if err := s.ingest(tx, g, st, accepted, now.UnixMilli()); err != nil {
				return err
			}
		}
		if info != (RejectedLogEventsInfo{}) {
			out.RejectedLogEventsInfo = &info
		}
		tok := sequenceToken(g.NextChunk + 1)
		out.NextSequenceToken = &tok
		return nil
	})
	if err != nil {
		return nil, wrap("put log events", err)
	}
	return out, nil
}

// validateBatch applies the checks that fail the whole request: count,
// size, empty messages, and chronological order.
func validateBatch(events []InputLogEvent) error {
	switch {
	case events == nil:
		return validationNull("logEvents")
	case len(events) == 0:
		return validation("logEvents", "[]", "Member must have length greater than or equal to 1")
	case len(events) > maxBatchEvents:
		return validation("logEvents", "[…]", "Member must have length less than or equal to 10000")
	}
	size := 0
	for i := range events {
		e := &events[i]
		n := strconv.Itoa(i + 1)
		if e.Message == "" {
			return validation("logEvents."+n+".member.message", "", "Member must have length greater than or equal to 1")
		}
		if e.Timestamp < 0 {
			return validation("logEvents."+n+".member.timestamp", strconv.FormatInt(e.Timestamp, 10), "Member must have value greater than or equal to 0")
		}
		if one := len(e.Message) + eventOverhead; one > maxBatchBytes {
			return invalidParameter("Log event too large: %d bytes exceeds limit of %d", one, maxBatchBytes)
		}
		size += len(e.Message) + eventOverhead
		if i > 0 && e.Timestamp < events[i-1].Timestamp {
			return outOfOrder()
		}
	}
	if size > maxBatchBytes {
		return invalidParameter("Upload too large: %d bytes exceeds limit of %d", size, maxBatchBytes)
	}
	return nil
}

// admit splits a sorted batch into the accepted events and AWS's account of
// the rejected ones: a prefix too old (over 14 days) or expired (past the
// group's retention), and a suffix too new (over 2 hours ahead).
func admit(events []InputLogEvent, now time.Time, retentionDays int32) ([]InputLogEvent, RejectedLogEventsInfo) {
	var info RejectedLogEventsInfo
	tooOld := now.Add(-maxPast).UnixMilli()
	tooNew := now.Add(maxFuture).UnixMilli()
	expired := int64(-1)
	if retentionDays > 0 {
		expired = retentionCutoff(now, retentionDays)
	}
	first, last := 0, len(events)
	oldEnd, expiredEnd := 0, 0
	for i := range events {
		if events[i].Timestamp < tooOld {
			oldEnd = i + 1
		}
		if events[i].Timestamp < expired {
			expiredEnd = i + 1
		}
	}
	for last > 0 && events[last-1].Timestamp > tooNew {
		last--
	}
	if oldEnd > 0 {
		v := int32(oldEnd)
		info.TooOldLogEventEndIndex = &v
	}
	if expiredEnd > 0 {
		v := int32(expiredEnd)
		info.ExpiredLogEventEndIndex = &v
	}
	if last < len(events) {
		v := int32(last)
		info.TooNewLogEventStartIndex = &v
	}
	first = max(oldEnd, expiredEnd)
	if first >= last {
		return nil, info
	}
	return events[first:last], info
}

// retentionCutoff is the oldest timestamp a group with this retention keeps.
func retentionCutoff(now time.Time, days int32) int64 {
	return now.Add(-time.Duration(days) * 24 * time.Hour).UnixMilli()
}

// sequenceToken renders a chunk number as a 56-digit token, the shape of
// AWS's uploadSequenceToken.
func sequenceToken(seq uint64) string { return fmt.Sprintf("49%054d", seq) }

// ingest stores sorted events, spanning at most maxSpan, as one chunk of
// stream st, applies the group's metric filters to them, and updates the
// stream and the group, all in tx.
func (s *Service) ingest(tx store.Tx, g *groupRec, st *streamRec, events []InputLogEvent, now int64) error {
	g.NextChunk++
	seq := g.NextChunk
	data := encodeChunk(st.ID, st.Name, now, events)
	minTS, maxTS := events[0].Timestamp, events[len(events)-1].Timestamp
	var bytes int64
	for i := range events {
		bytes += int64(len(events[i].Message))
	}
	if err := tx.Put(tblChunks, chunkKey(g.ID, minTS, seq), data); err != nil {
		return err
	}
	entry := indexEntry{MinTS: minTS, MaxTS: maxTS, Seq: seq, Count: int32(len(events)), Bytes: bytes}
	if err := tx.Put(tblIndex, indexKey(g.ID, st.ID, minTS, seq), entry.encode()); err != nil {
		return err
	}
	if st.LastIngestion == 0 || minTS < st.FirstEvent {
		st.FirstEvent = minTS
	}
	st.LastEvent = max(st.LastEvent, maxTS)
	st.LastIngestion = now
	st.StoredBytes += bytes
	st.Token = sequenceToken(seq + 1)
	if err := store.PutJSON(tx, tblStreams, streamKey(g.ID, st.Name), st); err != nil {
		return err
	}
	if g.MetricFilters > 0 {
		var c chunk
		if err := decodeChunk(data, &c); err != nil {
			return err
		}
		if err := s.applyMetricFilters(tx, g, &c, events); err != nil {
			return err
		}
	}
	g.StoredBytes += bytes
	return store.PutJSON(tx, tblGroups, g.key(), g)
}
