package cloudtrail_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/service/cloudtrail"
)

type fakeNotifier struct {
	mu       sync.Mutex
	messages []string
	fail     error
}

func (n *fakeNotifier) Notify(_ context.Context, t cloudtrail.Trail, message string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.fail != nil {
		return n.fail
	}
	n.messages = append(n.messages, t.SnsTopicARN+" "+message)
	return nil
}

type fakeLogs struct {
	mu      sync.Mutex
	streams map[string][]cloudtrail.LogEvent
	fail    error
}

func (l *fakeLogs) WriteLogEvents(_ context.Context, t cloudtrail.Trail, stream string, events []cloudtrail.LogEvent) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.fail != nil {
		return l.fail
	}
	if l.streams == nil {
		l.streams = map[string][]cloudtrail.LogEvent{}
	}
	l.streams[t.CloudWatchLogsLogGroupArn+" "+stream] = append(l.streams[t.CloudWatchLogsLogGroupArn+" "+stream], events...)
	return nil
}

const testGroup = "arn:aws:logs:us-east-1:111122223333:log-group:CloudTrail/audit:*"

func TestNotificationsAndCloudWatchLogs(t *testing.T) {
	n, l := &fakeNotifier{}, &fakeLogs{}
	e := newDeliveryEnvFor(t, deliveryOptions{checkers: true, notifier: n, logs: l, regions: []string{east}})
	e.dest.topics["alerts"] = nil
	e.dest.groups[testGroup] = nil
	must[cloudtrail.CreateTrailOutput](e.env, "CreateTrail", &cloudtrail.CreateTrailInput{
		Name: "watched", S3BucketName: "logs", SnsTopicName: sp("alerts"),
		CloudWatchLogsLogGroupArn: sp(testGroup), CloudWatchLogsRoleArn: sp("arn:aws:iam::111122223333:role/CloudTrailToLogs"),
	})
	e.start("watched")
	e.clock.Advance(time.Second)
	id := e.record(acct, east, "iam.amazonaws.com", "CreateUser", false)
	ctx := context.Background()

	// CloudWatch Logs gets the record as the message, in AWS's stream.
	if err := e.d.StreamLogs(ctx); err != nil {
		t.Fatal(err)
	}
	got := l.streams[testGroup+" "+acct+"_CloudTrail_"+east]
	if len(got) != 1 {
		t.Fatalf("log streams %v", l.streams)
	}
	var rec struct{ EventID string }
	if err := json.Unmarshal([]byte(got[0].Message), &rec); err != nil || rec.EventID != id {
		t.Fatalf("message %q (%v)", got[0].Message, err)
	}
	if err := e.d.StreamLogs(ctx); err != nil || len(l.streams[testGroup+" "+acct+"_CloudTrail_"+east]) != 1 {
		t.Fatalf("a second pass wrote again: %v", err)
	}

	// S3 delivery notifies the topic with the bucket and key.
	if err := e.deliver(); err != nil {
		t.Fatal(err)
	}
	keys := e.bucket.keys("/CloudTrail/")
	if len(n.messages) != 1 || len(keys) != 1 {
		t.Fatalf("notifications %v for files %v", n.messages, keys)
	}
	want := "arn:aws:sns:" + east + ":" + acct + `:alerts {"s3Bucket":"logs","s3ObjectKey":["` + strings.TrimPrefix(keys[0], "logs/") + `"]}`
	if n.messages[0] != want {
		t.Fatalf("notification %s, want %s", n.messages[0], want)
	}
	st := must[cloudtrail.GetTrailStatusOutput](e.env, "GetTrailStatus", &cloudtrail.GetTrailStatusInput{Name: "watched"})
	if st.LatestNotificationTime == nil || st.LatestCloudWatchLogsDeliveryTime == nil || st.LatestNotificationError != "" {
		t.Fatalf("status %+v", st)
	}

	// Refusals show in the status; the events wait for the next pass.
	n.fail = cairn.Errorf(403, "AuthorizationError", "no")
	l.fail = cairn.Errorf(400, "AccessDeniedException", "no")
	e.clock.Advance(time.Second)
	later := e.record(acct, east, "iam.amazonaws.com", "DeleteUser", false)
	if err := e.d.StreamLogs(ctx); err != nil {
		t.Fatal(err)
	}
	if err := e.deliver(); err != nil {
		t.Fatal(err)
	}
	st = must[cloudtrail.GetTrailStatusOutput](e.env, "GetTrailStatus", &cloudtrail.GetTrailStatusInput{Name: "watched"})
	if st.LatestNotificationError != "AuthorizationError" || st.LatestCloudWatchLogsDeliveryError != "AccessDeniedException" {
		t.Fatalf("status errors %q %q", st.LatestNotificationError, st.LatestCloudWatchLogsDeliveryError)
	}
	l.fail = nil
	if err := e.d.StreamLogs(ctx); err != nil {
		t.Fatal(err)
	}
	got = l.streams[testGroup+" "+acct+"_CloudTrail_"+east]
	if len(got) != 2 || !json.Valid([]byte(got[1].Message)) {
		t.Fatalf("after recovery: %d events", len(got))
	}
	if err := json.Unmarshal([]byte(got[1].Message), &rec); err != nil || rec.EventID != later {
		t.Fatalf("recovered event %s, want %s", rec.EventID, later)
	}
	// An internal failure of the writer is returned, not shown as a code.
	l.fail = errors.New("disk on fire")
	e.clock.Advance(time.Second)
	e.record(acct, east, "iam.amazonaws.com", "CreateRole", false)
	if err := e.d.StreamLogs(ctx); err == nil {
		t.Fatal("an internal failure was swallowed")
	}
}
