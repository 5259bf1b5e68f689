package iam_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/cairnhq/cairn/policy"
	"github.com/cairnhq/cairn/service/iam"
)

// A document laid out over lines, to check statement positions.
const twoStatements = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadAll",
      "Effect": "Allow",
      "Action": "s3:*",
      "Resource": "*"
    },
    {"Sid": "NoDelete", "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}
  ]
}`

func custom(e *env, in *iam.SimulateCustomPolicyInput) []iam.EvaluationResult {
	e.t.Helper()
	return must[iam.SimulatePolicyOutput](e, "SimulateCustomPolicy", in).EvaluationResults
}

func pos(line, col int32) *iam.Position { return &iam.Position{Line: line, Column: col} }

func TestSimulateCustomPolicyDecisions(t *testing.T) {
	e := newEnv(t)
	res := custom(e, &iam.SimulateCustomPolicyInput{
		PolicyInputList: []string{twoStatements},
		ActionNames:     []string{"s3:GetObject", "s3:DeleteObject", "iam:CreateUser"},
	})
	if len(res) != 3 {
		t.Fatalf("%d results", len(res))
	}
	allowed, denied, implicit := res[0], res[1], res[2]
	if allowed.EvalActionName != "s3:GetObject" || allowed.EvalResourceName != "*" || allowed.EvalDecision != "allowed" {
		t.Fatalf("allowed %+v", allowed)
	}
	want := iam.Statement{SourcePolicyId: "PolicyInputList.1", SourcePolicyType: "none", StartPosition: pos(4, 5), EndPosition: pos(9, 5)}
	if len(allowed.MatchedStatements) != 1 || !sameStatement(allowed.MatchedStatements[0], want) {
		t.Fatalf("allowed by %+v", allowed.MatchedStatements)
	}
	// The explicit deny reports the Deny statement only.
	deny := `{"Sid": "NoDelete", "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}`
	want = iam.Statement{SourcePolicyId: "PolicyInputList.1", SourcePolicyType: "none", StartPosition: pos(10, 5), EndPosition: pos(10, int32(5+len(deny)-1))}
	if denied.EvalDecision != "explicitDeny" || len(denied.MatchedStatements) != 1 || !sameStatement(denied.MatchedStatements[0], want) {
		t.Fatalf("denied %+v", denied)
	}
	if implicit.EvalDecision != "implicitDeny" || len(implicit.MatchedStatements) != 0 || len(implicit.MissingContextValues) != 0 {
		t.Fatalf("implicit %+v", implicit)
	}
	for _, r := range res {
		if r.OrganizationsDecisionDetail != nil || r.PermissionsBoundaryDecisionDetail != nil || r.ResourceSpecificResults != nil {
			t.Fatalf("details without organizations or boundary: %+v", r)
		}
	}
}

func sameStatement(a, b iam.Statement) bool {
	return a.SourcePolicyId == b.SourcePolicyId && a.SourcePolicyType == b.SourcePolicyType &&
		a.StartPosition != nil && b.StartPosition != nil && *a.StartPosition == *b.StartPosition &&
		a.EndPosition != nil && b.EndPosition != nil && *a.EndPosition == *b.EndPosition
}

func entry(name, typ string, values ...string) iam.ContextEntry {
	return iam.ContextEntry{ContextKeyName: sp(name), ContextKeyType: sp(typ), ContextKeyValues: values}
}

// Context entries of every kind reach the conditions; keys the conditions
// read but the request lacks are reported as the policy spells them.
func TestSimulateContextEntries(t *testing.T) {
	e := newEnv(t)
	cond := func(op, key string, value any) string {
		return fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{%q:{%q:%s}}}]}`,
			op, key, mustJSON(value))
	}
	cases := []struct {
		name       string
		doc        string
		good, bad  iam.ContextEntry
		missingKey string
	}{
		{"string", cond("StringEquals", "s3:prefix", "home/"), entry("s3:prefix", "string", "home/"), entry("s3:prefix", "string", "etc/"), "s3:prefix"},
		{"stringList", cond("ForAnyValue:StringEquals", "aws:TagKeys", "team"), entry("aws:TagKeys", "stringList", "env", "team"), entry("aws:TagKeys", "stringList", "env"), "aws:TagKeys"},
		{"numeric", cond("NumericLessThanEquals", "s3:max-keys", "10"), entry("s3:max-keys", "numeric", "5"), entry("s3:max-keys", "numeric", "50"), "s3:max-keys"},
		{"numericList", cond("ForAllValues:NumericLessThan", "s3:max-keys", "10"), entry("s3:max-keys", "numericList", "1", "2"), entry("s3:max-keys", "numericList", "1", "20"), ""},
		{"boolean", cond("Bool", "aws:SecureTransport", "true"), entry("aws:SecureTransport", "boolean", "TRUE"), entry("aws:SecureTransport", "boolean", "false"), "aws:SecureTransport"},
		{"ip", cond("IpAddress", "aws:SourceIp", "10.0.0.0/8"), entry("aws:SourceIp", "ip", "10.1.2.3"), entry("aws:SourceIp", "ip", "192.0.2.1"), "aws:SourceIp"},
		{"ipList", cond("ForAnyValue:IpAddress", "aws:SourceIp", "2001:db8::/32"), entry("aws:SourceIp", "ipList", "192.0.2.1", "2001:db8::1"), entry("aws:SourceIp", "ipList", "192.0.2.1"), "aws:SourceIp"},
		{"date", cond("DateGreaterThan", "aws:CurrentTime", "2020-01-01T00:00:00Z"), entry("aws:CurrentTime", "date", "2025-03-01T12:00:00Z"), entry("aws:CurrentTime", "date", "2019-12-31T23:59:59Z"), "aws:CurrentTime"},
		{"dateList", cond("ForAllValues:DateLessThan", "aws:CurrentTime", "2030-01-01T00:00:00Z"), entry("aws:CurrentTime", "dateList", "2025-03-01T12:00:00Z", "2026-01-01T00:00:00Z"), entry("aws:CurrentTime", "dateList", "2031-01-01T00:00:00Z"), ""},
		{"binary", cond("BinaryEquals", "s3:x-amz-blob", "aGVsbG8="), entry("s3:x-amz-blob", "binary", "aGVsbG8="), entry("s3:x-amz-blob", "binary", "d29ybGQ="), "s3:x-amz-blob"},
		{"binaryList", cond("ForAnyValue:BinaryEquals", "s3:x-amz-blob", "aGVsbG8="), entry("s3:x-amz-blob", "binaryList", "d29ybGQ=", "aGVsbG8="), entry("s3:x-amz-blob", "binaryList", "d29ybGQ="), "s3:x-amz-blob"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			run := func(entries ...iam.ContextEntry) iam.EvaluationResult {
				return custom(e, &iam.SimulateCustomPolicyInput{PolicyInputList: []string{tc.doc}, ActionNames: []string{"s3:ListBucket"}, ContextEntries: entries})[0]
			}
			if r := run(tc.good); r.EvalDecision != "allowed" || len(r.MissingContextValues) != 0 {
				t.Errorf("good value: %+v", r)
			}
			if r := run(tc.bad); r.EvalDecision != "implicitDeny" {
				t.Errorf("bad value: %+v", r)
			}
			if tc.missingKey == "" {
				return
			}
			if r := run(); r.EvalDecision != "implicitDeny" || strings.Join(r.MissingContextValues, ",") != tc.missingKey {
				t.Errorf("no value: %+v", r)
			}
		})
	}
	// A policy variable is a context key too.
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::home/${aws:username}/*"}]}`
	r := custom(e, &iam.SimulateCustomPolicyInput{PolicyInputList: []string{doc}, ActionNames: []string{"s3:GetObject"}, ResourceArns: []string{"arn:aws:s3:::home/alice/notes"}})[0]
	if r.EvalDecision != "implicitDeny" || len(r.ResourceSpecificResults) != 1 || strings.Join(r.ResourceSpecificResults[0].MissingContextValues, ",") != "aws:username" {
		t.Fatalf("variable without value: %+v", r)
	}
	r = custom(e, &iam.SimulateCustomPolicyInput{PolicyInputList: []string{doc}, ActionNames: []string{"s3:GetObject"}, ResourceArns: []string{"arn:aws:s3:::home/alice/notes"},
		ContextEntries: []iam.ContextEntry{entry("aws:username", "string", "alice")}})[0]
	if r.EvalDecision != "allowed" {
		t.Fatalf("variable with value: %+v", r)
	}
	// For "*", named or by default, missing values stay with the result.
	ip := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}`
	r = custom(e, &iam.SimulateCustomPolicyInput{PolicyInputList: []string{ip}, ActionNames: []string{"s3:GetObject"}, ResourceArns: []string{"*"}})[0]
	if r.ResourceSpecificResults != nil || strings.Join(r.MissingContextValues, ",") != "aws:SourceIp" {
		t.Fatalf(`explicit "*": %+v`, r)
	}
}

func mustJSON(v any) string {
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("%q", x)
	}
	return fmt.Sprint(v)
}

func TestSimulateInputErrors(t *testing.T) {
	e := newEnv(t)
	base := func(mod func(*iam.SimulateCustomPolicyInput)) *iam.SimulateCustomPolicyInput {
		in := &iam.SimulateCustomPolicyInput{PolicyInputList: []string{allowS3}, ActionNames: []string{"s3:GetObject"}}
		mod(in)
		return in
	}
	cases := []struct {
		name string
		in   *iam.SimulateCustomPolicyInput
		code string
		msg  string
	}{
		{"no actions", base(func(in *iam.SimulateCustomPolicyInput) { in.ActionNames = nil }), "ValidationError",
			"1 validation error detected: Value at 'actionNames' failed to satisfy constraint: Member must not be null"},
		{"no policies", base(func(in *iam.SimulateCustomPolicyInput) { in.PolicyInputList = nil }), "ValidationError", ""},
		{"malformed policy", base(func(in *iam.SimulateCustomPolicyInput) { in.PolicyInputList = []string{"{bad"} }), "InvalidInput",
			"PolicyInputList.1: Syntax errors in policy."},
		{"two boundaries", base(func(in *iam.SimulateCustomPolicyInput) {
			in.PermissionsBoundaryPolicyInputList = []string{allowS3, allowS3}
		}), "InvalidInput", ""},
		{"bad key type", base(func(in *iam.SimulateCustomPolicyInput) {
			in.ContextEntries = []iam.ContextEntry{entry("aws:SourceIp", "cidr", "10.0.0.0/8")}
		}), "ValidationError", ""},
		{"bad ip", base(func(in *iam.SimulateCustomPolicyInput) {
			in.ContextEntries = []iam.ContextEntry{entry("aws:SourceIp", "ip", "10.0.0.300")}
		}), "InvalidInput", `Invalid value "10.0.0.300" for context key aws:SourceIp of type ip.`},
		{"bad number", base(func(in *iam.SimulateCustomPolicyInput) {
			in.ContextEntries = []iam.ContextEntry{entry("s3:max-keys", "numeric", "ten")}
		}), "InvalidInput", ""},
		{"two values for a scalar", base(func(in *iam.SimulateCustomPolicyInput) {
			in.ContextEntries = []iam.ContextEntry{entry("aws:username", "string", "a", "b")}
		}), "InvalidInput", ""},
		{"resource policy without caller", base(func(in *iam.SimulateCustomPolicyInput) {
			in.ResourcePolicy = sp(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}`)
		}), "InvalidInput", ""},
		{"caller not a user", base(func(in *iam.SimulateCustomPolicyInput) { in.CallerArn = sp("arn:aws:iam::" + acct + ":role/r") }), "InvalidInput", ""},
		{"bad marker", base(func(in *iam.SimulateCustomPolicyInput) { in.Marker = sp("bm90LWEtbWFya2Vy") }), "InvalidInput", "Invalid Marker."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.invoke("SimulateCustomPolicy", tc.in)
			status := 400
			wantErr(t, err, tc.code, status, tc.msg)
		})
	}
}

// Across accounts the resource policy must allow as well; in one account
// it grants on its own.
func TestSimulateResourcePolicy(t *testing.T) {
	e := newEnv(t)
	caller := "arn:aws:iam::" + acct + ":user/alice"
	bucket := `{"Version":"2012-10-17","Statement":[{"Sid":"Alice","Effect":"Allow","Principal":{"AWS":"` + caller + `"},"Action":"s3:GetObject","Resource":"*"}]}`
	none := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sns:Publish","Resource":"*"}]}`
	run := func(identity, resourcePolicy string, owner *string) iam.EvaluationResult {
		return custom(e, &iam.SimulateCustomPolicyInput{
			PolicyInputList: []string{identity}, ActionNames: []string{"s3:GetObject"}, ResourceArns: []string{"arn:aws:s3:::b/k"},
			ResourcePolicy: sp(resourcePolicy), ResourceOwner: owner, CallerArn: sp(caller),
		})[0]
	}
	r := run(none, bucket, nil)
	if r.EvalDecision != "allowed" || len(r.MatchedStatements) != 1 || r.MatchedStatements[0].SourcePolicyId != "ResourcePolicy" || r.MatchedStatements[0].SourcePolicyType != "resource" {
		t.Fatalf("same account, resource policy grants: %+v", r)
	}
	if r := run(none, bucket, sp(other)); r.EvalDecision != "implicitDeny" {
		t.Fatalf("cross-account without identity allow: %+v", r)
	}
	if r := run(allowS3, bucket, sp("arn:aws:iam::"+other+":root")); r.EvalDecision != "allowed" || len(r.MatchedStatements) != 2 {
		t.Fatalf("cross-account, both allow: %+v", r)
	}
	noGrant := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + other + `:root"},"Action":"s3:GetObject","Resource":"*"}]}`
	if r := run(allowS3, noGrant, sp(other)); r.EvalDecision != "implicitDeny" {
		t.Fatalf("cross-account, resource policy silent: %+v", r)
	}
}

func TestSimulateCustomBoundary(t *testing.T) {
	e := newEnv(t)
	boundary := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	res := custom(e, &iam.SimulateCustomPolicyInput{
		PolicyInputList:                    []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`},
		PermissionsBoundaryPolicyInputList: []string{boundary},
		ActionNames:                        []string{"s3:GetObject", "s3:PutObject"},
		ResourceArns:                       []string{"arn:aws:s3:::b/k"},
	})
	get, put := res[0], res[1]
	if get.EvalDecision != "allowed" || get.PermissionsBoundaryDecisionDetail == nil || !get.PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary {
		t.Fatalf("inside the boundary: %+v", get)
	}
	if put.EvalDecision != "implicitDeny" || put.PermissionsBoundaryDecisionDetail == nil || put.PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary {
		t.Fatalf("outside the boundary: %+v", put)
	}
	rs := put.ResourceSpecificResults
	if len(rs) != 1 || rs[0].EvalResourceName != "arn:aws:s3:::b/k" || rs[0].EvalResourceDecision != "implicitDeny" ||
		rs[0].PermissionsBoundaryDecisionDetail == nil || rs[0].PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary {
		t.Fatalf("resource-specific %+v", rs)
	}
}

func TestSimulatePaging(t *testing.T) {
	e := newEnv(t)
	in := &iam.SimulateCustomPolicyInput{PolicyInputList: []string{allowS3}, ActionNames: []string{"s3:GetObject", "s3:PutObject"},
		ResourceArns: []string{"arn:aws:s3:::a/1", "arn:aws:s3:::a/2"}, MaxItems: i32(3)}
	first := must[iam.SimulatePolicyOutput](e, "SimulateCustomPolicy", in)
	in.Marker = first.Marker
	rest := must[iam.SimulatePolicyOutput](e, "SimulateCustomPolicy", in)
	if len(first.EvaluationResults) != 3 || !first.IsTruncated || len(rest.EvaluationResults) != 1 || rest.IsTruncated {
		t.Fatalf("pages %+v / %+v", first, rest)
	}
	last := rest.EvaluationResults[0]
	if last.EvalActionName != "s3:PutObject" || last.EvalResourceName != "arn:aws:s3:::a/2" || last.EvalDecision != "implicitDeny" {
		t.Fatalf("last result %+v", last)
	}
}

// A user's simulation includes its groups' policies and its boundary, and
// reports which policy decided, with the statement's place in the document
// GetPolicyVersion returns.
func TestSimulatePrincipalPolicyUser(t *testing.T) {
	e := newEnv(t)
	u := must[iam.CreateUserOutput](e, "CreateUser", &iam.CreateUserInput{UserName: "alice", Path: sp("/eng/"),
		PermissionsBoundary: sp(awsARN("ReadOnlyAccess"))}).User
	must[iam.PutUserPolicyOutput](e, "PutUserPolicy", &iam.PutUserPolicyInput{UserName: "alice", PolicyName: "iam-admin", PolicyDocument: allowIAM})
	must[iam.CreateGroupOutput](e, "CreateGroup", &iam.CreateGroupInput{GroupName: "readers"})
	must[iam.AddUserToGroupOutput](e, "AddUserToGroup", &iam.AddUserToGroupInput{GroupName: "readers", UserName: "alice"})
	must[iam.AttachGroupPolicyOutput](e, "AttachGroupPolicy", &iam.AttachGroupPolicyInput{GroupName: "readers", PolicyArn: awsARN("AmazonS3ReadOnlyAccess")})
	deny := e.createPolicy("no-keys", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:ListAccessKeys","Resource":"*"}]}`)
	must[iam.AttachUserPolicyOutput](e, "AttachUserPolicy", &iam.AttachUserPolicyInput{UserName: "alice", PolicyArn: deny.Arn})

	out := must[iam.SimulatePolicyOutput](e, "SimulatePrincipalPolicy", &iam.SimulatePrincipalPolicyInput{
		PolicySourceArn: u.Arn,
		ActionNames:     []string{"iam:GetUser", "iam:CreateUser", "s3:GetObject", "iam:ListAccessKeys", "sns:Publish"},
	}).EvaluationResults
	byAction := map[string]iam.EvaluationResult{}
	for _, r := range out {
		byAction[r.EvalActionName] = r
	}
	get := byAction["iam:GetUser"]
	if get.EvalDecision != "allowed" || len(get.MatchedStatements) != 1 || get.MatchedStatements[0].SourcePolicyId != "iam-admin" ||
		get.MatchedStatements[0].SourcePolicyType != "user" || !get.PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary {
		t.Fatalf("iam:GetUser %+v", get)
	}
	create := byAction["iam:CreateUser"]
	if create.EvalDecision != "implicitDeny" || create.PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary {
		t.Fatalf("the boundary caps iam:CreateUser: %+v", create)
	}
	s3 := byAction["s3:GetObject"]
	if s3.EvalDecision != "allowed" || len(s3.MatchedStatements) != 1 {
		t.Fatalf("s3:GetObject %+v", s3)
	}
	m := s3.MatchedStatements[0]
	if m.SourcePolicyId != "AmazonS3ReadOnlyAccess" || m.SourcePolicyType != "aws-managed" {
		t.Fatalf("s3:GetObject decided by %+v", m)
	}
	v := must[iam.GetPolicyVersionOutput](e, "GetPolicyVersion", &iam.GetPolicyVersionInput{PolicyArn: awsARN("AmazonS3ReadOnlyAccess"), VersionId: "v3"}).PolicyVersion
	doc, _ := url.QueryUnescape(v.Document)
	lines := strings.Split(doc, "\n")
	start, end := lines[m.StartPosition.Line-1], lines[m.EndPosition.Line-1]
	if start[m.StartPosition.Column-1] != '{' || end[m.EndPosition.Column-1] != '}' || m.StartPosition.Line != 4 {
		t.Fatalf("positions %+v-%+v do not frame the statement in\n%s", m.StartPosition, m.EndPosition, doc)
	}
	keys := byAction["iam:ListAccessKeys"]
	if keys.EvalDecision != "explicitDeny" || len(keys.MatchedStatements) != 1 || keys.MatchedStatements[0].SourcePolicyId != "no-keys" ||
		keys.MatchedStatements[0].SourcePolicyType != "user-managed" {
		t.Fatalf("iam:ListAccessKeys %+v", keys)
	}
	if r := byAction["sns:Publish"]; r.EvalDecision != "implicitDeny" || r.OrganizationsDecisionDetail != nil {
		t.Fatalf("sns:Publish %+v", r)
	}

	// PolicyInputList adds to the user's policies; a boundary given in the
	// request replaces the user's.
	out = must[iam.SimulatePolicyOutput](e, "SimulatePrincipalPolicy", &iam.SimulatePrincipalPolicyInput{
		PolicySourceArn:                    u.Arn,
		PolicyInputList:                    []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sns:Publish","Resource":"*"}]}`},
		PermissionsBoundaryPolicyInputList: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sns:*","iam:CreateUser"],"Resource":"*"}]}`},
		ActionNames:                        []string{"sns:Publish", "iam:CreateUser", "s3:GetObject"},
	}).EvaluationResults
	if out[0].EvalDecision != "allowed" || out[0].MatchedStatements[0].SourcePolicyId != "PolicyInputList.1" ||
		out[1].EvalDecision != "allowed" || out[2].EvalDecision != "implicitDeny" {
		t.Fatalf("with inputs %+v", out)
	}
}

func TestSimulatePrincipalPolicyGroupAndRole(t *testing.T) {
	e := newEnv(t)
	g := must[iam.CreateGroupOutput](e, "CreateGroup", &iam.CreateGroupInput{GroupName: "g", Path: sp("/team/")}).Group
	must[iam.PutGroupPolicyOutput](e, "PutGroupPolicy", &iam.PutGroupPolicyInput{GroupName: "g", PolicyName: "gp", PolicyDocument: allowS3})
	r := must[iam.CreateRoleOutput](e, "CreateRole", &iam.CreateRoleInput{RoleName: "r", AssumeRolePolicyDocument: trustEC2}).Role
	must[iam.AttachRolePolicyOutput](e, "AttachRolePolicy", &iam.AttachRolePolicyInput{RoleName: "r", PolicyArn: awsARN("IAMReadOnlyAccess")})
	must[iam.PutRolePermissionsBoundaryOutput](e, "PutRolePermissionsBoundary", &iam.PutRolePermissionsBoundaryInput{RoleName: "r", PermissionsBoundary: awsARN("ReadOnlyAccess")})

	gr := must[iam.SimulatePolicyOutput](e, "SimulatePrincipalPolicy", &iam.SimulatePrincipalPolicyInput{PolicySourceArn: g.Arn, ActionNames: []string{"s3:GetObject"}}).EvaluationResults[0]
	if gr.EvalDecision != "allowed" || gr.MatchedStatements[0].SourcePolicyId != "gp" || gr.MatchedStatements[0].SourcePolicyType != "group" {
		t.Fatalf("group %+v", gr)
	}
	rr := must[iam.SimulatePolicyOutput](e, "SimulatePrincipalPolicy", &iam.SimulatePrincipalPolicyInput{PolicySourceArn: r.Arn, ActionNames: []string{"iam:ListUsers", "iam:CreateUser"}}).EvaluationResults
	if rr[0].EvalDecision != "allowed" || rr[0].MatchedStatements[0].SourcePolicyId != "IAMReadOnlyAccess" || !rr[0].PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary ||
		rr[1].EvalDecision != "implicitDeny" {
		t.Fatalf("role %+v", rr)
	}

	e.fail("SimulatePrincipalPolicy", &iam.SimulatePrincipalPolicyInput{PolicySourceArn: "arn:aws:iam::" + acct + ":user/nobody", ActionNames: []string{"s3:GetObject"}},
		"NoSuchEntity", 404, "The user with name nobody cannot be found.")
	e.fail("SimulatePrincipalPolicy", &iam.SimulatePrincipalPolicyInput{PolicySourceArn: "arn:aws:iam::" + acct + ":group/g", ActionNames: []string{"s3:GetObject"}},
		"NoSuchEntity", 404, "The group with name g cannot be found.") // wrong path
	e.fail("SimulatePrincipalPolicy", &iam.SimulatePrincipalPolicyInput{PolicySourceArn: "arn:aws:iam::" + other + ":role/r", ActionNames: []string{"s3:GetObject"}},
		"InvalidInput", 400, "Invalid ARN: arn:aws:iam::"+other+":role/r.")
	e.fail("SimulatePrincipalPolicy", &iam.SimulatePrincipalPolicyInput{PolicySourceArn: "arn:aws:iam::" + acct + ":policy/p", ActionNames: []string{"s3:GetObject"}},
		"InvalidInput", 400, "")
	e.fail("SimulatePrincipalPolicy", &iam.SimulatePrincipalPolicyInput{ActionNames: []string{"s3:GetObject"}}, "ValidationError", 400, "")
	if res := e.desc.Op("SimulatePrincipalPolicy").Resources(e.callAs(root()), &iam.SimulatePrincipalPolicyInput{PolicySourceArn: r.Arn}); len(res) != 1 ||
		res[0].ARN != r.Arn || res[0].Type != "AWS::IAM::Role" || res[0].Name != "r" {
		t.Fatalf("resources %+v", res)
	}
}

// fakeSCPs is the Organizations seam: the levels of SCPs per account.
type fakeSCPs struct {
	levels     map[string][][]string
	management string
}

func (f *fakeSCPs) SCPsFor(_ context.Context, account string) ([][]string, string, bool, error) {
	if account == f.management {
		return nil, "o-exampleorgid", true, nil
	}
	l, ok := f.levels[account]
	if !ok {
		return nil, "", false, nil
	}
	return l, "o-exampleorgid", false, nil
}

const fullAWSAccess = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`

func TestSimulateServiceControlPolicies(t *testing.T) {
	e := newEnv(t)
	noStop := `{"Version":"2012-10-17","Statement":[{"Sid":"NoStop","Effect":"Deny","Action":"cloudtrail:StopLogging","Resource":"*"}]}`
	onlyCT := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"cloudtrail:*","Resource":"*"}]}`
	scps := &fakeSCPs{levels: map[string][][]string{acct: {{fullAWSAccess}, {onlyCT, noStop}}}}
	e.svc.SetSCPSource(scps)
	u := e.createUser("admin")
	must[iam.AttachUserPolicyOutput](e, "AttachUserPolicy", &iam.AttachUserPolicyInput{UserName: "admin", PolicyArn: awsARN("AdministratorAccess")})
	sim := func() map[string]iam.EvaluationResult {
		out := must[iam.SimulatePolicyOutput](e, "SimulatePrincipalPolicy", &iam.SimulatePrincipalPolicyInput{
			PolicySourceArn: u.Arn, ActionNames: []string{"cloudtrail:DescribeTrails", "cloudtrail:StopLogging", "s3:GetObject"},
		}).EvaluationResults
		m := map[string]iam.EvaluationResult{}
		for _, r := range out {
			m[r.EvalActionName] = r
		}
		return m
	}
	m := sim()
	if r := m["cloudtrail:DescribeTrails"]; r.EvalDecision != "allowed" || r.OrganizationsDecisionDetail == nil || !r.OrganizationsDecisionDetail.AllowedByOrganizations {
		t.Fatalf("allowed by SCPs: %+v", r)
	}
	stop := m["cloudtrail:StopLogging"]
	if stop.EvalDecision != "explicitDeny" || stop.OrganizationsDecisionDetail.AllowedByOrganizations ||
		len(stop.MatchedStatements) != 1 || stop.MatchedStatements[0].SourcePolicyId != "ServiceControlPolicy.2.2" {
		t.Fatalf("denied by an SCP: %+v", stop)
	}
	if r := m["s3:GetObject"]; r.EvalDecision != "implicitDeny" || r.OrganizationsDecisionDetail.AllowedByOrganizations {
		t.Fatalf("not allowed at every level: %+v", r)
	}
	// SCPs never bind the management account.
	scps.management = acct
	for a, r := range sim() {
		if r.EvalDecision != "allowed" || !r.OrganizationsDecisionDetail.AllowedByOrganizations {
			t.Fatalf("management account, %s: %+v", a, r)
		}
	}
	// Outside an organization there is no Organizations detail.
	scps.management, scps.levels = "", nil
	for a, r := range sim() {
		if r.EvalDecision != "allowed" || r.OrganizationsDecisionDetail != nil {
			t.Fatalf("no organization, %s: %+v", a, r)
		}
	}
}

// The simulator and enforcement agree: its decision for a principal is
// policy.Evaluate's on the documents PoliciesFor returns.
func TestSimulatorAgreesWithEnforcement(t *testing.T) {
	e := newEnv(t)
	u := must[iam.CreateUserOutput](e, "CreateUser", &iam.CreateUserInput{UserName: "bob", PermissionsBoundary: sp(awsARN("AWSCloudTrail_FullAccess"))}).User
	must[iam.AttachUserPolicyOutput](e, "AttachUserPolicy", &iam.AttachUserPolicyInput{UserName: "bob", PolicyArn: awsARN("ReadOnlyAccess")})
	must[iam.PutUserPolicyOutput](e, "PutUserPolicy", &iam.PutUserPolicyInput{UserName: "bob", PolicyName: "p",
		PolicyDocument: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"cloudtrail:*","Resource":"*"},{"Effect":"Deny","Action":"cloudtrail:DeleteTrail","Resource":"*"}]}`})
	actions := []string{"cloudtrail:CreateTrail", "cloudtrail:DeleteTrail", "cloudtrail:LookupEvents", "s3:GetObject", "iam:ListUsers", "kms:Encrypt", "s3:ListAllMyBuckets"}
	docs, boundaryDoc, err := e.svc.PoliciesFor(t.Context(), e.userPrincipal(u))
	if err != nil {
		t.Fatal(err)
	}
	var identity []*policy.Policy
	for _, d := range docs {
		p, err := policy.Parse(d, policy.Identity)
		if err != nil {
			t.Fatal(err)
		}
		identity = append(identity, p)
	}
	boundary, err := policy.Parse(boundaryDoc, policy.Boundary)
	if err != nil {
		t.Fatal(err)
	}
	results := must[iam.SimulatePolicyOutput](e, "SimulatePrincipalPolicy", &iam.SimulatePrincipalPolicyInput{PolicySourceArn: u.Arn, ActionNames: actions}).EvaluationResults
	names := map[policy.Effect]string{policy.Allow: "allowed", policy.ExplicitDeny: "explicitDeny", policy.ImplicitDeny: "implicitDeny"}
	kinds := map[string]bool{}
	for i, a := range actions {
		d := policy.Evaluate(policy.Input{
			Request:  policy.Request{Action: a, Resource: "*", Principal: policy.Principal{Type: policy.PrincipalIAMUser, ARN: u.Arn, Account: acct}},
			Identity: identity, Boundary: boundary,
		})
		if results[i].EvalDecision != names[d.Effect] {
			t.Errorf("%s: simulator says %s, enforcement %s", a, results[i].EvalDecision, d.Effect)
		}
		kinds[results[i].EvalDecision] = true
	}
	if len(kinds) != 3 {
		t.Fatalf("the cases should cover all three decisions, got %v", kinds)
	}
}
