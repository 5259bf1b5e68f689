package organizations_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/service/organizations"
	"github.com/cairnhq/cairn/store/sqlite"
)

const (
	mgmt  = "111122223333"
	other = "444455556666" // an account in no organization
)

// fakeAccounts records the member accounts the service asks IAM for. It is
// the seam IAM implements, not a stand-in for anything a user sees.
type fakeAccounts struct {
	mu    sync.Mutex
	calls []memberCall
	fail  error
}

type memberCall struct{ Account, Management, Role string }

func (f *fakeAccounts) CreateMemberAccount(_ context.Context, accountID, managementAccountID, roleName string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return f.fail
	}
	for _, c := range f.calls {
		if c.Account == accountID {
			return errors.New("account exists")
		}
	}
	f.calls = append(f.calls, memberCall{accountID, managementAccountID, roleName})
	return nil
}

// env is a service on a real SQLite store.
type env struct {
	t        testing.TB
	svc      *organizations.Service
	st       *sqlite.Store
	dbPath   string
	clock    *cairn.ManualClock
	accounts *fakeAccounts
	desc     *cairn.Service
}

func newEnv(t testing.TB) *env {
	t.Helper()
	dbPath := filepath.Join(t.TempDir(), "cairn.db")
	st, err := sqlite.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	clock := cairn.NewManualClock(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
	accounts := &fakeAccounts{}
	svc := organizations.New(organizations.Config{Store: st, Accounts: accounts, Clock: clock, IDs: cairn.RandomIDs{}})
	return &env{t: t, svc: svc, st: st, dbPath: dbPath, clock: clock, accounts: accounts, desc: svc.Descriptor()}
}

func rootOf(account string) cairn.Principal {
	return cairn.Principal{Type: cairn.PrincipalRoot, AccountID: account, ARN: cairn.RootARN(account), ID: account}
}

func (e *env) callAs(account string) *cairn.Call {
	return &cairn.Call{RequestID: "req", Time: e.clock.Now(), Region: "us-east-1", Service: "organizations", Principal: rootOf(account)}
}

// invokeAs runs the named operation through its descriptor row, as the
// root user of account.
func (e *env) invokeAs(account, name string, in any) (any, error) {
	e.t.Helper()
	op := e.desc.Op(name)
	if op == nil {
		e.t.Fatalf("no operation %s", name)
	}
	c := e.callAs(account)
	c.Operation = name
	return op.Invoke(context.Background(), c, in)
}

// mustAs runs an operation that has to succeed and returns its output.
func mustAs[O any](e *env, account, name string, in any) *O {
	e.t.Helper()
	out, err := e.invokeAs(account, name, in)
	if err != nil {
		e.t.Fatalf("%s as %s: %v", name, account, err)
	}
	o, ok := out.(*O)
	if !ok {
		e.t.Fatalf("%s returned %T", name, out)
	}
	return o
}

// must runs an operation as the management account.
func must[O any](e *env, name string, in any) *O {
	e.t.Helper()
	return mustAs[O](e, mgmt, name, in)
}

// wantErr checks a call failed with an Organizations error (always 400);
// msg "" skips the message.
func wantErr(t testing.TB, err error, code, msg string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want %s, got success", code)
	}
	var ce *cairn.Error
	if !errors.As(err, &ce) {
		t.Fatalf("want *cairn.Error %s, got %T: %v", code, err, err)
	}
	if ce.Code != code || ce.Status != 400 {
		t.Fatalf("got %s/%d (%q), want %s/400", ce.Code, ce.Status, ce.Message, code)
	}
	if msg != "" && ce.Message != msg {
		t.Fatalf("message %q, want %q", ce.Message, msg)
	}
}

func (e *env) failAs(account, name string, in any, code, msg string) {
	e.t.Helper()
	_, err := e.invokeAs(account, name, in)
	wantErr(e.t, err, code, msg)
}

func (e *env) fail(name string, in any, code, msg string) {
	e.t.Helper()
	e.failAs(mgmt, name, in, code, msg)
}

func sp(s string) *string { return &s }
func i32(n int32) *int32  { return &n }

// createOrg creates the management account's organization.
func (e *env) createOrg() *organizations.Organization {
	e.t.Helper()
	return must[organizations.CreateOrganizationOutput](e, "CreateOrganization", &organizations.CreateOrganizationInput{FeatureSet: sp("ALL")}).Organization
}

func (e *env) rootID() string {
	e.t.Helper()
	return must[organizations.ListRootsOutput](e, "ListRoots", &organizations.ListRootsInput{}).Roots[0].Id
}

func (e *env) enableSCPs() {
	e.t.Helper()
	must[organizations.EnablePolicyTypeOutput](e, "EnablePolicyType", &organizations.EnablePolicyTypeInput{RootId: e.rootID(), PolicyType: organizations.TypeSCP})
}

// createAccount creates a member account and returns its ID.
func (e *env) createAccount(name string) string {
	e.t.Helper()
	st := must[organizations.CreateAccountOutput](e, "CreateAccount", &organizations.CreateAccountInput{
		Email: name + "@example.com", AccountName: name,
	}).CreateAccountStatus
	if st.State != "SUCCEEDED" || st.AccountId == "" {
		e.t.Fatalf("CreateAccount %s: %+v", name, st)
	}
	return st.AccountId
}

func (e *env) createPolicy(name, content string) *organizations.PolicySummary {
	e.t.Helper()
	return must[organizations.CreatePolicyOutput](e, "CreatePolicy", &organizations.CreatePolicyInput{
		Name: name, Description: sp("test policy " + name), Type: organizations.TypeSCP, Content: content,
	}).Policy.PolicySummary
}

func (e *env) attach(policyID, target string) {
	e.t.Helper()
	must[organizations.AttachPolicyOutput](e, "AttachPolicy", &organizations.AttachPolicyInput{PolicyId: policyID, TargetId: target})
}

func (e *env) detach(policyID, target string) {
	e.t.Helper()
	must[organizations.DetachPolicyOutput](e, "DetachPolicy", &organizations.DetachPolicyInput{PolicyId: policyID, TargetId: target})
}

func (e *env) policiesFor(target string) []string {
	e.t.Helper()
	out := must[organizations.ListPoliciesForTargetOutput](e, "ListPoliciesForTarget", &organizations.ListPoliciesForTargetInput{
		TargetId: target, Filter: organizations.TypeSCP,
	})
	var ids []string
	for _, p := range out.Policies {
		ids = append(ids, p.Id)
	}
	return ids
}

const (
	fullAccessID  = "p-FullAWSAccess"
	fullAccessARN = "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess"
	fullAccessDoc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	denyTrail     = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"cloudtrail:StopLogging","Resource":"*"}]}`
	denyS3        = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}`
	allowIAM      = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"}]}`
)
