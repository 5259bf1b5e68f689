package iam_test

import (
	"fmt"
	"testing"

	"github.com/cairnhq/cairn/service/iam"
)

func TestGroups(t *testing.T) {
	e := newEnv(t)
	g := must[iam.CreateGroupOutput](e, "CreateGroup", &iam.CreateGroupInput{GroupName: "Devs", Path: sp("/eng/")}).Group
	if g.GroupName != "Devs" || g.Arn != "arn:aws:iam::"+acct+":group/eng/Devs" || !groupIDRe.MatchString(g.GroupId) {
		t.Fatalf("group %+v", g)
	}
	e.fail("CreateGroup", &iam.CreateGroupInput{GroupName: "devs"}, "EntityAlreadyExists", 409, "Group with name devs already exists.")
	must[iam.CreateGroupOutput](e, "CreateGroup", &iam.CreateGroupInput{GroupName: "ops"})
	e.createUser("bob")
	e.createUser("alice")

	e.fail("AddUserToGroup", &iam.AddUserToGroupInput{GroupName: "nope", UserName: "bob"}, "NoSuchEntity", 404, "The group with name nope cannot be found.")
	e.fail("AddUserToGroup", &iam.AddUserToGroupInput{GroupName: "devs", UserName: "nobody"}, "NoSuchEntity", 404, "The user with name nobody cannot be found.")
	for _, u := range []string{"bob", "alice", "ALICE"} { // the repeat is a no-op
		must[iam.AddUserToGroupOutput](e, "AddUserToGroup", &iam.AddUserToGroupInput{GroupName: "devs", UserName: u})
	}
	must[iam.AddUserToGroupOutput](e, "AddUserToGroup", &iam.AddUserToGroupInput{GroupName: "ops", UserName: "alice"})

	got := must[iam.GetGroupOutput](e, "GetGroup", &iam.GetGroupInput{GroupName: "DEVS"})
	if got.Group.GroupId != g.GroupId || len(got.Users) != 2 || got.Users[0].UserName != "alice" || got.Users[1].UserName != "bob" || got.IsTruncated {
		t.Fatalf("GetGroup %+v", got)
	}
	p1 := must[iam.GetGroupOutput](e, "GetGroup", &iam.GetGroupInput{GroupName: "devs", MaxItems: i32(1)})
	p2 := must[iam.GetGroupOutput](e, "GetGroup", &iam.GetGroupInput{GroupName: "devs", MaxItems: i32(1), Marker: p1.Marker})
	if !p1.IsTruncated || len(p1.Users) != 1 || p2.IsTruncated || len(p2.Users) != 1 || p2.Users[0].UserName != "bob" {
		t.Fatalf("GetGroup pages %+v / %+v", p1, p2)
	}

	fg := must[iam.ListGroupsForUserOutput](e, "ListGroupsForUser", &iam.ListGroupsForUserInput{UserName: "alice"})
	if len(fg.Groups) != 2 || fg.Groups[0].GroupName != "Devs" || fg.Groups[1].GroupName != "ops" {
		t.Fatalf("ListGroupsForUser %+v", fg)
	}
	lg := must[iam.ListGroupsOutput](e, "ListGroups", &iam.ListGroupsInput{PathPrefix: sp("/eng")})
	if len(lg.Groups) != 1 || lg.Groups[0].GroupName != "Devs" {
		t.Fatalf("ListGroups /eng %+v", lg)
	}
	if all := must[iam.ListGroupsOutput](e, "ListGroups", &iam.ListGroupsInput{}); len(all.Groups) != 2 {
		t.Fatalf("ListGroups %+v", all)
	}

	e.fail("DeleteGroup", &iam.DeleteGroupInput{GroupName: "devs"}, "DeleteConflict", 409, "Cannot delete entity, must remove users from group first.")
	must[iam.RemoveUserFromGroupOutput](e, "RemoveUserFromGroup", &iam.RemoveUserFromGroupInput{GroupName: "devs", UserName: "bob"})
	e.fail("RemoveUserFromGroup", &iam.RemoveUserFromGroupInput{GroupName: "devs", UserName: "bob"}, "NoSuchEntity", 404, "")
	must[iam.RemoveUserFromGroupOutput](e, "RemoveUserFromGroup", &iam.RemoveUserFromGroupInput{GroupName: "devs", UserName: "alice"})
	if fg := must[iam.ListGroupsForUserOutput](e, "ListGroupsForUser", &iam.ListGroupsForUserInput{UserName: "bob"}); len(fg.Groups) != 0 || fg.Groups == nil {
		t.Fatalf("bob's groups %+v", fg)
	}

	must[iam.PutGroupPolicyOutput](e, "PutGroupPolicy", &iam.PutGroupPolicyInput{GroupName: "devs", PolicyName: "p", PolicyDocument: allowS3})
	e.fail("DeleteGroup", &iam.DeleteGroupInput{GroupName: "devs"}, "DeleteConflict", 409, "Cannot delete entity, must delete policies first.")
	must[iam.DeleteGroupPolicyOutput](e, "DeleteGroupPolicy", &iam.DeleteGroupPolicyInput{GroupName: "devs", PolicyName: "P"})
	pol := e.createPolicy("pol", allowS3)
	must[iam.AttachGroupPolicyOutput](e, "AttachGroupPolicy", &iam.AttachGroupPolicyInput{GroupName: "devs", PolicyArn: pol.Arn})
	e.fail("DeleteGroup", &iam.DeleteGroupInput{GroupName: "devs"}, "DeleteConflict", 409, "Cannot delete entity, must detach all policies first.")
	must[iam.DetachGroupPolicyOutput](e, "DetachGroupPolicy", &iam.DetachGroupPolicyInput{GroupName: "devs", PolicyArn: pol.Arn})
	must[iam.DeleteGroupOutput](e, "DeleteGroup", &iam.DeleteGroupInput{GroupName: "devs"})
	e.fail("GetGroup", &iam.GetGroupInput{GroupName: "devs"}, "NoSuchEntity", 404, "The group with name devs cannot be found.")
}

func TestGroupsPerUserQuota(t *testing.T) {
	e := newEnv(t)
	e.createUser("u")
	for i := 0; i < 11; i++ {
		name := fmt.Sprint("g", i)
		must[iam.CreateGroupOutput](e, "CreateGroup", &iam.CreateGroupInput{GroupName: name})
		in := &iam.AddUserToGroupInput{GroupName: name, UserName: "u"}
		if i < 10 {
			must[iam.AddUserToGroupOutput](e, "AddUserToGroup", in)
		} else {
			e.fail("AddUserToGroup", in, "LimitExceeded", 409, "Cannot exceed quota for GroupsPerUser: 10")
		}
	}
}
