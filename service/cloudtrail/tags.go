package cloudtrail

import (
	"context"
	"strings"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// mergeTags adds tags to existing ones: a key already present takes the
// new value. Keys are compared exactly.
func mergeTags(existing, add []Tag) []Tag {
	out := append([]Tag(nil), existing...)
	for _, t := range add {
		replaced := false
		for i := range out {
			if out[i].Key == t.Key {
				out[i].Value, replaced = t.Value, true
				break
			}
		}
		if !replaced {
			out = append(out, Tag{Key: t.Key, Value: t.Value})
		}
	}
	return out
}

// resourceTrail resolves the ResourceId of the tag operations: a trail ARN
// in the call's account and region (a multi-region trail is tagged from its
// home region only). Other CloudTrail resources (event data stores,
// channels, dashboards) are not served, so they are not found.
func resourceTrail(tx store.Tx, c *cairn.Call, id string) (*trailRec, error) {
	if !strings.HasPrefix(id, "arn:") {
		return nil, invalidARN(id)
	}
	a, err := cairn.ParseARN(id)
	if err != nil || a.Partition != cairn.Partition || a.Service != "cloudtrail" || !accountRe.MatchString(a.Account) {
		return nil, invalidARN(id)
	}
	if a.Region != c.Region {
		return nil, wrongRegionARN(c.Region)
	}
	if a.Account != c.Account() {
		return nil, wrongAccountARN(c.Account())
	}
	if !strings.HasPrefix(a.Resource, trailResourcePrefix) {
		return nil, resourceNotFound(id)
	}
	name := strings.TrimPrefix(a.Resource, trailResourcePrefix)
	if err := validateName(name); err != nil {
		return nil, err
	}
	r, err := loadTrail(tx, a.Account, a.Region, name)
	if err != nil {
		return nil, err
	}
	if r == nil {
		return nil, resourceNotFound(id)
	}
	return r, nil
}

// AddTags adds tags to a trail, replacing the values of keys it has.
func (s *Service) AddTags(ctx context.Context, c *cairn.Call, in *AddTagsInput) (*AddTagsOutput, error) {
	if err := validateTags(in.TagsList); err != nil {
		return nil, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		r, err := resourceTrail(tx, c, in.ResourceId)
		if err != nil {
			return err
		}
		tags := mergeTags(r.Tags, in.TagsList)
		if len(tags) > MaxTags {
			return tagsLimit()
		}
		r.Tags = tags
		return store.PutJSON(tx, tblTrails, r.key(), r)
	})
	if err != nil {
		return nil, err
	}
	return &AddTagsOutput{}, nil
}

// RemoveTags removes tags from a trail: a tag given with a value is
// removed only when the trail's value is the same.
func (s *Service) RemoveTags(ctx context.Context, c *cairn.Call, in *RemoveTagsInput) (*RemoveTagsOutput, error) {
	if err := validateTags(in.TagsList); err != nil {
		return nil, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		r, err := resourceTrail(tx, c, in.ResourceId)
		if err != nil {
			return err
		}
		var kept []Tag
		for _, t := range r.Tags {
			drop := false
			for _, rm := range in.TagsList {
				if rm.Key == t.Key && (rm.Value == nil || str(rm.Value) == str(t.Value)) {
					drop = true
					break
				}
			}
			if !drop {
				kept = append(kept, t)
			}
		}
		r.Tags = kept
		return store.PutJSON(tx, tblTrails, r.key(), r)
	})
	if err != nil {
		return nil, err
	}
	return &RemoveTagsOutput{}, nil
}

// ListTags returns the tags of up to 20 trails, in the order asked. All of
// them fit one page, so no NextToken is ever issued.
func (s *Service) ListTags(ctx context.Context, c *cairn.Call, in *ListTagsInput) (*ListTagsOutput, error) {
	if len(in.ResourceIdList) > MaxListTagsARNs {
		return nil, invalidParameter("ResourceIdList can contain at most %d ARNs. Specified: %d.", MaxListTagsARNs, len(in.ResourceIdList))
	}
	if str(in.NextToken) != "" {
		return nil, invalidToken()
	}
	out := &ListTagsOutput{ResourceTagList: []ResourceTag{}}
	err := s.view(ctx, func(tx store.Tx) error {
		for _, id := range in.ResourceIdList {
			r, err := resourceTrail(tx, c, id)
			if err != nil {
				return err
			}
			tags := append([]Tag{}, r.Tags...)
			out.ResourceTagList = append(out.ResourceTagList, ResourceTag{ResourceId: id, TagsList: tags})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
