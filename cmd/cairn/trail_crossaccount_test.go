package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// sharedBucketPolicy lets CloudTrail write each account's logs under
// prefix/AWSLogs/<account>/ of one bucket, as AWS documents for several
// accounts delivering to a central bucket.
func sharedBucketPolicy(bucket, prefix string, accounts ...string) string {
	var resources []string
	for _, a := range accounts {
		resources = append(resources, `"arn:aws:s3:::`+bucket+`/`+prefix+`/AWSLogs/`+a+`/*"`)
	}
	return `{"Version":"2012-10-17","Statement":[
		{"Sid":"AWSCloudTrailAclCheck","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:GetBucketAcl",
		 "Resource":"arn:aws:s3:::` + bucket + `"},
		{"Sid":"AWSCloudTrailWrite","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject",
		 "Resource":[` + strings.Join(resources, ",") + `],"Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control"}}}]}`
}

// A trail in account B delivers into account A's bucket when A's bucket
// policy allows AWSLogs/<B>/*; A's own trail shares the bucket under its
// own folder, and each folder holds only its account's events. Before A
// allows B, B's CreateTrail is refused.
func TestTrailDeliversToAnotherAccountsBucket(t *testing.T) {
	ctx := context.Background()
	srv := startCairnIn(t, t.TempDir(), withIntervals(time.Second, time.Hour))
	member, memberAdmin := srv.memberAccount(t)
	c := srv.s3(srv.root())
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("central-logs")}); err != nil {
		t.Fatal(err)
	}
	put := func(accounts ...string) {
		t.Helper()
		if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("central-logs"),
			Policy: aws.String(sharedBucketPolicy("central-logs", "org", accounts...))}); err != nil {
			t.Fatal(err)
		}
	}
	put(testAccount)
	memberCT := srv.cloudtrail(memberAdmin)
	create := func(ct *cloudtrail.Client, name string) error {
		_, err := ct.CreateTrail(ctx, &cloudtrail.CreateTrailInput{Name: aws.String(name), S3BucketName: aws.String("central-logs"), S3KeyPrefix: aws.String("org")})
		if err == nil {
			_, err = ct.StartLogging(ctx, &cloudtrail.StartLoggingInput{Name: aws.String(name)})
		}
		return err
	}
	wantCode(t, create(memberCT, "member-trail"), "InsufficientS3BucketPolicyException")
	put(testAccount, member)
	if err := create(memberCT, "member-trail"); err != nil {
		t.Fatal(err)
	}
	if err := create(srv.cloudtrail(srv.root()), "main-trail"); err != nil {
		t.Fatal(err)
	}

	if _, err := srv.iam(memberAdmin).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("member-user")}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.iam(srv.root()).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("main-user")}); err != nil {
		t.Fatal(err)
	}
	users := func(account string) map[string]bool {
		seen := map[string]bool{}
		for _, r := range records(t, objects(t, c, "central-logs", "org/AWSLogs/"+account+"/CloudTrail/")) {
			if r.EventName == "CreateUser" {
				seen[r.EventID] = true
			}
		}
		return seen
	}
	deadline := time.Now().Add(20 * time.Second)
	for len(users(member)) == 0 || len(users(testAccount)) == 0 {
		if time.Now().After(deadline) {
			st, _ := memberCT.GetTrailStatus(ctx, &cloudtrail.GetTrailStatusInput{Name: aws.String("member-trail")})
			t.Fatalf("no CreateUser in both folders after 20 s (member trail error %q)", aws.ToString(st.LatestDeliveryError))
		}
		time.Sleep(100 * time.Millisecond)
	}
	// Each folder holds its own account's CreateUser only.
	for _, account := range []string{member, testAccount} {
		files := objects(t, c, "central-logs", "org/AWSLogs/"+account+"/CloudTrail/")
		own := map[string]string{member: "member-user", testAccount: "main-user"}[account]
		other := map[string]string{member: "main-user", testAccount: "member-user"}[account]
		found := false
		for key, body := range files {
			text := string(gunzipAll(t, body))
			found = found || strings.Contains(text, `"userName":"`+own+`"`)
			if strings.Contains(text, `"userName":"`+other+`"`) {
				t.Fatalf("%s holds the other account's event", key)
			}
		}
		if !found {
			t.Fatalf("the %s folder lacks its own CreateUser of %s", account, own)
		}
	}
	// The member account owns no copy: the objects are the bucket owner's.
	if _, err := srv.s3(memberAdmin).ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("central-logs")}); err == nil {
		t.Fatal("the member account could list the central bucket")
	}
}
