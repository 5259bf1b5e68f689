package logs_test

import (
	"strings"
	"testing"
	"time"

	"github.com/cairnhq/cairn/service/logs"
	"github.com/cairnhq/cairn/store"
)

// rows counts the store's rows of a table under a prefix.
func (e *env) rows(table, prefix string) int {
	e.t.Helper()
	n := 0
	err := e.store.View(ctx, func(tx store.Tx) error {
		return tx.Scan(table, prefix, "", 0, func(string, []byte) error { n++; return nil })
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

func TestRetentionSweep(t *testing.T) {
	e := newEnv(t)
	e.group("g")
	e.stream("g", "s")
	e.stream("g", "t")
	must[logs.Empty](e, "PutRetentionPolicy", &logs.PutRetentionPolicyInput{LogGroupName: "g", RetentionInDays: ptr(int32(1))})
	e.put("g", "s", ev(e.ms(-20*time.Hour), "old-1"), ev(e.ms(-19*time.Hour-30*time.Minute), "old-2"))
	e.put("g", "s", ev(e.ms(-10*time.Hour), "mid"))
	e.put("g", "t", ev(e.ms(-18*time.Hour), "t-old"), ev(e.ms(-time.Hour), "t-new")) // one chunk, half expired
	all := func() string {
		out := must[logs.FilterLogEventsOutput](e, "FilterLogEvents", &logs.FilterLogEventsInput{LogGroupName: ptr("g")})
		var m []string
		for _, x := range out.Events {
			m = append(m, x.Message)
		}
		return strings.Join(m, ",")
	}
	if got := all(); got != "old-1,old-2,t-old,mid,t-new" {
		t.Fatalf("before %s", got)
	}
	// Five hours later the first batch is past the retention: hidden at
	// once, deleted by the sweep.
	e.clock.Advance(5 * time.Hour)
	if got := all(); got != "t-old,mid,t-new" {
		t.Fatalf("hidden %s", got)
	}
	get := must[logs.GetLogEventsOutput](e, "GetLogEvents", &logs.GetLogEventsInput{LogGroupName: ptr("g"), LogStreamName: "s", StartFromHead: ptr(true)})
	if len(get.Events) != 1 || get.Events[0].Message != "mid" {
		t.Fatalf("GetLogEvents %+v", get.Events)
	}
	if n := e.rows("logs_chunks", ""); n != 3 {
		t.Fatalf("%d chunks before the sweep", n)
	}
	res, err := e.svc.Sweep(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Chunks != 1 || e.rows("logs_chunks", "") != 2 || e.rows("logs_stream_chunks", "") != 2 {
		t.Fatalf("sweep %+v left %d chunks", res, e.rows("logs_chunks", ""))
	}
	g := must[logs.DescribeLogGroupsOutput](e, "DescribeLogGroups", &logs.DescribeLogGroupsInput{}).LogGroups[0]
	if g.StoredBytes != int64(len("mid")+len("t-old")+len("t-new")) {
		t.Fatalf("stored bytes %d", g.StoredBytes)
	}
	// The half-expired chunk stays until its last event expires.
	e.clock.Advance(24 * time.Hour)
	if res, _ := e.svc.Sweep(ctx); res.Chunks != 2 || e.rows("logs_chunks", "") != 0 {
		t.Fatalf("second sweep %+v", res)
	}
	if got := all(); got != "" {
		t.Fatalf("after %s", got)
	}
	// Without a retention policy nothing expires.
	e.group("forever")
	e.stream("forever", "s")
	e.put("forever", "s", ev(e.ms(-time.Hour), "kept"))
	e.clock.Advance(400 * 24 * time.Hour)
	if res, _ := e.svc.Sweep(ctx); res.Chunks != 0 || e.rows("logs_chunks", "") != 1 {
		t.Fatalf("sweep without retention %+v", res)
	}
}

// Deleted groups and streams leave no data behind once swept.
func TestSweepPurgesDeletedData(t *testing.T) {
	e := newEnv(t)
	e.group("g")
	e.stream("g", "keep")
	e.stream("g", "drop")
	must[logs.Empty](e, "PutMetricFilter", filter("g", "f", "x", logs.MetricTransformation{MetricName: "M", MetricNamespace: "N", MetricValue: "1"}))
	for i := 0; i < 1200; i++ { // more chunks than one sweep transaction deletes
		e.put("g", "drop", ev(e.ms(-time.Hour), "x"))
	}
	e.put("g", "keep", ev(e.ms(-time.Hour), "x"))
	must[logs.Empty](e, "DeleteLogStream", &logs.DeleteLogStreamInput{LogGroupName: "g", LogStreamName: "drop"})
	res, err := e.svc.Sweep(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Purged != 1200 || e.rows("logs_chunks", "") != 1 || e.rows("logs_stream_chunks", "") != 1 || e.rows("logs_trash", "") != 0 {
		t.Fatalf("stream purge %+v: %d chunks left", res, e.rows("logs_chunks", ""))
	}
	must[logs.Empty](e, "DeleteLogGroup", &logs.DeleteLogGroupInput{LogGroupName: "g"})
	if _, err := e.svc.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"logs_chunks", "logs_stream_chunks", "logs_streams", "logs_metric_filters", "logs_trash", "logs_groups"} {
		if n := e.rows(table, ""); n != 0 {
			t.Errorf("%s: %d rows left", table, n)
		}
	}
}
