package sts

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/policy"
)

// policyMessage is the validation message of a rejected policy document.
func policyMessage(err error) string {
	var ve *policy.ValidationError
	if errors.As(err, &ve) {
		return ve.Message
	}
	return "Syntax errors in policy."
}

// AssumeRoleInput asks for credentials of a role session.
type AssumeRoleInput struct {
	RoleArn           string
	RoleSessionName   string
	DurationSeconds   *int32
	ExternalId        *string
	Policy            *string
	PolicyArns        []PolicyDescriptorType
	Tags              []Tag
	TransitiveTagKeys []string
	SourceIdentity    *string
	SerialNumber      *string
	TokenCode         *string
}

// PolicyDescriptorType names a managed policy passed as a session policy.
type PolicyDescriptorType struct {
	Arn *string
}

// Tag is a session tag.
type Tag struct {
	Key   string
	Value string
}

// AssumeRoleOutput carries the session credentials.
type AssumeRoleOutput struct {
	Credentials      *Credentials
	AssumedRoleUser  *AssumedRoleUser
	PackedPolicySize *int32
	SourceIdentity   *string
}

// AssumedRoleUser identifies the session.
type AssumedRoleUser struct {
	AssumedRoleId string
	Arn           string
}

const (
	defaultRoleSessionSeconds = 3600
	maxChainedSessionSeconds  = 3600
	maxPackedPolicyChars      = 2048
	maxSessionTags            = 50
	maxSessionPolicyARNs      = 10
)

var (
	sessionNamePattern = regexp.MustCompile(`^[\w+=,.@-]*$`)
	roleARNPattern     = regexp.MustCompile(`^arn:aws:iam::(\d{12}):role(/|/[\x21-\x7e]*/)([\w+=,.@-]{1,64})$`)
)

// parseRoleARN returns the account and role name of a role ARN.
func parseRoleARN(arn string) (account, name string, ok bool) {
	m := roleARNPattern.FindStringSubmatch(arn)
	if m == nil {
		return "", "", false
	}
	return m[1], m[3], true
}

func roleResource(_ *cairn.Call, in *AssumeRoleInput) []cairn.Resource {
	return []cairn.Resource{{ARN: in.RoleArn, Type: "AWS::IAM::Role"}}
}

func roleAccount(_ *cairn.Call, in *AssumeRoleInput) []string {
	if acct, _, ok := parseRoleARN(in.RoleArn); ok {
		return []string{acct}
	}
	return nil
}

func assumeRoleActions(_ *cairn.Call, in *AssumeRoleInput) []string {
	var more []string
	if len(in.Tags) > 0 || len(in.TransitiveTagKeys) > 0 {
		more = append(more, "sts:TagSession")
	}
	if in.SourceIdentity != nil {
		more = append(more, "sts:SetSourceIdentity")
	}
	return more
}

func assumeRoleConditions(_ *cairn.Call, in *AssumeRoleInput) map[string][]string {
	m := map[string][]string{"sts:RoleSessionName": {in.RoleSessionName}}
	if in.ExternalId != nil {
		m["sts:ExternalId"] = []string{*in.ExternalId}
	}
	if in.SourceIdentity != nil {
		m["sts:SourceIdentity"] = []string{*in.SourceIdentity}
	}
	if len(in.TransitiveTagKeys) > 0 {
		m["sts:TransitiveTagKeys"] = in.TransitiveTagKeys
	}
	return m
}

// roleTarget tells authorization about the role: its trust policy must
// allow on its own. A role that does not exist has no trust policy, so the
// call is denied, as AWS denies it, without revealing whether it exists.
func (s *Service) roleTarget(ctx context.Context, _ *cairn.Call, in *AssumeRoleInput) (*cairn.Target, error) {
	acct, name, ok := parseRoleARN(in.RoleArn)
	if !ok {
		return nil, nil // the handler reports the malformed ARN
	}
	t := &cairn.Target{Account: acct, PolicyRequired: true, Trust: true}
	role, err := s.cfg.Roles.Role(ctx, acct, name)
	switch {
	case errors.Is(err, cairn.ErrNotFound):
		return t, nil
	case err != nil:
		return nil, fmt.Errorf("load role: %w", err)
	}
	t.Policy, t.Tags = role.TrustPolicy, role.Tags
	return t, nil
}

// AssumeRole issues credentials for a session of a role.
func (s *Service) AssumeRole(ctx context.Context, c *cairn.Call, in *AssumeRoleInput) (*AssumeRoleOutput, error) {
	acct, name, ok := parseRoleARN(in.RoleArn)
	if !ok {
		return nil, validation("roleArn", in.RoleArn, "Member must satisfy regular expression pattern: arn:aws:iam::<account>:role/<name>")
	}
	if err := checkSessionName(in.RoleSessionName); err != nil {
		return nil, err
	}
	if in.SerialNumber != nil || in.TokenCode != nil {
		return nil, cairn.Errorf(403, "AccessDenied", "MultiFactorAuthentication failed: Cairn does not support MFA devices")
	}
	role, err := s.cfg.Roles.Role(ctx, acct, name)
	if err != nil {
		if errors.Is(err, cairn.ErrNotFound) {
			return nil, cairn.AccessDenied("User: " + c.Principal.ARN + " is not authorized to perform: sts:AssumeRole on resource: " + in.RoleArn)
		}
		return nil, fmt.Errorf("load role: %w", err)
	}
	chained := c.Principal.Type == cairn.PrincipalAssumedRole
	d := int32(defaultRoleSessionSeconds)
	if in.DurationSeconds != nil {
		d = *in.DurationSeconds
		if d < minSessionSeconds || d > 43200 {
			return nil, validation("durationSeconds", fmt.Sprint(d), boundTextRange(d, 43200))
		}
		if chained && d > maxChainedSessionSeconds {
			return nil, cairn.Errorf(400, "ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
		}
		if d > role.MaxSessionDuration {
			return nil, cairn.Errorf(400, "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
		}
	}
	policies, packed, err := s.sessionPolicies(ctx, acct, in)
	if err != nil {
		return nil, err
	}
	tags, err := sessionTags(role.Tags, in.Tags)
	if err != nil {
		return nil, err
	}
	sourceIdentity := ""
	if prev := c.Principal.Session; prev != nil {
		sourceIdentity = prev.SourceIdentity
	}
	if in.SourceIdentity != nil {
		si := *in.SourceIdentity
		if n := utf8.RuneCountInString(si); n < 2 || n > 64 || !sessionNamePattern.MatchString(si) {
			return nil, validation("sourceIdentity", si, "Member must have length between 2 and 64 and satisfy regular expression pattern: [\\w+=,.@-]*")
		}
		if sourceIdentity != "" && si != sourceIdentity {
			return nil, cairn.AccessDenied("SourceIdentity cannot be changed once set in a role session chain")
		}
		sourceIdentity = si
	}
	now := c.Time
	expires := now.Add(time.Duration(d) * time.Second).Truncate(time.Second)
	p := sessionPrincipal(acct, role, in.RoleSessionName, now, expires)
	sessionARN := p.ARN
	p.Tags = tags
	p.Session.SourceIdentity, p.Session.Policies = sourceIdentity, policies
	for _, pa := range in.PolicyArns {
		if pa.Arn != nil {
			p.Session.PolicyARNs = append(p.Session.PolicyARNs, *pa.Arn)
		}
	}
	ak, secret, token, err := s.cfg.Sessions.IssueSessionCredentials(ctx, p, expires)
	if err != nil {
		return nil, fmt.Errorf("issue role session credentials: %w", err)
	}
	out := &AssumeRoleOutput{
		Credentials:     &Credentials{AccessKeyId: ak, SecretAccessKey: secret, SessionToken: token, Expiration: expires},
		AssumedRoleUser: &AssumedRoleUser{AssumedRoleId: p.ID, Arn: sessionARN},
	}
	if packed >= 0 {
		out.PackedPolicySize = &packed
	}
	if in.SourceIdentity != nil {
		out.SourceIdentity = in.SourceIdentity
	}
	return out, nil
}

// sessionPolicies validates the inline session policy and resolves the
// managed ones. packed is the percentage of the packed-policy quota used,
// or -1 when no session policy or tag was passed.
func (s *Service) sessionPolicies(ctx context.Context, roleAccount string, in *AssumeRoleInput) (docs []string, packed int32, err error) {
	packed = -1
	size := 0
	if in.Policy != nil {
		doc := *in.Policy
		if _, err := policy.Parse(doc, policy.Session); err != nil {
			return nil, 0, cairn.Errorf(400, "MalformedPolicyDocument", "%s", policyMessage(err))
		}
		docs = append(docs, doc)
		size += len(compact(doc))
	}
	if len(in.PolicyArns) > maxSessionPolicyARNs {
		return nil, 0, validation("policyArns", fmt.Sprint(len(in.PolicyArns)), fmt.Sprintf("Member must have length less than or equal to %d", maxSessionPolicyARNs))
	}
	var arns []string
	for _, pa := range in.PolicyArns {
		if pa.Arn == nil || *pa.Arn == "" {
			return nil, 0, validation("policyArns.member.arn", "", "Member must not be null")
		}
		arns = append(arns, *pa.Arn)
		size += len(*pa.Arn)
	}
	if len(arns) > 0 {
		resolved, err := s.cfg.Roles.ManagedPolicyDocuments(ctx, roleAccount, arns)
		if err != nil {
			return nil, 0, err
		}
		docs = append(docs, resolved...)
	}
	for _, t := range in.Tags {
		size += len(t.Key) + len(t.Value)
	}
	if in.Policy != nil || len(arns) > 0 || len(in.Tags) > 0 {
		pct := size * 100 / maxPackedPolicyChars
		if pct > 100 {
			return nil, 0, cairn.Errorf(400, "PackedPolicyTooLarge",
				"Packed policy consumes %d%% of allotted space, please use smaller policy.", pct)
		}
		packed = int32(pct)
	}
	return docs, packed, nil
}

// sessionTags merges the role's tags with the session's; session tags win.
func sessionTags(roleTags map[string]string, tags []Tag) (map[string]string, error) {
	if len(tags) > maxSessionTags {
		return nil, validation("tags", fmt.Sprint(len(tags)), fmt.Sprintf("Member must have length less than or equal to %d", maxSessionTags))
	}
	out := make(map[string]string, len(roleTags)+len(tags))
	for k, v := range roleTags {
		out[k] = v
	}
	seen := map[string]bool{}
	for _, t := range tags {
		if n := utf8.RuneCountInString(t.Key); n < 1 || n > 128 {
			return nil, validation("tags.member.key", t.Key, "Member must have length between 1 and 128")
		}
		if utf8.RuneCountInString(t.Value) > 256 {
			return nil, validation("tags.member.value", t.Value, "Member must have length less than or equal to 256")
		}
		lk := strings.ToLower(t.Key)
		if seen[lk] {
			return nil, cairn.Errorf(400, "InvalidParameterValue", "Duplicate tag keys found. Please note that Tag keys are case insensitive.")
		}
		seen[lk] = true
		out[t.Key] = t.Value
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

func checkSessionName(n string) error {
	switch l := utf8.RuneCountInString(n); {
	case l < 2:
		return validation("roleSessionName", n, "Member must have length greater than or equal to 2")
	case l > 64:
		return validation("roleSessionName", n, "Member must have length less than or equal to 64")
	case !sessionNamePattern.MatchString(n):
		return validation("roleSessionName", n, "Member must satisfy regular expression pattern: [\\w+=,.@-]*")
	}
	return nil
}

func validation(member, value, constraint string) *cairn.Error {
	return cairn.Errorf(400, "ValidationError", "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: %s", value, member, constraint)
}

func boundTextRange(d, max int32) string {
	if d < minSessionSeconds {
		return fmt.Sprintf("Member must have value greater than or equal to %d", minSessionSeconds)
	}
	return fmt.Sprintf("Member must have value less than or equal to %d", max)
}

// compact drops white space, as AWS counts policy size.
func compact(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\n' || r == '\t' || r == '\r' {
			return -1
		}
		return r
	}, s)
}

// sessionPrincipal is the principal of a session of role.
func sessionPrincipal(acct string, role *Role, sessionName string, now, expires time.Time) cairn.Principal {
	return cairn.Principal{
		Type:      cairn.PrincipalAssumedRole,
		AccountID: acct,
		ARN:       "arn:aws:sts::" + acct + ":assumed-role/" + role.Name + "/" + sessionName,
		ID:        role.ID + ":" + sessionName,
		Tags:      role.Tags,
		Session: &cairn.Session{
			Issuer:    cairn.Issuer{Type: "Role", ID: role.ID, ARN: role.ARN, AccountID: acct, UserName: role.Name},
			Name:      sessionName,
			CreatedAt: now.Truncate(time.Second),
			Expires:   expires,
		},
	}
}

// ServiceSession is the session of roleARN that an AWS service works in
// when it assumes the role for a customer's resource (CloudTrail writing
// to a CloudWatch Logs log group): the principal AssumeRole would issue,
// for an hour, without credentials, since the service never presents
// any. The caller decides first that the role's trust policy lets the
// service assume it (authorizing sts:AssumeRole as the service
// principal). A malformed ARN or a missing role is an error wrapping
// cairn.ErrNotFound.
func (s *Service) ServiceSession(ctx context.Context, roleARN, sessionName string, now time.Time) (cairn.Principal, error) {
	acct, name, ok := parseRoleARN(roleARN)
	if !ok {
		return cairn.Principal{}, fmt.Errorf("role %q: %w", roleARN, cairn.ErrNotFound)
	}
	role, err := s.cfg.Roles.Role(ctx, acct, name)
	if err != nil {
		return cairn.Principal{}, fmt.Errorf("load role %s: %w", roleARN, err)
	}
	return sessionPrincipal(acct, role, sessionName, now, now.Add(time.Hour)), nil
}
