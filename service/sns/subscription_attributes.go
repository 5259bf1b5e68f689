package sns

import (
	"context"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// visibleSubscription loads a subscription for its owner or its topic's
// owner; anyone else is not authorized.
func visibleSubscription(tx store.Tx, c *cairn.Call, arn, action string) (*subRec, *topicRec, error) {
	sub, err := existingSubscription(tx, arn)
	if err != nil {
		return nil, nil, err
	}
	t, err := existingTopic(tx, sub.TopicARN)
	if err != nil {
		return nil, nil, err
	}
	if c.Account() != sub.Owner && c.Account() != t.Account {
		return nil, nil, notAuthorized(&c.Principal, action, arn)
	}
	return sub, t, nil
}

// GetSubscriptionAttributes returns a subscription's attributes, its
// effective delivery policy included; the endpoint's password, if any, is
// masked.
func (s *Service) GetSubscriptionAttributes(ctx context.Context, c *cairn.Call, in *GetSubscriptionAttributesInput) (*GetSubscriptionAttributesOutput, error) {
	var out GetSubscriptionAttributesOutput
	err := s.view(ctx, func(tx store.Tx) error {
		sub, t, err := visibleSubscription(tx, c, in.SubscriptionArn, "sns:GetSubscriptionAttributes")
		if err != nil {
			return err
		}
		pol, err := effective(t.DeliveryPolicy, sub.DeliveryPolicy)
		if err != nil {
			return err
		}
		out.Attributes, err = sub.attributes(pol)
		return err
	})
	if err != nil {
		return nil, err
	}
	in.res.ok = true
	return &out, nil
}

// SetSubscriptionAttributes sets RawMessageDelivery or DeliveryPolicy.
func (s *Service) SetSubscriptionAttributes(ctx context.Context, c *cairn.Call, in *SetSubscriptionAttributesInput) (*SetSubscriptionAttributesOutput, error) {
	if in.AttributeName == "" {
		return nil, required("AttributeName")
	}
	value := ""
	if in.AttributeValue != nil {
		value = *in.AttributeValue
	}
	err := s.update(ctx, func(tx store.Tx) error {
		sub, _, err := visibleSubscription(tx, c, in.SubscriptionArn, "sns:SetSubscriptionAttributes")
		if err != nil {
			return err
		}
		if err := setSubscriptionAttribute(sub, in.AttributeName, value); err != nil {
			return err
		}
		return saveSubscription(tx, sub)
	})
	if err != nil {
		return nil, err
	}
	in.res.ok = true
	return &SetSubscriptionAttributesOutput{}, nil
}
