package main

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
)

func (s *cairnServer) organizations(cfg aws.Config) *organizations.Client {
	return organizations.NewFromConfig(cfg)
}

// The story of issue 3 §4 from the management account's root: an
// organization, a member account, SCPs enabled, a policy attached to the
// new account; each call recorded as an Organizations event in us-east-1.
func TestOrganizationsWithTheSDK(t *testing.T) {
	s := startCairn(t)
	org := s.organizations(s.root())

	_, err := org.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	var notInUse *orgtypes.AWSOrganizationsNotInUseException
	if !errors.As(err, &notInUse) || aws.ToString(notInUse.Message) != "Your account is not a member of an organization." {
		t.Fatalf("DescribeOrganization before CreateOrganization: %v", err)
	}

	created, err := org.CreateOrganization(ctx, &organizations.CreateOrganizationInput{FeatureSet: orgtypes.OrganizationFeatureSetAll})
	if err != nil {
		t.Fatal(err)
	}
	o := created.Organization
	orgID := aws.ToString(o.Id)
	if !regexp.MustCompile(`^o-[a-z0-9]{10}$`).MatchString(orgID) || aws.ToString(o.MasterAccountId) != testAccount ||
		aws.ToString(o.Arn) != "arn:aws:organizations::"+testAccount+":organization/"+orgID || o.FeatureSet != orgtypes.OrganizationFeatureSetAll {
		t.Fatalf("organization %+v", o)
	}
	_, err = org.CreateOrganization(ctx, &organizations.CreateOrganizationInput{})
	var already *orgtypes.AlreadyInOrganizationException
	if !errors.As(err, &already) {
		t.Fatalf("second CreateOrganization: %v", err)
	}

	acct, err := org.CreateAccount(ctx, &organizations.CreateAccountInput{
		Email: aws.String("dev@example.com"), AccountName: aws.String("Development"),
	})
	if err != nil {
		t.Fatal(err)
	}
	st := acct.CreateAccountStatus
	devID := aws.ToString(st.AccountId)
	if st.State != orgtypes.CreateAccountStateSucceeded || !regexp.MustCompile(`^\d{12}$`).MatchString(devID) ||
		!strings.HasPrefix(aws.ToString(st.Id), "car-") || st.RequestedTimestamp == nil || st.CompletedTimestamp == nil {
		t.Fatalf("CreateAccountStatus %+v", st)
	}
	described, err := org.DescribeCreateAccountStatus(ctx, &organizations.DescribeCreateAccountStatusInput{CreateAccountRequestId: st.Id})
	if err != nil || aws.ToString(described.CreateAccountStatus.AccountId) != devID {
		t.Fatalf("DescribeCreateAccountStatus: %+v %v", described, err)
	}

	var ids []string
	pages := organizations.NewListAccountsPaginator(org, &organizations.ListAccountsInput{MaxResults: aws.Int32(1)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range page.Accounts {
			ids = append(ids, aws.ToString(a.Id))
			if aws.ToString(a.Id) == devID && (aws.ToString(a.Name) != "Development" || a.JoinedMethod != orgtypes.AccountJoinedMethodCreated ||
				a.Status != orgtypes.AccountStatusActive || aws.ToString(a.Arn) != "arn:aws:organizations::"+testAccount+":account/"+orgID+"/"+devID) {
				t.Errorf("listed account %+v", a)
			}
		}
	}
	slices.Sort(ids)
	want := []string{testAccount, devID}
	slices.Sort(want)
	if !slices.Equal(ids, want) {
		t.Fatalf("ListAccounts %v, want %v", ids, want)
	}

	roots, err := org.ListRoots(ctx, &organizations.ListRootsInput{})
	if err != nil || len(roots.Roots) != 1 || len(roots.Roots[0].PolicyTypes) != 0 {
		t.Fatalf("ListRoots: %+v %v", roots, err)
	}
	rootID := roots.Roots[0].Id
	enabled, err := org.EnablePolicyType(ctx, &organizations.EnablePolicyTypeInput{RootId: rootID, PolicyType: orgtypes.PolicyTypeServiceControlPolicy})
	if err != nil {
		t.Fatal(err)
	}
	if pt := enabled.Root.PolicyTypes; len(pt) != 1 || pt[0].Type != orgtypes.PolicyTypeServiceControlPolicy || pt[0].Status != orgtypes.PolicyTypeStatusEnabled {
		t.Fatalf("EnablePolicyType root %+v", enabled.Root)
	}

	const deny = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"cloudtrail:StopLogging","Resource":"*"}]}`
	_, err = org.CreatePolicy(ctx, &organizations.CreatePolicyInput{
		Name: aws.String("bad"), Description: aws.String(""), Type: orgtypes.PolicyTypeServiceControlPolicy,
		Content: aws.String(`{"Statement":[{"Effect":"Deny","Principal":"*","Action":"*"}]}`),
	})
	var malformed *orgtypes.MalformedPolicyDocumentException
	if !errors.As(err, &malformed) {
		t.Fatalf("CreatePolicy with a Principal: %v", err)
	}
	pol, err := org.CreatePolicy(ctx, &organizations.CreatePolicyInput{
		Name: aws.String("KeepTrailsOn"), Description: aws.String("no StopLogging"), Type: orgtypes.PolicyTypeServiceControlPolicy, Content: aws.String(deny),
	})
	if err != nil {
		t.Fatal(err)
	}
	policyID := aws.ToString(pol.Policy.PolicySummary.Id)
	if aws.ToString(pol.Policy.PolicySummary.Arn) != "arn:aws:organizations::"+testAccount+":policy/"+orgID+"/service_control_policy/"+policyID {
		t.Fatalf("policy %+v", pol.Policy.PolicySummary)
	}
	if _, err := org.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: aws.String(policyID), TargetId: aws.String(devID)}); err != nil {
		t.Fatal(err)
	}
	_, err = org.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: aws.String(policyID), TargetId: aws.String(devID)})
	var dup *orgtypes.DuplicatePolicyAttachmentException
	if !errors.As(err, &dup) {
		t.Fatalf("second AttachPolicy: %v", err)
	}

	attached, err := org.ListPoliciesForTarget(ctx, &organizations.ListPoliciesForTargetInput{TargetId: aws.String(devID), Filter: orgtypes.PolicyTypeServiceControlPolicy})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]orgtypes.PolicySummary{}
	for _, p := range attached.Policies {
		got[aws.ToString(p.Id)] = p
	}
	full := got["p-FullAWSAccess"]
	if len(got) != 2 || got[policyID].AwsManaged || !full.AwsManaged ||
		aws.ToString(full.Arn) != "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess" {
		t.Fatalf("ListPoliciesForTarget %+v", attached.Policies)
	}
	_, err = org.DetachPolicy(ctx, &organizations.DetachPolicyInput{PolicyId: aws.String("p-FullAWSAccess"), TargetId: rootID})
	var constraint *orgtypes.ConstraintViolationException
	if !errors.As(err, &constraint) {
		t.Fatalf("detaching the root's last SCP: %v", err)
	}

	// The events: global, in us-east-1, with the sensitive members left out.
	ct := s.cloudtrail(s.root())
	recs := lookup(t, ct, cttypes.LookupAttributeKeyEventName, "CreateAccount")
	if len(recs) != 1 {
		t.Fatalf("%d CreateAccount events", len(recs))
	}
	r := recs[0]
	if r.str("eventSource") != "organizations.amazonaws.com" || r.str("awsRegion") != "us-east-1" || r.str("recipientAccountId") != testAccount {
		t.Fatalf("CreateAccount event %v", r)
	}
	if r.str("responseElements.createAccountStatus.accountId") != devID || r.str("responseElements.createAccountStatus.state") != "SUCCEEDED" {
		t.Fatalf("CreateAccount response elements %v", r["responseElements"])
	}
	if req, _ := r["requestParameters"].(map[string]any); req["email"] != nil || req["accountName"] != nil {
		t.Fatalf("CreateAccount request parameters carry sensitive members: %v", req)
	}
	recs = lookup(t, ct, cttypes.LookupAttributeKeyEventName, "AttachPolicy")
	if len(recs) != 2 || recs[0].str("errorCode") != "DuplicatePolicyAttachmentException" || recs[1].str("errorCode") != "" ||
		recs[1].str("requestParameters.policyId") != policyID || recs[1].str("requestParameters.targetId") != devID {
		t.Fatalf("AttachPolicy events %v", recs)
	}
}
