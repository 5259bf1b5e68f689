package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go/logging"
)

// runValidateLogs runs `cairn validate-logs` in-process against srv as its
// root user; terminal is what the command is told of its stderr.
func runValidateLogs(t *testing.T, srv *cairnServer, terminal bool, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	return runValidateLogsAs(t, srv, srv.root(), terminal, args...)
}

func runValidateLogsAs(t *testing.T, srv *cairnServer, cfg aws.Config, terminal bool, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut syncBuffer
	// The configuration as the command loads it, with its defaults (the
	// SDK's logger on stderr, response checksums validated when supported),
	// for srv and the credentials of cfg.
	load := func(ctx context.Context) (aws.Config, error) {
		return config.LoadDefaultConfig(ctx, config.WithSharedConfigFiles([]string{}), config.WithSharedCredentialsFiles([]string{}),
			config.WithRegion("us-east-1"), config.WithCredentialsProvider(cfg.Credentials), config.WithBaseEndpoint(srv.endpoint),
			config.WithRetryMaxAttempts(1), config.WithLogger(logging.NewStandardLogger(&errOut)))
	}
	cmd := newValidateLogsCommand(validateEnv{
		awsConfig:  load,
		isTerminal: func(io.Writer) bool { return terminal },
		clock:      srv.clock,
	})
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(args)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err = cmd.ExecuteContext(context.Background())
	return out.String(), errOut.String(), err
}

// syncBuffer is a bytes.Buffer that goroutines may write at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitKeys waits until at least n keys are under prefix and returns them.
func waitKeys(t *testing.T, c *s3.Client, bucket, prefix string, n int) []string {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if keys := keysUnder(t, c, bucket, prefix); len(keys) >= n {
			return keys
		}
		if time.Now().After(deadline) {
			t.Fatalf("fewer than %d keys under %s after 30 s: %q", n, prefix, keysUnder(t, c, bucket, prefix))
		}
	}
}

// waitFinalDigest waits for the digest under digestPrefix that ends after
// stopped: the final digest of a trail that stopped logging then (a
// digest made while it logged ends at the latest in that second).
func waitFinalDigest(t *testing.T, c *s3.Client, bucket, digestPrefix string, stopped time.Time) []string {
	t.Helper()
	after := stopped.UTC().Format(digestStamp)
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		keys := keysUnder(t, c, bucket, digestPrefix)
		for _, k := range keys {
			if len(k) > 24 && k[len(k)-24:len(k)-8] > after {
				return keys
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no final digest under %s after 30 s: %q", digestPrefix, keys)
		}
	}
}

// validatedTrail is a trail with log file validation that logged calls
// over at least two digests and stopped, its final digest delivered.
type validatedTrail struct {
	arn, bucket   string
	start         time.Time // to validate from
	logs, digests []string
}

// newValidatedTrail makes a validatedTrail named name in bucket, in srv
// (1 s delivery and 2 s digest intervals); the test clock is advanced to
// reach the next digest and the final one without waiting.
func newValidatedTrail(t *testing.T, srv *cairnServer, bucket, name string) validatedTrail {
	t.Helper()
	ctx := context.Background()
	c := srv.s3(srv.root())
	ct := srv.cloudtrail(srv.root())
	v := validatedTrail{arn: "arn:aws:cloudtrail:us-east-1:" + testAccount + ":trail/" + name, bucket: bucket}
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(bucket),
		Policy: aws.String(trailBucketPolicy(bucket, "", v.arn))}); err != nil {
		t.Fatal(err)
	}
	if _, err := ct.CreateTrail(ctx, &cloudtrail.CreateTrailInput{Name: aws.String(name), S3BucketName: aws.String(bucket),
		EnableLogFileValidation: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	v.start = srv.clock.Now().Add(-time.Minute)
	if _, err := ct.StartLogging(ctx, &cloudtrail.StartLoggingInput{Name: aws.String(name)}); err != nil {
		t.Fatal(err)
	}
	logPrefix := "AWSLogs/" + testAccount + "/CloudTrail/us-east-1/"
	digestPrefix := "AWSLogs/" + testAccount + "/CloudTrail-Digest/us-east-1/"
	for i, user := range []string{"v1", "v2"} {
		if _, err := srv.iam(srv.root()).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(user)}); err != nil {
			t.Fatal(err)
		}
		waitKeys(t, c, bucket, logPrefix, i+1)
		srv.clock.Advance(2 * time.Second) // the digest interval
		waitKeys(t, c, bucket, digestPrefix, i+1)
	}
	if _, err := ct.StopLogging(ctx, &cloudtrail.StopLoggingInput{Name: aws.String(name)}); err != nil {
		t.Fatal(err)
	}
	stopped := srv.clock.Now()
	srv.clock.Advance(4 * time.Second) // past the final digest's wait
	v.digests = waitFinalDigest(t, c, bucket, digestPrefix, stopped)
	v.logs = keysUnder(t, c, bucket, logPrefix)
	return v
}

// tamperLog rewrites a log file with one byte of its records changed.
func tamperLog(t *testing.T, c *s3.Client, bucket, key string) {
	t.Helper()
	body := bytes.Replace(gunzipAll(t, getObject(t, c, bucket, key)), []byte(`"eventVersion"`), []byte(`"eventVersioN"`), 1)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write(body)
	_ = zw.Close()
	putObject(t, c, bucket, key, gz.Bytes())
}

func decodeReport(t *testing.T, stdout string) validationReport {
	t.Helper()
	var rep validationReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("not a JSON report: %v\n%s", err, stdout)
	}
	return rep
}

// uris returns the s3:// URIs of keys in bucket, sorted.
func uris(bucket string, keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = "s3://" + bucket + "/" + k
	}
	slices.Sort(out)
	return out
}

// reported returns the URIs of results, sorted, and the invalid ones'
// reasons by URI.
func reported(rs []fileResult) ([]string, map[string]string) {
	var all []string
	invalid := map[string]string{}
	for _, r := range rs {
		all = append(all, r.URI)
		if !r.Valid {
			invalid[r.URI] = r.Reason
		}
	}
	slices.Sort(all)
	return all, invalid
}

// --output json: the report lists every digest and log file, valid; after
// a log file is changed, that file is INVALID with the reason and the
// command fails.
func TestValidateLogsJSONReport(t *testing.T) {
	srv := startCairnIn(t, t.TempDir(), withIntervals(time.Second, 2*time.Second))
	v := newValidatedTrail(t, srv, "json-logs", "jsontrail")
	args := []string{"--trail-arn", v.arn, "--start-time", v.start.Format(time.RFC3339), "--output", "json"}

	out, errOut, err := runValidateLogs(t, srv, false, args...)
	if err != nil {
		t.Fatalf("validate-logs: %v\n%s%s", err, out, errOut)
	}
	rep := decodeReport(t, out)
	digests, badDigests := reported(rep.Digests)
	logs, badLogs := reported(rep.Logs)
	if !slices.Equal(digests, uris(v.bucket, v.digests)) || !slices.Equal(logs, uris(v.bucket, v.logs)) {
		t.Fatalf("report lists digests %q and logs %q; the bucket holds %q and %q", digests, logs, v.digests, v.logs)
	}
	if rep.Invalid != 0 || len(badDigests)+len(badLogs) != 0 || rep.TrailARN != v.arn || rep.Account != testAccount {
		t.Fatalf("report: %+v", rep)
	}

	c := srv.s3(srv.root())
	tamperLog(t, c, v.bucket, v.logs[0])
	out, errOut, err = runValidateLogs(t, srv, false, args...)
	if !errors.Is(err, errValidationFailed) {
		t.Fatalf("tampered log: error %v, want %v\n%s%s", err, errValidationFailed, out, errOut)
	}
	rep = decodeReport(t, out)
	_, badDigests = reported(rep.Digests)
	_, badLogs = reported(rep.Logs)
	want := map[string]string{"s3://" + v.bucket + "/" + v.logs[0]: "hash value doesn't match"}
	if rep.Invalid != 1 || len(badDigests) != 0 || !maps.Equal(badLogs, want) {
		t.Fatalf("tampered log: invalid %d, digests %v, logs %v; want logs %v", rep.Invalid, badDigests, badLogs, want)
	}
}

// The progress bar is drawn on stderr when it is a terminal and the output
// is text, never otherwise; the result lines on stdout are the same
// either way.
func TestValidateLogsProgressBarOnlyOnATerminal(t *testing.T) {
	srv := startCairnIn(t, t.TempDir(), withIntervals(time.Second, 2*time.Second))
	v := newValidatedTrail(t, srv, "bar-logs", "bartrail")
	args := []string{"--trail-arn", v.arn, "--start-time", v.start.Format(time.RFC3339), "--verbose"}
	lines := func(s string) string { // the lines a person reads, without the timing
		return s[:strings.LastIndex(s, "\n(")]
	}

	plainOut, plainErr, err := runValidateLogs(t, srv, false, args...)
	if err != nil {
		t.Fatalf("validate-logs: %v\n%s%s", err, plainOut, plainErr)
	}
	if plainErr != "" {
		t.Fatalf("stderr not a terminal, yet it got %q", plainErr)
	}
	barOut, barErr, err := runValidateLogs(t, srv, true, args...)
	if err != nil {
		t.Fatalf("validate-logs at a terminal: %v\n%s%s", err, barOut, barErr)
	}
	// One bar per stage, counting to the number of files checked.
	digestBar := regexp.MustCompile(`digest files .*\(\d+/` + strconv.Itoa(len(v.digests)) + `\)`)
	logBar := regexp.MustCompile(`log files .*\(\d+/` + strconv.Itoa(len(v.logs)) + `\)`)
	if !digestBar.MatchString(barErr) || !logBar.MatchString(barErr) {
		t.Fatalf("stderr at a terminal lacks a bar over %d digests and %d log files: %q", len(v.digests), len(v.logs), barErr)
	}
	if lines(barOut) != lines(plainOut) {
		t.Fatalf("stdout differs with the bar:\n%s\nwithout:\n%s", barOut, plainOut)
	}
	if !strings.Contains(plainOut, "Digest file\ts3://"+v.bucket+"/"+v.digests[0]+"\tvalid") {
		t.Fatalf("stdout lacks the result lines:\n%s", plainOut)
	}

	jsonOut, jsonErr, err := runValidateLogs(t, srv, true, append(args, "--output", "json")...)
	if err != nil || jsonErr != "" {
		t.Fatalf("--output json at a terminal: error %v, stderr %q", err, jsonErr)
	}
	decodeReport(t, jsonOut)
}

// orgTrail is an organization trail of testAccount's organization, with
// log file validation, that logged calls of the management account and of
// a member account over at least two digests each and stopped.
type orgTrail struct {
	arn, bucket, orgID, member string
	start                      time.Time
	logs, digests              map[string][]string // by account
}

// newOrgTrail makes an orgTrail named name in bucket, in srv (1 s
// delivery and 2 s digest intervals).
func newOrgTrail(t *testing.T, srv *cairnServer, bucket, name string) orgTrail {
	t.Helper()
	ctx := context.Background()
	member, memberAdmin := srv.memberAccount(t)
	org, err := srv.organizations(srv.root()).DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	if err != nil {
		t.Fatal(err)
	}
	o := orgTrail{arn: "arn:aws:cloudtrail:us-east-1:" + testAccount + ":trail/" + name, bucket: bucket, member: member,
		orgID: aws.ToString(org.Organization.Id), logs: map[string][]string{}, digests: map[string][]string{}}
	c := srv.s3(srv.root())
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatal(err)
	}
	// AWS's policy for an organization trail: the management account's
	// folder (checked by CreateTrail) and the organization's.
	policy := `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:GetBucketAcl","Resource":"arn:aws:s3:::` + bucket + `",
		 "Condition":{"StringEquals":{"aws:SourceArn":"` + o.arn + `"}}},
		{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject",
		 "Resource":["arn:aws:s3:::` + bucket + `/AWSLogs/` + testAccount + `/*","arn:aws:s3:::` + bucket + `/AWSLogs/` + o.orgID + `/*"],
		 "Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control","aws:SourceArn":"` + o.arn + `"}}}]}`
	if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(bucket), Policy: aws.String(policy)}); err != nil {
		t.Fatal(err)
	}
	ct := srv.cloudtrail(srv.root())
	if _, err := ct.CreateTrail(ctx, &cloudtrail.CreateTrailInput{Name: aws.String(name), S3BucketName: aws.String(bucket),
		IsOrganizationTrail: aws.Bool(true), EnableLogFileValidation: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	o.start = srv.clock.Now().Add(-time.Minute)
	if _, err := ct.StartLogging(ctx, &cloudtrail.StartLoggingInput{Name: aws.String(name)}); err != nil {
		t.Fatal(err)
	}
	admins := map[string]aws.Config{testAccount: srv.root(), member: memberAdmin}
	folder := func(account, kind string) string {
		return "AWSLogs/" + o.orgID + "/" + account + "/" + kind + "/us-east-1/"
	}
	for i, user := range []string{"o1", "o2"} {
		for account, admin := range admins {
			if _, err := srv.iam(admin).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(user)}); err != nil {
				t.Fatal(err)
			}
			waitKeys(t, c, bucket, folder(account, "CloudTrail"), i+1)
		}
		srv.clock.Advance(2 * time.Second) // the digest interval
		for account := range admins {
			waitKeys(t, c, bucket, folder(account, "CloudTrail-Digest"), i+1)
		}
	}
	if _, err := ct.StopLogging(ctx, &cloudtrail.StopLoggingInput{Name: aws.String(name)}); err != nil {
		t.Fatal(err)
	}
	stopped := srv.clock.Now()
	srv.clock.Advance(4 * time.Second) // past the final digests' wait
	for account := range admins {
		o.digests[account] = waitFinalDigest(t, c, bucket, folder(account, "CloudTrail-Digest"), stopped)
		o.logs[account] = keysUnder(t, c, bucket, folder(account, "CloudTrail"))
	}
	return o
}

// An organization trail's files are validated for the management account
// (the default) and, with --account-id, for a member account, each under
// AWSLogs/<o-id>/<account>/; a member's changed log file is reported for
// the member only.
func TestValidateLogsOrganizationTrail(t *testing.T) {
	srv := startCairnIn(t, t.TempDir(), withIntervals(time.Second, 2*time.Second))
	o := newOrgTrail(t, srv, "org-logs", "orgtrail")
	validate := func(account string) (validationReport, error) {
		t.Helper()
		args := []string{"--trail-arn", o.arn, "--start-time", o.start.Format(time.RFC3339), "--output", "json"}
		if account != testAccount {
			args = append(args, "--account-id", account)
		}
		out, errOut, err := runValidateLogs(t, srv, false, args...)
		if err != nil && !errors.Is(err, errValidationFailed) {
			t.Fatalf("validate-logs for %s: %v\n%s%s", account, err, out, errOut)
		}
		return decodeReport(t, out), err
	}
	for _, account := range []string{testAccount, o.member} {
		rep, err := validate(account)
		digests, badDigests := reported(rep.Digests)
		logs, badLogs := reported(rep.Logs)
		if err != nil || rep.Invalid != 0 || len(badDigests)+len(badLogs) != 0 {
			t.Fatalf("%s: error %v, invalid digests %v, logs %v", account, err, badDigests, badLogs)
		}
		if !slices.Equal(digests, uris(o.bucket, o.digests[account])) || !slices.Equal(logs, uris(o.bucket, o.logs[account])) {
			t.Fatalf("%s: report lists digests %q and logs %q; the bucket holds %q and %q", account, digests, logs,
				o.digests[account], o.logs[account])
		}
		if rep.Account != account || rep.OrganizationID != o.orgID {
			t.Fatalf("%s: report for account %q of %q, want %q", account, rep.Account, rep.OrganizationID, o.orgID)
		}
	}

	tamperLog(t, srv.s3(srv.root()), o.bucket, o.logs[o.member][0])
	rep, err := validate(o.member)
	_, badLogs := reported(rep.Logs)
	if !errors.Is(err, errValidationFailed) || badLogs["s3://"+o.bucket+"/"+o.logs[o.member][0]] != "hash value doesn't match" {
		t.Fatalf("member's tampered log: error %v, invalid logs %v", err, badLogs)
	}
	if rep, err := validate(testAccount); err != nil || rep.Invalid != 0 {
		t.Fatalf("management account after the member's log changed: error %v, %d invalid", err, rep.Invalid)
	}
}

// A digest the bucket refused (its policy removed) is delivered late,
// under the name of its window, once the policy is back; the chain through
// it validates, with cairn validate-logs and with the AWS CLI.
func TestValidateLogsAfterLateDigest(t *testing.T) {
	ctx := context.Background()
	srv := startCairnIn(t, t.TempDir(), withIntervals(time.Second, 2*time.Second))
	const bucket, name = "late-logs", "latetrail"
	arn := "arn:aws:cloudtrail:us-east-1:" + testAccount + ":trail/" + name
	c := srv.s3(srv.root())
	ct := srv.cloudtrail(srv.root())
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatal(err)
	}
	policy := func() {
		t.Helper()
		if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(bucket),
			Policy: aws.String(trailBucketPolicy(bucket, "", arn))}); err != nil {
			t.Fatal(err)
		}
	}
	policy()
	if _, err := ct.CreateTrail(ctx, &cloudtrail.CreateTrailInput{Name: aws.String(name), S3BucketName: aws.String(bucket),
		EnableLogFileValidation: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	start := srv.clock.Now().Add(-time.Minute)
	if _, err := ct.StartLogging(ctx, &cloudtrail.StartLoggingInput{Name: aws.String(name)}); err != nil {
		t.Fatal(err)
	}
	logPrefix := "AWSLogs/" + testAccount + "/CloudTrail/us-east-1/"
	digestPrefix := "AWSLogs/" + testAccount + "/CloudTrail-Digest/us-east-1/"
	createUser := func(user string) {
		t.Helper()
		if _, err := srv.iam(srv.root()).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(user)}); err != nil {
			t.Fatal(err)
		}
	}
	createUser("l1")
	waitKeys(t, c, bucket, logPrefix, 1)
	srv.clock.Advance(2 * time.Second)
	waitKeys(t, c, bucket, digestPrefix, 1)

	if _, err := c.DeleteBucketPolicy(ctx, &s3.DeleteBucketPolicyInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatal(err)
	}
	createUser("l2")
	srv.clock.Advance(2 * time.Second) // a digest is due, and refused
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		st, err := ct.GetTrailStatus(ctx, &cloudtrail.GetTrailStatusInput{Name: aws.String(name)})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(st.LatestDigestDeliveryError) == "AccessDenied" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the digest was not refused within 30 s")
		}
	}
	refused := srv.clock.Now().UTC()
	srv.clock.Advance(2 * time.Second) // a digest written now would be named later than refused
	policy()
	late := waitKeys(t, c, bucket, digestPrefix, 2)[1]
	if stamp := late[len(late)-24 : len(late)-8]; stamp > refused.Format(digestStamp) {
		t.Fatalf("digest %s is not named for the window that was refused at %s", late, refused)
	}
	if _, err := ct.StopLogging(ctx, &cloudtrail.StopLoggingInput{Name: aws.String(name)}); err != nil {
		t.Fatal(err)
	}
	stopped := srv.clock.Now()
	srv.clock.Advance(4 * time.Second)
	digests := waitFinalDigest(t, c, bucket, digestPrefix, stopped)
	logs := keysUnder(t, c, bucket, logPrefix)

	out, errOut, err := runValidateLogs(t, srv, false, "--trail-arn", arn, "--start-time", start.Format(time.RFC3339), "--output", "json")
	if err != nil {
		t.Fatalf("cairn validate-logs: %v\n%s%s", err, out, errOut)
	}
	rep := decodeReport(t, out)
	gotDigests, _ := reported(rep.Digests)
	gotLogs, _ := reported(rep.Logs)
	if rep.Invalid != 0 || !slices.Equal(gotDigests, uris(bucket, digests)) || !slices.Equal(gotLogs, uris(bucket, logs)) {
		t.Fatalf("cairn validate-logs: %d invalid, digests %q, logs %q; the bucket holds %q and %q", rep.Invalid,
			gotDigests, gotLogs, digests, logs)
	}

	t.Run("aws cloudtrail validate-logs", func(t *testing.T) {
		requireTool(t, "aws")
		b := &binary{endpoint: srv.endpoint}
		out, errOut, code := b.validateLogs(t, arn, start)
		if code != 0 || strings.Contains(out+errOut, "INVALID") ||
			!strings.Contains(out, "Digest file\ts3://"+bucket+"/"+late+"\tvalid") {
			t.Fatalf("exit %d\n%s%s", code, out, errOut)
		}
		for _, k := range logs {
			if !strings.Contains(out, "Log file\ts3://"+bucket+"/"+k+"\tvalid") {
				t.Fatalf("log file %s not reported valid\n%s", k, out)
			}
		}
	})
}
