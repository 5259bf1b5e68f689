package iam

import (
	"context"
	"sort"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/policy"
	"github.com/cairnhq/cairn/store"
)

// Inline policies live inside their user, group or role. Names match
// case-insensitively; a Put under an existing name replaces the document.
// IAM's inline size quota holds for the sum of an entity's inline
// policies.

func findInline(list []inlinePolicy, name string) int {
	l := lower(name)
	for i, p := range list {
		if lower(p.Name) == l {
			return i
		}
	}
	return -1
}

func (s *Service) putInline(ctx context.Context, c *cairn.Call, kind entityKind, name string, maxName int, policyName, doc string) error {
	if err := validateName(kind.nameMember(), name, maxName); err != nil {
		return err
	}
	if err := validateName("policyName", policyName, maxPolicyName); err != nil {
		return err
	}
	if err := validateDocumentText("policyDocument", doc); err != nil {
		return err
	}
	return s.updateEntity(ctx, c, kind, name, func(_ store.Tx, e *entity) error {
		if err := validatePolicy(doc, policy.Identity, false); err != nil {
			return err
		}
		list := *e.inline
		i := findInline(list, policyName)
		total := policySize(doc)
		for j, p := range list {
			if j != i {
				total += policySize(p.Document)
			}
		}
		if limit := kind.spec().inlineLimit; total > limit {
			return limitExceeded("Maximum policy size of %d bytes exceeded for %s %s", limit, kind, e.name)
		}
		if i >= 0 {
			list[i] = inlinePolicy{Name: policyName, Document: doc}
		} else {
			list = append(list, inlinePolicy{Name: policyName, Document: doc})
			sort.Slice(list, func(a, b int) bool { return lower(list[a].Name) < lower(list[b].Name) })
		}
		*e.inline = list
		return e.save()
	})
}

func (s *Service) getInline(ctx context.Context, c *cairn.Call, kind entityKind, name string, maxName int, policyName string) (entityName string, p inlinePolicy, err error) {
	if err := validateName(kind.nameMember(), name, maxName); err != nil {
		return "", inlinePolicy{}, err
	}
	if err := validateName("policyName", policyName, maxPolicyName); err != nil {
		return "", inlinePolicy{}, err
	}
	err = s.viewEntity(ctx, c, kind, name, func(e *entity) error {
		i := findInline(*e.inline, policyName)
		if i < 0 {
			return noSuchInline(kind, policyName)
		}
		entityName, p = e.name, (*e.inline)[i]
		return nil
	})
	return entityName, p, err
}

func (s *Service) deleteInline(ctx context.Context, c *cairn.Call, kind entityKind, name string, maxName int, policyName string) error {
	if err := validateName(kind.nameMember(), name, maxName); err != nil {
		return err
	}
	if err := validateName("policyName", policyName, maxPolicyName); err != nil {
		return err
	}
	return s.updateEntity(ctx, c, kind, name, func(_ store.Tx, e *entity) error {
		list := *e.inline
		i := findInline(list, policyName)
		if i < 0 {
			return noSuchInline(kind, policyName)
		}
		*e.inline = append(list[:i], list[i+1:]...)
		return e.save()
	})
}

func (s *Service) listInline(ctx context.Context, c *cairn.Call, kind entityKind, name string, maxName int, marker *string, max *int32) ([]string, page, error) {
	if err := validateName(kind.nameMember(), name, maxName); err != nil {
		return nil, page{}, err
	}
	limit, err := maxItems(max)
	if err != nil {
		return nil, page{}, err
	}
	var names []string
	err = s.viewEntity(ctx, c, kind, name, func(e *entity) error {
		for _, p := range *e.inline {
			names = append(names, p.Name)
		}
		return nil
	})
	if err != nil {
		return nil, page{}, err
	}
	items, pg, err := pageSlice(names, lower, marker, limit)
	if err != nil {
		return nil, page{}, err
	}
	return append([]string{}, items...), pg, nil
}

// PutUserPolicyInput adds or replaces a user's inline policy.
type PutUserPolicyInput struct {
	UserName       string
	PolicyName     string
	PolicyDocument string
}

// PutUserPolicyOutput is empty.
type PutUserPolicyOutput struct{}

// PutUserPolicy adds or replaces an inline policy of a user.
func (s *Service) PutUserPolicy(ctx context.Context, c *cairn.Call, in *PutUserPolicyInput) (*PutUserPolicyOutput, error) {
	if err := s.putInline(ctx, c, kindUser, in.UserName, maxUserName, in.PolicyName, in.PolicyDocument); err != nil {
		return nil, err
	}
	return &PutUserPolicyOutput{}, nil
}

// GetUserPolicyInput names the user and the policy.
type GetUserPolicyInput struct {
	UserName   string
	PolicyName string
}

// GetUserPolicyOutput returns the URL-encoded document.
type GetUserPolicyOutput struct {
	UserName       string
	PolicyName     string
	PolicyDocument string
}

// GetUserPolicy returns an inline policy of a user.
func (s *Service) GetUserPolicy(ctx context.Context, c *cairn.Call, in *GetUserPolicyInput) (*GetUserPolicyOutput, error) {
	name, p, err := s.getInline(ctx, c, kindUser, in.UserName, maxUserName, in.PolicyName)
	if err != nil {
		return nil, err
	}
	return &GetUserPolicyOutput{UserName: name, PolicyName: p.Name, PolicyDocument: encodeDocument(p.Document)}, nil
}

// DeleteUserPolicyInput names the user and the policy.
type DeleteUserPolicyInput struct {
	UserName   string
	PolicyName string
}

// DeleteUserPolicyOutput is empty.
type DeleteUserPolicyOutput struct{}

// DeleteUserPolicy deletes an inline policy of a user.
func (s *Service) DeleteUserPolicy(ctx context.Context, c *cairn.Call, in *DeleteUserPolicyInput) (*DeleteUserPolicyOutput, error) {
	if err := s.deleteInline(ctx, c, kindUser, in.UserName, maxUserName, in.PolicyName); err != nil {
		return nil, err
	}
	return &DeleteUserPolicyOutput{}, nil
}

// ListUserPoliciesInput names the user.
type ListUserPoliciesInput struct {
	UserName string
	Marker   *string
	MaxItems *int32
}

// ListUserPoliciesOutput lists inline policy names.
type ListUserPoliciesOutput struct {
	PolicyNames []string
	IsTruncated bool
	Marker      *string
}

// ListUserPolicies lists a user's inline policy names.
func (s *Service) ListUserPolicies(ctx context.Context, c *cairn.Call, in *ListUserPoliciesInput) (*ListUserPoliciesOutput, error) {
	names, pg, err := s.listInline(ctx, c, kindUser, in.UserName, maxUserName, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &ListUserPoliciesOutput{PolicyNames: names, IsTruncated: pg.Truncated, Marker: pg.Marker}, nil
}

// PutGroupPolicyInput adds or replaces a group's inline policy.
type PutGroupPolicyInput struct {
	GroupName      string
	PolicyName     string
	PolicyDocument string
}

// PutGroupPolicyOutput is empty.
type PutGroupPolicyOutput struct{}

// PutGroupPolicy adds or replaces an inline policy of a group.
func (s *Service) PutGroupPolicy(ctx context.Context, c *cairn.Call, in *PutGroupPolicyInput) (*PutGroupPolicyOutput, error) {
	if err := s.putInline(ctx, c, kindGroup, in.GroupName, maxGroupName, in.PolicyName, in.PolicyDocument); err != nil {
		return nil, err
	}
	return &PutGroupPolicyOutput{}, nil
}

// GetGroupPolicyInput names the group and the policy.
type GetGroupPolicyInput struct {
	GroupName  string
	PolicyName string
}

// GetGroupPolicyOutput returns the URL-encoded document.
type GetGroupPolicyOutput struct {
	GroupName      string
	PolicyName     string
	PolicyDocument string
}

// GetGroupPolicy returns an inline policy of a group.
func (s *Service) GetGroupPolicy(ctx context.Context, c *cairn.Call, in *GetGroupPolicyInput) (*GetGroupPolicyOutput, error) {
	name, p, err := s.getInline(ctx, c, kindGroup, in.GroupName, maxGroupName, in.PolicyName)
	if err != nil {
		return nil, err
	}
	return &GetGroupPolicyOutput{GroupName: name, PolicyName: p.Name, PolicyDocument: encodeDocument(p.Document)}, nil
}

// DeleteGroupPolicyInput names the group and the policy.
type DeleteGroupPolicyInput struct {
	GroupName  string
	PolicyName string
}

// DeleteGroupPolicyOutput is empty.
type DeleteGroupPolicyOutput struct{}

// DeleteGroupPolicy deletes an inline policy of a group.
func (s *Service) DeleteGroupPolicy(ctx context.Context, c *cairn.Call, in *DeleteGroupPolicyInput) (*DeleteGroupPolicyOutput, error) {
	if err := s.deleteInline(ctx, c, kindGroup, in.GroupName, maxGroupName, in.PolicyName); err != nil {
		return nil, err
	}
	return &DeleteGroupPolicyOutput{}, nil
}

// ListGroupPoliciesInput names the group.
type ListGroupPoliciesInput struct {
	GroupName string
	Marker    *string
	MaxItems  *int32
}

// ListGroupPoliciesOutput lists inline policy names.
type ListGroupPoliciesOutput struct {
	PolicyNames []string
	IsTruncated bool
	Marker      *string
}

// ListGroupPolicies lists a group's inline policy names.
func (s *Service) ListGroupPolicies(ctx context.Context, c *cairn.Call, in *ListGroupPoliciesInput) (*ListGroupPoliciesOutput, error) {
	names, pg, err := s.listInline(ctx, c, kindGroup, in.GroupName, maxGroupName, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &ListGroupPoliciesOutput{PolicyNames: names, IsTruncated: pg.Truncated, Marker: pg.Marker}, nil
}

// PutRolePolicyInput adds or replaces a role's inline policy.
type PutRolePolicyInput struct {
	RoleName       string
	PolicyName     string
	PolicyDocument string
}

// PutRolePolicyOutput is empty.
type PutRolePolicyOutput struct{}

// PutRolePolicy adds or replaces an inline policy of a role.
func (s *Service) PutRolePolicy(ctx context.Context, c *cairn.Call, in *PutRolePolicyInput) (*PutRolePolicyOutput, error) {
	if err := s.putInline(ctx, c, kindRole, in.RoleName, maxRoleName, in.PolicyName, in.PolicyDocument); err != nil {
		return nil, err
	}
	return &PutRolePolicyOutput{}, nil
}

// GetRolePolicyInput names the role and the policy.
type GetRolePolicyInput struct {
	RoleName   string
	PolicyName string
}

// GetRolePolicyOutput returns the URL-encoded document.
type GetRolePolicyOutput struct {
	RoleName       string
	PolicyName     string
	PolicyDocument string
}

// GetRolePolicy returns an inline policy of a role.
func (s *Service) GetRolePolicy(ctx context.Context, c *cairn.Call, in *GetRolePolicyInput) (*GetRolePolicyOutput, error) {
	name, p, err := s.getInline(ctx, c, kindRole, in.RoleName, maxRoleName, in.PolicyName)
	if err != nil {
		return nil, err
	}
	return &GetRolePolicyOutput{RoleName: name, PolicyName: p.Name, PolicyDocument: encodeDocument(p.Document)}, nil
}

// DeleteRolePolicyInput names the role and the policy.
type DeleteRolePolicyInput struct {
	RoleName   string
	PolicyName string
}

// DeleteRolePolicyOutput is empty.
type DeleteRolePolicyOutput struct{}

// DeleteRolePolicy deletes an inline policy of a role.
func (s *Service) DeleteRolePolicy(ctx context.Context, c *cairn.Call, in *DeleteRolePolicyInput) (*DeleteRolePolicyOutput, error) {
	if err := s.deleteInline(ctx, c, kindRole, in.RoleName, maxRoleName, in.PolicyName); err != nil {
		return nil, err
	}
	return &DeleteRolePolicyOutput{}, nil
}

// ListRolePoliciesInput names the role.
type ListRolePoliciesInput struct {
	RoleName string
	Marker   *string
	MaxItems *int32
}

// ListRolePoliciesOutput lists inline policy names.
type ListRolePoliciesOutput struct {
	PolicyNames []string
	IsTruncated bool
	Marker      *string
}

// ListRolePolicies lists a role's inline policy names.
func (s *Service) ListRolePolicies(ctx context.Context, c *cairn.Call, in *ListRolePoliciesInput) (*ListRolePoliciesOutput, error) {
	names, pg, err := s.listInline(ctx, c, kindRole, in.RoleName, maxRoleName, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &ListRolePoliciesOutput{PolicyNames: names, IsTruncated: pg.Truncated, Marker: pg.Marker}, nil
}
