package organizations

import "time"

// Shapes shared by several operations. Field names are the members of the
// botocore Organizations model (2016-11-28); the awsjson codec renders
// them.

// Policy types and their statuses.
const (
	TypeSCP       = "SERVICE_CONTROL_POLICY"
	statusEnabled = "ENABLED"
)

// Tag is a key-value pair attached to an account or a policy.
type Tag struct {
	Key   string
	Value string
}

// PolicyTypeSummary says whether a policy type is enabled.
type PolicyTypeSummary struct {
	Type   string
	Status string
}

// Organization describes an organization.
type Organization struct {
	Id                   string
	Arn                  string
	FeatureSet           string
	MasterAccountArn     string
	MasterAccountId      string
	MasterAccountEmail   string
	AvailablePolicyTypes []PolicyTypeSummary
}

// Account is a member of an organization.
type Account struct {
	Id              string
	Arn             string
	Email           string
	Name            string
	Status          string
	State           string
	Paths           []string
	JoinedMethod    string
	JoinedTimestamp time.Time
}

// Root is the top of an organization's hierarchy.
type Root struct {
	Id          string
	Arn         string
	Name        string
	PolicyTypes []PolicyTypeSummary
}

// CreateAccountStatus is the state of a CreateAccount request.
type CreateAccountStatus struct {
	Id                 string
	AccountName        string
	State              string
	RequestedTimestamp time.Time
	CompletedTimestamp time.Time
	AccountId          string
	FailureReason      string
}

// PolicySummary describes a policy without its content.
type PolicySummary struct {
	Id          string
	Arn         string
	Name        string
	Description string
	Type        string
	AwsManaged  bool
}

// Policy is a policy with its content.
type Policy struct {
	PolicySummary *PolicySummary
	Content       string
}

// PolicyTargetSummary is a root or account a policy is attached to.
type PolicyTargetSummary struct {
	TargetId string
	Arn      string
	Name     string
	Type     string
}
