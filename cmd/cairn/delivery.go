package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/audit"
	"github.com/cairnhq/cairn/service/cloudtrail"
	"github.com/cairnhq/cairn/service/s3"
)

// trailWriter writes CloudTrail's log and digest files
// (cloudtrail.ObjectWriter): a PutObject through S3's own authorization as
// cloudtrail.amazonaws.com (aws:SourceArn = the trail, aws:SourceAccount),
// with the ACL bucket-owner-full-control and the bucket's default
// encryption or SSE-KMS with the trail's key and the encryption context
// aws:cloudtrail:arn. Each write is recorded as the bucket owner's event,
// with userIdentity AWSService / invokedBy cloudtrail.amazonaws.com, as
// AWS shows CloudTrail's own deliveries.
type trailWriter struct {
	s3       *s3.Service
	desc     *cairn.Service // S3's operation table
	recorder *audit.Recorder
	ids      cairn.IDs
	metrics  *metrics
}

func (w trailWriter) WriteObject(ctx context.Context, o cloudtrail.Object) error {
	err := w.write(ctx, o)
	kind := "log"
	if o.Digest {
		kind = "digest"
	}
	w.metrics.files.WithLabelValues(kind, outcome(err)).Inc()
	return err
}

func (w trailWriter) write(ctx context.Context, o cloudtrail.Object) error {
	d := s3.Delivery{
		Principal: s3.ServicePrincipal{Service: "cloudtrail.amazonaws.com", SourceARN: o.TrailARN, SourceAccount: o.Account},
		Bucket:    o.Bucket, Key: o.Key, Body: bytes.NewReader(o.Body), Size: int64(len(o.Body)),
		ContentType: "application/json", Metadata: o.Metadata, ACL: "bucket-owner-full-control",
	}
	var ec map[string]string
	if o.KMSKeyARN != "" {
		d.ServerSideEncryption, d.KMSKeyID = "aws:kms", o.KMSKeyARN
		ec = map[string]string{"aws:cloudtrail:arn": o.TrailARN}
	}
	res, err := w.s3.DeliverRecorded(ctx, d, ec)
	if res.Call != nil {
		if rerr := w.record(ctx, res, err); rerr != nil && err == nil {
			return rerr
		}
	}
	switch {
	case err == nil:
		return nil
	case errors.Is(err, s3.ErrNoSuchBucket):
		return cairn.Errorf(404, "NoSuchBucket", "The specified bucket does not exist")
	case errors.Is(err, s3.ErrAccessDenied):
		return cairn.Errorf(403, "AccessDenied", "Access Denied")
	}
	return fmt.Errorf("deliver s3://%s/%s: %w", o.Bucket, o.Key, err)
}

func (w trailWriter) record(ctx context.Context, res s3.Delivered, err error) error {
	op := w.desc.Op("PutObject")
	e := &audit.Entry{
		Call: res.Call, Service: w.desc, Op: op, OpName: "PutObject", Input: res.Input,
		EventID: cairn.NewEventID(w.ids, res.Call.Time), Region: res.Call.Region,
	}
	if res.Output != nil {
		e.Output = res.Output
	}
	if err != nil {
		e.Err = cairn.AsError(err)
		if e.Err == nil {
			e.Err = cairn.Errorf(403, "AccessDenied", "Access Denied")
			if errors.Is(err, s3.ErrNoSuchBucket) {
				e.Err = cairn.Errorf(404, "NoSuchBucket", "The specified bucket does not exist")
			}
		}
	}
	if op != nil && op.Recipients != nil {
		if rs := op.Recipients(res.Call, res.Input); len(rs) > 0 {
			e.Recipient = rs[0]
		}
	}
	if e.Recipient == "" {
		e.Recipient = res.Call.SourceAccount // the bucket's owner is not known
	}
	ev, berr := audit.Build(e)
	if berr != nil {
		return fmt.Errorf("build delivery event: %w", berr)
	}
	return w.recorder.Record(ctx, ev)
}
