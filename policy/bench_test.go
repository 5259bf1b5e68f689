package policy

import (
	"fmt"
	"strings"
	"testing"
)

// benchInput is a principal with 10 attached policies of 10 statements
// each, every statement with conditions; the request is decided by the
// last statement of the last policy, so every statement is evaluated.
func benchInput(tb testing.TB) Input {
	var policies []*Policy
	for p := 0; p < 10; p++ {
		var stmts []string
		for s := 0; s < 10; s++ {
			action := fmt.Sprintf(`["cloudtrail:Get*","cloudtrail:Describe*","s3:List*","iam:Get%d*"]`, s)
			resource := `"arn:aws:cloudtrail:*:111122223333:trail/*"`
			effect := "Allow"
			if s == 3 {
				effect = "Deny" // a deny whose condition is false
			}
			if p == 9 && s == 9 {
				action = `"cloudtrail:CreateTrail"`
			}
			stmts = append(stmts, fmt.Sprintf(`{"Sid":"S%d%d","Effect":%q,"Action":%s,"Resource":%s,"Condition":{
				"StringEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1"],"aws:PrincipalTag/team":"${aws:PrincipalTag/team}"},
				"IpAddress":{"aws:SourceIp":["10.0.0.0/8","192.0.2.0/24"]},
				"Bool":{"aws:SecureTransport":"%t"},
				"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"},
				"StringLike":{"aws:userid":"*:${aws:username}"}}}`, p, s, effect, action, resource, s != 3))
		}
		pol := mustParse(tb, `{"Version":"2012-10-17","Statement":[`+strings.Join(stmts, ",")+`]}`, Identity)
		pol.Name = fmt.Sprintf("arn:aws:iam::111122223333:policy/p%d", p)
		policies = append(policies, pol)
	}
	req := Request{
		Action:    "cloudtrail:CreateTrail",
		Resource:  "arn:aws:cloudtrail:us-east-1:111122223333:trail/main",
		Principal: alice,
	}
	req.Set("aws:RequestedRegion", "us-east-1")
	req.Set("aws:PrincipalTag/team", "platform")
	req.Set("aws:SourceIp", "10.20.30.40")
	req.Set("aws:SecureTransport", "true")
	req.Set("aws:CurrentTime", "2026-07-01T12:00:00Z")
	req.Set("aws:userid", "AIDAEXAMPLE:alice")
	req.Set("aws:username", "alice")
	return Input{Request: req, Identity: policies}
}

func TestBenchInputDecides(t *testing.T) {
	d := Evaluate(benchInput(t))
	if !d.Allowed() || len(d.Statements) != 1 || d.Statements[0].Sid != "S99" {
		t.Fatalf("decision = %+v", d)
	}
}

func BenchmarkEvaluate10x10(b *testing.B) {
	in := benchInput(b)
	b.ReportAllocs()
	for b.Loop() {
		if !Evaluate(in).Allowed() {
			b.Fatal("denied")
		}
	}
}

func BenchmarkParse(b *testing.B) {
	doc := benchInput(b).Identity[0].Text
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(doc, Identity); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEvaluate10x10AllMatch is the worst case of the same principal:
// every statement's action and resource match, so all 100 statements
// evaluate all five condition operators (8 keys, 2 variables).
func BenchmarkEvaluate10x10AllMatch(b *testing.B) {
	in := benchInput(b)
	in.Request.Action = "cloudtrail:GetTrailStatus"
	if d := Evaluate(in); !d.Allowed() || len(d.Statements) != 89 {
		b.Fatalf("decision = %v with %d statements", d.Effect, len(d.Statements))
	}
	b.ReportAllocs()
	for b.Loop() {
		Evaluate(in)
	}
}
