package logs_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cairnhq/cairn/service/logs"
)

// cloudTrailRecord renders a CloudTrail record of about 1 KB. One in a
// hundred is an AccessDenied error, two in a hundred another error.
func cloudTrailRecord(rng *rand.Rand, i int, t time.Time) string {
	names := []string{"GetObject", "PutObject", "ListUsers", "DescribeInstances", "AssumeRole", "Decrypt", "GenerateDataKey", "ListBuckets"}
	sources := []string{"s3.amazonaws.com", "s3.amazonaws.com", "iam.amazonaws.com", "ec2.amazonaws.com", "sts.amazonaws.com", "kms.amazonaws.com", "kms.amazonaws.com", "s3.amazonaws.com"}
	k := rng.IntN(len(names))
	errPart := ""
	switch r := i % 100; {
	case r == 37:
		errPart = `"errorCode":"AccessDenied","errorMessage":"User: arn:aws:iam::123456789012:user/svc-` + strconv.Itoa(i%50) +
			` is not authorized to perform: ` + names[k] + ` because no identity-based policy allows the action",`
	case r == 11 || r == 71:
		errPart = `"errorCode":"ThrottlingException","errorMessage":"Rate exceeded",`
	}
	return fmt.Sprintf(`{"eventVersion":"1.11","userIdentity":{"type":"IAMUser","principalId":"AIDA%016X","arn":"arn:aws:iam::123456789012:user/svc-%d",`+
		`"accountId":"123456789012","accessKeyId":"AKIA%016X","userName":"svc-%d"},"eventTime":"%s","eventSource":"%s","eventName":"%s",`+
		`"awsRegion":"us-east-1","sourceIPAddress":"10.%d.%d.%d","userAgent":"aws-sdk-go-v2/1.30.0 os/linux lang/go#1.22 md/GOOS#linux api/%s#1.35.0",%s`+
		`"requestParameters":{"bucketName":"data-%d","key":"objects/%08x/part-%05d.parquet","Host":"data-%d.s3.us-east-1.amazonaws.com"},`+
		`"responseElements":null,"requestID":"%016X","eventID":"%08x-%04x-%04x-%04x-%012x","readOnly":true,"resources":[{"type":"AWS::S3::Object",`+
		`"ARN":"arn:aws:s3:::data-%d/objects/%08x/part-%05d.parquet"}],"eventType":"AwsApiCall","managementEvent":false,`+
		`"recipientAccountId":"123456789012","eventCategory":"Data","tlsDetails":{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256"}}`,
		rng.Uint64(), i%50, rng.Uint64(), i%50, t.UTC().Format(time.RFC3339), sources[k], names[k],
		rng.IntN(256), rng.IntN(256), rng.IntN(256), sources[k][:3], errPart,
		i%7, rng.Uint32(), i%10000, i%7, rng.Uint64(), rng.Uint32(), rng.Uint32()&0xffff, rng.Uint32()&0xffff, rng.Uint32()&0xffff, rng.Uint64()&0xffffffffffff,
		i%7, rng.Uint32(), i%10000)
}

func benchEvents(b *testing.B, def int) int {
	if s := os.Getenv("CAIRN_BENCH_EVENTS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			b.Fatalf("CAIRN_BENCH_EVENTS=%q", s)
		}
		return n
	}
	return def
}

// BenchmarkFilterLogEvents1M stores 1,000,000 CloudTrail records of about
// 1 KB (CAIRN_BENCH_EVENTS changes the count) in four streams, batches of
// 1,000 spread over twelve days, then times full FilterLogEvents passes
// (every page, as a client pages) with the CIS unauthorized-calls pattern,
// which matches 1%.
func BenchmarkFilterLogEvents1M(b *testing.B) {
	n := benchEvents(b, 1_000_000)
	e := newEnv(b)
	e.group("CloudTrail/logs")
	streams := []string{"123456789012_CloudTrail_us-east-1", "123456789012_CloudTrail_eu-west-1", "210987654321_CloudTrail_us-east-1", "210987654321_CloudTrail_eu-west-1"}
	for _, s := range streams {
		e.stream("CloudTrail/logs", s)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	start := e.clock.Now().Add(-12 * 24 * time.Hour)
	step := 12 * 24 * time.Hour / time.Duration(n)
	t0 := time.Now()
	var bytes int64
	const batch = 1000
	for i := 0; i < n; i += batch {
		events := make([]logs.InputLogEvent, 0, batch)
		for j := i; j < min(i+batch, n); j++ {
			t := start.Add(time.Duration(j) * step)
			m := cloudTrailRecord(rng, j, t)
			bytes += int64(len(m))
			events = append(events, logs.InputLogEvent{Timestamp: t.UnixMilli(), Message: m})
		}
		e.put("CloudTrail/logs", streams[(i/batch)%len(streams)], events...)
	}
	b.Logf("stored %d events, %.0f MB of messages, in %v", n, float64(bytes)/1e6, time.Since(t0).Round(time.Millisecond))
	pattern := `{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }`
	want := 0
	for i := 0; i < n; i++ {
		if i%100 == 37 {
			want++
		}
	}
	var pages int
	for b.Loop() {
		got := 0
		pages = 0
		in := &logs.FilterLogEventsInput{LogGroupName: ptr("CloudTrail/logs"), FilterPattern: &pattern}
		for {
			out := must[logs.FilterLogEventsOutput](e, "FilterLogEvents", in)
			got += len(out.Events)
			pages++
			if out.NextToken == nil {
				break
			}
			in.NextToken = out.NextToken
		}
		if got != want {
			b.Fatalf("%d matches, want %d", got, want)
		}
	}
	b.ReportMetric(float64(pages), "pages/pass")
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkPutLogEvents measures ingestion of ~1 KB CloudTrail records
// through PutLogEvents, one batch per call, committed durably each time.
func BenchmarkPutLogEvents(b *testing.B) {
	for _, size := range []int{1000, 10} {
		b.Run(fmt.Sprintf("batch=%d", size), func(b *testing.B) {
			e := newEnv(b)
			e.group("g")
			e.stream("g", "s")
			must[logs.Empty](e, "PutMetricFilter", filter("g", "unauthorized",
				`{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }`,
				logs.MetricTransformation{MetricName: "UnauthorizedAttemptCount", MetricNamespace: "CISBenchmark", MetricValue: "1", DefaultValue: ptr(0.0)}))
			rng := rand.New(rand.NewPCG(2, 2))
			// Prepared before timing: the benchmark measures the service.
			batches := make([][]logs.InputLogEvent, 64)
			k := 0
			for i := range batches {
				for j := 0; j < size; j++ {
					batches[i] = append(batches[i], logs.InputLogEvent{Message: cloudTrailRecord(rng, k, e.clock.Now())})
					k++
				}
			}
			var bytes int64
			i := 0
			for b.Loop() {
				bt := batches[i%len(batches)]
				ts := e.ms(0)
				for j := range bt {
					bt[j].Timestamp = ts
					bytes += int64(len(bt[j].Message))
				}
				e.put("g", "s", bt...)
				i++
			}
			b.ReportMetric(float64(i*size)/b.Elapsed().Seconds(), "events/s")
			b.SetBytes(bytes / int64(i))
		})
	}
	// Sixteen writers of small batches, each to its own stream: their
	// batches share commits.
	b.Run("batch=10/writers=16", func(b *testing.B) {
		e := newEnv(b)
		e.group("g")
		rng := rand.New(rand.NewPCG(3, 3))
		batch := make([]string, 10)
		for j := range batch {
			batch[j] = cloudTrailRecord(rng, j, e.clock.Now())
		}
		const writers = 16
		for w := 1; w <= writers; w++ {
			e.stream("g", fmt.Sprint("s", w))
		}
		var streams atomic.Int64
		b.SetParallelism(writers / runtime.GOMAXPROCS(0))
		b.RunParallel(func(pb *testing.PB) {
			name := fmt.Sprint("s", (streams.Add(1)-1)%writers+1)
			for pb.Next() {
				events := make([]logs.InputLogEvent, len(batch))
				ts := e.ms(0)
				for j, m := range batch {
					events[j] = logs.InputLogEvent{Timestamp: ts, Message: m}
				}
				in := &logs.PutLogEventsInput{LogGroupName: "g", LogStreamName: name, LogEvents: events}
				if _, err := e.svc.Descriptor().Op("PutLogEvents").Invoke(ctx, e.call("PutLogEvents"), in); err != nil {
					b.Error(err) // not Fatal: this is not the benchmark's goroutine
					return
				}
			}
		})
		b.ReportMetric(float64(b.N*len(batch))/b.Elapsed().Seconds(), "events/s")
	})
}
