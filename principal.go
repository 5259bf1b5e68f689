package cairn

import "time"

// PrincipalType is CloudTrail's userIdentity.type.
type PrincipalType string

// The principal types Cairn produces.
const (
	PrincipalRoot        PrincipalType = "Root"
	PrincipalIAMUser     PrincipalType = "IAMUser"
	PrincipalAssumedRole PrincipalType = "AssumedRole"
	PrincipalAWSService  PrincipalType = "AWSService"
	PrincipalAnonymous   PrincipalType = "Anonymous"
)

// Principal is the authenticated identity behind a call. Dispatch never hands
// a nil principal to a service: unauthenticated callers are Anonymous.
type Principal struct {
	Type        PrincipalType
	AccountID   string // account that owns the identity
	ARN         string // arn:aws:iam::<acct>:user/x, …:root, arn:aws:sts::<acct>:assumed-role/r/s
	ID          string // principalId / aws:userid: AIDA…, AROA…:session, the account ID for root
	UserName    string // friendly name of a user or role; empty for root
	AccessKeyID string // the key that signed the request, if any
	Service     string // for AWSService: e.g. cloudtrail.amazonaws.com
	Tags        map[string]string
	// Session is set for temporary credentials (ASIA… keys).
	Session *Session
}

// Session describes temporary credentials: who issued them and when.
type Session struct {
	Issuer         Issuer
	Name           string // role session name; empty for GetSessionToken
	CreatedAt      time.Time
	Expires        time.Time
	MFA            bool
	SourceIdentity string
	// Policies are session policy documents (JSON) that further limit the
	// issuer's permissions; empty when none were passed.
	Policies []string
	// PolicyARNs are managed policies passed as session policies.
	PolicyARNs []string
}

// Issuer is sessionContext.sessionIssuer: the long-term identity behind a
// session.
type Issuer struct {
	Type      PrincipalType // Root, IAMUser or Role
	ID        string
	ARN       string
	AccountID string
	UserName  string
}

// IsRoot reports whether p is an account's root user, directly or through a
// session issued to it.
func (p *Principal) IsRoot() bool {
	if p.Type == PrincipalRoot {
		return true
	}
	return p.Session != nil && p.Session.Issuer.Type == PrincipalRoot
}

// RootARN is the ARN of an account's root user.
func RootARN(account string) string { return "arn:aws:iam::" + account + ":root" }

// Credential is a secret access key and what it stands for. It is held in
// memory only; the store keeps the secret encrypted.
type Credential struct {
	AccessKeyID  string
	Secret       string
	SessionToken string // set for temporary credentials
	Active       bool
	Expires      time.Time // zero for long-term keys
	Principal    Principal
}

// Credentials resolves access key IDs. LookupAccessKey returns ErrNotFound
// for an unknown key; any other error is an internal failure.
type Credentials interface {
	LookupAccessKey(accessKeyID string) (*Credential, error)
}
