package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/audit"
	"github.com/cairnhq/cairn/service/cloudtrail"
	"github.com/cairnhq/cairn/service/kms"
	"github.com/cairnhq/cairn/store"
)

// kmsRecorder records the calls KMS serves on a caller's behalf (SSE-KMS
// data keys for S3) the way the funnel records its own: the same record
// builder, the same group-committing recorder, a copy in the key owner's
// account for a cross-account call that succeeded.
type kmsRecorder struct {
	recorder *audit.Recorder
	ids      cairn.IDs
}

func (r kmsRecorder) RecordEvent(ctx context.Context, e *kms.Event) error {
	entry := &audit.Entry{
		Call: e.Call, Service: e.Service, Op: e.Op, OpName: e.Op.Name,
		Input: e.Input, Output: e.Output, Err: e.Err,
		EventID: r.ids.UUID(), Region: e.Call.Region, InvokedBy: e.InvokedBy,
	}
	entries := []*audit.Entry{entry}
	if e.Err == nil && e.Op.Recipients != nil {
		for _, acct := range e.Op.Recipients(e.Call, e.Input) {
			if acct == "" || acct == e.Call.Principal.AccountID {
				continue
			}
			if entry.SharedEventID == "" {
				entry.SharedEventID = r.ids.UUID()
			}
			cp := *entry
			cp.EventID, cp.Recipient = r.ids.UUID(), acct
			entries = append(entries, &cp)
		}
	}
	events := make([]*store.Event, 0, len(entries))
	for _, en := range entries {
		ev, err := audit.Build(en)
		if err != nil {
			return fmt.Errorf("build %s event: %w", en.OpName, err)
		}
		events = append(events, ev)
	}
	return r.recorder.Record(ctx, events...)
}

// kmsKeys answers CloudTrail's key check (cloudtrail.Destinations.CheckKey)
// with KMS, mapping KMS's errors to the ones CloudTrail turns into its
// exceptions. The trail wiring composes it with S3's bucket check.
type kmsKeys struct{ svc *kms.Service }

func (k kmsKeys) CheckKey(ctx context.Context, keyID, bucketRegion, trailARN, account string) (string, error) {
	arn, err := k.svc.CheckKey(ctx, keyID, bucketRegion, trailARN, account)
	switch {
	case errors.Is(err, kms.ErrKeyNotFound):
		return arn, fmt.Errorf("%w: %w", cloudtrail.ErrKeyNotFound, err)
	case errors.Is(err, kms.ErrKeyPolicy):
		return arn, fmt.Errorf("%w: %w", cloudtrail.ErrKeyPolicy, err)
	case errors.Is(err, kms.ErrKeyUnusable):
		return arn, fmt.Errorf("%w: %w", cloudtrail.ErrKeyUnusable, err)
	}
	return arn, err
}
