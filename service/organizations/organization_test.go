package organizations_test

import (
	"regexp"
	"testing"

	"github.com/cairnhq/cairn/service/organizations"
)

func TestCreateOrganization(t *testing.T) {
	e := newEnv(t)
	org := e.createOrg()
	if !regexp.MustCompile(`^o-[a-z0-9]{10}$`).MatchString(org.Id) {
		t.Fatalf("organization ID %q", org.Id)
	}
	if org.Arn != "arn:aws:organizations::"+mgmt+":organization/"+org.Id {
		t.Errorf("Arn %s", org.Arn)
	}
	if org.MasterAccountId != mgmt || org.MasterAccountArn != "arn:aws:organizations::"+mgmt+":account/"+org.Id+"/"+mgmt {
		t.Errorf("management account %s %s", org.MasterAccountId, org.MasterAccountArn)
	}
	if org.FeatureSet != "ALL" || len(org.AvailablePolicyTypes) != 1 || org.AvailablePolicyTypes[0] != (organizations.PolicyTypeSummary{Type: "SERVICE_CONTROL_POLICY", Status: "ENABLED"}) {
		t.Errorf("feature set %s, policy types %+v", org.FeatureSet, org.AvailablePolicyTypes)
	}

	// The feature set defaults to ALL.
	e2 := newEnv(t)
	if o := must[organizations.CreateOrganizationOutput](e2, "CreateOrganization", &organizations.CreateOrganizationInput{}).Organization; o.FeatureSet != "ALL" {
		t.Errorf("default feature set %s", o.FeatureSet)
	}
}

func TestCreateOrganizationErrors(t *testing.T) {
	e := newEnv(t)
	e.fail("CreateOrganization", &organizations.CreateOrganizationInput{FeatureSet: sp("CONSOLIDATED_BILLING")}, "InvalidInputException",
		"Cairn supports only organizations with all features enabled (FeatureSet ALL).")
	e.fail("CreateOrganization", &organizations.CreateOrganizationInput{FeatureSet: sp("SOME")}, "InvalidInputException", "You specified an invalid value.")
	e.createOrg()
	e.fail("CreateOrganization", &organizations.CreateOrganizationInput{}, "AlreadyInOrganizationException",
		"The AWS account is already a member of an organization.")
	member := e.createAccount("dev")
	e.failAs(member, "CreateOrganization", &organizations.CreateOrganizationInput{}, "AlreadyInOrganizationException", "")
	// Another account may create its own.
	mustAs[organizations.CreateOrganizationOutput](e, other, "CreateOrganization", &organizations.CreateOrganizationInput{})
}

func TestDescribeOrganization(t *testing.T) {
	e := newEnv(t)
	e.failAs(mgmt, "DescribeOrganization", &organizations.DescribeOrganizationInput{}, "AWSOrganizationsNotInUseException",
		"Your account is not a member of an organization.")
	org := e.createOrg()
	got := must[organizations.DescribeOrganizationOutput](e, "DescribeOrganization", &organizations.DescribeOrganizationInput{}).Organization
	if got.Id != org.Id || got.Arn != org.Arn || got.MasterAccountId != mgmt || got.MasterAccountArn != org.MasterAccountArn || got.FeatureSet != "ALL" {
		t.Fatalf("DescribeOrganization %+v, want %+v", got, org)
	}
	// Member accounts may describe their organization.
	member := e.createAccount("dev")
	if got := mustAs[organizations.DescribeOrganizationOutput](e, member, "DescribeOrganization", &organizations.DescribeOrganizationInput{}).Organization; got.Id != org.Id || got.MasterAccountId != mgmt {
		t.Fatalf("member's DescribeOrganization %+v", got)
	}
	e.failAs(other, "DescribeOrganization", &organizations.DescribeOrganizationInput{}, "AWSOrganizationsNotInUseException", "")
}

func TestListRoots(t *testing.T) {
	e := newEnv(t)
	org := e.createOrg()
	roots := must[organizations.ListRootsOutput](e, "ListRoots", &organizations.ListRootsInput{})
	if len(roots.Roots) != 1 || roots.NextToken != nil {
		t.Fatalf("ListRoots %+v", roots)
	}
	r := roots.Roots[0]
	if !regexp.MustCompile(`^r-[a-z0-9]{4}$`).MatchString(r.Id) || r.Name != "Root" ||
		r.Arn != "arn:aws:organizations::"+mgmt+":root/"+org.Id+"/"+r.Id {
		t.Fatalf("root %+v", r)
	}
	if r.PolicyTypes == nil || len(r.PolicyTypes) != 0 {
		t.Fatalf("policy types before enabling: %#v (want empty, not nil)", r.PolicyTypes)
	}
	e.enableSCPs()
	r = must[organizations.ListRootsOutput](e, "ListRoots", &organizations.ListRootsInput{MaxResults: i32(1)}).Roots[0]
	if len(r.PolicyTypes) != 1 || r.PolicyTypes[0].Type != "SERVICE_CONTROL_POLICY" || r.PolicyTypes[0].Status != "ENABLED" {
		t.Fatalf("policy types after enabling: %+v", r.PolicyTypes)
	}
	e.fail("ListRoots", &organizations.ListRootsInput{MaxResults: i32(0)}, "InvalidInputException",
		"You provided a numeric parameter that has a smaller value than allowed.")
	e.fail("ListRoots", &organizations.ListRootsInput{MaxResults: i32(21)}, "InvalidInputException",
		"You provided a numeric parameter that has a larger value than allowed.")
	e.fail("ListRoots", &organizations.ListRootsInput{NextToken: sp("not-a-token!")}, "InvalidInputException",
		"Get the value for the NextToken parameter from the response to a previous call of the operation.")
	member := e.createAccount("dev")
	e.failAs(member, "ListRoots", &organizations.ListRootsInput{}, "AccessDeniedException", "You don't have permissions to access this resource.")
	e.failAs(other, "ListRoots", &organizations.ListRootsInput{}, "AWSOrganizationsNotInUseException", "")
}

func TestEnablePolicyType(t *testing.T) {
	e := newEnv(t)
	e.createOrg()
	root := e.rootID()
	dev := e.createAccount("dev")
	// Before enabling, nothing is attached.
	if got := e.policiesFor(root); len(got) != 0 {
		t.Fatalf("root policies before enabling: %v", got)
	}
	e.fail("EnablePolicyType", &organizations.EnablePolicyTypeInput{RootId: "r-zzzz", PolicyType: organizations.TypeSCP}, "RootNotFoundException",
		"You specified a root that doesn't exist.")
	e.fail("EnablePolicyType", &organizations.EnablePolicyTypeInput{RootId: "root", PolicyType: organizations.TypeSCP}, "InvalidInputException",
		"You provided a value that does not match the required pattern.")
	e.fail("EnablePolicyType", &organizations.EnablePolicyTypeInput{RootId: root}, "InvalidInputException",
		"You must include a value for all required parameters.")
	e.fail("EnablePolicyType", &organizations.EnablePolicyTypeInput{RootId: root, PolicyType: "TAG_POLICY"}, "InvalidInputException",
		"Cairn supports only the SERVICE_CONTROL_POLICY policy type.")
	e.fail("EnablePolicyType", &organizations.EnablePolicyTypeInput{RootId: root, PolicyType: "NOPE"}, "InvalidInputException",
		"You specified an invalid value.")
	e.failAs(dev, "EnablePolicyType", &organizations.EnablePolicyTypeInput{RootId: root, PolicyType: organizations.TypeSCP}, "AccessDeniedException", "")

	out := must[organizations.EnablePolicyTypeOutput](e, "EnablePolicyType", &organizations.EnablePolicyTypeInput{RootId: root, PolicyType: organizations.TypeSCP})
	if out.Root.Id != root || len(out.Root.PolicyTypes) != 1 || out.Root.PolicyTypes[0].Status != "ENABLED" {
		t.Fatalf("EnablePolicyType root %+v", out.Root)
	}
	// FullAWSAccess lands on the root and every account, the management
	// account included, as on AWS.
	for _, target := range []string{root, mgmt, dev} {
		if got := e.policiesFor(target); len(got) != 1 || got[0] != fullAccessID {
			t.Errorf("policies for %s: %v", target, got)
		}
	}
	e.fail("EnablePolicyType", &organizations.EnablePolicyTypeInput{RootId: root, PolicyType: organizations.TypeSCP}, "PolicyTypeAlreadyEnabledException",
		"The specified policy type is already enabled.")
	// Accounts created afterwards get FullAWSAccess too.
	prod := e.createAccount("prod")
	if got := e.policiesFor(prod); len(got) != 1 || got[0] != fullAccessID {
		t.Errorf("policies for a new account: %v", got)
	}
}

func TestDisablePolicyType(t *testing.T) {
	e := newEnv(t)
	e.createOrg()
	root := e.rootID()
	e.fail("DisablePolicyType", &organizations.DisablePolicyTypeInput{RootId: root, PolicyType: organizations.TypeSCP}, "PolicyTypeNotEnabledException",
		"This operation can be performed only for enabled policy types.")
	dev := e.createAccount("dev")
	e.enableSCPs()
	deny := e.createPolicy("deny", denyTrail)
	e.attach(deny.Id, dev)
	e.attach(deny.Id, root)
	e.failAs(dev, "DisablePolicyType", &organizations.DisablePolicyTypeInput{RootId: root, PolicyType: organizations.TypeSCP}, "AccessDeniedException", "")
	e.fail("DisablePolicyType", &organizations.DisablePolicyTypeInput{RootId: "r-0000", PolicyType: organizations.TypeSCP}, "RootNotFoundException", "")

	out := must[organizations.DisablePolicyTypeOutput](e, "DisablePolicyType", &organizations.DisablePolicyTypeInput{RootId: root, PolicyType: organizations.TypeSCP})
	if len(out.Root.PolicyTypes) != 0 {
		t.Fatalf("root after disabling: %+v", out.Root)
	}
	for _, target := range []string{root, mgmt, dev} {
		if got := e.policiesFor(target); len(got) != 0 {
			t.Errorf("policies for %s after disabling: %v", target, got)
		}
	}
	targets := must[organizations.ListTargetsForPolicyOutput](e, "ListTargetsForPolicy", &organizations.ListTargetsForPolicyInput{PolicyId: deny.Id})
	if len(targets.Targets) != 0 {
		t.Errorf("targets of a policy after disabling: %+v", targets.Targets)
	}
	// The policy is free to delete now; re-enabling attaches only
	// FullAWSAccess.
	must[organizations.DeletePolicyOutput](e, "DeletePolicy", &organizations.DeletePolicyInput{PolicyId: deny.Id})
	e.enableSCPs()
	if got := e.policiesFor(dev); len(got) != 1 || got[0] != fullAccessID {
		t.Errorf("policies after re-enabling: %v", got)
	}
}
