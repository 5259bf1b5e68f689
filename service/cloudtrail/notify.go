package cloudtrail

import (
	"context"
	"encoding/json"
)

// Notifier publishes CloudTrail's notice of a delivered log file to the
// trail's SNS topic, as cloudtrail.amazonaws.com (aws:SourceArn = the
// trail, aws:SourceAccount = its account), decided by the topic policy.
// An error that is a *cairn.Error is shown by its code in GetTrailStatus's
// LatestNotificationError.
type Notifier interface {
	Notify(ctx context.Context, t Trail, message string) error
}

// notificationMessage is the notification's Message: the bucket and the
// keys of the log files delivered.
func notificationMessage(bucket string, keys []string) (string, error) {
	b, err := json.Marshal(struct {
		Bucket string   `json:"s3Bucket"`
		Keys   []string `json:"s3ObjectKey"`
	}{bucket, keys})
	return string(b), err
}

// notify tells the trail's topic, if it has one, of a delivered log file.
// A failed notification does not undo or repeat the delivery: it is
// reported in the trail's status, as AWS does.
func (d *Deliverer) notify(ctx context.Context, t *Trail, key string) {
	if t.SnsTopicARN == "" || d.cfg.Notifier == nil {
		return
	}
	msg, err := notificationMessage(t.S3BucketName, []string{key})
	if err == nil {
		err = d.cfg.Notifier.Notify(ctx, *t, msg)
	}
	at := d.cfg.Clock.Now().UTC()
	if rerr := d.cfg.Service.RecordNotification(ctx, t.ARN, at, err); rerr != nil && !isNotFound(rerr) {
		d.cfg.Log.Warn("record notification status", "trail", t.ARN, "error", rerr)
	}
	if err != nil {
		d.cfg.Log.Warn("cloudtrail notification", "trail", t.ARN, "topic", t.SnsTopicARN, "error", err)
	}
}
