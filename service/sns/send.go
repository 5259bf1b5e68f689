package sns

import (
	"time"

	"github.com/cairnhq/cairn/store"
)

// send signs a message document for one subscription and queues it in tx,
// with the subscription's effective delivery policy: its retry schedule,
// throttle and Content-Type.
func (s *Service) send(tx store.Tx, k *signer, t *topicRec, sub *subRec, e *envelope, now time.Time) error {
	pol, err := effective(t.DeliveryPolicy, sub.DeliveryPolicy)
	if err != nil {
		return err
	}
	e.SignatureVersion = t.signatureVersion()
	e.SigningCertURL = s.certURL(k)
	p, err := signed(k, e, sub.ARN, pol.ContentType)
	if err != nil {
		return err
	}
	return s.queueFor(tx, t, sub, e.Type, e.MessageId, pol, p, now)
}

func (s *Service) queueFor(tx store.Tx, t *topicRec, sub *subRec, typ, messageID string, pol effectivePolicy, p payload, now time.Time) error {
	d := &deliveryRec{
		ID: s.cfg.IDs.UUID(), Type: typ, TopicARN: t.ARN, SubscriptionARN: sub.ARN, Endpoint: sub.Endpoint,
		MessageID: messageID, Retry: pol.Retry, MaxPerSecond: pol.MaxPerSecond,
	}
	return s.enqueue(tx, d, p, now)
}
