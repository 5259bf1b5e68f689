package cloudtrail_test

import (
	"reflect"
	"testing"

	"github.com/cairnhq/cairn/service/cloudtrail"
)

// mgmtEvent is a management event of acct in us-east-1.
func mgmtEvent(source, name string, readOnly bool) cloudtrail.EventAttributes {
	return cloudtrail.EventAttributes{Account: acct, Region: east, Source: source, Name: name, ReadOnly: readOnly, Category: "Management"}
}

// s3Event is an S3 object data event.
func s3Event(name, objectARN string, readOnly bool) cloudtrail.EventAttributes {
	return cloudtrail.EventAttributes{Account: acct, Region: east, Source: "s3.amazonaws.com", Name: name, ReadOnly: readOnly, Category: "Data",
		Resources: []cloudtrail.EventResource{{Type: "AWS::S3::Object", ARN: objectARN}, {Type: "AWS::S3::Bucket", ARN: "arn:aws:s3:::" + bucketOf(objectARN)}}}
}

func bucketOf(objectARN string) string {
	rest := objectARN[len("arn:aws:s3:::"):]
	for i := 0; i < len(rest); i++ {
		if rest[i] == '/' {
			return rest[:i]
		}
	}
	return rest
}

func with(e cloudtrail.EventAttributes, f func(*cloudtrail.EventAttributes)) cloudtrail.EventAttributes {
	f(&e)
	return e
}

func trail(f func(*cloudtrail.Trail)) cloudtrail.Trail {
	t := cloudtrail.Trail{Account: acct, Name: "t", HomeRegion: east, IncludeGlobalServiceEvents: true}
	if f != nil {
		f(&t)
	}
	return t
}

func basicSel(rw string, mgmt bool, excl []string, data ...cloudtrail.DataResource) func(*cloudtrail.Trail) {
	return func(t *cloudtrail.Trail) {
		t.EventSelectors = append(t.EventSelectors, cloudtrail.EventSelector{ReadWriteType: rw, IncludeManagementEvents: bp(mgmt), DataResources: data, ExcludeManagementEventSources: excl})
	}
}

func advSel(fss ...cloudtrail.AdvancedFieldSelector) func(*cloudtrail.Trail) {
	return func(t *cloudtrail.Trail) {
		t.AdvancedEventSelectors = append(t.AdvancedEventSelectors, cloudtrail.AdvancedEventSelector{FieldSelectors: fss})
	}
}

func both(fs ...func(*cloudtrail.Trail)) func(*cloudtrail.Trail) {
	return func(t *cloudtrail.Trail) {
		for _, f := range fs {
			f(t)
		}
	}
}

func TestMatchesScope(t *testing.T) {
	createUser := mgmtEvent("iam.amazonaws.com", "CreateUser", false) // global, recorded in us-east-1
	runInstances := mgmtEvent("ec2.amazonaws.com", "RunInstances", false)
	inWest := with(runInstances, func(e *cloudtrail.EventAttributes) { e.Region = west })
	otherAcct := with(runInstances, func(e *cloudtrail.EventAttributes) { e.Account = other })
	orgMember := with(runInstances, func(e *cloudtrail.EventAttributes) { e.Account = other; e.OrganizationID = "o-abc" })
	for _, tc := range []struct {
		name  string
		trail cloudtrail.Trail
		event cloudtrail.EventAttributes
		want  bool
	}{
		{"home region", trail(nil), runInstances, true},
		{"other region, single-region trail", trail(nil), inWest, false},
		{"other region, multi-region trail", trail(func(t *cloudtrail.Trail) { t.IsMultiRegionTrail = true }), inWest, true},
		{"multi-region trail homed elsewhere sees us-east-1", trail(func(t *cloudtrail.Trail) { t.HomeRegion = west; t.IsMultiRegionTrail = true }), runInstances, true},
		{"other account", trail(nil), otherAcct, false},
		{"global event, us-east-1 trail with global events", trail(nil), createUser, true},
		{"global event, global events off", trail(func(t *cloudtrail.Trail) { t.IncludeGlobalServiceEvents = false }), createUser, false},
		{"global event, single-region trail elsewhere", trail(func(t *cloudtrail.Trail) { t.HomeRegion = west }), createUser, false},
		{"global event, multi-region trail homed elsewhere", trail(func(t *cloudtrail.Trail) { t.HomeRegion = west; t.IsMultiRegionTrail = true }), createUser, true},
		{"sts is global", trail(func(t *cloudtrail.Trail) { t.IncludeGlobalServiceEvents = false }), mgmtEvent("sts.amazonaws.com", "AssumeRole", false), false},
		{"organizations is global", trail(func(t *cloudtrail.Trail) { t.IncludeGlobalServiceEvents = false }), mgmtEvent("organizations.amazonaws.com", "CreateAccount", false), false},
		{"cloudtrail is regional", trail(func(t *cloudtrail.Trail) { t.IncludeGlobalServiceEvents = false }), mgmtEvent("cloudtrail.amazonaws.com", "CreateTrail", false), true},
		{"organization trail, member account", trail(func(t *cloudtrail.Trail) { t.IsOrganizationTrail = true; t.OrganizationID = "o-abc" }), orgMember, true},
		{"organization trail, other organization", trail(func(t *cloudtrail.Trail) { t.IsOrganizationTrail = true; t.OrganizationID = "o-xyz" }), orgMember, false},
		{"organization trail, account in none", trail(func(t *cloudtrail.Trail) { t.IsOrganizationTrail = true; t.OrganizationID = "o-abc" }), otherAcct, false},
		{"plain trail ignores organization", trail(func(t *cloudtrail.Trail) { t.OrganizationID = "o-abc" }), orgMember, false},
		{"insight events never", trail(nil), with(runInstances, func(e *cloudtrail.EventAttributes) { e.Category = "Insight" }), false},
		{"default selector: reads", trail(nil), mgmtEvent("ec2.amazonaws.com", "DescribeInstances", true), true},
		{"default selector: no data events", trail(nil), s3Event("GetObject", "arn:aws:s3:::b/k", true), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.trail.Matches(tc.event); got != tc.want {
				t.Fatalf("Matches = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestMatchesBasicSelectors(t *testing.T) {
	write := mgmtEvent("ec2.amazonaws.com", "RunInstances", false)
	read := mgmtEvent("ec2.amazonaws.com", "DescribeInstances", true)
	kms := mgmtEvent("kms.amazonaws.com", "CreateKey", false)
	get := s3Event("GetObject", "arn:aws:s3:::bucket/prefix/key.txt", true)
	put := s3Event("PutObject", "arn:aws:s3:::bucket/prefix/key.txt", false)
	elsewhere := s3Event("GetObject", "arn:aws:s3:::bucket/other/key.txt", true)
	otherBucket := s3Event("GetObject", "arn:aws:s3:::bucket2/prefix/key.txt", true)
	s3 := func(values ...string) cloudtrail.DataResource {
		return cloudtrail.DataResource{Type: "AWS::S3::Object", Values: values}
	}
	for _, tc := range []struct {
		name  string
		sel   func(*cloudtrail.Trail)
		event cloudtrail.EventAttributes
		want  bool
	}{
		{"All/write", basicSel("All", true, nil), write, true},
		{"All/read", basicSel("All", true, nil), read, true},
		{"ReadOnly/read", basicSel("ReadOnly", true, nil), read, true},
		{"ReadOnly/write", basicSel("ReadOnly", true, nil), write, false},
		{"WriteOnly/write", basicSel("WriteOnly", true, nil), write, true},
		{"WriteOnly/read", basicSel("WriteOnly", true, nil), read, false},
		{"unset read/write type is All", basicSel("", true, nil), read, true},
		{"management events excluded", basicSel("All", false, nil), write, false},
		{"excluded source", basicSel("All", true, []string{"kms.amazonaws.com"}), kms, false},
		{"other source not excluded", basicSel("All", true, []string{"kms.amazonaws.com"}), write, true},
		{"all S3 objects", basicSel("All", false, nil, s3("arn:aws:s3")), get, true},
		{"all S3 objects (arn:aws:s3:::)", basicSel("All", false, nil, s3("arn:aws:s3:::")), get, true},
		{"whole bucket", basicSel("All", false, nil, s3("arn:aws:s3:::bucket/")), elsewhere, true},
		{"whole bucket is not a bucket-name prefix", basicSel("All", false, nil, s3("arn:aws:s3:::bucket/")), otherBucket, false},
		{"bucket and prefix", basicSel("All", false, nil, s3("arn:aws:s3:::bucket/prefix")), get, true},
		{"outside the prefix", basicSel("All", false, nil, s3("arn:aws:s3:::bucket/prefix")), elsewhere, false},
		{"data events by read/write type", basicSel("WriteOnly", false, nil, s3("arn:aws:s3")), get, false},
		{"data write", basicSel("WriteOnly", false, nil, s3("arn:aws:s3")), put, true},
		{"data selector does not select management events", basicSel("All", false, nil, s3("arn:aws:s3")), write, false},
		{"management selector does not select data events", basicSel("All", true, nil), get, false},
		{"exclusion does not apply to data events", basicSel("All", true, []string{"kms.amazonaws.com"}, s3("arn:aws:s3")), get, true},
		{"lambda: all functions", basicSel("All", false, nil, cloudtrail.DataResource{Type: "AWS::Lambda::Function", Values: []string{"arn:aws:lambda"}}),
			cloudtrail.EventAttributes{Account: acct, Region: east, Category: "Data", Resources: []cloudtrail.EventResource{{Type: "AWS::Lambda::Function", ARN: "arn:aws:lambda:us-east-1:123456789012:function:f"}}}, true},
		{"lambda ARNs are exact", basicSel("All", false, nil, cloudtrail.DataResource{Type: "AWS::Lambda::Function", Values: []string{"arn:aws:lambda:us-east-1:123456789012:function:helloworld"}}),
			cloudtrail.EventAttributes{Account: acct, Region: east, Category: "Data", Resources: []cloudtrail.EventResource{{Type: "AWS::Lambda::Function", ARN: "arn:aws:lambda:us-east-1:123456789012:function:helloworld2"}}}, false},
		{"any selector matches", both(basicSel("ReadOnly", true, nil), basicSel("All", false, nil, s3("arn:aws:s3:::bucket/prefix"))), put, true},
		{"no selector matches", both(basicSel("ReadOnly", true, nil), basicSel("All", false, nil, s3("arn:aws:s3:::bucket2/"))), put, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := trail(tc.sel)
			if got := tr.Matches(tc.event); got != tc.want {
				t.Fatalf("Matches = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestMatchesAdvancedSelectors(t *testing.T) {
	mgmtCat := fsel("eventCategory", "Equals", "Management")
	dataCat := fsel("eventCategory", "Equals", "Data")
	s3type := fsel("resources.type", "Equals", "AWS::S3::Object")
	write := mgmtEvent("ec2.amazonaws.com", "RunInstances", false)
	read := mgmtEvent("ec2.amazonaws.com", "DescribeInstances", true)
	kms := mgmtEvent("kms.amazonaws.com", "CreateKey", false)
	get := s3Event("GetObject", "arn:aws:s3:::bucket/logs/a.json", true)
	put := s3Event("PutObject", "arn:aws:s3:::bucket/logs/a.json", false)
	del := s3Event("DeleteObject", "arn:aws:s3:::bucket/tmp/a.tmp", false)
	for _, tc := range []struct {
		name  string
		sel   func(*cloudtrail.Trail)
		event cloudtrail.EventAttributes
		want  bool
	}{
		{"management: all", advSel(mgmtCat), read, true},
		{"management: no data events", advSel(mgmtCat), get, false},
		{"management: writes only", advSel(mgmtCat, fsel("readOnly", "Equals", "false")), read, false},
		{"management: writes only, write", advSel(mgmtCat, fsel("readOnly", "Equals", "false")), write, true},
		{"management: excluding kms", advSel(mgmtCat, fsel("eventSource", "NotEquals", "kms.amazonaws.com")), kms, false},
		{"management: excluding kms, ec2", advSel(mgmtCat, fsel("eventSource", "NotEquals", "kms.amazonaws.com")), write, true},
		{"data: all S3 objects", advSel(dataCat, s3type), get, true},
		{"data: other type", advSel(dataCat, fsel("resources.type", "Equals", "AWS::DynamoDB::Table")), get, false},
		{"data: no management events", advSel(dataCat, s3type), write, false},
		{"Equals on eventName", advSel(dataCat, s3type, fsel("eventName", "Equals", "PutObject", "DeleteObject")), put, true},
		{"Equals on eventName, other", advSel(dataCat, s3type, fsel("eventName", "Equals", "PutObject", "DeleteObject")), get, false},
		{"NotEquals on eventName", advSel(dataCat, s3type, fsel("eventName", "NotEquals", "GetObject")), get, false},
		{"NotEquals on eventName, other", advSel(dataCat, s3type, fsel("eventName", "NotEquals", "GetObject")), put, true},
		{"StartsWith on ARN", advSel(dataCat, s3type, fsel("resources.ARN", "StartsWith", "arn:aws:s3:::bucket/logs/")), get, true},
		{"StartsWith on ARN, outside", advSel(dataCat, s3type, fsel("resources.ARN", "StartsWith", "arn:aws:s3:::bucket/logs/")), del, false},
		{"NotStartsWith on ARN", advSel(dataCat, s3type, fsel("resources.ARN", "NotStartsWith", "arn:aws:s3:::bucket/tmp/")), del, false},
		{"NotStartsWith on ARN, outside", advSel(dataCat, s3type, fsel("resources.ARN", "NotStartsWith", "arn:aws:s3:::bucket/tmp/")), get, true},
		{"EndsWith on ARN", advSel(dataCat, s3type, fsel("resources.ARN", "EndsWith", ".json", ".csv")), get, true},
		{"EndsWith on ARN, other", advSel(dataCat, s3type, fsel("resources.ARN", "EndsWith", ".json", ".csv")), del, false},
		{"NotEndsWith on ARN", advSel(dataCat, s3type, fsel("resources.ARN", "NotEndsWith", ".tmp")), del, false},
		{"NotEndsWith on ARN, other", advSel(dataCat, s3type, fsel("resources.ARN", "NotEndsWith", ".tmp")), put, true},
		// resources.ARN looks at the selected type only: the bucket resource
		// "arn:aws:s3:::bucket" does not satisfy Equals.
		{"ARN of the selected type only", advSel(dataCat, s3type, fsel("resources.ARN", "Equals", "arn:aws:s3:::bucket")), get, false},
		{"readOnly on data", advSel(dataCat, s3type, fsel("readOnly", "Equals", "true")), get, true},
		{"readOnly on data, write", advSel(dataCat, s3type, fsel("readOnly", "Equals", "true")), put, false},
		{"field selectors AND", advSel(dataCat, s3type, fsel("eventName", "Equals", "PutObject"), fsel("resources.ARN", "StartsWith", "arn:aws:s3:::bucket/tmp/")), put, false},
		{"positive and negative operators AND", advSel(dataCat, s3type, func() cloudtrail.AdvancedFieldSelector {
			fs := fsel("resources.ARN", "StartsWith", "arn:aws:s3:::bucket/")
			fs.NotEndsWith = []string{".tmp"}
			return fs
		}()), del, false},
		{"negative values AND (none may match)", advSel(dataCat, s3type, fsel("eventName", "NotEquals", "GetObject", "PutObject")), put, false},
		{"selectors OR", both(advSel(mgmtCat, fsel("readOnly", "Equals", "true")), advSel(dataCat, s3type, fsel("eventName", "Equals", "PutObject"))), put, true},
		{"selectors OR, management side", both(advSel(mgmtCat, fsel("readOnly", "Equals", "true")), advSel(dataCat, s3type, fsel("eventName", "Equals", "PutObject"))), read, true},
		{"selectors OR, neither", both(advSel(mgmtCat, fsel("readOnly", "Equals", "true")), advSel(dataCat, s3type, fsel("eventName", "Equals", "PutObject"))), write, false},
		{"advanced wins over basic", both(basicSel("All", true, nil), advSel(dataCat, s3type)), write, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := trail(tc.sel)
			if got := tr.Matches(tc.event); got != tc.want {
				t.Fatalf("Matches = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestAttributesFromRecord(t *testing.T) {
	rec := `{"eventVersion":"1.11","userIdentity":{"type":"IAMUser","accountId":"123456789012"},"eventSource":"s3.amazonaws.com",
		"eventName":"PutObject","awsRegion":"eu-west-1","readOnly":false,"recipientAccountId":"123456789012","eventCategory":"Data",
		"resources":[{"ARN":"arn:aws:s3:::b/k","accountId":"123456789012","type":"AWS::S3::Object"}]}`
	got, err := cloudtrail.AttributesFromRecord([]byte(rec))
	if err != nil {
		t.Fatal(err)
	}
	want := cloudtrail.EventAttributes{Account: acct, Region: west, Source: "s3.amazonaws.com", Name: "PutObject", Category: "Data",
		Resources: []cloudtrail.EventResource{{Type: "AWS::S3::Object", ARN: "arn:aws:s3:::b/k"}}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("attributes %+v", got)
	}
	got, err = cloudtrail.AttributesFromRecord([]byte(`{"eventSource":"iam.amazonaws.com","eventName":"ListUsers","awsRegion":"us-east-1","readOnly":true,"userIdentity":{"accountId":"123456789012"}}`))
	if err != nil || got.Account != acct || got.Category != "Management" || !got.ReadOnly {
		t.Fatalf("older record %+v, %v", got, err)
	}
	if _, err := cloudtrail.AttributesFromRecord([]byte("{")); err == nil {
		t.Fatal("bad JSON accepted")
	}
}
