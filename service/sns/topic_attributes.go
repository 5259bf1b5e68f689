package sns

import (
	"context"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// GetTopicAttributes returns a topic's attributes: Policy, Owner,
// DisplayName, DeliveryPolicy (when set), EffectiveDeliveryPolicy, the
// subscription counts, TopicArn and SignatureVersion.
func (s *Service) GetTopicAttributes(ctx context.Context, c *cairn.Call, in *GetTopicAttributesInput) (*GetTopicAttributesOutput, error) {
	var out GetTopicAttributesOutput
	err := s.view(ctx, func(tx store.Tx) error {
		t, err := existingTopic(tx, in.TopicArn)
		if err != nil {
			return err
		}
		out.Attributes, err = topicAttributes(tx, t)
		return err
	})
	if err != nil {
		return nil, err
	}
	in.res.ok = true
	return &out, nil
}

// SetTopicAttributes sets Policy, DisplayName, DeliveryPolicy or
// SignatureVersion, each validated; an invalid value changes nothing.
func (s *Service) SetTopicAttributes(ctx context.Context, c *cairn.Call, in *SetTopicAttributesInput) (*SetTopicAttributesOutput, error) {
	if in.AttributeName == "" {
		return nil, required("AttributeName")
	}
	value := ""
	if in.AttributeValue != nil {
		value = *in.AttributeValue
	}
	err := s.update(ctx, func(tx store.Tx) error {
		t, err := existingTopic(tx, in.TopicArn)
		if err != nil {
			return err
		}
		if err := setTopicAttribute(t, in.AttributeName, value, false); err != nil {
			return err
		}
		return saveTopic(tx, t)
	})
	if err != nil {
		return nil, err
	}
	in.res.ok = true
	return &SetTopicAttributesOutput{}, nil
}
