package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"
)

// `aws cloudtrail create-subscription` end to end: the CLI reads the
// policy template from AWS's awscloudtrail-policy-<region> bucket, creates
// the bucket with the filled-in policy, creates the trail and starts
// logging; CloudTrail then delivers into the bucket under the prefix.
func TestInteropCreateSubscription(t *testing.T) {
	requireTool(t, "aws")
	b := startServeIn(t, t.TempDir(), "CAIRN_DELIVERY_INTERVAL=1s")
	run := func(args ...string) string { t.Helper(); return b.mustAWS(t, args...) }
	out := run("cloudtrail", "create-subscription", "--name", "cli-trail", "--s3-new-bucket", "cli-sub-bucket", "--s3-prefix", "audit",
		"--sns-new-topic", "cli-trail-topic")
	if !strings.Contains(out, "Logs will be delivered to cli-sub-bucket:audit") {
		t.Fatalf("create-subscription said:\n%s", out)
	}
	var pol struct{ Policy string }
	if err := json.Unmarshal([]byte(run("s3api", "get-bucket-policy", "--bucket", "cli-sub-bucket")), &pol); err != nil {
		t.Fatal(err)
	}
	want := "arn:aws:s3:::cli-sub-bucket/audit/AWSLogs/" + testAccount + "/*"
	if !strings.Contains(pol.Policy, want) || strings.Contains(pol.Policy, "<") {
		t.Fatalf("bucket policy is not the filled-in template (want %s):\n%s", want, pol.Policy)
	}
	// The topic exists with the template's statement merged into its
	// default policy, and the trail publishes to it.
	topicARN := "arn:aws:sns:us-east-1:" + testAccount + ":cli-trail-topic"
	var attrs struct{ Attributes map[string]string }
	if err := json.Unmarshal([]byte(run("sns", "get-topic-attributes", "--topic-arn", topicARN)), &attrs); err != nil {
		t.Fatal(err)
	}
	if p := attrs.Attributes["Policy"]; !strings.Contains(p, "cloudtrail.amazonaws.com") || !strings.Contains(p, "__default_statement_ID") {
		t.Fatalf("topic policy: %s", p)
	}
	if !strings.Contains(out, `"SnsTopicARN": "`+topicARN+`"`) {
		t.Fatalf("the trail does not name its topic:\n%s", out)
	}
	var status struct{ IsLogging bool }
	if err := json.Unmarshal([]byte(run("cloudtrail", "get-trail-status", "--name", "cli-trail")), &status); err != nil || !status.IsLogging {
		t.Fatalf("trail not logging: %+v %v", status, err)
	}

	// The calls above are management events: a log file arrives under the prefix.
	key := regexp.MustCompile(`audit/AWSLogs/` + testAccount + `/CloudTrail/us-east-1/\d{4}/\d{2}/\d{2}/` +
		testAccount + `_CloudTrail_us-east-1_\d{8}T\d{4}Z_[0-9A-Za-z]{16}\.json\.gz`)
	deadline := time.Now().Add(30 * time.Second)
	for {
		if key.MatchString(run("s3", "ls", "--recursive", "s3://cli-sub-bucket/")) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no log file was delivered under the prefix")
		}
		time.Sleep(200 * time.Millisecond)
	}

	// The template bucket is AWS's: readable, not writable.
	if _, _, err := b.aws(t, testRootKey, testRootSec, "s3api", "put-object", "--bucket", "awscloudtrail-policy-us-east-1", "--key", "policy/x"); err == nil {
		t.Fatal("a caller wrote into AWS's template bucket")
	}
}
