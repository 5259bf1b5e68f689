package iam_test

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/policy"
	"github.com/cairnhq/cairn/service/iam"
)

const other = "210987654321"

func awsARN(name string) string { return "arn:aws:iam::aws:policy/" + name }

// shipped are the AWS managed policies issue 3 requires.
var shipped = []string{
	"AdministratorAccess", "ReadOnlyAccess", "IAMFullAccess", "IAMReadOnlyAccess",
	"AWSCloudTrail_FullAccess", "AWSCloudTrail_ReadOnlyAccess", "AmazonS3FullAccess",
	"AmazonS3ReadOnlyAccess", "AWSKeyManagementServicePowerUser", "CloudWatchLogsFullAccess",
	"CloudWatchLogsReadOnlyAccess", "AmazonSNSFullAccess", "AmazonSNSReadOnlyAccess",
}

// The data files are what GetPolicy and GetPolicyVersion serve, and each
// is a valid managed policy.
func TestManagedPolicyFiles(t *testing.T) {
	e := newEnv(t)
	files, err := filepath.Glob("managed/*.json")
	if err != nil || len(files) != len(shipped) {
		t.Fatalf("data files %v (%v), want %d", files, err, len(shipped))
	}
	for _, name := range shipped {
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("managed", name+".json"))
			if err != nil {
				t.Fatal(err)
			}
			var f struct {
				PolicyId, Path, Description, DefaultVersionId, Source string
				Document                                              json.RawMessage
			}
			if err := json.Unmarshal(raw, &f); err != nil {
				t.Fatal(err)
			}
			p := must[iam.GetPolicyOutput](e, "GetPolicy", &iam.GetPolicyInput{PolicyArn: awsARN(name)}).Policy
			if p.PolicyName != name || p.Arn != awsARN(name) || p.PolicyId != f.PolicyId || !strings.HasPrefix(p.PolicyId, "ANPA") ||
				p.DefaultVersionId != f.DefaultVersionId || !p.IsAttachable || p.AttachmentCount != 0 || p.Path != "/" ||
				p.Description != f.Description || p.CreateDate.IsZero() || p.UpdateDate.Before(p.CreateDate) {
				t.Fatalf("GetPolicy %+v", p)
			}
			if !strings.HasPrefix(f.Source, "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/") {
				t.Errorf("source %q", f.Source)
			}
			v := must[iam.GetPolicyVersionOutput](e, "GetPolicyVersion", &iam.GetPolicyVersionInput{PolicyArn: p.Arn, VersionId: p.DefaultVersionId}).PolicyVersion
			doc, err := url.QueryUnescape(v.Document)
			if err != nil || !v.IsDefaultVersion || !v.CreateDate.Equal(p.UpdateDate) {
				t.Fatalf("version %+v (%v)", v, err)
			}
			if !jsonEqual(t, doc, string(f.Document)) {
				t.Fatalf("served document differs from the data file:\n%s", doc)
			}
			if _, err := policy.ParseManaged(doc, policy.Identity); err != nil {
				t.Fatalf("document does not parse: %v", err)
			}
			vs := must[iam.ListPolicyVersionsOutput](e, "ListPolicyVersions", &iam.ListPolicyVersionsInput{PolicyArn: p.Arn}).Versions
			if len(vs) != 1 || vs[0].VersionId != p.DefaultVersionId || !vs[0].IsDefaultVersion || vs[0].Document != "" {
				t.Fatalf("versions %+v", vs)
			}
		})
	}
	e.fail("GetPolicyVersion", &iam.GetPolicyVersionInput{PolicyArn: awsARN("AdministratorAccess"), VersionId: "v2"}, "NoSuchEntity", 404, "")
	e.fail("GetPolicy", &iam.GetPolicyInput{PolicyArn: "arn:aws:iam::aws:policy/job-function/AdministratorAccess"}, "NoSuchEntity", 404,
		"Policy arn:aws:iam::aws:policy/job-function/AdministratorAccess was not found.")
	e.fail("GetPolicy", &iam.GetPolicyInput{PolicyArn: awsARN("NoSuchAWSPolicy")}, "NoSuchEntity", 404, "")
}

// jsonEqual compares two JSON texts without their white space: the same
// values with keys in the same order.
func jsonEqual(t *testing.T, a, b string) bool {
	t.Helper()
	var x, y bytes.Buffer
	if err := json.Compact(&x, []byte(a)); err != nil {
		t.Fatal(err)
	}
	if err := json.Compact(&y, []byte(b)); err != nil {
		t.Fatal(err)
	}
	return x.String() == y.String()
}

// ReadOnlyAccess keeps only the services Cairn serves.
func TestReadOnlyAccessIsTrimmed(t *testing.T) {
	e := newEnv(t)
	v := must[iam.GetPolicyVersionOutput](e, "GetPolicyVersion", &iam.GetPolicyVersionInput{PolicyArn: awsARN("ReadOnlyAccess"), VersionId: "v132"}).PolicyVersion
	doc, _ := url.QueryUnescape(v.Document)
	p, err := policy.Parse(doc, policy.Identity)
	if err != nil {
		t.Fatal(err)
	}
	served := map[string]bool{"iam": true, "sts": true, "organizations": true, "s3": true, "kms": true, "sns": true, "logs": true, "cloudtrail": true}
	seen := map[string]bool{}
	for _, st := range p.Statements {
		for _, a := range st.Action {
			svc := a[:strings.IndexByte(a, ':')]
			if !served[svc] {
				t.Errorf("ReadOnlyAccess keeps %s", a)
			}
			seen[svc] = true
		}
	}
	if len(seen) != len(served) {
		t.Errorf("ReadOnlyAccess covers %v", seen)
	}
	desc := must[iam.GetPolicyOutput](e, "GetPolicy", &iam.GetPolicyInput{PolicyArn: awsARN("ReadOnlyAccess")}).Policy.Description
	if !strings.Contains(desc, "Cairn ships only") {
		t.Errorf("description does not say the policy is trimmed: %q", desc)
	}
}

func TestListAWSManagedPolicies(t *testing.T) {
	e := newEnv(t)
	local := e.createPolicy("AdministratorAccess", allowS3) // a customer policy may share the name
	names := func(p cairn.Principal, in *iam.ListPoliciesInput) []string {
		var n []string
		for _, pol := range mustAs[iam.ListPoliciesOutput](e, p, "ListPolicies", in).Policies {
			n = append(n, pol.Arn)
		}
		return n
	}
	aws := names(root(), &iam.ListPoliciesInput{Scope: sp("AWS")})
	want := append([]string(nil), shipped...)
	sort.Slice(want, func(i, j int) bool { return strings.ToLower(want[i]) < strings.ToLower(want[j]) })
	for i := range want {
		want[i] = awsARN(want[i])
	}
	if strings.Join(aws, ",") != strings.Join(want, ",") {
		t.Fatalf("Scope AWS %v, want %v", aws, want)
	}
	all := names(root(), &iam.ListPoliciesInput{})
	if len(all) != len(shipped)+1 || all[0] != awsARN("AdministratorAccess") || all[1] != local.Arn {
		t.Fatalf("Scope All %v", all)
	}
	// Paging walks the merged list.
	var paged []string
	in := &iam.ListPoliciesInput{MaxItems: i32(4)}
	for {
		out := must[iam.ListPoliciesOutput](e, "ListPolicies", in)
		for _, p := range out.Policies {
			paged = append(paged, p.Arn)
		}
		if !out.IsTruncated {
			break
		}
		in.Marker = out.Marker
	}
	if strings.Join(paged, ",") != strings.Join(all, ",") {
		t.Fatalf("pages %v", paged)
	}

	// Attachment counts are per account.
	e.createUser("u")
	must[iam.AttachUserPolicyOutput](e, "AttachUserPolicy", &iam.AttachUserPolicyInput{UserName: "u", PolicyArn: awsARN("IAMReadOnlyAccess")})
	if got := names(root(), &iam.ListPoliciesInput{Scope: sp("AWS"), OnlyAttached: true}); len(got) != 1 || got[0] != awsARN("IAMReadOnlyAccess") {
		t.Fatalf("OnlyAttached %v", got)
	}
	otherRoot := iam.RootPrincipal(other)
	if got := names(otherRoot, &iam.ListPoliciesInput{OnlyAttached: true}); len(got) != 0 {
		t.Fatalf("another account sees attachments %v", got)
	}
	if got := names(otherRoot, &iam.ListPoliciesInput{Scope: sp("All")}); len(got) != len(shipped) {
		t.Fatalf("another account lists %v", got)
	}
	if p := mustAs[iam.GetPolicyOutput](e, otherRoot, "GetPolicy", &iam.GetPolicyInput{PolicyArn: awsARN("IAMReadOnlyAccess")}).Policy; p.AttachmentCount != 0 {
		t.Fatalf("another account's count %d", p.AttachmentCount)
	}
}

func TestAttachAWSManagedPolicies(t *testing.T) {
	e := newEnv(t)
	e.createUser("u")
	must[iam.CreateGroupOutput](e, "CreateGroup", &iam.CreateGroupInput{GroupName: "g"})
	must[iam.CreateRoleOutput](e, "CreateRole", &iam.CreateRoleInput{RoleName: "r", AssumeRolePolicyDocument: trustEC2})
	arn := awsARN("AWSCloudTrail_ReadOnlyAccess")
	must[iam.AttachUserPolicyOutput](e, "AttachUserPolicy", &iam.AttachUserPolicyInput{UserName: "u", PolicyArn: arn})
	must[iam.AttachGroupPolicyOutput](e, "AttachGroupPolicy", &iam.AttachGroupPolicyInput{GroupName: "g", PolicyArn: arn})
	must[iam.AttachRolePolicyOutput](e, "AttachRolePolicy", &iam.AttachRolePolicyInput{RoleName: "r", PolicyArn: arn})
	must[iam.AttachRolePolicyOutput](e, "AttachRolePolicy", &iam.AttachRolePolicyInput{RoleName: "r", PolicyArn: arn}) // no-op

	// Another account attaches the same policy; counts stay apart.
	otherRoot := iam.RootPrincipal(other)
	mustAs[iam.CreateUserOutput](e, otherRoot, "CreateUser", &iam.CreateUserInput{UserName: "u"})
	mustAs[iam.AttachUserPolicyOutput](e, otherRoot, "AttachUserPolicy", &iam.AttachUserPolicyInput{UserName: "u", PolicyArn: arn})
	count := func(p cairn.Principal) int32 {
		return mustAs[iam.GetPolicyOutput](e, p, "GetPolicy", &iam.GetPolicyInput{PolicyArn: arn}).Policy.AttachmentCount
	}
	if count(root()) != 3 || count(otherRoot) != 1 {
		t.Fatalf("counts %d and %d", count(root()), count(otherRoot))
	}
	got := must[iam.ListAttachedRolePoliciesOutput](e, "ListAttachedRolePolicies", &iam.ListAttachedRolePoliciesInput{RoleName: "r"}).AttachedPolicies
	if len(got) != 1 || got[0] != (iam.AttachedPolicy{PolicyName: "AWSCloudTrail_ReadOnlyAccess", PolicyArn: arn}) {
		t.Fatalf("attached %+v", got)
	}

	// PoliciesFor resolves the AWS document.
	u := must[iam.GetUserOutput](e, "GetUser", &iam.GetUserInput{UserName: sp("u")}).User
	docs, _, err := e.svc.PoliciesFor(t.Context(), e.userPrincipal(u))
	if err != nil || len(docs) != 1 || !strings.Contains(docs[0], `"cloudtrail:LookupEvents"`) {
		t.Fatalf("PoliciesFor %v %v", docs, err)
	}

	// AWS managed policies cannot be changed or deleted.
	denied := func(op string, in any) {
		t.Helper()
		_, err := e.invoke(op, in)
		wantErr(t, err, "AccessDenied", 403, "User: arn:aws:iam::"+acct+":root is not authorized to perform: iam:"+op+
			" on resource: policy "+arn+" because no resource-based policy allows the iam:"+op+" action")
	}
	denied("DeletePolicy", &iam.DeletePolicyInput{PolicyArn: arn})
	denied("CreatePolicyVersion", &iam.CreatePolicyVersionInput{PolicyArn: arn, PolicyDocument: allowS3})
	denied("SetDefaultPolicyVersion", &iam.SetDefaultPolicyVersionInput{PolicyArn: arn, VersionId: "v1"})
	denied("DeletePolicyVersion", &iam.DeletePolicyVersionInput{PolicyArn: arn, VersionId: "v1"})

	for _, op := range []struct {
		name string
		in   any
	}{
		{"DetachUserPolicy", &iam.DetachUserPolicyInput{UserName: "u", PolicyArn: arn}},
		{"DetachGroupPolicy", &iam.DetachGroupPolicyInput{GroupName: "g", PolicyArn: arn}},
		{"DetachRolePolicy", &iam.DetachRolePolicyInput{RoleName: "r", PolicyArn: arn}},
	} {
		if _, err := e.invoke(op.name, op.in); err != nil {
			t.Fatalf("%s: %v", op.name, err)
		}
	}
	if count(root()) != 0 || count(otherRoot) != 1 {
		t.Fatalf("counts after detach %d and %d", count(root()), count(otherRoot))
	}
	if docs, _, _ := e.svc.PoliciesFor(t.Context(), e.userPrincipal(u)); len(docs) != 0 {
		t.Fatalf("detached policy still applies: %v", docs)
	}
	e.fail("AttachUserPolicy", &iam.AttachUserPolicyInput{UserName: "u", PolicyArn: awsARN("NotAnAWSPolicy")}, "NoSuchEntity", 404,
		"Policy arn:aws:iam::aws:policy/NotAnAWSPolicy does not exist or is not attachable.")
}
