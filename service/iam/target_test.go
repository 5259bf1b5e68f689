package iam_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/authz"
	"github.com/cairnhq/cairn/service/iam"
)

// staticIdentities gives every principal the same identity policies: the
// seam for driving the real authorizer with one document.
type staticIdentities []string

func (d staticIdentities) PoliciesFor(context.Context, cairn.Principal) ([]string, string, error) {
	return d, "", nil
}

func tagCondition(key, op string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:GetUser","iam:GetRole"],"Resource":"*",` +
		`"Condition":{"` + op + `":{"` + key + `":"audit"}}}]}`
}

var auditTags = []iam.Tag{{Key: "team", Value: "audit"}}

// taggedEnv has a user and a role tagged team=audit, and an untagged user
// and role.
func taggedEnv(t *testing.T) *env {
	e := newEnv(t)
	must[iam.CreateUserOutput](e, "CreateUser", &iam.CreateUserInput{UserName: "tagged", Tags: auditTags})
	must[iam.CreateUserOutput](e, "CreateUser", &iam.CreateUserInput{UserName: "plain"})
	must[iam.CreateRoleOutput](e, "CreateRole", &iam.CreateRoleInput{RoleName: "Tagged", AssumeRolePolicyDocument: trustEC2, Tags: auditTags})
	must[iam.CreateRoleOutput](e, "CreateRole", &iam.CreateRoleInput{RoleName: "Plain", AssumeRolePolicyDocument: trustEC2})
	return e
}

// A policy conditioned on the resource's tag allows GetUser and GetRole on
// the tagged entity only, through the descriptor rows and the real
// authorizer; aws:ResourceTag and iam:ResourceTag carry the same tags.
func TestResourceTagAuthorizesUsersAndRoles(t *testing.T) {
	e := taggedEnv(t)
	caller := e.userPrincipal(&iam.User{UserName: "caller", Arn: "arn:aws:iam::" + acct + ":user/caller", UserId: "AIDACALLER"})
	for _, key := range []string{"aws:ResourceTag/team", "iam:ResourceTag/team", "aws:resourcetag/TEAM"} {
		az := authz.New(staticIdentities{tagCondition(key, "StringEquals")}, nil)
		for _, tc := range []struct {
			op    string
			in    any
			allow bool
		}{
			{"GetUser", &iam.GetUserInput{UserName: sp("tagged")}, true},
			{"GetUser", &iam.GetUserInput{UserName: sp("TAGGED")}, true},
			{"GetUser", &iam.GetUserInput{UserName: sp("plain")}, false},
			{"GetUser", &iam.GetUserInput{UserName: sp("nobody")}, false},
			{"GetRole", &iam.GetRoleInput{RoleName: "Tagged"}, true},
			{"GetRole", &iam.GetRoleInput{RoleName: "Plain"}, false},
		} {
			err := az.Authorize(context.Background(), e.callAs(caller), e.desc.Op(tc.op), tc.in)
			switch {
			case tc.allow && err != nil:
				t.Errorf("%s %s %+v: %v", key, tc.op, tc.in, err)
			case !tc.allow:
				var ce *cairn.Error
				if !errors.As(err, &ce) || ce.Code != "AccessDenied" {
					t.Errorf("%s %s %+v: want AccessDenied, got %v", key, tc.op, tc.in, err)
				}
			}
		}
	}

	// Without UserName, GetUser acts on the caller: its own tags count.
	az := authz.New(staticIdentities{tagCondition("aws:ResourceTag/team", "StringEquals")}, nil)
	self := e.userPrincipal(&iam.User{UserName: "tagged", Arn: "arn:aws:iam::" + acct + ":user/tagged", UserId: "AIDATAGGED"})
	if err := az.Authorize(context.Background(), e.callAs(self), e.desc.Op("GetUser"), &iam.GetUserInput{}); err != nil {
		t.Errorf("GetUser of the tagged caller itself: %v", err)
	}
	plain := e.userPrincipal(&iam.User{UserName: "plain", Arn: "arn:aws:iam::" + acct + ":user/plain", UserId: "AIDAPLAIN"})
	if err := az.Authorize(context.Background(), e.callAs(plain), e.desc.Op("GetUser"), &iam.GetUserInput{}); err == nil {
		t.Errorf("GetUser of the untagged caller itself was allowed")
	}
}

// wantTags checks a Target carries team=audit as aws:ResourceTag and, for
// users and roles, as iam:ResourceTag.
func wantTags(t *testing.T, what string, tg *cairn.Target, err error, iamKeys bool) {
	t.Helper()
	if err != nil || tg == nil {
		t.Errorf("%s: target %+v, %v", what, tg, err)
		return
	}
	if tg.Tags["team"] != "audit" {
		t.Errorf("%s: tags %v", what, tg.Tags)
	}
	if got := tg.Conditions["iam:resourcetag/team"]; iamKeys != reflect.DeepEqual(got, []string{"audit"}) {
		t.Errorf("%s: conditions %v", what, tg.Conditions)
	}
}

// Every row that acts on an existing user or role names its tags, and
// none when the entity does not exist. Rows on groups have no Target:
// groups take no tags, and AddUserToGroup is authorized on the group.
func TestTargetsOfUserAndRoleRows(t *testing.T) {
	e := taggedEnv(t)
	ctx := context.Background()
	c := e.callAs(root())
	covered := 0
	for i := range e.desc.Operations {
		op := &e.desc.Operations[i]
		in := reflect.ValueOf(op.New()).Elem()
		field, name := in.FieldByName("UserName"), "tagged"
		if !field.IsValid() {
			field, name = in.FieldByName("RoleName"), "Tagged"
		}
		switch {
		case !field.IsValid() || strings.HasPrefix(op.Name, "Create") && op.Name != "CreateAccessKey":
			continue
		case in.FieldByName("GroupName").IsValid():
			if op.Target != nil {
				t.Errorf("%s acts on a group, which takes no tags, yet has a Target", op.Name)
			}
			continue
		case op.Target == nil:
			t.Errorf("%s acts on a user or role but has no Target", op.Name)
			continue
		}
		set := func(v string) any {
			if field.Kind() == reflect.Pointer {
				field.Set(reflect.ValueOf(&v))
			} else {
				field.SetString(v)
			}
			return in.Addr().Interface()
		}
		tg, err := op.Target(ctx, c, set(name))
		wantTags(t, op.Name, tg, err, true)
		if tg, err := op.Target(ctx, c, set("nobody")); tg != nil || err != nil {
			t.Errorf("%s of a missing entity: target %+v, %v", op.Name, tg, err)
		}
		covered++
	}
	if covered < 35 {
		t.Errorf("only %d rows checked", covered)
	}

	key := e.createKey("tagged")
	tg, err := e.desc.Op("GetAccessKeyLastUsed").Target(ctx, c, &iam.GetAccessKeyLastUsedInput{AccessKeyId: key.AccessKeyId})
	wantTags(t, "GetAccessKeyLastUsed", tg, err, true)
	if tg, err := e.desc.Op("GetAccessKeyLastUsed").Target(ctx, c, &iam.GetAccessKeyLastUsedInput{AccessKeyId: "AKIANOSUCHKEY0000000"}); tg != nil || err != nil {
		t.Errorf("GetAccessKeyLastUsed of a missing key: target %+v, %v", tg, err)
	}

	sim := e.desc.Op("SimulatePrincipalPolicy")
	for _, arn := range []string{"arn:aws:iam::" + acct + ":user/tagged", "arn:aws:iam::" + acct + ":role/Tagged"} {
		tg, err := sim.Target(ctx, c, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: arn})
		wantTags(t, "SimulatePrincipalPolicy "+arn, tg, err, true)
	}

	// A customer managed policy's tags are aws:ResourceTag only.
	pol := must[iam.CreatePolicyOutput](e, "CreatePolicy", &iam.CreatePolicyInput{PolicyName: "P", PolicyDocument: allowS3, Tags: auditTags}).Policy
	for _, name := range []string{"GetPolicy", "GetPolicyVersion", "ListPolicyVersions", "CreatePolicyVersion", "SetDefaultPolicyVersion", "DeletePolicyVersion", "DeletePolicy"} {
		op := e.desc.Op(name)
		in := reflect.ValueOf(op.New())
		in.Elem().FieldByName("PolicyArn").SetString(pol.Arn)
		tg, err := op.Target(ctx, c, in.Interface())
		wantTags(t, name, tg, err, false)
	}
	if tg, err := e.desc.Op("GetPolicy").Target(ctx, c, &iam.GetPolicyInput{PolicyArn: "not-an-arn"}); tg != nil || err != nil {
		t.Errorf("GetPolicy of a bad ARN: target %+v, %v", tg, err)
	}
}
