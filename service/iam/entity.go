package iam

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// Users, groups and roles are alike where they hold policies, tags and a
// permissions boundary, and where they are created, listed and deleted:
// the operations below serve all three kinds, and kindSpec is all that
// differs between them.

// kindSpec is what one kind of entity differs in.
type kindSpec struct {
	table   string // store table
	title   string // the kind as messages begin with it: "User"
	resType string // CloudTrail resource type
	arn     func(account, path, name string) string
	// attachQuota is the quota named when too many managed policies are
	// attached; inlineLimit the bytes its inline policies may take.
	attachQuota string
	inlineLimit int
	// tagQuota is the quota named when too many tags are added; groups take
	// no tags.
	tagQuota string
}

var kindSpecs = map[entityKind]*kindSpec{
	kindUser: {table: tblUsers, title: "User", resType: typeUser, arn: userARN,
		attachQuota: "PoliciesPerUser", inlineLimit: maxUserInlineSize, tagQuota: "TagsPerUser"},
	kindGroup: {table: tblGroups, title: "Group", resType: typeGroup, arn: groupARN,
		attachQuota: "PoliciesPerGroup", inlineLimit: maxGroupInlineSize},
	kindRole: {table: tblRoles, title: "Role", resType: typeRole, arn: roleARN,
		attachQuota: "PoliciesPerRole", inlineLimit: maxRoleInlineSize, tagQuota: "TagsPerRole"},
}

func (k entityKind) spec() *kindSpec { return kindSpecs[k] }

// nameMember is the entity name's member in validation messages.
func (k entityKind) nameMember() string { return string(k) + "Name" }

// maxAttachedPolicies is the default quota of managed policies attached to
// one user, group or role.
const maxAttachedPolicies = 10

// entity is a loaded user, group or role seen through what the kinds share.
// Pointers reach into the record, which save stores; a member a kind lacks
// is nil (a group's tags and boundary).
type entity struct {
	kind     entityKind
	name     string // as stored
	attached *[]string
	inline   *[]inlinePolicy
	tags     *[]Tag
	boundary *string
	// What keeps the entity from being deleted, as loaded: a group's
	// members, a user's groups and access keys.
	members, groups, keys []string
	save                  func() error
}

func loadEntity(tx store.Tx, account string, kind entityKind, name string) (*entity, error) {
	switch kind {
	case kindUser:
		u, err := loadUser(tx, account, name)
		if err != nil {
			return nil, err
		}
		return &entity{kind: kind, name: u.Name, attached: &u.Attached, inline: &u.Inline, tags: &u.Tags, boundary: &u.Boundary,
			groups: u.Groups, keys: u.Keys, save: func() error { return saveUser(tx, account, u) }}, nil
	case kindGroup:
		g, err := loadGroup(tx, account, name)
		if err != nil {
			return nil, err
		}
		return &entity{kind: kind, name: g.Name, attached: &g.Attached, inline: &g.Inline,
			members: g.Members, save: func() error { return saveGroup(tx, account, g) }}, nil
	default:
		r, err := loadRole(tx, account, name)
		if err != nil {
			return nil, err
		}
		return &entity{kind: kind, name: r.Name, attached: &r.Attached, inline: &r.Inline, tags: &r.Tags, boundary: &r.Boundary,
			save: func() error { return saveRole(tx, account, r) }}, nil
	}
}

// loadRec loads the stored record of a user, group or role; a missing one
// is NoSuchEntity.
func loadRec[R any](tx store.Tx, kind entityKind, account, name string) (*R, error) {
	var r R
	if err := store.GetJSON(tx, kind.spec().table, entityKey(account, name), &r); err != nil {
		if isNotFound(err) {
			return nil, noSuchNamed(kind, name)
		}
		return nil, fmt.Errorf("get %s: %w", kind, err)
	}
	return &r, nil
}

// insertEntity stores rec, a new user, group or role named name. Names are
// unique case-insensitively: a taken one is EntityAlreadyExists, found
// before boundary, when set, is counted as used and recorded in *dst.
func insertEntity(tx store.Tx, account string, kind entityKind, name string, rec any, boundary, dst *string) error {
	table, key := kind.spec().table, entityKey(account, name)
	exists := func() error { return alreadyExists("%s with name %s already exists.", kind.spec().title, name) }
	if _, err := tx.Get(table, key); err == nil {
		return exists()
	} else if !isNotFound(err) {
		return fmt.Errorf("get %s: %w", kind, err)
	}
	if boundary != nil {
		if err := useBoundary(tx, account, *boundary, 1); err != nil {
			return err
		}
		*dst = *boundary
	}
	if err := store.InsertJSON(tx, table, key, rec); err != nil {
		if errors.Is(err, cairn.ErrExists) {
			return exists()
		}
		return fmt.Errorf("insert %s: %w", kind, err)
	}
	return nil
}

// listEntities pages the account's users, groups or roles (records R,
// listed as O) whose path starts with pathPrefix, in name order.
func listEntities[R, O any](ctx context.Context, s *Service, c *cairn.Call, kind entityKind, pathPrefix, marker *string, max *int32,
	path func(*R) string, shape func(*R) O) ([]O, page, error) {
	prefix, err := validatePathPrefix(pathPrefix)
	if err != nil {
		return nil, page{}, err
	}
	limit, err := maxItems(max)
	if err != nil {
		return nil, page{}, err
	}
	var (
		items []O
		pg    page
	)
	err = s.view(ctx, func(tx store.Tx) error {
		items, pg, err = scanPage(tx, kind.spec().table, c.Account()+"/", marker, limit, func(_ string, v []byte) (O, bool, error) {
			var (
				r    R
				zero O
			)
			if err := decodeRec(v, &r); err != nil {
				return zero, false, err
			}
			if !strings.HasPrefix(path(&r), prefix) {
				return zero, false, nil
			}
			return shape(&r), true, nil
		})
		return err
	})
	if err != nil {
		return nil, page{}, err
	}
	if items == nil {
		items = []O{}
	}
	return items, pg, nil
}

// deleteEntity deletes a user, group or role once nothing hangs on it, in
// the order IAM checks: a group's members, inline then attached policies,
// a user's groups and access keys. Its boundary use is released.
func (s *Service) deleteEntity(ctx context.Context, c *cairn.Call, kind entityKind, name string, maxName int) error {
	if err := validateName(kind.nameMember(), name, maxName); err != nil {
		return err
	}
	acct := c.Account()
	return s.updateEntity(ctx, c, kind, name, func(tx store.Tx, e *entity) error {
		switch {
		case len(e.members) > 0:
			return deleteConflict(msgMustRemoveFromGroup)
		case len(*e.inline) > 0:
			return deleteConflict(msgMustDeletePolicies)
		case len(*e.attached) > 0:
			return deleteConflict(msgMustDetachPolicies)
		case len(e.groups) > 0:
			return deleteConflict(msgMustRemoveFromGroup)
		case len(e.keys) > 0:
			return deleteConflict(msgMustDeleteKeys)
		}
		if e.boundary != nil {
			if err := setBoundary(tx, acct, e.boundary, ""); err != nil {
				return err
			}
		}
		if err := tx.Delete(kind.spec().table, entityKey(acct, e.name)); err != nil {
			return fmt.Errorf("delete %s: %w", kind, err)
		}
		return nil
	})
}

// storedEntity is what authorization and events read of a user, group or
// role outside the call's transaction.
type storedEntity struct {
	Name     string `json:"name"`
	Path     string `json:"path"`
	Boundary string `json:"boundary"`
	Tags     []Tag  `json:"tags"`
}

// peek reads the named user, group or role in one store read; ok is false
// when there is none (or no name).
func (s *Service) peek(ctx context.Context, kind entityKind, account, name string) (rec storedEntity, ok bool, err error) {
	if name == "" {
		return rec, false, nil
	}
	err = s.view(ctx, func(tx store.Tx) error {
		return store.GetJSON(tx, kind.spec().table, entityKey(account, name), &rec)
	})
	switch {
	case isNotFound(err):
		return rec, false, nil
	case err != nil:
		return rec, false, fmt.Errorf("get %s: %w", kind, err)
	}
	return rec, true, nil
}

// updateEntity runs change on the named user, group or role in a
// read-write transaction; a missing one is NoSuchEntity.
func (s *Service) updateEntity(ctx context.Context, c *cairn.Call, kind entityKind, name string, change func(store.Tx, *entity) error) error {
	return s.update(ctx, func(tx store.Tx) error {
		e, err := loadEntity(tx, c.Account(), kind, name)
		if err != nil {
			return err
		}
		return change(tx, e)
	})
}

// viewEntity runs read on the named user, group or role in a read-only
// transaction; a missing one is NoSuchEntity.
func (s *Service) viewEntity(ctx context.Context, c *cairn.Call, kind entityKind, name string, read func(*entity) error) error {
	return s.view(ctx, func(tx store.Tx) error {
		e, err := loadEntity(tx, c.Account(), kind, name)
		if err != nil {
			return err
		}
		return read(e)
	})
}
