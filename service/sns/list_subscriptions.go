package sns

import (
	"context"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// ListSubscriptions lists the subscriptions to the caller's topics in the
// request's region, 100 at a time; pending ones show PendingConfirmation
// as their ARN [aws].
func (s *Service) ListSubscriptions(ctx context.Context, c *cairn.Call, in *ListSubscriptionsInput) (*ListSubscriptionsOutput, error) {
	prefix := topicARNOf(c.Region, c.Account(), "")
	subs, next, err := s.listSubscriptions(ctx, prefix, in.NextToken, nil)
	if err != nil {
		return nil, err
	}
	return &ListSubscriptionsOutput{Subscriptions: subs, NextToken: next}, nil
}

// ListSubscriptionsByTopic lists a topic's subscriptions, 100 at a time.
func (s *Service) ListSubscriptionsByTopic(ctx context.Context, c *cairn.Call, in *ListSubscriptionsByTopicInput) (*ListSubscriptionsByTopicOutput, error) {
	subs, next, err := s.listSubscriptions(ctx, in.TopicArn+":", in.NextToken, func(tx store.Tx) error {
		_, err := existingTopic(tx, in.TopicArn)
		return err
	})
	if err != nil {
		return nil, err
	}
	in.res.ok = true
	return &ListSubscriptionsByTopicOutput{Subscriptions: subs, NextToken: next}, nil
}

// listSubscriptions reads one page of the subscriptions under prefix,
// after check (if any) passes in the same snapshot.
func (s *Service) listSubscriptions(ctx context.Context, prefix string, token *string, check func(store.Tx) error) ([]Subscription, *string, error) {
	after, err := pageStart(token, prefix)
	if err != nil {
		return nil, nil, err
	}
	subs := []Subscription{}
	var next *string
	var last string
	err = s.view(ctx, func(tx store.Tx) error {
		if check != nil {
			if err := check(tx); err != nil {
				return err
			}
		}
		return scanSubscriptionsPrefix(tx, prefix, after, pageSize+1, func(sub *subRec) error {
			if len(subs) == pageSize {
				next = pageToken(last)
				return store.ErrStop
			}
			subs = append(subs, sub.listed())
			last = sub.ARN
			return nil
		})
	})
	if err != nil {
		return nil, nil, err
	}
	return subs, next, nil
}
