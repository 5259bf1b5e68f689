package iam

import (
	"context"
	"fmt"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/policy"
	"github.com/cairnhq/cairn/store"
)

// Role session duration bounds (roleMaxSessionDurationType) and default.
const (
	minRoleSession     = 3600
	maxRoleSession     = 43200
	defaultRoleSession = 3600
)

func validateMaxSession(p *int32) error {
	if p == nil {
		return nil
	}
	switch v := *p; {
	case v < minRoleSession:
		return validationError("maxSessionDuration", fmt.Sprint(v), fmt.Sprintf("Member must have value greater than or equal to %d", minRoleSession))
	case v > maxRoleSession:
		return validationError("maxSessionDuration", fmt.Sprint(v), fmt.Sprintf("Member must have value less than or equal to %d", maxRoleSession))
	}
	return nil
}

// checkTrustDocument validates a role trust policy: text, grammar and the
// 2,048-character quota.
func checkTrustDocument(member, doc string) error {
	if err := validateDocumentText(member, doc); err != nil {
		return err
	}
	if err := validatePolicy(doc, policy.Trust, false); err != nil {
		return err
	}
	if policySize(doc) > maxTrustPolicySize {
		return quotaExceeded("ACLSizePerRole", maxTrustPolicySize)
	}
	return nil
}

// CreateRoleInput creates a role.
type CreateRoleInput struct {
	Path                     *string
	RoleName                 string
	AssumeRolePolicyDocument string
	Description              *string
	MaxSessionDuration       *int32
	PermissionsBoundary      *string
	Tags                     []Tag
}

// CreateRoleOutput returns the new role.
type CreateRoleOutput struct {
	Role *Role
}

// CreateRole creates a role with its trust policy.
func (s *Service) CreateRole(ctx context.Context, c *cairn.Call, in *CreateRoleInput) (*CreateRoleOutput, error) {
	if err := validateName("roleName", in.RoleName, maxRoleName); err != nil {
		return nil, err
	}
	path, err := validatePath("path", in.Path)
	if err != nil {
		return nil, err
	}
	if err := validateDescription("description", in.Description, 1000, true); err != nil {
		return nil, err
	}
	if err := validateMaxSession(in.MaxSessionDuration); err != nil {
		return nil, err
	}
	if err := validateTags(in.Tags); err != nil {
		return nil, err
	}
	if in.PermissionsBoundary != nil {
		if _, err := validateBoundaryARN(*in.PermissionsBoundary); err != nil {
			return nil, err
		}
	}
	if err := checkTrustDocument("assumeRolePolicyDocument", in.AssumeRolePolicyDocument); err != nil {
		return nil, err
	}
	acct := c.Account()
	r := &roleRec{
		Name: in.RoleName, ID: cairn.NewAWSID(s.cfg.IDs, cairn.PrefixRole, cairn.IDLength), Path: path,
		Created: s.now(c), Trust: in.AssumeRolePolicyDocument, Description: str(in.Description),
		MaxSessionDuration: defaultRoleSession, Tags: cloneTags(in.Tags),
	}
	if in.MaxSessionDuration != nil {
		r.MaxSessionDuration = *in.MaxSessionDuration
	}
	err = s.update(ctx, func(tx store.Tx) error {
		return insertEntity(tx, acct, kindRole, r.Name, r, in.PermissionsBoundary, &r.Boundary)
	})
	if err != nil {
		return nil, err
	}
	out := r.shape(acct)
	return &CreateRoleOutput{Role: &out}, nil
}

// GetRoleInput names the role.
type GetRoleInput struct {
	RoleName string
}

// GetRoleOutput returns the role.
type GetRoleOutput struct {
	Role *Role
}

// GetRole returns a role with its URL-encoded trust policy, tags,
// boundary and last use.
func (s *Service) GetRole(ctx context.Context, c *cairn.Call, in *GetRoleInput) (*GetRoleOutput, error) {
	if err := validateName("roleName", in.RoleName, maxRoleName); err != nil {
		return nil, err
	}
	acct := c.Account()
	var out Role
	err := s.view(ctx, func(tx store.Tx) error {
		r, err := loadRole(tx, acct, in.RoleName)
		if err != nil {
			return err
		}
		out = r.shape(acct)
		out.RoleLastUsed = &RoleLastUsed{LastUsedDate: r.LastUsed, Region: r.LastUsedRegion}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &GetRoleOutput{Role: &out}, nil
}

// ListRolesInput filters and pages the account's roles.
type ListRolesInput struct {
	PathPrefix *string
	Marker     *string
	MaxItems   *int32
}

// ListRolesOutput is one page of roles.
type ListRolesOutput struct {
	Roles       []Role
	IsTruncated bool
	Marker      *string
}

// ListRoles lists the account's roles whose path starts with PathPrefix;
// like IAM it leaves out tags, boundaries and last use.
func (s *Service) ListRoles(ctx context.Context, c *cairn.Call, in *ListRolesInput) (*ListRolesOutput, error) {
	roles, pg, err := listEntities(ctx, s, c, kindRole, in.PathPrefix, in.Marker, in.MaxItems,
		func(r *roleRec) string { return r.Path },
		func(r *roleRec) Role {
			sh := r.shape(c.Account())
			sh.Tags, sh.PermissionsBoundary = nil, nil
			return sh
		})
	if err != nil {
		return nil, err
	}
	return &ListRolesOutput{Roles: roles, IsTruncated: pg.Truncated, Marker: pg.Marker}, nil
}

// DeleteRoleInput names the role.
type DeleteRoleInput struct {
	RoleName string
}

// DeleteRoleOutput is empty.
type DeleteRoleOutput struct{}

// DeleteRole deletes a role without inline or attached policies.
func (s *Service) DeleteRole(ctx context.Context, c *cairn.Call, in *DeleteRoleInput) (*DeleteRoleOutput, error) {
	if err := s.deleteEntity(ctx, c, kindRole, in.RoleName, maxRoleName); err != nil {
		return nil, err
	}
	return &DeleteRoleOutput{}, nil
}

// UpdateAssumeRolePolicyInput replaces a role's trust policy.
type UpdateAssumeRolePolicyInput struct {
	RoleName       string
	PolicyDocument string
}

// UpdateAssumeRolePolicyOutput is empty.
type UpdateAssumeRolePolicyOutput struct{}

// UpdateAssumeRolePolicy replaces a role's trust policy.
func (s *Service) UpdateAssumeRolePolicy(ctx context.Context, c *cairn.Call, in *UpdateAssumeRolePolicyInput) (*UpdateAssumeRolePolicyOutput, error) {
	if err := validateName("roleName", in.RoleName, maxRoleName); err != nil {
		return nil, err
	}
	if err := validateDocumentText("policyDocument", in.PolicyDocument); err != nil {
		return nil, err
	}
	acct := c.Account()
	err := s.update(ctx, func(tx store.Tx) error {
		r, err := loadRole(tx, acct, in.RoleName)
		if err != nil {
			return err
		}
		if err := checkTrustDocument("policyDocument", in.PolicyDocument); err != nil {
			return err
		}
		r.Trust = in.PolicyDocument
		return saveRole(tx, acct, r)
	})
	if err != nil {
		return nil, err
	}
	return &UpdateAssumeRolePolicyOutput{}, nil
}

// UpdateRoleInput changes a role's description or maximum session
// duration.
type UpdateRoleInput struct {
	RoleName           string
	Description        *string
	MaxSessionDuration *int32
}

// UpdateRoleOutput is empty.
type UpdateRoleOutput struct{}

// UpdateRole changes a role's description and/or maximum session duration.
func (s *Service) UpdateRole(ctx context.Context, c *cairn.Call, in *UpdateRoleInput) (*UpdateRoleOutput, error) {
	if err := validateName("roleName", in.RoleName, maxRoleName); err != nil {
		return nil, err
	}
	if err := validateDescription("description", in.Description, 1000, true); err != nil {
		return nil, err
	}
	if err := validateMaxSession(in.MaxSessionDuration); err != nil {
		return nil, err
	}
	acct := c.Account()
	err := s.update(ctx, func(tx store.Tx) error {
		r, err := loadRole(tx, acct, in.RoleName)
		if err != nil {
			return err
		}
		if in.Description != nil {
			r.Description = *in.Description
		}
		if in.MaxSessionDuration != nil {
			r.MaxSessionDuration = *in.MaxSessionDuration
		}
		return saveRole(tx, acct, r)
	})
	if err != nil {
		return nil, err
	}
	return &UpdateRoleOutput{}, nil
}
