package cloudtrail_test

import (
	"reflect"
	"testing"

	"github.com/cairnhq/cairn/service/cloudtrail"
)

func TestTags(t *testing.T) {
	e := newEnv(t)
	e.create(home, "main", false)
	e.create(home, "second", false)
	main, second := arnOf(east, acct, "main"), arnOf(east, acct, "second")
	must[cloudtrail.AddTagsOutput](e, "AddTags", &cloudtrail.AddTagsInput{ResourceId: main, TagsList: []cloudtrail.Tag{{Key: "team", Value: sp("sec")}, {Key: "env", Value: sp("dev")}}})
	must[cloudtrail.AddTagsOutput](e, "AddTags", &cloudtrail.AddTagsInput{ResourceId: main, TagsList: []cloudtrail.Tag{{Key: "env", Value: sp("prod")}, {Key: "bare"}}})
	list := func(ids ...string) []cloudtrail.ResourceTag {
		t.Helper()
		return must[cloudtrail.ListTagsOutput](e, "ListTags", &cloudtrail.ListTagsInput{ResourceIdList: ids}).ResourceTagList
	}
	want := []cloudtrail.ResourceTag{
		{ResourceId: second, TagsList: []cloudtrail.Tag{}},
		{ResourceId: main, TagsList: []cloudtrail.Tag{{Key: "team", Value: sp("sec")}, {Key: "env", Value: sp("prod")}, {Key: "bare"}}},
	}
	if got := list(second, main); !reflect.DeepEqual(got, want) {
		t.Fatalf("ListTags = %+v", got)
	}
	// A tag given with another value is not removed; by key alone it is.
	must[cloudtrail.RemoveTagsOutput](e, "RemoveTags", &cloudtrail.RemoveTagsInput{ResourceId: main, TagsList: []cloudtrail.Tag{{Key: "env", Value: sp("dev")}, {Key: "bare"}}})
	if got := list(main)[0].TagsList; len(got) != 2 || got[1].Key != "env" {
		t.Fatalf("after RemoveTags %+v", got)
	}
	must[cloudtrail.RemoveTagsOutput](e, "RemoveTags", &cloudtrail.RemoveTagsInput{ResourceId: main, TagsList: []cloudtrail.Tag{{Key: "env"}}})
	if got := list(main)[0].TagsList; len(got) != 1 || got[0].Key != "team" {
		t.Fatalf("after RemoveTags by key %+v", got)
	}
	// The 50-tag limit counts the tags the trail keeps.
	e.fail("AddTags", &cloudtrail.AddTagsInput{ResourceId: main, TagsList: manyTags(50)}, "TagsLimitExceededException",
		"The number of tags per trail has exceeded the permitted amount. Currently, the limit is 50.")
	must[cloudtrail.AddTagsOutput](e, "AddTags", &cloudtrail.AddTagsInput{ResourceId: main, TagsList: manyTags(49)})

	for _, tc := range []struct {
		id, code, msg string
	}{
		{"main", "CloudTrailARNInvalidException", ""},
		{arnOf(west, acct, "main"), "CloudTrailARNInvalidException", "Region in ARN is wrong, you can only access resources in region us-east-1."},
		{arnOf(east, other, "main"), "CloudTrailARNInvalidException", "AccountID in ARN is wrong, you can only access resources with AccountID 123456789012."},
		{arnOf(east, acct, "nope"), "ResourceNotFoundException", "The specified resource arn:aws:cloudtrail:us-east-1:123456789012:trail/nope is not found."},
		{"arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/abc", "ResourceNotFoundException", ""},
		{"arn:aws:s3:::bucket", "CloudTrailARNInvalidException", ""},
	} {
		e.fail("AddTags", &cloudtrail.AddTagsInput{ResourceId: tc.id, TagsList: []cloudtrail.Tag{{Key: "k"}}}, tc.code, tc.msg)
		e.fail("RemoveTags", &cloudtrail.RemoveTagsInput{ResourceId: tc.id, TagsList: []cloudtrail.Tag{{Key: "k"}}}, tc.code, tc.msg)
		e.fail("ListTags", &cloudtrail.ListTagsInput{ResourceIdList: []string{main, tc.id}}, tc.code, tc.msg)
	}
	e.fail("AddTags", &cloudtrail.AddTagsInput{ResourceId: main, TagsList: []cloudtrail.Tag{{Key: "aws:reserved", Value: sp("x")}}}, "InvalidTagParameterException", "")
	ids := make([]string, 21)
	for i := range ids {
		ids[i] = main
	}
	e.fail("ListTags", &cloudtrail.ListTagsInput{ResourceIdList: ids}, "InvalidParameterException", "")
	e.fail("ListTags", &cloudtrail.ListTagsInput{ResourceIdList: []string{main}, NextToken: sp("x")}, "InvalidTokenException", "")
	if got := list(ids[:20]...); len(got) != 20 {
		t.Fatalf("20 ARNs: %d results", len(got))
	}
}
