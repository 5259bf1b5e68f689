package main

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// memberAccount creates an organization with one member account and
// returns the member's ID and an administrator session in it, reached as
// AWS documents: AssumeRole into OrganizationAccountAccessRole.
func (s *cairnServer) memberAccount(t *testing.T) (string, aws.Config) {
	t.Helper()
	org := s.organizations(s.root())
	if _, err := org.CreateOrganization(ctx, &organizations.CreateOrganizationInput{FeatureSet: orgtypes.OrganizationFeatureSetAll}); err != nil {
		t.Fatal(err)
	}
	acct, err := org.CreateAccount(ctx, &organizations.CreateAccountInput{Email: aws.String("member@example.com"), AccountName: aws.String("Member")})
	if err != nil {
		t.Fatal(err)
	}
	member := aws.ToString(acct.CreateAccountStatus.AccountId)
	out, err := s.sts(s.root()).AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn: aws.String("arn:aws:iam::" + member + ":role/OrganizationAccountAccessRole"), RoleSessionName: aws.String("admin"),
	})
	if err != nil {
		t.Fatalf("AssumeRole into the member account: %v", err)
	}
	c := out.Credentials
	return member, s.config(aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken))
}

func TestCrossAccountAssumeRoleWithExternalID(t *testing.T) {
	s := startCairn(t)
	root := s.root()
	member, memberAdmin := s.memberAccount(t)
	roleARN := "arn:aws:iam::" + member + ":role/Auditor"
	aliceARN := "arn:aws:iam::" + testAccount + ":user/alice"
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + aliceARN + `"},
		"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"ext-123"}}}]}`
	if _, err := s.iam(memberAdmin).CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("Auditor"), AssumeRolePolicyDocument: aws.String(trust)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.iam(memberAdmin).AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("Auditor"), PolicyArn: aws.String(awsPolicy + "AWSCloudTrail_ReadOnlyAccess")}); err != nil {
		t.Fatal(err)
	}
	alice := s.newUser(t, root, "alice")
	assume := func(ext *string) (*sts.AssumeRoleOutput, error) {
		return s.sts(alice).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("audit"), ExternalId: ext})
	}
	// Cross-account needs both sides: the trust policy allows alice, but
	// her own account has not allowed her yet.
	msg := wantCode(t, err2(assume(aws.String("ext-123"))), "AccessDenied")
	if !strings.Contains(msg, "because no identity-based policy allows the sts:AssumeRole action") {
		t.Fatalf("denial %q", msg)
	}
	s.putUserPolicy(t, root, "alice", "assume-auditor", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"`+roleARN+`"}]}`)
	wantCode(t, err2(assume(nil)), "AccessDenied")
	wantCode(t, err2(assume(aws.String("wrong"))), "AccessDenied")
	out, err := assume(aws.String("ext-123"))
	if err != nil {
		t.Fatal(err)
	}
	c := out.Credentials
	auditor := s.config(aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken))
	who, err := s.sts(auditor).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(who.Account) != member || aws.ToString(who.Arn) != "arn:aws:sts::"+member+":assumed-role/Auditor/audit" {
		t.Fatalf("auditor identity %+v %v", who, err)
	}
	// The successful AssumeRole is recorded in both accounts, linked.
	mine := lookup(t, s.cloudtrail(root), cttypes.LookupAttributeKeyEventName, "AssumeRole")
	theirs := lookup(t, s.cloudtrail(auditor), cttypes.LookupAttributeKeyEventName, "AssumeRole")
	var mineOK, theirsOK record
	for _, r := range mine {
		if r.str("userIdentity.userName") == "alice" && r.str("errorCode") == "" {
			mineOK = r
			break // newest first
		}
	}
	for _, r := range theirs {
		if r.str("userIdentity.type") == "AWSAccount" && r.str("errorCode") == "" {
			theirsOK = r
			break // newest first
		}
	}
	if mineOK == nil || theirsOK == nil {
		t.Fatalf("AssumeRole events: caller's %v, role owner's %v", mine, theirs)
	}
	if id := mineOK.str("sharedEventID"); id == "" || id != theirsOK.str("sharedEventID") || mineOK.str("eventID") == theirsOK.str("eventID") {
		t.Fatalf("sharedEventID %q vs %q", id, theirsOK.str("sharedEventID"))
	}
	if theirsOK.str("userIdentity.accountId") != testAccount || theirsOK.str("recipientAccountId") != member ||
		mineOK.str("recipientAccountId") != testAccount {
		t.Fatalf("owner's copy %v", theirsOK)
	}
	raw := theirsOK.str("responseElements.credentials.accessKeyId")
	if raw != aws.ToString(c.AccessKeyId) {
		t.Fatalf("responseElements.credentials.accessKeyId %q", raw)
	}
}

// An SCP binds every principal of a member account, administrators
// included, and never the management account.
func TestSCPDeniesStopLoggingInMemberAccount(t *testing.T) {
	s := startCairn(t)
	root := s.root()
	member, memberAdmin := s.memberAccount(t)
	org := s.organizations(root)
	roots, err := org.ListRoots(ctx, &organizations.ListRootsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := org.EnablePolicyType(ctx, &organizations.EnablePolicyTypeInput{RootId: roots.Roots[0].Id, PolicyType: orgtypes.PolicyTypeServiceControlPolicy}); err != nil {
		t.Fatal(err)
	}
	pol, err := org.CreatePolicy(ctx, &organizations.CreatePolicyInput{
		Name: aws.String("keep-logging"), Description: aws.String("trails stay on"), Type: orgtypes.PolicyTypeServiceControlPolicy,
		Content: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"cloudtrail:StopLogging","Resource":"*"}]}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	// Before the SCP is attached the administrator reaches the handler.
	wantCode(t, err2(s.cloudtrail(memberAdmin).StopLogging(ctx, &cloudtrail.StopLoggingInput{Name: aws.String("org-trail")})), "TrailNotFoundException")
	if _, err := org.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: pol.Policy.PolicySummary.Id, TargetId: aws.String(member)}); err != nil {
		t.Fatal(err)
	}
	msg := wantCode(t, err2(s.cloudtrail(memberAdmin).StopLogging(ctx, &cloudtrail.StopLoggingInput{Name: aws.String("org-trail")})), "AccessDeniedException")
	if !strings.HasSuffix(msg, "with an explicit deny in a service control policy") {
		t.Fatalf("denial %q", msg)
	}
	// Everything else the SCPs allow (FullAWSAccess) still works.
	if _, err := s.cloudtrail(memberAdmin).DescribeTrails(ctx, &cloudtrail.DescribeTrailsInput{}); err != nil {
		t.Fatal(err)
	}
	// The management account is never bound by SCPs.
	wantCode(t, err2(s.cloudtrail(root).StopLogging(ctx, &cloudtrail.StopLoggingInput{Name: aws.String("org-trail")})), "TrailNotFoundException")
	// The denied call is in the member account's history.
	recs := lookup(t, s.cloudtrail(memberAdmin), cttypes.LookupAttributeKeyEventName, "StopLogging")
	if len(recs) != 2 || recs[0].str("errorCode") != "AccessDeniedException" {
		t.Fatalf("StopLogging events in the member account: %v", recs)
	}
}
