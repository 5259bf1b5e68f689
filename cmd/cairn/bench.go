package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime/pprof"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"
	"github.com/spf13/cobra"
)

type benchOptions struct {
	endpoint    string
	duration    time.Duration
	concurrency int
	op          string
	region      string
	noVerify    bool
	baseline    bool
	cpuProfile  string
	size        int64 // object size of the S3 loads
	presigned   bool  // S3 loads through presigned URLs and plain HTTP
	signedHTTP  bool  // KMS loads signed by the load generator, on plain keep-alive connections
	sse         string
}

func benchCommand() *cobra.Command {
	o := &benchOptions{}
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Load an endpoint with signed calls and check that every call was recorded",
		Long: `Send signed calls with real credentials (the usual AWS environment
variables or profile) from --concurrency workers for --duration, then print
calls/s, latency percentiles and errors, and check that every acknowledged
call has its CloudTrail event. --no-verify skips the check, so that any
AWS-compatible endpoint can be measured with the same load. --baseline also
measures a bare net/http handler answering a same-sized body, so that the
ratio between the two is the figure that holds on a noisy machine.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := bindEnv(cmd, os.Getenv); err != nil {
				return err
			}
			return runBench(cmd.Context(), o, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.endpoint, "endpoint", "http://127.0.0.1:4566", "endpoint URL")
	f.DurationVar(&o.duration, "duration", 10*time.Second, "how long to send calls")
	f.IntVar(&o.concurrency, "concurrency", 32, "concurrent workers")
	f.StringVar(&o.op, "op", "sts:GetCallerIdentity", "operation: sts:GetCallerIdentity, iam:ListUsers, cloudtrail:LookupEvents, kms:EncryptDecrypt (one Encrypt and one Decrypt of 1 KiB per call), s3:PutObject, s3:GetObject (objects of --size bytes; data events, not verified) or s3:LargeObject (one PUT and one GET of --size bytes)")
	f.Int64Var(&o.size, "size", 4096, "object size of the S3 loads, in bytes")
	f.BoolVar(&o.presigned, "presigned", false, "send the S3 loads as plain HTTP requests to URLs presigned once, instead of SDK calls")
	f.BoolVar(&o.signedHTTP, "signed-http", false, "send the kms:EncryptDecrypt load as HTTP requests the load generator signs itself, instead of SDK calls")
	f.StringVar(&o.sse, "sse", "", `encryption of the objects s3:PutObject and s3:GetObject write: "" (the bucket's default, SSE-S3) or aws:kms (a KMS key aliased alias/cairn-bench, created if missing)`)
	f.StringVar(&o.region, "region", "us-east-1", "region to sign for")
	f.BoolVar(&o.noVerify, "no-verify", false, "skip checking that every acknowledged call was recorded")
	f.BoolVar(&o.baseline, "baseline", false, "also measure a bare net/http handler with a same-sized body")
	f.StringVar(&o.cpuProfile, "cpuprofile", "", "write the load generator's CPU profile to this file")
	return cmd
}

// callFunc makes one call and returns its request ID.
type callFunc func(ctx context.Context) (string, error)

type benchResult struct {
	calls     int
	errors    int
	elapsed   time.Duration
	latencies []time.Duration
	ids       []string
	firstErr  error
}

func runBench(ctx context.Context, o *benchOptions, out io.Writer) error {
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(o.region))
	if err != nil {
		return fmt.Errorf("load AWS configuration: %w", err)
	}
	cfg.HTTPClient = awshttp.NewBuildableClient().WithTransportOptions(func(t *http.Transport) {
		t.MaxIdleConns = o.concurrency * 2
		t.MaxIdleConnsPerHost = o.concurrency * 2
	})
	cfg.RetryMaxAttempts = 1
	if o.op == "s3:LargeObject" {
		return benchLarge(ctx, cfg, o.endpoint, o.size, out)
	}
	if o.op == "s3:PutObject" || o.op == "s3:GetObject" {
		o.noVerify = true // data events: LookupEvents does not return them
	}
	call, err := makeS3Call(cfg, o)
	if call == nil && err == nil {
		call, err = makeAPICall(cfg, o, o.endpoint)
	}
	if err != nil {
		return err
	}
	if o.cpuProfile != "" {
		f, err := os.Create(o.cpuProfile)
		if err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	start := time.Now().UTC()
	res := drive(ctx, call, o.concurrency, o.duration, !o.noVerify)
	end := time.Now().UTC()
	report(out, "cairn", o, res)
	if o.baseline {
		if err := runBaseline(ctx, cfg, o, out, res); err != nil {
			return err
		}
	}
	if o.noVerify {
		return nil
	}
	missing, err := verify(ctx, cfg, o, start, end, res.ids)
	if err != nil {
		return fmt.Errorf("verify events: %w", err)
	}
	fmt.Fprintf(out, "events: %d acknowledged calls, %d missing events\n", len(res.ids), missing)
	if missing > 0 {
		return fmt.Errorf("%d acknowledged calls have no event", missing)
	}
	return nil
}

// makeAPICall returns the call of the non-S3 loads, sent to endpoint.
func makeAPICall(cfg aws.Config, o *benchOptions, endpoint string) (callFunc, error) {
	switch {
	case o.signedHTTP && o.op != "kms:EncryptDecrypt":
		return nil, errors.New("--signed-http applies to kms:EncryptDecrypt")
	case o.signedHTTP:
		return kmsRoundTripHTTP(cfg, endpoint, o.concurrency)
	}
	return makeCall(cfg, endpoint, o.op)
}

func makeCall(cfg aws.Config, endpoint, op string) (callFunc, error) {
	ep := aws.String(endpoint)
	switch op {
	case "sts:GetCallerIdentity":
		c := sts.NewFromConfig(cfg, func(o *sts.Options) { o.BaseEndpoint = ep })
		return func(ctx context.Context) (string, error) {
			r, err := c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			if err != nil {
				return "", err
			}
			return requestID(r.ResultMetadata), nil
		}, nil
	case "iam:ListUsers":
		c := iam.NewFromConfig(cfg, func(o *iam.Options) { o.BaseEndpoint = ep })
		return func(ctx context.Context) (string, error) {
			r, err := c.ListUsers(ctx, &iam.ListUsersInput{MaxItems: aws.Int32(10)})
			if err != nil {
				return "", err
			}
			return requestID(r.ResultMetadata), nil
		}, nil
	case "kms:EncryptDecrypt":
		return kmsRoundTrip(cfg, ep)
	case "cloudtrail:LookupEvents":
		c := cloudtrail.NewFromConfig(cfg, func(o *cloudtrail.Options) { o.BaseEndpoint = ep })
		return func(ctx context.Context) (string, error) {
			r, err := c.LookupEvents(ctx, &cloudtrail.LookupEventsInput{MaxResults: aws.Int32(5)})
			if err != nil {
				return "", err
			}
			return requestID(r.ResultMetadata), nil
		}, nil
	}
	return nil, fmt.Errorf("--op %q: want sts:GetCallerIdentity, iam:ListUsers, cloudtrail:LookupEvents or kms:EncryptDecrypt", op)
}

func requestID(md middleware.Metadata) string {
	id, _ := awsmiddleware.GetRequestIDMetadata(md)
	return id
}

// drive runs workers until the duration is over.
func drive(ctx context.Context, call callFunc, workers int, d time.Duration, keepIDs bool) benchResult {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var (
		mu       sync.Mutex
		res      benchResult
		firstErr atomic.Pointer[error]
		wg       sync.WaitGroup
	)
	t0 := time.Now()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			var ids []string
			errs := 0
			for ctx.Err() == nil {
				s := time.Now()
				id, err := call(context.WithoutCancel(ctx))
				if err != nil {
					errs++
					firstErr.CompareAndSwap(nil, &err)
					continue
				}
				lat = append(lat, time.Since(s))
				if keepIDs {
					ids = append(ids, id)
				}
			}
			mu.Lock()
			res.latencies = append(res.latencies, lat...)
			res.ids = append(res.ids, ids...)
			res.errors += errs
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(t0)
	res.calls = len(res.latencies)
	if p := firstErr.Load(); p != nil {
		res.firstErr = *p
	}
	return res
}

func report(out io.Writer, name string, o *benchOptions, r benchResult) {
	sort.Slice(r.latencies, func(i, j int) bool { return r.latencies[i] < r.latencies[j] })
	pct := func(p float64) time.Duration {
		if len(r.latencies) == 0 {
			return 0
		}
		return r.latencies[int(float64(len(r.latencies)-1)*p)]
	}
	rate := float64(r.calls) / r.elapsed.Seconds()
	fmt.Fprintf(out, "%s: %s, %d workers, %s: %d calls, %.0f calls/s, p50 %s, p99 %s, max %s, %d errors\n",
		name, o.op, o.concurrency, r.elapsed.Round(time.Millisecond), r.calls, rate,
		pct(0.50).Round(time.Microsecond), pct(0.99).Round(time.Microsecond), pct(1).Round(time.Microsecond), r.errors)
	if r.firstErr != nil {
		fmt.Fprintf(out, "%s: first error: %v\n", name, r.firstErr)
	}
}

// runBaseline serves one real response body verbatim from a bare handler
// (for kms:EncryptDecrypt, kmsEcho) and drives it with the same client
// and load.
func runBaseline(ctx context.Context, cfg aws.Config, o *benchOptions, out io.Writer, cairnRes benchResult) error {
	handler := http.Handler(kmsEcho{})
	if o.op != "kms:EncryptDecrypt" {
		body, header, err := sampleResponse(ctx, cfg, o)
		if err != nil {
			return fmt.Errorf("baseline sample: %w", err)
		}
		handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			for k, v := range header {
				w.Header()[k] = v
			}
			_, _ = w.Write(body)
		})
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("baseline listen: %w", err)
	}
	srv := &http.Server{Handler: handler}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	call, err := makeAPICall(cfg, o, "http://"+ln.Addr().String())
	if err != nil {
		return err
	}
	res := drive(ctx, call, o.concurrency, o.duration, false)
	report(out, "baseline", o, res)
	if res.calls > 0 {
		ratio := (float64(cairnRes.calls) / cairnRes.elapsed.Seconds()) / (float64(res.calls) / res.elapsed.Seconds())
		fmt.Fprintf(out, "ratio: cairn reaches %.0f%% of the bare handler's calls/s\n", ratio*100)
	}
	return nil
}

// sampleResponse captures one real response of the endpoint.
func sampleResponse(ctx context.Context, cfg aws.Config, o *benchOptions) ([]byte, http.Header, error) {
	var body []byte
	var header http.Header
	c := cfg.Copy()
	c.HTTPClient = capture{next: cfg.HTTPClient, body: &body, header: &header}
	call, err := makeCall(c, o.endpoint, o.op)
	if err != nil {
		return nil, nil, err
	}
	if _, err := call(ctx); err != nil {
		return nil, nil, err
	}
	return body, header, nil
}

type capture struct {
	next   aws.HTTPClient
	body   *[]byte
	header *http.Header
}

func (c capture) Do(r *http.Request) (*http.Response, error) {
	resp, err := c.next.Do(r)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	*c.body = b
	h := http.Header{}
	for _, k := range []string{"Content-Type", "X-Amzn-Requestid"} {
		if v := resp.Header.Get(k); v != "" {
			h.Set(k, v)
		}
	}
	*c.header = h
	resp.Body = io.NopCloser(strings.NewReader(string(b)))
	return resp, nil
}

// verify pages through the event history of the run's window and counts
// acknowledged request IDs without an event.
func verify(ctx context.Context, cfg aws.Config, o *benchOptions, start, end time.Time, ids []string) (int, error) {
	want := make(map[string]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	eventName := o.op[strings.IndexByte(o.op, ':')+1:]
	if o.op == "kms:EncryptDecrypt" {
		eventName = "Decrypt" // a round trip reports its Decrypt's request ID
	}
	c := cloudtrail.NewFromConfig(cfg, func(co *cloudtrail.Options) {
		co.BaseEndpoint = aws.String(o.endpoint)
		if !strings.HasPrefix(o.op, "cloudtrail:") {
			co.Region = "us-east-1" // IAM and STS events are recorded there
		}
		co.RetryMaxAttempts = 3
	})
	p := cloudtrail.NewLookupEventsPaginator(c, &cloudtrail.LookupEventsInput{
		StartTime: aws.Time(start.Add(-time.Second)),
		EndTime:   aws.Time(end.Add(time.Second)),
		LookupAttributes: []cttypes.LookupAttribute{{
			AttributeKey: cttypes.LookupAttributeKeyEventName, AttributeValue: aws.String(eventName),
		}},
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return 0, err
		}
		for _, e := range page.Events {
			if e.CloudTrailEvent != nil {
				if id := recordRequestID(*e.CloudTrailEvent); id != "" {
					delete(want, id)
				}
			}
		}
	}
	return len(want), nil
}

// recordRequestID reads the requestID of a CloudTrail record.
func recordRequestID(record string) string {
	var r struct {
		RequestID string `json:"requestID"`
	}
	if err := json.Unmarshal([]byte(record), &r); err != nil {
		return ""
	}
	return r.RequestID
}
