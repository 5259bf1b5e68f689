package awsjson_test

import (
	"encoding/json"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/cairnhq/cairn/awsjson"
)

// TestDecodeBotocoreBodies decodes request bodies produced by botocore's
// own JSON serializer (testdata/botocore_bodies.py): what the AWS CLI and
// boto3 send.
func TestDecodeBotocoreBodies(t *testing.T) {
	raw, err := os.ReadFile("testdata/botocore_bodies.json")
	if err != nil {
		t.Fatal(err)
	}
	var golden struct {
		Bodies []struct{ Service, Operation, Body string }
	}
	if err := json.Unmarshal(raw, &golden); err != nil {
		t.Fatal(err)
	}
	type encryptIn struct {
		KeyId             string
		Plaintext         []byte
		EncryptionContext map[string]string
	}
	start := time.Date(2024, 5, 31, 0, 0, 0, 0, time.UTC)
	end := time.Date(2024, 6, 2, 0, 0, 0, 0, time.UTC) // botocore drops the microseconds
	want := map[string]struct {
		v any
		n awsjson.Naming
	}{
		"LookupEvents":   {&LookupEventsInput{LookupAttributes: []LookupAttribute{{"EventName", "CreateUser"}}, StartTime: &start, EndTime: &end, MaxResults: ptr(int32(50))}, awsjson.Naming{}},
		"DescribeTrails": {&DescribeTrailsInput{TrailNameList: []string{"main"}, IncludeShadowTrails: ptr(false)}, cloudTrailNaming},
		"PutEventSelectors": {&PutEventSelectorsInput{TrailName: "main", EventSelectors: []EventSelector{{ReadWriteType: "All", IncludeManagementEvents: ptr(true),
			DataResources: []DataResource{{"AWS::S3::Object", []string{"arn:aws:s3:::b/"}}}, ExcludeManagementEventSources: []string{}}}}, awsjson.Naming{}},
		"DescribeLogGroups": {&DescribeLogGroupsInput{LogGroupNamePrefix: ptr("/app/"), Limit: ptr(int32(5))}, awsjson.Naming{LowerCamel: true}},
		"Encrypt":           {&encryptIn{KeyId: "alias/app", Plaintext: []byte{0, 1, 0xff}, EncryptionContext: map[string]string{"purpose": "test"}}, awsjson.Naming{}},
	}
	if len(golden.Bodies) != len(want) {
		t.Fatalf("%d golden bodies, %d expectations", len(golden.Bodies), len(want))
	}
	var c awsjson.Codec
	for _, g := range golden.Bodies {
		w, ok := want[g.Operation]
		if !ok {
			t.Errorf("no expectation for %s", g.Operation)
			continue
		}
		got := reflect.New(reflect.TypeOf(w.v).Elem()).Interface()
		if err := c.Decode([]byte(g.Body), got, w.n); err != nil {
			t.Errorf("%s: %v", g.Operation, err)
			continue
		}
		if !reflect.DeepEqual(got, w.v) {
			t.Errorf("%s:\n got %+v\nwant %+v", g.Operation, got, w.v)
		}
	}
}
