package cloudtrail_test

import (
	"errors"
	"testing"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/service/cloudtrail"
)

func TestLoggingAndStatus(t *testing.T) {
	e := newEnv(t)
	e.create(home, "main", true)
	trailARN := arnOf(east, acct, "main")
	status := func(who call, name string) *cloudtrail.GetTrailStatusOutput {
		t.Helper()
		return mustIn[cloudtrail.GetTrailStatusOutput](e, who, "GetTrailStatus", &cloudtrail.GetTrailStatusInput{Name: name})
	}
	st := status(home, "main")
	// Every string member is present, empty while unknown.
	for name, p := range map[string]*string{
		"LatestDeliveryAttemptTime": st.LatestDeliveryAttemptTime, "LatestNotificationAttemptTime": st.LatestNotificationAttemptTime,
		"LatestNotificationAttemptSucceeded": st.LatestNotificationAttemptSucceeded, "LatestDeliveryAttemptSucceeded": st.LatestDeliveryAttemptSucceeded,
		"TimeLoggingStarted": st.TimeLoggingStarted, "TimeLoggingStopped": st.TimeLoggingStopped,
	} {
		if p == nil || *p != "" {
			t.Fatalf("%s = %v, want \"\"", name, p)
		}
	}
	start := e.clock.Now()
	must[cloudtrail.StartLoggingOutput](e, "StartLogging", &cloudtrail.StartLoggingInput{Name: "main"})
	e.clock.Advance(time.Minute)
	// Starting again changes nothing.
	must[cloudtrail.StartLoggingOutput](e, "StartLogging", &cloudtrail.StartLoggingInput{Name: trailARN})
	st = status(home, "main")
	if !st.IsLogging || !st.StartLoggingTime.Equal(start) || st.StopLoggingTime != nil || *st.TimeLoggingStarted != "2025-03-01T12:00:00Z" {
		t.Fatalf("after StartLogging %+v", st)
	}
	// The shadow's status is the trail's, by ARN from another region.
	if sh := status(call{acct, west}, trailARN); !sh.IsLogging {
		t.Fatalf("shadow status %+v", sh)
	}
	trails, _ := e.svc.Trails(t.Context())
	if len(trails) != 1 || !trails[0].IsLogging || !trails[0].StartLoggingTime.Equal(start) || !trails[0].StopLoggingTime.IsZero() {
		t.Fatalf("Trails() logging state %+v", trails)
	}

	// Delivery reports.
	t1 := start.Add(5 * time.Minute)
	if err := e.svc.RecordDelivery(t.Context(), trailARN, t1, nil); err != nil {
		t.Fatal(err)
	}
	t2 := t1.Add(5 * time.Minute)
	if err := e.svc.RecordDelivery(t.Context(), trailARN, t2, cairn.AccessDenied("Access Denied")); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.RecordDigest(t.Context(), trailARN, t2, nil); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.RecordNotification(t.Context(), trailARN, t1, errors.New("topic gone")); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.RecordCloudWatchLogsDelivery(t.Context(), trailARN, t1, nil); err != nil {
		t.Fatal(err)
	}
	st = status(home, "main")
	if st.LatestDeliveryError != "AccessDenied" || !st.LatestDeliveryTime.Equal(t1) || *st.LatestDeliveryAttemptTime != "2025-03-01T12:10:00Z" ||
		*st.LatestDeliveryAttemptSucceeded != "2025-03-01T12:05:00Z" || !st.LatestDigestDeliveryTime.Equal(t2) || st.LatestDigestDeliveryError != "" ||
		st.LatestNotificationError != "InternalFailure" || st.LatestNotificationTime != nil || *st.LatestNotificationAttemptTime != "2025-03-01T12:05:00Z" ||
		!st.LatestCloudWatchLogsDeliveryTime.Equal(t1) || st.LatestCloudWatchLogsDeliveryError != "" {
		t.Fatalf("status after reports %+v", st)
	}
	// A later success clears the error.
	if err := e.svc.RecordDelivery(t.Context(), trailARN, t2.Add(time.Minute), nil); err != nil {
		t.Fatal(err)
	}
	if st = status(home, "main"); st.LatestDeliveryError != "" || !st.LatestDeliveryTime.Equal(t2.Add(time.Minute)) {
		t.Fatalf("after recovery %+v", st)
	}
	if err := e.svc.RecordDigest(t.Context(), trailARN, t2, errors.New("signing failed")); err != nil {
		t.Fatal(err)
	}
	if st = status(home, "main"); st.LatestDigestDeliveryError != "InternalFailure" || !st.LatestDigestDeliveryTime.Equal(t2) {
		t.Fatalf("digest failure %+v", st)
	}

	stop := e.clock.Now().Add(time.Hour)
	e.clock.Advance(time.Hour)
	must[cloudtrail.StopLoggingOutput](e, "StopLogging", &cloudtrail.StopLoggingInput{Name: "main"})
	st = status(home, "main")
	if st.IsLogging || !st.StopLoggingTime.Equal(stop) || !st.StartLoggingTime.Equal(start) || *st.TimeLoggingStopped != stop.Format("2006-01-02T15:04:05Z") {
		t.Fatalf("after StopLogging %+v", st)
	}
	e.fail("StartLogging", &cloudtrail.StartLoggingInput{Name: "nope"}, "TrailNotFoundException", "Unknown trail: nope for the user: 123456789012")
	e.fail("GetTrailStatus", &cloudtrail.GetTrailStatusInput{Name: "nope"}, "TrailNotFoundException",
		"Unknown trail: arn:aws:cloudtrail:us-east-1:123456789012:trail/nope for the user: 123456789012")

	// Reports about a deleted trail say so; its status goes with it.
	must[cloudtrail.DeleteTrailOutput](e, "DeleteTrail", &cloudtrail.DeleteTrailInput{Name: "main"})
	if err := e.svc.RecordDelivery(t.Context(), trailARN, t2, nil); !errors.Is(err, cairn.ErrNotFound) {
		t.Fatalf("report for a deleted trail: %v", err)
	}
	if err := e.svc.RecordDelivery(t.Context(), "main", t2, nil); err == nil {
		t.Fatal("report by name accepted")
	}
	e.create(home, "main", false)
	if st = status(home, "main"); st.LatestDeliveryTime != nil || st.LatestDeliveryError != "" || st.IsLogging {
		t.Fatalf("recreated trail inherits status %+v", st)
	}
}
