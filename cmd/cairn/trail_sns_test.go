package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	snsapi "github.com/aws/aws-sdk-go-v2/service/sns"
)

// A trail with SnsTopicName: CreateTrail refuses a topic whose policy does
// not let CloudTrail publish; once it does, every delivered log file is
// announced to the topic's subscribers with {"s3Bucket","s3ObjectKey"},
// signed, and GetTrailStatus shows the notification.
func TestTrailNotifiesSNSTopic(t *testing.T) {
	ctx := context.Background()
	srv := startCairnIn(t, t.TempDir(), withIntervals(time.Second, time.Hour))
	root := srv.root()
	c := srv.s3(root)
	trailARN := "arn:aws:cloudtrail:us-east-1:" + testAccount + ":trail/notified"
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("notified-logs")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("notified-logs"),
		Policy: aws.String(trailBucketPolicy("notified-logs", "", trailARN))}); err != nil {
		t.Fatal(err)
	}
	sc := srv.sns(root)
	topicARN := createSNSTopic(t, sc, "trail-alerts")
	ct := srv.cloudtrail(root)
	create := func() error {
		_, err := ct.CreateTrail(ctx, &cloudtrail.CreateTrailInput{Name: aws.String("notified"), S3BucketName: aws.String("notified-logs"),
			SnsTopicName: aws.String("trail-alerts")})
		return err
	}
	// The default topic policy does not let CloudTrail publish.
	wantCode(t, create(), "InsufficientSnsTopicPolicyException")
	policy := `{"Version":"2012-10-17","Statement":[{"Sid":"CloudTrail","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},
		"Action":"SNS:Publish","Resource":"` + topicARN + `","Condition":{"StringEquals":{"aws:SourceArn":"` + trailARN + `"}}}]}`
	if _, err := sc.SetTopicAttributes(ctx, &snsapi.SetTopicAttributesInput{TopicArn: aws.String(topicARN),
		AttributeName: aws.String("Policy"), AttributeValue: aws.String(policy)}); err != nil {
		t.Fatal(err)
	}
	if err := create(); err != nil {
		t.Fatal(err)
	}
	d, err := ct.DescribeTrails(ctx, &cloudtrail.DescribeTrailsInput{TrailNameList: []string{"notified"}})
	if err != nil || len(d.TrailList) != 1 || aws.ToString(d.TrailList[0].SnsTopicARN) != topicARN {
		t.Fatalf("DescribeTrails: %+v %v", d, err)
	}
	sub := newSubscriber(t)
	srv.subscribeHTTP(t, sc, topicARN, sub, nil)
	if _, err := ct.StartLogging(ctx, &cloudtrail.StartLoggingInput{Name: aws.String("notified")}); err != nil {
		t.Fatal(err)
	}

	m := sub.next(t).json(t)
	if m["Type"] != "Notification" || m["TopicArn"] != topicARN {
		t.Fatalf("notification %v", m)
	}
	if err := verifySNSMessage(t, m, ""); err != nil {
		t.Fatalf("notification signature: %v", err)
	}
	var note struct {
		Bucket string   `json:"s3Bucket"`
		Keys   []string `json:"s3ObjectKey"`
	}
	if err := json.Unmarshal([]byte(m["Message"].(string)), &note); err != nil || note.Bucket != "notified-logs" || len(note.Keys) != 1 ||
		!strings.HasPrefix(note.Keys[0], "AWSLogs/"+testAccount+"/CloudTrail/us-east-1/") {
		t.Fatalf("message %v (%v)", m["Message"], err)
	}
	if _, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("notified-logs"), Key: aws.String(note.Keys[0])}); err != nil {
		t.Fatalf("the announced log file: %v", err)
	}
	st, err := ct.GetTrailStatus(ctx, &cloudtrail.GetTrailStatusInput{Name: aws.String("notified")})
	if err != nil || st.LatestNotificationTime == nil || aws.ToString(st.LatestNotificationError) != "" {
		t.Fatalf("status %+v %v", st, err)
	}

	// Without the statement, deliveries go on and the status says why
	// notifications stopped.
	if _, err := sc.SetTopicAttributes(ctx, &snsapi.SetTopicAttributesInput{TopicArn: aws.String(topicARN),
		AttributeName: aws.String("Policy"), AttributeValue: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Principal":{"AWS":"arn:aws:iam::` + testAccount + `:root"},"Action":"SNS:Publish","Resource":"` + topicARN + `"}]}`)}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.sts(root).GetCallerIdentity(ctx, nil); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); ; {
		st, err = ct.GetTrailStatus(ctx, &cloudtrail.GetTrailStatusInput{Name: aws.String("notified")})
		if err == nil && aws.ToString(st.LatestNotificationError) == "AuthorizationError" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("LatestNotificationError %q", aws.ToString(st.LatestNotificationError))
		}
		time.Sleep(100 * time.Millisecond)
	}
}
