package sns

import (
	"context"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// DeleteTopic deletes a topic and its subscriptions; messages still queued
// for them are dropped before their next attempt. Deleting a topic that
// does not exist is not an error [aws: "This action is idempotent"].
func (s *Service) DeleteTopic(ctx context.Context, c *cairn.Call, in *DeleteTopicInput) (*DeleteTopicOutput, error) {
	err := s.update(ctx, func(tx store.Tx) error {
		if err := tx.Delete(tableTopics, in.TopicArn); err != nil {
			if isNotFound(err) {
				return nil
			}
			return err
		}
		var subs []string
		err := scanSubscriptions(tx, in.TopicArn, "", 0, func(sub *subRec) error {
			subs = append(subs, sub.ARN)
			return nil
		})
		if err != nil {
			return err
		}
		for _, arn := range subs {
			if err := tx.Delete(tableSubscriptions, arn); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	in.res.ok = true
	return &DeleteTopicOutput{}, nil
}
