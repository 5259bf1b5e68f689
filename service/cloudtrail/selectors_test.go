package cloudtrail_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/cairnhq/cairn/service/cloudtrail"
)

func fsel(field string, op string, values ...string) cloudtrail.AdvancedFieldSelector {
	fs := cloudtrail.AdvancedFieldSelector{Field: field}
	switch op {
	case "Equals":
		fs.Equals = values
	case "StartsWith":
		fs.StartsWith = values
	case "EndsWith":
		fs.EndsWith = values
	case "NotEquals":
		fs.NotEquals = values
	case "NotStartsWith":
		fs.NotStartsWith = values
	case "NotEndsWith":
		fs.NotEndsWith = values
	}
	return fs
}

func adv(fss ...cloudtrail.AdvancedFieldSelector) cloudtrail.AdvancedEventSelector {
	return cloudtrail.AdvancedEventSelector{Name: sp("sel"), FieldSelectors: fss}
}

func TestDefaultEventSelector(t *testing.T) {
	e := newEnv(t)
	e.create(home, "main", false)
	got := must[cloudtrail.GetEventSelectorsOutput](e, "GetEventSelectors", &cloudtrail.GetEventSelectorsInput{TrailName: "main"})
	want := &cloudtrail.GetEventSelectorsOutput{TrailARN: arnOf(east, acct, "main"), EventSelectors: []cloudtrail.EventSelector{{
		ReadWriteType: "All", IncludeManagementEvents: bp(true), DataResources: []cloudtrail.DataResource{}, ExcludeManagementEventSources: []string{},
	}}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("default selectors %+v", got)
	}
	if must[cloudtrail.GetTrailOutput](e, "GetTrail", &cloudtrail.GetTrailInput{Name: "main"}).Trail.HasCustomEventSelectors {
		t.Fatal("new trail has custom selectors")
	}
	e.fail("GetEventSelectors", &cloudtrail.GetEventSelectorsInput{TrailName: "nope"}, "TrailNotFoundException",
		"Unknown trail: arn:aws:cloudtrail:us-east-1:123456789012:trail/nope for the user: 123456789012")
}

func TestSelectorsRoundTrip(t *testing.T) {
	e := newEnv(t)
	e.create(home, "main", false)
	basic := []cloudtrail.EventSelector{
		{ReadWriteType: "WriteOnly", ExcludeManagementEventSources: []string{"kms.amazonaws.com"}},
		{IncludeManagementEvents: bp(false), DataResources: []cloudtrail.DataResource{
			{Type: "AWS::S3::Object", Values: []string{"arn:aws:s3:::bucket/prefix", "arn:aws:s3:::other/"}},
			{Type: "AWS::Lambda::Function", Values: []string{"arn:aws:lambda"}},
			{Type: "AWS::DynamoDB::Table", Values: []string{"arn:aws:dynamodb:us-east-1:123456789012:table/Orders"}},
		}},
	}
	put := must[cloudtrail.PutEventSelectorsOutput](e, "PutEventSelectors", &cloudtrail.PutEventSelectorsInput{TrailName: "main", EventSelectors: basic})
	want := []cloudtrail.EventSelector{
		{ReadWriteType: "WriteOnly", IncludeManagementEvents: bp(true), DataResources: []cloudtrail.DataResource{}, ExcludeManagementEventSources: []string{"kms.amazonaws.com"}},
		{ReadWriteType: "All", IncludeManagementEvents: bp(false), DataResources: basic[1].DataResources, ExcludeManagementEventSources: []string{}},
	}
	if put.TrailARN != arnOf(east, acct, "main") || !reflect.DeepEqual(put.EventSelectors, want) || put.AdvancedEventSelectors != nil {
		t.Fatalf("put %+v", put)
	}
	got := must[cloudtrail.GetEventSelectorsOutput](e, "GetEventSelectors", &cloudtrail.GetEventSelectorsInput{TrailName: arnOf(east, acct, "main")})
	if !reflect.DeepEqual(got.EventSelectors, want) || got.AdvancedEventSelectors != nil {
		t.Fatalf("get %+v", got)
	}
	if !must[cloudtrail.GetTrailOutput](e, "GetTrail", &cloudtrail.GetTrailInput{Name: "main"}).Trail.HasCustomEventSelectors {
		t.Fatal("HasCustomEventSelectors false after PutEventSelectors")
	}
	// Advanced selectors replace the basic ones, and back.
	advanced := []cloudtrail.AdvancedEventSelector{
		adv(fsel("eventCategory", "Equals", "Management"), fsel("readOnly", "Equals", "false"), fsel("eventSource", "NotEquals", "kms.amazonaws.com")),
		adv(fsel("eventCategory", "Equals", "Data"), fsel("resources.type", "Equals", "AWS::S3::Object"),
			fsel("resources.ARN", "StartsWith", "arn:aws:s3:::bucket/"), fsel("eventName", "NotEquals", "GetObject")),
	}
	must[cloudtrail.PutEventSelectorsOutput](e, "PutEventSelectors", &cloudtrail.PutEventSelectorsInput{TrailName: "main", AdvancedEventSelectors: advanced})
	got = must[cloudtrail.GetEventSelectorsOutput](e, "GetEventSelectors", &cloudtrail.GetEventSelectorsInput{TrailName: "main"})
	if got.EventSelectors != nil || !reflect.DeepEqual(got.AdvancedEventSelectors, advanced) {
		t.Fatalf("advanced %+v", got)
	}
	trails, err := e.svc.Trails(t.Context())
	if err != nil || len(trails) != 1 || trails[0].EventSelectors != nil || !reflect.DeepEqual(trails[0].AdvancedEventSelectors, advanced) {
		t.Fatalf("Trails() = %+v, %v", trails, err)
	}
	must[cloudtrail.PutEventSelectorsOutput](e, "PutEventSelectors", &cloudtrail.PutEventSelectorsInput{TrailName: "main", EventSelectors: basic[:1]})
	got = must[cloudtrail.GetEventSelectorsOutput](e, "GetEventSelectors", &cloudtrail.GetEventSelectorsInput{TrailName: "main"})
	if len(got.EventSelectors) != 1 || got.AdvancedEventSelectors != nil {
		t.Fatalf("back to basic %+v", got)
	}
}

func TestEventSelectorValidation(t *testing.T) {
	e := newEnv(t)
	e.create(home, "main", false)
	put := func(in cloudtrail.PutEventSelectorsInput, msg string) {
		t.Helper()
		in.TrailName = "main"
		_, err := e.invoke("PutEventSelectors", &in)
		wantErr(t, err, "InvalidEventSelectorsException", msg)
	}
	s3 := func(values ...string) []cloudtrail.EventSelector {
		return []cloudtrail.EventSelector{{DataResources: []cloudtrail.DataResource{{Type: "AWS::S3::Object", Values: values}}}}
	}
	put(cloudtrail.PutEventSelectorsInput{}, "")
	put(cloudtrail.PutEventSelectorsInput{EventSelectors: s3("arn:aws:s3"), AdvancedEventSelectors: []cloudtrail.AdvancedEventSelector{adv(fsel("eventCategory", "Equals", "Management"))}},
		"You can use EventSelectors or AdvancedEventSelectors, but not both.")
	put(cloudtrail.PutEventSelectorsInput{EventSelectors: make([]cloudtrail.EventSelector, 6)}, "")
	put(cloudtrail.PutEventSelectorsInput{EventSelectors: []cloudtrail.EventSelector{{ReadWriteType: "read-only"}}}, "Value read-only for ReadWriteType is invalid.")
	put(cloudtrail.PutEventSelectorsInput{EventSelectors: s3("arn:aws:s3:::*")}, "Value arn:aws:s3:::* for DataResources.Values is invalid.")
	put(cloudtrail.PutEventSelectorsInput{EventSelectors: s3("arn:aws:s3:::data-bucket")}, "Value arn:aws:s3:::data-bucket for DataResources.Values is invalid.")
	put(cloudtrail.PutEventSelectorsInput{EventSelectors: s3("arn:aws:s3:::*/*")}, "Value arn:aws:s3:::*/* for DataResources.Values is invalid.")
	put(cloudtrail.PutEventSelectorsInput{EventSelectors: s3("arn:aws:lambda")}, "Value arn:aws:lambda for DataResources.Values is invalid.")
	put(cloudtrail.PutEventSelectorsInput{EventSelectors: []cloudtrail.EventSelector{{DataResources: []cloudtrail.DataResource{{Type: "AWS::Lambda::Function", Values: []string{"arn:aws:lambda:*"}}}}}},
		"Value arn:aws:lambda:* for DataResources.Values is invalid.")
	put(cloudtrail.PutEventSelectorsInput{EventSelectors: []cloudtrail.EventSelector{{DataResources: []cloudtrail.DataResource{{Type: "AWS::EC2::Instance", Values: []string{"x"}}}}}},
		"Value AWS::EC2::Instance for DataResources.Type is invalid.")
	put(cloudtrail.PutEventSelectorsInput{EventSelectors: []cloudtrail.EventSelector{{ExcludeManagementEventSources: []string{"iam.amazonaws.com"}}}},
		"Value iam.amazonaws.com for ExcludeManagementEventSources is invalid.")
	var many []string
	for i := 0; i < 251; i++ {
		many = append(many, "arn:aws:s3:::bucket/p"+strings.Repeat("x", i%5)+string(rune('a'+i%26)))
	}
	put(cloudtrail.PutEventSelectorsInput{EventSelectors: s3(many...)}, "Specify a valid number of DataResources.Values (0 to 250) for all your selectors")
	// "All resources" values do not count toward the 250.
	must[cloudtrail.PutEventSelectorsOutput](e, "PutEventSelectors", &cloudtrail.PutEventSelectorsInput{TrailName: "main", EventSelectors: s3(append(many[:250], "arn:aws:s3")...)})

	// Advanced selectors.
	mgmt := fsel("eventCategory", "Equals", "Management")
	data := fsel("eventCategory", "Equals", "Data")
	s3type := fsel("resources.type", "Equals", "AWS::S3::Object")
	for _, tc := range []struct {
		sel cloudtrail.AdvancedEventSelector
		msg string
	}{
		{adv(), "Each advanced event selector must have at least one field selector."},
		{adv(fsel("readOnly", "Equals", "true")), "Each advanced event selector must have an eventCategory field selector."},
		{adv(fsel("eventCategory", "StartsWith", "Man")), ""},
		{adv(fsel("eventCategory", "Equals", "Insight")), "Value Insight for eventCategory is invalid."},
		{adv(mgmt, fsel("readOnly", "NotEquals", "true")), "readOnly must use the Equals operator."},
		{adv(mgmt, fsel("readOnly", "Equals", "yes")), "Value yes for readOnly is invalid."},
		{adv(mgmt, fsel("eventName", "Equals", "CreateUser")), "Field eventName is not supported for management events."},
		{adv(mgmt, fsel("eventSource", "Equals", "kms.amazonaws.com")), ""},
		{adv(mgmt, fsel("eventSource", "NotEquals", "iam.amazonaws.com")), "Value iam.amazonaws.com for eventSource is invalid."},
		{adv(data), "Advanced event selectors for data events must have a resources.type field selector."},
		{adv(data, fsel("resources.type", "StartsWith", "AWS::S3")), ""},
		{adv(data, fsel("resources.type", "Equals", "bucket")), "Value bucket for resources.type is invalid."},
		{adv(data, s3type, fsel("userIdentity.arn", "Equals", "x")), "Value userIdentity.arn for Field is invalid."},
		{adv(data, s3type, fsel("bad field!", "Equals", "x")), "Value bad field! for Field is invalid."},
		{adv(data, s3type, fsel("eventName", "Equals")), "Field selector eventName must specify at least one operator with a value."},
		{adv(data, s3type, fsel("eventName", "Equals", "")), ""},
		{adv(data, s3type, fsel("eventName", "Equals", "A"), fsel("eventName", "Equals", "B")), "Field eventName can appear only once in an advanced event selector."},
		{cloudtrail.AdvancedEventSelector{Name: sp(strings.Repeat("n", 1001)), FieldSelectors: []cloudtrail.AdvancedFieldSelector{mgmt}}, ""},
	} {
		put(cloudtrail.PutEventSelectorsInput{AdvancedEventSelectors: []cloudtrail.AdvancedEventSelector{tc.sel}}, tc.msg)
	}
	values := make([]string, 500)
	for i := range values {
		values[i] = "Op" + strings.Repeat("x", i%7) + string(rune('a'+i%26))
	}
	put(cloudtrail.PutEventSelectorsInput{AdvancedEventSelectors: []cloudtrail.AdvancedEventSelector{adv(data, s3type, fsel("eventName", "Equals", values...))}}, "")
	// Within the limit: the two category and type values plus 498.
	must[cloudtrail.PutEventSelectorsOutput](e, "PutEventSelectors", &cloudtrail.PutEventSelectorsInput{TrailName: "main",
		AdvancedEventSelectors: []cloudtrail.AdvancedEventSelector{adv(data, s3type, fsel("eventName", "Equals", values[:498]...))}})
	// The refused calls left the last accepted selectors.
	got := must[cloudtrail.GetEventSelectorsOutput](e, "GetEventSelectors", &cloudtrail.GetEventSelectorsInput{TrailName: "main"})
	if len(got.AdvancedEventSelectors) != 1 || len(got.AdvancedEventSelectors[0].FieldSelectors[2].Equals) != 498 {
		t.Fatalf("selectors after refusals %+v", got)
	}
}

func TestInsightSelectors(t *testing.T) {
	e := newEnv(t)
	e.create(home, "main", false)
	e.fail("GetInsightSelectors", &cloudtrail.GetInsightSelectorsInput{TrailName: sp("main")}, "InsightNotEnabledException",
		"Trail arn:aws:cloudtrail:us-east-1:123456789012:trail/main does not have Insights enabled.")
	sels := []cloudtrail.InsightSelector{{InsightType: "ApiCallRateInsight"}, {InsightType: "ApiErrorRateInsight", EventCategories: []string{"Management"}}}
	out := must[cloudtrail.PutInsightSelectorsOutput](e, "PutInsightSelectors", &cloudtrail.PutInsightSelectorsInput{TrailName: sp("main"), InsightSelectors: sels})
	if out.TrailARN != arnOf(east, acct, "main") || !reflect.DeepEqual(out.InsightSelectors, sels) {
		t.Fatalf("put %+v", out)
	}
	got := must[cloudtrail.GetInsightSelectorsOutput](e, "GetInsightSelectors", &cloudtrail.GetInsightSelectorsInput{TrailName: sp(arnOf(east, acct, "main"))})
	if !reflect.DeepEqual(got.InsightSelectors, sels) {
		t.Fatalf("get %+v", got)
	}
	if !must[cloudtrail.GetTrailOutput](e, "GetTrail", &cloudtrail.GetTrailInput{Name: "main"}).Trail.HasInsightSelectors {
		t.Fatal("HasInsightSelectors false")
	}
	for _, tc := range []struct {
		in        cloudtrail.PutInsightSelectorsInput
		code, msg string
	}{
		{cloudtrail.PutInsightSelectorsInput{TrailName: sp("main"), InsightSelectors: []cloudtrail.InsightSelector{{InsightType: "Bogus"}}}, "InvalidInsightSelectorsException", ""},
		{cloudtrail.PutInsightSelectorsInput{TrailName: sp("main"), InsightSelectors: []cloudtrail.InsightSelector{{InsightType: "ApiCallRateInsight", EventCategories: []string{"Insight"}}}}, "InvalidInsightSelectorsException", ""},
		{cloudtrail.PutInsightSelectorsInput{TrailName: sp("main"), InsightSelectors: []cloudtrail.InsightSelector{{InsightType: "ApiCallRateInsight"}, {InsightType: "ApiCallRateInsight"}}}, "InvalidInsightSelectorsException", ""},
		{cloudtrail.PutInsightSelectorsInput{TrailName: sp("main"), InsightSelectors: []cloudtrail.InsightSelector{{InsightType: "ApiCallRateInsight", EventCategories: []string{"Data"}}}},
			"InvalidInsightSelectorsException", "ApiCallRateInsight for Data events requires the trail to log data events."},
		{cloudtrail.PutInsightSelectorsInput{TrailName: sp("main"), EventDataStore: sp("eds")}, "InvalidParameterCombinationException", ""},
		{cloudtrail.PutInsightSelectorsInput{EventDataStore: sp("eds")}, "UnsupportedOperationException", ""},
		{cloudtrail.PutInsightSelectorsInput{}, "InvalidParameterCombinationException", ""},
		{cloudtrail.PutInsightSelectorsInput{TrailName: sp("main"), InsightsDestination: sp("eds")}, "InvalidParameterCombinationException", ""},
		{cloudtrail.PutInsightSelectorsInput{TrailName: sp("nope")}, "TrailNotFoundException", ""},
	} {
		in := tc.in
		_, err := e.invoke("PutInsightSelectors", &in)
		wantErr(t, err, tc.code, tc.msg)
	}
	// A trail that logs only read management events cannot analyze the
	// API call rate, but can the error rate.
	must[cloudtrail.PutInsightSelectorsOutput](e, "PutInsightSelectors", &cloudtrail.PutInsightSelectorsInput{TrailName: sp("main"), InsightSelectors: []cloudtrail.InsightSelector{}})
	must[cloudtrail.PutEventSelectorsOutput](e, "PutEventSelectors", &cloudtrail.PutEventSelectorsInput{TrailName: "main", EventSelectors: []cloudtrail.EventSelector{{ReadWriteType: "ReadOnly"}}})
	e.fail("PutInsightSelectors", &cloudtrail.PutInsightSelectorsInput{TrailName: sp("main"), InsightSelectors: sels[:1]}, "InvalidInsightSelectorsException",
		"ApiCallRateInsight for Management events requires the trail to log write management events.")
	must[cloudtrail.PutInsightSelectorsOutput](e, "PutInsightSelectors", &cloudtrail.PutInsightSelectorsInput{TrailName: sp("main"), InsightSelectors: sels[1:]})
	// An empty list turns Insights off.
	must[cloudtrail.PutInsightSelectorsOutput](e, "PutInsightSelectors", &cloudtrail.PutInsightSelectorsInput{TrailName: sp("main"), InsightSelectors: []cloudtrail.InsightSelector{}})
	e.fail("GetInsightSelectors", &cloudtrail.GetInsightSelectorsInput{TrailName: sp("main")}, "InsightNotEnabledException", "")
	e.fail("GetInsightSelectors", &cloudtrail.GetInsightSelectorsInput{TrailName: sp("main"), EventDataStore: sp("eds")}, "InvalidParameterCombinationException", "")
	// Enabling Insights checks the bucket again.
	delete(e.dest.buckets, "logs")
	e.fail("PutInsightSelectors", &cloudtrail.PutInsightSelectorsInput{TrailName: sp("main"), InsightSelectors: sels[1:]}, "S3BucketDoesNotExistException", "")
}
