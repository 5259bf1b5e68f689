package policy

import (
	"errors"
	"testing"
)

// FuzzParse checks that Parse is total: for any input it returns either a
// policy or a *ValidationError, never both, never neither, never a panic;
// and that a policy it accepts can be evaluated. Seeds live in
// testdata/fuzz/FuzzParse; the validation tables are added as well.
func FuzzParse(f *testing.F) {
	for _, tc := range invalidCases {
		f.Add(tc.doc, int(tc.kind))
	}
	for _, tc := range validCases {
		f.Add(tc.doc, int(tc.kind))
	}
	requests := []Request{
		{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/alice/k", Principal: alice,
			Context: map[string][]string{"aws:username": {"alice"}, "s3:prefix": {"home/alice/x"}, "aws:sourceip": {"10.1.2.3"},
				"aws:currenttime": {"2026-01-01T00:00:00Z"}, "aws:tagkeys": {"env", "team"}, "aws:securetransport": {"true"}}},
		{Action: "sts:AssumeRole", Resource: roleARN, Principal: sess},
		{Action: "iam:CreateUser", Resource: "*", Principal: anon},
		{Action: "s3:PutObject", Resource: "not-an-arn", Principal: trail},
	}
	f.Fuzz(func(t *testing.T, doc string, kind int) {
		k := Kind(kind)
		p, err := Parse(doc, k)
		if (p == nil) == (err == nil) {
			t.Fatalf("Parse returned policy %v and error %v", p, err)
		}
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("error %T is not a *ValidationError", err)
			}
			if ve.Message == "" || ve.Reason == 0 {
				t.Fatalf("empty validation error %+v", ve)
			}
			return
		}
		if p.Text != doc || p.Kind != k || len(p.Statements) == 0 {
			t.Fatalf("policy %+v", p)
		}
		for _, r := range requests {
			var d Decision
			switch k {
			case Resource, Trust:
				d = Evaluate(Input{Request: r, ResourcePolicy: p, ResourcePolicyRequired: k == Trust})
			case SCP:
				d = Evaluate(Input{Request: r, Identity: []*Policy{p}, SCPs: [][]*Policy{{p}}})
			default:
				d = Evaluate(Input{Request: r, Identity: []*Policy{p}, Boundary: p, Session: []*Policy{p}})
			}
			if d.Effect != Allow && d.Message(r.Principal.ARN, r.Action, r.Resource) == "" {
				t.Fatalf("a denial without a message: %+v", d)
			}
		}
	})
}
