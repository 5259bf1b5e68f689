package iam_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/service/iam"
)

func TestCreateMemberAccount(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	const member = "333344445555"
	if ok, err := e.svc.AccountExists(ctx, member); ok || err != nil {
		t.Fatalf("AccountExists before: %v %v", ok, err)
	}
	if err := e.svc.CreateMemberAccount(ctx, member, acct, "OrganizationAccountAccessRole"); err != nil {
		t.Fatal(err)
	}
	if ok, err := e.svc.AccountExists(ctx, member); !ok || err != nil {
		t.Fatalf("AccountExists after: %v %v", ok, err)
	}
	err := e.svc.CreateMemberAccount(ctx, member, acct, "OrganizationAccountAccessRole")
	if !errors.Is(err, cairn.ErrExists) {
		t.Fatalf("second CreateMemberAccount: %v", err)
	}
	for _, bad := range [][3]string{{"12345", acct, "r"}, {member + "0", acct, "r"}, {"444455556666", "x", "r"}, {"444455556666", "444455556666", "r"}, {"444455556666", acct, "bad name"}} {
		if err := e.svc.CreateMemberAccount(ctx, bad[0], bad[1], bad[2]); err == nil {
			t.Errorf("CreateMemberAccount%v succeeded", bad)
		}
	}
	if ok, _ := e.svc.AccountExists(ctx, "444455556666"); ok {
		t.Fatal("a failed CreateMemberAccount created the account")
	}

	info, err := e.svc.Role(ctx, member, "organizationaccountaccessrole")
	if err != nil {
		t.Fatal(err)
	}
	if info.Name != "OrganizationAccountAccessRole" || info.Path != "/" || info.AccountID != member ||
		info.ARN != "arn:aws:iam::"+member+":role/OrganizationAccountAccessRole" || !roleIDRe.MatchString(info.RoleId) ||
		info.MaxSessionDuration != 3600 || info.PermissionsBoundary != "" || info.Tags != nil {
		t.Fatalf("role %+v", info)
	}
	if info.TrustPolicy != `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::`+acct+`:root"},"Action":"sts:AssumeRole"}]}` {
		t.Fatalf("trust policy %s", info.TrustPolicy)
	}

	// The member account's root sees the role with AdministratorAccess, and
	// no users or root keys.
	memberRoot := iam.RootPrincipal(member)
	attached := mustAs[iam.ListAttachedRolePoliciesOutput](e, memberRoot, "ListAttachedRolePolicies", &iam.ListAttachedRolePoliciesInput{RoleName: "OrganizationAccountAccessRole"}).AttachedPolicies
	if len(attached) != 1 || attached[0].PolicyArn != awsARN("AdministratorAccess") {
		t.Fatalf("attached %+v", attached)
	}
	if n := mustAs[iam.GetPolicyOutput](e, memberRoot, "GetPolicy", &iam.GetPolicyInput{PolicyArn: awsARN("AdministratorAccess")}).Policy.AttachmentCount; n != 1 {
		t.Fatalf("AdministratorAccess attachments in the member %d", n)
	}
	if n := must[iam.GetPolicyOutput](e, "GetPolicy", &iam.GetPolicyInput{PolicyArn: awsARN("AdministratorAccess")}).Policy.AttachmentCount; n != 0 {
		t.Fatalf("AdministratorAccess attachments in the management account %d", n)
	}
	if keys := mustAs[iam.ListAccessKeysOutput](e, memberRoot, "ListAccessKeys", &iam.ListAccessKeysInput{}).AccessKeyMetadata; len(keys) != 0 {
		t.Fatalf("member root keys %+v", keys)
	}
	session := cairn.Principal{Type: cairn.PrincipalAssumedRole, AccountID: member, ARN: "arn:aws:sts::" + member + ":assumed-role/OrganizationAccountAccessRole/s",
		Session: &cairn.Session{Issuer: cairn.Issuer{Type: "Role", ID: info.RoleId, ARN: info.ARN, AccountID: member, UserName: info.Name}}}
	docs, _, err := e.svc.PoliciesFor(ctx, session)
	if err != nil || len(docs) != 1 || !strings.Contains(docs[0], `"Action": "*"`) {
		t.Fatalf("PoliciesFor the role's session %v %v", docs, err)
	}
}

func TestRoleForSTS(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	must[iam.CreateRoleOutput](e, "CreateRole", &iam.CreateRoleInput{
		RoleName: "Deployer", Path: sp("/ci/"), AssumeRolePolicyDocument: trustRoot, MaxSessionDuration: i32(7200),
		PermissionsBoundary: sp(awsARN("ReadOnlyAccess")), Tags: []iam.Tag{{Key: "team", Value: "infra"}},
	})
	info, err := e.svc.Role(ctx, acct, "deployer")
	if err != nil {
		t.Fatal(err)
	}
	if info.ARN != "arn:aws:iam::"+acct+":role/ci/Deployer" || info.Name != "Deployer" || info.Path != "/ci/" ||
		info.TrustPolicy != trustRoot || info.MaxSessionDuration != 7200 || info.PermissionsBoundary != awsARN("ReadOnlyAccess") ||
		info.Tags["team"] != "infra" || len(info.Tags) != 1 {
		t.Fatalf("role %+v", info)
	}
	for _, name := range []string{"missing", "bad name", ""} {
		_, err := e.svc.Role(ctx, acct, name)
		wantErr(t, err, "NoSuchEntity", 404, "The role with name "+name+" cannot be found.")
		if !errors.Is(err, cairn.ErrNotFound) {
			t.Errorf("Role(%q) error %v does not wrap cairn.ErrNotFound", name, err)
		}
	}
	_, err = e.svc.Role(ctx, other, "Deployer")
	wantErr(t, err, "NoSuchEntity", 404, "")
}

func TestAccountOfAccessKey(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	e.createUser("u")
	k := e.createKey("u")
	if err := e.svc.Bootstrap(ctx, other, "AKIAROOTOTHER0000001", "secret-of-the-other-root-user-0123456789"); err != nil {
		t.Fatal(err)
	}
	id, _, _, err := e.svc.IssueSessionCredentials(ctx, cairn.Principal{Type: cairn.PrincipalAssumedRole, AccountID: other, ARN: "arn:aws:sts::" + other + ":assumed-role/r/s"},
		e.clock.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{k.AccessKeyId: acct, "AKIAROOTOTHER0000001": other, id: other} {
		if got, err := e.svc.AccountOfAccessKey(ctx, key); err != nil || got != want {
			t.Errorf("AccountOfAccessKey(%s) = %q, %v; want %s", key, got, err, want)
		}
	}
	for _, unknown := range []string{"AKIAUNKNOWN000000000", "ASIAUNKNOWN000000000", ""} {
		if _, err := e.svc.AccountOfAccessKey(ctx, unknown); !errors.Is(err, cairn.ErrNotFound) {
			t.Errorf("AccountOfAccessKey(%q): %v", unknown, err)
		}
	}
}

func TestManagedPolicyDocuments(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	mine := e.createPolicy("mine", allowS3)
	docs, err := e.svc.ManagedPolicyDocuments(ctx, acct, []string{awsARN("IAMReadOnlyAccess"), mine.Arn})
	if err != nil || len(docs) != 2 || !strings.Contains(docs[0], "iam:GenerateCredentialReport") || docs[1] != allowS3 {
		t.Fatalf("documents %v %v", docs, err)
	}
	_, err = e.svc.ManagedPolicyDocuments(ctx, other, []string{mine.Arn})
	wantErr(t, err, "NoSuchEntity", 404, "Policy "+mine.Arn+" was not found.")
	_, err = e.svc.ManagedPolicyDocuments(ctx, acct, []string{"arn:aws:iam::aws:role/nope"})
	wantErr(t, err, "InvalidInput", 400, "ARN arn:aws:iam::aws:role/nope is not valid.")
	if docs, err := e.svc.ManagedPolicyDocuments(ctx, acct, nil); err != nil || len(docs) != 0 {
		t.Fatalf("no ARNs: %v %v", docs, err)
	}
}
