package organizations_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/audit"
	"github.com/cairnhq/cairn/botocoretest"
	"github.com/cairnhq/cairn/service/organizations"
)

// opTypes returns the input and output types of a row: New gives the
// input; the output type comes from the handler method.
func opTypes(t *testing.T, e *env, op *cairn.Operation) (in, out reflect.Type) {
	t.Helper()
	in = reflect.TypeOf(op.New()).Elem()
	m := reflect.ValueOf(e.svc).MethodByName(op.Name)
	if !m.IsValid() {
		t.Fatalf("%s: no handler method", op.Name)
	}
	return in, m.Type().Out(0).Elem()
}

// onStar are the operations the Service Authorization Reference lists
// without a resource type: authorized on "*".
var onStar = map[string]bool{
	"CreateOrganization": true, "DescribeOrganization": true, "CreateAccount": true,
	"DescribeCreateAccountStatus": true, "ListAccounts": true, "ListRoots": true,
	"CreatePolicy": true, "ListPolicies": true,
}

// withPolicyType are the operations that carry organizations:PolicyType.
var withPolicyType = map[string]bool{
	"EnablePolicyType": true, "DisablePolicyType": true, "CreatePolicy": true, "UpdatePolicy": true,
	"DeletePolicy": true, "DescribePolicy": true, "AttachPolicy": true, "DetachPolicy": true,
	"ListPolicies": true, "ListPoliciesForTarget": true, "ListTargetsForPolicy": true,
}

func TestDescriptorRowsAreComplete(t *testing.T) {
	e := newEnv(t)
	if e.desc.Name != "organizations" || e.desc.EventSource != "organizations.amazonaws.com" || !e.desc.Global {
		t.Fatalf("service header %+v", e.desc)
	}
	seen := map[string]bool{}
	for i := range e.desc.Operations {
		op := &e.desc.Operations[i]
		t.Run(op.Name, func(t *testing.T) {
			if seen[op.Name] {
				t.Fatal("duplicate row")
			}
			seen[op.Name] = true
			if op.Action != "organizations:"+op.Name {
				t.Errorf("Action %q", op.Action)
			}
			if op.New == nil || op.Invoke == nil {
				t.Fatal("not bound with cairn.Define")
			}
			readOnly := strings.HasPrefix(op.Name, "Describe") || strings.HasPrefix(op.Name, "List")
			if op.ReadOnly != readOnly {
				t.Errorf("ReadOnly %v", op.ReadOnly)
			}
			if op.AlwaysAllowed || op.Data {
				t.Error("Organizations calls are authorized management events")
			}
			if (op.Resources == nil) != onStar[op.Name] {
				t.Errorf("Resources set: %v; the reference authorizes %s on a resource: %v", op.Resources != nil, op.Name, !onStar[op.Name])
			}
			if (op.Conditions != nil) != (withPolicyType[op.Name] || op.Name == "CreateAccount") {
				t.Errorf("Conditions set: %v", op.Conditions != nil)
			}
			in, out := opTypes(t, e, op)
			if in.NumField() > 0 && len(op.Request) == 0 {
				t.Error("no Request allow-list")
			}
			switch {
			case op.ReadOnly && len(op.Response) > 0:
				t.Error("read-only call records response elements (CloudTrail records null)")
			case !op.ReadOnly && out.NumField() > 0 && len(op.Response) == 0:
				t.Error("no Response allow-list")
			}
			for _, p := range op.Request {
				checkAllowed(t, in, p)
			}
			for _, p := range op.Response {
				checkAllowed(t, out, p)
			}
		})
	}
	if len(seen) != 18 {
		t.Errorf("%d operations, want 18", len(seen))
	}
}

// checkAllowed fails when an allow-list entry names a missing member, a
// secret, or a member the model marks sensitive.
func checkAllowed(t *testing.T, typ reflect.Type, path string) {
	t.Helper()
	l := strings.ToLower(path)
	for _, bad := range []string{"secret", "password", "email", "accountname"} {
		if strings.Contains(l, bad) {
			t.Errorf("allow-list entry %q names a sensitive member", path)
		}
	}
	cur := typ
	for _, part := range strings.Split(path, ".") {
		for cur.Kind() == reflect.Pointer || cur.Kind() == reflect.Slice {
			cur = cur.Elem()
		}
		if cur.Kind() != reflect.Struct {
			t.Errorf("allow-list entry %q: %s is not a structure", path, cur)
			return
		}
		f, ok := cur.FieldByName(part)
		if !ok {
			t.Errorf("allow-list entry %q: %s has no member %s", path, cur, part)
			return
		}
		cur = f.Type
	}
}

func TestResources(t *testing.T) {
	e := newEnv(t)
	c := e.callAs(mgmt)
	res := func(name string, in any) []cairn.Resource { return e.desc.Op(name).Resources(c, in) }
	// Outside an organization there is nothing to name.
	if got := res("DescribeAccount", &organizations.DescribeAccountInput{AccountId: mgmt}); got != nil {
		t.Fatalf("resources outside an organization: %+v", got)
	}
	org := e.createOrg()
	root := e.rootID()
	dev := e.createAccount("dev")
	pol := e.createPolicy("deny", denyTrail)
	prefix := "arn:aws:organizations::" + mgmt + ":"
	acctARN := prefix + "account/" + org.Id + "/" + dev
	rootARN := prefix + "root/" + org.Id + "/" + root

	got := res("DescribeAccount", &organizations.DescribeAccountInput{AccountId: dev})
	if len(got) != 1 || got[0] != (cairn.Resource{ARN: acctARN, Type: "AWS::Organizations::Account", Name: dev}) {
		t.Errorf("DescribeAccount %+v", got)
	}
	got = res("EnablePolicyType", &organizations.EnablePolicyTypeInput{RootId: root, PolicyType: organizations.TypeSCP})
	if len(got) != 1 || got[0] != (cairn.Resource{ARN: rootARN, Type: "AWS::Organizations::Root", Name: root}) {
		t.Errorf("EnablePolicyType %+v", got)
	}
	got = res("AttachPolicy", &organizations.AttachPolicyInput{PolicyId: pol.Id, TargetId: dev})
	if len(got) != 2 || got[0] != (cairn.Resource{ARN: pol.Arn, Type: "AWS::Organizations::Policy", Name: pol.Id}) || got[1].ARN != acctARN {
		t.Errorf("AttachPolicy %+v", got)
	}
	got = res("DetachPolicy", &organizations.DetachPolicyInput{PolicyId: fullAccessID, TargetId: root})
	if len(got) != 2 || got[0].ARN != fullAccessARN || got[1].ARN != rootARN {
		t.Errorf("DetachPolicy %+v", got)
	}
	got = res("ListPoliciesForTarget", &organizations.ListPoliciesForTargetInput{TargetId: "ou-ab12-abcdefgh", Filter: organizations.TypeSCP})
	if len(got) != 1 || got[0].ARN != prefix+"ou/"+org.Id+"/ou-ab12-abcdefgh" || got[0].Type != "AWS::Organizations::OrganizationalUnit" {
		t.Errorf("ListPoliciesForTarget (OU) %+v", got)
	}
	for _, name := range []string{"UpdatePolicy", "DeletePolicy", "DescribePolicy", "ListTargetsForPolicy"} {
		in := e.desc.Op(name).New()
		reflect.ValueOf(in).Elem().FieldByName("PolicyId").SetString(pol.Id)
		if got := res(name, in); len(got) != 1 || got[0].ARN != pol.Arn {
			t.Errorf("%s %+v", name, got)
		}
	}
	// A member account computes the same ARNs: they live in the
	// management account's namespace.
	if got := e.desc.Op("DescribeAccount").Resources(e.callAs(dev), &organizations.DescribeAccountInput{AccountId: dev}); len(got) != 1 || got[0].ARN != acctARN {
		t.Errorf("DescribeAccount from the member %+v", got)
	}

	cond := func(name string, in any) map[string][]string { return e.desc.Op(name).Conditions(c, in) }
	if got := cond("AttachPolicy", &organizations.AttachPolicyInput{PolicyId: pol.Id, TargetId: dev}); !reflect.DeepEqual(got, map[string][]string{"organizations:policytype": {"SERVICE_CONTROL_POLICY"}}) {
		t.Errorf("AttachPolicy conditions %v", got)
	}
	got2 := cond("CreatePolicy", &organizations.CreatePolicyInput{Type: organizations.TypeSCP, Tags: []organizations.Tag{{Key: "Team", Value: "sec"}}})
	want2 := map[string][]string{"organizations:policytype": {"SERVICE_CONTROL_POLICY"}, "aws:requesttag/team": {"sec"}, "aws:tagkeys": {"Team"}}
	if !reflect.DeepEqual(got2, want2) {
		t.Errorf("CreatePolicy conditions %v", got2)
	}
	if got := cond("CreateAccount", &organizations.CreateAccountInput{}); got != nil {
		t.Errorf("CreateAccount conditions without tags %v", got)
	}
}

// The email and name of a new account never reach the event, as AWS hides
// sensitive members.
func TestCreateAccountEventHidesSensitiveMembers(t *testing.T) {
	e := newEnv(t)
	e.createOrg()
	in := &organizations.CreateAccountInput{Email: "secret.person@example.com", AccountName: "Secret Project", Tags: []organizations.Tag{{Key: "k", Value: "v"}}}
	out, err := e.invokeAs(mgmt, "CreateAccount", in)
	if err != nil {
		t.Fatal(err)
	}
	op := e.desc.Op("CreateAccount")
	req := string(audit.Params(in, op.Request))
	resp := string(audit.Params(out, op.Response))
	for _, s := range []string{req, resp} {
		if strings.Contains(s, "secret.person") || strings.Contains(s, "Secret Project") {
			t.Fatalf("event carries a sensitive member: %s", s)
		}
	}
	st := out.(*organizations.CreateAccountOutput).CreateAccountStatus
	if !strings.Contains(resp, `"state":"SUCCEEDED"`) || !strings.Contains(resp, st.AccountId) || !strings.Contains(resp, st.Id) {
		t.Fatalf("response elements %s", resp)
	}
	if req != `{"tags":[{"key":"k","value":"v"}]}` {
		t.Fatalf("request parameters %s", req)
	}
	org := must[organizations.DescribeOrganizationOutput](e, "DescribeOrganization", &organizations.DescribeOrganizationInput{})
	org.Organization.MasterAccountEmail = "boss@example.com"
	if s := string(audit.Params(org, e.desc.Op("CreateOrganization").Response)); strings.Contains(s, "boss@") || !strings.Contains(s, org.Organization.Id) {
		t.Fatalf("CreateOrganization response elements %s", s)
	}
}

// TestShapesMatchBotocore checks every field of every input and output
// struct against the botocore model: the member exists and its Go type
// fits. Input structs carry every member of the model's input, so no
// parameter a client sends is dropped; the model's target prefix and
// error codes are the ones the service uses.
func TestShapesMatchBotocore(t *testing.T) {
	m := botocoretest.Load(t, "organizations", "2016-11-28")
	if p := m.Metadata["targetPrefix"]; p != "AWSOrganizationsV20161128" {
		t.Fatalf("target prefix %v", p)
	}
	e := newEnv(t)
	shapes := m.Shapes
	m.CheckOperations(t, e.desc, func(op *cairn.Operation) (reflect.Type, reflect.Type) { return opTypes(t, e, op) }, false)
	// Every error code the service returns is one the model declares.
	codes := []string{
		"AWSOrganizationsNotInUseException", "AlreadyInOrganizationException", "AccessDeniedException", "AccountNotFoundException",
		"CreateAccountStatusNotFoundException", "RootNotFoundException", "TargetNotFoundException", "PolicyNotFoundException",
		"PolicyInUseException", "PolicyNotAttachedException", "DuplicatePolicyAttachmentException", "DuplicatePolicyException",
		"PolicyTypeNotEnabledException", "PolicyTypeAlreadyEnabledException", "MalformedPolicyDocumentException",
		"InvalidInputException", "ConstraintViolationException",
	}
	for _, c := range codes {
		if s, ok := shapes[c].(map[string]any); !ok || s["exception"] != true {
			t.Errorf("%s is not an exception of the model", c)
		}
	}
}
