package iam

import (
	"context"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// Permissions boundaries: a managed policy (customer or AWS managed) that
// caps what a user's or role's identity policies can grant. Setting one
// counts a use on the policy (PermissionsBoundaryUsageCount), which keeps
// the policy from being deleted.

// setBoundary replaces the boundary *current with arn ("" removes it),
// moving the usage count from the old policy to the new one.
func setBoundary(tx store.Tx, account string, current *string, arn string) error {
	if *current == arn {
		return nil
	}
	if arn != "" {
		if err := useBoundary(tx, account, arn, 1); err != nil {
			return err
		}
	}
	if *current != "" {
		// The old boundary may have been deleted under us by an older
		// Cairn that did not count boundary uses; that is no error.
		if err := useBoundary(tx, account, *current, -1); err != nil && cairn.AsError(err) == nil {
			return err
		}
	}
	*current = arn
	return nil
}

// putBoundary sets or replaces the permissions boundary of a user or role.
func (s *Service) putBoundary(ctx context.Context, c *cairn.Call, kind entityKind, name string, maxName int, arn string) error {
	if err := validateName(kind.nameMember(), name, maxName); err != nil {
		return err
	}
	if err := required("permissionsBoundary", arn); err != nil {
		return err
	}
	if _, err := validateBoundaryARN(arn); err != nil {
		return err
	}
	acct := c.Account()
	return s.updateEntity(ctx, c, kind, name, func(tx store.Tx, e *entity) error {
		if err := setBoundary(tx, acct, e.boundary, arn); err != nil {
			return err
		}
		return e.save()
	})
}

// deleteBoundary removes the permissions boundary of a user or role; one
// without is left as it is.
func (s *Service) deleteBoundary(ctx context.Context, c *cairn.Call, kind entityKind, name string, maxName int) error {
	if err := validateName(kind.nameMember(), name, maxName); err != nil {
		return err
	}
	acct := c.Account()
	return s.updateEntity(ctx, c, kind, name, func(tx store.Tx, e *entity) error {
		if *e.boundary == "" {
			return nil
		}
		if err := setBoundary(tx, acct, e.boundary, ""); err != nil {
			return err
		}
		return e.save()
	})
}

// PutUserPermissionsBoundaryInput names the user and the boundary policy.
type PutUserPermissionsBoundaryInput struct {
	UserName            string
	PermissionsBoundary string
}

// PutUserPermissionsBoundaryOutput is empty.
type PutUserPermissionsBoundaryOutput struct{}

// PutUserPermissionsBoundary sets or replaces a user's permissions
// boundary.
func (s *Service) PutUserPermissionsBoundary(ctx context.Context, c *cairn.Call, in *PutUserPermissionsBoundaryInput) (*PutUserPermissionsBoundaryOutput, error) {
	if err := s.putBoundary(ctx, c, kindUser, in.UserName, maxNewUserName, in.PermissionsBoundary); err != nil {
		return nil, err
	}
	return &PutUserPermissionsBoundaryOutput{}, nil
}

// DeleteUserPermissionsBoundaryInput names the user.
type DeleteUserPermissionsBoundaryInput struct {
	UserName string
}

// DeleteUserPermissionsBoundaryOutput is empty.
type DeleteUserPermissionsBoundaryOutput struct{}

// DeleteUserPermissionsBoundary removes a user's permissions boundary; a
// user without one is left as it is.
func (s *Service) DeleteUserPermissionsBoundary(ctx context.Context, c *cairn.Call, in *DeleteUserPermissionsBoundaryInput) (*DeleteUserPermissionsBoundaryOutput, error) {
	if err := s.deleteBoundary(ctx, c, kindUser, in.UserName, maxNewUserName); err != nil {
		return nil, err
	}
	return &DeleteUserPermissionsBoundaryOutput{}, nil
}

// PutRolePermissionsBoundaryInput names the role and the boundary policy.
type PutRolePermissionsBoundaryInput struct {
	RoleName            string
	PermissionsBoundary string
}

// PutRolePermissionsBoundaryOutput is empty.
type PutRolePermissionsBoundaryOutput struct{}

// PutRolePermissionsBoundary sets or replaces a role's permissions
// boundary.
func (s *Service) PutRolePermissionsBoundary(ctx context.Context, c *cairn.Call, in *PutRolePermissionsBoundaryInput) (*PutRolePermissionsBoundaryOutput, error) {
	if err := s.putBoundary(ctx, c, kindRole, in.RoleName, maxRoleName, in.PermissionsBoundary); err != nil {
		return nil, err
	}
	return &PutRolePermissionsBoundaryOutput{}, nil
}

// DeleteRolePermissionsBoundaryInput names the role.
type DeleteRolePermissionsBoundaryInput struct {
	RoleName string
}

// DeleteRolePermissionsBoundaryOutput is empty.
type DeleteRolePermissionsBoundaryOutput struct{}

// DeleteRolePermissionsBoundary removes a role's permissions boundary; a
// role without one is left as it is.
func (s *Service) DeleteRolePermissionsBoundary(ctx context.Context, c *cairn.Call, in *DeleteRolePermissionsBoundaryInput) (*DeleteRolePermissionsBoundaryOutput, error) {
	if err := s.deleteBoundary(ctx, c, kindRole, in.RoleName, maxRoleName); err != nil {
		return nil, err
	}
	return &DeleteRolePermissionsBoundaryOutput{}, nil
}

// storedBoundary is the boundary ARN of a user or role as stored; "" when
// it has none or does not exist.
func (s *Service) storedBoundary(kind entityKind, account, name string) string {
	if rec, ok, _ := s.peek(context.Background(), kind, account, name); ok {
		return rec.Boundary
	}
	return ""
}
