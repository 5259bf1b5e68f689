package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Bucket-level calls are management events, in the event history;
// object-level calls are data events, recorded but not returned by
// LookupEvents. Events name the bucket, the key and the host, never the
// body.
func TestS3Events(t *testing.T) {
	srv := startCairn(t)
	c := srv.s3(srv.root())
	ct := srv.cloudtrail(srv.root())
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("evt")}); err != nil {
		t.Fatal(err)
	}
	secret := "BODY-MUST-NOT-BE-RECORDED"
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("evt"), Key: aws.String("k/1"), Body: strings.NewReader(secret)}); err != nil {
		t.Fatal(err)
	}
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:DeleteBucket","Resource":"arn:aws:s3:::evt"}]}`
	if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("evt"), Policy: aws.String(policy)}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, err2(c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("evt")})), "AccessDenied")

	created := lookup(t, ct, cttypes.LookupAttributeKeyEventName, "CreateBucket")
	if len(created) != 1 {
		t.Fatalf("%d CreateBucket events", len(created))
	}
	r := created[0]
	checkRecordShape(t, r)
	if r.str("eventSource") != "s3.amazonaws.com" || r["managementEvent"] != true || r.str("eventCategory") != "Management" ||
		r.str("requestParameters.bucketName") != "evt" || r.str("requestParameters.Host") == "" {
		t.Fatalf("CreateBucket record %v", r)
	}
	res, _ := r["resources"].([]any)
	if len(res) != 1 || res[0].(map[string]any)["type"] != "AWS::S3::Bucket" || res[0].(map[string]any)["ARN"] != "arn:aws:s3:::evt" {
		t.Fatalf("CreateBucket resources %v", r["resources"])
	}
	pp := lookup(t, ct, cttypes.LookupAttributeKeyEventName, "PutBucketPolicy")
	if len(pp) != 1 || pp[0].str("requestParameters.bucketPolicy.Version") != "2012-10-17" {
		t.Fatalf("PutBucketPolicy record %v", pp)
	}
	denied := lookup(t, ct, cttypes.LookupAttributeKeyEventName, "DeleteBucket")
	if len(denied) != 1 || denied[0].str("errorCode") != "AccessDenied" {
		t.Fatalf("DeleteBucket record %v", denied)
	}
	if put := lookup(t, ct, cttypes.LookupAttributeKeyEventName, "PutObject"); len(put) != 0 {
		t.Fatalf("LookupEvents returned %d data events", len(put))
	}
	puts := dataEvents(t, srv, testAccount, "PutObject")
	if len(puts) != 1 {
		t.Fatalf("%d PutObject events", len(puts))
	}
	p := puts[0]
	raw, _ := json.Marshal(p)
	if strings.Contains(string(raw), secret) {
		t.Fatalf("the object body is in the event: %s", raw)
	}
	if p["managementEvent"] != false || p.str("eventCategory") != "Data" || p["readOnly"] != false ||
		p.str("requestParameters.bucketName") != "evt" || p.str("requestParameters.key") != "k/1" ||
		p.str("responseElements.x-amz-server-side-encryption") != "AES256" {
		t.Fatalf("PutObject record %s", raw)
	}
	res, _ = p["resources"].([]any)
	if len(res) != 2 || res[0].(map[string]any)["type"] != "AWS::S3::Object" || res[0].(map[string]any)["ARN"] != "arn:aws:s3:::evt/k/1" ||
		res[1].(map[string]any)["type"] != "AWS::S3::Bucket" || res[1].(map[string]any)["accountId"] != testAccount {
		t.Fatalf("PutObject resources %v", p["resources"])
	}
}

// CreateTrail checks the real bucket: it must exist, and its policy must
// let cloudtrail.amazonaws.com read its ACL and write under AWSLogs with
// bucket-owner-full-control, for this trail.
func TestCreateTrailChecksTheBucketPolicy(t *testing.T) {
	srv := startCairn(t)
	c := srv.s3(srv.root())
	ct := srv.cloudtrail(srv.root())
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("trail-logs")}); err != nil {
		t.Fatal(err)
	}
	create := func() error {
		_, err := ct.CreateTrail(ctx, &cloudtrail.CreateTrailInput{Name: aws.String("main"), S3BucketName: aws.String("trail-logs"),
			S3KeyPrefix: aws.String("audit")})
		return err
	}
	msg := wantCode(t, create(), "InsufficientS3BucketPolicyException")
	if msg != "Incorrect S3 bucket policy is detected for bucket: trail-logs" {
		t.Fatalf("message %q", msg)
	}
	trailARN := "arn:aws:cloudtrail:us-east-1:" + testAccount + ":trail/main"
	policy := func(sourceARN, resource string) string {
		return `{"Version":"2012-10-17","Statement":[
			{"Sid":"AWSCloudTrailAclCheck","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:GetBucketAcl",
			 "Resource":"arn:aws:s3:::trail-logs","Condition":{"StringEquals":{"aws:SourceArn":"` + sourceARN + `"}}},
			{"Sid":"AWSCloudTrailWrite","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject",
			 "Resource":"` + resource + `","Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control","aws:SourceArn":"` + sourceARN + `"}}}]}`
	}
	put := func(doc string) {
		t.Helper()
		if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("trail-logs"), Policy: aws.String(doc)}); err != nil {
			t.Fatal(err)
		}
	}
	// Another trail's ARN, then the wrong prefix: still refused.
	put(policy("arn:aws:cloudtrail:us-east-1:"+testAccount+":trail/other", "arn:aws:s3:::trail-logs/audit/AWSLogs/"+testAccount+"/*"))
	wantCode(t, create(), "InsufficientS3BucketPolicyException")
	put(policy(trailARN, "arn:aws:s3:::trail-logs/elsewhere/AWSLogs/"+testAccount+"/*"))
	wantCode(t, create(), "InsufficientS3BucketPolicyException")
	put(policy(trailARN, "arn:aws:s3:::trail-logs/audit/AWSLogs/"+testAccount+"/*"))
	out, err := ct.CreateTrail(ctx, &cloudtrail.CreateTrailInput{Name: aws.String("main"), S3BucketName: aws.String("trail-logs"),
		S3KeyPrefix: aws.String("audit")})
	if err != nil {
		t.Fatalf("CreateTrail with the documented bucket policy: %v", err)
	}
	if aws.ToString(out.TrailARN) != trailARN {
		t.Fatalf("trail ARN %s", aws.ToString(out.TrailARN))
	}
}
