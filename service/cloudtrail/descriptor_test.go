package cloudtrail_test

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/audit"
	"github.com/cairnhq/cairn/service/cloudtrail"
)

// trailless are the calls that act on no one trail and are authorized on *.
var trailless = map[string]bool{"LookupEvents": true, "DescribeTrails": true, "ListTrails": true, "ListPublicKeys": true}

func TestDescriptorRowsAreComplete(t *testing.T) {
	e := newEnv(t)
	if e.desc.Name != "cloudtrail" || e.desc.EventSource != "cloudtrail.amazonaws.com" || e.desc.Global {
		t.Fatalf("service header %+v", e.desc)
	}
	want := []string{"LookupEvents", "CreateTrail", "UpdateTrail", "DeleteTrail", "GetTrail", "DescribeTrails", "ListTrails",
		"GetTrailStatus", "StartLogging", "StopLogging", "PutEventSelectors", "GetEventSelectors", "PutInsightSelectors",
		"GetInsightSelectors", "AddTags", "RemoveTags", "ListPublicKeys", "ListTags"}
	var names []string
	for i := range e.desc.Operations {
		op := &e.desc.Operations[i]
		names = append(names, op.Name)
		t.Run(op.Name, func(t *testing.T) {
			if op.Action != "cloudtrail:"+op.Name {
				t.Errorf("Action %q", op.Action)
			}
			if op.New == nil || op.Invoke == nil {
				t.Fatal("not bound with cairn.Define")
			}
			readOnly := strings.HasPrefix(op.Name, "Get") || strings.HasPrefix(op.Name, "List") ||
				strings.HasPrefix(op.Name, "Describe") || op.Name == "LookupEvents"
			if op.ReadOnly != readOnly {
				t.Errorf("ReadOnly %v", op.ReadOnly)
			}
			if op.AlwaysAllowed || op.Data {
				t.Error("CloudTrail calls are authorized management events")
			}
			if (op.Resources == nil) != trailless[op.Name] {
				t.Errorf("Resources set: %v", op.Resources != nil)
			}
			in := reflect.TypeOf(op.New()).Elem()
			m := reflect.ValueOf(e.svc).MethodByName(op.Name)
			if !m.IsValid() {
				t.Fatal("no handler method")
			}
			out := m.Type().Out(0).Elem()
			if in.NumField() > 0 && len(op.Request) == 0 {
				t.Error("no Request allow-list")
			}
			switch {
			case op.ReadOnly && len(op.Response) > 0:
				t.Error("read-only call records response elements")
			case !op.ReadOnly && out.NumField() > 0 && len(op.Response) == 0:
				t.Error("no Response allow-list")
			}
			for _, p := range op.Request {
				checkMember(t, in, p)
			}
			for _, p := range op.Response {
				checkMember(t, out, p)
			}
		})
	}
	if !reflect.DeepEqual(names, want) {
		t.Fatalf("operations %v\nwant %v", names, want)
	}
}

func checkMember(t *testing.T, typ reflect.Type, path string) {
	t.Helper()
	cur := typ
	for _, part := range strings.Split(path, ".") {
		for cur.Kind() == reflect.Pointer || cur.Kind() == reflect.Slice {
			cur = cur.Elem()
		}
		f, ok := cur.FieldByName(part)
		if !ok {
			t.Errorf("allow-list entry %q: %s has no member %s", path, cur, part)
			return
		}
		cur = f.Type
	}
}

func callIn(who call) *cairn.Call {
	return &cairn.Call{Region: who.region, Principal: rootOf(who.account)}
}

func TestResourcesNameTheTrail(t *testing.T) {
	e := newEnv(t)
	c := callIn(home)
	for _, tc := range []struct {
		op   string
		in   any
		want []cairn.Resource
	}{
		{"CreateTrail", &cloudtrail.CreateTrailInput{Name: "main"}, []cairn.Resource{{ARN: arnOf(east, acct, "main"), Type: "AWS::CloudTrail::Trail", Name: "main"}}},
		{"GetTrailStatus", &cloudtrail.GetTrailStatusInput{Name: arnOf(west, acct, "x.y")}, []cairn.Resource{{ARN: arnOf(west, acct, "x.y"), Type: "AWS::CloudTrail::Trail", Name: "x.y"}}},
		{"PutEventSelectors", &cloudtrail.PutEventSelectorsInput{TrailName: "sel"}, []cairn.Resource{{ARN: arnOf(east, acct, "sel"), Type: "AWS::CloudTrail::Trail", Name: "sel"}}},
		{"GetInsightSelectors", &cloudtrail.GetInsightSelectorsInput{}, nil},
		{"ListTags", &cloudtrail.ListTagsInput{ResourceIdList: []string{arnOf(east, acct, "a1"), arnOf(east, acct, "b2")}}, []cairn.Resource{
			{ARN: arnOf(east, acct, "a1"), Type: "AWS::CloudTrail::Trail", Name: "a1"}, {ARN: arnOf(east, acct, "b2"), Type: "AWS::CloudTrail::Trail", Name: "b2"}}},
	} {
		if got := e.desc.Op(tc.op).Resources(c, tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s resources %+v, want %+v", tc.op, got, tc.want)
		}
	}
}

func TestAuthorizationContext(t *testing.T) {
	e := newEnv(t)
	must[cloudtrail.CreateTrailOutput](e, "CreateTrail", &cloudtrail.CreateTrailInput{Name: "main", S3BucketName: "logs", TagsList: []cloudtrail.Tag{{Key: "Team", Value: sp("sec")}}})
	c := callIn(home)
	// Request tags become aws:RequestTag/… and aws:TagKeys.
	cond := e.desc.Op("CreateTrail").Conditions(c, &cloudtrail.CreateTrailInput{Name: "x", TagsList: []cloudtrail.Tag{{Key: "Team", Value: sp("sec")}}})
	if !reflect.DeepEqual(cond, map[string][]string{"aws:requesttag/team": {"sec"}, "aws:tagkeys": {"Team"}}) {
		t.Fatalf("CreateTrail conditions %v", cond)
	}
	cond = e.desc.Op("RemoveTags").Conditions(c, &cloudtrail.RemoveTagsInput{TagsList: []cloudtrail.Tag{{Key: "Team"}}})
	if !reflect.DeepEqual(cond, map[string][]string{"aws:tagkeys": {"Team"}}) {
		t.Fatalf("RemoveTags conditions %v", cond)
	}
	// The target gives the trail's tags (aws:ResourceTag/…), by name or ARN;
	// an unknown trail gives none (the call reports it).
	for _, name := range []string{"main", arnOf(east, acct, "main")} {
		tg, err := e.desc.Op("StopLogging").Target(context.Background(), c, &cloudtrail.StopLoggingInput{Name: name})
		if err != nil || tg == nil || tg.Tags["Team"] != "sec" {
			t.Fatalf("target of %s: %+v, %v", name, tg, err)
		}
	}
	if tg, err := e.desc.Op("GetTrail").Target(context.Background(), c, &cloudtrail.GetTrailInput{Name: "nope"}); tg != nil || err != nil {
		t.Fatalf("target of unknown trail: %+v, %v", tg, err)
	}
}

// CloudTrail records the trail's settings in requestParameters and echoes
// the trail in responseElements.
func TestRecordedParameters(t *testing.T) {
	e := newEnv(t)
	op := e.desc.Op("CreateTrail")
	in := &cloudtrail.CreateTrailInput{Name: "org-audit", S3BucketName: "logs", IsMultiRegionTrail: bp(true)}
	var req map[string]any
	if err := json.Unmarshal(audit.Params(in, op.Request), &req); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(req, map[string]any{"name": "org-audit", "s3BucketName": "logs", "isMultiRegionTrail": true}) {
		t.Fatalf("requestParameters %v", req)
	}
	out := must[cloudtrail.CreateTrailOutput](e, "CreateTrail", in)
	var resp map[string]any
	if err := json.Unmarshal(audit.Params(out, op.Response), &resp); err != nil {
		t.Fatal(err)
	}
	if resp["name"] != "org-audit" || resp["trailARN"] != arnOf(east, acct, "org-audit") || resp["isMultiRegionTrail"] != true || resp["s3BucketName"] != "logs" {
		t.Fatalf("responseElements %v", resp)
	}
	sel := e.desc.Op("PutEventSelectors")
	var sreq map[string]any
	if err := json.Unmarshal(audit.Params(&cloudtrail.PutEventSelectorsInput{TrailName: "t1x", EventSelectors: []cloudtrail.EventSelector{{ReadWriteType: "All", IncludeManagementEvents: bp(false)}}}, sel.Request), &sreq); err != nil {
		t.Fatal(err)
	}
	if sreq["trailName"] != "t1x" || sreq["eventSelectors"].([]any)[0].(map[string]any)["includeManagementEvents"] != false {
		t.Fatalf("PutEventSelectors requestParameters %v", sreq)
	}
}
