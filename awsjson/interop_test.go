package awsjson_test

// Interop tests: what the codec produces must be parsed by the real
// aws-sdk-go-v2 clients, and what those clients send must decode into
// domain-shaped structs. The shapes mirror the botocore models
// (cloudtrail 2013-11-01, logs 2014-03-28, kms 2014-11-01).

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logstypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/smithy-go"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/awsjson"
)

// CloudTrail shapes.

type Trail struct {
	Name                       string
	S3BucketName               string
	S3KeyPrefix                string
	SnsTopicName               string
	SnsTopicARN                string
	IncludeGlobalServiceEvents *bool
	IsMultiRegionTrail         *bool
	HomeRegion                 string
	TrailARN                   string
	LogFileValidationEnabled   *bool
	CloudWatchLogsLogGroupArn  string
	CloudWatchLogsRoleArn      string
	KmsKeyId                   string
	HasCustomEventSelectors    *bool
	HasInsightSelectors        *bool
	IsOrganizationTrail        *bool
}

type DescribeTrailsInput struct {
	TrailNameList       []string
	IncludeShadowTrails *bool
}

type DescribeTrailsOutput struct{ TrailList []Trail }

// cloudTrailNaming is how the CloudTrail adapter names DescribeTrails'
// lowerCamel members; every other CloudTrail member is PascalCase.
var cloudTrailNaming = awsjson.Naming{Rename: map[string]string{
	"TrailNameList":       "trailNameList",
	"IncludeShadowTrails": "includeShadowTrails",
	"TrailList":           "trailList",
}}

type LookupAttribute struct {
	AttributeKey   string
	AttributeValue string
}

type LookupEventsInput struct {
	LookupAttributes []LookupAttribute
	StartTime        *time.Time
	EndTime          *time.Time
	EventCategory    string
	MaxResults       *int32
	NextToken        string
}

type Resource struct {
	ResourceType string
	ResourceName string
}

type Event struct {
	EventId         string
	EventName       string
	ReadOnly        string
	AccessKeyId     string
	EventTime       time.Time
	EventSource     string
	Username        string
	Resources       []Resource
	CloudTrailEvent string
}

type LookupEventsOutput struct {
	Events    []Event
	NextToken *string
}

type DataResource struct {
	Type   string
	Values []string
}

type EventSelector struct {
	ReadWriteType                 string
	IncludeManagementEvents       *bool
	DataResources                 []DataResource
	ExcludeManagementEventSources []string
}

type AdvancedFieldSelector struct {
	Field         string
	Equals        []string
	StartsWith    []string
	EndsWith      []string
	NotEquals     []string
	NotStartsWith []string
	NotEndsWith   []string
}

type AdvancedEventSelector struct {
	Name           *string
	FieldSelectors []AdvancedFieldSelector
}

type PutEventSelectorsInput struct {
	TrailName              string
	EventSelectors         []EventSelector
	AdvancedEventSelectors []AdvancedEventSelector
}

type PutEventSelectorsOutput struct {
	TrailARN               string
	EventSelectors         []EventSelector
	AdvancedEventSelectors []AdvancedEventSelector
}

// CloudWatch Logs shapes (lowerCamel members).

type DescribeLogGroupsInput struct {
	AccountIdentifiers    []string
	LogGroupNamePrefix    *string
	LogGroupNamePattern   *string
	NextToken             *string
	Limit                 *int32
	IncludeLinkedAccounts *bool
	LogGroupClass         string
	LogGroupIdentifiers   []string
}

type LogGroup struct {
	LogGroupName              string
	CreationTime              int64 // epoch milliseconds
	RetentionInDays           *int32
	MetricFilterCount         int32
	Arn                       string
	StoredBytes               int64
	KmsKeyId                  string
	DataProtectionStatus      string
	InheritedProperties       []string
	LogGroupClass             string
	LogGroupArn               string
	DeletionProtectionEnabled *bool
}

type DescribeLogGroupsOutput struct {
	LogGroups []LogGroup
	NextToken *string
}

// KMS shapes.

type EncryptInput struct {
	KeyId               string
	Plaintext           []byte
	EncryptionContext   map[string]string
	GrantTokens         []string
	EncryptionAlgorithm string
	DryRun              *bool
}

type DecryptOutput struct {
	KeyId               string
	Plaintext           []byte
	EncryptionAlgorithm string
}

// fakeAWS serves canned responses and records request bodies.
type fakeAWS struct {
	t      *testing.T
	srv    *httptest.Server
	mu     sync.Mutex
	status int
	body   []byte
	bodies [][]byte
}

func newFake(t *testing.T) *fakeAWS {
	f := &fakeAWS{t: t, status: 200}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.bodies = append(f.bodies, b)
		status, body := f.status, f.body
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAWS) respond(status int, body []byte) {
	f.mu.Lock()
	f.status, f.body = status, body
	f.mu.Unlock()
}

func (f *fakeAWS) lastBody() []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.bodies) == 0 {
		f.t.Fatal("no request recorded")
	}
	return f.bodies[len(f.bodies)-1]
}

func (f *fakeAWS) config() aws.Config {
	return aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""),
		BaseEndpoint: aws.String(f.srv.URL),
		Retryer:      func() aws.Retryer { return aws.NopRetryer{} },
	}
}

func encode(t *testing.T, c *awsjson.Codec, out any, n awsjson.Naming) []byte {
	t.Helper()
	b, err := c.Encode(out, n)
	if err != nil {
		t.Fatalf("Encode: %v", err)
	}
	return b
}

func TestSDKParsesDescribeTrails(t *testing.T) {
	f := newFake(t)
	var c awsjson.Codec
	trail := Trail{
		Name: "main", S3BucketName: "logs", S3KeyPrefix: "p", SnsTopicARN: "arn:aws:sns:us-east-1:123456789012:t",
		IncludeGlobalServiceEvents: aws.Bool(true), IsMultiRegionTrail: aws.Bool(false), HomeRegion: "us-east-1",
		TrailARN: "arn:aws:cloudtrail:us-east-1:123456789012:trail/main", LogFileValidationEnabled: aws.Bool(true),
		KmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/k", HasCustomEventSelectors: aws.Bool(false),
	}
	body := encode(t, &c, &DescribeTrailsOutput{TrailList: []Trail{trail}}, cloudTrailNaming)
	f.respond(200, body)
	client := cloudtrail.NewFromConfig(f.config())
	out, err := client.DescribeTrails(context.Background(), &cloudtrail.DescribeTrailsInput{
		TrailNameList: []string{"main", "arn:aws:cloudtrail:us-east-1:123456789012:trail/other"}, IncludeShadowTrails: aws.Bool(false),
	})
	if err != nil {
		t.Fatalf("DescribeTrails: %v", err)
	}
	if len(out.TrailList) != 1 {
		t.Fatalf("TrailList = %+v (body %s)", out.TrailList, body)
	}
	g := out.TrailList[0]
	if aws.ToString(g.Name) != "main" || aws.ToString(g.S3BucketName) != "logs" || aws.ToString(g.S3KeyPrefix) != "p" ||
		aws.ToString(g.SnsTopicARN) != trail.SnsTopicARN || g.SnsTopicName != nil || aws.ToString(g.HomeRegion) != "us-east-1" ||
		aws.ToString(g.TrailARN) != trail.TrailARN || aws.ToString(g.KmsKeyId) != trail.KmsKeyId || g.CloudWatchLogsRoleArn != nil {
		t.Errorf("trail strings = %+v", g)
	}
	if !aws.ToBool(g.IncludeGlobalServiceEvents) || g.IsMultiRegionTrail == nil || *g.IsMultiRegionTrail ||
		!aws.ToBool(g.LogFileValidationEnabled) || g.HasCustomEventSelectors == nil || *g.HasCustomEventSelectors ||
		g.HasInsightSelectors != nil || g.IsOrganizationTrail != nil {
		t.Errorf("trail bools = %+v", g)
	}
	var in DescribeTrailsInput
	if err := c.Decode(f.lastBody(), &in, cloudTrailNaming); err != nil {
		t.Fatalf("Decode: %v", err)
	}
	want := DescribeTrailsInput{TrailNameList: []string{"main", "arn:aws:cloudtrail:us-east-1:123456789012:trail/other"}, IncludeShadowTrails: aws.Bool(false)}
	if !reflect.DeepEqual(in, want) {
		t.Errorf("decoded DescribeTrails = %+v, body %s", in, f.lastBody())
	}

	// An empty, non-nil list is emitted; the SDK sees an empty list.
	f.respond(200, encode(t, &c, &DescribeTrailsOutput{TrailList: []Trail{}}, cloudTrailNaming))
	out, err = client.DescribeTrails(context.Background(), &cloudtrail.DescribeTrailsInput{})
	if err != nil {
		t.Fatalf("DescribeTrails (empty): %v", err)
	}
	if out.TrailList == nil || len(out.TrailList) != 0 {
		t.Errorf("empty TrailList = %#v", out.TrailList)
	}
}

func TestSDKLookupEvents(t *testing.T) {
	f := newFake(t)
	var c awsjson.Codec
	t1 := time.Date(2024, 6, 1, 10, 0, 0, 0, time.UTC)
	t2 := time.Date(2024, 6, 1, 10, 0, 1, 250_000_000, time.UTC)
	events := []Event{
		{
			EventId: "e1", EventName: "CreateUser", ReadOnly: "false", AccessKeyId: "AKIDEXAMPLE", EventTime: t1,
			EventSource: "iam.amazonaws.com", Username: "alice",
			Resources:       []Resource{{"AWS::IAM::User", "bob"}, {"AWS::IAM::Policy", "arn:aws:iam::123456789012:policy/p"}},
			CloudTrailEvent: `{"eventVersion":"1.08","requestParameters":{"userName":"bob"}}`,
		},
		{EventId: "e2", EventName: "GetCallerIdentity", ReadOnly: "true", EventTime: t2, EventSource: "sts.amazonaws.com", Resources: []Resource{}},
	}
	f.respond(200, encode(t, &c, &LookupEventsOutput{Events: events, NextToken: aws.String("tok")}, awsjson.Naming{}))
	start := time.Date(2024, 5, 31, 0, 0, 0, 0, time.UTC)
	end := time.Date(2024, 6, 2, 0, 0, 0, 123_000_000, time.UTC)
	out, err := cloudtrail.NewFromConfig(f.config()).LookupEvents(context.Background(), &cloudtrail.LookupEventsInput{
		LookupAttributes: []cttypes.LookupAttribute{{AttributeKey: cttypes.LookupAttributeKeyUsername, AttributeValue: aws.String("alice")}},
		StartTime:        &start,
		EndTime:          &end,
		MaxResults:       aws.Int32(50),
		NextToken:        aws.String("prev"),
	})
	if err != nil {
		t.Fatalf("LookupEvents: %v", err)
	}
	if len(out.Events) != 2 || aws.ToString(out.NextToken) != "tok" {
		t.Fatalf("LookupEvents = %+v", out)
	}
	e := out.Events[0]
	if aws.ToString(e.EventId) != "e1" || aws.ToString(e.EventName) != "CreateUser" || aws.ToString(e.ReadOnly) != "false" ||
		aws.ToString(e.AccessKeyId) != "AKIDEXAMPLE" || e.EventTime == nil || !e.EventTime.Equal(t1) ||
		aws.ToString(e.EventSource) != "iam.amazonaws.com" || aws.ToString(e.Username) != "alice" ||
		aws.ToString(e.CloudTrailEvent) != events[0].CloudTrailEvent {
		t.Errorf("event 0 = %+v", e)
	}
	if len(e.Resources) != 2 || aws.ToString(e.Resources[1].ResourceType) != "AWS::IAM::Policy" || aws.ToString(e.Resources[1].ResourceName) != "arn:aws:iam::123456789012:policy/p" {
		t.Errorf("event 0 resources = %+v", e.Resources)
	}
	if e2 := out.Events[1]; e2.EventTime == nil || !e2.EventTime.Equal(t2) || e2.Username != nil || len(e2.Resources) != 0 {
		t.Errorf("event 1 = %+v (time %v)", e2, e2.EventTime)
	}

	var in LookupEventsInput
	if err := c.Decode(f.lastBody(), &in, awsjson.Naming{}); err != nil {
		t.Fatalf("Decode LookupEvents: %v (body %s)", err, f.lastBody())
	}
	if len(in.LookupAttributes) != 1 || in.LookupAttributes[0] != (LookupAttribute{"Username", "alice"}) ||
		in.StartTime == nil || !in.StartTime.Equal(start) || in.EndTime == nil || !in.EndTime.Equal(end) ||
		in.MaxResults == nil || *in.MaxResults != 50 || in.NextToken != "prev" || in.EventCategory != "" {
		t.Errorf("decoded LookupEvents = %+v (body %s)", in, f.lastBody())
	}
}

func TestSDKPutEventSelectors(t *testing.T) {
	f := newFake(t)
	var c awsjson.Codec
	selectors := []EventSelector{{
		ReadWriteType: "WriteOnly", IncludeManagementEvents: aws.Bool(true),
		DataResources:                 []DataResource{{"AWS::S3::Object", []string{"arn:aws:s3:::bucket/", "arn:aws:s3:::other/prefix"}}},
		ExcludeManagementEventSources: []string{"kms.amazonaws.com"},
	}}
	advanced := []AdvancedEventSelector{{
		Name: aws.String("data"),
		FieldSelectors: []AdvancedFieldSelector{
			{Field: "eventCategory", Equals: []string{"Data"}},
			{Field: "resources.ARN", StartsWith: []string{"arn:aws:s3:::b/"}, NotEndsWith: []string{".tmp", ".bak"}},
		},
	}}
	f.respond(200, encode(t, &c, &PutEventSelectorsOutput{TrailARN: "arn:aws:cloudtrail:us-east-1:123456789012:trail/main", EventSelectors: selectors, AdvancedEventSelectors: advanced}, awsjson.Naming{}))
	out, err := cloudtrail.NewFromConfig(f.config()).PutEventSelectors(context.Background(), &cloudtrail.PutEventSelectorsInput{
		TrailName: aws.String("main"),
		EventSelectors: []cttypes.EventSelector{{
			ReadWriteType: cttypes.ReadWriteTypeWriteOnly, IncludeManagementEvents: aws.Bool(true),
			DataResources:                 []cttypes.DataResource{{Type: aws.String("AWS::S3::Object"), Values: []string{"arn:aws:s3:::bucket/", "arn:aws:s3:::other/prefix"}}},
			ExcludeManagementEventSources: []string{"kms.amazonaws.com"},
		}},
		AdvancedEventSelectors: []cttypes.AdvancedEventSelector{{
			Name: aws.String("data"),
			FieldSelectors: []cttypes.AdvancedFieldSelector{
				{Field: aws.String("eventCategory"), Equals: []string{"Data"}},
				{Field: aws.String("resources.ARN"), StartsWith: []string{"arn:aws:s3:::b/"}, NotEndsWith: []string{".tmp", ".bak"}},
			},
		}},
	})
	if err != nil {
		t.Fatalf("PutEventSelectors: %v", err)
	}
	if aws.ToString(out.TrailARN) != "arn:aws:cloudtrail:us-east-1:123456789012:trail/main" || len(out.EventSelectors) != 1 || len(out.AdvancedEventSelectors) != 1 {
		t.Fatalf("PutEventSelectors output = %+v", out)
	}
	es := out.EventSelectors[0]
	if es.ReadWriteType != cttypes.ReadWriteTypeWriteOnly || !aws.ToBool(es.IncludeManagementEvents) || len(es.DataResources) != 1 ||
		!reflect.DeepEqual(es.DataResources[0].Values, selectors[0].DataResources[0].Values) || !reflect.DeepEqual(es.ExcludeManagementEventSources, []string{"kms.amazonaws.com"}) {
		t.Errorf("EventSelectors = %+v", es)
	}
	fs := out.AdvancedEventSelectors[0].FieldSelectors
	if len(fs) != 2 || aws.ToString(fs[1].Field) != "resources.ARN" || !reflect.DeepEqual(fs[1].NotEndsWith, []string{".tmp", ".bak"}) || fs[1].Equals != nil {
		t.Errorf("FieldSelectors = %+v", fs)
	}

	var in PutEventSelectorsInput
	if err := c.Decode(f.lastBody(), &in, awsjson.Naming{}); err != nil {
		t.Fatalf("Decode: %v", err)
	}
	want := PutEventSelectorsInput{TrailName: "main", EventSelectors: selectors, AdvancedEventSelectors: advanced}
	if !reflect.DeepEqual(in, want) {
		t.Errorf("decoded PutEventSelectors\n got %+v\nwant %+v\nbody %s", in, want, f.lastBody())
	}
}

func TestSDKDescribeLogGroupsLowerCamel(t *testing.T) {
	f := newFake(t)
	var c awsjson.Codec
	logs := awsjson.Naming{LowerCamel: true}
	groups := []LogGroup{
		{LogGroupName: "/app/web", CreationTime: 1717236000123, RetentionInDays: aws.Int32(30), MetricFilterCount: 2,
			Arn: "arn:aws:logs:us-east-1:123456789012:log-group:/app/web:*", StoredBytes: 1 << 40,
			InheritedProperties: []string{"ACCOUNT_DATA_PROTECTION"}, LogGroupClass: "STANDARD",
			LogGroupArn: "arn:aws:logs:us-east-1:123456789012:log-group:/app/web", DeletionProtectionEnabled: aws.Bool(false)},
		{LogGroupName: "/app/empty", Arn: "arn:aws:logs:us-east-1:123456789012:log-group:/app/empty:*"},
	}
	body := encode(t, &c, &DescribeLogGroupsOutput{LogGroups: groups, NextToken: aws.String("n")}, logs)
	f.respond(200, body)
	out, err := cloudwatchlogs.NewFromConfig(f.config()).DescribeLogGroups(context.Background(), &cloudwatchlogs.DescribeLogGroupsInput{
		LogGroupNamePrefix: aws.String("/app/"), Limit: aws.Int32(5), IncludeLinkedAccounts: aws.Bool(true),
		LogGroupClass: logstypes.LogGroupClassStandard,
	})
	if err != nil {
		t.Fatalf("DescribeLogGroups: %v", err)
	}
	if len(out.LogGroups) != 2 || aws.ToString(out.NextToken) != "n" {
		t.Fatalf("DescribeLogGroups = %+v (body %s)", out, body)
	}
	g := out.LogGroups[0]
	if aws.ToString(g.LogGroupName) != "/app/web" || aws.ToInt64(g.CreationTime) != 1717236000123 || aws.ToInt32(g.RetentionInDays) != 30 ||
		aws.ToInt32(g.MetricFilterCount) != 2 || aws.ToString(g.Arn) != groups[0].Arn || aws.ToInt64(g.StoredBytes) != 1<<40 ||
		g.KmsKeyId != nil || !reflect.DeepEqual(g.InheritedProperties, []logstypes.InheritedProperty{logstypes.InheritedPropertyAccountDataProtection}) ||
		g.LogGroupClass != logstypes.LogGroupClassStandard || aws.ToString(g.LogGroupArn) != groups[0].LogGroupArn ||
		g.DeletionProtectionEnabled == nil || *g.DeletionProtectionEnabled {
		t.Errorf("log group 0 = %+v", g)
	}
	// Non-pointer numbers are always emitted.
	if g1 := out.LogGroups[1]; g1.CreationTime == nil || *g1.CreationTime != 0 || g1.RetentionInDays != nil || g1.StoredBytes == nil {
		t.Errorf("log group 1 = %+v", g1)
	}
	var in DescribeLogGroupsInput
	if err := c.Decode(f.lastBody(), &in, logs); err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if aws.ToString(in.LogGroupNamePrefix) != "/app/" || aws.ToInt32(in.Limit) != 5 || !aws.ToBool(in.IncludeLinkedAccounts) ||
		in.LogGroupClass != "STANDARD" || in.NextToken != nil || in.AccountIdentifiers != nil {
		t.Errorf("decoded DescribeLogGroups = %+v (body %s)", in, f.lastBody())
	}
}

func TestSDKKMSBlobsAndMaps(t *testing.T) {
	f := newFake(t)
	var c awsjson.Codec
	client := kms.NewFromConfig(f.config())
	plain := []byte{0, 1, 2, 250, 251, 252, 253, 254, 255, '"', '\\'}

	f.respond(200, encode(t, &c, &DecryptOutput{KeyId: "arn:aws:kms:us-east-1:123456789012:key/k", Plaintext: plain, EncryptionAlgorithm: "SYMMETRIC_DEFAULT"}, awsjson.Naming{}))
	dec, err := client.Decrypt(context.Background(), &kms.DecryptInput{CiphertextBlob: []byte("ct")})
	if err != nil {
		t.Fatalf("Decrypt: %v", err)
	}
	if aws.ToString(dec.KeyId) != "arn:aws:kms:us-east-1:123456789012:key/k" || !reflect.DeepEqual(dec.Plaintext, plain) ||
		dec.EncryptionAlgorithm != kmstypes.EncryptionAlgorithmSpecSymmetricDefault {
		t.Errorf("Decrypt = %+v", dec)
	}

	f.respond(200, []byte(`{}`))
	if _, err := client.Encrypt(context.Background(), &kms.EncryptInput{
		KeyId: aws.String("alias/app"), Plaintext: plain,
		EncryptionContext: map[string]string{"purpose": "test", "ü": "\u2028"},
		GrantTokens:       []string{"g1"},
	}); err != nil {
		t.Fatalf("Encrypt: %v", err)
	}
	var in EncryptInput
	if err := c.Decode(f.lastBody(), &in, awsjson.Naming{}); err != nil {
		t.Fatalf("Decode: %v", err)
	}
	want := EncryptInput{KeyId: "alias/app", Plaintext: plain, EncryptionContext: map[string]string{"purpose": "test", "ü": "\u2028"}, GrantTokens: []string{"g1"}}
	if !reflect.DeepEqual(in, want) {
		t.Errorf("decoded Encrypt = %+v (body %s)", in, f.lastBody())
	}
}

func TestSDKParsesErrors(t *testing.T) {
	f := newFake(t)
	cases := []struct {
		name string
		call func() error
		err  *cairn.Error
		typ  any // modeled error type, or nil
	}{
		{"cloudtrail modeled", func() error {
			_, err := cloudtrail.NewFromConfig(f.config()).GetTrail(context.Background(), &cloudtrail.GetTrailInput{Name: aws.String("nope")})
			return err
		}, &cairn.Error{Code: "TrailNotFoundException", Message: "Unknown trail: nope for the user: 123456789012", Status: 400}, &cttypes.TrailNotFoundException{}},
		{"logs modeled", func() error {
			_, err := cloudwatchlogs.NewFromConfig(f.config()).DescribeLogGroups(context.Background(), &cloudwatchlogs.DescribeLogGroupsInput{})
			return err
		}, &cairn.Error{Code: "ResourceNotFoundException", Message: "The specified log group does not exist.", Status: 400}, &logstypes.ResourceNotFoundException{}},
		{"kms modeled", func() error {
			_, err := kms.NewFromConfig(f.config()).Decrypt(context.Background(), &kms.DecryptInput{CiphertextBlob: []byte("x")})
			return err
		}, &cairn.Error{Code: "InvalidCiphertextException", Message: "", Status: 400}, &kmstypes.InvalidCiphertextException{}},
		{"serialization", func() error {
			_, err := cloudtrail.NewFromConfig(f.config()).DescribeTrails(context.Background(), &cloudtrail.DescribeTrailsInput{})
			return err
		}, &cairn.Error{Code: "SerializationException", Message: "STRING_VALUE can not be converted to an Integer", Status: 400}, nil},
		{"access denied", func() error {
			_, err := cloudtrail.NewFromConfig(f.config()).DescribeTrails(context.Background(), &cloudtrail.DescribeTrailsInput{})
			return err
		}, &cairn.Error{Code: "AccessDeniedException", Message: "User: x is not authorized to perform: cloudtrail:DescribeTrails", Status: 400}, nil},
		{"internal", func() error {
			_, err := cloudtrail.NewFromConfig(f.config()).DescribeTrails(context.Background(), &cloudtrail.DescribeTrailsInput{})
			return err
		}, nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := tc.err
			if want == nil {
				want = cairn.InternalFailure()
			}
			f.respond(want.Status, awsjson.EncodeError(tc.err))
			err := tc.call()
			var apiErr smithy.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("error %v (%T) is not a smithy.APIError", err, err)
			}
			wantMsg := want.Message
			if wantMsg == "" && tc.typ == nil {
				wantMsg = want.Code // the SDK's fallback for a message-less generic error
			}
			if apiErr.ErrorCode() != want.Code || apiErr.ErrorMessage() != wantMsg {
				t.Errorf("APIError = %q %q, want %q %q", apiErr.ErrorCode(), apiErr.ErrorMessage(), want.Code, wantMsg)
			}
			if tc.typ != nil {
				target := reflect.New(reflect.TypeOf(tc.typ))
				if !errors.As(err, target.Interface()) {
					t.Errorf("error %T is not %T", apiErr, tc.typ)
				}
			}
		})
	}
}
