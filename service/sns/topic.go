package sns

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// Topics are one JSON value each in sns_topics, keyed by ARN, so that an
// account's topics in a region are one prefix scan in ARN order.
const tableTopics = "sns_topics"

// topicRec is a stored topic.
type topicRec struct {
	ARN     string
	Name    string
	Account string
	Region  string
	Created time.Time
	// Attributes a caller sets; "" means unset.
	DisplayName          string
	Policy               string
	DeliveryPolicy       string
	SignatureVersion     string
	DataProtectionPolicy string
	Tags                 []Tag
	// NoStatements says RemovePermission left Policy without a statement:
	// it is shown as it is but decides nothing.
	NoStatements bool
	// SubscriptionsDeleted counts the topic's subscriptions removed so far.
	SubscriptionsDeleted int
}

func loadTopic(tx store.Tx, arn string) (*topicRec, error) {
	var t topicRec
	if err := store.GetJSON(tx, tableTopics, arn, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

func saveTopic(tx store.Tx, t *topicRec) error {
	return store.PutJSON(tx, tableTopics, t.ARN, t)
}

// existingTopic loads a topic or answers NotFound.
func existingTopic(tx store.Tx, arn string) (*topicRec, error) {
	t, err := loadTopic(tx, arn)
	if errors.Is(err, cairn.ErrNotFound) {
		return nil, topicNotFound()
	}
	return t, err
}

// topic reads one topic outside a transaction; nil when it does not exist.
func (s *Service) topic(ctx context.Context, arn string) (*topicRec, error) {
	var t *topicRec
	err := s.view(ctx, func(tx store.Tx) error {
		var err error
		t, err = loadTopic(tx, arn)
		if errors.Is(err, cairn.ErrNotFound) {
			t, err = nil, nil
		}
		return err
	})
	return t, err
}

// signatureVersion is the topic's SignatureVersion: "1" unless set.
func (t *topicRec) signatureVersion() string {
	if t.SignatureVersion == "" {
		return "1"
	}
	return t.SignatureVersion
}

// authPolicy is the policy authorization evaluates: "" when none is left.
func (t *topicRec) authPolicy() string {
	if t.NoStatements {
		return ""
	}
	return t.Policy
}

// tagMap is the topic's tags for aws:ResourceTag/<key>.
func (t *topicRec) tagMap() map[string]string {
	if len(t.Tags) == 0 {
		return nil
	}
	m := make(map[string]string, len(t.Tags))
	for _, tg := range t.Tags {
		m[tg.Key] = tg.Value
	}
	return m
}

// attributes is GetTopicAttributes' map: what the caller set, the policy
// (the default one unless replaced), the effective delivery policy, and
// the subscription counts.
func topicAttributes(tx store.Tx, t *topicRec) (map[string]string, error) {
	confirmed, pending := 0, 0
	err := scanSubscriptions(tx, t.ARN, "", 0, func(sub *subRec) error {
		if sub.Pending {
			pending++
		} else {
			confirmed++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	effective, err := effectiveTopicPolicyJSON(t.DeliveryPolicy)
	if err != nil {
		return nil, err
	}
	m := map[string]string{
		"TopicArn":                t.ARN,
		"Owner":                   t.Account,
		"Policy":                  t.Policy,
		"DisplayName":             t.DisplayName,
		"EffectiveDeliveryPolicy": effective,
		"SubscriptionsConfirmed":  strconv.Itoa(confirmed),
		"SubscriptionsPending":    strconv.Itoa(pending),
		"SubscriptionsDeleted":    strconv.Itoa(t.SubscriptionsDeleted),
		"SignatureVersion":        t.signatureVersion(),
	}
	if t.DeliveryPolicy != "" {
		m["DeliveryPolicy"] = t.DeliveryPolicy
	}
	return m, nil
}
