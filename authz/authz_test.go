package authz

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cairnhq/cairn"
)

type identities struct {
	docs     []string
	boundary string
	calls    int
}

func (f *identities) PoliciesFor(context.Context, cairn.Principal) ([]string, string, error) {
	f.calls++
	return f.docs, f.boundary, nil
}

type orgs struct {
	levels     [][]string
	orgID      string
	management bool
}

func (o orgs) SCPsFor(context.Context, string) ([][]string, string, bool, error) {
	return o.levels, o.orgID, o.management, nil
}

type createInput struct {
	UserName string
	Tags     []struct{ Key, Value string }
}

var alice = cairn.Principal{
	Type: cairn.PrincipalIAMUser, AccountID: "111122223333", ARN: "arn:aws:iam::111122223333:user/alice",
	ID: "AIDAEXAMPLE", UserName: "alice", Tags: map[string]string{"team": "audit"},
}

func call(p cairn.Principal) *cairn.Call {
	return &cairn.Call{Principal: p, Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Region: "eu-west-1",
		SourceIP: "192.0.2.7", UserAgent: "aws-cli/1.0", SecureTransport: true}
}

func op(action string) *cairn.Operation {
	return &cairn.Operation{Name: "X", Action: action, Resources: func(c *cairn.Call, in any) []cairn.Resource {
		return []cairn.Resource{{ARN: "arn:aws:iam::111122223333:user/" + in.(*createInput).UserName}}
	}}
}

func allow(cond string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"` + cond + `}]}`
}

func TestGlobalKeysDecide(t *testing.T) {
	cases := []struct {
		name, cond string
		allowed    bool
	}{
		{"no condition", "", true},
		{"source ip in range", `,"Condition":{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}`, true},
		{"source ip out of range", `,"Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, false},
		{"secure transport", `,"Condition":{"Bool":{"aws:SecureTransport":"true"}}`, true},
		{"requested region", `,"Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}`, false},
		{"principal tag", `,"Condition":{"StringEquals":{"aws:PrincipalTag/team":"audit"}}`, true},
		{"principal type", `,"Condition":{"StringEquals":{"aws:PrincipalType":"User"}}`, true},
		{"username variable", `,"Condition":{"StringEquals":{"aws:username":"${aws:username}"}}`, true},
		{"principal arn", `,"Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:user/*"}}`, true},
		{"current time", `,"Condition":{"DateGreaterThan":{"aws:CurrentTime":"2026-01-01T00:00:00Z"}}`, true},
		{"epoch time", `,"Condition":{"NumericLessThan":{"aws:EpochTime":"1700000000"}}`, false},
		{"org id", `,"Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}`, true},
		{"request tag", `,"Condition":{"StringEquals":{"aws:RequestTag/env":"prod"}}`, true},
		{"tag keys", `,"Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["env","owner"]}}`, true},
		{"mfa absent for long-term keys", `,"Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}`, false},
		{"mfa if exists", `,"Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}`, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := New(&identities{docs: []string{allow(c.cond)}}, orgs{orgID: "o-abc"})
			in := &createInput{UserName: "bob", Tags: []struct{ Key, Value string }{{"env", "prod"}, {"owner", "me"}}}
			err := a.Authorize(context.Background(), call(alice), op("iam:CreateUser"), in)
			if (err == nil) != c.allowed {
				t.Fatalf("allowed=%v, want %v (err %v)", err == nil, c.allowed, err)
			}
			if err != nil {
				e := cairn.AsError(err)
				want := "User: arn:aws:iam::111122223333:user/alice is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::111122223333:user/bob because no identity-based policy allows the iam:CreateUser action"
				if e == nil || e.Code != "AccessDenied" || e.Message != want {
					t.Fatalf("denial %v", err)
				}
			}
		})
	}
}

func TestRootAndSCPs(t *testing.T) {
	root := cairn.Principal{Type: cairn.PrincipalRoot, AccountID: "111122223333", ARN: "arn:aws:iam::111122223333:root", ID: "111122223333"}
	deny := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:CreateUser","Resource":"*"}]}`
	full := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	in := &createInput{UserName: "bob"}
	a := New(&identities{}, orgs{})
	if err := a.Authorize(context.Background(), call(root), op("iam:CreateUser"), in); err != nil {
		t.Fatalf("root outside an organization: %v", err)
	}
	a = New(&identities{}, orgs{levels: [][]string{{full}, {full, deny}}, orgID: "o-abc"})
	err := a.Authorize(context.Background(), call(root), op("iam:CreateUser"), in)
	if err == nil || !strings.HasSuffix(err.Error(), "with an explicit deny in a service control policy") {
		t.Fatalf("member root under a denying SCP: %v", err)
	}
	a = New(&identities{}, orgs{levels: [][]string{{full, deny}}, orgID: "o-abc", management: true})
	if err := a.Authorize(context.Background(), call(root), op("iam:CreateUser"), in); err != nil {
		t.Fatalf("management root: %v", err)
	}
}

func TestResourcePolicyAndMoreActions(t *testing.T) {
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"sts:AssumeRole",
		"Condition":{"StringEquals":{"sts:ExternalId":"x"}}}]}`
	o := &cairn.Operation{Action: "sts:AssumeRole",
		Resources: func(*cairn.Call, any) []cairn.Resource {
			return []cairn.Resource{{ARN: "arn:aws:iam::444455556666:role/R"}}
		},
		Target: func(context.Context, *cairn.Call, any) (*cairn.Target, error) {
			return &cairn.Target{Policy: trust, Account: "444455556666", PolicyRequired: true, Trust: true}, nil
		},
		Conditions: func(*cairn.Call, any) map[string][]string { return map[string][]string{"sts:ExternalId": {"x"}} },
	}
	ids := &identities{docs: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`}}
	a := New(ids, nil)
	if err := a.Authorize(context.Background(), call(alice), o, &createInput{}); err != nil {
		t.Fatalf("cross-account assume with both sides: %v", err)
	}
	o.MoreActions = func(*cairn.Call, any) []string { return []string{"sts:TagSession"} }
	err := a.Authorize(context.Background(), call(alice), o, &createInput{})
	if err == nil || !strings.Contains(err.Error(), "sts:TagSession") {
		t.Fatalf("TagSession not allowed by the trust policy: %v", err)
	}
}

func TestPoliciesParsedOnce(t *testing.T) {
	ids := &identities{docs: []string{allow("")}}
	a := New(ids, nil)
	for i := 0; i < 5; i++ {
		if err := a.Authorize(context.Background(), call(alice), op("iam:CreateUser"), &createInput{UserName: "b"}); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(a.cache.m); n != 1 {
		t.Fatalf("%d parsed policies cached, want 1", n)
	}
}

// BenchmarkAuthorize10x10 is the figure: one authorization decision
// for a user with 10 attached policies of 10 statements each, conditions
// included, through the whole authorize step (context keys, cached parsed
// policies, evaluation).
func BenchmarkAuthorize10x10(b *testing.B) {
	var docs []string
	for p := 0; p < 10; p++ {
		var stmts []string
		for s := 0; s < 10; s++ {
			stmts = append(stmts, fmt.Sprintf(`{"Sid":"S%d","Effect":"Allow","Action":["s3:Get%d*","kms:Describe%d"],"Resource":"arn:aws:s3:::bucket-%d/${aws:username}/*",
				"Condition":{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"},"StringEquals":{"aws:PrincipalTag/team":"audit"},"Bool":{"aws:SecureTransport":"true"}}}`, s, p, s, p))
		}
		stmts[9] = `{"Sid":"Users","Effect":"Allow","Action":"iam:CreateUser","Resource":"arn:aws:iam::111122223333:user/*",
			"Condition":{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"},"StringEquals":{"aws:PrincipalTag/team":"audit"},"DateGreaterThan":{"aws:CurrentTime":"2025-01-01T00:00:00Z"}}}`
		docs = append(docs, `{"Version":"2012-10-17","Statement":[`+strings.Join(stmts, ",")+`]}`)
	}
	a := New(&identities{docs: docs}, orgs{})
	c, o, in := call(alice), op("iam:CreateUser"), &createInput{UserName: "bob"}
	if err := a.Authorize(context.Background(), c, o, in); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := a.Authorize(context.Background(), c, o, in); err != nil {
			b.Fatal(err)
		}
	}
}
