package iam

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// attachPolicy attaches the managed policy arn to an entity and counts the
// attachment on the policy. Attaching twice changes nothing.
func (s *Service) attachPolicy(ctx context.Context, c *cairn.Call, kind entityKind, name string, maxName int, arn string) error {
	if err := validateName(kind.nameMember(), name, maxName); err != nil {
		return err
	}
	if _, err := validatePolicyARN(arn); err != nil {
		return err
	}
	acct := c.Account()
	return s.updateEntity(ctx, c, kind, name, func(tx store.Tx, e *entity) error {
		p, err := loadPolicy(tx, acct, arn)
		if err != nil {
			return err
		}
		if p == nil {
			return policyNotAttachable(arn)
		}
		if containsString(*e.attached, arn) {
			return nil
		}
		if len(*e.attached) >= maxAttachedPolicies {
			return quotaExceeded(kind.spec().attachQuota, maxAttachedPolicies)
		}
		*e.attached = append(*e.attached, arn)
		sort.Strings(*e.attached)
		p.Attachments++
		if err := e.save(); err != nil {
			return err
		}
		return savePolicy(tx, acct, p)
	})
}

// detachPolicy detaches the managed policy arn from an entity.
func (s *Service) detachPolicy(ctx context.Context, c *cairn.Call, kind entityKind, name string, maxName int, arn string) error {
	if err := validateName(kind.nameMember(), name, maxName); err != nil {
		return err
	}
	if _, err := validatePolicyARN(arn); err != nil {
		return err
	}
	acct := c.Account()
	return s.updateEntity(ctx, c, kind, name, func(tx store.Tx, e *entity) error {
		rest, found := removeString(*e.attached, arn)
		if !found {
			return noSuchPolicy(arn)
		}
		*e.attached = rest
		if err := e.save(); err != nil {
			return err
		}
		p, err := loadPolicy(tx, acct, arn)
		if err != nil || p == nil {
			return err
		}
		if p.Attachments > 0 {
			p.Attachments--
		}
		return savePolicy(tx, acct, p)
	})
}

// listAttached pages the managed policies attached to an entity, in ARN
// order, keeping those whose path starts with pathPrefix.
func (s *Service) listAttached(ctx context.Context, c *cairn.Call, kind entityKind, name string, maxName int, pathPrefix, marker *string, max *int32) ([]AttachedPolicy, page, error) {
	if err := validateName(kind.nameMember(), name, maxName); err != nil {
		return nil, page{}, err
	}
	prefix, err := validatePolicyPathPrefix(pathPrefix)
	if err != nil {
		return nil, page{}, err
	}
	limit, err := maxItems(max)
	if err != nil {
		return nil, page{}, err
	}
	var all []AttachedPolicy
	err = s.viewEntity(ctx, c, kind, name, func(e *entity) error {
		for _, arn := range *e.attached {
			pa, err := parsePolicyARN(arn)
			if err != nil {
				return fmt.Errorf("stored policy ARN %s: %w", arn, err)
			}
			if strings.HasPrefix(pa.Path, prefix) {
				all = append(all, AttachedPolicy{PolicyName: pa.Name, PolicyArn: arn})
			}
		}
		return nil
	})
	if err != nil {
		return nil, page{}, err
	}
	items, pg, err := pageSlice(all, func(a AttachedPolicy) string { return a.PolicyArn }, marker, limit)
	if err != nil {
		return nil, page{}, err
	}
	return append([]AttachedPolicy{}, items...), pg, nil
}

// AttachUserPolicyInput names the user and the policy.
type AttachUserPolicyInput struct {
	UserName  string
	PolicyArn string
}

// AttachUserPolicyOutput is empty.
type AttachUserPolicyOutput struct{}

// AttachUserPolicy attaches a managed policy to a user.
func (s *Service) AttachUserPolicy(ctx context.Context, c *cairn.Call, in *AttachUserPolicyInput) (*AttachUserPolicyOutput, error) {
	if err := s.attachPolicy(ctx, c, kindUser, in.UserName, maxNewUserName, in.PolicyArn); err != nil {
		return nil, err
	}
	return &AttachUserPolicyOutput{}, nil
}

// DetachUserPolicyInput names the user and the policy.
type DetachUserPolicyInput struct {
	UserName  string
	PolicyArn string
}

// DetachUserPolicyOutput is empty.
type DetachUserPolicyOutput struct{}

// DetachUserPolicy detaches a managed policy from a user.
func (s *Service) DetachUserPolicy(ctx context.Context, c *cairn.Call, in *DetachUserPolicyInput) (*DetachUserPolicyOutput, error) {
	if err := s.detachPolicy(ctx, c, kindUser, in.UserName, maxNewUserName, in.PolicyArn); err != nil {
		return nil, err
	}
	return &DetachUserPolicyOutput{}, nil
}

// ListAttachedUserPoliciesInput names the user.
type ListAttachedUserPoliciesInput struct {
	UserName   string
	PathPrefix *string
	Marker     *string
	MaxItems   *int32
}

// ListAttachedUserPoliciesOutput is one page of attached policies.
type ListAttachedUserPoliciesOutput struct {
	AttachedPolicies []AttachedPolicy
	IsTruncated      bool
	Marker           *string
}

// ListAttachedUserPolicies lists the managed policies attached to a user.
func (s *Service) ListAttachedUserPolicies(ctx context.Context, c *cairn.Call, in *ListAttachedUserPoliciesInput) (*ListAttachedUserPoliciesOutput, error) {
	items, pg, err := s.listAttached(ctx, c, kindUser, in.UserName, maxNewUserName, in.PathPrefix, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &ListAttachedUserPoliciesOutput{AttachedPolicies: items, IsTruncated: pg.Truncated, Marker: pg.Marker}, nil
}

// AttachGroupPolicyInput names the group and the policy.
type AttachGroupPolicyInput struct {
	GroupName string
	PolicyArn string
}

// AttachGroupPolicyOutput is empty.
type AttachGroupPolicyOutput struct{}

// AttachGroupPolicy attaches a managed policy to a group.
func (s *Service) AttachGroupPolicy(ctx context.Context, c *cairn.Call, in *AttachGroupPolicyInput) (*AttachGroupPolicyOutput, error) {
	if err := s.attachPolicy(ctx, c, kindGroup, in.GroupName, maxGroupName, in.PolicyArn); err != nil {
		return nil, err
	}
	return &AttachGroupPolicyOutput{}, nil
}

// DetachGroupPolicyInput names the group and the policy.
type DetachGroupPolicyInput struct {
	GroupName string
	PolicyArn string
}

// DetachGroupPolicyOutput is empty.
type DetachGroupPolicyOutput struct{}

// DetachGroupPolicy detaches a managed policy from a group.
func (s *Service) DetachGroupPolicy(ctx context.Context, c *cairn.Call, in *DetachGroupPolicyInput) (*DetachGroupPolicyOutput, error) {
	if err := s.detachPolicy(ctx, c, kindGroup, in.GroupName, maxGroupName, in.PolicyArn); err != nil {
		return nil, err
	}
	return &DetachGroupPolicyOutput{}, nil
}

// ListAttachedGroupPoliciesInput names the group.
type ListAttachedGroupPoliciesInput struct {
	GroupName  string
	PathPrefix *string
	Marker     *string
	MaxItems   *int32
}

// ListAttachedGroupPoliciesOutput is one page of attached policies.
type ListAttachedGroupPoliciesOutput struct {
	AttachedPolicies []AttachedPolicy
	IsTruncated      bool
	Marker           *string
}

// ListAttachedGroupPolicies lists the managed policies attached to a group.
func (s *Service) ListAttachedGroupPolicies(ctx context.Context, c *cairn.Call, in *ListAttachedGroupPoliciesInput) (*ListAttachedGroupPoliciesOutput, error) {
	items, pg, err := s.listAttached(ctx, c, kindGroup, in.GroupName, maxGroupName, in.PathPrefix, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &ListAttachedGroupPoliciesOutput{AttachedPolicies: items, IsTruncated: pg.Truncated, Marker: pg.Marker}, nil
}

// AttachRolePolicyInput names the role and the policy.
type AttachRolePolicyInput struct {
	RoleName  string
	PolicyArn string
}

// AttachRolePolicyOutput is empty.
type AttachRolePolicyOutput struct{}

// AttachRolePolicy attaches a managed policy to a role.
func (s *Service) AttachRolePolicy(ctx context.Context, c *cairn.Call, in *AttachRolePolicyInput) (*AttachRolePolicyOutput, error) {
	if err := s.attachPolicy(ctx, c, kindRole, in.RoleName, maxRoleName, in.PolicyArn); err != nil {
		return nil, err
	}
	return &AttachRolePolicyOutput{}, nil
}

// DetachRolePolicyInput names the role and the policy.
type DetachRolePolicyInput struct {
	RoleName  string
	PolicyArn string
}

// DetachRolePolicyOutput is empty.
type DetachRolePolicyOutput struct{}

// DetachRolePolicy detaches a managed policy from a role.
func (s *Service) DetachRolePolicy(ctx context.Context, c *cairn.Call, in *DetachRolePolicyInput) (*DetachRolePolicyOutput, error) {
	if err := s.detachPolicy(ctx, c, kindRole, in.RoleName, maxRoleName, in.PolicyArn); err != nil {
		return nil, err
	}
	return &DetachRolePolicyOutput{}, nil
}

// ListAttachedRolePoliciesInput names the role.
type ListAttachedRolePoliciesInput struct {
	RoleName   string
	PathPrefix *string
	Marker     *string
	MaxItems   *int32
}

// ListAttachedRolePoliciesOutput is one page of attached policies.
type ListAttachedRolePoliciesOutput struct {
	AttachedPolicies []AttachedPolicy
	IsTruncated      bool
	Marker           *string
}

// ListAttachedRolePolicies lists the managed policies attached to a role.
func (s *Service) ListAttachedRolePolicies(ctx context.Context, c *cairn.Call, in *ListAttachedRolePoliciesInput) (*ListAttachedRolePoliciesOutput, error) {
	items, pg, err := s.listAttached(ctx, c, kindRole, in.RoleName, maxRoleName, in.PathPrefix, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &ListAttachedRolePoliciesOutput{AttachedPolicies: items, IsTruncated: pg.Truncated, Marker: pg.Marker}, nil
}
