package sns

import (
	"context"
	"strings"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// ConfirmSubscription confirms the subscription a token was sent for (by
// the SDK, or by whoever follows the SubscribeURL, unsigned). Confirming
// again with a live token returns the same ARN [aws: idempotent]. A token
// from an UnsubscribeConfirmation restores the subscription it deleted.
// AuthenticateOnUnsubscribe "true" counts only on a signed request [aws].
func (s *Service) ConfirmSubscription(ctx context.Context, c *cairn.Call, in *ConfirmSubscriptionInput) (*ConfirmSubscriptionOutput, error) {
	signed := c.Principal.Type != cairn.PrincipalAnonymous
	authOnUnsubscribe := signed && in.AuthenticateOnUnsubscribe != nil && strings.EqualFold(*in.AuthenticateOnUnsubscribe, "true")
	now := s.now(c)
	var out ConfirmSubscriptionOutput
	err := s.update(ctx, func(tx store.Tx) error {
		tok, err := lookupToken(tx, in.Token, in.TopicArn, now)
		if err != nil {
			return err
		}
		if _, err := loadTopic(tx, in.TopicArn); isNotFound(err) {
			return invalid("Token")
		} else if err != nil {
			return err
		}
		sub, err := loadSubscription(tx, tok.SubscriptionARN)
		switch {
		case isNotFound(err) && tok.Restore != nil:
			sub = tok.Restore
			sub.Pending = true // confirmed again below
		case isNotFound(err):
			return invalid("Token") // unsubscribed meanwhile
		case err != nil:
			return err
		}
		out.SubscriptionArn = sub.ARN
		if !sub.Pending {
			return nil
		}
		sub.Pending = false
		sub.ConfirmationWasAuthenticated = signed
		sub.AuthenticateOnUnsubscribe = authOnUnsubscribe
		return saveSubscription(tx, sub)
	})
	if err != nil {
		return nil, err
	}
	in.res.ok = true
	return &out, nil
}
