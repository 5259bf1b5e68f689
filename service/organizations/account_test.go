package organizations_test

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/cairnhq/cairn/service/organizations"
)

func TestCreateAccount(t *testing.T) {
	e := newEnv(t)
	org := e.createOrg()
	out := must[organizations.CreateAccountOutput](e, "CreateAccount", &organizations.CreateAccountInput{
		Email: "Dev@Example.com", AccountName: "Development", Tags: []organizations.Tag{{Key: "team", Value: "platform"}},
	}).CreateAccountStatus
	if !regexp.MustCompile(`^car-[a-z0-9]{32}$`).MatchString(out.Id) {
		t.Errorf("request ID %q", out.Id)
	}
	if out.State != "SUCCEEDED" || out.AccountName != "Development" || out.FailureReason != "" {
		t.Errorf("status %+v", out)
	}
	if !regexp.MustCompile(`^\d{12}$`).MatchString(out.AccountId) || out.AccountId == mgmt {
		t.Errorf("account ID %q", out.AccountId)
	}
	if !out.RequestedTimestamp.Equal(e.clock.Now()) || out.CompletedTimestamp.Before(out.RequestedTimestamp) {
		t.Errorf("timestamps %v %v", out.RequestedTimestamp, out.CompletedTimestamp)
	}
	// IAM was asked for the account and its role trusting the management
	// account.
	if len(e.accounts.calls) != 1 || e.accounts.calls[0] != (memberCall{out.AccountId, mgmt, "OrganizationAccountAccessRole"}) {
		t.Fatalf("member account calls %+v", e.accounts.calls)
	}

	acct := must[organizations.DescribeAccountOutput](e, "DescribeAccount", &organizations.DescribeAccountInput{AccountId: out.AccountId}).Account
	want := organizations.Account{
		Id: out.AccountId, Arn: "arn:aws:organizations::" + mgmt + ":account/" + org.Id + "/" + out.AccountId,
		Email: "Dev@Example.com", Name: "Development", Status: "ACTIVE", State: "ACTIVE", JoinedMethod: "CREATED",
		JoinedTimestamp: out.CompletedTimestamp,
	}
	got := *acct
	got.Paths = nil
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("DescribeAccount\n got %+v\nwant %+v", got, want)
	}
	root := e.rootID()
	if len(acct.Paths) != 1 || acct.Paths[0] != org.Id+"/"+root+"/"+out.AccountId+"/" {
		t.Errorf("Paths %v", acct.Paths)
	}

	status := must[organizations.DescribeCreateAccountStatusOutput](e, "DescribeCreateAccountStatus", &organizations.DescribeCreateAccountStatusInput{CreateAccountRequestId: out.Id}).CreateAccountStatus
	if *status != *out {
		t.Fatalf("DescribeCreateAccountStatus %+v, want %+v", status, out)
	}

	// A role name of the caller's choosing.
	custom := must[organizations.CreateAccountOutput](e, "CreateAccount", &organizations.CreateAccountInput{
		Email: "ops@example.com", AccountName: "Ops", RoleName: sp("Admin"), IamUserAccessToBilling: sp("DENY"),
	}).CreateAccountStatus
	if len(e.accounts.calls) != 2 || e.accounts.calls[1] != (memberCall{custom.AccountId, mgmt, "Admin"}) {
		t.Fatalf("member account calls %+v", e.accounts.calls)
	}
}

func TestCreateAccountManagementAccountIsListed(t *testing.T) {
	e := newEnv(t)
	org := e.createOrg()
	dev := e.createAccount("dev")
	accounts := must[organizations.ListAccountsOutput](e, "ListAccounts", &organizations.ListAccountsInput{}).Accounts
	byID := map[string]organizations.Account{}
	for _, a := range accounts {
		byID[a.Id] = a
	}
	if len(accounts) != 2 || byID[dev].Name != "dev" || byID[dev].JoinedMethod != "CREATED" {
		t.Fatalf("ListAccounts %+v", accounts)
	}
	m := byID[mgmt]
	if m.JoinedMethod != "INVITED" || m.Status != "ACTIVE" || m.Arn != "arn:aws:organizations::"+mgmt+":account/"+org.Id+"/"+mgmt {
		t.Fatalf("management account %+v", m)
	}
}

func TestCreateAccountEmailTaken(t *testing.T) {
	e := newEnv(t)
	e.createOrg()
	e.createAccount("dev")
	// Email addresses are unique whatever their case; the request fails
	// the AWS way: a FAILED status, not an error.
	st := must[organizations.CreateAccountOutput](e, "CreateAccount", &organizations.CreateAccountInput{Email: "DEV@example.com", AccountName: "again"}).CreateAccountStatus
	if st.State != "FAILED" || st.FailureReason != "EMAIL_ALREADY_EXISTS" || st.AccountId != "" || st.CompletedTimestamp.IsZero() {
		t.Fatalf("status %+v", st)
	}
	again := must[organizations.DescribeCreateAccountStatusOutput](e, "DescribeCreateAccountStatus", &organizations.DescribeCreateAccountStatusInput{CreateAccountRequestId: st.Id}).CreateAccountStatus
	if *again != *st {
		t.Fatalf("described %+v, want %+v", again, st)
	}
	if n := len(must[organizations.ListAccountsOutput](e, "ListAccounts", &organizations.ListAccountsInput{}).Accounts); n != 2 {
		t.Fatalf("%d accounts after a failed request", n)
	}
	if len(e.accounts.calls) != 1 {
		t.Fatalf("IAM asked %d times", len(e.accounts.calls))
	}
}

func TestCreateAccountIAMFailure(t *testing.T) {
	e := newEnv(t)
	e.createOrg()
	e.accounts.fail = errors.New("disk full")
	st := must[organizations.CreateAccountOutput](e, "CreateAccount", &organizations.CreateAccountInput{Email: "dev@example.com", AccountName: "dev"}).CreateAccountStatus
	if st.State != "FAILED" || st.FailureReason != "INTERNAL_FAILURE" || st.AccountId != "" {
		t.Fatalf("status %+v", st)
	}
	described := must[organizations.DescribeCreateAccountStatusOutput](e, "DescribeCreateAccountStatus", &organizations.DescribeCreateAccountStatusInput{CreateAccountRequestId: st.Id}).CreateAccountStatus
	if *described != *st {
		t.Fatalf("described %+v, want %+v", described, st)
	}
	if n := len(must[organizations.ListAccountsOutput](e, "ListAccounts", &organizations.ListAccountsInput{}).Accounts); n != 1 {
		t.Fatalf("%d accounts after a failed creation", n)
	}
	// The email and the account ID were released.
	e.accounts.fail = nil
	e.createAccount("dev")
}

func TestCreateAccountValidation(t *testing.T) {
	e := newEnv(t)
	const (
		required = "You must include a value for all required parameters."
		pattern  = "You provided a value that does not match the required pattern."
	)
	cases := []struct {
		name string
		in   organizations.CreateAccountInput
		msg  string
	}{
		{"no email", organizations.CreateAccountInput{AccountName: "x"}, required},
		{"no name", organizations.CreateAccountInput{Email: "a@b.co"}, required},
		{"short email", organizations.CreateAccountInput{Email: "a@b.c", AccountName: "x"}, "You provided a string parameter that is shorter than allowed."},
		{"long email", organizations.CreateAccountInput{Email: strings.Repeat("a", 60) + "@b.com", AccountName: "x"}, "You provided a string parameter that is longer than allowed."},
		{"bad email", organizations.CreateAccountInput{Email: "not an email", AccountName: "x"}, pattern},
		{"long name", organizations.CreateAccountInput{Email: "a@b.co", AccountName: strings.Repeat("n", 51)}, "You provided a string parameter that is longer than allowed."},
		{"non-ASCII name", organizations.CreateAccountInput{Email: "a@b.co", AccountName: "café"}, pattern},
		{"bad role", organizations.CreateAccountInput{Email: "a@b.co", AccountName: "x", RoleName: sp("a/b")}, pattern},
		{"reserved role", organizations.CreateAccountInput{Email: "a@b.co", AccountName: "x", RoleName: sp("AWSServiceRoleForX")},
			"You provided a role name that isn't valid. A role name can't begin with the reserved prefix AWSServiceRoleFor."},
		{"billing", organizations.CreateAccountInput{Email: "a@b.co", AccountName: "x", IamUserAccessToBilling: sp("MAYBE")}, "You specified an invalid value."},
		{"duplicate tag", organizations.CreateAccountInput{Email: "a@b.co", AccountName: "x", Tags: []organizations.Tag{{Key: "k", Value: "1"}, {Key: "k", Value: "2"}}},
			"Tag keys must be unique among the tags attached to the same entity."},
		{"empty tag key", organizations.CreateAccountInput{Email: "a@b.co", AccountName: "x", Tags: []organizations.Tag{{Key: "", Value: "1"}}}, required},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			e.fail("CreateAccount", &in, "InvalidInputException", tc.msg)
		})
	}
	var tags []organizations.Tag
	for i := range 51 {
		tags = append(tags, organizations.Tag{Key: fmt.Sprint("k", i), Value: "v"})
	}
	e.fail("CreateAccount", &organizations.CreateAccountInput{Email: "a@b.co", AccountName: "x", Tags: tags}, "ConstraintViolationException",
		"You have exceeded the number of tags allowed on this resource.")
}

func TestCreateAccountCallers(t *testing.T) {
	e := newEnv(t)
	in := &organizations.CreateAccountInput{Email: "x@example.com", AccountName: "x"}
	e.fail("CreateAccount", in, "AWSOrganizationsNotInUseException", "Your account is not a member of an organization.")
	e.createOrg()
	dev := e.createAccount("dev")
	e.failAs(dev, "CreateAccount", in, "AccessDeniedException", "You don't have permissions to access this resource.")
	e.failAs(other, "CreateAccount", in, "AWSOrganizationsNotInUseException", "")
}

func TestDescribeAccountErrors(t *testing.T) {
	e := newEnv(t)
	e.createOrg()
	dev := e.createAccount("dev")
	e.fail("DescribeAccount", &organizations.DescribeAccountInput{AccountId: "999999999999"}, "AccountNotFoundException",
		"You specified an account that doesn't exist.")
	e.fail("DescribeAccount", &organizations.DescribeAccountInput{AccountId: "12345"}, "InvalidInputException",
		"You provided a value that does not match the required pattern.")
	e.fail("DescribeAccount", &organizations.DescribeAccountInput{}, "InvalidInputException",
		"You must include a value for all required parameters.")
	e.failAs(dev, "DescribeAccount", &organizations.DescribeAccountInput{AccountId: dev}, "AccessDeniedException", "")
	// An account of another organization is not found.
	mustAs[organizations.CreateOrganizationOutput](e, other, "CreateOrganization", &organizations.CreateOrganizationInput{})
	e.failAs(other, "DescribeAccount", &organizations.DescribeAccountInput{AccountId: dev}, "AccountNotFoundException", "")
	// The management account describes itself.
	if a := must[organizations.DescribeAccountOutput](e, "DescribeAccount", &organizations.DescribeAccountInput{AccountId: mgmt}).Account; a.Id != mgmt || a.JoinedMethod != "INVITED" {
		t.Fatalf("management account %+v", a)
	}
}

func TestDescribeCreateAccountStatusErrors(t *testing.T) {
	e := newEnv(t)
	e.fail("DescribeCreateAccountStatus", &organizations.DescribeCreateAccountStatusInput{CreateAccountRequestId: "car-12345678"}, "AWSOrganizationsNotInUseException", "")
	e.createOrg()
	e.fail("DescribeCreateAccountStatus", &organizations.DescribeCreateAccountStatusInput{CreateAccountRequestId: "car-12345678"}, "CreateAccountStatusNotFoundException",
		"We can't find an create account request with the CreateAccountRequestId that you specified.")
	e.fail("DescribeCreateAccountStatus", &organizations.DescribeCreateAccountStatusInput{CreateAccountRequestId: "req-1"}, "InvalidInputException",
		"You provided a value that does not match the required pattern.")
	dev := e.createAccount("dev")
	e.failAs(dev, "DescribeCreateAccountStatus", &organizations.DescribeCreateAccountStatusInput{CreateAccountRequestId: "car-12345678"}, "AccessDeniedException", "")
}

func TestListAccountsPaging(t *testing.T) {
	e := newEnv(t)
	e.createOrg()
	want := map[string]bool{mgmt: true}
	for i := range 24 {
		want[e.createAccount(fmt.Sprintf("acct%02d", i))] = true
	}
	seen := map[string]bool{}
	var token *string
	pages := 0
	for {
		out := must[organizations.ListAccountsOutput](e, "ListAccounts", &organizations.ListAccountsInput{MaxResults: i32(7), NextToken: token})
		pages++
		if len(out.Accounts) > 7 {
			t.Fatalf("page of %d", len(out.Accounts))
		}
		for _, a := range out.Accounts {
			if seen[a.Id] {
				t.Fatalf("account %s listed twice", a.Id)
			}
			seen[a.Id] = true
		}
		if out.NextToken == nil {
			break
		}
		token = out.NextToken
	}
	if pages != 4 || len(seen) != len(want) {
		t.Fatalf("%d pages, %d accounts, want 4 pages, %d accounts", pages, len(seen), len(want))
	}
	for id := range want {
		if !seen[id] {
			t.Errorf("account %s missing", id)
		}
	}
	// Without MaxResults a page holds 20.
	first := must[organizations.ListAccountsOutput](e, "ListAccounts", &organizations.ListAccountsInput{})
	if len(first.Accounts) != 20 || first.NextToken == nil {
		t.Fatalf("default page: %d accounts, token %v", len(first.Accounts), first.NextToken)
	}
	// A token of another listing is refused.
	policies := must[organizations.ListPoliciesOutput](e, "ListPolicies", &organizations.ListPoliciesInput{Filter: organizations.TypeSCP})
	_ = policies
	e.fail("ListAccounts", &organizations.ListAccountsInput{NextToken: sp("b3RoZXI")}, "InvalidInputException", "")
	e.fail("ListAccounts", &organizations.ListAccountsInput{MaxResults: i32(21)}, "InvalidInputException", "")
	dev := first.Accounts[0].Id
	if dev == mgmt {
		dev = first.Accounts[1].Id
	}
	e.failAs(dev, "ListAccounts", &organizations.ListAccountsInput{}, "AccessDeniedException", "")
}
