package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	cwltypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// The CIS AWS Foundations monitoring controls, end to end: a trail streams
// its events into a CloudWatch Logs group through a role CloudTrail
// assumes; metric filters with the benchmark's patterns count unauthorized
// API calls, root account use, IAM policy changes, CloudTrail
// configuration changes and KMS key disabling or deletion; each metric, as
// /_cairn/metrics shows it, counts exactly the calls made.
func TestCISMonitoringEndToEnd(t *testing.T) {
	ctx := context.Background()
	srv := startCairnIn(t, t.TempDir(), withIntervals(time.Hour, time.Hour), func(o *serveOptions) { o.logsInterval = 200 * time.Millisecond })
	root := srv.root()
	const group = "CloudTrail/audit"
	groupARN := "arn:aws:logs:us-east-1:" + testAccount + ":log-group:" + group + ":*"
	trailARN := "arn:aws:cloudtrail:us-east-1:" + testAccount + ":trail/cis"
	cw := srv.logs(root)
	if _, err := cw.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(group)}); err != nil {
		t.Fatal(err)
	}
	c := srv.s3(root)
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("cis-logs")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("cis-logs"),
		Policy: aws.String(trailBucketPolicy("cis-logs", "", trailARN))}); err != nil {
		t.Fatal(err)
	}
	ic := srv.iam(root)
	role := func(name, trust string) string {
		t.Helper()
		out, err := ic.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trust)})
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToString(out.Role.Arn)
	}
	trustCloudTrail := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	trustEC2 := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	writer := role("CloudTrailToLogs", trustCloudTrail)
	if _, err := ic.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("CloudTrailToLogs"), PolicyName: aws.String("write"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],
		"Resource":"arn:aws:logs:us-east-1:` + testAccount + `:log-group:` + group + `:log-stream:*"}]}`)}); err != nil {
		t.Fatal(err)
	}
	untrusted := role("NotForCloudTrail", trustEC2)
	powerless := role("CannotWrite", trustCloudTrail)

	ct := srv.cloudtrail(root)
	create := func(name, groupARN, roleARN string) error {
		_, err := ct.CreateTrail(ctx, &cloudtrail.CreateTrailInput{Name: aws.String(name), S3BucketName: aws.String("cis-logs"),
			CloudWatchLogsLogGroupArn: aws.String(groupARN), CloudWatchLogsRoleArn: aws.String(roleARN)})
		return err
	}
	if msg := wantCode(t, create("cis", groupARN, untrusted), "InvalidCloudWatchLogsRoleArnException"); msg != "Access denied. Check the trust relationships for your role." {
		t.Fatalf("untrusted role: %q", msg)
	}
	if msg := wantCode(t, create("cis", groupARN, powerless), "InvalidCloudWatchLogsLogGroupArnException"); msg != "Access denied. Check the permissions for your role." {
		t.Fatalf("role without permissions: %q", msg)
	}
	wantCode(t, create("cis", strings.TrimSuffix(groupARN, ":*"), writer), "InvalidCloudWatchLogsLogGroupArnException")
	wantCode(t, create("cis", strings.Replace(groupARN, "audit", "missing", 1), writer), "InvalidCloudWatchLogsLogGroupArnException")
	if err := create("cis", groupARN, writer); err != nil {
		t.Fatal(err)
	}

	filters := map[string]string{
		"UnauthorizedAPICalls": `{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }`,
		"RootAccountUsage":     `{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }`,
		"IAMPolicyChanges": `{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||` +
			`($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||` +
			`($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||` +
			`($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}`,
		"CloudTrailChanges":       `{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }`,
		"KMSKeyDisableOrDeletion": `{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion))}`,
	}
	for name, pattern := range filters {
		if _, err := cw.PutMetricFilter(ctx, &cloudwatchlogs.PutMetricFilterInput{LogGroupName: aws.String(group), FilterName: aws.String(name),
			FilterPattern: aws.String(pattern), MetricTransformations: []cwltypes.MetricTransformation{{
				MetricNamespace: aws.String("CISBenchmark"), MetricName: aws.String(name), MetricValue: aws.String("1")}}}); err != nil {
			t.Fatalf("PutMetricFilter %s: %v", name, err)
		}
	}
	// A dimension from the events: its values (ARNs) stay off the
	// unauthenticated metrics page, which sums over them.
	if _, err := cw.PutMetricFilter(ctx, &cloudwatchlogs.PutMetricFilterInput{LogGroupName: aws.String(group), FilterName: aws.String("DeniedByUser"),
		FilterPattern: aws.String(filters["UnauthorizedAPICalls"]), MetricTransformations: []cwltypes.MetricTransformation{{
			MetricNamespace: aws.String("CISBenchmark"), MetricName: aws.String("DeniedByUser"), MetricValue: aws.String("1"),
			Dimensions: map[string]string{"User": "$.userIdentity.arn"}}}}); err != nil {
		t.Fatal(err)
	}
	bob := srv.newUser(t, root, "bob") // no permissions

	// Event times have a second's precision and a trail logs the events of
	// StartLogging's second: let the setup's second pass first.
	time.Sleep(1100 * time.Millisecond)
	// From here every root call counts once as root use.
	rootCalls := 0
	do := func(err error) {
		t.Helper()
		rootCalls++
		if err != nil {
			t.Fatal(err)
		}
	}
	do(err2(ct.StartLogging(ctx, &cloudtrail.StartLoggingInput{Name: aws.String("cis")})))
	time.Sleep(1100 * time.Millisecond) // past StartLogging's second: the calls below are logged, whatever the clock's phase
	wantCode(t, err2(srv.iam(bob).ListUsers(ctx, &iam.ListUsersInput{})), "AccessDenied")
	wantCode(t, err2(srv.kms(bob).ListKeys(ctx, &kms.ListKeysInput{})), "AccessDeniedException")
	do(err2(ic.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("bob"), PolicyName: aws.String("p"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:GetCallerIdentity","Resource":"*"}]}`)})))
	do(err2(ic.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("bob"), PolicyArn: aws.String(awsPolicy + "ReadOnlyAccess")})))
	// A failed StopLogging is still an attempt to change CloudTrail.
	rootCalls++
	wantCode(t, err2(ct.StopLogging(ctx, &cloudtrail.StopLoggingInput{Name: aws.String("cis-other")})), "TrailNotFoundException")
	key, err := srv.kms(root).CreateKey(ctx, &kms.CreateKeyInput{})
	do(err)
	do(err2(srv.kms(root).DisableKey(ctx, &kms.DisableKeyInput{KeyId: key.KeyMetadata.KeyId})))
	do(err2(srv.kms(root).ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: key.KeyMetadata.KeyId, PendingWindowInDays: aws.Int32(7)})))

	want := map[string]float64{
		"UnauthorizedAPICalls":    2,
		"RootAccountUsage":        float64(rootCalls),
		"IAMPolicyChanges":        2,
		"CloudTrailChanges":       2, // StartLogging, the failed StopLogging
		"KMSKeyDisableOrDeletion": 2,
		"DeniedByUser":            2,
	}
	got := map[string]float64{}
	deadline := time.Now().Add(20 * time.Second)
	for {
		m := srv.scrape(t)
		same := true
		for name, n := range want {
			got[name] = value(m, "cairn_log_metric", map[string]string{"account": testAccount, "namespace": "CISBenchmark", "name": name})
			same = same && got[name] == n
		}
		if same {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("metrics %v, want %v", got, want)
		}
		time.Sleep(100 * time.Millisecond)
	}

	res, err := http.Get(srv.endpoint + "/_cairn/metrics")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if strings.Contains(string(page), "user/bob") {
		t.Fatal("a dimension value from the logged events is on the metrics page")
	}

	// The events are in the log group, one log event per record, in
	// CloudTrail's stream; the trail reports its CloudWatch Logs delivery.
	out, err := cw.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String(group),
		FilterPattern: aws.String(`{ $.eventName = "ScheduleKeyDeletion" }`)})
	if err != nil || len(out.Events) != 1 || aws.ToString(out.Events[0].LogStreamName) != testAccount+"_CloudTrail_us-east-1" {
		t.Fatalf("FilterLogEvents: %+v %v", out, err)
	}
	var rec struct{ EventName, EventSource string }
	if err := json.Unmarshal([]byte(aws.ToString(out.Events[0].Message)), &rec); err != nil || rec.EventSource != "kms.amazonaws.com" {
		t.Fatalf("message %q: %v", aws.ToString(out.Events[0].Message), err)
	}
	st, err := ct.GetTrailStatus(ctx, &cloudtrail.GetTrailStatusInput{Name: aws.String("cis")})
	if err != nil || st.LatestCloudWatchLogsDeliveryTime == nil || aws.ToString(st.LatestCloudWatchLogsDeliveryError) != "" {
		t.Fatalf("status: %+v %v", st, err)
	}
}
