// Package sts is the AWS Security Token Service: who am I, and temporary
// credentials. Temporary credentials are issued through the Sessions
// interface (implemented by the IAM service, which owns all credentials)
// and are refused once expired by the server's authenticate step.
package sts

import (
	"context"
	"time"

	"github.com/cairnhq/cairn"
)

// Sessions issues temporary credentials for a session principal.
type Sessions interface {
	// IssueSessionCredentials stores an ASIA… key for p that expires at
	// expires, and returns its ID, secret and session token.
	IssueSessionCredentials(ctx context.Context, p cairn.Principal, expires time.Time) (accessKeyID, secret, token string, err error)
}

// Roles looks up roles and what AssumeRole needs about them. It is
// implemented by the IAM service.
type Roles interface {
	// Role returns the role, or an error wrapping cairn.ErrNotFound.
	Role(ctx context.Context, accountID, name string) (*Role, error)
	// ManagedPolicyDocuments resolves managed policy ARNs (customer
	// policies of accountID, or AWS managed) to their default documents.
	ManagedPolicyDocuments(ctx context.Context, accountID string, arns []string) ([]string, error)
	// AccountOfAccessKey names the account that owns a key.
	AccountOfAccessKey(ctx context.Context, accessKeyID string) (string, error)
}

// Role is what AssumeRole needs to know about a role.
type Role struct {
	ARN, ID, Name, Path string
	TrustPolicy         string // JSON
	MaxSessionDuration  int32  // seconds
	Tags                map[string]string
}

// Config is what the service is built from.
type Config struct {
	Sessions Sessions
	Roles    Roles
	Clock    cairn.Clock
}

// Service serves STS.
type Service struct {
	cfg Config
}

// New builds the STS service.
func New(cfg Config) *Service { return &Service{cfg: cfg} }

// Descriptor is STS's operation table.
func (s *Service) Descriptor() *cairn.Service {
	return &cairn.Service{
		Name:        "sts",
		EventSource: "sts.amazonaws.com",
		Global:      true,
		Operations: []cairn.Operation{
			cairn.Define(cairn.Operation{
				Name: "GetCallerIdentity", Action: "sts:GetCallerIdentity",
				AlwaysAllowed: true, ReadOnly: true,
			}, s.GetCallerIdentity),
			cairn.Define(cairn.Operation{
				Name: "GetSessionToken", Action: "sts:GetSessionToken",
				// AWS: no permissions are required to call GetSessionToken;
				// policies cannot control it.
				AlwaysAllowed: true, ReadOnly: true,
				Request:  []string{"DurationSeconds"},
				Response: []string{"Credentials.AccessKeyId", "Credentials.Expiration"},
			}, s.GetSessionToken),
			cairn.Define(cairn.Operation{
				Name: "AssumeRole", Action: "sts:AssumeRole", ReadOnly: true,
				Resources:   cairn.On(roleResource),
				Target:      cairn.OnTarget(s.roleTarget),
				MoreActions: cairn.OnActions(assumeRoleActions),
				Recipients:  cairn.OnAccounts(roleAccount),
				Conditions:  cairn.OnConditions(assumeRoleConditions),
				Request: []string{"RoleArn", "RoleSessionName", "DurationSeconds", "ExternalId", "Policy",
					"PolicyArns", "Tags", "TransitiveTagKeys", "SourceIdentity"},
				Response: []string{"Credentials.AccessKeyId", "Credentials.Expiration", "AssumedRoleUser",
					"PackedPolicySize", "SourceIdentity"},
			}, s.AssumeRole),
			cairn.Define(cairn.Operation{
				Name: "GetAccessKeyInfo", Action: "sts:GetAccessKeyInfo", ReadOnly: true,
				Request: []string{"AccessKeyId"},
			}, s.GetAccessKeyInfo),
		},
	}
}

// Credentials are temporary security credentials.
type Credentials struct {
	AccessKeyId     string
	SecretAccessKey string
	SessionToken    string
	Expiration      time.Time
}
