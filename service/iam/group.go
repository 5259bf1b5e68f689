package iam

import (
	"context"
	"fmt"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// maxGroupsPerUser is IAM's GroupsPerUser quota.
const maxGroupsPerUser = 10

// CreateGroupInput creates a group.
type CreateGroupInput struct {
	Path      *string
	GroupName string
}

// CreateGroupOutput returns the new group.
type CreateGroupOutput struct {
	Group *Group
}

// CreateGroup creates an IAM group.
func (s *Service) CreateGroup(ctx context.Context, c *cairn.Call, in *CreateGroupInput) (*CreateGroupOutput, error) {
	if err := validateName("groupName", in.GroupName, maxGroupName); err != nil {
		return nil, err
	}
	path, err := validatePath("path", in.Path)
	if err != nil {
		return nil, err
	}
	acct := c.Account()
	g := &groupRec{Name: in.GroupName, ID: cairn.NewAWSID(s.cfg.IDs, cairn.PrefixGroup, cairn.IDLength), Path: path, Created: s.now(c)}
	err = s.update(ctx, func(tx store.Tx) error {
		return insertEntity(tx, acct, kindGroup, g.Name, g, nil, nil)
	})
	if err != nil {
		return nil, err
	}
	out := g.shape(acct)
	return &CreateGroupOutput{Group: &out}, nil
}

// GetGroupInput names the group and pages its members.
type GetGroupInput struct {
	GroupName string
	Marker    *string
	MaxItems  *int32
}

// GetGroupOutput returns the group and a page of its users.
type GetGroupOutput struct {
	Group       *Group
	Users       []User
	IsTruncated bool
	Marker      *string
}

// GetGroup returns a group and its users in name order.
func (s *Service) GetGroup(ctx context.Context, c *cairn.Call, in *GetGroupInput) (*GetGroupOutput, error) {
	if err := validateName("groupName", in.GroupName, maxGroupName); err != nil {
		return nil, err
	}
	limit, err := maxItems(in.MaxItems)
	if err != nil {
		return nil, err
	}
	acct := c.Account()
	out := &GetGroupOutput{Users: []User{}}
	err = s.view(ctx, func(tx store.Tx) error {
		g, err := loadGroup(tx, acct, in.GroupName)
		if err != nil {
			return err
		}
		sh := g.shape(acct)
		out.Group = &sh
		members, pg, err := pageSlice(g.Members, func(m string) string { return m }, in.Marker, limit)
		if err != nil {
			return err
		}
		for _, m := range members {
			u, err := loadUser(tx, acct, m)
			if err != nil {
				return fmt.Errorf("member %s of group %s: %w", m, g.Name, err)
			}
			us := u.shape(acct)
			us.Tags, us.PermissionsBoundary = nil, nil
			out.Users = append(out.Users, us)
		}
		out.IsTruncated, out.Marker = pg.Truncated, pg.Marker
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ListGroupsInput filters and pages the account's groups.
type ListGroupsInput struct {
	PathPrefix *string
	Marker     *string
	MaxItems   *int32
}

// ListGroupsOutput is one page of groups.
type ListGroupsOutput struct {
	Groups      []Group
	IsTruncated bool
	Marker      *string
}

// ListGroups lists the account's groups whose path starts with PathPrefix.
func (s *Service) ListGroups(ctx context.Context, c *cairn.Call, in *ListGroupsInput) (*ListGroupsOutput, error) {
	groups, pg, err := listEntities(ctx, s, c, kindGroup, in.PathPrefix, in.Marker, in.MaxItems,
		func(g *groupRec) string { return g.Path },
		func(g *groupRec) Group { return g.shape(c.Account()) })
	if err != nil {
		return nil, err
	}
	return &ListGroupsOutput{Groups: groups, IsTruncated: pg.Truncated, Marker: pg.Marker}, nil
}

// DeleteGroupInput names the group.
type DeleteGroupInput struct {
	GroupName string
}

// DeleteGroupOutput is empty.
type DeleteGroupOutput struct{}

// DeleteGroup deletes a group without members or policies.
func (s *Service) DeleteGroup(ctx context.Context, c *cairn.Call, in *DeleteGroupInput) (*DeleteGroupOutput, error) {
	if err := s.deleteEntity(ctx, c, kindGroup, in.GroupName, maxGroupName); err != nil {
		return nil, err
	}
	return &DeleteGroupOutput{}, nil
}

// changeMembership loads a group and a user for change, and saves both
// when it reports a change: a membership is kept on both sides, the
// user's groups and the group's members.
func (s *Service) changeMembership(ctx context.Context, c *cairn.Call, groupName, userName string, change func(*groupRec, *userRec) (bool, error)) error {
	if err := validateName("groupName", groupName, maxGroupName); err != nil {
		return err
	}
	if err := validateName("userName", userName, maxUserName); err != nil {
		return err
	}
	acct := c.Account()
	return s.update(ctx, func(tx store.Tx) error {
		g, err := loadGroup(tx, acct, groupName)
		if err != nil {
			return err
		}
		u, err := loadUser(tx, acct, userName)
		if err != nil {
			return err
		}
		if changed, err := change(g, u); err != nil || !changed {
			return err
		}
		if err := saveUser(tx, acct, u); err != nil {
			return err
		}
		return saveGroup(tx, acct, g)
	})
}

// AddUserToGroupInput names the group and the user.
type AddUserToGroupInput struct {
	GroupName string
	UserName  string
}

// AddUserToGroupOutput is empty.
type AddUserToGroupOutput struct{}

// AddUserToGroup makes a user a member of a group; adding a member again
// succeeds without change.
func (s *Service) AddUserToGroup(ctx context.Context, c *cairn.Call, in *AddUserToGroupInput) (*AddUserToGroupOutput, error) {
	err := s.changeMembership(ctx, c, in.GroupName, in.UserName, func(g *groupRec, u *userRec) (bool, error) {
		gk := lower(g.Name)
		if containsString(u.Groups, gk) {
			return false, nil
		}
		if len(u.Groups) >= maxGroupsPerUser {
			return false, quotaExceeded("GroupsPerUser", maxGroupsPerUser)
		}
		u.Groups = addSorted(u.Groups, gk)
		g.Members = addSorted(g.Members, lower(u.Name))
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &AddUserToGroupOutput{}, nil
}

// RemoveUserFromGroupInput names the group and the user.
type RemoveUserFromGroupInput struct {
	GroupName string
	UserName  string
}

// RemoveUserFromGroupOutput is empty.
type RemoveUserFromGroupOutput struct{}

// RemoveUserFromGroup ends a membership; a user who is not a member is
// NoSuchEntity.
func (s *Service) RemoveUserFromGroup(ctx context.Context, c *cairn.Call, in *RemoveUserFromGroupInput) (*RemoveUserFromGroupOutput, error) {
	err := s.changeMembership(ctx, c, in.GroupName, in.UserName, func(g *groupRec, u *userRec) (bool, error) {
		var was bool
		u.Groups, was = removeString(u.Groups, lower(g.Name))
		if !was {
			return false, noSuchUser(in.UserName)
		}
		g.Members, _ = removeString(g.Members, lower(u.Name))
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &RemoveUserFromGroupOutput{}, nil
}

// ListGroupsForUserInput names the user.
type ListGroupsForUserInput struct {
	UserName string
	Marker   *string
	MaxItems *int32
}

// ListGroupsForUserOutput is one page of the user's groups.
type ListGroupsForUserOutput struct {
	Groups      []Group
	IsTruncated bool
	Marker      *string
}

// ListGroupsForUser lists the groups a user belongs to, in name order.
func (s *Service) ListGroupsForUser(ctx context.Context, c *cairn.Call, in *ListGroupsForUserInput) (*ListGroupsForUserOutput, error) {
	if err := validateName("userName", in.UserName, maxUserName); err != nil {
		return nil, err
	}
	limit, err := maxItems(in.MaxItems)
	if err != nil {
		return nil, err
	}
	acct := c.Account()
	out := &ListGroupsForUserOutput{Groups: []Group{}}
	err = s.view(ctx, func(tx store.Tx) error {
		u, err := loadUser(tx, acct, in.UserName)
		if err != nil {
			return err
		}
		names, pg, err := pageSlice(u.Groups, func(g string) string { return g }, in.Marker, limit)
		if err != nil {
			return err
		}
		for _, n := range names {
			g, err := loadGroup(tx, acct, n)
			if err != nil {
				return fmt.Errorf("group %s of user %s: %w", n, u.Name, err)
			}
			out.Groups = append(out.Groups, g.shape(acct))
		}
		out.IsTruncated, out.Marker = pg.Truncated, pg.Marker
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
