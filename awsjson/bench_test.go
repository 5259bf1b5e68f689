package awsjson_test

import (
	"testing"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/awsjson"
)

var cairnError = cairn.Error{Code: "TrailNotFoundException", Message: "Unknown trail: x for the user: 123456789012", Status: 400}

var benchTrails = &DescribeTrailsOutput{TrailList: []Trail{{
	Name: "main", S3BucketName: "logs", HomeRegion: "us-east-1", TrailARN: "arn:aws:cloudtrail:us-east-1:123456789012:trail/main",
	IncludeGlobalServiceEvents: ptr(true), IsMultiRegionTrail: ptr(true), LogFileValidationEnabled: ptr(true),
	HasCustomEventSelectors: ptr(false), HasInsightSelectors: ptr(false), IsOrganizationTrail: ptr(false),
}}}

var benchEvents = &LookupEventsOutput{Events: []Event{{
	EventId: "4b7b3b5e-0f6a-4c1e-9a39-2d6c8e7f1a20", EventName: "CreateUser", ReadOnly: "false", AccessKeyId: "AKIDEXAMPLE",
	EventTime: time.Date(2024, 6, 1, 10, 0, 0, 0, time.UTC), EventSource: "iam.amazonaws.com", Username: "alice",
	Resources:       []Resource{{"AWS::IAM::User", "bob"}},
	CloudTrailEvent: `{"eventVersion":"1.08","userIdentity":{"type":"IAMUser"},"eventName":"CreateUser","requestParameters":{"userName":"bob"}}`,
}}, NextToken: ptr("tok")}

func BenchmarkEncodeDescribeTrails(b *testing.B) {
	var c awsjson.Codec
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Encode(benchTrails, cloudTrailNaming); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeLookupEvents(b *testing.B) {
	var c awsjson.Codec
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Encode(benchEvents, awsjson.Naming{}); err != nil {
			b.Fatal(err)
		}
	}
}

var benchLookupRequest = []byte(`{"EndTime":1717286400.123,"LookupAttributes":[{"AttributeKey":"Username","AttributeValue":"alice"}],"MaxResults":50,"NextToken":"prev","StartTime":1717113600}`)

func BenchmarkDecodeLookupEvents(b *testing.B) {
	var c awsjson.Codec
	b.ReportAllocs()
	b.SetBytes(int64(len(benchLookupRequest)))
	for b.Loop() {
		var in LookupEventsInput
		if err := c.Decode(benchLookupRequest, &in, awsjson.Naming{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeError(b *testing.B) {
	e := &cairnError
	b.ReportAllocs()
	for b.Loop() {
		_ = awsjson.EncodeError(e)
	}
}
