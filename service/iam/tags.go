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

// TagUserInput adds tags to a user.
type TagUserInput struct {
	UserName string
	Tags     []Tag
}

// TagUserOutput is empty.
type TagUserOutput struct{}

// TagUser adds or replaces tags of a user.
func (s *Service) TagUser(ctx context.Context, c *cairn.Call, in *TagUserInput) (*TagUserOutput, error) {
	if err := validateName("userName", in.UserName, maxUserName); err != nil {
		return nil, err
	}
	if len(in.Tags) == 0 {
		return nil, required("tags", "")
	}
	if err := validateTags(in.Tags); err != nil {
		return nil, err
	}
	var keys []string
	err := s.update(ctx, func(tx store.Tx) error {
		u, err := loadUser(tx, c.Account(), in.UserName)
		if err != nil {
			return err
		}
		keys = u.Keys
		if u.Tags, err = mergeTags(u.Tags, in.Tags, "TagsPerUser"); err != nil {
			return err
		}
		return saveUser(tx, c.Account(), u)
	})
	s.cache.invalidate(keys...)
	if err != nil {
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
	if err := validateName("userName", in.UserName, maxUserName); err != nil {
		return nil, err
	}
	if err := validateTagKeys(in.TagKeys); err != nil {
		return nil, err
	}
	var keys []string
	err := s.update(ctx, func(tx store.Tx) error {
		u, err := loadUser(tx, c.Account(), in.UserName)
		if err != nil {
			return err
		}
		keys = u.Keys
		u.Tags = removeTags(u.Tags, in.TagKeys)
		return saveUser(tx, c.Account(), u)
	})
	s.cache.invalidate(keys...)
	if err != nil {
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
	if err := validateName("userName", in.UserName, maxUserName); err != nil {
		return nil, err
	}
	var tags []Tag
	err := s.view(ctx, func(tx store.Tx) error {
		u, err := loadUser(tx, c.Account(), in.UserName)
		if err != nil {
			return err
		}
		tags = u.Tags
		return nil
	})
	if err != nil {
		return nil, err
	}
	items, pg, err := pageTags(tags, in.Marker, in.MaxItems)
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
	if err := validateName("roleName", in.RoleName, maxRoleName); err != nil {
		return nil, err
	}
	if len(in.Tags) == 0 {
		return nil, required("tags", "")
	}
	if err := validateTags(in.Tags); err != nil {
		return nil, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		r, err := loadRole(tx, c.Account(), in.RoleName)
		if err != nil {
			return err
		}
		if r.Tags, err = mergeTags(r.Tags, in.Tags, "TagsPerRole"); err != nil {
			return err
		}
		return saveRole(tx, c.Account(), r)
	})
	if err != nil {
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
	if err := validateName("roleName", in.RoleName, maxRoleName); err != nil {
		return nil, err
	}
	if err := validateTagKeys(in.TagKeys); err != nil {
		return nil, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		r, err := loadRole(tx, c.Account(), in.RoleName)
		if err != nil {
			return err
		}
		r.Tags = removeTags(r.Tags, in.TagKeys)
		return saveRole(tx, c.Account(), r)
	})
	if err != nil {
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
	if err := validateName("roleName", in.RoleName, maxRoleName); err != nil {
		return nil, err
	}
	var tags []Tag
	err := s.view(ctx, func(tx store.Tx) error {
		r, err := loadRole(tx, c.Account(), in.RoleName)
		if err != nil {
			return err
		}
		tags = r.Tags
		return nil
	})
	if err != nil {
		return nil, err
	}
	items, pg, err := pageTags(tags, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &ListRoleTagsOutput{Tags: items, IsTruncated: pg.Truncated, Marker: pg.Marker}, nil
}
