package organizations_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/cairnhq/cairn/service/organizations"
)

func TestCreatePolicy(t *testing.T) {
	e := newEnv(t)
	org := e.createOrg()
	out := must[organizations.CreatePolicyOutput](e, "CreatePolicy", &organizations.CreatePolicyInput{
		Name: "DenyStopLogging", Description: sp("keeps trails on"), Type: organizations.TypeSCP, Content: denyTrail,
		Tags: []organizations.Tag{{Key: "owner", Value: "security"}},
	}).Policy
	s := out.PolicySummary
	if !regexp.MustCompile(`^p-[a-z0-9]{8}$`).MatchString(s.Id) {
		t.Fatalf("policy ID %q", s.Id)
	}
	want := organizations.PolicySummary{
		Id: s.Id, Arn: "arn:aws:organizations::" + mgmt + ":policy/" + org.Id + "/service_control_policy/" + s.Id,
		Name: "DenyStopLogging", Description: "keeps trails on", Type: "SERVICE_CONTROL_POLICY",
	}
	if *s != want || out.Content != denyTrail {
		t.Fatalf("CreatePolicy\n got %+v %q\nwant %+v", *s, out.Content, want)
	}
	got := must[organizations.DescribePolicyOutput](e, "DescribePolicy", &organizations.DescribePolicyInput{PolicyId: s.Id}).Policy
	if *got.PolicySummary != want || got.Content != denyTrail {
		t.Fatalf("DescribePolicy %+v", got)
	}
	// An empty description is allowed; SCPs need not be enabled to create
	// one.
	must[organizations.CreatePolicyOutput](e, "CreatePolicy", &organizations.CreatePolicyInput{Name: "other", Description: sp(""), Type: organizations.TypeSCP, Content: denyS3})
}

func TestCreatePolicyErrors(t *testing.T) {
	e := newEnv(t)
	in := func(name, content string) *organizations.CreatePolicyInput {
		return &organizations.CreatePolicyInput{Name: name, Description: sp("d"), Type: organizations.TypeSCP, Content: content}
	}
	e.fail("CreatePolicy", in("p", denyTrail), "AWSOrganizationsNotInUseException", "")
	e.createOrg()
	const malformed = "The provided policy document does not meet the requirements of the specified policy type."
	e.fail("CreatePolicy", in("p", `{"Version":`), "MalformedPolicyDocumentException", malformed)
	e.fail("CreatePolicy", in("p", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}]}`),
		"MalformedPolicyDocumentException", malformed)
	e.fail("CreatePolicy", in("p", `{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Action":"s3:*"}]}`), "MalformedPolicyDocumentException", malformed)
	e.fail("CreatePolicy", in("p", ""), "InvalidInputException", "You must include a value for all required parameters.")
	big := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*","Sid":"` + strings.Repeat("a", 5100) + `"}]}`
	e.fail("CreatePolicy", in("p", big), "ConstraintViolationException", "You attempted to create a policy that is larger than the maximum size.")
	e.fail("CreatePolicy", in("", denyTrail), "InvalidInputException", "You must include a value for all required parameters.")
	e.fail("CreatePolicy", in(strings.Repeat("n", 129), denyTrail), "InvalidInputException", "You provided a string parameter that is longer than allowed.")
	e.fail("CreatePolicy", &organizations.CreatePolicyInput{Name: "p", Type: organizations.TypeSCP, Content: denyTrail}, "InvalidInputException",
		"You must include a value for all required parameters.")
	e.fail("CreatePolicy", &organizations.CreatePolicyInput{Name: "p", Description: sp(strings.Repeat("d", 513)), Type: organizations.TypeSCP, Content: denyTrail},
		"InvalidInputException", "You provided a string parameter that is longer than allowed.")
	e.fail("CreatePolicy", &organizations.CreatePolicyInput{Name: "p", Description: sp("d"), Type: "TAG_POLICY", Content: `{}`}, "InvalidInputException",
		"Cairn supports only the SERVICE_CONTROL_POLICY policy type.")
	e.fail("CreatePolicy", &organizations.CreatePolicyInput{Name: "p", Description: sp("d"), Type: "BOGUS", Content: denyTrail}, "InvalidInputException",
		"You specified an invalid value.")
	e.createPolicy("p", denyTrail)
	e.fail("CreatePolicy", in("p", denyS3), "DuplicatePolicyException", "A policy with the specified name and type already exists.")
	e.fail("CreatePolicy", in(fullAccessName, denyS3), "DuplicatePolicyException", "")
	dev := e.createAccount("dev")
	e.failAs(dev, "CreatePolicy", in("q", denyS3), "AccessDeniedException", "You don't have permissions to access this resource.")
}

const fullAccessName = "FullAWSAccess"

func TestFullAWSAccess(t *testing.T) {
	e := newEnv(t)
	e.createOrg()
	p := must[organizations.DescribePolicyOutput](e, "DescribePolicy", &organizations.DescribePolicyInput{PolicyId: fullAccessID}).Policy
	want := organizations.PolicySummary{
		Id: fullAccessID, Arn: fullAccessARN, Name: fullAccessName, Description: "Allows access to every operation",
		Type: "SERVICE_CONTROL_POLICY", AwsManaged: true,
	}
	if *p.PolicySummary != want || p.Content != fullAccessDoc {
		t.Fatalf("FullAWSAccess %+v %q", *p.PolicySummary, p.Content)
	}
	const immutable = "You specified a policy that is managed by AWS and can't be modified."
	e.fail("UpdatePolicy", &organizations.UpdatePolicyInput{PolicyId: fullAccessID, Description: sp("mine")}, "InvalidInputException", immutable)
	e.fail("DeletePolicy", &organizations.DeletePolicyInput{PolicyId: fullAccessID}, "InvalidInputException", immutable)
}

func TestUpdatePolicy(t *testing.T) {
	e := newEnv(t)
	e.createOrg()
	p := e.createPolicy("deny", denyTrail)
	e.createPolicy("taken", denyS3)
	out := must[organizations.UpdatePolicyOutput](e, "UpdatePolicy", &organizations.UpdatePolicyInput{PolicyId: p.Id, Name: sp("renamed"), Content: sp(denyS3)}).Policy
	if out.PolicySummary.Name != "renamed" || out.PolicySummary.Description != p.Description || out.Content != denyS3 {
		t.Fatalf("UpdatePolicy %+v %q", out.PolicySummary, out.Content)
	}
	out = must[organizations.UpdatePolicyOutput](e, "UpdatePolicy", &organizations.UpdatePolicyInput{PolicyId: p.Id, Description: sp("")}).Policy
	if out.PolicySummary.Name != "renamed" || out.PolicySummary.Description != "" || out.Content != denyS3 {
		t.Fatalf("UpdatePolicy (description) %+v %q", out.PolicySummary, out.Content)
	}
	// Renaming to its own name is no conflict.
	must[organizations.UpdatePolicyOutput](e, "UpdatePolicy", &organizations.UpdatePolicyInput{PolicyId: p.Id, Name: sp("renamed")})
	e.fail("UpdatePolicy", &organizations.UpdatePolicyInput{PolicyId: p.Id, Name: sp("taken")}, "DuplicatePolicyException", "")
	e.fail("UpdatePolicy", &organizations.UpdatePolicyInput{PolicyId: p.Id, Content: sp(`[]`)}, "MalformedPolicyDocumentException", "")
	e.fail("UpdatePolicy", &organizations.UpdatePolicyInput{PolicyId: p.Id, Name: sp("")}, "InvalidInputException", "")
	e.fail("UpdatePolicy", &organizations.UpdatePolicyInput{PolicyId: "p-00000000"}, "PolicyNotFoundException",
		"We can't find a policy with the PolicyId that you specified.")
	e.fail("UpdatePolicy", &organizations.UpdatePolicyInput{PolicyId: "p-1"}, "InvalidInputException",
		"You provided a value that does not match the required pattern.")
	if got := must[organizations.DescribePolicyOutput](e, "DescribePolicy", &organizations.DescribePolicyInput{PolicyId: p.Id}).Policy; got.Content != denyS3 {
		t.Fatalf("failed updates changed the policy: %+v", got)
	}
}

func TestDeletePolicy(t *testing.T) {
	e := newEnv(t)
	e.createOrg()
	e.enableSCPs()
	dev := e.createAccount("dev")
	p := e.createPolicy("deny", denyTrail)
	e.attach(p.Id, dev)
	e.fail("DeletePolicy", &organizations.DeletePolicyInput{PolicyId: p.Id}, "PolicyInUseException",
		"The policy is attached to one or more entities. You must detach it from all roots, OUs, and accounts before performing this operation.")
	e.detach(p.Id, dev)
	must[organizations.DeletePolicyOutput](e, "DeletePolicy", &organizations.DeletePolicyInput{PolicyId: p.Id})
	e.fail("DescribePolicy", &organizations.DescribePolicyInput{PolicyId: p.Id}, "PolicyNotFoundException", "")
	e.fail("DeletePolicy", &organizations.DeletePolicyInput{PolicyId: p.Id}, "PolicyNotFoundException", "")
	// The name is free again.
	e.createPolicy("deny", denyS3)
	e.failAs(dev, "DeletePolicy", &organizations.DeletePolicyInput{PolicyId: p.Id}, "AccessDeniedException", "")
}

func TestDescribePolicyErrors(t *testing.T) {
	e := newEnv(t)
	e.fail("DescribePolicy", &organizations.DescribePolicyInput{PolicyId: fullAccessID}, "AWSOrganizationsNotInUseException", "")
	e.createOrg()
	e.fail("DescribePolicy", &organizations.DescribePolicyInput{}, "InvalidInputException", "You must include a value for all required parameters.")
	e.fail("DescribePolicy", &organizations.DescribePolicyInput{PolicyId: "policy"}, "InvalidInputException", "")
	// A policy of another organization is not found.
	mustAs[organizations.CreateOrganizationOutput](e, other, "CreateOrganization", &organizations.CreateOrganizationInput{})
	theirs := mustAs[organizations.CreatePolicyOutput](e, other, "CreatePolicy", &organizations.CreatePolicyInput{
		Name: "x", Description: sp(""), Type: organizations.TypeSCP, Content: denyS3,
	}).Policy.PolicySummary
	e.fail("DescribePolicy", &organizations.DescribePolicyInput{PolicyId: theirs.Id}, "PolicyNotFoundException", "")
	dev := e.createAccount("dev")
	e.failAs(dev, "DescribePolicy", &organizations.DescribePolicyInput{PolicyId: fullAccessID}, "AccessDeniedException", "")
}

func TestListPolicies(t *testing.T) {
	e := newEnv(t)
	e.createOrg()
	want := map[string]bool{fullAccessID: true}
	for i := range 24 {
		want[e.createPolicy(fmt.Sprint("policy", i), denyS3).Id] = true
	}
	seen := map[string]bool{}
	var token *string
	for pages := 1; ; pages++ {
		out := must[organizations.ListPoliciesOutput](e, "ListPolicies", &organizations.ListPoliciesInput{Filter: organizations.TypeSCP, MaxResults: i32(10), NextToken: token})
		for _, p := range out.Policies {
			if seen[p.Id] || p.Type != organizations.TypeSCP {
				t.Fatalf("policy %+v listed twice or of the wrong type", p)
			}
			seen[p.Id] = true
			if p.Id == fullAccessID && (!p.AwsManaged || p.Arn != fullAccessARN) {
				t.Fatalf("FullAWSAccess listed as %+v", p)
			}
		}
		if out.NextToken == nil {
			if pages != 3 {
				t.Fatalf("%d pages", pages)
			}
			break
		}
		token = out.NextToken
	}
	if len(seen) != len(want) {
		t.Fatalf("listed %d policies, want %d", len(seen), len(want))
	}
	// A token of one filter is refused by another.
	out := must[organizations.ListPoliciesOutput](e, "ListPolicies", &organizations.ListPoliciesInput{Filter: organizations.TypeSCP, MaxResults: i32(1)})
	e.fail("ListPolicies", &organizations.ListPoliciesInput{Filter: "TAG_POLICY", NextToken: out.NextToken}, "InvalidInputException", "")
	// Other policy types exist in the enum but Cairn holds none.
	if got := must[organizations.ListPoliciesOutput](e, "ListPolicies", &organizations.ListPoliciesInput{Filter: "TAG_POLICY"}); len(got.Policies) != 0 || got.Policies == nil {
		t.Fatalf("TAG_POLICY listing %#v", got.Policies)
	}
	e.fail("ListPolicies", &organizations.ListPoliciesInput{}, "InvalidInputException", "You must include a value for all required parameters.")
	e.fail("ListPolicies", &organizations.ListPoliciesInput{Filter: "NOPE"}, "InvalidInputException", "You specified an invalid value.")
	dev := e.createAccount("dev")
	e.failAs(dev, "ListPolicies", &organizations.ListPoliciesInput{Filter: organizations.TypeSCP}, "AccessDeniedException", "")
}
