package cloudtrail_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/service/cloudtrail"
)

func TestCreateTrailEchoesTheTrail(t *testing.T) {
	e := newEnv(t)
	e.dest.keys["alias/trail"] = nil
	out := must[cloudtrail.CreateTrailOutput](e, "CreateTrail", &cloudtrail.CreateTrailInput{
		Name: "main", S3BucketName: "logs", S3KeyPrefix: sp("audit"), IsMultiRegionTrail: bp(true),
		EnableLogFileValidation: bp(true), KmsKeyId: sp("alias/trail"),
		TagsList: []cloudtrail.Tag{{Key: "team", Value: sp("sec")}, {Key: "flag"}},
	})
	want := &cloudtrail.CreateTrailOutput{
		Name: "main", S3BucketName: "logs", S3KeyPrefix: "audit", IncludeGlobalServiceEvents: true, IsMultiRegionTrail: true,
		TrailARN: "arn:aws:cloudtrail:us-east-1:123456789012:trail/main", LogFileValidationEnabled: true,
		KmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/alias/trail",
	}
	if !reflect.DeepEqual(out, want) {
		t.Fatalf("CreateTrail = %+v\nwant %+v", out, want)
	}
	// The checks named the trail, account and prefix; the key was checked
	// in the bucket's region.
	if got := strings.Join(e.dest.calls, "|"); got != "bucket logs audit arn:aws:cloudtrail:us-east-1:123456789012:trail/main 123456789012|key alias/trail us-east-1 arn:aws:cloudtrail:us-east-1:123456789012:trail/main 123456789012" {
		t.Fatalf("checks %q", got)
	}
	got := must[cloudtrail.GetTrailOutput](e, "GetTrail", &cloudtrail.GetTrailInput{Name: "main"}).Trail
	wantTrail := cloudtrail.TrailDescription{
		Name: "main", S3BucketName: "logs", S3KeyPrefix: "audit", IncludeGlobalServiceEvents: true, IsMultiRegionTrail: true,
		HomeRegion: east, TrailARN: want.TrailARN, LogFileValidationEnabled: true, KmsKeyId: want.KmsKeyId,
	}
	if *got != wantTrail {
		t.Fatalf("GetTrail = %+v\nwant %+v", *got, wantTrail)
	}
	// A new trail is not logging, and has the default selector.
	st := must[cloudtrail.GetTrailStatusOutput](e, "GetTrailStatus", &cloudtrail.GetTrailStatusInput{Name: "main"})
	if st.IsLogging || st.StartLoggingTime != nil {
		t.Fatalf("new trail status %+v", st)
	}
	tags := must[cloudtrail.ListTagsOutput](e, "ListTags", &cloudtrail.ListTagsInput{ResourceIdList: []string{want.TrailARN}})
	if len(tags.ResourceTagList) != 1 || len(tags.ResourceTagList[0].TagsList) != 2 ||
		tags.ResourceTagList[0].TagsList[1].Key != "flag" || tags.ResourceTagList[0].TagsList[1].Value != nil {
		t.Fatalf("tags %+v", tags)
	}
}

func TestCreateTrailDefaults(t *testing.T) {
	e := newEnv(t)
	out := must[cloudtrail.CreateTrailOutput](e, "CreateTrail", &cloudtrail.CreateTrailInput{Name: "plain", S3BucketName: "logs"})
	if !out.IncludeGlobalServiceEvents || out.IsMultiRegionTrail || out.LogFileValidationEnabled || out.IsOrganizationTrail || out.KmsKeyId != "" {
		t.Fatalf("defaults %+v", out)
	}
	single := must[cloudtrail.CreateTrailOutput](e, "CreateTrail", &cloudtrail.CreateTrailInput{Name: "noglobal", S3BucketName: "logs", IncludeGlobalServiceEvents: bp(false)})
	if single.IncludeGlobalServiceEvents {
		t.Fatal("IncludeGlobalServiceEvents=false ignored")
	}
	e.fail("CreateTrail", &cloudtrail.CreateTrailInput{Name: "multi", S3BucketName: "logs", IsMultiRegionTrail: bp(true), IncludeGlobalServiceEvents: bp(false)},
		"InvalidParameterCombinationException", "Multi-Region trail must include global service events.")
}

func TestTrailNameRules(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct{ name, msg string }{
		{"", "Trail name too short. Minimum allowed length: 3 characters. Specified name length: 0 characters."},
		{"ab", "Trail name too short. Minimum allowed length: 3 characters. Specified name length: 2 characters."},
		{strings.Repeat("a", 129), "Trail name too long. Maximum allowed length: 128 characters. Specified name length: 129 characters."},
		{"-abc", "Trail name must starts with a letter or number."},
		{"abc_", "Trail name must ends with a letter or number."},
		{"a b c", "Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_)."},
		{"my-_namespace", "Trail name cannot contain adjacent periods (.), hyphens (-), or underscores (_)."},
		{"my--namespace", "Trail name cannot contain adjacent periods (.), hyphens (-), or underscores (_)."},
		{"192.168.5.4", "Trail name cannot be in IP address format."},
	} {
		e.fail("CreateTrail", &cloudtrail.CreateTrailInput{Name: tc.name, S3BucketName: "logs"}, "InvalidTrailNameException", tc.msg)
		e.fail("GetTrail", &cloudtrail.GetTrailInput{Name: tc.name}, "InvalidTrailNameException", tc.msg)
	}
	for _, ok := range []string{"abc", "My.Trail-1_x", strings.Repeat("a", 128), "1.2.3.4.5"} {
		must[cloudtrail.CreateTrailOutput](e, "CreateTrail", &cloudtrail.CreateTrailInput{Name: ok, S3BucketName: "logs"})
		must[cloudtrail.DeleteTrailOutput](e, "DeleteTrail", &cloudtrail.DeleteTrailInput{Name: ok})
	}
}

func TestCreateTrailValidatesSettings(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		in   cloudtrail.CreateTrailInput
		code string
	}{
		{cloudtrail.CreateTrailInput{S3BucketName: "Bad_Bucket"}, "InvalidS3BucketNameException"},
		{cloudtrail.CreateTrailInput{S3BucketName: "ab"}, "InvalidS3BucketNameException"},
		{cloudtrail.CreateTrailInput{S3BucketName: "a..b"}, "InvalidS3BucketNameException"},
		{cloudtrail.CreateTrailInput{S3BucketName: "10.0.0.1"}, "InvalidS3BucketNameException"},
		{cloudtrail.CreateTrailInput{S3BucketName: "logs", S3KeyPrefix: sp(strings.Repeat("p", 201))}, "InvalidS3PrefixException"},
		{cloudtrail.CreateTrailInput{S3BucketName: "logs", SnsTopicName: sp("bad topic")}, "InvalidSnsTopicNameException"},
		{cloudtrail.CreateTrailInput{S3BucketName: "logs", KmsKeyId: sp("not-a-key")}, "InvalidKmsKeyIdException"},
		{cloudtrail.CreateTrailInput{S3BucketName: "logs", CloudWatchLogsLogGroupArn: sp("arn:aws:logs:us-east-1:123456789012:log-group:g")}, "InvalidCloudWatchLogsRoleArnException"},
		{cloudtrail.CreateTrailInput{S3BucketName: "logs", CloudWatchLogsRoleArn: sp("arn:aws:iam::123456789012:role/r")}, "InvalidCloudWatchLogsLogGroupArnException"},
		{cloudtrail.CreateTrailInput{S3BucketName: "logs", CloudWatchLogsLogGroupArn: sp("arn:aws:logs:us-east-1:123456789012:log-group:g"), CloudWatchLogsRoleArn: sp("arn:aws:iam::123456789012:role/r")}, "InvalidCloudWatchLogsLogGroupArnException"},
		{cloudtrail.CreateTrailInput{S3BucketName: "logs", CloudWatchLogsLogGroupArn: sp("arn:aws:logs:us-east-1:123456789012:log-group:g:*"), CloudWatchLogsRoleArn: sp("role/r")}, "InvalidCloudWatchLogsRoleArnException"},
		{cloudtrail.CreateTrailInput{S3BucketName: "logs", TagsList: []cloudtrail.Tag{{Key: ""}}}, "InvalidTagParameterException"},
		{cloudtrail.CreateTrailInput{S3BucketName: "logs", TagsList: []cloudtrail.Tag{{Key: "aws:x", Value: sp("v")}}}, "InvalidTagParameterException"},
		{cloudtrail.CreateTrailInput{S3BucketName: "logs", TagsList: []cloudtrail.Tag{{Key: "k", Value: sp(strings.Repeat("v", 257))}}}, "InvalidTagParameterException"},
		{cloudtrail.CreateTrailInput{S3BucketName: "logs", TagsList: manyTags(51)}, "TagsLimitExceededException"},
	} {
		in := tc.in
		in.Name = "checked"
		_, err := e.invoke("CreateTrail", &in)
		wantErr(t, err, tc.code, "")
	}
	// Every accepted KMS key form passes the syntax check.
	for _, k := range []string{"1234abcd-12ab-34cd-56ef-1234567890ab", "mrk-1234abcd12ab34cd56ef1234567890ab",
		"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", "alias/my-key",
		"arn:aws:kms:us-east-1:123456789012:alias/my-key"} {
		e.dest.keys[k] = nil
		out := must[cloudtrail.CreateTrailOutput](e, "CreateTrail", &cloudtrail.CreateTrailInput{Name: "keyed", S3BucketName: "logs", KmsKeyId: sp(k)})
		if !strings.HasPrefix(out.KmsKeyId, "arn:aws:kms:") {
			t.Fatalf("KmsKeyId %q is not an ARN", out.KmsKeyId)
		}
		must[cloudtrail.DeleteTrailOutput](e, "DeleteTrail", &cloudtrail.DeleteTrailInput{Name: "keyed"})
	}
}

func manyTags(n int) []cloudtrail.Tag {
	var ts []cloudtrail.Tag
	for i := 0; i < n; i++ {
		ts = append(ts, cloudtrail.Tag{Key: fmt.Sprintf("k%d", i), Value: sp("v")})
	}
	return ts
}

// Without S3 no bucket exists, and CreateTrail says so, as AWS does for a
// missing bucket.
func TestCreateTrailWithoutBuckets(t *testing.T) {
	e := newEnv(t, withoutDestinations())
	e.fail("CreateTrail", &cloudtrail.CreateTrailInput{Name: "main", S3BucketName: "audit-bucket"},
		"S3BucketDoesNotExistException", "S3 bucket audit-bucket does not exist!")
	out := must[cloudtrail.DescribeTrailsOutput](e, "DescribeTrails", &cloudtrail.DescribeTrailsInput{})
	if out.TrailList == nil || len(out.TrailList) != 0 {
		t.Fatalf("trailList %#v, want empty and non-nil", out.TrailList)
	}
}

// Each outcome of the destination checks maps to AWS's exception.
func TestDestinationChecks(t *testing.T) {
	e := newEnv(t, withTopics())
	d := e.dest
	d.buckets["denied"] = fmt.Errorf("policy: %w", cloudtrail.ErrBucketPolicy)
	d.buckets["broken"] = errors.New("disk on fire")
	d.keys["alias/denied"] = cloudtrail.ErrKeyPolicy
	d.keys["alias/off"] = cloudtrail.ErrKeyUnusable
	d.keys["alias/ok"] = nil
	d.topics["denied"] = cloudtrail.ErrTopicPolicy
	d.topics["alerts"] = nil
	group := "arn:aws:logs:us-east-1:123456789012:log-group:trail:*"
	role := "arn:aws:iam::123456789012:role/ct"
	d.groups["arn:aws:logs:us-east-1:123456789012:log-group:norole:*"] = cloudtrail.ErrLogRole
	d.groups[group] = nil
	for _, tc := range []struct {
		in        cloudtrail.CreateTrailInput
		code, msg string
	}{
		{cloudtrail.CreateTrailInput{S3BucketName: "missing"}, "S3BucketDoesNotExistException", "S3 bucket missing does not exist!"},
		{cloudtrail.CreateTrailInput{S3BucketName: "denied"}, "InsufficientS3BucketPolicyException", "Incorrect S3 bucket policy is detected for bucket: denied"},
		{cloudtrail.CreateTrailInput{S3BucketName: "logs", KmsKeyId: sp("alias/missing")}, "KmsKeyNotFoundException", ""},
		{cloudtrail.CreateTrailInput{S3BucketName: "logs", KmsKeyId: sp("alias/denied")}, "InsufficientEncryptionPolicyException",
			"Insufficient permissions to access S3 bucket logs or KMS key arn:aws:kms:us-east-1:123456789012:key/alias/denied."},
		{cloudtrail.CreateTrailInput{S3BucketName: "logs", KmsKeyId: sp("alias/off")}, "KmsException", ""},
		{cloudtrail.CreateTrailInput{S3BucketName: "logs", SnsTopicName: sp("nope")}, "InsufficientSnsTopicPolicyException", "SNS Topic does not exist or the topic policy is incorrect!"},
		{cloudtrail.CreateTrailInput{S3BucketName: "logs", SnsTopicName: sp("denied")}, "InsufficientSnsTopicPolicyException", ""},
		{cloudtrail.CreateTrailInput{S3BucketName: "logs", CloudWatchLogsLogGroupArn: sp("arn:aws:logs:us-east-1:123456789012:log-group:none:*"), CloudWatchLogsRoleArn: sp(role)},
			"InvalidCloudWatchLogsLogGroupArnException", "CloudTrail cannot validate the specified log group ARN."},
		{cloudtrail.CreateTrailInput{S3BucketName: "logs", CloudWatchLogsLogGroupArn: sp("arn:aws:logs:us-east-1:123456789012:log-group:norole:*"), CloudWatchLogsRoleArn: sp(role)},
			"InvalidCloudWatchLogsLogGroupArnException", "Access denied. Check the permissions for your role."},
	} {
		in := tc.in
		in.Name = "checked"
		_, err := e.invoke("CreateTrail", &in)
		wantErr(t, err, tc.code, tc.msg)
	}
	// An error that is not a verdict is an internal failure, not a
	// CloudTrail exception.
	_, err := e.invoke("CreateTrail", &cloudtrail.CreateTrailInput{Name: "checked", S3BucketName: "broken"})
	if err == nil || !strings.Contains(err.Error(), "disk on fire") || cairn.AsError(err) != nil {
		t.Fatalf("broken bucket check: %v", err)
	}
	// Nothing was created by the refused calls.
	if n := len(must[cloudtrail.ListTrailsOutput](e, "ListTrails", &cloudtrail.ListTrailsInput{}).Trails); n != 0 {
		t.Fatalf("%d trails after refusals", n)
	}
	out := must[cloudtrail.CreateTrailOutput](e, "CreateTrail", &cloudtrail.CreateTrailInput{
		Name: "full", S3BucketName: "logs", KmsKeyId: sp("alias/ok"), SnsTopicName: sp("alerts"),
		CloudWatchLogsLogGroupArn: sp(group), CloudWatchLogsRoleArn: sp(role),
	})
	if out.SnsTopicARN != "arn:aws:sns:us-east-1:123456789012:alerts" || out.SnsTopicName != "alerts" ||
		out.CloudWatchLogsLogGroupArn != group || out.CloudWatchLogsRoleArn != role {
		t.Fatalf("full trail %+v", out)
	}
}

func TestWithoutTopicCheckerNoTopicExists(t *testing.T) {
	e := newEnv(t)
	e.fail("CreateTrail", &cloudtrail.CreateTrailInput{Name: "tr1", S3BucketName: "logs", SnsTopicName: sp("alerts")},
		"InsufficientSnsTopicPolicyException", "SNS Topic does not exist or the topic policy is incorrect!")
	e.fail("CreateTrail", &cloudtrail.CreateTrailInput{Name: "tr1", S3BucketName: "logs",
		CloudWatchLogsLogGroupArn: sp("arn:aws:logs:us-east-1:123456789012:log-group:g:*"), CloudWatchLogsRoleArn: sp("arn:aws:iam::123456789012:role/r")},
		"InvalidCloudWatchLogsLogGroupArnException", "CloudTrail cannot validate the specified log group ARN.")
}

func TestTrailAlreadyExists(t *testing.T) {
	e := newEnv(t)
	e.create(home, "main", false)
	e.fail("CreateTrail", &cloudtrail.CreateTrailInput{Name: "main", S3BucketName: "logs"},
		"TrailAlreadyExistsException", "Trail main already exists for customer: 123456789012")
	// The same name in another region is another trail …
	e.create(call{acct, west}, "main", false)
	// … and in another account.
	e.create(call{other, east}, "main", false)
	// A multi-region trail needs its name free in every region.
	e.fail("CreateTrail", &cloudtrail.CreateTrailInput{Name: "main", S3BucketName: "logs", IsMultiRegionTrail: bp(true)},
		"TrailAlreadyExistsException", "")
	e.failIn(call{acct, "ap-south-1"}, "CreateTrail", &cloudtrail.CreateTrailInput{Name: "main", S3BucketName: "logs", IsMultiRegionTrail: bp(true)},
		"TrailAlreadyExistsException", "")
	// A shadow trail takes its name in every region.
	e.create(home, "everywhere", true)
	e.failIn(call{acct, west}, "CreateTrail", &cloudtrail.CreateTrailInput{Name: "everywhere", S3BucketName: "logs"},
		"TrailAlreadyExistsException", "Trail everywhere already exists for customer: 123456789012")
	// Turning a trail multi-region needs the same.
	e.fail("UpdateTrail", &cloudtrail.UpdateTrailInput{Name: "main", IsMultiRegionTrail: bp(true)}, "TrailAlreadyExistsException", "")
}

func TestFiveTrailsPerRegion(t *testing.T) {
	e := newEnv(t)
	for i := 0; i < 5; i++ {
		e.create(home, fmt.Sprintf("trail%d", i), false)
	}
	e.fail("CreateTrail", &cloudtrail.CreateTrailInput{Name: "trail5", S3BucketName: "logs"},
		"MaximumNumberOfTrailsExceededException", "User: 123456789012 already has 5 trails in us-east-1.")
	// Other regions and accounts have their own five.
	e.create(call{acct, west}, "west0", false)
	e.create(call{other, east}, "oth0", false)
	// A multi-region trail counts in every region: from eu-west-1 it would
	// be a sixth trail in us-east-1.
	e.failIn(call{acct, west}, "CreateTrail", &cloudtrail.CreateTrailInput{Name: "multi", S3BucketName: "logs", IsMultiRegionTrail: bp(true)},
		"MaximumNumberOfTrailsExceededException", "User: 123456789012 already has 5 trails in us-east-1.")
	// Four multi-region trails homed in eu-west-1 fill it (with w0) and
	// leave no room in a third region for a fifth plus one.
	e2 := newEnv(t)
	for i := 0; i < 4; i++ {
		e2.create(call{acct, west}, fmt.Sprintf("multi%d", i), true)
	}
	e2.create(home, "local", false) // us-east-1: 4 shadows + 1
	e2.failIn(home, "CreateTrail", &cloudtrail.CreateTrailInput{Name: "local2", S3BucketName: "logs"},
		"MaximumNumberOfTrailsExceededException", "User: 123456789012 already has 5 trails in us-east-1.")
	e2.create(call{acct, "ap-south-1"}, "apt", false) // 4 shadows + 1
	e2.failIn(call{acct, "sa-east-1"}, "CreateTrail", &cloudtrail.CreateTrailInput{Name: "multi4", S3BucketName: "logs", IsMultiRegionTrail: bp(true)},
		"MaximumNumberOfTrailsExceededException", "")
	// Turning a trail multi-region is checked too.
	e2.failIn(home, "UpdateTrail", &cloudtrail.UpdateTrailInput{Name: "local", IsMultiRegionTrail: bp(true)},
		"MaximumNumberOfTrailsExceededException", "")
}

func TestUpdateTrail(t *testing.T) {
	e := newEnv(t, withTopics())
	e.dest.buckets["other-logs"] = nil
	e.dest.region["other-logs"] = west
	e.dest.keys["alias/k"] = nil
	e.create(home, "main", false)
	e.dest.calls = nil
	out := must[cloudtrail.UpdateTrailOutput](e, "UpdateTrail", &cloudtrail.UpdateTrailInput{
		Name: "main", S3BucketName: sp("other-logs"), S3KeyPrefix: sp("p"), EnableLogFileValidation: bp(true), KmsKeyId: sp("alias/k"),
	})
	if out.S3BucketName != "other-logs" || out.S3KeyPrefix != "p" || !out.LogFileValidationEnabled || out.KmsKeyId != "arn:aws:kms:eu-west-1:123456789012:key/alias/k" {
		t.Fatalf("updated %+v", out)
	}
	if len(e.dest.calls) != 2 || !strings.HasPrefix(e.dest.calls[0], "bucket other-logs p ") || !strings.HasPrefix(e.dest.calls[1], "key alias/k eu-west-1 ") {
		t.Fatalf("checks %q", e.dest.calls)
	}
	// Members left out keep their values; settings that need no
	// destination check make none.
	e.dest.calls = nil
	out = must[cloudtrail.UpdateTrailOutput](e, "UpdateTrail", &cloudtrail.UpdateTrailInput{Name: arnOf(east, acct, "main"), IsMultiRegionTrail: bp(true)})
	if out.S3BucketName != "other-logs" || !out.IsMultiRegionTrail || out.KmsKeyId == "" || len(e.dest.calls) != 0 {
		t.Fatalf("updated %+v, checks %q", out, e.dest.calls)
	}
	// A new bucket checks the key the trail keeps against its region.
	e.dest.buckets["east-logs"] = nil
	e.dest.keys["arn:aws:kms:eu-west-1:123456789012:key/alias/k"] = cloudtrail.ErrKeyNotFound
	e.fail("UpdateTrail", &cloudtrail.UpdateTrailInput{Name: "main", S3BucketName: sp("east-logs")}, "KmsKeyNotFoundException", "")
	// Empty strings remove optional settings.
	out = must[cloudtrail.UpdateTrailOutput](e, "UpdateTrail", &cloudtrail.UpdateTrailInput{Name: "main", KmsKeyId: sp(""), S3KeyPrefix: sp("")})
	if out.KmsKeyId != "" || out.S3KeyPrefix != "" {
		t.Fatalf("removed %+v", out)
	}
	e.fail("UpdateTrail", &cloudtrail.UpdateTrailInput{Name: "main", IncludeGlobalServiceEvents: bp(false)},
		"InvalidParameterCombinationException", "Multi-Region trail must include global service events.")
	e.fail("UpdateTrail", &cloudtrail.UpdateTrailInput{Name: "main", S3BucketName: sp("missing")}, "S3BucketDoesNotExistException", "S3 bucket missing does not exist!")
	e.fail("UpdateTrail", &cloudtrail.UpdateTrailInput{Name: "main", S3BucketName: sp("Bad!")}, "InvalidS3BucketNameException", "")
	e.fail("UpdateTrail", &cloudtrail.UpdateTrailInput{Name: "nope"}, "TrailNotFoundException", "Unknown trail: nope for the user: 123456789012")
	// The refused calls changed nothing.
	got := must[cloudtrail.GetTrailOutput](e, "GetTrail", &cloudtrail.GetTrailInput{Name: "main"}).Trail
	if got.S3BucketName != "other-logs" || !got.IncludeGlobalServiceEvents || !got.IsMultiRegionTrail {
		t.Fatalf("after refusals %+v", got)
	}
	// Off again: the shadow in eu-west-1 goes away.
	must[cloudtrail.UpdateTrailOutput](e, "UpdateTrail", &cloudtrail.UpdateTrailInput{Name: "main", IsMultiRegionTrail: bp(false), IncludeGlobalServiceEvents: bp(false)})
	if n := len(mustIn[cloudtrail.DescribeTrailsOutput](e, call{acct, west}, "DescribeTrails", &cloudtrail.DescribeTrailsInput{}).TrailList); n != 0 {
		t.Fatalf("%d trails seen from eu-west-1 after turning multi-region off", n)
	}
}

func TestDeleteTrail(t *testing.T) {
	e := newEnv(t)
	e.create(home, "main", true)
	e.fail("DeleteTrail", &cloudtrail.DeleteTrailInput{Name: "nope"}, "TrailNotFoundException", "Unknown trail: nope for the user: 123456789012")
	// Not from a shadow region, by name (not found there) or by ARN.
	e.failIn(call{acct, west}, "DeleteTrail", &cloudtrail.DeleteTrailInput{Name: "main"}, "TrailNotFoundException", "Unknown trail: main for the user: 123456789012")
	e.failIn(call{acct, west}, "DeleteTrail", &cloudtrail.DeleteTrailInput{Name: arnOf(east, acct, "main")}, "InvalidHomeRegionException", "")
	must[cloudtrail.DeleteTrailOutput](e, "DeleteTrail", &cloudtrail.DeleteTrailInput{Name: arnOf(east, acct, "main")})
	e.fail("GetTrail", &cloudtrail.GetTrailInput{Name: "main"}, "TrailNotFoundException", "")
	// The name is free again.
	e.create(home, "main", false)
}

func TestShadowTrails(t *testing.T) {
	e := newEnv(t)
	e.create(home, "everywhere", true)
	e.create(home, "local", false)
	e.create(call{acct, west}, "westonly", false)
	e.create(call{other, west}, "theirs", true)
	westCall := call{acct, west}
	describe := func(who call, in *cloudtrail.DescribeTrailsInput) []string {
		t.Helper()
		var got []string
		for _, tr := range mustIn[cloudtrail.DescribeTrailsOutput](e, who, "DescribeTrails", in).TrailList {
			got = append(got, tr.HomeRegion+":"+tr.Name)
		}
		return got
	}
	// From eu-west-1: its own trail, then the multi-region trail of
	// us-east-1 with its real home region.
	if got := describe(westCall, &cloudtrail.DescribeTrailsInput{}); !reflect.DeepEqual(got, []string{"eu-west-1:westonly", "us-east-1:everywhere"}) {
		t.Fatalf("from eu-west-1: %v", got)
	}
	if got := describe(westCall, &cloudtrail.DescribeTrailsInput{IncludeShadowTrails: bp(false)}); !reflect.DeepEqual(got, []string{"eu-west-1:westonly"}) {
		t.Fatalf("without shadows: %v", got)
	}
	if got := describe(home, &cloudtrail.DescribeTrailsInput{}); !reflect.DeepEqual(got, []string{"us-east-1:everywhere", "us-east-1:local"}) {
		t.Fatalf("from us-east-1: %v", got)
	}
	// A region with no trails of its own sees the shadow.
	if got := describe(call{acct, "ap-south-1"}, &cloudtrail.DescribeTrailsInput{}); !reflect.DeepEqual(got, []string{"us-east-1:everywhere"}) {
		t.Fatalf("from ap-south-1: %v", got)
	}
	// Names match trails homed in the region; ARNs any trail seen from it;
	// unknown names and trails not seen from the region are left out.
	everywhere := arnOf(east, acct, "everywhere")
	if got := describe(westCall, &cloudtrail.DescribeTrailsInput{TrailNameList: []string{"everywhere", "westonly", everywhere, arnOf(east, acct, "local"), "nope", everywhere}}); !reflect.DeepEqual(got, []string{"eu-west-1:westonly", "us-east-1:everywhere"}) {
		t.Fatalf("by name and ARN: %v", got)
	}
	if got := describe(westCall, &cloudtrail.DescribeTrailsInput{TrailNameList: []string{everywhere}, IncludeShadowTrails: bp(false)}); len(got) != 0 {
		t.Fatalf("shadow by ARN without shadows: %v", got)
	}
	wantErr(t, errOf(e.invokeIn(westCall, "DescribeTrails", &cloudtrail.DescribeTrailsInput{TrailNameList: []string{arnOf(west, other, "theirs")}})),
		"CloudTrailARNInvalidException", "AccountID in ARN is wrong, you can only access resources with AccountID 123456789012.")
	wantErr(t, errOf(e.invokeIn(westCall, "DescribeTrails", &cloudtrail.DescribeTrailsInput{TrailNameList: []string{"a b"}})), "InvalidTrailNameException", "")
	wantErr(t, errOf(e.invokeIn(westCall, "DescribeTrails", &cloudtrail.DescribeTrailsInput{TrailNameList: []string{"arn:aws:s3:::bucket"}})), "CloudTrailARNInvalidException", "")

	// GetTrail and GetTrailStatus read a shadow by ARN, not by name; the
	// status of an unknown name names the ARN it would have.
	if got := mustIn[cloudtrail.GetTrailOutput](e, westCall, "GetTrail", &cloudtrail.GetTrailInput{Name: everywhere}).Trail; got.HomeRegion != east || got.TrailARN != everywhere {
		t.Fatalf("shadow by ARN: %+v", got)
	}
	e.failIn(westCall, "GetTrail", &cloudtrail.GetTrailInput{Name: "everywhere"}, "TrailNotFoundException", "Unknown trail: everywhere for the user: 123456789012")
	mustIn[cloudtrail.GetTrailStatusOutput](e, westCall, "GetTrailStatus", &cloudtrail.GetTrailStatusInput{Name: everywhere})
	e.failIn(westCall, "GetTrailStatus", &cloudtrail.GetTrailStatusInput{Name: "everywhere"}, "TrailNotFoundException",
		"Unknown trail: arn:aws:cloudtrail:eu-west-1:123456789012:trail/everywhere for the user: 123456789012")
	// A single-region trail of another region is not seen at all.
	e.failIn(westCall, "GetTrail", &cloudtrail.GetTrailInput{Name: arnOf(east, acct, "local")}, "TrailNotFoundException", "")
	mustIn[cloudtrail.GetEventSelectorsOutput](e, westCall, "GetEventSelectors", &cloudtrail.GetEventSelectorsInput{TrailName: everywhere})

	// Home-region-only calls on the shadow.
	for _, tc := range []struct {
		op string
		in any
	}{
		{"UpdateTrail", &cloudtrail.UpdateTrailInput{Name: everywhere, EnableLogFileValidation: bp(true)}},
		{"DeleteTrail", &cloudtrail.DeleteTrailInput{Name: everywhere}},
		{"StartLogging", &cloudtrail.StartLoggingInput{Name: everywhere}},
		{"StopLogging", &cloudtrail.StopLoggingInput{Name: everywhere}},
		{"PutEventSelectors", &cloudtrail.PutEventSelectorsInput{TrailName: everywhere, EventSelectors: []cloudtrail.EventSelector{{ReadWriteType: "All"}}}},
		{"PutInsightSelectors", &cloudtrail.PutInsightSelectorsInput{TrailName: sp(everywhere), InsightSelectors: []cloudtrail.InsightSelector{}}},
	} {
		e.failIn(westCall, tc.op, tc.in, "InvalidHomeRegionException",
			"The trail arn:aws:cloudtrail:us-east-1:123456789012:trail/everywhere can only be modified from its home Region us-east-1; this operation cannot be called on a shadow trail.")
	}
	// Tags: a multi-region trail is tagged from its home region only.
	e.failIn(westCall, "AddTags", &cloudtrail.AddTagsInput{ResourceId: everywhere, TagsList: []cloudtrail.Tag{{Key: "k"}}},
		"CloudTrailARNInvalidException", "Region in ARN is wrong, you can only access resources in region eu-west-1.")
}

func errOf(_ any, err error) error { return err }

func TestListTrails(t *testing.T) {
	defer cloudtrail.SetListTrailsPage(2)()
	e := newEnv(t)
	e.create(home, "bbb", false)
	e.create(home, "aaa", true)
	e.create(call{acct, west}, "ccc", false)
	e.create(call{acct, "ap-south-1"}, "ddd", false)
	e.create(call{other, east}, "theirs", false)
	var got []string
	var tok *string
	pages := 0
	for {
		out := mustIn[cloudtrail.ListTrailsOutput](e, call{acct, west}, "ListTrails", &cloudtrail.ListTrailsInput{NextToken: tok})
		pages++
		for _, tr := range out.Trails {
			if tr.TrailARN != arnOf(tr.HomeRegion, acct, tr.Name) {
				t.Fatalf("entry %+v", tr)
			}
			got = append(got, tr.HomeRegion+":"+tr.Name)
		}
		if out.NextToken == nil {
			break
		}
		tok = out.NextToken
	}
	want := []string{"ap-south-1:ddd", "eu-west-1:ccc", "us-east-1:aaa", "us-east-1:bbb"}
	if !reflect.DeepEqual(got, want) || pages != 2 {
		t.Fatalf("ListTrails %v in %d pages, want %v in 2", got, pages, want)
	}
	e.fail("ListTrails", &cloudtrail.ListTrailsInput{NextToken: sp("!!")}, "InvalidTokenException", "")
	empty := mustIn[cloudtrail.ListTrailsOutput](e, call{"333333333333", east}, "ListTrails", &cloudtrail.ListTrailsInput{})
	if empty.Trails == nil || len(empty.Trails) != 0 || empty.NextToken != nil {
		t.Fatalf("empty account: %+v", empty)
	}
}

func TestARNParameters(t *testing.T) {
	e := newEnv(t)
	e.create(home, "main", false)
	for _, bad := range []string{"arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/x", "arn:aws:cloudtrail:us-east-1:1234:trail/main",
		"arn:aws-cn:cloudtrail:us-east-1:123456789012:trail/main", "arn:aws:s3:::main", "arn:aws:cloudtrail"} {
		e.fail("GetTrail", &cloudtrail.GetTrailInput{Name: bad}, "CloudTrailARNInvalidException", "")
	}
	e.fail("GetTrail", &cloudtrail.GetTrailInput{Name: arnOf(east, other, "main")}, "CloudTrailARNInvalidException",
		"AccountID in ARN is wrong, you can only access resources with AccountID 123456789012.")
	e.fail("GetTrail", &cloudtrail.GetTrailInput{Name: arnOf(east, acct, "a_")}, "InvalidTrailNameException", "")
	e.fail("GetTrail", &cloudtrail.GetTrailInput{Name: arnOf(east, acct, "nope")}, "TrailNotFoundException",
		"Unknown trail: arn:aws:cloudtrail:us-east-1:123456789012:trail/nope for the user: 123456789012")
	if got := must[cloudtrail.GetTrailOutput](e, "GetTrail", &cloudtrail.GetTrailInput{Name: arnOf(east, acct, "main")}).Trail; got.Name != "main" {
		t.Fatalf("by ARN %+v", got)
	}
}

func TestOrganizationTrails(t *testing.T) {
	const mgmt, member = "111111111111", "222222222222"
	orgs := fakeOrgs{mgmt: {"o-abc", mgmt}, member: {"o-abc", mgmt}}
	e := newEnv(t, withOrgs(orgs))
	m := call{mgmt, east}
	mem := call{member, east}
	out := mustIn[cloudtrail.CreateTrailOutput](e, m, "CreateTrail", &cloudtrail.CreateTrailInput{Name: "org", S3BucketName: "logs", IsOrganizationTrail: bp(true), IsMultiRegionTrail: bp(true)})
	if !out.IsOrganizationTrail {
		t.Fatalf("org trail %+v", out)
	}
	e.failIn(mem, "CreateTrail", &cloudtrail.CreateTrailInput{Name: "org2", S3BucketName: "logs", IsOrganizationTrail: bp(true)},
		"NotOrganizationMasterAccountException", "")
	e.failIn(call{acct, east}, "CreateTrail", &cloudtrail.CreateTrailInput{Name: "org3", S3BucketName: "logs", IsOrganizationTrail: bp(true)},
		"OrganizationsNotInUseException", "")
	// Members see it as a shadow trail, from every region, and read it by
	// ARN; they cannot change it.
	orgARN := arnOf(east, mgmt, "org")
	for _, who := range []call{mem, {member, west}} {
		got := mustIn[cloudtrail.DescribeTrailsOutput](e, who, "DescribeTrails", &cloudtrail.DescribeTrailsInput{}).TrailList
		if len(got) != 1 || got[0].TrailARN != orgARN || !got[0].IsOrganizationTrail {
			t.Fatalf("member sees %+v", got)
		}
	}
	mustIn[cloudtrail.GetTrailStatusOutput](e, mem, "GetTrailStatus", &cloudtrail.GetTrailStatusInput{Name: orgARN})
	e.failIn(mem, "GetTrailStatus", &cloudtrail.GetTrailStatusInput{Name: "org"}, "TrailNotFoundException",
		"Unknown trail: arn:aws:cloudtrail:us-east-1:222222222222:trail/org for the user: 222222222222")
	e.failIn(mem, "StopLogging", &cloudtrail.StopLoggingInput{Name: orgARN}, "CloudTrailARNInvalidException", "")
	if got := mustIn[cloudtrail.ListTrailsOutput](e, mem, "ListTrails", &cloudtrail.ListTrailsInput{}).Trails; len(got) != 1 || got[0].TrailARN != orgARN {
		t.Fatalf("member lists %+v", got)
	}
	trails, err := e.svc.Trails(t.Context())
	if err != nil || len(trails) != 1 || trails[0].OrganizationID != "o-abc" {
		t.Fatalf("Trails() = %+v, %v", trails, err)
	}
	// Turning it off and on again from the management account.
	mustIn[cloudtrail.UpdateTrailOutput](e, m, "UpdateTrail", &cloudtrail.UpdateTrailInput{Name: "org", IsOrganizationTrail: bp(false)})
	if got := mustIn[cloudtrail.DescribeTrailsOutput](e, mem, "DescribeTrails", &cloudtrail.DescribeTrailsInput{}).TrailList; len(got) != 0 {
		t.Fatalf("member still sees %+v", got)
	}
	mustIn[cloudtrail.UpdateTrailOutput](e, m, "UpdateTrail", &cloudtrail.UpdateTrailInput{Name: "org", IsOrganizationTrail: bp(true)})
}
