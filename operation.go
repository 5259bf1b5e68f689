package cairn

import (
	"context"
	"fmt"
)

// Service is a descriptor table: everything the Dispatch funnel needs to
// authenticate, authorize, invoke and record each operation of one service.
type Service struct {
	Name        string // SigV4 signing name: iam, sts, cloudtrail, …
	EventSource string // CloudTrail eventSource: iam.amazonaws.com
	// Global services (IAM, STS's global endpoint, Organizations) record
	// their events in GlobalRegion whatever region the request named.
	Global     bool
	APIVersion string // recorded as apiVersion where AWS shows it; may be empty
	Operations []Operation
}

// Op returns the operation named name, or nil.
func (s *Service) Op(name string) *Operation {
	for i := range s.Operations {
		if s.Operations[i].Name == name {
			return &s.Operations[i]
		}
	}
	return nil
}

// Operation is one row of a descriptor table. Because authorization and
// auditing are driven by the row, an operation cannot be served without
// deciding both; a test walks every table and checks completeness.
type Operation struct {
	Name string // wire name: CreateUser
	// Action is the IAM action authorized for the call: iam:CreateUser.
	Action string
	// AlwaysAllowed marks calls AWS never denies (sts:GetCallerIdentity).
	AlwaysAllowed bool
	ReadOnly      bool
	// Data marks data events (S3 object-level calls); the rest are
	// management events.
	Data bool
	// Resources names the resources the call acts on: the authorization
	// targets and the event's resources list. Nil means "*".
	Resources func(c *Call, in any) []Resource
	// MoreActions names further actions the call needs on the same
	// resources, depending on its input (sts:TagSession when AssumeRole
	// passes tags).
	MoreActions func(c *Call, in any) []string
	// Recipients names further accounts that receive a copy of the event,
	// linked by sharedEventID (the role's account for a cross-account
	// AssumeRole).
	Recipients func(c *Call, in any) []string
	// Conditions adds the operation's service-specific condition keys
	// (names lower-cased) to the request context.
	Conditions func(c *Call, in any) map[string][]string
	// Target, when set, describes the resource the call acts on for
	// authorization: its resource-based policy, owner and tags. It returns
	// nil when the resource does not exist (the handler then reports it).
	Target func(ctx context.Context, c *Call, in any) (*Target, error)
	// Request and Response are allow-lists of input and output members
	// that may be recorded in the event, as dotted member paths
	// ("UserName", "AccessKey.AccessKeyId"). Anything not listed is never
	// recorded: secrets, plaintexts, passwords, object bodies.
	Request  []string
	Response []string
	// Parameters and Elements, when set, build requestParameters and
	// responseElements themselves, instead of Request and Response, for
	// services whose events do not follow their member names (S3 records
	// bucketName, key, Host and header names). They are allow-lists too:
	// only what they return is recorded. Elements is called only for
	// successful calls.
	Parameters func(c *Call, in any) map[string]any
	Elements   func(c *Call, out any) map[string]any
	// New returns a pointer to a zero input; Invoke runs the operation.
	// Set both with Define.
	New    func() any
	Invoke func(ctx context.Context, c *Call, in any) (any, error)
}

// Target is what authorization needs to know about the resource a call acts
// on beyond its ARN.
type Target struct {
	// Policy is the resource-based policy document ("" = none): a bucket,
	// key or topic policy, or a role's trust policy.
	Policy string
	// Account owns the resource; "" means the caller's account.
	Account string
	// PolicyRequired says Policy must allow on its own, as role trust
	// policies and KMS key policies do.
	PolicyRequired bool
	// Trust says Policy is a role trust policy (its grammar differs from
	// other resource-based policies).
	Trust bool
	// Tags are the resource's tags (aws:ResourceTag/<key>).
	Tags map[string]string
	// Conditions are condition keys that depend on the stored resource
	// rather than on the input (names lower-cased): a KMS key's
	// kms:ResourceAliases, kms:KeySpec, kms:KeyUsage.
	Conditions map[string][]string
	// Grant, when set, is a further allow source that the resource's
	// service keeps beside Policy: KMS grants. Authorization asks it only
	// when the policies neither allowed nor denied explicitly (and no
	// service control policy left the action out); it reports whether a
	// grant lets the caller perform action, given the request's condition
	// keys.
	Grant func(action string, context map[string][]string) bool
}

// Resource is one resource of a call.
type Resource struct {
	ARN  string
	Type string // CloudTrail resource type, e.g. AWS::IAM::User; empty: not recorded
	// Name is the value LookupEvents' ResourceName matches; defaults to ARN.
	Name string
	// Account is the owner recorded as the resource's accountId when its
	// ARN names none (S3 bucket ARNs).
	Account string
	// RecordOnly marks a resource that is listed in the event but not
	// authorized on: the bucket of an S3 object call, which is decided on
	// the object's ARN alone.
	RecordOnly bool
}

// Define binds a typed handler to an operation row.
func Define[I, O any](op Operation, handler func(ctx context.Context, c *Call, in *I) (*O, error)) Operation {
	op.New = func() any { return new(I) }
	op.Invoke = func(ctx context.Context, c *Call, in any) (any, error) {
		typed, ok := in.(*I)
		if !ok {
			return nil, fmt.Errorf("%s: input is %T, want *%T", op.Name, in, typed)
		}
		out, err := handler(ctx, c, typed)
		if err != nil {
			return nil, err
		}
		return out, nil
	}
	return op
}

// On adapts a typed resource function to an operation row.
func On[I any](f func(c *Call, in *I) []Resource) func(*Call, any) []Resource {
	return func(c *Call, in any) []Resource {
		typed, ok := in.(*I)
		if !ok || typed == nil {
			return nil
		}
		return f(c, typed)
	}
}

// OnActions adapts a typed MoreActions function to an operation row.
func OnActions[I any](f func(c *Call, in *I) []string) func(*Call, any) []string {
	return func(c *Call, in any) []string {
		typed, ok := in.(*I)
		if !ok || typed == nil {
			return nil
		}
		return f(c, typed)
	}
}

// OnAccounts adapts a typed Recipients function to an operation row.
func OnAccounts[I any](f func(c *Call, in *I) []string) func(*Call, any) []string {
	return OnActions(f)
}

// OnConditions adapts a typed Conditions function to an operation row.
func OnConditions[I any](f func(c *Call, in *I) map[string][]string) func(*Call, any) map[string][]string {
	return func(c *Call, in any) map[string][]string {
		typed, ok := in.(*I)
		if !ok || typed == nil {
			return nil
		}
		return f(c, typed)
	}
}

// OnTarget adapts a typed Target function to an operation row.
func OnTarget[I any](f func(ctx context.Context, c *Call, in *I) (*Target, error)) func(context.Context, *Call, any) (*Target, error) {
	return func(ctx context.Context, c *Call, in any) (*Target, error) {
		typed, ok := in.(*I)
		if !ok || typed == nil {
			return nil, nil
		}
		return f(ctx, c, typed)
	}
}
