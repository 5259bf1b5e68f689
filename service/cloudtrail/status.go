package cloudtrail

import (
	"context"
	"fmt"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// isoLayout is how the string members of GetTrailStatus print times.
const isoLayout = "2006-01-02T15:04:05Z"

// GetTrailStatus returns a trail's logging state and what delivery last
// reported. A shadow trail is named by ARN.
func (s *Service) GetTrailStatus(ctx context.Context, c *cairn.Call, in *GetTrailStatusInput) (*GetTrailStatusOutput, error) {
	ref, err := parseRef(in.Name)
	if err != nil {
		return nil, err
	}
	cl, err := s.callerOf(ctx, c)
	if err != nil {
		return nil, err
	}
	var r *trailRec
	var st statusRec
	err = s.view(ctx, func(tx store.Tx) error {
		var err error
		if r, err = resolve(tx, cl, ref, read, notFoundARN(ref, cl)); err != nil {
			return err
		}
		if err := store.GetJSON(tx, tblStatus, r.arn(), &st); err != nil && !isNotFound(err) {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	empty := ""
	iso := func(t *time.Time) *string {
		if t == nil {
			return &empty
		}
		v := t.UTC().Format(isoLayout)
		return &v
	}
	out := &GetTrailStatusOutput{
		IsLogging:                          r.Logging,
		LatestDeliveryError:                deliveryError(&st),
		LatestNotificationError:            st.NotificationError,
		LatestDeliveryTime:                 st.DeliveryTime,
		LatestNotificationTime:             st.NotificationTime,
		StartLoggingTime:                   r.Started,
		StopLoggingTime:                    r.Stopped,
		LatestCloudWatchLogsDeliveryError:  st.CloudWatchLogsError,
		LatestCloudWatchLogsDeliveryTime:   st.CloudWatchLogsTime,
		LatestDigestDeliveryTime:           st.DigestTime,
		LatestDigestDeliveryError:          st.DigestError,
		LatestDeliveryAttemptTime:          iso(st.DeliveryAttempt),
		LatestNotificationAttemptTime:      iso(st.NotificationAttempt),
		LatestNotificationAttemptSucceeded: iso(st.NotificationTime),
		LatestDeliveryAttemptSucceeded:     iso(st.DeliveryTime),
		TimeLoggingStarted:                 iso(r.Started),
		TimeLoggingStopped:                 iso(r.Stopped),
	}
	return out, nil
}

// StartLogging starts recording for a trail, from its home region.
func (s *Service) StartLogging(ctx context.Context, c *cairn.Call, in *StartLoggingInput) (*StartLoggingOutput, error) {
	err := s.setLogging(ctx, c, in.Name, true)
	if err != nil {
		return nil, err
	}
	return &StartLoggingOutput{}, nil
}

// StopLogging stops recording for a trail, from its home region.
func (s *Service) StopLogging(ctx context.Context, c *cairn.Call, in *StopLoggingInput) (*StopLoggingOutput, error) {
	err := s.setLogging(ctx, c, in.Name, false)
	if err != nil {
		return nil, err
	}
	return &StopLoggingOutput{}, nil
}

// setLogging turns logging on or off. The times record the latest change;
// a call that changes nothing changes no time.
func (s *Service) setLogging(ctx context.Context, c *cairn.Call, name string, on bool) error {
	ref, err := parseRef(name)
	if err != nil {
		return err
	}
	cl, err := s.callerOf(ctx, c)
	if err != nil {
		return err
	}
	now := s.now(c)
	return s.update(ctx, func(tx store.Tx) error {
		r, err := resolve(tx, cl, ref, write, notFoundAs(ref, cl.account))
		if err != nil {
			return err
		}
		if r.Logging == on {
			return nil
		}
		r.Logging = on
		if on {
			r.Started = &now
		} else {
			r.Stopped = &now
		}
		return store.PutJSON(tx, tblTrails, r.key(), r)
	})
}

// The delivery engine reports what happened to each trail's deliveries
// through the Record methods; GetTrailStatus shows it. at is the time of
// the attempt; err nil means it succeeded, which also clears the previous
// error. An error is shown by its AWS error code when it is a *cairn.Error
// (AccessDenied, NoSuchBucket, …), else by its text. Reports for a trail
// that no longer exists return an error wrapping cairn.ErrNotFound.

// RecordDelivery reports a log file delivery attempt to S3.
func (s *Service) RecordDelivery(ctx context.Context, trailARN string, at time.Time, err error) error {
	return s.record(ctx, trailARN, func(st *statusRec) {
		st.DeliveryAttempt = utc(at)
		setOutcome(&st.DeliveryTime, &st.DeliveryError, at, err)
		if err == nil { // a success clears the report of skipped events too
			st.Skipped, st.SkippedFrom, st.SkippedTo = 0, nil, nil
		}
	})
}

// RecordDeliverySkipped reports n events, recorded from oldest to newest,
// that could not be delivered within RedeliveryWindow and were skipped.
// GetTrailStatus's LatestDeliveryError says so until a delivery succeeds.
func (s *Service) RecordDeliverySkipped(ctx context.Context, trailARN string, n int, oldest, newest time.Time) error {
	return s.record(ctx, trailARN, func(st *statusRec) {
		st.Skipped += n
		if st.SkippedFrom == nil || oldest.Before(*st.SkippedFrom) {
			st.SkippedFrom = utc(oldest)
		}
		if st.SkippedTo == nil || newest.After(*st.SkippedTo) {
			st.SkippedTo = utc(newest)
		}
	})
}

// deliveryError is LatestDeliveryError: S3's error code of the latest
// attempt, and the events skipped since the latest success, if any.
func deliveryError(st *statusRec) string {
	if st.Skipped == 0 {
		return st.DeliveryError
	}
	events := "events"
	if st.Skipped == 1 {
		events = "event"
	}
	msg := fmt.Sprintf("%d %s recorded from %s to %s could not be delivered within %d days and were skipped",
		st.Skipped, events, st.SkippedFrom.Format(isoLayout), st.SkippedTo.Format(isoLayout), int(RedeliveryWindow.Hours()/24))
	if st.DeliveryError == "" {
		return msg
	}
	return st.DeliveryError + "; " + msg
}

// RecordDigest reports a digest file delivery attempt.
func (s *Service) RecordDigest(ctx context.Context, trailARN string, at time.Time, err error) error {
	return s.record(ctx, trailARN, func(st *statusRec) {
		setOutcome(&st.DigestTime, &st.DigestError, at, err)
	})
}

// RecordNotification reports an SNS notification attempt.
func (s *Service) RecordNotification(ctx context.Context, trailARN string, at time.Time, err error) error {
	return s.record(ctx, trailARN, func(st *statusRec) {
		st.NotificationAttempt = utc(at)
		setOutcome(&st.NotificationTime, &st.NotificationError, at, err)
	})
}

// RecordCloudWatchLogsDelivery reports a delivery attempt to CloudWatch
// Logs.
func (s *Service) RecordCloudWatchLogsDelivery(ctx context.Context, trailARN string, at time.Time, err error) error {
	return s.record(ctx, trailARN, func(st *statusRec) {
		setOutcome(&st.CloudWatchLogsTime, &st.CloudWatchLogsError, at, err)
	})
}

func utc(t time.Time) *time.Time {
	u := t.UTC()
	return &u
}

func setOutcome(when **time.Time, msg *string, at time.Time, err error) {
	if err == nil {
		*when, *msg = utc(at), ""
		return
	}
	if ce := cairn.AsError(err); ce != nil {
		*msg = ce.Code
	} else {
		// An internal failure's text is for Cairn's log, not for callers.
		*msg = "InternalFailure"
	}
}

func (s *Service) record(ctx context.Context, trailARN string, fn func(*statusRec)) error {
	ref, err := parseRef(trailARN)
	if err != nil || !ref.IsARN {
		return errorf("record status: %q is not a trail ARN", trailARN)
	}
	return s.update(ctx, func(tx store.Tx) error {
		r, err := loadTrail(tx, ref.Account, ref.Region, ref.Name)
		if err != nil {
			return err
		}
		if r == nil {
			return errorf("record status of %s: %w", trailARN, cairn.ErrNotFound)
		}
		var st statusRec
		if err := store.GetJSON(tx, tblStatus, trailARN, &st); err != nil && !isNotFound(err) {
			return err
		}
		fn(&st)
		return store.PutJSON(tx, tblStatus, trailARN, &st)
	})
}
