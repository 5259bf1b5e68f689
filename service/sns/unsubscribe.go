package sns

import (
	"context"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// Unsubscribe deletes a subscription; one that does not exist is not an
// error. A subscription confirmed with AuthenticateOnUnsubscribe may be
// deleted only by a signed request of its owner or the topic's owner [aws].
// When someone else deletes a confirmed HTTP/S subscription (its link in a
// notification, another account), the endpoint is sent an
// UnsubscribeConfirmation whose SubscribeURL restores it.
func (s *Service) Unsubscribe(ctx context.Context, c *cairn.Call, in *UnsubscribeInput) (*UnsubscribeOutput, error) {
	k, err := s.signer(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now(c)
	sent := false
	err = s.update(ctx, func(tx store.Tx) error {
		sub, err := loadSubscription(tx, in.SubscriptionArn)
		if isNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		t, err := existingTopic(tx, sub.TopicARN)
		if err != nil {
			return err
		}
		caller := c.Account()
		if sub.AuthenticateOnUnsubscribe && (c.Principal.Type == cairn.PrincipalAnonymous || caller != sub.Owner && caller != t.Account) {
			return notAuthorized(&c.Principal, "sns:Unsubscribe", sub.ARN)
		}
		if err := tx.Delete(tableSubscriptions, sub.ARN); err != nil {
			return err
		}
		t.SubscriptionsDeleted++
		if err := saveTopic(tx, t); err != nil {
			return err
		}
		if sub.Pending || c.Principal.Type != cairn.PrincipalAnonymous && caller == sub.Owner {
			return nil
		}
		token, err := s.newToken(tx, sub, now, true)
		if err != nil {
			return err
		}
		sent = true
		return s.send(tx, k, t, sub, &envelope{
			Type: typeUnsubscribeConfirmation, MessageId: s.cfg.IDs.UUID(), Token: token, TopicArn: t.ARN,
			Message: "You have chosen to deactivate subscription " + sub.ARN +
				".\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.",
			SubscribeURL: s.subscribeURL(t.ARN, token), Timestamp: timestamp(now),
		}, now)
	})
	if err != nil {
		return nil, err
	}
	if sent {
		s.q.notify()
	}
	in.res.ok = true
	return &UnsubscribeOutput{}, nil
}
