package iam_test

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/service/iam"
)

var (
	userIDRe  = regexp.MustCompile(`^AIDA[A-Z2-7]{17}$`)
	groupIDRe = regexp.MustCompile(`^AGPA[A-Z2-7]{17}$`)
	roleIDRe  = regexp.MustCompile(`^AROA[A-Z2-7]{17}$`)
	polIDRe   = regexp.MustCompile(`^ANPA[A-Z2-7]{17}$`)
	keyIDRe   = regexp.MustCompile(`^AKIA[A-Z2-7]{16}$`)
)

func TestCreateGetUser(t *testing.T) {
	e := newEnv(t)
	out := must[iam.CreateUserOutput](e, "CreateUser", &iam.CreateUserInput{
		UserName: "Alice", Path: sp("/eng/"), Tags: []iam.Tag{{Key: "team", Value: "core"}},
	})
	u := out.User
	if u.UserName != "Alice" || u.Path != "/eng/" || u.Arn != "arn:aws:iam::"+acct+":user/eng/Alice" ||
		!userIDRe.MatchString(u.UserId) || !u.CreateDate.Equal(e.clock.Now()) || len(u.Tags) != 1 {
		t.Fatalf("created %+v", u)
	}
	got := must[iam.GetUserOutput](e, "GetUser", &iam.GetUserInput{UserName: sp("alice")}).User
	if got.UserName != "Alice" || got.UserId != u.UserId || got.Arn != u.Arn || got.Tags[0] != (iam.Tag{Key: "team", Value: "core"}) {
		t.Fatalf("got %+v", got)
	}
	// Names are unique case-insensitively; the name is kept as given.
	e.fail("CreateUser", &iam.CreateUserInput{UserName: "ALICE"}, "EntityAlreadyExists", 409, "User with name ALICE already exists.")
	e.fail("GetUser", &iam.GetUserInput{UserName: sp("bob")}, "NoSuchEntity", 404, "The user with name bob cannot be found.")
}

func TestCreateUserValidation(t *testing.T) {
	e := newEnv(t)
	e.fail("CreateUser", &iam.CreateUserInput{}, "ValidationError", 400,
		"1 validation error detected: Value at 'userName' failed to satisfy constraint: Member must not be null")
	e.fail("CreateUser", &iam.CreateUserInput{UserName: "bad/name"}, "ValidationError", 400,
		"The specified value for userName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-")
	e.fail("CreateUser", &iam.CreateUserInput{UserName: strings.Repeat("a", 65)}, "ValidationError", 400,
		"1 validation error detected: Value at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64")
	e.fail("CreateUser", &iam.CreateUserInput{UserName: "a", Path: sp("bad")}, "ValidationError", 400,
		"The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.")
	e.fail("CreateUser", &iam.CreateUserInput{UserName: "a", Tags: []iam.Tag{{Key: "k", Value: "1"}, {Key: "K", Value: "2"}}},
		"InvalidInput", 400, "Duplicate tag keys found. Please note that Tag keys are case insensitive.")
	e.fail("CreateUser", &iam.CreateUserInput{UserName: "a", Tags: []iam.Tag{{Key: "bad*key", Value: "1"}}}, "ValidationError", 400, "")
	var many []iam.Tag
	for i := 0; i < 51; i++ {
		many = append(many, iam.Tag{Key: fmt.Sprint("k", i), Value: "v"})
	}
	e.fail("CreateUser", &iam.CreateUserInput{UserName: "a", Tags: many}, "ValidationError", 400,
		"1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50")
	e.fail("CreateUser", &iam.CreateUserInput{UserName: "a", PermissionsBoundary: sp("arn:aws:iam::" + acct + ":policy/nope")},
		"NoSuchEntity", 404, "Scope ARN: arn:aws:iam::"+acct+":policy/nope does not exist or is not attachable.")
	// Nothing was created by the failures.
	if n := len(must[iam.ListUsersOutput](e, "ListUsers", &iam.ListUsersInput{}).Users); n != 0 {
		t.Fatalf("%d users after failed creates", n)
	}
}

func TestGetUserWithoutName(t *testing.T) {
	e := newEnv(t)
	if err := e.svc.Bootstrap(t.Context(), acct, "AKIAROOTEXAMPLE00001", strings.Repeat("s", 40)); err != nil {
		t.Fatal(err)
	}
	r := must[iam.GetUserOutput](e, "GetUser", &iam.GetUserInput{}).User
	if r.UserId != acct || r.Arn != "arn:aws:iam::"+acct+":root" || r.UserName != "" || !r.CreateDate.Equal(e.clock.Now()) {
		t.Fatalf("root GetUser %+v", r)
	}
	u := e.createUser("bob")
	self := mustAs[iam.GetUserOutput](e, e.userPrincipal(u), "GetUser", &iam.GetUserInput{}).User
	if self.UserName != "bob" || self.UserId != u.UserId {
		t.Fatalf("self GetUser %+v", self)
	}
	role := cairn.Principal{Type: cairn.PrincipalAssumedRole, AccountID: acct, ARN: "arn:aws:sts::" + acct + ":assumed-role/r/s"}
	_, err := e.invokeAs(role, "GetUser", &iam.GetUserInput{})
	wantErr(t, err, "ValidationError", 400, "Must specify userName when calling with non-User credentials")
}

func TestListUsersPagination(t *testing.T) {
	e := newEnv(t)
	var want, wantEng []string
	for i := 0; i < 250; i++ {
		name := fmt.Sprintf("user%03d", i)
		in := &iam.CreateUserInput{UserName: name}
		if i%2 == 0 {
			in.Path = sp("/eng/")
			wantEng = append(wantEng, name)
		}
		must[iam.CreateUserOutput](e, "CreateUser", in)
		want = append(want, name)
	}
	list := func(prefix *string, max int32) []string {
		var names []string
		var marker *string
		for pages := 0; ; pages++ {
			out := must[iam.ListUsersOutput](e, "ListUsers", &iam.ListUsersInput{PathPrefix: prefix, Marker: marker, MaxItems: i32(max)})
			if len(out.Users) > int(max) {
				t.Fatalf("page of %d > MaxItems %d", len(out.Users), max)
			}
			for _, u := range out.Users {
				names = append(names, u.UserName)
				if u.Tags != nil {
					t.Fatalf("ListUsers returns tags")
				}
			}
			if !out.IsTruncated {
				if out.Marker != nil {
					t.Fatal("Marker without IsTruncated")
				}
				return names
			}
			if out.Marker == nil || len(out.Users) != int(max) {
				t.Fatalf("truncated page of %d without full page and marker", len(out.Users))
			}
			marker = out.Marker
			if pages > 300 {
				t.Fatal("pagination does not end")
			}
		}
	}
	if got := list(nil, 100); !equal(got, want) {
		t.Fatalf("all users: %d, want %d", len(got), len(want))
	}
	if got := list(sp("/eng/"), 7); !equal(got, wantEng) {
		t.Fatalf("/eng/ users: %v", got)
	}
	if got := list(sp("/nope/"), 10); len(got) != 0 {
		t.Fatalf("/nope/ users: %v", got)
	}
	// Default page size is 100.
	out := must[iam.ListUsersOutput](e, "ListUsers", &iam.ListUsersInput{})
	if len(out.Users) != 100 || !out.IsTruncated {
		t.Fatalf("default page: %d, truncated %v", len(out.Users), out.IsTruncated)
	}
	e.fail("ListUsers", &iam.ListUsersInput{MaxItems: i32(0)}, "ValidationError", 400,
		"1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1")
	e.fail("ListUsers", &iam.ListUsersInput{MaxItems: i32(1001)}, "ValidationError", 400,
		"1 validation error detected: Value '1001' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000")
	e.fail("ListUsers", &iam.ListUsersInput{Marker: sp("!!not-a-marker")}, "InvalidInput", 400, "")
	// A marker of another listing is refused.
	g := must[iam.ListUsersOutput](e, "ListUsers", &iam.ListUsersInput{MaxItems: i32(1)}).Marker
	other := e.callAs(cairn.Principal{Type: cairn.PrincipalRoot, AccountID: "210987654321", ARN: cairn.RootARN("210987654321")})
	_, err := e.desc.Op("ListUsers").Invoke(t.Context(), other, &iam.ListUsersInput{Marker: g})
	wantErr(t, err, "InvalidInput", 400, "")
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestAccountsAreIsolated(t *testing.T) {
	e := newEnv(t)
	e.createUser("alice")
	otherAcct := "210987654321"
	other := cairn.Principal{Type: cairn.PrincipalRoot, AccountID: otherAcct, ARN: cairn.RootARN(otherAcct), ID: otherAcct}
	_, err := e.invokeAs(other, "GetUser", &iam.GetUserInput{UserName: sp("alice")})
	wantErr(t, err, "NoSuchEntity", 404, "")
	u := mustAs[iam.CreateUserOutput](e, other, "CreateUser", &iam.CreateUserInput{UserName: "alice"}).User
	if u.Arn != "arn:aws:iam::"+otherAcct+":user/alice" {
		t.Fatalf("other account's user %s", u.Arn)
	}
	if n := len(must[iam.ListUsersOutput](e, "ListUsers", &iam.ListUsersInput{}).Users); n != 1 {
		t.Fatalf("%d users in first account", n)
	}
}

func TestUpdateUser(t *testing.T) {
	e := newEnv(t)
	u := e.createUser("alice")
	e.createUser("carol")
	key := e.createKey("alice")
	must[iam.CreateGroupOutput](e, "CreateGroup", &iam.CreateGroupInput{GroupName: "devs"})
	must[iam.AddUserToGroupOutput](e, "AddUserToGroup", &iam.AddUserToGroupInput{GroupName: "devs", UserName: "alice"})

	e.fail("UpdateUser", &iam.UpdateUserInput{UserName: "alice", NewUserName: sp("Carol")}, "EntityAlreadyExists", 409, "User with name Carol already exists.")
	e.fail("UpdateUser", &iam.UpdateUserInput{UserName: "nobody", NewUserName: sp("x")}, "NoSuchEntity", 404, "The user with name nobody cannot be found.")
	if _, err := e.svc.LookupAccessKey(key.AccessKeyId); err != nil { // fill the cache
		t.Fatal(err)
	}
	must[iam.UpdateUserOutput](e, "UpdateUser", &iam.UpdateUserInput{UserName: "alice", NewUserName: sp("zoe"), NewPath: sp("/ops/")})

	e.fail("GetUser", &iam.GetUserInput{UserName: sp("alice")}, "NoSuchEntity", 404, "")
	z := must[iam.GetUserOutput](e, "GetUser", &iam.GetUserInput{UserName: sp("zoe")}).User
	if z.UserId != u.UserId || z.Arn != "arn:aws:iam::"+acct+":user/ops/zoe" || !z.CreateDate.Equal(u.CreateDate) {
		t.Fatalf("renamed user %+v", z)
	}
	members := must[iam.GetGroupOutput](e, "GetGroup", &iam.GetGroupInput{GroupName: "devs"}).Users
	if len(members) != 1 || members[0].UserName != "zoe" {
		t.Fatalf("group members after rename %+v", members)
	}
	keys := must[iam.ListAccessKeysOutput](e, "ListAccessKeys", &iam.ListAccessKeysInput{UserName: sp("zoe")}).AccessKeyMetadata
	if len(keys) != 1 || keys[0].UserName != "zoe" {
		t.Fatalf("keys after rename %+v", keys)
	}
	cred, err := e.svc.LookupAccessKey(key.AccessKeyId)
	if err != nil || cred.Principal.UserName != "zoe" || cred.Principal.ARN != z.Arn {
		t.Fatalf("credential after rename %+v, %v", cred, err)
	}
	// A change of case only keeps the key.
	must[iam.UpdateUserOutput](e, "UpdateUser", &iam.UpdateUserInput{UserName: "zoe", NewUserName: sp("Zoe")})
	if n := must[iam.GetUserOutput](e, "GetUser", &iam.GetUserInput{UserName: sp("ZOE")}).User.UserName; n != "Zoe" {
		t.Fatalf("name after case change %q", n)
	}
}

func TestDeleteUserConflicts(t *testing.T) {
	e := newEnv(t)
	e.createUser("alice")
	pol := e.createPolicy("P", allowS3)
	must[iam.CreateGroupOutput](e, "CreateGroup", &iam.CreateGroupInput{GroupName: "devs"})
	must[iam.PutUserPolicyOutput](e, "PutUserPolicy", &iam.PutUserPolicyInput{UserName: "alice", PolicyName: "inline", PolicyDocument: allowS3})
	must[iam.AttachUserPolicyOutput](e, "AttachUserPolicy", &iam.AttachUserPolicyInput{UserName: "alice", PolicyArn: pol.Arn})
	must[iam.AddUserToGroupOutput](e, "AddUserToGroup", &iam.AddUserToGroupInput{GroupName: "devs", UserName: "alice"})
	key := e.createKey("alice")

	del := &iam.DeleteUserInput{UserName: "alice"}
	e.fail("DeleteUser", del, "DeleteConflict", 409, "Cannot delete entity, must delete policies first.")
	must[iam.DeleteUserPolicyOutput](e, "DeleteUserPolicy", &iam.DeleteUserPolicyInput{UserName: "alice", PolicyName: "inline"})
	e.fail("DeleteUser", del, "DeleteConflict", 409, "Cannot delete entity, must detach all policies first.")
	must[iam.DetachUserPolicyOutput](e, "DetachUserPolicy", &iam.DetachUserPolicyInput{UserName: "alice", PolicyArn: pol.Arn})
	e.fail("DeleteUser", del, "DeleteConflict", 409, "Cannot delete entity, must remove users from group first.")
	must[iam.RemoveUserFromGroupOutput](e, "RemoveUserFromGroup", &iam.RemoveUserFromGroupInput{GroupName: "devs", UserName: "alice"})
	e.fail("DeleteUser", del, "DeleteConflict", 409, "Cannot delete entity, must delete access keys first.")
	must[iam.DeleteAccessKeyOutput](e, "DeleteAccessKey", &iam.DeleteAccessKeyInput{UserName: sp("alice"), AccessKeyId: key.AccessKeyId})
	must[iam.DeleteUserOutput](e, "DeleteUser", del)
	e.fail("DeleteUser", del, "NoSuchEntity", 404, "The user with name alice cannot be found.")
	// The name is free again.
	e.createUser("ALICE")
}

func TestUserPermissionsBoundary(t *testing.T) {
	e := newEnv(t)
	pol := e.createPolicy("Boundary", allowS3)
	u := must[iam.CreateUserOutput](e, "CreateUser", &iam.CreateUserInput{UserName: "b", PermissionsBoundary: &pol.Arn}).User
	if u.PermissionsBoundary == nil || u.PermissionsBoundary.PermissionsBoundaryArn != pol.Arn ||
		u.PermissionsBoundary.PermissionsBoundaryType != "PermissionsBoundaryPolicy" {
		t.Fatalf("boundary %+v", u.PermissionsBoundary)
	}
	p := must[iam.GetPolicyOutput](e, "GetPolicy", &iam.GetPolicyInput{PolicyArn: pol.Arn}).Policy
	if p.PermissionsBoundaryUsageCount != 1 || p.AttachmentCount != 0 {
		t.Fatalf("counts %+v", p)
	}
	e.fail("DeletePolicy", &iam.DeletePolicyInput{PolicyArn: pol.Arn}, "DeleteConflict", 409, "Cannot delete a policy attached to entities.")
	must[iam.DeleteUserOutput](e, "DeleteUser", &iam.DeleteUserInput{UserName: "b"})
	must[iam.DeletePolicyOutput](e, "DeletePolicy", &iam.DeletePolicyInput{PolicyArn: pol.Arn})
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}
