package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
)

// cloudTrailJSON sends a signed CloudTrail JSON 1.1 request as root and
// returns the status and body, to see the wire members the SDK hides.
func (s *cairnServer) cloudTrailJSON(t *testing.T, op, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", s.endpoint+"/", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101."+op)
	sum := sha256.Sum256([]byte(body))
	creds := aws.Credentials{AccessKeyID: testRootKey, SecretAccessKey: testRootSec}
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "cloudtrail", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// A deployment without S3 has no bucket: the trail API answers as AWS does
// for an account with no trails and no such bucket, and records every call.
func TestTrailsWithoutBuckets(t *testing.T) {
	s := startCairn(t)
	ct := s.cloudtrail(s.root())

	described, err := ct.DescribeTrails(ctx, &cloudtrail.DescribeTrailsInput{})
	if err != nil || len(described.TrailList) != 0 {
		t.Fatalf("DescribeTrails = %+v, %v", described, err)
	}
	// DescribeTrails speaks lowerCamel on the wire, both ways.
	status, body := s.cloudTrailJSON(t, "DescribeTrails", `{}`)
	if status != 200 || body != `{"trailList":[]}` {
		t.Fatalf("DescribeTrails wire: %d %s", status, body)
	}
	status, body = s.cloudTrailJSON(t, "DescribeTrails", `{"trailNameList":["a b"],"includeShadowTrails":false}`)
	if status != 400 || !strings.Contains(body, `"__type":"InvalidTrailNameException"`) {
		t.Fatalf("DescribeTrails with a bad name: %d %s", status, body)
	}
	_, err = ct.DescribeTrails(ctx, &cloudtrail.DescribeTrailsInput{TrailNameList: []string{"main"}, IncludeShadowTrails: aws.Bool(false)})
	if err != nil {
		t.Fatal(err)
	}

	listed, err := ct.ListTrails(ctx, &cloudtrail.ListTrailsInput{})
	if err != nil || len(listed.Trails) != 0 || listed.NextToken != nil {
		t.Fatalf("ListTrails = %+v, %v", listed, err)
	}
	pages := 0
	for p := cloudtrail.NewListTrailsPaginator(ct, &cloudtrail.ListTrailsInput{}); p.HasMorePages(); pages++ {
		if _, err := p.NextPage(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if pages != 1 {
		t.Fatalf("ListTrails paginator: %d pages", pages)
	}

	_, err = ct.CreateTrail(ctx, &cloudtrail.CreateTrailInput{
		Name: aws.String("org-audit"), S3BucketName: aws.String("audit-bucket"), IsMultiRegionTrail: aws.Bool(true),
	})
	var missing *cttypes.S3BucketDoesNotExistException
	if msg := wantCode(t, err, "S3BucketDoesNotExistException"); msg != "S3 bucket audit-bucket does not exist!" || !errors.As(err, &missing) {
		t.Fatalf("CreateTrail: %q, typed %v", msg, missing != nil)
	}

	_, err = ct.GetTrailStatus(ctx, &cloudtrail.GetTrailStatusInput{Name: aws.String("nope")})
	var notFound *cttypes.TrailNotFoundException
	if msg := wantCode(t, err, "TrailNotFoundException"); msg != "Unknown trail: arn:aws:cloudtrail:us-east-1:"+testAccount+":trail/nope for the user: "+testAccount || !errors.As(err, &notFound) {
		t.Fatalf("GetTrailStatus: %q", msg)
	}
	_, err = ct.GetTrail(ctx, &cloudtrail.GetTrailInput{Name: aws.String("arn:aws:cloudtrail:us-east-1:999999999999:trail/xyz")})
	wantCode(t, err, "CloudTrailARNInvalidException")

	// The events they recorded.
	trailARN := "arn:aws:cloudtrail:us-east-1:" + testAccount + ":trail/org-audit"
	created := lookup(t, ct, cttypes.LookupAttributeKeyEventName, "CreateTrail")
	if len(created) != 1 {
		t.Fatalf("%d CreateTrail events", len(created))
	}
	r := created[0]
	checkRecordShape(t, r)
	var req map[string]any
	raw, _ := json.Marshal(r["requestParameters"])
	_ = json.Unmarshal(raw, &req)
	if r.str("eventSource") != "cloudtrail.amazonaws.com" || r.str("errorCode") != "S3BucketDoesNotExistException" ||
		r.str("errorMessage") != "S3 bucket audit-bucket does not exist!" || r["readOnly"] != false || r["responseElements"] != nil ||
		req["name"] != "org-audit" || req["s3BucketName"] != "audit-bucket" || req["isMultiRegionTrail"] != true || len(req) != 3 {
		t.Fatalf("CreateTrail record: %v", r)
	}
	res, _ := r["resources"].([]any)
	if len(res) != 1 {
		t.Fatalf("CreateTrail resources %v", r["resources"])
	}
	if rm := res[0].(map[string]any); rm["ARN"] != trailARN || rm["type"] != "AWS::CloudTrail::Trail" || rm["accountId"] != testAccount {
		t.Fatalf("CreateTrail resource %v", rm)
	}
	if byName := lookup(t, ct, cttypes.LookupAttributeKeyResourceName, "org-audit"); len(byName) != 1 || byName[0].str("eventName") != "CreateTrail" {
		t.Fatalf("ResourceName=org-audit finds %d events", len(byName))
	}

	st := lookup(t, ct, cttypes.LookupAttributeKeyEventName, "GetTrailStatus")
	if len(st) != 1 || st[0]["readOnly"] != true || st[0].str("errorCode") != "TrailNotFoundException" ||
		st[0].str("requestParameters.name") != "nope" || st[0]["responseElements"] != nil {
		t.Fatalf("GetTrailStatus record: %v", st)
	}
	described2 := lookup(t, ct, cttypes.LookupAttributeKeyEventName, "DescribeTrails")
	if len(described2) != 4 {
		t.Fatalf("%d DescribeTrails events, want 4", len(described2))
	}
	newest := described2[0]
	if newest["readOnly"] != true || newest.str("errorCode") != "" {
		t.Fatalf("DescribeTrails record: %v", newest)
	}
	params, _ := newest["requestParameters"].(map[string]any)
	if params["includeShadowTrails"] != false || len(params["trailNameList"].([]any)) != 1 {
		t.Fatalf("DescribeTrails requestParameters: %v", newest["requestParameters"])
	}
	if n := len(lookup(t, ct, cttypes.LookupAttributeKeyEventName, "ListTrails")); n != 2 {
		t.Fatalf("%d ListTrails events, want 2", n)
	}
	// Every one of them is a management event of this account and region.
	for _, name := range []string{"CreateTrail", "GetTrailStatus", "DescribeTrails", "ListTrails", "GetTrail"} {
		for _, rec := range lookup(t, ct, cttypes.LookupAttributeKeyEventName, name) {
			checkRecordShape(t, rec)
			if rec.str("awsRegion") != "us-east-1" || rec.str("userIdentity.type") != "Root" {
				t.Fatalf("%s record %v", name, rec)
			}
		}
	}
}
