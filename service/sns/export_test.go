package sns

import (
	"context"
	"time"

	"github.com/cairnhq/cairn/store"
)

// QueuedDue lists the due times of the queued deliveries, oldest first:
// the retry schedule as the queue holds it.
func (s *Service) QueuedDue(ctx context.Context) ([]time.Time, error) {
	var out []time.Time
	err := s.view(ctx, func(tx store.Tx) error {
		return tx.Scan(tableQueue, "", "", 0, func(key string, _ []byte) error {
			due, ok := dueOf(key)
			if !ok {
				return errorf("queue key %q", key)
			}
			out = append(out, due)
			return nil
		})
	})
	return out, err
}

// RetryDelay exposes the retry schedule of a delivery policy document
// (a subscription's DeliveryPolicy; "" for the default) for table tests.
func RetryDelay(subscriptionPolicy string, retry int) (time.Duration, bool, error) {
	e, err := effective("", subscriptionPolicy)
	if err != nil {
		return 0, false, err
	}
	d, ok := e.Retry.delay(retry)
	return d, ok, nil
}

// Canonical exposes the string SNS signs.
func Canonical(typ, messageID, subject, message, timestampValue, topicARN, token, subscribeURL string) string {
	return canonical(&envelope{Type: typ, MessageId: messageID, Subject: subject, Message: message, Timestamp: timestampValue,
		TopicArn: topicARN, Token: token, SubscribeURL: subscribeURL})
}
