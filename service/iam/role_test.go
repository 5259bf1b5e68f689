package iam_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/cairnhq/cairn/service/iam"
)

func TestRoles(t *testing.T) {
	e := newEnv(t)
	r := must[iam.CreateRoleOutput](e, "CreateRole", &iam.CreateRoleInput{
		RoleName: "Deployer", Path: sp("/svc/"), AssumeRolePolicyDocument: trustEC2,
		Description: sp("deploys"), MaxSessionDuration: i32(7200), Tags: []iam.Tag{{Key: "env", Value: "prod"}},
	}).Role
	if r.RoleName != "Deployer" || r.Arn != "arn:aws:iam::"+acct+":role/svc/Deployer" || !roleIDRe.MatchString(r.RoleId) ||
		r.MaxSessionDuration != 7200 || r.Description != "deploys" || len(r.Tags) != 1 {
		t.Fatalf("role %+v", r)
	}
	if doc, err := url.QueryUnescape(r.AssumeRolePolicyDocument); err != nil || doc != trustEC2 {
		t.Fatalf("encoded trust policy %q", r.AssumeRolePolicyDocument)
	}
	e.fail("CreateRole", &iam.CreateRoleInput{RoleName: "deployer", AssumeRolePolicyDocument: trustEC2}, "EntityAlreadyExists", 409, "Role with name deployer already exists.")

	got := must[iam.GetRoleOutput](e, "GetRole", &iam.GetRoleInput{RoleName: "DEPLOYER"}).Role
	if got.RoleId != r.RoleId || got.RoleLastUsed == nil || got.Tags[0].Value != "prod" {
		t.Fatalf("GetRole %+v", got)
	}
	d := must[iam.CreateRoleOutput](e, "CreateRole", &iam.CreateRoleInput{RoleName: "default", AssumeRolePolicyDocument: trustRoot}).Role
	if d.MaxSessionDuration != 3600 || d.Path != "/" {
		t.Fatalf("defaults %+v", d)
	}
	list := must[iam.ListRolesOutput](e, "ListRoles", &iam.ListRolesInput{PathPrefix: sp("/svc/")})
	if len(list.Roles) != 1 || list.Roles[0].RoleName != "Deployer" || list.Roles[0].Tags != nil || list.Roles[0].RoleLastUsed != nil {
		t.Fatalf("ListRoles %+v", list)
	}

	must[iam.UpdateAssumeRolePolicyOutput](e, "UpdateAssumeRolePolicy", &iam.UpdateAssumeRolePolicyInput{RoleName: "deployer", PolicyDocument: trustRoot})
	must[iam.UpdateRoleOutput](e, "UpdateRole", &iam.UpdateRoleInput{RoleName: "deployer", Description: sp("new"), MaxSessionDuration: i32(43200)})
	got = must[iam.GetRoleOutput](e, "GetRole", &iam.GetRoleInput{RoleName: "deployer"}).Role
	if doc, _ := url.QueryUnescape(got.AssumeRolePolicyDocument); doc != trustRoot || got.Description != "new" || got.MaxSessionDuration != 43200 {
		t.Fatalf("updated role %+v", got)
	}
	e.fail("UpdateRole", &iam.UpdateRoleInput{RoleName: "nope"}, "NoSuchEntity", 404, "The role with name nope cannot be found.")

	must[iam.PutRolePolicyOutput](e, "PutRolePolicy", &iam.PutRolePolicyInput{RoleName: "deployer", PolicyName: "p", PolicyDocument: allowS3})
	e.fail("DeleteRole", &iam.DeleteRoleInput{RoleName: "deployer"}, "DeleteConflict", 409, "Cannot delete entity, must delete policies first.")
	must[iam.DeleteRolePolicyOutput](e, "DeleteRolePolicy", &iam.DeleteRolePolicyInput{RoleName: "deployer", PolicyName: "p"})
	pol := e.createPolicy("pol", allowS3)
	must[iam.AttachRolePolicyOutput](e, "AttachRolePolicy", &iam.AttachRolePolicyInput{RoleName: "deployer", PolicyArn: pol.Arn})
	e.fail("DeleteRole", &iam.DeleteRoleInput{RoleName: "deployer"}, "DeleteConflict", 409, "Cannot delete entity, must detach all policies first.")
	must[iam.DetachRolePolicyOutput](e, "DetachRolePolicy", &iam.DetachRolePolicyInput{RoleName: "deployer", PolicyArn: pol.Arn})
	must[iam.DeleteRoleOutput](e, "DeleteRole", &iam.DeleteRoleInput{RoleName: "deployer"})
	e.fail("GetRole", &iam.GetRoleInput{RoleName: "deployer"}, "NoSuchEntity", 404, "The role with name deployer cannot be found.")
}

func TestRoleValidation(t *testing.T) {
	e := newEnv(t)
	create := func(doc string, mod func(*iam.CreateRoleInput)) *iam.CreateRoleInput {
		in := &iam.CreateRoleInput{RoleName: "r", AssumeRolePolicyDocument: doc}
		if mod != nil {
			mod(in)
		}
		return in
	}
	cases := []struct {
		name   string
		in     *iam.CreateRoleInput
		code   string
		status int
		msg    string
	}{
		{"missing document", create("", nil), "ValidationError", 400, "1 validation error detected: Value at 'assumeRolePolicyDocument' failed to satisfy constraint: Member must not be null"},
		{"invalid json", create("{invalid", nil), "MalformedPolicyDocument", 400, ""}, // wording is the policy package's
		{"empty statement", create(`{"Version":"2012-10-17","Statement":[]}`, nil), "MalformedPolicyDocument", 400, ""},
		{"no principal", create(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}`, nil), "MalformedPolicyDocument", 400, "Missing required field Principal"},
		{"resource", create(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Resource":"*"}]}`, nil), "MalformedPolicyDocument", 400, "Has prohibited field Resource"},
		{"non-sts action", create(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject"}]}`, nil), "MalformedPolicyDocument", 400, "AssumeRole policy may only specify STS AssumeRole actions."},
		{"too large", create(`{"Version":"2012-10-17","Statement":[{"Sid":"`+strings.Repeat("x", 2000)+`","Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}`, nil), "LimitExceeded", 409, "Cannot exceed quota for ACLSizePerRole: 2048"},
		{"session too short", create(trustEC2, func(in *iam.CreateRoleInput) { in.MaxSessionDuration = i32(3599) }), "ValidationError", 400, "1 validation error detected: Value '3599' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600"},
		{"session too long", create(trustEC2, func(in *iam.CreateRoleInput) { in.MaxSessionDuration = i32(43201) }), "ValidationError", 400, "1 validation error detected: Value '43201' at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200"},
		{"name too long", create(trustEC2, func(in *iam.CreateRoleInput) { in.RoleName = strings.Repeat("r", 65) }), "ValidationError", 400, "1 validation error detected: Value at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64"},
		{"description", create(trustEC2, func(in *iam.CreateRoleInput) { in.Description = sp("emoji \U0001F600") }), "ValidationError", 400, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.invoke("CreateRole", tc.in)
			wantErr(t, err, tc.code, tc.status, tc.msg)
		})
	}
	// White space does not count against the quota.
	spaced := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}` + strings.Repeat(" ", 3000)
	must[iam.CreateRoleOutput](e, "CreateRole", create(spaced, nil))
	e.fail("UpdateAssumeRolePolicy", &iam.UpdateAssumeRolePolicyInput{RoleName: "r", PolicyDocument: allowS3}, "MalformedPolicyDocument", 400, "")
	e.fail("UpdateAssumeRolePolicy", &iam.UpdateAssumeRolePolicyInput{RoleName: "nope", PolicyDocument: "{bad"}, "NoSuchEntity", 404, "")
}

func TestRoleTags(t *testing.T) {
	e := newEnv(t)
	must[iam.CreateRoleOutput](e, "CreateRole", &iam.CreateRoleInput{RoleName: "r", AssumeRolePolicyDocument: trustEC2})
	must[iam.TagRoleOutput](e, "TagRole", &iam.TagRoleInput{RoleName: "r", Tags: []iam.Tag{{Key: "b", Value: "1"}, {Key: "a", Value: "2"}}})
	must[iam.TagRoleOutput](e, "TagRole", &iam.TagRoleInput{RoleName: "r", Tags: []iam.Tag{{Key: "B", Value: "3"}}})
	tags := must[iam.ListRoleTagsOutput](e, "ListRoleTags", &iam.ListRoleTagsInput{RoleName: "r"}).Tags
	if len(tags) != 2 || tags[0] != (iam.Tag{Key: "a", Value: "2"}) || tags[1] != (iam.Tag{Key: "B", Value: "3"}) {
		t.Fatalf("role tags %+v", tags)
	}
	must[iam.UntagRoleOutput](e, "UntagRole", &iam.UntagRoleInput{RoleName: "r", TagKeys: []string{"a", "missing"}})
	tags = must[iam.ListRoleTagsOutput](e, "ListRoleTags", &iam.ListRoleTagsInput{RoleName: "r"}).Tags
	if len(tags) != 1 || tags[0].Key != "B" {
		t.Fatalf("after untag %+v", tags)
	}
	e.fail("TagRole", &iam.TagRoleInput{RoleName: "nope", Tags: []iam.Tag{{Key: "a", Value: "b"}}}, "NoSuchEntity", 404, "")
}
