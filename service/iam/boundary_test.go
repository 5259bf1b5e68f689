package iam_test

import (
	"testing"

	"github.com/cairnhq/cairn/service/iam"
)

func TestPermissionsBoundaries(t *testing.T) {
	e := newEnv(t)
	e.createUser("u")
	must[iam.CreateRoleOutput](e, "CreateRole", &iam.CreateRoleInput{RoleName: "r", AssumeRolePolicyDocument: trustEC2})
	bound := e.createPolicy("cap", allowS3)
	aws := awsARN("ReadOnlyAccess")
	uses := func(arn string) int32 {
		t.Helper()
		return must[iam.GetPolicyOutput](e, "GetPolicy", &iam.GetPolicyInput{PolicyArn: arn}).Policy.PermissionsBoundaryUsageCount
	}
	userBoundary := func() *iam.AttachedPermissionsBoundary {
		return must[iam.GetUserOutput](e, "GetUser", &iam.GetUserInput{UserName: sp("u")}).User.PermissionsBoundary
	}
	roleBoundary := func() *iam.AttachedPermissionsBoundary {
		return must[iam.GetRoleOutput](e, "GetRole", &iam.GetRoleInput{RoleName: "r"}).Role.PermissionsBoundary
	}

	must[iam.PutUserPermissionsBoundaryOutput](e, "PutUserPermissionsBoundary", &iam.PutUserPermissionsBoundaryInput{UserName: "U", PermissionsBoundary: bound.Arn})
	must[iam.PutUserPermissionsBoundaryOutput](e, "PutUserPermissionsBoundary", &iam.PutUserPermissionsBoundaryInput{UserName: "u", PermissionsBoundary: bound.Arn}) // same: no second use
	if b := userBoundary(); b == nil || *b != (iam.AttachedPermissionsBoundary{PermissionsBoundaryType: "PermissionsBoundaryPolicy", PermissionsBoundaryArn: bound.Arn}) {
		t.Fatalf("user boundary %+v", b)
	}
	must[iam.PutRolePermissionsBoundaryOutput](e, "PutRolePermissionsBoundary", &iam.PutRolePermissionsBoundaryInput{RoleName: "r", PermissionsBoundary: bound.Arn})
	if b := roleBoundary(); b == nil || b.PermissionsBoundaryArn != bound.Arn || b.PermissionsBoundaryType != "PermissionsBoundaryPolicy" {
		t.Fatalf("role boundary %+v", b)
	}
	if n := uses(bound.Arn); n != 2 {
		t.Fatalf("boundary uses %d, want 2", n)
	}
	if list := must[iam.ListRolesOutput](e, "ListRoles", &iam.ListRolesInput{}).Roles; list[0].PermissionsBoundary != nil {
		t.Fatalf("ListRoles shows the boundary, as IAM does not")
	}
	listed := must[iam.ListPoliciesOutput](e, "ListPolicies", &iam.ListPoliciesInput{OnlyAttached: true, PolicyUsageFilter: sp("PermissionsBoundary")}).Policies
	if len(listed) != 1 || listed[0].Arn != bound.Arn {
		t.Fatalf("policies used as boundaries %+v", listed)
	}
	e.fail("DeletePolicy", &iam.DeletePolicyInput{PolicyArn: bound.Arn}, "DeleteConflict", 409, "Cannot delete a policy attached to entities.")

	// Replacing moves the use; an AWS managed policy may bound too.
	must[iam.PutUserPermissionsBoundaryOutput](e, "PutUserPermissionsBoundary", &iam.PutUserPermissionsBoundaryInput{UserName: "u", PermissionsBoundary: aws})
	if uses(bound.Arn) != 1 || uses(aws) != 1 || userBoundary().PermissionsBoundaryArn != aws {
		t.Fatalf("after replace: bound %d, aws %d, user %+v", uses(bound.Arn), uses(aws), userBoundary())
	}
	must[iam.DeleteRolePermissionsBoundaryOutput](e, "DeleteRolePermissionsBoundary", &iam.DeleteRolePermissionsBoundaryInput{RoleName: "r"})
	must[iam.DeleteRolePermissionsBoundaryOutput](e, "DeleteRolePermissionsBoundary", &iam.DeleteRolePermissionsBoundaryInput{RoleName: "r"}) // none left: no-op
	if roleBoundary() != nil || uses(bound.Arn) != 0 {
		t.Fatalf("after delete: role %+v, bound %d", roleBoundary(), uses(bound.Arn))
	}
	must[iam.DeletePolicyOutput](e, "DeletePolicy", &iam.DeletePolicyInput{PolicyArn: bound.Arn})

	// Deleting a bounded user releases its boundary.
	must[iam.DeleteUserOutput](e, "DeleteUser", &iam.DeleteUserInput{UserName: "u"})
	if uses(aws) != 0 {
		t.Fatalf("deleted user still uses %s", aws)
	}

	// Errors as IAM gives them.
	missing := "arn:aws:iam::" + acct + ":policy/missing"
	e.fail("PutRolePermissionsBoundary", &iam.PutRolePermissionsBoundaryInput{RoleName: "r", PermissionsBoundary: missing}, "NoSuchEntity", 404,
		"Scope ARN: "+missing+" does not exist or is not attachable.")
	e.fail("PutRolePermissionsBoundary", &iam.PutRolePermissionsBoundaryInput{RoleName: "r", PermissionsBoundary: "arn:aws:iam::" + acct + ":user/someone"}, "InvalidInput", 400,
		"ARN arn:aws:iam::"+acct+":user/someone is not valid.")
	e.fail("PutRolePermissionsBoundary", &iam.PutRolePermissionsBoundaryInput{RoleName: "r", PermissionsBoundary: "arn:short"}, "ValidationError", 400,
		"1 validation error detected: Value at 'permissionsBoundary' failed to satisfy constraint: Member must have length greater than or equal to 20")
	e.fail("PutRolePermissionsBoundary", &iam.PutRolePermissionsBoundaryInput{RoleName: "r"}, "ValidationError", 400,
		"1 validation error detected: Value at 'permissionsBoundary' failed to satisfy constraint: Member must not be null")
	e.fail("PutUserPermissionsBoundary", &iam.PutUserPermissionsBoundaryInput{UserName: "nobody", PermissionsBoundary: aws}, "NoSuchEntity", 404,
		"The user with name nobody cannot be found.")
	e.fail("DeleteUserPermissionsBoundary", &iam.DeleteUserPermissionsBoundaryInput{UserName: "nobody"}, "NoSuchEntity", 404,
		"The user with name nobody cannot be found.")
	e.fail("DeleteRolePermissionsBoundary", &iam.DeleteRolePermissionsBoundaryInput{RoleName: "nobody"}, "NoSuchEntity", 404,
		"The role with name nobody cannot be found.")
	// Another account's policy cannot bound.
	e.fail("PutRolePermissionsBoundary", &iam.PutRolePermissionsBoundaryInput{RoleName: "r", PermissionsBoundary: "arn:aws:iam::" + other + ":policy/cap"}, "NoSuchEntity", 404, "")
	if uses(aws) != 0 || roleBoundary() != nil {
		t.Fatal("a failed call changed something")
	}
}

// The boundary calls carry iam:PermissionsBoundary: the new boundary, or
// the one being removed.
func TestBoundaryConditionKeys(t *testing.T) {
	e := newEnv(t)
	must[iam.CreateRoleOutput](e, "CreateRole", &iam.CreateRoleInput{RoleName: "r", AssumeRolePolicyDocument: trustEC2, PermissionsBoundary: sp(awsARN("AdministratorAccess"))})
	c := e.callAs(root())
	put := e.desc.Op("PutUserPermissionsBoundary").Conditions(c, &iam.PutUserPermissionsBoundaryInput{UserName: "u", PermissionsBoundary: awsARN("ReadOnlyAccess")})
	if got := put["iam:permissionsboundary"]; len(got) != 1 || got[0] != awsARN("ReadOnlyAccess") {
		t.Fatalf("put conditions %v", put)
	}
	del := e.desc.Op("DeleteRolePermissionsBoundary").Conditions(c, &iam.DeleteRolePermissionsBoundaryInput{RoleName: "R"})
	if got := del["iam:permissionsboundary"]; len(got) != 1 || got[0] != awsARN("AdministratorAccess") {
		t.Fatalf("delete conditions %v", del)
	}
	if res := e.desc.Op("DeleteRolePermissionsBoundary").Resources(c, &iam.DeleteRolePermissionsBoundaryInput{RoleName: "R"}); len(res) != 1 || res[0].ARN != "arn:aws:iam::"+acct+":role/r" {
		t.Fatalf("resources %+v", res)
	}
}
