package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// newUser creates a user with an access key in the account of admin and
// returns a configuration that signs as that user.
func (s *cairnServer) newUser(t *testing.T, admin aws.Config, name string) aws.Config {
	t.Helper()
	c := s.iam(admin)
	if _, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}); err != nil {
		t.Fatal(err)
	}
	key, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	return s.config(aws.ToString(key.AccessKey.AccessKeyId), aws.ToString(key.AccessKey.SecretAccessKey), "")
}

func (s *cairnServer) attachUser(t *testing.T, admin aws.Config, user, policyARN string) {
	t.Helper()
	if _, err := s.iam(admin).AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String(user), PolicyArn: aws.String(policyARN)}); err != nil {
		t.Fatal(err)
	}
}

func (s *cairnServer) putUserPolicy(t *testing.T, admin aws.Config, user, name, doc string) {
	t.Helper()
	if _, err := s.iam(admin).PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(user), PolicyName: aws.String(name), PolicyDocument: aws.String(doc)}); err != nil {
		t.Fatal(err)
	}
}

const awsPolicy = "arn:aws:iam::aws:policy/"

// The scenario of the policy issue: a user with AWSCloudTrail_ReadOnlyAccess
// reads trails and event history but cannot create a trail, with AWS's
// message, and the denied call is in the event history.
func TestCloudTrailReadOnlyUser(t *testing.T) {
	s := startCairn(t)
	root := s.root()
	auditor := s.newUser(t, root, "auditor")
	s.attachUser(t, root, "auditor", awsPolicy+"AWSCloudTrail_ReadOnlyAccess")
	ct := s.cloudtrail(auditor)
	if _, err := ct.DescribeTrails(ctx, &cloudtrail.DescribeTrailsInput{}); err != nil {
		t.Fatalf("DescribeTrails: %v", err)
	}
	if _, err := ct.LookupEvents(ctx, &cloudtrail.LookupEventsInput{}); err != nil {
		t.Fatalf("LookupEvents: %v", err)
	}
	_, err := ct.CreateTrail(ctx, &cloudtrail.CreateTrailInput{Name: aws.String("main"), S3BucketName: aws.String("logs")})
	msg := wantCode(t, err, "AccessDeniedException")
	want := "User: arn:aws:iam::" + testAccount + ":user/auditor is not authorized to perform: cloudtrail:CreateTrail on resource: arn:aws:cloudtrail:us-east-1:" + testAccount + ":trail/main because no identity-based policy allows the cloudtrail:CreateTrail action"
	if msg != want {
		t.Fatalf("denial:\n got %q\nwant %q", msg, want)
	}
	recs := lookup(t, s.cloudtrail(root), cttypes.LookupAttributeKeyEventName, "CreateTrail")
	if len(recs) != 1 || recs[0].str("errorCode") != "AccessDeniedException" || recs[0].str("errorMessage") != want ||
		recs[0].str("userIdentity.userName") != "auditor" {
		t.Fatalf("CreateTrail record: %v", recs)
	}
	// IAM is out of reach of this policy.
	wantCode(t, err2(s.iam(auditor).ListUsers(ctx, &iam.ListUsersInput{})), "AccessDenied")
}

func TestExplicitDenyBeatsAllow(t *testing.T) {
	s := startCairn(t)
	root := s.root()
	admin := s.newUser(t, root, "admin")
	s.attachUser(t, root, "admin", awsPolicy+"AdministratorAccess")
	if _, err := s.iam(admin).ListUsers(ctx, &iam.ListUsersInput{}); err != nil {
		t.Fatalf("admin ListUsers: %v", err)
	}
	s.putUserPolicy(t, root, "admin", "no-new-users", `{"Version":"2012-10-17","Statement":[{"Sid":"NoNewUsers","Effect":"Deny","Action":"iam:CreateUser","Resource":"*"}]}`)
	msg := wantCode(t, err2(s.iam(admin).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("x")})), "AccessDenied")
	if !strings.HasSuffix(msg, "on resource: arn:aws:iam::"+testAccount+":user/x with an explicit deny in an identity-based policy") {
		t.Fatalf("denial %q", msg)
	}
	if _, err := s.iam(admin).ListUsers(ctx, &iam.ListUsersInput{}); err != nil {
		t.Fatalf("admin ListUsers after the deny: %v", err)
	}
}

func TestSourceIPCondition(t *testing.T) {
	s := startCairn(t)
	root := s.root()
	u := s.newUser(t, root, "net")
	doc := func(cidr string) string {
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*",
			"Condition":{"IpAddress":{"aws:SourceIp":"` + cidr + `"}}}]}`
	}
	s.putUserPolicy(t, root, "net", "office", doc("10.0.0.0/8"))
	wantCode(t, err2(s.iam(u).ListUsers(ctx, &iam.ListUsersInput{})), "AccessDenied")
	s.putUserPolicy(t, root, "net", "office", doc("127.0.0.0/8"))
	if _, err := s.iam(u).ListUsers(ctx, &iam.ListUsersInput{}); err != nil {
		t.Fatalf("ListUsers from 127.0.0.1 with 127.0.0.0/8 allowed: %v", err)
	}
}

func TestBoundaryCapsAdmin(t *testing.T) {
	s := startCairn(t)
	root := s.root()
	u := s.newUser(t, root, "capped")
	s.attachUser(t, root, "capped", awsPolicy+"AdministratorAccess")
	if _, err := s.iam(root).PutUserPermissionsBoundary(ctx, &iam.PutUserPermissionsBoundaryInput{
		UserName: aws.String("capped"), PermissionsBoundary: aws.String(awsPolicy + "IAMReadOnlyAccess")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.iam(u).ListUsers(ctx, &iam.ListUsersInput{}); err != nil {
		t.Fatalf("ListUsers inside the boundary: %v", err)
	}
	msg := wantCode(t, err2(s.iam(u).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("y")})), "AccessDenied")
	if !strings.HasSuffix(msg, "because no permissions boundary allows the iam:CreateUser action") {
		t.Fatalf("denial %q", msg)
	}
	wantCode(t, err2(s.cloudtrail(u).LookupEvents(ctx, &cloudtrail.LookupEventsInput{})), "AccessDeniedException")
}

func TestAssumeRoleSameAccountWithSessionPolicy(t *testing.T) {
	s := startCairn(t)
	root := s.root()
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + testAccount + `:root"},"Action":"sts:AssumeRole"}]}`
	role, err := s.iam(root).CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("Operator"), AssumeRolePolicyDocument: aws.String(trust)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.iam(root).AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("Operator"), PolicyArn: aws.String(awsPolicy + "IAMFullAccess")}); err != nil {
		t.Fatal(err)
	}
	u := s.newUser(t, root, "op")
	// The trust policy names only the account: the user's own policy must
	// allow sts:AssumeRole too.
	wantCode(t, err2(s.sts(u).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: role.Role.Arn, RoleSessionName: aws.String("s1")})), "AccessDenied")
	s.putUserPolicy(t, root, "op", "assume", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"`+aws.ToString(role.Role.Arn)+`"}]}`)
	out, err := s.sts(u).AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn: role.Role.Arn, RoleSessionName: aws.String("s1"),
		Policy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:List*","iam:Get*"],"Resource":"*"}]}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	wantARN := "arn:aws:sts::" + testAccount + ":assumed-role/Operator/s1"
	if aws.ToString(out.AssumedRoleUser.Arn) != wantARN || !strings.HasPrefix(aws.ToString(out.AssumedRoleUser.AssumedRoleId), aws.ToString(role.Role.RoleId)+":") {
		t.Fatalf("AssumedRoleUser %+v", out.AssumedRoleUser)
	}
	c := out.Credentials
	session := s.config(aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken))
	who, err := s.sts(session).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(who.Arn) != wantARN {
		t.Fatalf("session identity %v %v", who, err)
	}
	if _, err := s.iam(session).ListUsers(ctx, &iam.ListUsersInput{}); err != nil {
		t.Fatalf("ListUsers in the session: %v", err)
	}
	msg := wantCode(t, err2(s.iam(session).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("z")})), "AccessDenied")
	if !strings.HasPrefix(msg, "User: "+wantARN+" is not authorized") || !strings.HasSuffix(msg, "because no session policy allows the iam:CreateUser action") {
		t.Fatalf("denial %q", msg)
	}
	recs := lookup(t, s.cloudtrail(root), cttypes.LookupAttributeKeyUsername, "s1")
	if len(recs) == 0 {
		t.Fatal("no events for the role session")
	}
	r := recs[0]
	if r.str("userIdentity.type") != "AssumedRole" || r.str("userIdentity.arn") != wantARN ||
		r.str("userIdentity.sessionContext.sessionIssuer.type") != "Role" ||
		r.str("userIdentity.sessionContext.sessionIssuer.arn") != aws.ToString(role.Role.Arn) ||
		r.str("userIdentity.sessionContext.sessionIssuer.userName") != "Operator" {
		raw, _ := json.Marshal(r["userIdentity"])
		t.Fatalf("session identity in record: %s", raw)
	}
}

func TestSimulatorAgreesWithEnforcement(t *testing.T) {
	s := startCairn(t)
	root := s.root()
	u := s.newUser(t, root, "sim")
	s.attachUser(t, root, "sim", awsPolicy+"IAMReadOnlyAccess")
	s.putUserPolicy(t, root, "sim", "deny-keys", `{"Version":"2012-10-17","Statement":[{"Sid":"NoKeys","Effect":"Deny","Action":"iam:ListAccessKeys","Resource":"*"}]}`)
	out, err := s.iam(root).SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{
		PolicySourceArn: aws.String("arn:aws:iam::" + testAccount + ":user/sim"),
		ActionNames:     []string{"iam:ListUsers", "iam:ListAccessKeys", "iam:CreateUser"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]iamtypes.PolicyEvaluationDecisionType{
		"iam:ListUsers": "allowed", "iam:ListAccessKeys": "explicitDeny", "iam:CreateUser": "implicitDeny",
	}
	for _, r := range out.EvaluationResults {
		if r.EvalDecision != want[aws.ToString(r.EvalActionName)] {
			t.Errorf("%s: %s, want %s", aws.ToString(r.EvalActionName), r.EvalDecision, want[aws.ToString(r.EvalActionName)])
		}
	}
	// And enforcement says the same.
	if _, err := s.iam(u).ListUsers(ctx, &iam.ListUsersInput{}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, err2(s.iam(u).ListAccessKeys(ctx, &iam.ListAccessKeysInput{})), "AccessDenied")
	wantCode(t, err2(s.iam(u).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("n")})), "AccessDenied")
}
