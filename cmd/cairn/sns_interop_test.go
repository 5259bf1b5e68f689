package main

import (
	"strings"
	"testing"
)

// TestInteropAWSCLISNS drives SNS with the real AWS CLI against the built
// binary: create-topic, subscribe an HTTP endpoint (a test server that
// verifies every message's signature as a subscriber does), confirm with
// the token it received, publish, get-topic-attributes.
func TestInteropAWSCLISNS(t *testing.T) {
	requireTool(t, "aws")
	b := startBinary(t)
	run := func(args ...string) map[string]any { t.Helper(); return b.rootJSON(t, args...) }
	arn, _ := run("sns", "create-topic", "--name", "cli-topic")["TopicArn"].(string)
	if arn != "arn:aws:sns:us-east-1:"+testAccount+":cli-topic" {
		t.Fatalf("create-topic: %s", arn)
	}
	sub := newSubscriber(t)
	if got := run("sns", "subscribe", "--topic-arn", arn, "--protocol", "http", "--notification-endpoint", sub.URL)["SubscriptionArn"]; got != "pending confirmation" {
		t.Fatalf("subscribe: %v", got)
	}
	conf := sub.next(t).json(t)
	if conf["Type"] != "SubscriptionConfirmation" || !strings.HasPrefix(conf["SigningCertURL"].(string), b.endpoint+"/_cairn/sns/") {
		t.Fatalf("confirmation %v", conf)
	}
	if err := verifySNSMessage(t, conf, ""); err != nil {
		t.Fatalf("confirmation signature: %v", err)
	}
	subARN, _ := run("sns", "confirm-subscription", "--topic-arn", arn, "--token", conf["Token"].(string))["SubscriptionArn"].(string)
	if !strings.HasPrefix(subARN, arn+":") {
		t.Fatalf("confirm-subscription: %s", subARN)
	}
	id, _ := run("sns", "publish", "--topic-arn", arn, "--subject", "From the CLI", "--message", "hello from the AWS CLI")["MessageId"].(string)
	n := sub.next(t).json(t)
	if n["Type"] != "Notification" || n["MessageId"] != id || n["Message"] != "hello from the AWS CLI" || n["Subject"] != "From the CLI" {
		t.Fatalf("notification %v", n)
	}
	if err := verifySNSMessage(t, n, ""); err != nil {
		t.Fatalf("notification signature: %v", err)
	}
	attrs, _ := run("sns", "get-topic-attributes", "--topic-arn", arn)["Attributes"].(map[string]any)
	if attrs["SubscriptionsConfirmed"] != "1" || attrs["Owner"] != testAccount || !strings.Contains(attrs["Policy"].(string), "__default_policy_ID") {
		t.Fatalf("get-topic-attributes: %v", attrs)
	}
	_, errOut, err := b.aws(t, testRootKey, testRootSec, "sns", "get-topic-attributes", "--topic-arn", "arn:aws:sns:us-east-1:"+testAccount+":nope")
	if err == nil || !strings.Contains(errOut, "(NotFound)") || !strings.Contains(errOut, "Topic does not exist") {
		t.Fatalf("get-topic-attributes of a missing topic: err=%v stderr=%s", err, errOut)
	}
}
