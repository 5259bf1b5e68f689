package iam

import (
	"context"
	"sort"
	"strings"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// Tags on users and roles. Keys match case-insensitively: tagging an
// existing key replaces its value (and spelling).

// mergeTags applies add to tags and enforces the 50-tag quota.
func mergeTags(tags, add []Tag, quota string) ([]Tag, error) {
	out := append([]Tag(nil), tags...)
	for _, t := range add {
		i := findTag(out, t.Key)
		if i >= 0 {
			out[i] = t
		} else {
			out = append(out, t)
		}
	}
	if len(out) > maxTags {
		return nil, quotaExceeded(quota, maxTags)
	}
	return out, nil
}

func removeTags(tags []Tag, keys []string) []Tag {
	out := append([]Tag(nil), tags...)
	for _, k := range keys {
		if i := findTag(out, k); i >= 0 {
			out = append(out[:i], out[i+1:]...)
		}
	}
	return out
}

func findTag(tags []Tag, key string) int {
	for i, t := range tags {
		if strings.EqualFold(t.Key, key) {
			return i
		}
	}
	return -1
}

func pageTags(tags []Tag, marker *string, max *int32) ([]Tag, page, error) {
	limit, err := maxItems(max)
	if err != nil {
		return nil, page{}, err
	}
	sorted := append([]Tag(nil), tags...)
	sort.Slice(sorted, func(i, j int) bool { return lower(sorted[i].Key) < lower(sorted[j].Key) })
	items, pg, err := pageSlice(sorted, func(t Tag) string { return lower(t.Key) }, marker, limit)
	if err != nil {
		return nil, page{}, err
	}
	return append([]Tag{}, items...), pg, nil
}

// tagEntity adds or replaces tags of a user or role.
func (s *Service) tagEntity(ctx context.Context, c *cairn.Call, kind entityKind, name string, maxName int, tags []Tag) error {
	if err := validateName(kind.nameMember(), name, maxName); err != nil {
		return err
	}
	if len(tags) == 0 {
		return required("tags", "")
	}
	if err := validateTags(tags); err != nil {
		return err
	}
	return s.retag(ctx, c, kind, name, func(cur []Tag) ([]Tag, error) { return mergeTags(cur, tags, kind.spec().tagQuota) })
}

// untagEntity removes tags of a user or role; absent keys are ignored.
func (s *Service) untagEntity(ctx context.Context, c *cairn.Call, kind entityKind, name string, maxName int, keys []string) error {
	if err := validateName(kind.nameMember(), name, maxName); err != nil {
		return err
	}
	if err := validateTagKeys(keys); err != nil {
		return err
	}
	return s.retag(ctx, c, kind, name, func(cur []Tag) ([]Tag, error) { return removeTags(cur, keys), nil })
}

// retag replaces the tags of a user or role with change's. A user's
// cached credentials carry its tags (aws:PrincipalTag), so they are
// dropped.
func (s *Service) retag(ctx context.Context, c *cairn.Call, kind entityKind, name string, change func([]Tag) ([]Tag, error)) error {
	var keys []string
	err := s.updateEntity(ctx, c, kind, name, func(_ store.Tx, e *entity) error {
		keys = e.keys
		tags, err := change(*e.tags)
		if err != nil {
			return err
		}
		*e.tags = tags
		return e.save()
	})
	if kind == kindUser {
		s.cache.invalidate(keys...)
	}
	return err
}

// listTags pages the tags of a user or role in key order.
func (s *Service) listTags(ctx context.Context, c *cairn.Call, kind entityKind, name string, maxName int, marker *string, max *int32) ([]Tag, page, error) {
	if err := validateName(kind.nameMember(), name, maxName); err != nil {
		return nil, page{}, err
	}
	var tags []Tag
	err := s.viewEntity(ctx, c, kind, name, func(e *entity) error {
		tags = *e.tags
		return nil
	})
	if err != nil {
		return nil, page{}, err
	}
	return pageTags(tags, marker, max)
}

// TagUserInput adds tags to a user.
type TagUserInput struct {
	UserName string
	Tags     []Tag
}

// TagUserOutput is empty.
type TagUserOutput struct{}

// TagUser adds or replaces tags of a user.
func (s *Service) TagUser(ctx context.Context, c *cairn.Call, in *TagUserInput) (*TagUserOutput, error) {
	if err := s.tagEntity(ctx, c, kindUser, in.UserName, maxUserName, in.Tags); err != nil {
		return nil, err
	}
	return &TagUserOutput{}, nil
}

// UntagUserInput removes tags from a user.
type UntagUserInput struct {
	UserName string
	TagKeys  []string
}

// UntagUserOutput is empty.
type UntagUserOutput struct{}

// UntagUser removes tags of a user; absent keys are ignored.
func (s *Service) UntagUser(ctx context.Context, c *cairn.Call, in *UntagUserInput) (*UntagUserOutput, error) {
	if err := s.untagEntity(ctx, c, kindUser, in.UserName, maxUserName, in.TagKeys); err != nil {
		return nil, err
	}
	return &UntagUserOutput{}, nil
}

// ListUserTagsInput names the user.
type ListUserTagsInput struct {
	UserName string
	Marker   *string
	MaxItems *int32
}

// ListUserTagsOutput is one page of tags.
type ListUserTagsOutput struct {
	Tags        []Tag
	IsTruncated bool
	Marker      *string
}

// ListUserTags lists a user's tags in key order.
func (s *Service) ListUserTags(ctx context.Context, c *cairn.Call, in *ListUserTagsInput) (*ListUserTagsOutput, error) {
	items, pg, err := s.listTags(ctx, c, kindUser, in.UserName, maxUserName, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &ListUserTagsOutput{Tags: items, IsTruncated: pg.Truncated, Marker: pg.Marker}, nil
}

// TagRoleInput adds tags to a role.
type TagRoleInput struct {
	RoleName string
	Tags     []Tag
}

// TagRoleOutput is empty.
type TagRoleOutput struct{}

// TagRole adds or replaces tags of a role.
func (s *Service) TagRole(ctx context.Context, c *cairn.Call, in *TagRoleInput) (*TagRoleOutput, error) {
	if err := s.tagEntity(ctx, c, kindRole, in.RoleName, maxRoleName, in.Tags); err != nil {
		return nil, err
	}
	return &TagRoleOutput{}, nil
}

// UntagRoleInput removes tags from a role.
type UntagRoleInput struct {
	RoleName string
	TagKeys  []string
}

// UntagRoleOutput is empty.
type UntagRoleOutput struct{}

// UntagRole removes tags of a role; absent keys are ignored.
func (s *Service) UntagRole(ctx context.Context, c *cairn.Call, in *UntagRoleInput) (*UntagRoleOutput, error) {
	if err := s.untagEntity(ctx, c, kindRole, in.RoleName, maxRoleName, in.TagKeys); err != nil {
		return nil, err
	}
	return &UntagRoleOutput{}, nil
}

// ListRoleTagsInput names the role.
type ListRoleTagsInput struct {
	RoleName string
	Marker   *string
	MaxItems *int32
}

// ListRoleTagsOutput is one page of tags.
type ListRoleTagsOutput struct {
	Tags        []Tag
	IsTruncated bool
	Marker      *string
}

// ListRoleTags lists a role's tags in key order.
func (s *Service) ListRoleTags(ctx context.Context, c *cairn.Call, in *ListRoleTagsInput) (*ListRoleTagsOutput, error) {
	items, pg, err := s.listTags(ctx, c, kindRole, in.RoleName, maxRoleName, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &ListRoleTagsOutput{Tags: items, IsTruncated: pg.Truncated, Marker: pg.Marker}, nil
}
