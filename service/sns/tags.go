package sns

import (
	"context"
	"slices"
	"strings"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// Topic tags.

// maxTags is SNS's limit on tags per topic.
const maxTags = 50

// validateTags checks tags as the model constrains them: keys of 1 to 128
// characters not starting with aws:, values of at most 256, each key once.
func validateTags(tags []Tag) error {
	seen := make(map[string]bool, len(tags))
	for _, t := range tags {
		switch {
		case t.Key == "" || len(t.Key) > 128:
			return invalid("Tags Reason: tag keys must be between 1 and 128 characters long")
		case len(t.Value) > 256:
			return invalid("Tags Reason: tag values must be at most 256 characters long")
		case strings.HasPrefix(strings.ToLower(t.Key), "aws:"):
			return invalid("Tags Reason: tag keys must not start with aws:")
		case seen[t.Key]:
			return invalid("Duplicated keys are not allowed.")
		}
		seen[t.Key] = true
	}
	if len(tags) > maxTags {
		return tagLimit()
	}
	return nil
}

// tagLimit is TagLimitExceeded [aws].
func tagLimit() *cairn.Error {
	return cairn.Errorf(400, "TagLimitExceeded", "Could not complete request: tag quota of per resource exceeded")
}

// taggedTopic loads the topic of a tagging call: ResourceNotFound when
// there is none.
func taggedTopic(tx store.Tx, arn string) (*topicRec, error) {
	t, err := loadTopic(tx, arn)
	if isNotFound(err) {
		return nil, resourceNotFound()
	}
	return t, err
}

// TagResource adds tags to a topic, replacing the values of keys it has.
func (s *Service) TagResource(ctx context.Context, c *cairn.Call, in *TagResourceInput) (*TagResourceOutput, error) {
	if len(in.Tags) == 0 {
		return nil, required("Tags")
	}
	if err := validateTags(in.Tags); err != nil {
		return nil, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		t, err := taggedTopic(tx, in.ResourceArn)
		if err != nil {
			return err
		}
		for _, tg := range in.Tags {
			if i := slices.IndexFunc(t.Tags, func(x Tag) bool { return x.Key == tg.Key }); i >= 0 {
				t.Tags[i].Value = tg.Value
			} else {
				t.Tags = append(t.Tags, tg)
			}
		}
		if len(t.Tags) > maxTags {
			return tagLimit()
		}
		return saveTopic(tx, t)
	})
	if err != nil {
		return nil, err
	}
	in.res.ok = true
	return &TagResourceOutput{}, nil
}

// UntagResource removes tags by key; keys the topic lacks are ignored.
func (s *Service) UntagResource(ctx context.Context, c *cairn.Call, in *UntagResourceInput) (*UntagResourceOutput, error) {
	if in.TagKeys == nil {
		return nil, required("TagKeys")
	}
	err := s.update(ctx, func(tx store.Tx) error {
		t, err := taggedTopic(tx, in.ResourceArn)
		if err != nil {
			return err
		}
		t.Tags = slices.DeleteFunc(t.Tags, func(x Tag) bool { return slices.Contains(in.TagKeys, x.Key) })
		return saveTopic(tx, t)
	})
	if err != nil {
		return nil, err
	}
	in.res.ok = true
	return &UntagResourceOutput{}, nil
}

// ListTagsForResource lists a topic's tags.
func (s *Service) ListTagsForResource(ctx context.Context, c *cairn.Call, in *ListTagsForResourceInput) (*ListTagsForResourceOutput, error) {
	var out ListTagsForResourceOutput
	err := s.view(ctx, func(tx store.Tx) error {
		t, err := taggedTopic(tx, in.ResourceArn)
		if err != nil {
			return err
		}
		out.Tags = append([]Tag{}, t.Tags...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	in.res.ok = true
	return &out, nil
}
