package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"io"
	"regexp"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// trailBucketPolicy is spec §6.1's bucket policy for trailARN writing
// under [prefix/]AWSLogs/<account>/.
func trailBucketPolicy(bucket, prefix, trailARN string) string {
	p := ""
	if prefix != "" {
		p = prefix + "/"
	}
	return `{"Version":"2012-10-17","Statement":[
		{"Sid":"AWSCloudTrailAclCheck20150319","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:GetBucketAcl",
		 "Resource":"arn:aws:s3:::` + bucket + `","Condition":{"StringEquals":{"aws:SourceArn":"` + trailARN + `"}}},
		{"Sid":"AWSCloudTrailWrite20150319","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject",
		 "Resource":"arn:aws:s3:::` + bucket + `/` + p + `AWSLogs/` + testAccount + `/*",
		 "Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control","aws:SourceArn":"` + trailARN + `"}}}]}`
}

func withIntervals(delivery, digest time.Duration) func(*serveOptions) {
	return func(o *serveOptions) { o.deliveryInterval, o.digestInterval = delivery, digest }
}

type logRecord struct {
	EventID      string `json:"eventID"`
	EventName    string `json:"eventName"`
	EventSource  string `json:"eventSource"`
	EventTime    string `json:"eventTime"`
	UserIdentity struct {
		Type      string `json:"type"`
		InvokedBy string `json:"invokedBy"`
	} `json:"userIdentity"`
}

func gunzipAll(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	zr.Multistream(false)
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// objects lists the keys under prefix with their bodies.
func objects(t *testing.T, c *s3.Client, bucket, prefix string) map[string][]byte {
	t.Helper()
	ctx := context.Background()
	out := map[string][]byte{}
	p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(prefix)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range page.Contents {
			g, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: o.Key})
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(g.Body)
			g.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			out[aws.ToString(o.Key)] = b
		}
	}
	return out
}

func records(t *testing.T, files map[string][]byte) []logRecord {
	t.Helper()
	var all []logRecord
	for k, b := range files {
		var f struct{ Records []logRecord }
		if err := json.Unmarshal(gunzipAll(t, b), &f); err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		all = append(all, f.Records...)
	}
	return all
}

var sdkLogKey = regexp.MustCompile(`^audit/AWSLogs/123456789012/CloudTrail/us-east-1/\d{4}/\d{2}/\d{2}/123456789012_CloudTrail_us-east-1_\d{8}T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$`)

// A trail with a 1 s delivery interval: the calls made appear in a log
// file under AWS's layout, digests follow, signed with a listed key.
func TestTrailDeliversLogFilesAndDigests(t *testing.T) {
	ctx := context.Background()
	srv := startCairnIn(t, t.TempDir(), withIntervals(time.Second, 2*time.Second))
	c := srv.s3(srv.root())
	ct := srv.cloudtrail(srv.root())
	trailARN := "arn:aws:cloudtrail:us-east-1:" + testAccount + ":trail/main"
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("trail-logs")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("trail-logs"),
		Policy: aws.String(trailBucketPolicy("trail-logs", "audit", trailARN))}); err != nil {
		t.Fatal(err)
	}
	if _, err := ct.CreateTrail(ctx, &cloudtrail.CreateTrailInput{Name: aws.String("main"), S3BucketName: aws.String("trail-logs"),
		S3KeyPrefix: aws.String("audit"), EnableLogFileValidation: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	if _, err := ct.StartLogging(ctx, &cloudtrail.StartLoggingInput{Name: aws.String("main")}); err != nil {
		t.Fatal(err)
	}
	called := time.Now()
	if _, err := srv.iam(srv.root()).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListBuckets(ctx, &s3.ListBucketsInput{}); err != nil {
		t.Fatal(err)
	}
	var delay time.Duration
	var files map[string][]byte
	deadline := time.Now().Add(20 * time.Second)
	for {
		files = objects(t, c, "trail-logs", "audit/AWSLogs/"+testAccount+"/CloudTrail/")
		names := map[string]bool{}
		for _, r := range records(t, files) {
			names[r.EventName] = true
		}
		if names["CreateUser"] && names["ListBuckets"] {
			delay = time.Since(called)
			break
		}
		if time.Now().After(deadline) {
			st, _ := ct.GetTrailStatus(ctx, &cloudtrail.GetTrailStatusInput{Name: aws.String("main")})
			t.Fatalf("no log file with the calls after 20 s: %v (status: logging %v, error %q)", names, aws.ToBool(st.IsLogging), aws.ToString(st.LatestDeliveryError))
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("call to log file: %v", delay)
	for k := range files {
		if !sdkLogKey.MatchString(k) {
			t.Fatalf("log key %s", k)
		}
	}
	st, err := ct.GetTrailStatus(ctx, &cloudtrail.GetTrailStatusInput{Name: aws.String("main")})
	if err != nil {
		t.Fatal(err)
	}
	if st.LatestDeliveryTime == nil || aws.ToString(st.LatestDeliveryError) != "" {
		t.Fatalf("status: delivered %v, error %q", st.LatestDeliveryTime, aws.ToString(st.LatestDeliveryError))
	}

	// A digest follows within the digest interval; its signature verifies
	// with a key ListPublicKeys lists.
	var digests map[string][]byte
	for deadline := time.Now().Add(20 * time.Second); ; {
		digests = objects(t, c, "trail-logs", "audit/AWSLogs/"+testAccount+"/CloudTrail-Digest/us-east-1/")
		if len(digests) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no digest after 20 s")
		}
		time.Sleep(100 * time.Millisecond)
	}
	keys, err := ct.ListPublicKeys(ctx, &cloudtrail.ListPublicKeysInput{StartTime: aws.Time(called.Add(-time.Hour)), EndTime: aws.Time(time.Now().Add(2 * time.Hour))})
	if err != nil || len(keys.PublicKeyList) == 0 {
		t.Fatalf("ListPublicKeys: %v (%d keys)", err, len(keys.PublicKeyList))
	}
	for k, gz := range digests {
		body := gunzipAll(t, gz)
		var d struct {
			DigestEndTime, DigestS3Bucket, DigestS3Object, DigestPublicKeyFingerprint string
			PreviousDigestSignature                                                   *string
		}
		if err := json.Unmarshal(body, &d); err != nil {
			t.Fatal(err)
		}
		head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("trail-logs"), Key: aws.String(k)})
		if err != nil {
			t.Fatal(err)
		}
		if head.Metadata["signature-algorithm"] != "SHA256withRSA" || d.DigestS3Object != k {
			t.Fatalf("digest %s: metadata %v, object %s", k, head.Metadata, d.DigestS3Object)
		}
		var pub *rsa.PublicKey
		for _, pk := range keys.PublicKeyList {
			if aws.ToString(pk.Fingerprint) == d.DigestPublicKeyFingerprint {
				if pub, err = x509.ParsePKCS1PublicKey(pk.Value); err != nil {
					t.Fatal(err)
				}
			}
		}
		if pub == nil {
			t.Fatalf("digest %s: key %s not listed", k, d.DigestPublicKeyFingerprint)
		}
		sum := sha256.Sum256(body)
		prev := "null"
		if d.PreviousDigestSignature != nil {
			prev = *d.PreviousDigestSignature
		}
		h := sha256.Sum256([]byte(d.DigestEndTime + "\n" + d.DigestS3Bucket + "/" + d.DigestS3Object + "\n" + hex.EncodeToString(sum[:]) + "\n" + prev))
		sig, _ := hex.DecodeString(head.Metadata["signature"])
		if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, h[:], sig); err != nil {
			t.Fatalf("digest %s: %v", k, err)
		}
	}

	// The bucket policy removed: delivery fails and says why; restored:
	// it catches up, nothing lost.
	if _, err := c.DeleteBucketPolicy(ctx, &s3.DeleteBucketPolicyInput{Bucket: aws.String("trail-logs")}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.iam(srv.root()).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob")}); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); ; {
		st, err := ct.GetTrailStatus(ctx, &cloudtrail.GetTrailStatusInput{Name: aws.String("main")})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(st.LatestDeliveryError) == "AccessDenied" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("LatestDeliveryError %q", aws.ToString(st.LatestDeliveryError))
		}
		time.Sleep(100 * time.Millisecond)
	}
	if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("trail-logs"),
		Policy: aws.String(trailBucketPolicy("trail-logs", "audit", trailARN))}); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); ; {
		var bob int
		seen := map[string]int{}
		for _, r := range records(t, objects(t, c, "trail-logs", "audit/AWSLogs/"+testAccount+"/CloudTrail/")) {
			seen[r.EventID]++
			if r.EventName == "CreateUser" {
				bob++
			}
		}
		for id, n := range seen {
			if n > 1 {
				t.Fatalf("event %s delivered %d times", id, n)
			}
		}
		if bob == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the policy came back: %d CreateUser records", bob)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Delivery's own writes are S3 data events of the bucket owner, made by
// the service principal: a second trail logging the bucket's data events
// shows them with userIdentity AWSService / invokedBy
// cloudtrail.amazonaws.com.
func TestTrailDeliveryWritesAreRecorded(t *testing.T) {
	ctx := context.Background()
	srv := startCairnIn(t, t.TempDir(), withIntervals(time.Second, time.Hour))
	c := srv.s3(srv.root())
	ct := srv.cloudtrail(srv.root())
	for _, tr := range []struct{ bucket, name string }{{"trail-logs", "main"}, {"watch-logs", "watch"}} {
		arn := "arn:aws:cloudtrail:us-east-1:" + testAccount + ":trail/" + tr.name
		if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(tr.bucket)}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(tr.bucket),
			Policy: aws.String(trailBucketPolicy(tr.bucket, "", arn))}); err != nil {
			t.Fatal(err)
		}
		if _, err := ct.CreateTrail(ctx, &cloudtrail.CreateTrailInput{Name: aws.String(tr.name), S3BucketName: aws.String(tr.bucket)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := ct.PutEventSelectors(ctx, &cloudtrail.PutEventSelectorsInput{TrailName: aws.String("watch"),
		EventSelectors: []cttypes.EventSelector{{IncludeManagementEvents: aws.Bool(false), ReadWriteType: cttypes.ReadWriteTypeAll,
			DataResources: []cttypes.DataResource{{Type: aws.String("AWS::S3::Object"), Values: []string{"arn:aws:s3:::trail-logs/"}}}}}}); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"main", "watch"} {
		if _, err := ct.StartLogging(ctx, &cloudtrail.StartLoggingInput{Name: aws.String(n)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.ListBuckets(ctx, &s3.ListBucketsInput{}); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); ; {
		for _, r := range records(t, objects(t, c, "watch-logs", "AWSLogs/")) {
			if r.EventName == "PutObject" && r.UserIdentity.Type == "AWSService" && r.UserIdentity.InvokedBy == "cloudtrail.amazonaws.com" {
				return
			}
			if r.EventName == "PutObject" {
				t.Fatalf("delivery recorded as %+v", r.UserIdentity)
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("no PutObject by cloudtrail.amazonaws.com recorded")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// The delay from a call to the log file that holds it, with a 1 s
// delivery interval, over calls spread across several intervals: logged,
// not asserted (timings are for benchmarks, not tests).
func TestTrailDeliveryDelay(t *testing.T) {
	if testing.Short() {
		t.Skip("timing measurement")
	}
	ctx := context.Background()
	srv := startCairnIn(t, t.TempDir(), withIntervals(time.Second, time.Hour))
	c := srv.s3(srv.root())
	ct := srv.cloudtrail(srv.root())
	arn := "arn:aws:cloudtrail:us-east-1:" + testAccount + ":trail/main"
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("trail-logs")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("trail-logs"),
		Policy: aws.String(trailBucketPolicy("trail-logs", "", arn))}); err != nil {
		t.Fatal(err)
	}
	if _, err := ct.CreateTrail(ctx, &cloudtrail.CreateTrailInput{Name: aws.String("main"), S3BucketName: aws.String("trail-logs")}); err != nil {
		t.Fatal(err)
	}
	if _, err := ct.StartLogging(ctx, &cloudtrail.StartLoggingInput{Name: aws.String("main")}); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	sent := map[string]time.Time{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		client := srv.iam(srv.root())
		for range 100 {
			at := time.Now()
			out, err := client.ListUsers(ctx, &iam.ListUsersInput{})
			if err != nil {
				t.Error(err)
				return
			}
			if id, ok := awsmiddleware.GetRequestIDMetadata(out.ResultMetadata); ok {
				mu.Lock()
				sent[id] = at
				mu.Unlock()
			}
			time.Sleep(50 * time.Millisecond)
		}
	}()
	seen := map[string]time.Time{}
	read := map[string]bool{}
	lister := srv.s3(srv.root())
	for deadline := time.Now().Add(30 * time.Second); ; {
		for _, k := range keysUnder(t, lister, "trail-logs", "AWSLogs/") {
			if read[k] {
				continue
			}
			read[k] = true
			now := time.Now()
			for _, r := range recordsWithIDs(t, map[string][]byte{k: getObject(t, lister, "trail-logs", k)}) {
				if _, ok := seen[r.RequestID]; !ok {
					seen[r.RequestID] = now
				}
			}
		}
		select {
		case <-done:
			mu.Lock()
			all := len(sent)
			got := 0
			for id := range sent {
				if _, ok := seen[id]; ok {
					got++
				}
			}
			mu.Unlock()
			if got == all && all > 0 {
				var ds []time.Duration
				for id, at := range sent {
					ds = append(ds, seen[id].Sub(at))
				}
				slices.Sort(ds)
				t.Logf("%d calls: delay to log file p50 %v, p99 %v, max %v", len(ds), ds[len(ds)/2], ds[len(ds)*99/100], ds[len(ds)-1])
				return
			}
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("not every call delivered in 30 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
