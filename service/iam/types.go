package iam

import "time"

// Shapes shared by several operations. Field names are the members of the
// botocore IAM model (2010-05-08); the awsquery codec renders them.

// Tag is a key-value pair attached to a user or role.
type Tag struct {
	Key   string
	Value string
}

// AttachedPermissionsBoundary names the managed policy that bounds a user
// or role.
type AttachedPermissionsBoundary struct {
	PermissionsBoundaryType string // always PermissionsBoundaryPolicy
	PermissionsBoundaryArn  string
}

// User is an IAM user. For the root identity (GetUser by root) only
// UserId, Arn and CreateDate are set.
type User struct {
	Path                string
	UserName            string
	UserId              string
	Arn                 string
	CreateDate          time.Time
	PermissionsBoundary *AttachedPermissionsBoundary
	Tags                []Tag
}

// Group is an IAM group.
type Group struct {
	Path       string
	GroupName  string
	GroupId    string
	Arn        string
	CreateDate time.Time
}

// RoleLastUsed tells when a role was last assumed.
type RoleLastUsed struct {
	LastUsedDate *time.Time
	Region       string
}

// Role is an IAM role. AssumeRolePolicyDocument is URL-encoded, as IAM
// returns it.
type Role struct {
	Path                     string
	RoleName                 string
	RoleId                   string
	Arn                      string
	CreateDate               time.Time
	AssumeRolePolicyDocument string
	Description              string
	MaxSessionDuration       int32
	PermissionsBoundary      *AttachedPermissionsBoundary
	Tags                     []Tag
	RoleLastUsed             *RoleLastUsed
}

// AccessKey is a new access key with its secret; only CreateAccessKey
// returns it.
type AccessKey struct {
	UserName        string
	AccessKeyId     string
	Status          string
	SecretAccessKey string
	CreateDate      time.Time
}

// AccessKeyMetadata describes an access key without its secret.
type AccessKeyMetadata struct {
	UserName    string
	AccessKeyId string
	Status      string
	CreateDate  time.Time
}

// AccessKeyLastUsed tells when, where and for which service a key was last
// used; ServiceName and Region are "N/A" for a key never used.
type AccessKeyLastUsed struct {
	LastUsedDate *time.Time
	ServiceName  string
	Region       string
}

// Policy is a managed policy.
type Policy struct {
	PolicyName                    string
	PolicyId                      string
	Arn                           string
	Path                          string
	DefaultVersionId              string
	AttachmentCount               int32
	PermissionsBoundaryUsageCount int32
	IsAttachable                  bool
	Description                   string
	CreateDate                    time.Time
	UpdateDate                    time.Time
	Tags                          []Tag
}

// PolicyVersion is one version of a managed policy; Document is
// URL-encoded and set only by GetPolicyVersion and CreatePolicyVersion's
// peers that return documents.
type PolicyVersion struct {
	Document         string
	VersionId        string
	IsDefaultVersion bool
	CreateDate       time.Time
}

// AttachedPolicy names a managed policy attached to a user, group or role.
type AttachedPolicy struct {
	PolicyName string
	PolicyArn  string
}

// Access key statuses.
const (
	statusActive   = "Active"
	statusInactive = "Inactive"
)

const boundaryType = "PermissionsBoundaryPolicy"
