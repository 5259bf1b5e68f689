package iam

import (
	"context"
	"fmt"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// CreateUserInput creates a user.
type CreateUserInput struct {
	Path                *string
	UserName            string
	PermissionsBoundary *string
	Tags                []Tag
}

// CreateUserOutput returns the new user.
type CreateUserOutput struct {
	User *User
}

// CreateUser creates an IAM user.
func (s *Service) CreateUser(ctx context.Context, c *cairn.Call, in *CreateUserInput) (*CreateUserOutput, error) {
	if err := validateName("userName", in.UserName, maxNewUserName); err != nil {
		return nil, err
	}
	path, err := validatePath("path", in.Path)
	if err != nil {
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
	acct := c.Account()
	u := &userRec{
		Name: in.UserName, ID: cairn.NewAWSID(s.cfg.IDs, cairn.PrefixUser, cairn.IDLength),
		Path: path, Created: s.now(c), Tags: cloneTags(in.Tags),
	}
	err = s.update(ctx, func(tx store.Tx) error {
		return insertEntity(tx, acct, kindUser, u.Name, u, in.PermissionsBoundary, &u.Boundary)
	})
	if err != nil {
		return nil, err
	}
	out := u.shape(acct)
	return &CreateUserOutput{User: &out}, nil
}

// GetUserInput names the user; without UserName it is the caller.
type GetUserInput struct {
	UserName *string
}

// GetUserOutput returns the user.
type GetUserOutput struct {
	User *User
}

// GetUser returns a user, or the caller when UserName is absent: the root
// user gets its own identity (account ID as UserId, the root ARN), as AWS
// answers it.
func (s *Service) GetUser(ctx context.Context, c *cairn.Call, in *GetUserInput) (*GetUserOutput, error) {
	acct := c.Account()
	name := str(in.UserName)
	if name == "" {
		p := c.Principal
		switch {
		case p.Type == cairn.PrincipalRoot:
			var a accountRec
			err := s.view(ctx, func(tx store.Tx) error { return store.GetJSON(tx, tblAccounts, acct, &a) })
			if err != nil && !isNotFound(err) {
				return nil, fmt.Errorf("get account: %w", err)
			}
			return &GetUserOutput{User: &User{UserId: acct, Arn: cairn.RootARN(acct), CreateDate: a.Created}}, nil
		case p.Type == cairn.PrincipalIAMUser && p.UserName != "":
			name = p.UserName
		default:
			return nil, validationMsg("Must specify userName when calling with non-User credentials")
		}
	} else if err := validateName("userName", name, maxUserName); err != nil {
		return nil, err
	}
	var u *userRec
	err := s.view(ctx, func(tx store.Tx) error {
		var err error
		u, err = loadUser(tx, acct, name)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := u.shape(acct)
	return &GetUserOutput{User: &out}, nil
}

// ListUsersInput filters and pages the account's users.
type ListUsersInput struct {
	PathPrefix *string
	Marker     *string
	MaxItems   *int32
}

// ListUsersOutput is one page of users.
type ListUsersOutput struct {
	Users       []User
	IsTruncated bool
	Marker      *string
}

// ListUsers lists the account's users whose path starts with PathPrefix,
// in name order. Like IAM, it leaves out tags and permissions boundaries.
func (s *Service) ListUsers(ctx context.Context, c *cairn.Call, in *ListUsersInput) (*ListUsersOutput, error) {
	users, pg, err := listEntities(ctx, s, c, kindUser, in.PathPrefix, in.Marker, in.MaxItems,
		func(u *userRec) string { return u.Path },
		func(u *userRec) User {
			out := u.shape(c.Account())
			out.Tags, out.PermissionsBoundary = nil, nil
			return out
		})
	if err != nil {
		return nil, err
	}
	return &ListUsersOutput{Users: users, IsTruncated: pg.Truncated, Marker: pg.Marker}, nil
}

// UpdateUserInput renames or moves a user.
type UpdateUserInput struct {
	UserName    string
	NewPath     *string
	NewUserName *string
}

// UpdateUserOutput is empty.
type UpdateUserOutput struct{}

// UpdateUser changes a user's name and/or path. Group memberships, access
// keys, policies and tags follow the user.
func (s *Service) UpdateUser(ctx context.Context, c *cairn.Call, in *UpdateUserInput) (*UpdateUserOutput, error) {
	if err := validateName("userName", in.UserName, maxUserName); err != nil {
		return nil, err
	}
	if in.NewUserName != nil {
		if err := validateName("newUserName", *in.NewUserName, maxNewUserName); err != nil {
			return nil, err
		}
	}
	var newPath string
	if in.NewPath != nil {
		var err error
		if newPath, err = validatePath("newPath", in.NewPath); err != nil {
			return nil, err
		}
	}
	acct := c.Account()
	var keys []string
	err := s.update(ctx, func(tx store.Tx) error {
		u, err := loadUser(tx, acct, in.UserName)
		if err != nil {
			return err
		}
		keys = u.Keys
		oldKey := entityKey(acct, u.Name)
		if in.NewPath != nil {
			u.Path = newPath
		}
		if in.NewUserName == nil || *in.NewUserName == u.Name {
			return saveUser(tx, acct, u)
		}
		newName := *in.NewUserName
		newKey := entityKey(acct, newName)
		if newKey != oldKey {
			if _, err := tx.Get(tblUsers, newKey); err == nil {
				return alreadyExists("User with name %s already exists.", newName)
			} else if !isNotFound(err) {
				return fmt.Errorf("get user: %w", err)
			}
			if err := tx.Delete(tblUsers, oldKey); err != nil {
				return fmt.Errorf("delete user: %w", err)
			}
			oldLower, newLower := lower(u.Name), lower(newName)
			for _, gname := range u.Groups {
				g, err := loadGroup(tx, acct, gname)
				if err != nil {
					return fmt.Errorf("rename user in group %s: %w", gname, err)
				}
				g.Members, _ = removeString(g.Members, oldLower)
				g.Members = addSorted(g.Members, newLower)
				if err := saveGroup(tx, acct, g); err != nil {
					return err
				}
			}
			for _, id := range u.Keys {
				var k keyRec
				if err := store.GetJSON(tx, tblKeys, id, &k); err != nil {
					return fmt.Errorf("get access key: %w", err)
				}
				k.User = newLower
				if err := store.PutJSON(tx, tblKeys, id, &k); err != nil {
					return err
				}
			}
		}
		u.Name = newName
		return saveUser(tx, acct, u)
	})
	s.cache.invalidate(keys...)
	if err != nil {
		return nil, err
	}
	return &UpdateUserOutput{}, nil
}

// DeleteUserInput names the user.
type DeleteUserInput struct {
	UserName string
}

// DeleteUserOutput is empty.
type DeleteUserOutput struct{}

// DeleteUser deletes a user that has no inline or attached policies, group
// memberships or access keys left, as IAM requires.
func (s *Service) DeleteUser(ctx context.Context, c *cairn.Call, in *DeleteUserInput) (*DeleteUserOutput, error) {
	if err := s.deleteEntity(ctx, c, kindUser, in.UserName, maxUserName); err != nil {
		return nil, err
	}
	return &DeleteUserOutput{}, nil
}

func decodeRec(v []byte, rec any) error {
	if err := jsonUnmarshal(v, rec); err != nil {
		return fmt.Errorf("decode record: %w", err)
	}
	return nil
}
