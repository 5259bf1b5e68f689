package organizations_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/cairnhq/cairn/service/organizations"
)

func TestAttachPolicy(t *testing.T) {
	e := newEnv(t)
	org := e.createOrg()
	root := e.rootID()
	dev := e.createAccount("dev")
	p := e.createPolicy("deny", denyTrail)
	e.fail("AttachPolicy", &organizations.AttachPolicyInput{PolicyId: p.Id, TargetId: dev}, "PolicyTypeNotEnabledException",
		"This operation can be performed only for enabled policy types.")
	e.enableSCPs()

	e.attach(p.Id, dev)
	e.attach(p.Id, root)
	for _, target := range []string{root, dev} {
		got := e.policiesFor(target)
		slices.Sort(got)
		want := []string{fullAccessID, p.Id}
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("policies for %s: %v, want %v", target, got, want)
		}
	}
	out := must[organizations.ListPoliciesForTargetOutput](e, "ListPoliciesForTarget", &organizations.ListPoliciesForTargetInput{TargetId: dev, Filter: organizations.TypeSCP})
	for _, s := range out.Policies {
		if s.Id == p.Id && (s.Name != "deny" || s.Arn != p.Arn || s.AwsManaged) {
			t.Errorf("summary %+v", s)
		}
	}
	targets := must[organizations.ListTargetsForPolicyOutput](e, "ListTargetsForPolicy", &organizations.ListTargetsForPolicyInput{PolicyId: p.Id}).Targets
	want := []organizations.PolicyTargetSummary{
		{TargetId: dev, Arn: "arn:aws:organizations::" + mgmt + ":account/" + org.Id + "/" + dev, Name: "dev", Type: "ACCOUNT"},
		{TargetId: root, Arn: "arn:aws:organizations::" + mgmt + ":root/" + org.Id + "/" + root, Name: "Root", Type: "ROOT"},
	}
	if !slices.Equal(targets, want) {
		t.Fatalf("ListTargetsForPolicy\n got %+v\nwant %+v", targets, want)
	}

	e.fail("AttachPolicy", &organizations.AttachPolicyInput{PolicyId: p.Id, TargetId: dev}, "DuplicatePolicyAttachmentException",
		"A policy with the specified name and type already exists.")
	e.fail("AttachPolicy", &organizations.AttachPolicyInput{PolicyId: fullAccessID, TargetId: root}, "DuplicatePolicyAttachmentException", "")
}

func TestAttachPolicyErrors(t *testing.T) {
	e := newEnv(t)
	e.fail("AttachPolicy", &organizations.AttachPolicyInput{PolicyId: fullAccessID, TargetId: mgmt}, "AWSOrganizationsNotInUseException", "")
	e.createOrg()
	e.enableSCPs()
	dev := e.createAccount("dev")
	p := e.createPolicy("deny", denyTrail)
	const notFound = "You specified a target that doesn't exist."
	e.fail("AttachPolicy", &organizations.AttachPolicyInput{PolicyId: p.Id, TargetId: "999999999999"}, "TargetNotFoundException", notFound)
	e.fail("AttachPolicy", &organizations.AttachPolicyInput{PolicyId: p.Id, TargetId: "r-zz99"}, "TargetNotFoundException", notFound)
	e.fail("AttachPolicy", &organizations.AttachPolicyInput{PolicyId: p.Id, TargetId: "ou-ab12-abcdefgh"}, "TargetNotFoundException", notFound)
	e.fail("AttachPolicy", &organizations.AttachPolicyInput{PolicyId: p.Id, TargetId: "account-1"}, "InvalidInputException",
		"You specified a policy target ID that doesn't match the required pattern.")
	e.fail("AttachPolicy", &organizations.AttachPolicyInput{PolicyId: p.Id}, "InvalidInputException", "You must include a value for all required parameters.")
	e.fail("AttachPolicy", &organizations.AttachPolicyInput{PolicyId: "p-99999999", TargetId: dev}, "PolicyNotFoundException",
		"We can't find a policy with the PolicyId that you specified.")
	e.fail("AttachPolicy", &organizations.AttachPolicyInput{PolicyId: "x", TargetId: dev}, "InvalidInputException", "")
	e.failAs(dev, "AttachPolicy", &organizations.AttachPolicyInput{PolicyId: p.Id, TargetId: dev}, "AccessDeniedException",
		"You don't have permissions to access this resource.")

	// At most five SCPs on one target.
	for i := range 4 {
		e.attach(e.createPolicy(fmt.Sprint("p", i), denyS3).Id, dev)
	}
	if n := len(e.policiesFor(dev)); n != 5 {
		t.Fatalf("%d policies attached", n)
	}
	e.fail("AttachPolicy", &organizations.AttachPolicyInput{PolicyId: p.Id, TargetId: dev}, "ConstraintViolationException",
		"You attempted to exceed the number of policies of a certain type that can be attached to an entity at one time.")
}

func TestDetachPolicy(t *testing.T) {
	e := newEnv(t)
	e.createOrg()
	e.enableSCPs()
	root := e.rootID()
	dev := e.createAccount("dev")
	p := e.createPolicy("allowIAM", allowIAM)

	// Every target keeps at least one SCP.
	const minimum = "You attempted to detach a policy from an entity that would cause the entity to have fewer than the minimum number of policies of a certain type required."
	e.fail("DetachPolicy", &organizations.DetachPolicyInput{PolicyId: fullAccessID, TargetId: dev}, "ConstraintViolationException", minimum)
	e.fail("DetachPolicy", &organizations.DetachPolicyInput{PolicyId: fullAccessID, TargetId: root}, "ConstraintViolationException", minimum)
	e.fail("DetachPolicy", &organizations.DetachPolicyInput{PolicyId: p.Id, TargetId: dev}, "PolicyNotAttachedException",
		"The policy isn't attached to the specified target in the specified root.")

	// Replacing FullAWSAccess with an allow list: attach first, then
	// detach the default.
	e.attach(p.Id, dev)
	e.detach(fullAccessID, dev)
	if got := e.policiesFor(dev); !slices.Equal(got, []string{p.Id}) {
		t.Fatalf("policies for dev: %v", got)
	}
	e.fail("DetachPolicy", &organizations.DetachPolicyInput{PolicyId: p.Id, TargetId: dev}, "ConstraintViolationException", minimum)
	targets := must[organizations.ListTargetsForPolicyOutput](e, "ListTargetsForPolicy", &organizations.ListTargetsForPolicyInput{PolicyId: fullAccessID}).Targets
	for _, tg := range targets {
		if tg.TargetId == dev {
			t.Fatalf("FullAWSAccess still lists %s: %+v", dev, targets)
		}
	}
	if len(targets) != 2 { // root and the management account
		t.Fatalf("FullAWSAccess targets %+v", targets)
	}
	e.fail("DetachPolicy", &organizations.DetachPolicyInput{PolicyId: p.Id, TargetId: "999999999999"}, "TargetNotFoundException", "")
	e.fail("DetachPolicy", &organizations.DetachPolicyInput{PolicyId: "p-abcdefgh", TargetId: dev}, "PolicyNotFoundException", "")
	e.fail("DetachPolicy", &organizations.DetachPolicyInput{PolicyId: p.Id, TargetId: "bad"}, "InvalidInputException", "")
	e.failAs(dev, "DetachPolicy", &organizations.DetachPolicyInput{PolicyId: p.Id, TargetId: dev}, "AccessDeniedException", "")
}

func TestListPoliciesForTargetErrors(t *testing.T) {
	e := newEnv(t)
	e.createOrg()
	dev := e.createAccount("dev")
	in := func(target, filter string) *organizations.ListPoliciesForTargetInput {
		return &organizations.ListPoliciesForTargetInput{TargetId: target, Filter: filter}
	}
	e.fail("ListPoliciesForTarget", in("999999999999", organizations.TypeSCP), "TargetNotFoundException", "")
	e.fail("ListPoliciesForTarget", in("nope", organizations.TypeSCP), "InvalidInputException", "")
	e.fail("ListPoliciesForTarget", in(dev, ""), "InvalidInputException", "You must include a value for all required parameters.")
	e.fail("ListPoliciesForTarget", &organizations.ListPoliciesForTargetInput{TargetId: dev, Filter: organizations.TypeSCP, MaxResults: i32(0)}, "InvalidInputException", "")
	if got := must[organizations.ListPoliciesForTargetOutput](e, "ListPoliciesForTarget", in(dev, "BACKUP_POLICY")); len(got.Policies) != 0 {
		t.Fatalf("backup policies %+v", got.Policies)
	}
	e.failAs(dev, "ListPoliciesForTarget", in(dev, organizations.TypeSCP), "AccessDeniedException", "")
	e.failAs(other, "ListPoliciesForTarget", in(dev, organizations.TypeSCP), "AWSOrganizationsNotInUseException", "")
}

func TestListTargetsForPolicyPaging(t *testing.T) {
	e := newEnv(t)
	e.createOrg()
	want := map[string]bool{e.rootID(): true, mgmt: true}
	for i := range 21 {
		want[e.createAccount(fmt.Sprint("a", i))] = true
	}
	e.enableSCPs()
	seen := map[string]bool{}
	var token *string
	for {
		out := must[organizations.ListTargetsForPolicyOutput](e, "ListTargetsForPolicy", &organizations.ListTargetsForPolicyInput{PolicyId: fullAccessID, MaxResults: i32(5), NextToken: token})
		for _, tg := range out.Targets {
			if seen[tg.TargetId] {
				t.Fatalf("target %s listed twice", tg.TargetId)
			}
			seen[tg.TargetId] = true
		}
		if out.NextToken == nil {
			break
		}
		token = out.NextToken
	}
	if len(seen) != len(want) {
		t.Fatalf("%d targets, want %d", len(seen), len(want))
	}
	// The token names its policy.
	p := e.createPolicy("p", denyS3)
	first := must[organizations.ListTargetsForPolicyOutput](e, "ListTargetsForPolicy", &organizations.ListTargetsForPolicyInput{PolicyId: fullAccessID, MaxResults: i32(1)})
	e.fail("ListTargetsForPolicy", &organizations.ListTargetsForPolicyInput{PolicyId: p.Id, NextToken: first.NextToken}, "InvalidInputException", "")
	e.fail("ListTargetsForPolicy", &organizations.ListTargetsForPolicyInput{PolicyId: "p-zzzzzzzz"}, "PolicyNotFoundException", "")
}

// Every operation but CreateOrganization fails outside an organization,
// and every management-only one fails in a member account.
func TestCallerRules(t *testing.T) {
	e := newEnv(t)
	e.createOrg()
	root := e.rootID()
	dev := e.createAccount("dev")
	inputs := map[string]any{
		"DescribeOrganization":        &organizations.DescribeOrganizationInput{},
		"CreateAccount":               &organizations.CreateAccountInput{Email: "z@example.com", AccountName: "z"},
		"DescribeCreateAccountStatus": &organizations.DescribeCreateAccountStatusInput{CreateAccountRequestId: "car-abcdefgh"},
		"ListAccounts":                &organizations.ListAccountsInput{},
		"DescribeAccount":             &organizations.DescribeAccountInput{AccountId: dev},
		"ListRoots":                   &organizations.ListRootsInput{},
		"EnablePolicyType":            &organizations.EnablePolicyTypeInput{RootId: root, PolicyType: organizations.TypeSCP},
		"DisablePolicyType":           &organizations.DisablePolicyTypeInput{RootId: root, PolicyType: organizations.TypeSCP},
		"CreatePolicy":                &organizations.CreatePolicyInput{Name: "n", Description: sp(""), Type: organizations.TypeSCP, Content: denyS3},
		"UpdatePolicy":                &organizations.UpdatePolicyInput{PolicyId: fullAccessID},
		"DeletePolicy":                &organizations.DeletePolicyInput{PolicyId: fullAccessID},
		"DescribePolicy":              &organizations.DescribePolicyInput{PolicyId: fullAccessID},
		"AttachPolicy":                &organizations.AttachPolicyInput{PolicyId: fullAccessID, TargetId: dev},
		"DetachPolicy":                &organizations.DetachPolicyInput{PolicyId: fullAccessID, TargetId: dev},
		"ListPolicies":                &organizations.ListPoliciesInput{Filter: organizations.TypeSCP},
		"ListPoliciesForTarget":       &organizations.ListPoliciesForTargetInput{TargetId: dev, Filter: organizations.TypeSCP},
		"ListTargetsForPolicy":        &organizations.ListTargetsForPolicyInput{PolicyId: fullAccessID},
	}
	for _, op := range e.desc.Operations {
		if op.Name == "CreateOrganization" {
			continue
		}
		in, ok := inputs[op.Name]
		if !ok {
			t.Fatalf("no input for %s", op.Name)
		}
		t.Run(op.Name, func(t *testing.T) {
			e.failAs(other, op.Name, in, "AWSOrganizationsNotInUseException", "Your account is not a member of an organization.")
			if op.Name == "DescribeOrganization" {
				return
			}
			e.failAs(dev, op.Name, in, "AccessDeniedException", "You don't have permissions to access this resource.")
		})
	}
}
