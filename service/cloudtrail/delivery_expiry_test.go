package cloudtrail_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cairnhq/cairn/service/cloudtrail"
)

func (e *dEnv) deliveryError(name string) string {
	e.t.Helper()
	return must[cloudtrail.GetTrailStatusOutput](e.env, "GetTrailStatus", &cloudtrail.GetTrailStatusInput{Name: name}).LatestDeliveryError
}

// An event the bucket refused for 30 days is skipped: the cursor moves
// past it and GetTrailStatus says so, while the bucket still refuses the
// later events, which are delivered once it takes them again.
func TestDeliverySkipsEventsUndeliveredFor30Days(t *testing.T) {
	e := newDeliveryEnv(t, east)
	e.create(home, "trail1", false)
	e.start("trail1")
	e.clock.Advance(time.Second)
	recorded := e.clock.Now().UTC()
	a := e.record(acct, east, "s3.amazonaws.com", "A", false)
	e.bucket.deny = true // the bucket policy was removed
	if err := e.deliver(); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(cloudtrail.RedeliveryWindow - time.Hour)
	b := e.record(acct, east, "s3.amazonaws.com", "B", false)
	if err := e.deliver(); err != nil {
		t.Fatal(err)
	}
	if got := e.deliveryError("trail1"); got != "AccessDenied" {
		t.Fatalf("within 30 days: LatestDeliveryError %q", got)
	}

	e.clock.Advance(time.Hour + time.Second) // A is past 30 days, B is not
	if err := e.deliver(); err != nil {
		t.Fatal(err)
	}
	want := "AccessDenied; 1 event recorded from " + recorded.Format("2006-01-02T15:04:05Z") + " to " +
		recorded.Format("2006-01-02T15:04:05Z") + " could not be delivered within 30 days and were skipped"
	if got := e.deliveryError("trail1"); got != want {
		t.Fatalf("LatestDeliveryError %q, want %q", got, want)
	}
	puts := len(e.bucket.puts)
	if err := e.deliver(); err != nil { // the skip is not repeated, nor counted again
		t.Fatal(err)
	}
	if got := e.deliveryError("trail1"); got != want || len(e.bucket.puts) != puts {
		t.Fatalf("again: LatestDeliveryError %q, %d writes after %d", got, len(e.bucket.puts), puts)
	}

	e.bucket.deny = false // the policy is back
	if err := e.deliver(); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(e.eventIDs(""), ","); got != b {
		t.Fatalf("delivered %s, want %s only (not %s)", got, b, a)
	}
	if got := e.deliveryError("trail1"); got != "" {
		t.Fatalf("after a delivery: LatestDeliveryError %q", got)
	}
}

// The events of a file pinned before a failed write are purged from the
// history (Cairn was down for longer than the history keeps them): the
// cursor passes over them instead of waiting for them forever.
func TestDeliveryPassesOverPurgedPinnedEvents(t *testing.T) {
	e := newDeliveryEnv(t, east)
	e.create(home, "trail1", false)
	e.start("trail1")
	e.clock.Advance(time.Second)
	e.record(acct, east, "s3.amazonaws.com", "A", false)
	e.bucket.deny = true
	if err := e.deliver(); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Second)
	if _, err := e.st.PurgeEvents(context.Background(), e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	b := e.record(acct, east, "s3.amazonaws.com", "B", false)
	e.bucket.deny = false
	if err := e.deliver(); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(e.eventIDs(""), ","); got != b {
		t.Fatalf("delivered %q, want %s", got, b)
	}
}
