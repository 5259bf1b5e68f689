package awsquery_test

import (
	"io"
	"net/url"
	"testing"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/awsquery"
)

var benchUser = &GetUserOutput{User: User{
	Path: "/", UserName: "alice", UserId: "AIDAJQABLZS4A3QDU576Q", Arn: "arn:aws:iam::123456789012:user/alice",
	CreateDate: time.Date(2024, 3, 1, 12, 30, 45, 0, time.UTC), Tags: []Tag{{"team", "eng"}, {"env", "prod"}},
}}

func BenchmarkEncodeGetUser(b *testing.B) {
	var c awsquery.Codec
	b.ReportAllocs()
	for b.Loop() {
		if err := c.EncodeResponse(io.Discard, "GetUser", iamNS, "c0ffee00-0000-4000-8000-000000000001", benchUser, awsquery.Naming{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeGetCallerIdentity(b *testing.B) {
	var c awsquery.Codec
	out := &GetCallerIdentityOutput{UserId: "AIDAJQABLZS4A3QDU576Q", Account: "123456789012", Arn: "arn:aws:iam::123456789012:user/alice"}
	b.ReportAllocs()
	for b.Loop() {
		if err := c.EncodeResponse(io.Discard, "GetCallerIdentity", stsNS, "c0ffee00-0000-4000-8000-000000000001", out, awsquery.Naming{}); err != nil {
			b.Fatal(err)
		}
	}
}

var benchCreateUser = url.Values{
	"Action": {"CreateUser"}, "Version": {"2010-05-08"}, "UserName": {"carol"}, "Path": {"/eng/"},
	"Tags.member.1.Key": {"team"}, "Tags.member.1.Value": {"eng"}, "Tags.member.2.Key": {"env"}, "Tags.member.2.Value": {"prod"},
}

func BenchmarkDecodeCreateUser(b *testing.B) {
	var c awsquery.Codec
	b.ReportAllocs()
	for b.Loop() {
		var in CreateUserInput
		if err := c.Decode(benchCreateUser, &in, awsquery.Naming{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeError(b *testing.B) {
	e := &cairn.Error{Code: "NoSuchEntity", Message: "The user with name alice cannot be found.", Status: 404}
	b.ReportAllocs()
	for b.Loop() {
		awsquery.EncodeError(io.Discard, iamNS, e, "c0ffee00-0000-4000-8000-000000000001")
	}
}
