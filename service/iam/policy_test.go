package iam_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/service/iam"
)

func TestManagedPolicyVersions(t *testing.T) {
	e := newEnv(t)
	p := must[iam.CreatePolicyOutput](e, "CreatePolicy", &iam.CreatePolicyInput{
		PolicyName: "Readers", Path: sp("/team/"), PolicyDocument: allowS3, Description: sp("read"),
	}).Policy
	if p.Arn != "arn:aws:iam::"+acct+":policy/team/Readers" || !polIDRe.MatchString(p.PolicyId) || p.DefaultVersionId != "v1" ||
		!p.IsAttachable || p.AttachmentCount != 0 || p.Description != "read" {
		t.Fatalf("policy %+v", p)
	}
	e.fail("CreatePolicy", &iam.CreatePolicyInput{PolicyName: "readers", PolicyDocument: allowS3}, "EntityAlreadyExists", 409,
		"A policy called readers already exists. Duplicate names are not allowed.")
	e.fail("GetPolicy", &iam.GetPolicyInput{PolicyArn: "arn:aws:iam::" + acct + ":policy/Readers"}, "NoSuchEntity", 404,
		"Policy arn:aws:iam::"+acct+":policy/Readers was not found.") // wrong path
	e.fail("GetPolicy", &iam.GetPolicyInput{PolicyArn: "arn:aws:iam::" + acct + ":user/Readers"}, "InvalidInput", 400,
		"ARN arn:aws:iam::"+acct+":user/Readers is not valid.")

	v1 := must[iam.GetPolicyVersionOutput](e, "GetPolicyVersion", &iam.GetPolicyVersionInput{PolicyArn: p.Arn, VersionId: "v1"}).PolicyVersion
	if doc, _ := url.QueryUnescape(v1.Document); doc != allowS3 || !v1.IsDefaultVersion {
		t.Fatalf("v1 %+v", v1)
	}
	for i := 2; i <= 5; i++ {
		v := must[iam.CreatePolicyVersionOutput](e, "CreatePolicyVersion", &iam.CreatePolicyVersionInput{PolicyArn: p.Arn, PolicyDocument: allowIAM, SetAsDefault: i == 3}).PolicyVersion
		if v.VersionId != fmt.Sprint("v", i) || v.IsDefaultVersion != (i == 3) {
			t.Fatalf("version %+v", v)
		}
	}
	e.fail("CreatePolicyVersion", &iam.CreatePolicyVersionInput{PolicyArn: p.Arn, PolicyDocument: allowS3}, "LimitExceeded", 409,
		"A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.")
	if got := must[iam.GetPolicyOutput](e, "GetPolicy", &iam.GetPolicyInput{PolicyArn: p.Arn}).Policy; got.DefaultVersionId != "v3" {
		t.Fatalf("default %s", got.DefaultVersionId)
	}
	vs := must[iam.ListPolicyVersionsOutput](e, "ListPolicyVersions", &iam.ListPolicyVersionsInput{PolicyArn: p.Arn}).Versions
	if len(vs) != 5 || vs[0].VersionId != "v1" || !vs[2].IsDefaultVersion || vs[0].Document != "" {
		t.Fatalf("versions %+v", vs)
	}
	pg := must[iam.ListPolicyVersionsOutput](e, "ListPolicyVersions", &iam.ListPolicyVersionsInput{PolicyArn: p.Arn, MaxItems: i32(3)})
	pg2 := must[iam.ListPolicyVersionsOutput](e, "ListPolicyVersions", &iam.ListPolicyVersionsInput{PolicyArn: p.Arn, MaxItems: i32(3), Marker: pg.Marker})
	if !pg.IsTruncated || len(pg2.Versions) != 2 || pg2.Versions[0].VersionId != "v4" || pg2.IsTruncated {
		t.Fatalf("version pages %+v / %+v", pg, pg2)
	}

	e.fail("DeletePolicyVersion", &iam.DeletePolicyVersionInput{PolicyArn: p.Arn, VersionId: "v3"}, "DeleteConflict", 409, "Cannot delete the default version of a policy.")
	e.fail("DeletePolicyVersion", &iam.DeletePolicyVersionInput{PolicyArn: p.Arn, VersionId: "v9"}, "NoSuchEntity", 404, "")
	e.fail("SetDefaultPolicyVersion", &iam.SetDefaultPolicyVersionInput{PolicyArn: p.Arn, VersionId: "v9"}, "NoSuchEntity", 404, "")
	e.fail("GetPolicyVersion", &iam.GetPolicyVersionInput{PolicyArn: p.Arn, VersionId: "x1"}, "ValidationError", 400, "")
	must[iam.SetDefaultPolicyVersionOutput](e, "SetDefaultPolicyVersion", &iam.SetDefaultPolicyVersionInput{PolicyArn: p.Arn, VersionId: "v5"})
	for _, v := range []string{"v1", "v2", "v3"} {
		must[iam.DeletePolicyVersionOutput](e, "DeletePolicyVersion", &iam.DeletePolicyVersionInput{PolicyArn: p.Arn, VersionId: v})
	}
	e.fail("DeletePolicy", &iam.DeletePolicyInput{PolicyArn: p.Arn}, "DeleteConflict", 409,
		"This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.")
	// A new version after deletions takes the next number.
	if v := must[iam.CreatePolicyVersionOutput](e, "CreatePolicyVersion", &iam.CreatePolicyVersionInput{PolicyArn: p.Arn, PolicyDocument: allowS3}).PolicyVersion; v.VersionId != "v6" {
		t.Fatalf("next version %s", v.VersionId)
	}
	for _, v := range []string{"v4", "v6"} {
		must[iam.DeletePolicyVersionOutput](e, "DeletePolicyVersion", &iam.DeletePolicyVersionInput{PolicyArn: p.Arn, VersionId: v})
	}
	e.createUser("u")
	must[iam.AttachUserPolicyOutput](e, "AttachUserPolicy", &iam.AttachUserPolicyInput{UserName: "u", PolicyArn: p.Arn})
	e.fail("DeletePolicy", &iam.DeletePolicyInput{PolicyArn: p.Arn}, "DeleteConflict", 409, "Cannot delete a policy attached to entities.")
	must[iam.DetachUserPolicyOutput](e, "DetachUserPolicy", &iam.DetachUserPolicyInput{UserName: "u", PolicyArn: p.Arn})
	must[iam.DeletePolicyOutput](e, "DeletePolicy", &iam.DeletePolicyInput{PolicyArn: p.Arn})
	e.fail("GetPolicy", &iam.GetPolicyInput{PolicyArn: p.Arn}, "NoSuchEntity", 404, "Policy "+p.Arn+" was not found.")
}

func TestManagedPolicyDocumentChecks(t *testing.T) {
	e := newEnv(t)
	cases := []struct{ doc, msg string }{
		{"{not json", "Syntax errors in policy."},
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}`, "Policy document should not specify a principal."},
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*"}]}`, "Policy statement must contain resources."},
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Resource":"*"}]}`, "Policy statement must contain actions."},
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"getobject","Resource":"*"}]}`, "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."},
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Action":"s3:*","Resource":"*"}]}`, "Syntax errors in policy."},
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"bucket"}]}`, `Resource bucket must be in ARN format or "*".`},
		{`{"Version":"2001-01-01","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`, "Syntax errors in policy."},
	}
	for _, tc := range cases {
		e.fail("CreatePolicy", &iam.CreatePolicyInput{PolicyName: "p", PolicyDocument: tc.doc}, "MalformedPolicyDocument", 400, tc.msg)
	}
	e.fail("CreatePolicy", &iam.CreatePolicyInput{PolicyName: "p", PolicyDocument: "caf\u00e9 \U0001F600"}, "ValidationError", 400,
		"The specified value for policyDocument is invalid. It must contain only printable ASCII characters.")
	big := `{"Version":"2012-10-17","Statement":[{"Sid":"` + strings.Repeat("x", 6100) + `","Effect":"Allow","Action":"s3:*","Resource":"*"}]}`
	e.fail("CreatePolicy", &iam.CreatePolicyInput{PolicyName: "p", PolicyDocument: big}, "LimitExceeded", 409, "Cannot exceed quota for PolicySize: 6144")
	spaced := strings.ReplaceAll(allowS3, ",", ",\n"+strings.Repeat(" ", 2000))
	e.createPolicy("spaced", spaced) // white space is not counted
}

func TestListPolicies(t *testing.T) {
	e := newEnv(t)
	a := e.createPolicy("a", allowS3)
	must[iam.CreatePolicyOutput](e, "CreatePolicy", &iam.CreatePolicyInput{PolicyName: "b", Path: sp("/x/"), PolicyDocument: allowS3})
	e.createPolicy("c", allowS3)
	e.createUser("u")
	must[iam.AttachUserPolicyOutput](e, "AttachUserPolicy", &iam.AttachUserPolicyInput{UserName: "u", PolicyArn: a.Arn})

	names := func(in *iam.ListPoliciesInput) string {
		var n []string
		for _, p := range must[iam.ListPoliciesOutput](e, "ListPolicies", in).Policies {
			n = append(n, p.PolicyName)
		}
		return strings.Join(n, ",")
	}
	local := sp("Local")
	for in, want := range map[*iam.ListPoliciesInput]string{
		{Scope: local}:                         "a,b,c",
		{OnlyAttached: true}:                   "a",
		{PathPrefix: sp("/x/")}:                "b",
		{Scope: local, MaxItems: i32(2)}:       "a,b",
		{Scope: local, OnlyAttached: true}:     "a",
		{Scope: sp("AWS"), OnlyAttached: true}: "",
		{OnlyAttached: true, PolicyUsageFilter: sp("PermissionsBoundary")}: "",
	} {
		if got := names(in); got != want {
			t.Errorf("ListPolicies %+v = %q, want %q", in, got, want)
		}
	}
	out := must[iam.ListPoliciesOutput](e, "ListPolicies", &iam.ListPoliciesInput{Scope: local, MaxItems: i32(2)})
	rest := must[iam.ListPoliciesOutput](e, "ListPolicies", &iam.ListPoliciesInput{Scope: local, MaxItems: i32(2), Marker: out.Marker})
	if !out.IsTruncated || len(rest.Policies) != 1 || rest.Policies[0].PolicyName != "c" || rest.IsTruncated {
		t.Fatalf("pages %+v / %+v", out, rest)
	}
	if out.Policies[0].AttachmentCount != 1 {
		t.Fatalf("attachment count %+v", out.Policies[0])
	}
	e.fail("ListPolicies", &iam.ListPoliciesInput{Scope: sp("Mine")}, "ValidationError", 400,
		"1 validation error detected: Value 'Mine' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]")
}

func TestAttachDetach(t *testing.T) {
	e := newEnv(t)
	e.createUser("u")
	must[iam.CreateGroupOutput](e, "CreateGroup", &iam.CreateGroupInput{GroupName: "g"})
	must[iam.CreateRoleOutput](e, "CreateRole", &iam.CreateRoleInput{RoleName: "r", AssumeRolePolicyDocument: trustEC2})
	p := e.createPolicy("p", allowS3)
	q := must[iam.CreatePolicyOutput](e, "CreatePolicy", &iam.CreatePolicyInput{PolicyName: "q", Path: sp("/x/"), PolicyDocument: allowS3}).Policy

	type kind struct {
		attach, detach, list string
		attachIn             func(arn string) any
		detachIn             func(arn string) any
		listIn               func(prefix *string) any
		listed               func(out any) []iam.AttachedPolicy
	}
	kinds := []kind{
		{"AttachUserPolicy", "DetachUserPolicy", "ListAttachedUserPolicies",
			func(a string) any { return &iam.AttachUserPolicyInput{UserName: "u", PolicyArn: a} },
			func(a string) any { return &iam.DetachUserPolicyInput{UserName: "u", PolicyArn: a} },
			func(p *string) any { return &iam.ListAttachedUserPoliciesInput{UserName: "u", PathPrefix: p} },
			func(o any) []iam.AttachedPolicy { return o.(*iam.ListAttachedUserPoliciesOutput).AttachedPolicies }},
		{"AttachGroupPolicy", "DetachGroupPolicy", "ListAttachedGroupPolicies",
			func(a string) any { return &iam.AttachGroupPolicyInput{GroupName: "g", PolicyArn: a} },
			func(a string) any { return &iam.DetachGroupPolicyInput{GroupName: "g", PolicyArn: a} },
			func(p *string) any { return &iam.ListAttachedGroupPoliciesInput{GroupName: "g", PathPrefix: p} },
			func(o any) []iam.AttachedPolicy { return o.(*iam.ListAttachedGroupPoliciesOutput).AttachedPolicies }},
		{"AttachRolePolicy", "DetachRolePolicy", "ListAttachedRolePolicies",
			func(a string) any { return &iam.AttachRolePolicyInput{RoleName: "r", PolicyArn: a} },
			func(a string) any { return &iam.DetachRolePolicyInput{RoleName: "r", PolicyArn: a} },
			func(p *string) any { return &iam.ListAttachedRolePoliciesInput{RoleName: "r", PathPrefix: p} },
			func(o any) []iam.AttachedPolicy { return o.(*iam.ListAttachedRolePoliciesOutput).AttachedPolicies }},
	}
	count := func() int32 {
		return must[iam.GetPolicyOutput](e, "GetPolicy", &iam.GetPolicyInput{PolicyArn: p.Arn}).Policy.AttachmentCount
	}
	missing := "arn:aws:iam::" + acct + ":policy/missing"
	for i, k := range kinds {
		t.Run(k.attach, func(t *testing.T) {
			for _, arn := range []string{p.Arn, q.Arn, p.Arn} { // the repeat is a no-op
				if _, err := e.invoke(k.attach, k.attachIn(arn)); err != nil {
					t.Fatal(err)
				}
			}
			if c := count(); c != int32(i+1) {
				t.Fatalf("AttachmentCount %d, want %d", c, i+1)
			}
			out, err := e.invoke(k.list, k.listIn(nil))
			if err != nil {
				t.Fatal(err)
			}
			got := k.listed(out)
			if len(got) != 2 || got[0] != (iam.AttachedPolicy{PolicyName: "p", PolicyArn: p.Arn}) || got[1].PolicyName != "q" {
				t.Fatalf("attached %+v", got)
			}
			out, _ = e.invoke(k.list, k.listIn(sp("/x/")))
			if got := k.listed(out); len(got) != 1 || got[0].PolicyArn != q.Arn {
				t.Fatalf("attached under /x/ %+v", got)
			}
			_, err = e.invoke(k.attach, k.attachIn(missing))
			wantErr(t, err, "NoSuchEntity", 404, "Policy "+missing+" does not exist or is not attachable.")
			_, err = e.invoke(k.detach, k.detachIn(missing))
			wantErr(t, err, "NoSuchEntity", 404, "Policy "+missing+" was not found.")
			if _, err := e.invoke(k.detach, k.detachIn(q.Arn)); err != nil {
				t.Fatal(err)
			}
			_, err = e.invoke(k.detach, k.detachIn(q.Arn))
			wantErr(t, err, "NoSuchEntity", 404, "Policy "+q.Arn+" was not found.")
		})
	}
	// Another account's policy cannot be attached.
	foreign := "arn:aws:iam::210987654321:policy/p"
	e.fail("AttachUserPolicy", &iam.AttachUserPolicyInput{UserName: "u", PolicyArn: foreign}, "NoSuchEntity", 404, "")
	e.fail("AttachUserPolicy", &iam.AttachUserPolicyInput{UserName: "nobody", PolicyArn: p.Arn}, "NoSuchEntity", 404, "The user with name nobody cannot be found.")
	e.fail("AttachUserPolicy", &iam.AttachUserPolicyInput{UserName: "u", PolicyArn: "not-an-arn-at-all-xyz"}, "InvalidInput", 400, "ARN not-an-arn-at-all-xyz is not valid.")
	// Quota of ten managed policies per entity: r holds p, nine more fit.
	for i := 0; i < 9; i++ {
		pol := e.createPolicy(fmt.Sprint("extra", i), allowS3)
		must[iam.AttachRolePolicyOutput](e, "AttachRolePolicy", &iam.AttachRolePolicyInput{RoleName: "r", PolicyArn: pol.Arn})
	}
	out := must[iam.ListAttachedRolePoliciesOutput](e, "ListAttachedRolePolicies", &iam.ListAttachedRolePoliciesInput{RoleName: "r"})
	if len(out.AttachedPolicies) != 10 {
		t.Fatalf("role holds %d policies, want the quota of 10", len(out.AttachedPolicies))
	}
	last := e.createPolicy("one-too-many", allowS3)
	e.fail("AttachRolePolicy", &iam.AttachRolePolicyInput{RoleName: "r", PolicyArn: last.Arn}, "LimitExceeded", 409, "Cannot exceed quota for PoliciesPerRole: 10")
}

func TestInlinePolicies(t *testing.T) {
	e := newEnv(t)
	e.createUser("u")
	must[iam.CreateGroupOutput](e, "CreateGroup", &iam.CreateGroupInput{GroupName: "g"})
	must[iam.CreateRoleOutput](e, "CreateRole", &iam.CreateRoleInput{RoleName: "r", AssumeRolePolicyDocument: trustEC2})
	doc := `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::a+b/*"}]}`

	type ops struct {
		kind, entity string
		limit        int
		put          func(name, doc string) any
		get          func(name string) any
		del          func(name string) any
		list         func() any
	}
	all := []ops{
		{"User", "u", 2048,
			func(n, d string) any { return &iam.PutUserPolicyInput{UserName: "u", PolicyName: n, PolicyDocument: d} },
			func(n string) any { return &iam.GetUserPolicyInput{UserName: "u", PolicyName: n} },
			func(n string) any { return &iam.DeleteUserPolicyInput{UserName: "u", PolicyName: n} },
			func() any { return &iam.ListUserPoliciesInput{UserName: "u"} }},
		{"Group", "g", 5120,
			func(n, d string) any {
				return &iam.PutGroupPolicyInput{GroupName: "g", PolicyName: n, PolicyDocument: d}
			},
			func(n string) any { return &iam.GetGroupPolicyInput{GroupName: "g", PolicyName: n} },
			func(n string) any { return &iam.DeleteGroupPolicyInput{GroupName: "g", PolicyName: n} },
			func() any { return &iam.ListGroupPoliciesInput{GroupName: "g"} }},
		{"Role", "r", 10240,
			func(n, d string) any { return &iam.PutRolePolicyInput{RoleName: "r", PolicyName: n, PolicyDocument: d} },
			func(n string) any { return &iam.GetRolePolicyInput{RoleName: "r", PolicyName: n} },
			func(n string) any { return &iam.DeleteRolePolicyInput{RoleName: "r", PolicyName: n} },
			func() any { return &iam.ListRolePoliciesInput{RoleName: "r"} }},
	}
	for _, o := range all {
		t.Run(o.kind, func(t *testing.T) {
			call := func(op string, in any) any {
				t.Helper()
				out, err := e.invoke(op, in)
				if err != nil {
					t.Fatalf("%s: %v", op, err)
				}
				return out
			}
			call("Put"+o.kind+"Policy", o.put("Zeta", allowS3))
			call("Put"+o.kind+"Policy", o.put("alpha", doc))
			call("Put"+o.kind+"Policy", o.put("ZETA", allowIAM)) // replaces Zeta
			names := fmt.Sprint(call("List"+o.kind+"Policies", o.list()))
			if !strings.Contains(names, "[alpha ZETA]") || !strings.Contains(names, "false") {
				t.Fatalf("names %s", names)
			}
			got := fmt.Sprintf("%+v", call("Get"+o.kind+"Policy", o.get("ALPHA")))
			enc := encodeRFC3986(doc)
			if !strings.Contains(got, "PolicyName:alpha") || !strings.Contains(got, "PolicyDocument:"+enc) || !strings.Contains(got, "Name:"+o.entity) {
				t.Fatalf("get %s, want document %s", got, enc)
			}
			_, err := e.invoke("Get"+o.kind+"Policy", o.get("nope"))
			wantErr(t, err, "NoSuchEntity", 404, "The "+strings.ToLower(o.kind)+" policy with name nope cannot be found.")
			_, err = e.invoke("Put"+o.kind+"Policy", o.put("bad", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}`))
			wantErr(t, err, "MalformedPolicyDocument", 400, "Policy document should not specify a principal.")
			// The quota holds for the sum of the entity's inline policies.
			filler := func(n int) string {
				return `{"Version":"2012-10-17","Statement":[{"Sid":"` + strings.Repeat("x", n) + `","Effect":"Allow","Action":"s3:*","Resource":"*"}]}`
			}
			used := len(strings.Join(strings.Fields(allowIAM), "")) + len(strings.Join(strings.Fields(doc), ""))
			overhead := len(filler(0))
			call("Put"+o.kind+"Policy", o.put("fill", filler(o.limit-used-overhead))) // exactly at the limit
			_, err = e.invoke("Put"+o.kind+"Policy", o.put("more", filler(1)))
			wantErr(t, err, "LimitExceeded", 409, fmt.Sprintf("Maximum policy size of %d bytes exceeded for %s %s", o.limit, strings.ToLower(o.kind), o.entity))
			call("Delete"+o.kind+"Policy", o.del("fill"))
			call("Delete"+o.kind+"Policy", o.del("Alpha"))
			_, err = e.invoke("Delete"+o.kind+"Policy", o.del("alpha"))
			wantErr(t, err, "NoSuchEntity", 404, "")
		})
	}
	e.fail("PutUserPolicy", &iam.PutUserPolicyInput{UserName: "nobody", PolicyName: "p", PolicyDocument: "{bad"}, "NoSuchEntity", 404, "The user with name nobody cannot be found.")
}

// encodeRFC3986 is the encoding IAM uses for documents in responses.
func encodeRFC3986(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// Documents decode the same with Go's QueryUnescape and with botocore's
// urllib unquote (which keeps "+" as is, like PathUnescape).
func TestPolicyDocumentEncoding(t *testing.T) {
	e := newEnv(t)
	e.createUser("u")
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::a+b c/*"}]}`
	must[iam.PutUserPolicyOutput](e, "PutUserPolicy", &iam.PutUserPolicyInput{UserName: "u", PolicyName: "p", PolicyDocument: doc})
	enc := must[iam.GetUserPolicyOutput](e, "GetUserPolicy", &iam.GetUserPolicyInput{UserName: "u", PolicyName: "p"}).PolicyDocument
	if strings.ContainsAny(enc, "+ {}:\"") {
		t.Fatalf("not RFC 3986 encoded: %s", enc)
	}
	q, err1 := url.QueryUnescape(enc)
	p, err2 := url.PathUnescape(enc)
	if err1 != nil || err2 != nil || q != doc || p != doc {
		t.Fatalf("decoded %q / %q", q, p)
	}
}

func TestUserTags(t *testing.T) {
	e := newEnv(t)
	e.createUser("u")
	var tags []iam.Tag
	for i := 0; i < 50; i++ {
		tags = append(tags, iam.Tag{Key: fmt.Sprintf("k%02d", i), Value: "v"})
	}
	must[iam.TagUserOutput](e, "TagUser", &iam.TagUserInput{UserName: "u", Tags: tags[:30]})
	must[iam.TagUserOutput](e, "TagUser", &iam.TagUserInput{UserName: "u", Tags: tags[30:]})
	must[iam.TagUserOutput](e, "TagUser", &iam.TagUserInput{UserName: "u", Tags: []iam.Tag{{Key: "K00", Value: "new"}}}) // replaces k00
	e.fail("TagUser", &iam.TagUserInput{UserName: "u", Tags: []iam.Tag{{Key: "one-more", Value: "v"}}}, "LimitExceeded", 409, "Cannot exceed quota for TagsPerUser: 50")
	e.fail("TagUser", &iam.TagUserInput{UserName: "u"}, "ValidationError", 400, "")
	e.fail("TagUser", &iam.TagUserInput{UserName: "nobody", Tags: tags[:1]}, "NoSuchEntity", 404, "")

	first := must[iam.ListUserTagsOutput](e, "ListUserTags", &iam.ListUserTagsInput{UserName: "u", MaxItems: i32(40)})
	rest := must[iam.ListUserTagsOutput](e, "ListUserTags", &iam.ListUserTagsInput{UserName: "u", Marker: first.Marker})
	if len(first.Tags) != 40 || !first.IsTruncated || len(rest.Tags) != 10 || rest.IsTruncated ||
		first.Tags[0] != (iam.Tag{Key: "K00", Value: "new"}) || rest.Tags[9].Key != "k49" {
		t.Fatalf("tags %+v / %+v", first, rest)
	}
	must[iam.UntagUserOutput](e, "UntagUser", &iam.UntagUserInput{UserName: "u", TagKeys: []string{"k00", "k01"}})
	if n := len(must[iam.ListUserTagsOutput](e, "ListUserTags", &iam.ListUserTagsInput{UserName: "u"}).Tags); n != 48 {
		t.Fatalf("%d tags after untag", n)
	}
	if got := must[iam.GetUserOutput](e, "GetUser", &iam.GetUserInput{UserName: sp("u")}).User.Tags; len(got) != 48 {
		t.Fatalf("GetUser shows %d tags", len(got))
	}
}

func TestPoliciesFor(t *testing.T) {
	e := newEnv(t)
	boundary := e.createPolicy("boundary", allowIAM)
	u := must[iam.CreateUserOutput](e, "CreateUser", &iam.CreateUserInput{UserName: "u", PermissionsBoundary: &boundary.Arn}).User
	userPol := e.createPolicy("user-managed", allowS3)
	must[iam.CreatePolicyVersionOutput](e, "CreatePolicyVersion", &iam.CreatePolicyVersionInput{PolicyArn: userPol.Arn, PolicyDocument: `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}`, SetAsDefault: true})
	groupPol := e.createPolicy("group-managed", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:*","Resource":"*"}]}`)
	must[iam.PutUserPolicyOutput](e, "PutUserPolicy", &iam.PutUserPolicyInput{UserName: "u", PolicyName: "inline", PolicyDocument: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"}]}`})
	must[iam.AttachUserPolicyOutput](e, "AttachUserPolicy", &iam.AttachUserPolicyInput{UserName: "u", PolicyArn: userPol.Arn})
	must[iam.CreateGroupOutput](e, "CreateGroup", &iam.CreateGroupInput{GroupName: "g"})
	must[iam.AddUserToGroupOutput](e, "AddUserToGroup", &iam.AddUserToGroupInput{GroupName: "g", UserName: "u"})
	must[iam.PutGroupPolicyOutput](e, "PutGroupPolicy", &iam.PutGroupPolicyInput{GroupName: "g", PolicyName: "gi", PolicyDocument: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sns:*","Resource":"*"}]}`})
	must[iam.AttachGroupPolicyOutput](e, "AttachGroupPolicy", &iam.AttachGroupPolicyInput{GroupName: "g", PolicyArn: groupPol.Arn})

	docs, b, err := e.svc.PoliciesFor(t.Context(), e.userPrincipal(u))
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(docs, "\n")
	for _, want := range []string{"ec2:*", `"Effect":"Deny","Action":"s3:*"`, "sns:*", "sqs:*"} {
		if !strings.Contains(joined, want) {
			t.Errorf("policies for user lack %s: %s", want, joined)
		}
	}
	if len(docs) != 4 || strings.Contains(joined, "s3:GetObject") {
		t.Errorf("want 4 documents with the default version only, got %d: %s", len(docs), joined)
	}
	if b != allowIAM {
		t.Errorf("boundary %q", b)
	}

	r := must[iam.CreateRoleOutput](e, "CreateRole", &iam.CreateRoleInput{RoleName: "r", AssumeRolePolicyDocument: trustEC2}).Role
	must[iam.PutRolePolicyOutput](e, "PutRolePolicy", &iam.PutRolePolicyInput{RoleName: "r", PolicyName: "ri", PolicyDocument: allowS3})
	session := cairn.Principal{Type: cairn.PrincipalAssumedRole, AccountID: acct, ARN: "arn:aws:sts::" + acct + ":assumed-role/r/s", ID: r.RoleId + ":s",
		Session: &cairn.Session{Name: "s", Issuer: cairn.Issuer{Type: "Role", ID: r.RoleId, ARN: r.Arn, AccountID: acct, UserName: "r"}}}
	docs, b, err = e.svc.PoliciesFor(t.Context(), session)
	if err != nil || len(docs) != 1 || docs[0] != allowS3 || b != "" {
		t.Fatalf("role policies %v %q %v", docs, b, err)
	}
	if docs, _, err := e.svc.PoliciesFor(t.Context(), root()); err != nil || docs != nil {
		t.Fatalf("root policies %v %v", docs, err)
	}
	// A user deleted and recreated under the same name is another user.
	stale := e.userPrincipal(u)
	stale.ID = "AIDAOLDUSER0000000000"
	if docs, _, err := e.svc.PoliciesFor(t.Context(), stale); err != nil || docs != nil {
		t.Fatalf("stale principal policies %v %v", docs, err)
	}
}
