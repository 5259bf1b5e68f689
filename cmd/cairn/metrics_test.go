package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// scrape reads /_cairn/metrics as Prometheus would.
func (s *cairnServer) scrape(t *testing.T) map[string]*dto.MetricFamily {
	t.Helper()
	res, err := http.Get(s.endpoint + "/_cairn/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("GET /_cairn/metrics: %d", res.StatusCode)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(res.Body)
	if err != nil {
		t.Fatalf("the metrics are not in the Prometheus text format: %v", err)
	}
	return families
}

// value is the sample of family whose labels include want; -1 if none.
func value(families map[string]*dto.MetricFamily, family string, want map[string]string) float64 {
	f := families[family]
	if f == nil {
		return -1
	}
next:
	for _, m := range f.Metric {
		have := map[string]string{}
		for _, l := range m.Label {
			have[l.GetName()] = l.GetValue()
		}
		for k, v := range want {
			if have[k] != v {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue()
		case m.Gauge != nil:
			return m.Gauge.GetValue()
		case m.Untyped != nil:
			return m.Untyped.GetValue()
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount())
		}
	}
	return -1
}

func TestMetricsEndpointCountsRequestsEventsAndDeliveries(t *testing.T) {
	ctx := context.Background()
	s := startCairnIn(t, t.TempDir(), withIntervals(time.Second, time.Hour))
	root := s.root()
	before := value(s.scrape(t), "cairn_events_recorded_total", nil)
	if _, err := s.iam(root).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("metrics-user")}); err != nil {
		t.Fatal(err)
	}
	bob := s.newUser(t, root, "bob")
	wantCode(t, err2(s.iam(bob).ListUsers(ctx, &iam.ListUsersInput{})), "AccessDenied")

	m := s.scrape(t)
	if v := value(m, "cairn_requests_total", map[string]string{"service": "iam", "operation": "CreateUser", "status": "200", "error_code": ""}); v < 1 {
		t.Fatalf("CreateUser not counted: %v", v)
	}
	if v := value(m, "cairn_requests_total", map[string]string{"service": "iam", "operation": "ListUsers", "status": "403", "error_code": "AccessDenied"}); v != 1 {
		t.Fatalf("the denied ListUsers counted %v times", v)
	}
	if v := value(m, "cairn_request_duration_seconds", map[string]string{"service": "iam"}); v < 2 {
		t.Fatalf("iam latency samples: %v", v)
	}
	if after := value(m, "cairn_events_recorded_total", nil); after < before+2 {
		t.Fatalf("events recorded went from %v to %v over two calls", before, after)
	}

	// A logging trail's files show up as written.
	c := s.s3(root)
	trailARN := "arn:aws:cloudtrail:us-east-1:" + testAccount + ":trail/metrics"
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("metrics-logs")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("metrics-logs"),
		Policy: aws.String(trailBucketPolicy("metrics-logs", "", trailARN))}); err != nil {
		t.Fatal(err)
	}
	ct := s.cloudtrail(root)
	if _, err := ct.CreateTrail(ctx, &cloudtrail.CreateTrailInput{Name: aws.String("metrics"), S3BucketName: aws.String("metrics-logs")}); err != nil {
		t.Fatal(err)
	}
	if _, err := ct.StartLogging(ctx, &cloudtrail.StartLoggingInput{Name: aws.String("metrics")}); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); value(s.scrape(t), "cairn_trail_files_written_total", map[string]string{"kind": "log", "outcome": "ok"}) < 1; {
		if time.Now().After(deadline) {
			t.Fatal("no log file counted as written after 20 s")
		}
		time.Sleep(100 * time.Millisecond)
	}

	// Nothing secret or caller-supplied beyond names reaches the page.
	res, err := http.Get(s.endpoint + "/_cairn/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	page, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(page), testRootSec) || strings.Contains(string(page), "metrics-user") {
		t.Fatal("the metrics page carries a secret or a request parameter")
	}
}
