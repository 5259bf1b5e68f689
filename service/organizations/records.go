package organizations

import (
	"fmt"
	"slices"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// Stored aggregates. They are storage, not wire: JSON in the KV tables.
// SCP attachments are kept on both sides, in the same transaction: each
// target lists its policies (orgRec.RootPolicies, accountRec.Policies) and
// each policy its targets (policyRec.Targets).

// orgRec is an organization with its one root.
type orgRec struct {
	ID           string    `json:"id"`
	Management   string    `json:"management"` // management account ID
	RootID       string    `json:"rootId"`
	Created      time.Time `json:"created"`
	SCPEnabled   bool      `json:"scpEnabled"`
	RootPolicies []string  `json:"rootPolicies,omitempty"` // SCP IDs attached to the root
}

// memberRec says which organization an account belongs to.
type memberRec struct {
	Org string `json:"org"`
}

// accountRec is an account of an organization.
type accountRec struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Email    string    `json:"email,omitempty"`
	Joined   time.Time `json:"joined"`
	Method   string    `json:"method"` // INVITED (the management account) or CREATED
	Policies []string  `json:"policies,omitempty"`
	Tags     []Tag     `json:"tags,omitempty"`
}

// policyRec is a policy. FullAWSAccess has one record per organization,
// created with it, so that its targets are tracked like any other's.
type policyRec struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Type        string    `json:"type"`
	Content     string    `json:"content"`
	AwsManaged  bool      `json:"awsManaged,omitempty"`
	Created     time.Time `json:"created"`
	Targets     []string  `json:"targets,omitempty"` // root and account IDs
	Tags        []Tag     `json:"tags,omitempty"`
}

// statusRec is a CreateAccount request.
type statusRec struct {
	ID            string    `json:"id"`
	AccountName   string    `json:"accountName"`
	State         string    `json:"state"`
	Requested     time.Time `json:"requested"`
	Completed     time.Time `json:"completed,omitzero"`
	AccountID     string    `json:"accountId,omitempty"`
	FailureReason string    `json:"failureReason,omitempty"`
}

// The AWS managed SCP every organization starts with.
const (
	fullAccessID          = "p-FullAWSAccess"
	fullAccessName        = "FullAWSAccess"
	fullAccessDescription = "Allows access to every operation"
	fullAccessARN         = "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess"
	fullAccessContent     = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
)

// Limits, from the Organizations quotas page.
const (
	maxSCPsPerTarget  = 5
	maxPoliciesPerOrg = 1000
	maxSCPSize        = 5120 // characters
	maxTags           = 50
)

// Account states and join methods.
const (
	accountActive = "ACTIVE"
	joinedCreated = "CREATED"
	joinedInvited = "INVITED"
	rootName      = "Root"

	stateInProgress = "IN_PROGRESS"
	stateSucceeded  = "SUCCEEDED"
	stateFailed     = "FAILED"

	failEmailExists = "EMAIL_ALREADY_EXISTS"
	failInternal    = "INTERNAL_FAILURE"

	targetAccount = "ACCOUNT"
	targetRoot    = "ROOT"
)

// ARNs, as AWS forms them: the organization's resources live in the
// management account's namespace.

func orgARN(mgmt, org string) string {
	return "arn:aws:organizations::" + mgmt + ":organization/" + org
}

func accountARN(mgmt, org, account string) string {
	return "arn:aws:organizations::" + mgmt + ":account/" + org + "/" + account
}

func rootARN(mgmt, org, root string) string {
	return "arn:aws:organizations::" + mgmt + ":root/" + org + "/" + root
}

func ouARN(mgmt, org, ou string) string {
	return "arn:aws:organizations::" + mgmt + ":ou/" + org + "/" + ou
}

func policyARN(mgmt, org, id string) string {
	if id == fullAccessID {
		return fullAccessARN
	}
	return "arn:aws:organizations::" + mgmt + ":policy/" + org + "/service_control_policy/" + id
}

// Shapes.

func (o *orgRec) shape() *Organization {
	return &Organization{
		Id: o.ID, Arn: orgARN(o.Management, o.ID), FeatureSet: "ALL",
		MasterAccountArn: accountARN(o.Management, o.ID, o.Management), MasterAccountId: o.Management,
		// AvailablePolicyTypes is deprecated; AWS lists SCPs there as
		// enabled whatever the root says.
		AvailablePolicyTypes: []PolicyTypeSummary{{Type: TypeSCP, Status: statusEnabled}},
	}
}

func (o *orgRec) root() *Root {
	types := []PolicyTypeSummary{}
	if o.SCPEnabled {
		types = append(types, PolicyTypeSummary{Type: TypeSCP, Status: statusEnabled})
	}
	return &Root{Id: o.RootID, Arn: rootARN(o.Management, o.ID, o.RootID), Name: rootName, PolicyTypes: types}
}

func (a *accountRec) shape(o *orgRec) Account {
	return Account{
		Id: a.ID, Arn: accountARN(o.Management, o.ID, a.ID), Email: a.Email, Name: a.Name,
		Status: accountActive, State: accountActive,
		Paths:        []string{o.ID + "/" + o.RootID + "/" + a.ID + "/"},
		JoinedMethod: a.Method, JoinedTimestamp: a.Joined,
	}
}

func (p *policyRec) summary(o *orgRec) *PolicySummary {
	return &PolicySummary{
		Id: p.ID, Arn: policyARN(o.Management, o.ID, p.ID), Name: p.Name,
		Description: p.Description, Type: p.Type, AwsManaged: p.AwsManaged,
	}
}

func (p *policyRec) shape(o *orgRec) *Policy {
	return &Policy{PolicySummary: p.summary(o), Content: p.Content}
}

func (r *statusRec) shape() *CreateAccountStatus {
	return &CreateAccountStatus{
		Id: r.ID, AccountName: r.AccountName, State: r.State,
		RequestedTimestamp: r.Requested, CompletedTimestamp: r.Completed,
		AccountId: r.AccountID, FailureReason: r.FailureReason,
	}
}

// Loaders.

// membership returns the organization of account, or nil when it is in
// none.
func membership(tx store.Tx, account string) (*orgRec, error) {
	var m memberRec
	if err := store.GetJSON(tx, tblMembers, account, &m); err != nil {
		if isNotFound(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("get membership: %w", err)
	}
	var o orgRec
	if err := store.GetJSON(tx, tblOrgs, m.Org, &o); err != nil {
		return nil, fmt.Errorf("get organization %s: %w", m.Org, err)
	}
	return &o, nil
}

// memberOrg is the caller's organization, or AWSOrganizationsNotInUse.
func memberOrg(tx store.Tx, account string) (*orgRec, error) {
	o, err := membership(tx, account)
	if err != nil {
		return nil, err
	}
	if o == nil {
		return nil, errNotInUse()
	}
	return o, nil
}

// managedOrg is the organization the caller manages: AWSOrganizationsNotInUse
// outside any organization, AccessDenied in a member account.
func managedOrg(tx store.Tx, account string) (*orgRec, error) {
	o, err := memberOrg(tx, account)
	if err != nil {
		return nil, err
	}
	if o.Management != account {
		return nil, errAccessDenied()
	}
	return o, nil
}

func saveOrg(tx store.Tx, o *orgRec) error { return store.PutJSON(tx, tblOrgs, o.ID, o) }

// loadAccount returns an account of o, or nil when o has no such account.
func loadAccount(tx store.Tx, o *orgRec, id string) (*accountRec, error) {
	var a accountRec
	if err := store.GetJSON(tx, tblAccounts, orgKey(o.ID, id), &a); err != nil {
		if isNotFound(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("get account: %w", err)
	}
	return &a, nil
}

func saveAccount(tx store.Tx, o *orgRec, a *accountRec) error {
	return store.PutJSON(tx, tblAccounts, orgKey(o.ID, a.ID), a)
}

// loadPolicy returns a policy of o, or PolicyNotFound.
func loadPolicy(tx store.Tx, o *orgRec, id string) (*policyRec, error) {
	var p policyRec
	if err := store.GetJSON(tx, tblPolicies, orgKey(o.ID, id), &p); err != nil {
		if isNotFound(err) {
			return nil, errPolicyNotFound()
		}
		return nil, fmt.Errorf("get policy: %w", err)
	}
	return &p, nil
}

func savePolicy(tx store.Tx, o *orgRec, p *policyRec) error {
	return store.PutJSON(tx, tblPolicies, orgKey(o.ID, p.ID), p)
}

// target is a root or an account of an organization, as an attachment
// end.
type target struct {
	id, typ, name, arn string
	policies           *[]string
	acct               *accountRec // nil for the root
}

// loadTarget resolves a TargetId of o, or TargetNotFound.
func loadTarget(tx store.Tx, o *orgRec, id string) (*target, error) {
	switch {
	case id == o.RootID:
		return &target{id: id, typ: targetRoot, name: rootName, arn: rootARN(o.Management, o.ID, id), policies: &o.RootPolicies}, nil
	case accountIDRe.MatchString(id):
		a, err := loadAccount(tx, o, id)
		if err != nil {
			return nil, err
		}
		if a == nil {
			return nil, errTargetNotFound()
		}
		return &target{id: id, typ: targetAccount, name: a.Name, arn: accountARN(o.Management, o.ID, id), policies: &a.Policies, acct: a}, nil
	}
	// Roots of other organizations and OUs (which Cairn does not have).
	return nil, errTargetNotFound()
}

// save writes the target's side of an attachment change.
func (t *target) save(tx store.Tx, o *orgRec) error {
	if t.acct != nil {
		return saveAccount(tx, o, t.acct)
	}
	return saveOrg(tx, o)
}

func (t *target) summary() PolicyTargetSummary {
	return PolicyTargetSummary{TargetId: t.id, Arn: t.arn, Name: t.name, Type: t.typ}
}

// attach records p on t on both sides; detach removes it.
func attach(p *policyRec, t *target) {
	*t.policies = append(*t.policies, p.ID)
	p.Targets = append(p.Targets, t.id)
}

func detach(p *policyRec, t *target) {
	*t.policies = slices.DeleteFunc(*t.policies, func(id string) bool { return id == p.ID })
	p.Targets = slices.DeleteFunc(p.Targets, func(id string) bool { return id == t.id })
}

// randomString draws n characters of alphabet from ids without modulo
// bias.
func randomString(ids cairn.IDs, alphabet string, n int) string {
	limit := 256 - 256%len(alphabet)
	out := make([]byte, 0, n)
	for len(out) < n {
		for _, b := range ids.Token(n - len(out) + 4) {
			if int(b) < limit && len(out) < n {
				out = append(out, alphabet[int(b)%len(alphabet)])
			}
		}
	}
	return string(out)
}

const (
	lowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789"
	digits     = "0123456789"
)

// Identifier shapes, as AWS mints them.
func (s *Service) newOrgID() string    { return "o-" + randomString(s.cfg.IDs, lowerAlnum, 10) }
func (s *Service) newRootID() string   { return "r-" + randomString(s.cfg.IDs, lowerAlnum, 4) }
func (s *Service) newPolicyID() string { return "p-" + randomString(s.cfg.IDs, lowerAlnum, 8) }
func (s *Service) newRequestID() string {
	return "car-" + randomString(s.cfg.IDs, lowerAlnum, 32)
}
func (s *Service) newAccountID() string { return randomString(s.cfg.IDs, digits, 12) }
