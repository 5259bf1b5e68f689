package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// startServeIn runs the built binary on data with extra environment
// (CAIRN_DELIVERY_INTERVAL …); the process is killed at the end of the test.
func startServeIn(t *testing.T, data string, env ...string) *binary {
	t.Helper()
	bin := buildCairn(t)
	cmd := exec.Command(bin, "serve", "--listen", "127.0.0.1:0", "--data", data)
	cmd.Env = append(append(os.Environ(), "CAIRN_ROOT_ACCESS_KEY_ID="+testRootKey, "CAIRN_ROOT_SECRET_ACCESS_KEY="+testRootSec,
		"CAIRN_ACCOUNT_ID="+testAccount), env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	found := make(chan string, 1)
	go func() {
		defer func() { _, _ = io.Copy(io.Discard, stderr) }() // never block the server's log
		sc := bufio.NewScanner(stderr)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			if os.Getenv("CAIRN_TEST_LOG") != "" && !strings.Contains(sc.Text(), "msg=request") {
				fmt.Fprintln(os.Stderr, sc.Text())
			}
			if m := endpointLine.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
	}()
	b := &binary{cmd: cmd, data: data}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	select {
	case b.endpoint = <-found:
	case <-time.After(30 * time.Second):
		t.Fatal("cairn did not report its endpoint")
	}
	return b
}

// kill9 kills the process with SIGKILL: no shutdown, no flush.
func (b *binary) kill9(t *testing.T) {
	t.Helper()
	if err := b.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = b.cmd.Wait()
}

func (b *binary) s3Client() *s3.Client {
	s := &cairnServer{endpoint: b.endpoint}
	return s.s3(s.root())
}

func (b *binary) mustAWS(t *testing.T, args ...string) string {
	t.Helper()
	out, errOut, err := b.aws(t, testRootKey, testRootSec, args...)
	if err != nil {
		t.Fatalf("aws %s: %v\n%s%s", strings.Join(args, " "), err, out, errOut)
	}
	return out
}

// validateLogs runs the real `aws cloudtrail validate-logs` and returns
// its output and exit code.
func (b *binary) validateLogs(t *testing.T, trailARN string, start time.Time, extra ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(requireTool(t, "aws"), append([]string{"cloudtrail", "validate-logs", "--trail-arn", trailARN,
		"--start-time", start.UTC().Format("2006-01-02T15:04:05Z"), "--verbose"}, extra...)...)
	cmd.Env = append(cleanAWSEnv(), "AWS_ENDPOINT_URL="+b.endpoint, "AWS_ACCESS_KEY_ID="+testRootKey,
		"AWS_SECRET_ACCESS_KEY="+testRootSec, "AWS_DEFAULT_REGION=us-east-1")
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errOut.String(), code
}

// nativeValidate runs `cairn validate-logs` against the binary.
func (b *binary) nativeValidate(t *testing.T, trailARN string, start time.Time, extra ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(buildCairn(t), append([]string{"validate-logs", "--trail-arn", trailARN,
		"--start-time", start.UTC().Format(time.RFC3339), "--verbose"}, extra...)...)
	cmd.Env = append(cleanAWSEnv(), "AWS_ENDPOINT_URL="+b.endpoint, "AWS_ACCESS_KEY_ID="+testRootKey,
		"AWS_SECRET_ACCESS_KEY="+testRootSec, "AWS_REGION=us-east-1")
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errOut.String(), code
}

func keysUnder(t *testing.T, c *s3.Client, bucket, prefix string) []string {
	t.Helper()
	var keys []string
	p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(prefix)})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range page.Contents {
			keys = append(keys, aws.ToString(o.Key))
		}
	}
	sort.Strings(keys)
	return keys
}

func getObject(t *testing.T, c *s3.Client, bucket, key string) []byte {
	t.Helper()
	out := objects(t, c, bucket, key)
	b, ok := out[key]
	if !ok {
		t.Fatalf("no object %s", key)
	}
	return b
}

func putObject(t *testing.T, c *s3.Client, bucket, key string, body []byte) {
	t.Helper()
	if _, err := c.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key),
		Body: bytes.NewReader(body)}); err != nil {
		t.Fatal(err)
	}
}

// THE acceptance test: the real AWS CLI's validate-logs accepts Cairn's
// log files and digests, and reports tampering.
func TestInteropValidateLogs(t *testing.T) {
	requireTool(t, "aws")
	b := startServeIn(t, t.TempDir(), "CAIRN_DELIVERY_INTERVAL=1s", "CAIRN_DIGEST_INTERVAL=2s")
	const bucket, prefix, name = "vlogs", "pre", "vtrail"
	trailARN := "arn:aws:cloudtrail:us-east-1:" + testAccount + ":trail/" + name
	b.mustAWS(t, "s3api", "create-bucket", "--bucket", bucket)
	b.mustAWS(t, "s3api", "put-bucket-policy", "--bucket", bucket, "--policy", trailBucketPolicy(bucket, prefix, trailARN))
	b.mustAWS(t, "cloudtrail", "create-trail", "--name", name, "--s3-bucket-name", bucket, "--s3-key-prefix", prefix,
		"--enable-log-file-validation")
	start := time.Now().Add(-time.Minute)
	b.mustAWS(t, "cloudtrail", "start-logging", "--name", name)
	b.mustAWS(t, "iam", "create-user", "--user-name", "u1")
	time.Sleep(2500 * time.Millisecond)
	b.mustAWS(t, "iam", "create-user", "--user-name", "u2")
	time.Sleep(2500 * time.Millisecond)
	b.mustAWS(t, "cloudtrail", "stop-logging", "--name", name)

	c := b.s3Client()
	digestPrefix := prefix + "/AWSLogs/" + testAccount + "/CloudTrail-Digest/us-east-1/"
	logPrefix := prefix + "/AWSLogs/" + testAccount + "/CloudTrail/us-east-1/"
	// The final digest follows StopLogging by 3 s.
	time.Sleep(6 * time.Second)
	digests := keysUnder(t, c, bucket, digestPrefix)
	if len(digests) < 3 {
		t.Fatalf("digests: %q", digests)
	}
	logs := keysUnder(t, c, bucket, logPrefix)
	if len(logs) == 0 {
		t.Fatal("no log files")
	}

	out, errOut, code := b.validateLogs(t, trailARN, start)
	t.Logf("validate-logs:\n%s%s", out, errOut)
	if code != 0 || strings.Contains(out+errOut, "INVALID") || !strings.Contains(out, "digest files valid") {
		t.Fatalf("validate-logs exit %d", code)
	}
	for _, k := range logs {
		if !strings.Contains(out, "Log file\ts3://"+bucket+"/"+k+"\tvalid") {
			t.Fatalf("log file %s not reported valid", k)
		}
	}
	for _, k := range digests {
		if !strings.Contains(out, "Digest file\ts3://"+bucket+"/"+k+"\tvalid") {
			t.Fatalf("digest %s not reported valid", k)
		}
	}

	// cairn validate-logs agrees, and says how long each took.
	began := time.Now()
	b.validateLogs(t, trailARN, start)
	cliTime := time.Since(began)
	began = time.Now()
	nout, nerr, ncode := b.nativeValidate(t, trailARN, start)
	t.Logf("aws cloudtrail validate-logs %v, cairn validate-logs %v", cliTime, time.Since(began))
	if ncode != 0 || !strings.Contains(nout, fmt.Sprintf("%d/%d digest files valid", len(digests), len(digests))) ||
		!strings.Contains(nout, fmt.Sprintf("%d/%d log files valid", len(logs), len(logs))) {
		t.Fatalf("cairn validate-logs: exit %d\n%s%s", ncode, nout, nerr)
	}

	// A log file's bytes changed: INVALID, exit 1.
	orig := getObject(t, c, bucket, logs[0])
	body := gunzipAll(t, orig)
	body = bytes.Replace(body, []byte(`"eventVersion"`), []byte(`"eventVersioN"`), 1)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write(body)
	_ = zw.Close()
	putObject(t, c, bucket, logs[0], gz.Bytes())
	out, errOut, code = b.validateLogs(t, trailARN, start)
	if code != 1 || !strings.Contains(errOut, "Log file\ts3://"+bucket+"/"+logs[0]+"\tINVALID: hash value doesn't match") {
		t.Fatalf("tampered log: exit %d\n%s%s", code, out, errOut)
	}
	if nout, nerr, ncode := b.nativeValidate(t, trailARN, start); ncode != 1 ||
		!strings.Contains(nerr, "Log file\ts3://"+bucket+"/"+logs[0]+"\tINVALID: hash value doesn't match") {
		t.Fatalf("cairn validate-logs, tampered log: exit %d\n%s%s", ncode, nout, nerr)
	}
	putObject(t, c, bucket, logs[0], orig)
	if _, _, code = b.validateLogs(t, trailARN, start); code != 0 {
		t.Fatalf("restored log: exit %d", code)
	}

	// A log file deleted: INVALID: not found, exit 1.
	if _, err := c.DeleteObject(context.Background(), &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(logs[0])}); err != nil {
		t.Fatal(err)
	}
	out, errOut, code = b.validateLogs(t, trailARN, start)
	if code != 1 || !strings.Contains(errOut, "Log file\ts3://"+bucket+"/"+logs[0]+"\tINVALID: not found") {
		t.Fatalf("deleted log: exit %d\n%s%s", code, out, errOut)
	}
	putObject(t, c, bucket, logs[0], orig)

	// A digest changed, its signature metadata kept: INVALID, exit 1.
	changed := digests[len(digests)-1]
	head, err := c.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(changed)})
	if err != nil {
		t.Fatal(err)
	}
	origDigest := getObject(t, c, bucket, changed)
	db := bytes.Replace(gunzipAll(t, origDigest), []byte(`"logFiles":[`), []byte(`"logFiles" :[`), 1)
	gz.Reset()
	zw = gzip.NewWriter(&gz)
	_, _ = zw.Write(db)
	_ = zw.Close()
	if _, err := c.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(changed),
		Body: bytes.NewReader(gz.Bytes()), Metadata: head.Metadata}); err != nil {
		t.Fatal(err)
	}
	out, errOut, code = b.validateLogs(t, trailARN, start)
	if code != 1 || !strings.Contains(errOut, "Digest file\ts3://"+bucket+"/"+changed+"\tINVALID: signature verification failed") {
		t.Fatalf("changed digest: exit %d\n%s%s", code, out, errOut)
	}
	if _, err := c.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(changed),
		Body: bytes.NewReader(origDigest), Metadata: head.Metadata}); err != nil {
		t.Fatal(err)
	}
	if _, _, code = b.validateLogs(t, trailARN, start); code != 0 {
		t.Fatalf("restored digest: exit %d", code)
	}

	// A digest deleted (one another digest points at): INVALID, exit 1.
	gone := digests[len(digests)-2]
	if _, err := c.DeleteObject(context.Background(), &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(gone)}); err != nil {
		t.Fatal(err)
	}
	out, errOut, code = b.validateLogs(t, trailARN, start)
	if code != 1 || !strings.Contains(errOut, "Digest file\ts3://"+bucket+"/"+gone+"\tINVALID: not found") {
		t.Fatalf("deleted digest: exit %d\n%s%s", code, out, errOut)
	}
	if nout, nerr, ncode := b.nativeValidate(t, trailARN, start); ncode != 1 ||
		!strings.Contains(nerr, "Digest file\ts3://"+bucket+"/"+gone+"\tINVALID: not found") {
		t.Fatalf("cairn validate-logs, deleted digest: exit %d\n%s%s", ncode, nout, nerr)
	}
}

// kill -9 while delivering: after a restart on the same data every event
// recorded before the kill is delivered exactly once (no gap, no
// duplicate record), a file cut short by the kill rewritten under its key.
func TestTrailDeliveryKill9(t *testing.T) {
	data := t.TempDir()
	env := []string{"CAIRN_DELIVERY_INTERVAL=1s", "CAIRN_DIGEST_INTERVAL=1h"}
	b := startServeIn(t, data, env...)
	const bucket = "crash-logs"
	trailARN := "arn:aws:cloudtrail:us-east-1:" + testAccount + ":trail/crash"
	srv := &cairnServer{endpoint: b.endpoint}
	ctx := context.Background()
	c := srv.s3(srv.root())
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(bucket),
		Policy: aws.String(trailBucketPolicy(bucket, "", trailARN))}); err != nil {
		t.Fatal(err)
	}
	ct := srv.cloudtrail(srv.root())
	if _, err := ct.CreateTrail(ctx, &cloudtrail.CreateTrailInput{Name: aws.String("crash"), S3BucketName: aws.String(bucket)}); err != nil {
		t.Fatal(err)
	}
	if _, err := ct.StartLogging(ctx, &cloudtrail.StartLoggingInput{Name: aws.String("crash")}); err != nil {
		t.Fatal(err)
	}
	// Calls go on while the process is killed; those answered were recorded.
	var mu sync.Mutex
	answered := map[string]bool{}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := srv.iam(srv.root())
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				_, err := client.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("nobody"),
					Tags: []iamtypes.Tag{{Key: aws.String("k"), Value: aws.String(fmt.Sprint(w, i))}}})
				if err == nil {
					continue
				}
				var re interface{ ServiceRequestID() string }
				if errors.As(err, &re) && re.ServiceRequestID() != "" {
					mu.Lock()
					answered[re.ServiceRequestID()] = true
					mu.Unlock()
				}
			}
		}()
	}
	// Kill once deliveries are under way.
	for deadline := time.Now().Add(20 * time.Second); len(keysUnder(t, c, bucket, "AWSLogs/")) < 2; {
		if time.Now().After(deadline) {
			t.Fatal("no deliveries")
		}
		time.Sleep(300 * time.Millisecond)
	}
	time.Sleep(time.Duration(time.Now().UnixNano()%1000) * time.Millisecond)
	b.kill9(t)
	close(stop)
	wg.Wait()

	b = startServeIn(t, data, env...)
	srv = &cairnServer{endpoint: b.endpoint}
	c = srv.s3(srv.root())
	mu.Lock()
	want := len(answered)
	mu.Unlock()
	if want < 50 {
		t.Fatalf("only %d calls answered before the kill", want)
	}
	var got map[string]int
	for deadline := time.Now().Add(30 * time.Second); ; {
		got = map[string]int{}
		ids := map[string]int{}
		for _, r := range recordsWithIDs(t, objects(t, c, bucket, "AWSLogs/")) {
			ids[r.EventID]++
			if answered[r.RequestID] {
				got[r.RequestID]++
			}
		}
		for id, n := range ids {
			if n != 1 {
				t.Fatalf("event %s delivered %d times", id, n)
			}
		}
		if len(got) == want {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d answered calls delivered after the restart", len(got), want)
		}
		time.Sleep(300 * time.Millisecond)
	}
	t.Logf("%d calls answered before kill -9, all delivered once, in %d files", want, len(keysUnder(t, c, bucket, "AWSLogs/")))
}

type idRecord struct {
	EventID   string `json:"eventID"`
	RequestID string `json:"requestID"`
}

func recordsWithIDs(t *testing.T, files map[string][]byte) []idRecord {
	t.Helper()
	var all []idRecord
	for k, b := range files {
		var f struct{ Records []idRecord }
		if err := json.Unmarshal(gunzipAll(t, b), &f); err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		all = append(all, f.Records...)
	}
	return all
}

// validate-logs with an SSE-KMS trail (log files and digests encrypted
// with the trail's key and its encryption context) and a multi-region
// trail (each region's chain validated from that region).
func TestInteropValidateLogsKMSAndMultiRegion(t *testing.T) {
	requireTool(t, "aws")
	b := startServeIn(t, t.TempDir(), "CAIRN_DELIVERY_INTERVAL=1s", "CAIRN_DIGEST_INTERVAL=2s")
	const bucket = "vlogs2"
	kmsARN := "arn:aws:cloudtrail:us-east-1:" + testAccount + ":trail/kmstrail"
	multiARN := "arn:aws:cloudtrail:us-east-1:" + testAccount + ":trail/multi"
	b.mustAWS(t, "s3api", "create-bucket", "--bucket", bucket)
	policy := strings.Replace(trailBucketPolicy(bucket, "", kmsARN), `"aws:SourceArn":"`+kmsARN+`"`,
		`"aws:SourceArn":["`+kmsARN+`","`+multiARN+`"]`, 2)
	policy = strings.Replace(policy, `"Resource":"arn:aws:s3:::`+bucket+`/AWSLogs/`+testAccount+`/*"`,
		`"Resource":["arn:aws:s3:::`+bucket+`/AWSLogs/`+testAccount+`/*","arn:aws:s3:::`+bucket+`/enc/AWSLogs/`+testAccount+`/*"]`, 1)
	b.mustAWS(t, "s3api", "put-bucket-policy", "--bucket", bucket, "--policy", policy)
	keyPolicy := `{"Version":"2012-10-17","Statement":[
		{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + testAccount + `:root"},"Action":"kms:*","Resource":"*"},
		{"Sid":"Allow CloudTrail to encrypt logs","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"kms:GenerateDataKey*","Resource":"*",
		 "Condition":{"StringLike":{"kms:EncryptionContext:aws:cloudtrail:arn":"arn:aws:cloudtrail:*:` + testAccount + `:trail/*"}}},
		{"Sid":"Allow CloudTrail to describe key","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"kms:DescribeKey","Resource":"*"}]}`
	var key struct{ KeyMetadata struct{ Arn string } }
	if err := json.Unmarshal([]byte(b.mustAWS(t, "kms", "create-key", "--policy", keyPolicy)), &key); err != nil {
		t.Fatal(err)
	}
	b.mustAWS(t, "cloudtrail", "create-trail", "--name", "kmstrail", "--s3-bucket-name", bucket, "--s3-key-prefix", "enc",
		"--kms-key-id", key.KeyMetadata.Arn, "--enable-log-file-validation")
	b.mustAWS(t, "cloudtrail", "create-trail", "--name", "multi", "--s3-bucket-name", bucket, "--is-multi-region-trail",
		"--enable-log-file-validation")
	start := time.Now().Add(-time.Minute)
	b.mustAWS(t, "cloudtrail", "start-logging", "--name", "kmstrail")
	b.mustAWS(t, "cloudtrail", "start-logging", "--name", "multi")
	b.mustAWS(t, "iam", "create-user", "--user-name", "u1")
	b.mustAWS(t, "kms", "list-keys", "--region", "eu-west-1")
	time.Sleep(2500 * time.Millisecond)
	b.mustAWS(t, "iam", "create-user", "--user-name", "u2")
	b.mustAWS(t, "kms", "list-aliases", "--region", "eu-west-1")
	time.Sleep(2500 * time.Millisecond)
	b.mustAWS(t, "cloudtrail", "stop-logging", "--name", "kmstrail")
	b.mustAWS(t, "cloudtrail", "stop-logging", "--name", "multi")
	time.Sleep(6 * time.Second) // the final digests follow StopLogging by 3 s

	c := b.s3Client()
	head, err := c.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String(bucket),
		Key: aws.String(keysUnder(t, c, bucket, "enc/AWSLogs/"+testAccount+"/CloudTrail/us-east-1/")[0])})
	if err != nil {
		t.Fatal(err)
	}
	if string(head.ServerSideEncryption) != "aws:kms" || aws.ToString(head.SSEKMSKeyId) != key.KeyMetadata.Arn {
		t.Fatalf("log file encryption %s %s", head.ServerSideEncryption, aws.ToString(head.SSEKMSKeyId))
	}
	// The key's use by delivery is recorded as AWS shows it: the S3 call's
	// GenerateDataKey on CloudTrail's behalf.
	generated := 0
	for _, r := range records(t, objects(t, c, bucket, "enc/AWSLogs/"+testAccount+"/CloudTrail/us-east-1/")) {
		if r.EventName != "GenerateDataKey" {
			continue
		}
		generated++
		if r.UserIdentity.Type != "AWSService" || r.UserIdentity.InvokedBy != "cloudtrail.amazonaws.com" {
			t.Fatalf("GenerateDataKey recorded with userIdentity %+v", r.UserIdentity)
		}
	}
	if generated == 0 {
		t.Fatal("delivery's GenerateDataKey calls were not recorded")
	}
	for _, tc := range []struct{ arn, region, logPrefix string }{
		{kmsARN, "us-east-1", "enc/AWSLogs/" + testAccount + "/CloudTrail/us-east-1/"},
		{multiARN, "us-east-1", "AWSLogs/" + testAccount + "/CloudTrail/us-east-1/"},
		{multiARN, "eu-west-1", "AWSLogs/" + testAccount + "/CloudTrail/eu-west-1/"},
	} {
		logs := keysUnder(t, c, bucket, tc.logPrefix)
		if len(logs) == 0 {
			t.Fatalf("%s: no log files in %s", tc.arn, tc.region)
		}
		out, errOut, code := b.validateLogs(t, tc.arn, start, "--region", tc.region)
		if code != 0 || strings.Contains(out+errOut, "INVALID") || !strings.Contains(out, "digest files valid") {
			t.Fatalf("%s in %s: validate-logs exit %d\n%s%s", tc.arn, tc.region, code, out, errOut)
		}
		for _, k := range logs {
			if !strings.Contains(out, "Log file\ts3://"+bucket+"/"+k+"\tvalid") {
				t.Fatalf("%s in %s: log file %s not reported valid\n%s", tc.arn, tc.region, k, out)
			}
		}
		t.Logf("%s in %s: %s", tc.arn, tc.region, out[strings.Index(out, "Results found"):])
	}
}

// The AWS CLI and cairn validate-logs on the same many files: both
// times logged (for the comparison, not asserted).
func TestValidateLogsTimes(t *testing.T) {
	requireTool(t, "aws")
	if testing.Short() {
		t.Skip("timing measurement")
	}
	b := startServeIn(t, t.TempDir(), "CAIRN_DELIVERY_INTERVAL=200ms", "CAIRN_DIGEST_INTERVAL=2s")
	const bucket, name = "many-logs", "many"
	trailARN := "arn:aws:cloudtrail:us-east-1:" + testAccount + ":trail/" + name
	b.mustAWS(t, "s3api", "create-bucket", "--bucket", bucket)
	b.mustAWS(t, "s3api", "put-bucket-policy", "--bucket", bucket, "--policy", trailBucketPolicy(bucket, "", trailARN))
	b.mustAWS(t, "cloudtrail", "create-trail", "--name", name, "--s3-bucket-name", bucket, "--enable-log-file-validation")
	start := time.Now().Add(-time.Minute)
	b.mustAWS(t, "cloudtrail", "start-logging", "--name", name)
	srv := &cairnServer{endpoint: b.endpoint}
	client := srv.iam(srv.root())
	for until := time.Now().Add(40 * time.Second); time.Now().Before(until); {
		if _, err := client.ListUsers(context.Background(), &iam.ListUsersInput{}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	b.mustAWS(t, "cloudtrail", "stop-logging", "--name", name)
	time.Sleep(6 * time.Second)
	began := time.Now()
	out, errOut, code := b.validateLogs(t, trailARN, start)
	cli := time.Since(began)
	if code != 0 {
		t.Fatalf("aws validate-logs: exit %d\n%s%s", code, out, errOut)
	}
	began = time.Now()
	nout, nerr, ncode := b.nativeValidate(t, trailARN, start)
	native := time.Since(began)
	if ncode != 0 {
		t.Fatalf("cairn validate-logs: exit %d\n%s%s", ncode, nout, nerr)
	}
	summary := func(s string) string { return strings.Join(strings.Fields(s[strings.LastIndex(s, "\n\n"):]), " ") }
	t.Logf("aws cloudtrail validate-logs: %v (%s); cairn validate-logs: %v (%s)", cli, summary(out), native, summary(nout))
}

// The AWS CLI validates an organization trail's files in Cairn, for the
// management account and for a member account (--account-id, which it
// requires for an organization trail), having learnt the organization ID
// from Cairn's organizations:DescribeOrganization; a member's changed log
// file is INVALID.
func TestInteropValidateLogsOrganizationTrail(t *testing.T) {
	requireTool(t, "aws")
	srv := startCairnIn(t, t.TempDir(), withIntervals(time.Second, 2*time.Second))
	o := newOrgTrail(t, srv, "org-cli-logs", "orgcli")
	b := &binary{endpoint: srv.endpoint}
	for _, account := range []string{testAccount, o.member} {
		out, errOut, code := b.validateLogs(t, o.arn, o.start, "--account-id", account)
		if code != 0 || strings.Contains(out+errOut, "INVALID") {
			t.Fatalf("%s: validate-logs exit %d\n%s%s", account, code, out, errOut)
		}
		for _, k := range o.digests[account] {
			if !strings.Contains(out, "Digest file\ts3://"+o.bucket+"/"+k+"\tvalid") {
				t.Fatalf("%s: digest %s not reported valid\n%s", account, k, out)
			}
		}
		for _, k := range o.logs[account] {
			if !strings.Contains(out, "Log file\ts3://"+o.bucket+"/"+k+"\tvalid") {
				t.Fatalf("%s: log file %s not reported valid\n%s", account, k, out)
			}
		}
		t.Logf("%s: %s", account, out[strings.Index(out, "Results found"):])
	}
	// Without --account-id the AWS CLI refuses an organization trail.
	if out, errOut, code := b.validateLogs(t, o.arn, o.start); code == 0 || !strings.Contains(errOut, "--account-id") {
		t.Fatalf("no --account-id: exit %d\n%s%s", code, out, errOut)
	}
	changed := o.logs[o.member][0]
	tamperLog(t, srv.s3(srv.root()), o.bucket, changed)
	out, errOut, code := b.validateLogs(t, o.arn, o.start, "--account-id", o.member)
	if code != 1 || !strings.Contains(errOut, "Log file\ts3://"+o.bucket+"/"+changed+"\tINVALID: hash value doesn't match") {
		t.Fatalf("member's tampered log: exit %d\n%s%s", code, out, errOut)
	}
}
