package policy

import "strings"

// PrincipalType is the kind of identity making a request. The values are
// CloudTrail's userIdentity.type, so cairn.PrincipalType converts directly.
type PrincipalType string

// The principal types the evaluator distinguishes.
const (
	PrincipalRoot            PrincipalType = "Root"
	PrincipalIAMUser         PrincipalType = "IAMUser"
	PrincipalAssumedRole     PrincipalType = "AssumedRole"
	PrincipalFederatedUser   PrincipalType = "FederatedUser" // GetFederationToken sessions
	PrincipalWebIdentityUser PrincipalType = "WebIdentityUser"
	PrincipalSAMLUser        PrincipalType = "SAMLUser"
	PrincipalAWSService      PrincipalType = "AWSService"
	PrincipalAnonymous       PrincipalType = "Anonymous"
)

// Principal is who is calling, as far as Principal/NotPrincipal matching
// needs to know.
type Principal struct {
	Type PrincipalType
	// ARN of the caller: arn:aws:iam::111122223333:user/alice,
	// arn:aws:sts::111122223333:assumed-role/Admin/session, …:root.
	ARN string
	// Account that owns the caller; empty for services and anonymous.
	Account string
	// IssuerARN is, for an assumed-role session, the role's ARN
	// (arn:aws:iam::111122223333:role/path/Admin), and for a federated user,
	// the ARN of the IAM user who called GetFederationToken. A
	// resource-based policy naming it grants less than one naming the
	// session itself.
	IssuerARN string
	// ServiceName is the service principal for AWSService callers, e.g.
	// cloudtrail.amazonaws.com.
	ServiceName string
	// Provider is the identity provider a WebIdentityUser or SAMLUser comes
	// from (cognito-identity.amazonaws.com, a SAML provider ARN), matched
	// against Federated principals.
	Provider string
	// CanonicalUser is the S3 canonical user ID, matched against
	// CanonicalUser principals.
	CanonicalUser string
}

// Request is one authorization question.
type Request struct {
	Action    string // service:Action, e.g. iam:CreateUser
	Resource  string // ARN, or "*" for actions without a resource
	Principal Principal
	// Context holds the condition keys of the request with lower-cased
	// names (aws:sourceip, aws:principaltag/team, s3:prefix); a key may
	// have several values. Use Set to add keys with their AWS spelling.
	Context map[string][]string
}

// Set stores values under key, lower-casing the key as the evaluator
// expects (condition key names are case-insensitive in AWS).
func (r *Request) Set(key string, values ...string) {
	if r.Context == nil {
		r.Context = make(map[string][]string)
	}
	r.Context[strings.ToLower(key)] = values
}
