package cloudtrail_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/cairnhq/cairn/service/cloudtrail"
	"github.com/cairnhq/cairn/store"
)

type discard struct{ bytes int }

func (d *discard) WriteObject(_ context.Context, o cloudtrail.Object) error {
	d.bytes += len(o.Body)
	return nil
}

// BenchmarkDeliver measures delivery of recorded events by one trail:
// reading them, matching, writing gzip log files (to a writer that keeps
// nothing) and committing the cursor. Reported as events/s.
func BenchmarkDeliver(b *testing.B) {
	perOp := 100_000 // CAIRN_BENCH_EVENTS overrides, e.g. 1000000
	if v, err := strconv.Atoi(os.Getenv("CAIRN_BENCH_EVENTS")); err == nil && v > 0 {
		perOp = v
	}
	e := newDeliveryEnv(b, east)
	e.create(home, "bench", false)
	e.start("bench")
	e.clock.Advance(time.Second)
	ctx := context.Background()
	w := &discard{}
	d := cloudtrail.NewDeliverer(cloudtrail.DeliveryConfig{Service: e.svc, Store: e.st, Writer: w, Clock: e.clock, Regions: []string{east}})
	rec := func(i int) *store.Event {
		r := map[string]any{
			"eventVersion": "1.11", "eventTime": e.clock.Now().Format(time.RFC3339), "eventSource": "iam.amazonaws.com",
			"eventName": "TagUser", "awsRegion": east, "readOnly": false, "eventID": fmt.Sprintf("%08d-0000-7000-8000-000000000000", i),
			"eventType": "AwsApiCall", "recipientAccountId": acct, "eventCategory": "Management", "managementEvent": true,
			"sourceIPAddress": "127.0.0.1", "userAgent": "aws-sdk-go-v2/1.30.0 os/linux lang/go#1.26 md/GOOS#linux md/GOARCH#amd64 api/iam#1.34.0",
			"requestParameters": map[string]any{"userName": "alice", "tags": []map[string]string{{"key": "team", "value": "blue"}}},
			"responseElements":  nil, "requestID": fmt.Sprintf("req-%08d", i),
			"userIdentity": map[string]any{"type": "Root", "principalId": acct, "arn": "arn:aws:iam::" + acct + ":root", "accountId": acct,
				"accessKeyId": "AKIAROOTTESTKEY00001"},
			"tlsDetails": map[string]any{"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256", "clientProvidedHostHeader": "127.0.0.1:4566"},
		}
		raw, _ := json.Marshal(r)
		return &store.Event{Account: acct, Region: east, ID: fmt.Sprint(i), Time: e.clock.Now(), Name: "TagUser",
			Source: "iam.amazonaws.com", Management: true, Record: raw}
	}
	n := 0
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		for i := 0; i < perOp; i += 1000 {
			batch := make([]*store.Event, 0, 1000)
			for j := range 1000 {
				batch = append(batch, rec(n+i+j))
			}
			if err := e.st.AppendEvents(ctx, batch); err != nil {
				b.Fatal(err)
			}
		}
		n += perOp
		b.StartTimer()
		if err := d.Deliver(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(perOp*b.N)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(w.bytes)/float64(perOp*b.N), "gz-bytes/event")
}
