package awsquery_test

// Interop tests: what the codec produces must be parsed by the real
// aws-sdk-go-v2 clients, and what those clients send must decode into
// domain-shaped structs. The shapes below mirror the botocore models
// (iam 2010-05-08, sts 2011-06-15, sns 2010-03-31).

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/awsquery"
)

const (
	iamNS = "https://iam.amazonaws.com/doc/2010-05-08/"
	stsNS = "https://sts.amazonaws.com/doc/2011-06-15/"
	snsNS = "http://sns.amazonaws.com/doc/2010-03-31/"
)

// Domain shapes, as a service package would declare them: no tags.

type Tag struct {
	Key   string
	Value string
}

type AttachedPermissionsBoundary struct {
	PermissionsBoundaryType string
	PermissionsBoundaryArn  string
}

type User struct {
	Path                string
	UserName            string
	UserId              string
	Arn                 string
	CreateDate          time.Time
	PasswordLastUsed    *time.Time
	PermissionsBoundary *AttachedPermissionsBoundary
	Tags                []Tag
}

type GetUserOutput struct{ User User }

type ListUsersInput struct {
	PathPrefix *string
	Marker     *string
	MaxItems   *int32
}

type ListUsersOutput struct {
	Users       []User
	IsTruncated bool
	Marker      *string
}

type CreateUserInput struct {
	Path                *string
	UserName            string
	PermissionsBoundary *string
	Tags                []Tag
}

type TagUserInput struct {
	UserName string
	Tags     []Tag
}

type GetAccountSummaryOutput struct {
	SummaryMap map[string]int32
}

type GetCallerIdentityOutput struct {
	UserId  string
	Account string
	Arn     string
}

type PolicyDescriptorType struct{ Arn string }

type ProvidedContext struct {
	ProviderArn      string
	ContextAssertion string
}

type AssumeRoleInput struct {
	RoleArn           string
	RoleSessionName   string
	PolicyArns        []PolicyDescriptorType
	Policy            *string
	DurationSeconds   *int32
	Tags              []Tag
	TransitiveTagKeys []string
	ExternalId        *string
	SerialNumber      *string
	TokenCode         *string
	SourceIdentity    *string
	ProvidedContexts  []ProvidedContext
}

type Credentials struct {
	AccessKeyId     string
	SecretAccessKey string
	SessionToken    string
	Expiration      time.Time
}

type AssumedRoleUser struct {
	AssumedRoleId string
	Arn           string
}

type AssumeRoleOutput struct {
	Credentials      *Credentials
	AssumedRoleUser  *AssumedRoleUser
	PackedPolicySize *int32
	SourceIdentity   *string
}

type MessageAttributeValue struct {
	DataType    string
	StringValue *string
	BinaryValue []byte
}

type PublishInput struct {
	TopicArn               *string
	TargetArn              *string
	PhoneNumber            *string
	Message                string
	Subject                *string
	MessageStructure       *string
	MessageAttributes      map[string]MessageAttributeValue
	MessageDeduplicationId *string
	MessageGroupId         *string
}

type PublishOutput struct {
	MessageId      *string
	SequenceNumber *string
}

type SetTopicAttributesInput struct {
	TopicArn       string
	AttributeName  string
	AttributeValue *string
}

type CreateTopicInput struct {
	Name                 string
	Attributes           map[string]string
	Tags                 []Tag
	DataProtectionPolicy *string
}

type GetTopicAttributesOutput struct {
	Attributes map[string]string
}

// fakeAWS serves canned responses and records request bodies.
type fakeAWS struct {
	t      *testing.T
	srv    *httptest.Server
	mu     sync.Mutex
	status int
	body   []byte
	forms  []url.Values
}

func newFake(t *testing.T) *fakeAWS {
	f := &fakeAWS{t: t, status: 200}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		form, err := url.ParseQuery(string(b))
		if err != nil {
			t.Errorf("request body is not a form: %v", err)
		}
		f.mu.Lock()
		f.forms = append(f.forms, form)
		status, body := f.status, f.body
		f.mu.Unlock()
		w.Header().Set("Content-Type", "text/xml")
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

// lastForm returns the form of the last request.
func (f *fakeAWS) lastForm() url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.forms) == 0 {
		f.t.Fatal("no request recorded")
	}
	return f.forms[len(f.forms)-1]
}

func (f *fakeAWS) config() aws.Config {
	return aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""),
		BaseEndpoint: aws.String(f.srv.URL),
		Retryer:      func() aws.Retryer { return aws.NopRetryer{} },
	}
}

func encode(t *testing.T, c *awsquery.Codec, action, ns string, out any, n awsquery.Naming) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := c.EncodeResponse(&buf, action, ns, "c0ffee00-0000-4000-8000-000000000001", out, n); err != nil {
		t.Fatalf("EncodeResponse(%s): %v", action, err)
	}
	return buf.Bytes()
}

var (
	created  = time.Date(2024, 3, 1, 12, 30, 45, 0, time.UTC)
	lastUsed = time.Date(2024, 5, 2, 8, 0, 1, 0, time.UTC)
)

func sampleUser(name string) User {
	return User{
		Path:       "/eng/",
		UserName:   name,
		UserId:     "AIDAEXAMPLE" + name,
		Arn:        "arn:aws:iam::123456789012:user/eng/" + name,
		CreateDate: created,
		Tags:       []Tag{{"team", "a&b <c>"}, {"empty", ""}},
	}
}

func TestSDKParsesIAMGetUser(t *testing.T) {
	f := newFake(t)
	var c awsquery.Codec
	u := sampleUser("alice")
	u.PasswordLastUsed = &lastUsed
	u.PermissionsBoundary = &AttachedPermissionsBoundary{"PermissionsBoundaryPolicy", "arn:aws:iam::123456789012:policy/pb"}
	f.respond(200, encode(t, &c, "GetUser", iamNS, &GetUserOutput{User: u}, awsquery.Naming{}))

	out, err := iam.NewFromConfig(f.config()).GetUser(context.Background(), &iam.GetUserInput{UserName: aws.String("alice")})
	if err != nil {
		t.Fatalf("GetUser: %v", err)
	}
	got := out.User
	if aws.ToString(got.Path) != "/eng/" || aws.ToString(got.UserName) != "alice" ||
		aws.ToString(got.UserId) != "AIDAEXAMPLEalice" || aws.ToString(got.Arn) != u.Arn {
		t.Errorf("user strings = %q %q %q %q", aws.ToString(got.Path), aws.ToString(got.UserName), aws.ToString(got.UserId), aws.ToString(got.Arn))
	}
	if got.CreateDate == nil || !got.CreateDate.Equal(created) {
		t.Errorf("CreateDate = %v, want %v", got.CreateDate, created)
	}
	if got.PasswordLastUsed == nil || !got.PasswordLastUsed.Equal(lastUsed) {
		t.Errorf("PasswordLastUsed = %v, want %v", got.PasswordLastUsed, lastUsed)
	}
	if got.PermissionsBoundary == nil || got.PermissionsBoundary.PermissionsBoundaryType != iamtypes.PermissionsBoundaryAttachmentTypePolicy ||
		aws.ToString(got.PermissionsBoundary.PermissionsBoundaryArn) != "arn:aws:iam::123456789012:policy/pb" {
		t.Errorf("PermissionsBoundary = %+v", got.PermissionsBoundary)
	}
	if len(got.Tags) != 2 || aws.ToString(got.Tags[0].Key) != "team" || aws.ToString(got.Tags[0].Value) != "a&b <c>" ||
		aws.ToString(got.Tags[1].Key) != "empty" || aws.ToString(got.Tags[1].Value) != "" {
		t.Errorf("Tags = %+v", got.Tags)
	}
	if f.lastForm().Get("UserName") != "alice" {
		t.Errorf("request form = %v", f.lastForm())
	}
}

func TestSDKParsesIAMListUsers(t *testing.T) {
	f := newFake(t)
	var c awsquery.Codec
	client := iam.NewFromConfig(f.config())

	f.respond(200, encode(t, &c, "ListUsers", iamNS, &ListUsersOutput{
		Users:       []User{sampleUser("alice"), sampleUser("bob")},
		IsTruncated: true,
		Marker:      aws.String("next&page"),
	}, awsquery.Naming{}))
	out, err := client.ListUsers(context.Background(), &iam.ListUsersInput{MaxItems: aws.Int32(2)})
	if err != nil {
		t.Fatalf("ListUsers: %v", err)
	}
	if len(out.Users) != 2 || aws.ToString(out.Users[1].UserName) != "bob" || len(out.Users[1].Tags) != 2 ||
		!out.Users[0].CreateDate.Equal(created) || out.Users[0].PasswordLastUsed != nil {
		t.Errorf("Users = %+v", out.Users)
	}
	if !out.IsTruncated || aws.ToString(out.Marker) != "next&page" {
		t.Errorf("IsTruncated, Marker = %v, %q", out.IsTruncated, aws.ToString(out.Marker))
	}
	var in ListUsersInput
	if err := c.Decode(f.lastForm(), &in, awsquery.Naming{}); err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if in.MaxItems == nil || *in.MaxItems != 2 || in.Marker != nil || in.PathPrefix != nil {
		t.Errorf("decoded ListUsersInput = %+v", in)
	}

	// An empty, non-nil list is <Users/>; the SDK sees no users and no error.
	f.respond(200, encode(t, &c, "ListUsers", iamNS, &ListUsersOutput{Users: []User{}}, awsquery.Naming{}))
	out, err = client.ListUsers(context.Background(), &iam.ListUsersInput{})
	if err != nil {
		t.Fatalf("ListUsers (empty): %v", err)
	}
	if len(out.Users) != 0 || out.IsTruncated || out.Marker != nil {
		t.Errorf("empty ListUsers = %+v", out)
	}
}

func TestSDKParsesIAMAccountSummaryMap(t *testing.T) {
	f := newFake(t)
	var c awsquery.Codec
	f.respond(200, encode(t, &c, "GetAccountSummary", iamNS, &GetAccountSummaryOutput{
		SummaryMap: map[string]int32{"Users": 3, "Groups": 0, "UsersQuota": 5000},
	}, awsquery.Naming{}))
	out, err := iam.NewFromConfig(f.config()).GetAccountSummary(context.Background(), &iam.GetAccountSummaryInput{})
	if err != nil {
		t.Fatalf("GetAccountSummary: %v", err)
	}
	want := map[string]int32{"Users": 3, "Groups": 0, "UsersQuota": 5000}
	if !reflect.DeepEqual(out.SummaryMap, want) {
		t.Errorf("SummaryMap = %v, want %v", out.SummaryMap, want)
	}
}

func TestSDKParsesIAMNoResult(t *testing.T) {
	f := newFake(t)
	var c awsquery.Codec
	body := encode(t, &c, "DeleteUser", iamNS, nil, awsquery.Naming{})
	if bytes.Contains(body, []byte("DeleteUserResult")) {
		t.Errorf("nil output wrote a Result element: %s", body)
	}
	f.respond(200, body)
	if _, err := iam.NewFromConfig(f.config()).DeleteUser(context.Background(), &iam.DeleteUserInput{UserName: aws.String("x")}); err != nil {
		t.Fatalf("DeleteUser: %v", err)
	}
}

func TestSDKParsesSTS(t *testing.T) {
	f := newFake(t)
	var c awsquery.Codec
	client := sts.NewFromConfig(f.config())

	f.respond(200, encode(t, &c, "GetCallerIdentity", stsNS, GetCallerIdentityOutput{
		UserId: "AIDAEXAMPLE", Account: "123456789012", Arn: "arn:aws:iam::123456789012:user/alice",
	}, awsquery.Naming{}))
	id, err := client.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("GetCallerIdentity: %v", err)
	}
	if aws.ToString(id.UserId) != "AIDAEXAMPLE" || aws.ToString(id.Account) != "123456789012" || aws.ToString(id.Arn) != "arn:aws:iam::123456789012:user/alice" {
		t.Errorf("GetCallerIdentity = %+v", id)
	}

	exp := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	f.respond(200, encode(t, &c, "AssumeRole", stsNS, &AssumeRoleOutput{
		Credentials:      &Credentials{"ASIAEXAMPLE", "secret/+=", "token==", exp},
		AssumedRoleUser:  &AssumedRoleUser{"AROAEXAMPLE:sess", "arn:aws:sts::123456789012:assumed-role/r/sess"},
		PackedPolicySize: aws.Int32(0),
	}, awsquery.Naming{}))
	ar, err := client.AssumeRole(context.Background(), &sts.AssumeRoleInput{
		RoleArn:         aws.String("arn:aws:iam::123456789012:role/r"),
		RoleSessionName: aws.String("sess"),
		PolicyArns: []ststypes.PolicyDescriptorType{
			{Arn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")},
			{Arn: aws.String("arn:aws:iam::123456789012:policy/p2")},
		},
		Policy:            aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`),
		DurationSeconds:   aws.Int32(900),
		Tags:              []ststypes.Tag{{Key: aws.String("k1"), Value: aws.String("v 1")}, {Key: aws.String("k2"), Value: aws.String("")}},
		TransitiveTagKeys: []string{"k1"},
		ExternalId:        aws.String("ext"),
		ProvidedContexts:  []ststypes.ProvidedContext{{ProviderArn: aws.String("arn:aws:iam::aws:contextProvider/IdentityCenter"), ContextAssertion: aws.String("abc")}},
	})
	if err != nil {
		t.Fatalf("AssumeRole: %v", err)
	}
	cr := ar.Credentials
	if cr == nil || aws.ToString(cr.AccessKeyId) != "ASIAEXAMPLE" || aws.ToString(cr.SecretAccessKey) != "secret/+=" ||
		aws.ToString(cr.SessionToken) != "token==" || cr.Expiration == nil || !cr.Expiration.Equal(exp) {
		t.Errorf("Credentials = %+v", cr)
	}
	if ar.AssumedRoleUser == nil || aws.ToString(ar.AssumedRoleUser.AssumedRoleId) != "AROAEXAMPLE:sess" ||
		aws.ToString(ar.AssumedRoleUser.Arn) != "arn:aws:sts::123456789012:assumed-role/r/sess" {
		t.Errorf("AssumedRoleUser = %+v", ar.AssumedRoleUser)
	}
	if ar.PackedPolicySize == nil || *ar.PackedPolicySize != 0 || ar.SourceIdentity != nil {
		t.Errorf("PackedPolicySize, SourceIdentity = %v, %v", ar.PackedPolicySize, ar.SourceIdentity)
	}

	var in AssumeRoleInput
	if err := c.Decode(f.lastForm(), &in, awsquery.Naming{}); err != nil {
		t.Fatalf("Decode AssumeRole: %v", err)
	}
	want := AssumeRoleInput{
		RoleArn:           "arn:aws:iam::123456789012:role/r",
		RoleSessionName:   "sess",
		PolicyArns:        []PolicyDescriptorType{{"arn:aws:iam::aws:policy/ReadOnlyAccess"}, {"arn:aws:iam::123456789012:policy/p2"}},
		Policy:            aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`),
		DurationSeconds:   aws.Int32(900),
		Tags:              []Tag{{"k1", "v 1"}, {"k2", ""}},
		TransitiveTagKeys: []string{"k1"},
		ExternalId:        aws.String("ext"),
		ProvidedContexts:  []ProvidedContext{{"arn:aws:iam::aws:contextProvider/IdentityCenter", "abc"}},
	}
	if !reflect.DeepEqual(in, want) {
		t.Errorf("decoded AssumeRole\n got %+v\nwant %+v\nform %v", in, want, f.lastForm())
	}
	// PolicyDescriptorType's member is "arn" on the wire.
	if f.lastForm().Get("PolicyArns.member.1.arn") == "" {
		t.Errorf("form has no PolicyArns.member.1.arn: %v", f.lastForm())
	}
	// The same with the exact model name through a rename.
	var in2 AssumeRoleInput
	if err := c.Decode(f.lastForm(), &in2, awsquery.Naming{Rename: map[string]string{"PolicyDescriptorType.Arn": "arn"}}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in2.PolicyArns, want.PolicyArns) {
		t.Errorf("renamed PolicyArns = %+v", in2.PolicyArns)
	}
}

func TestSDKSendsEmptyList(t *testing.T) {
	f := newFake(t)
	var c awsquery.Codec
	f.respond(200, encode(t, &c, "AssumeRole", stsNS, &AssumeRoleOutput{}, awsquery.Naming{}))
	_, err := sts.NewFromConfig(f.config()).AssumeRole(context.Background(), &sts.AssumeRoleInput{
		RoleArn: aws.String("arn:aws:iam::123456789012:role/r"), RoleSessionName: aws.String("s"),
		TransitiveTagKeys: []string{},
	})
	if err != nil {
		t.Fatalf("AssumeRole: %v", err)
	}
	form := f.lastForm()
	var in AssumeRoleInput
	if err := c.Decode(form, &in, awsquery.Naming{}); err != nil {
		t.Fatal(err)
	}
	if vs, sent := form["TransitiveTagKeys"]; sent {
		if len(vs) != 1 || vs[0] != "" {
			t.Errorf("TransitiveTagKeys sent as %q", vs)
		}
		if in.TransitiveTagKeys == nil || len(in.TransitiveTagKeys) != 0 {
			t.Errorf("TransitiveTagKeys= decoded as %#v, want empty non-nil", in.TransitiveTagKeys)
		}
	} else if in.TransitiveTagKeys != nil {
		t.Errorf("TransitiveTagKeys = %#v, not sent", in.TransitiveTagKeys)
	}
}

func TestSDKSendsIAMCreateUserAndTagUser(t *testing.T) {
	f := newFake(t)
	var c awsquery.Codec
	client := iam.NewFromConfig(f.config())
	u := sampleUser("carol")
	f.respond(200, encode(t, &c, "CreateUser", iamNS, &GetUserOutput{User: u}, awsquery.Naming{}))
	out, err := client.CreateUser(context.Background(), &iam.CreateUserInput{
		UserName:            aws.String("carol"),
		Path:                aws.String("/eng/"),
		PermissionsBoundary: aws.String("arn:aws:iam::123456789012:policy/pb"),
		Tags:                []iamtypes.Tag{{Key: aws.String("team"), Value: aws.String("x=y&z")}, {Key: aws.String("cost center"), Value: aws.String("42")}},
	})
	if err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	if aws.ToString(out.User.UserName) != "carol" {
		t.Errorf("CreateUser output = %+v", out.User)
	}
	var in CreateUserInput
	if err := c.Decode(f.lastForm(), &in, awsquery.Naming{}); err != nil {
		t.Fatalf("Decode CreateUser: %v", err)
	}
	want := CreateUserInput{
		Path: aws.String("/eng/"), UserName: "carol", PermissionsBoundary: aws.String("arn:aws:iam::123456789012:policy/pb"),
		Tags: []Tag{{"team", "x=y&z"}, {"cost center", "42"}},
	}
	if !reflect.DeepEqual(in, want) {
		t.Errorf("decoded CreateUser\n got %+v\nwant %+v", in, want)
	}

	f.respond(200, encode(t, &c, "TagUser", iamNS, nil, awsquery.Naming{}))
	tags := make([]iamtypes.Tag, 12) // two-digit indexes sort before single digits
	wantTags := make([]Tag, 12)
	for i := range tags {
		k, v := "k"+string(rune('a'+i)), "v"+string(rune('a'+i))
		tags[i] = iamtypes.Tag{Key: aws.String(k), Value: aws.String(v)}
		wantTags[i] = Tag{k, v}
	}
	if _, err := client.TagUser(context.Background(), &iam.TagUserInput{UserName: aws.String("carol"), Tags: tags}); err != nil {
		t.Fatalf("TagUser: %v", err)
	}
	var tin TagUserInput
	if err := c.Decode(f.lastForm(), &tin, awsquery.Naming{}); err != nil {
		t.Fatalf("Decode TagUser: %v", err)
	}
	if tin.UserName != "carol" || !reflect.DeepEqual(tin.Tags, wantTags) {
		t.Errorf("decoded TagUser = %+v", tin)
	}
}

func TestSDKSendsSNS(t *testing.T) {
	f := newFake(t)
	var c awsquery.Codec
	client := sns.NewFromConfig(f.config())

	f.respond(200, encode(t, &c, "Publish", snsNS, &PublishOutput{MessageId: aws.String("m-1")}, awsquery.Naming{}))
	pub, err := client.Publish(context.Background(), &sns.PublishInput{
		TopicArn: aws.String("arn:aws:sns:us-east-1:123456789012:t"),
		Message:  aws.String("hello\nworld"),
		Subject:  aws.String("subj"),
		MessageAttributes: map[string]snstypes.MessageAttributeValue{
			"color": {DataType: aws.String("String"), StringValue: aws.String("red")},
			"blob":  {DataType: aws.String("Binary"), BinaryValue: []byte{0, 1, 2, 0xff}},
			"n":     {DataType: aws.String("Number"), StringValue: aws.String("12")},
		},
	})
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if aws.ToString(pub.MessageId) != "m-1" || pub.SequenceNumber != nil {
		t.Errorf("Publish output = %+v", pub)
	}
	form := f.lastForm()
	if form.Get("MessageAttributes.entry.1.Name") == "" {
		t.Fatalf("SNS map keys are not Name: %v", form)
	}
	var in PublishInput
	if err := c.Decode(form, &in, awsquery.Naming{}); err != nil {
		t.Fatalf("Decode Publish: %v", err)
	}
	want := PublishInput{
		TopicArn: aws.String("arn:aws:sns:us-east-1:123456789012:t"),
		Message:  "hello\nworld",
		Subject:  aws.String("subj"),
		MessageAttributes: map[string]MessageAttributeValue{
			"color": {DataType: "String", StringValue: aws.String("red")},
			"blob":  {DataType: "Binary", BinaryValue: []byte{0, 1, 2, 0xff}},
			"n":     {DataType: "Number", StringValue: aws.String("12")},
		},
	}
	if !reflect.DeepEqual(in, want) {
		t.Errorf("decoded Publish\n got %+v\nwant %+v\nform %v", in, want, form)
	}

	f.respond(200, encode(t, &c, "SetTopicAttributes", snsNS, nil, awsquery.Naming{}))
	if _, err := client.SetTopicAttributes(context.Background(), &sns.SetTopicAttributesInput{
		TopicArn: aws.String("arn:aws:sns:us-east-1:123456789012:t"), AttributeName: aws.String("DisplayName"), AttributeValue: aws.String("Mine"),
	}); err != nil {
		t.Fatalf("SetTopicAttributes: %v", err)
	}
	var sin SetTopicAttributesInput
	if err := c.Decode(f.lastForm(), &sin, awsquery.Naming{}); err != nil {
		t.Fatal(err)
	}
	if sin.TopicArn != "arn:aws:sns:us-east-1:123456789012:t" || sin.AttributeName != "DisplayName" || aws.ToString(sin.AttributeValue) != "Mine" {
		t.Errorf("decoded SetTopicAttributes = %+v", sin)
	}

	f.respond(200, encode(t, &c, "CreateTopic", snsNS, &struct{ TopicArn string }{"arn:aws:sns:us-east-1:123456789012:t"}, awsquery.Naming{}))
	ct, err := client.CreateTopic(context.Background(), &sns.CreateTopicInput{
		Name:       aws.String("t"),
		Attributes: map[string]string{"DisplayName": "Mine", "FifoTopic": "false", "Policy": `{"Version":"2012-10-17"}`},
		Tags:       []snstypes.Tag{{Key: aws.String("a"), Value: aws.String("b")}},
	})
	if err != nil {
		t.Fatalf("CreateTopic: %v", err)
	}
	if aws.ToString(ct.TopicArn) != "arn:aws:sns:us-east-1:123456789012:t" {
		t.Errorf("TopicArn = %q", aws.ToString(ct.TopicArn))
	}
	var cin CreateTopicInput
	if err := c.Decode(f.lastForm(), &cin, awsquery.Naming{}); err != nil {
		t.Fatal(err)
	}
	wantCT := CreateTopicInput{Name: "t", Attributes: map[string]string{"DisplayName": "Mine", "FifoTopic": "false", "Policy": `{"Version":"2012-10-17"}`}, Tags: []Tag{{"a", "b"}}}
	if !reflect.DeepEqual(cin, wantCT) {
		t.Errorf("decoded CreateTopic\n got %+v\nwant %+v", cin, wantCT)
	}
}

func TestSDKParsesSNSAttributes(t *testing.T) {
	f := newFake(t)
	var c awsquery.Codec
	attrs := map[string]string{"DisplayName": "<Mine>", "Policy": `{"a":"b & c"}`, "SubscriptionsPending": "0", "Empty": ""}
	f.respond(200, encode(t, &c, "GetTopicAttributes", snsNS, &GetTopicAttributesOutput{Attributes: attrs}, awsquery.Naming{}))
	out, err := sns.NewFromConfig(f.config()).GetTopicAttributes(context.Background(), &sns.GetTopicAttributesInput{TopicArn: aws.String("arn:aws:sns:us-east-1:123456789012:t")})
	if err != nil {
		t.Fatalf("GetTopicAttributes: %v", err)
	}
	if !reflect.DeepEqual(out.Attributes, attrs) {
		t.Errorf("Attributes = %v, want %v", out.Attributes, attrs)
	}
}

func TestSDKParsesErrors(t *testing.T) {
	f := newFake(t)
	cases := []struct {
		name string
		call func() error
		ns   string
		err  *cairn.Error
		typ  any // the modeled error type the SDK should produce, or nil
	}{
		{"iam modeled", func() error {
			_, err := iam.NewFromConfig(f.config()).GetUser(context.Background(), &iam.GetUserInput{UserName: aws.String("nobody")})
			return err
		}, iamNS, &cairn.Error{Code: "NoSuchEntity", Message: "The user with name nobody cannot be found.", Status: 404}, &iamtypes.NoSuchEntityException{}},
		{"iam generic", func() error {
			_, err := iam.NewFromConfig(f.config()).ListUsers(context.Background(), &iam.ListUsersInput{})
			return err
		}, iamNS, &cairn.Error{Code: "MalformedInput", Message: "Start of list found where not expected", Status: 400}, nil},
		{"sts access denied", func() error {
			_, err := sts.NewFromConfig(f.config()).AssumeRole(context.Background(), &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::1:role/r"), RoleSessionName: aws.String("s")})
			return err
		}, stsNS, cairn.AccessDenied("User: arn:aws:iam::123456789012:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::1:role/r"), nil},
		{"sns modeled", func() error {
			_, err := sns.NewFromConfig(f.config()).Publish(context.Background(), &sns.PublishInput{TopicArn: aws.String("arn:aws:sns:us-east-1:1:t"), Message: aws.String("m")})
			return err
		}, snsNS, &cairn.Error{Code: "NotFound", Message: "Topic does not exist", Status: 404}, &snstypes.NotFoundException{}},
		{"internal", func() error {
			_, err := iam.NewFromConfig(f.config()).ListUsers(context.Background(), &iam.ListUsersInput{})
			return err
		}, iamNS, nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := tc.err
			if want == nil {
				want = cairn.InternalFailure()
			}
			var buf bytes.Buffer
			awsquery.EncodeError(&buf, tc.ns, tc.err, "req-1")
			f.respond(want.Status, buf.Bytes())
			err := tc.call()
			var apiErr smithy.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("error %v (%T) is not a smithy.APIError", err, err)
			}
			if apiErr.ErrorCode() != want.Code || apiErr.ErrorMessage() != want.Message {
				t.Errorf("APIError = %q %q, want %q %q", apiErr.ErrorCode(), apiErr.ErrorMessage(), want.Code, want.Message)
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
