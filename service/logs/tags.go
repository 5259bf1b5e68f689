package logs

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

const maxTags = 50

// validateTags checks tag keys (1 to 128 characters, not aws:) and values
// (at most 256 characters).
func validateTags(tags map[string]string, member string) error {
	for k, v := range tags {
		switch {
		case k == "" || utf8.RuneCountInString(k) > 128:
			return validation(member, k, "Member must have length between 1 and 128")
		case utf8.RuneCountInString(v) > 256:
			return validation(member+"."+k, v, "Member must have length less than or equal to 256")
		case strings.HasPrefix(strings.ToLower(k), "aws:"):
			return invalidParameter("Tag keys beginning with aws: are reserved for AWS use.")
		}
	}
	return nil
}

// taggedGroup resolves a resourceArn of TagResource and friends: a log group
// ARN without the trailing :*, as AWS requires for these three actions.
func taggedGroup(c *cairn.Call, arn string) (groupRef, error) {
	if strings.HasSuffix(arn, ":*") {
		return groupRef{}, invalidParameter("The resourceArn of a log group must not end with :*")
	}
	if strings.Contains(arn, ":destination:") {
		return groupRef{}, logsErr("ResourceNotFoundException", "The specified resource does not exist.")
	}
	return groupOfARN(c, arn)
}

// mutateTags changes a group's tags in one transaction.
func (s *Service) mutateTags(ctx context.Context, ref groupRef, fn func(g *groupRec) error) error {
	return s.update(ctx, func(tx store.Tx) error {
		g, err := getGroup(tx, ref)
		if err != nil {
			return err
		}
		if err := fn(g); err != nil {
			return err
		}
		return store.PutJSON(tx, tblGroups, g.key(), g)
	})
}

func addTags(g *groupRec, tags map[string]string) error {
	if g.Tags == nil {
		g.Tags = map[string]string{}
	}
	for k, v := range tags {
		g.Tags[k] = v
	}
	if len(g.Tags) > maxTags {
		return tooManyTags(g.arn())
	}
	return nil
}

// tagGroup validates tags and adds or replaces them on a group, for
// TagResource and its deprecated form TagLogGroup.
func (s *Service) tagGroup(ctx context.Context, ref groupRef, tags map[string]string, op string) (*Empty, error) {
	if len(tags) == 0 {
		return nil, validation("tags", "{}", "Member must have length greater than or equal to 1")
	}
	if err := validateTags(tags, "tags"); err != nil {
		return nil, err
	}
	if err := s.mutateTags(ctx, ref, func(g *groupRec) error { return addTags(g, tags) }); err != nil {
		return nil, wrap(op, err)
	}
	return &Empty{}, nil
}

// untagGroup removes keys from a group's tags (absent keys are ignored),
// for UntagResource and UntagLogGroup.
func (s *Service) untagGroup(ctx context.Context, ref groupRef, keys []string, op string) (*Empty, error) {
	err := s.mutateTags(ctx, ref, func(g *groupRec) error {
		for _, k := range keys {
			delete(g.Tags, k)
		}
		return nil
	})
	if err != nil {
		return nil, wrap(op, err)
	}
	return &Empty{}, nil
}

// TagResource adds or replaces tags of a log group.
func (s *Service) TagResource(ctx context.Context, c *cairn.Call, in *TagResourceInput) (*Empty, error) {
	ref, err := taggedGroup(c, in.ResourceArn)
	if err != nil {
		return nil, err
	}
	return s.tagGroup(ctx, ref, in.Tags, "tag resource")
}

// UntagResource removes tags of a log group; absent keys are ignored.
func (s *Service) UntagResource(ctx context.Context, c *cairn.Call, in *UntagResourceInput) (*Empty, error) {
	ref, err := taggedGroup(c, in.ResourceArn)
	if err != nil {
		return nil, err
	}
	if in.TagKeys == nil {
		return nil, validationNull("tagKeys")
	}
	return s.untagGroup(ctx, ref, in.TagKeys, "untag resource")
}

// ListTagsForResource lists a log group's tags.
func (s *Service) ListTagsForResource(ctx context.Context, c *cairn.Call, in *ListTagsForResourceInput) (*ListTagsForResourceOutput, error) {
	ref, err := taggedGroup(c, in.ResourceArn)
	if err != nil {
		return nil, err
	}
	g, err := s.group(ctx, ref)
	if err != nil {
		return nil, wrap("list tags for resource", err)
	}
	return &ListTagsForResourceOutput{Tags: tagsOf(g)}, nil
}

func tagsOf(g *groupRec) map[string]string {
	out := make(map[string]string, len(g.Tags))
	for k, v := range g.Tags {
		out[k] = v
	}
	return out
}

// TagLogGroup is the deprecated form of TagResource, by group name.
func (s *Service) TagLogGroup(ctx context.Context, c *cairn.Call, in *TagLogGroupInput) (*Empty, error) {
	ref, err := ownGroup(c, in.LogGroupName)
	if err != nil {
		return nil, err
	}
	return s.tagGroup(ctx, ref, in.Tags, "tag log group")
}

// UntagLogGroup is the deprecated form of UntagResource, by group name.
func (s *Service) UntagLogGroup(ctx context.Context, c *cairn.Call, in *UntagLogGroupInput) (*Empty, error) {
	ref, err := ownGroup(c, in.LogGroupName)
	if err != nil {
		return nil, err
	}
	if len(in.Tags) == 0 {
		return nil, validation("tags", "[]", "Member must have length greater than or equal to 1")
	}
	return s.untagGroup(ctx, ref, in.Tags, "untag log group")
}

// ListTagsLogGroup is the deprecated form of ListTagsForResource.
func (s *Service) ListTagsLogGroup(ctx context.Context, c *cairn.Call, in *ListTagsLogGroupInput) (*ListTagsLogGroupOutput, error) {
	ref, err := ownGroup(c, in.LogGroupName)
	if err != nil {
		return nil, err
	}
	g, err := s.group(ctx, ref)
	if err != nil {
		return nil, wrap("list tags log group", err)
	}
	return &ListTagsLogGroupOutput{Tags: tagsOf(g)}, nil
}
