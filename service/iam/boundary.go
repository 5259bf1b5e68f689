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
	if err := validateName("userName", in.UserName, maxNewUserName); err != nil {
		return nil, err
	}
	if err := required("permissionsBoundary", in.PermissionsBoundary); err != nil {
		return nil, err
	}
	if _, err := validateBoundaryARN(in.PermissionsBoundary); err != nil {
		return nil, err
	}
	acct := c.Account()
	err := s.update(ctx, func(tx store.Tx) error {
		u, err := loadUser(tx, acct, in.UserName)
		if err != nil {
			return err
		}
		if err := setBoundary(tx, acct, &u.Boundary, in.PermissionsBoundary); err != nil {
			return err
		}
		return saveUser(tx, acct, u)
	})
	if err != nil {
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
	if err := validateName("userName", in.UserName, maxNewUserName); err != nil {
		return nil, err
	}
	acct := c.Account()
	err := s.update(ctx, func(tx store.Tx) error {
		u, err := loadUser(tx, acct, in.UserName)
		if err != nil {
			return err
		}
		if u.Boundary == "" {
			return nil
		}
		if err := setBoundary(tx, acct, &u.Boundary, ""); err != nil {
			return err
		}
		return saveUser(tx, acct, u)
	})
	if err != nil {
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
	if err := validateName("roleName", in.RoleName, maxRoleName); err != nil {
		return nil, err
	}
	if err := required("permissionsBoundary", in.PermissionsBoundary); err != nil {
		return nil, err
	}
	if _, err := validateBoundaryARN(in.PermissionsBoundary); err != nil {
		return nil, err
	}
	acct := c.Account()
	err := s.update(ctx, func(tx store.Tx) error {
		r, err := loadRole(tx, acct, in.RoleName)
		if err != nil {
			return err
		}
		if err := setBoundary(tx, acct, &r.Boundary, in.PermissionsBoundary); err != nil {
			return err
		}
		return saveRole(tx, acct, r)
	})
	if err != nil {
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
	if err := validateName("roleName", in.RoleName, maxRoleName); err != nil {
		return nil, err
	}
	acct := c.Account()
	err := s.update(ctx, func(tx store.Tx) error {
		r, err := loadRole(tx, acct, in.RoleName)
		if err != nil {
			return err
		}
		if r.Boundary == "" {
			return nil
		}
		if err := setBoundary(tx, acct, &r.Boundary, ""); err != nil {
			return err
		}
		return saveRole(tx, acct, r)
	})
	if err != nil {
		return nil, err
	}
	return &DeleteRolePermissionsBoundaryOutput{}, nil
}

// storedBoundary is the boundary ARN of a user or role as stored; "" when
// it has none or does not exist.
func (s *Service) storedBoundary(table, account, name string) string {
	if name == "" {
		return ""
	}
	var rec struct {
		Boundary string `json:"boundary"`
	}
	err := s.view(context.Background(), func(tx store.Tx) error {
		return getJSON(tx, table, entityKey(account, name), &rec)
	})
	if err != nil {
		return ""
	}
	return rec.Boundary
}
