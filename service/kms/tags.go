package kms

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cairnhq/cairn"
)

const maxTags = 50

func validateTags(tags []Tag) error {
	seen := map[string]bool{}
	for i, t := range tags {
		n := strconv.Itoa(i + 1)
		switch {
		case t.TagKey == "":
			return validation("tags."+n+".member.tagKey", "", "Member must have length greater than or equal to 1")
		case utf8.RuneCountInString(t.TagKey) > 128:
			return validation("tags."+n+".member.tagKey", "", "Member must have length less than or equal to 128")
		case utf8.RuneCountInString(t.TagValue) > 256:
			return validation("tags."+n+".member.tagValue", "", "Member must have length less than or equal to 256")
		case strings.HasPrefix(strings.ToLower(t.TagKey), "aws:"):
			return tagError("Tag keys beginning with aws: are reserved for AWS use.")
		case seen[t.TagKey]:
			return tagError("Duplicate tag keys in the request: %s", t.TagKey)
		}
		seen[t.TagKey] = true
	}
	if len(tags) > maxTags {
		return tagError("Too many tags: a key can have at most %d tags.", maxTags)
	}
	return nil
}

// TagResource adds or replaces tags of a key.
func (s *Service) TagResource(ctx context.Context, c *cairn.Call, in *TagResourceInput) (*Empty, error) {
	if in.Tags == nil {
		return nil, validation("tags", "", "Member must not be null")
	}
	if err := validateTags(in.Tags); err != nil {
		return nil, err
	}
	_, err := s.mutateKey(ctx, c, in, optsHome, func(k *keyRec) error {
		if err := notPendingRec(k); err != nil {
			return err
		}
		for _, t := range in.Tags {
			i := slices.IndexFunc(k.Tags, func(x Tag) bool { return x.TagKey == t.TagKey })
			if i >= 0 {
				k.Tags[i].TagValue = t.TagValue
			} else {
				k.Tags = append(k.Tags, t)
			}
		}
		if len(k.Tags) > maxTags {
			return tagError("Too many tags: a key can have at most %d tags.", maxTags)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

// UntagResource removes tags of a key.
func (s *Service) UntagResource(ctx context.Context, c *cairn.Call, in *UntagResourceInput) (*Empty, error) {
	if in.TagKeys == nil {
		return nil, validation("tagKeys", "", "Member must not be null")
	}
	_, err := s.mutateKey(ctx, c, in, optsHome, func(k *keyRec) error {
		if err := notPendingRec(k); err != nil {
			return err
		}
		k.Tags = slices.DeleteFunc(k.Tags, func(t Tag) bool { return slices.Contains(in.TagKeys, t.TagKey) })
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

// ListResourceTags lists a key's tags, sorted by key.
func (s *Service) ListResourceTags(ctx context.Context, c *cairn.Call, in *ListResourceTagsInput) (*ListResourceTagsOutput, error) {
	limit, err := limitOf(in.Limit)
	if err != nil {
		return nil, err
	}
	if limit > maxTags {
		limit = maxTags
	}
	e, err := s.entryOf(ctx, c, in, optsHome)
	if err != nil {
		return nil, err
	}
	tags := slices.Clone(e.rec.Tags)
	slices.SortFunc(tags, func(a, b Tag) int { return strings.Compare(a.TagKey, b.TagKey) })
	start := 0
	if in.Marker != nil {
		i := slices.IndexFunc(tags, func(t Tag) bool { return t.TagKey == *in.Marker })
		if i < 0 {
			return nil, invalidMarker()
		}
		start = i
	}
	out := &ListResourceTagsOutput{Tags: []Tag{}}
	for i := start; i < len(tags); i++ {
		if len(out.Tags) == limit {
			out.Truncated = true
			m := tags[i].TagKey
			out.NextMarker = &m
			break
		}
		out.Tags = append(out.Tags, tags[i])
	}
	return out, nil
}
