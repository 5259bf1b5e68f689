package sns

import (
	"encoding/json"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// Subscriptions are one JSON value each in sns_subscriptions, keyed by
// ARN (<topic ARN>:<UUID>), so that a topic's subscriptions are one prefix
// scan.
const tableSubscriptions = "sns_subscriptions"

// pendingARN is what listings show for a subscription not yet confirmed.
const pendingARN = "PendingConfirmation"

// subRec is a stored subscription.
type subRec struct {
	ARN      string
	TopicARN string
	Owner    string // the account that subscribed
	// Principal is the ARN of the identity that subscribed
	// (SubscriptionPrincipal).
	Principal string
	Protocol  string
	Endpoint  string
	Created   time.Time
	Pending   bool
	// TokenIssued is when the latest confirmation token was sent: a
	// subscription still pending when its tokens expire is deleted.
	TokenIssued time.Time
	// ConfirmationWasAuthenticated: confirmed by a signed request.
	ConfirmationWasAuthenticated bool
	// AuthenticateOnUnsubscribe: only a signed request of the topic or
	// subscription owner may unsubscribe.
	AuthenticateOnUnsubscribe bool
	RawMessageDelivery        bool
	DeliveryPolicy            string
}

func loadSubscription(tx store.Tx, arn string) (*subRec, error) {
	var sub subRec
	if err := store.GetJSON(tx, tableSubscriptions, arn, &sub); err != nil {
		return nil, err
	}
	return &sub, nil
}

// existingSubscription loads a subscription or answers NotFound.
func existingSubscription(tx store.Tx, arn string) (*subRec, error) {
	sub, err := loadSubscription(tx, arn)
	if errors.Is(err, cairn.ErrNotFound) {
		return nil, subscriptionNotFound()
	}
	return sub, err
}

func saveSubscription(tx store.Tx, sub *subRec) error {
	return store.PutJSON(tx, tableSubscriptions, sub.ARN, sub)
}

// scanSubscriptions calls fn for each subscription of a topic after the
// ARN after, at most limit of them (0: all).
func scanSubscriptions(tx store.Tx, topicARN, after string, limit int, fn func(*subRec) error) error {
	return scanSubscriptionsPrefix(tx, topicARN+":", after, limit, fn)
}

func scanSubscriptionsPrefix(tx store.Tx, prefix, after string, limit int, fn func(*subRec) error) error {
	return tx.Scan(tableSubscriptions, prefix, after, limit, func(key string, v []byte) error {
		var sub subRec
		if err := json.Unmarshal(v, &sub); err != nil {
			return errorf("decode subscription %q: %w", key, err)
		}
		return fn(&sub)
	})
}

// listed is the subscription as listings show it.
func (sub *subRec) listed() Subscription {
	arn := sub.ARN
	if sub.Pending {
		arn = pendingARN
	}
	return Subscription{SubscriptionArn: arn, Owner: sub.Owner, Protocol: sub.Protocol,
		Endpoint: maskEndpoint(sub.Endpoint), TopicArn: sub.TopicARN}
}

// attributes is GetSubscriptionAttributes' map.
func (sub *subRec) attributes(e effectivePolicy) (map[string]string, error) {
	eff, err := effectiveSubscriptionPolicyJSON(e)
	if err != nil {
		return nil, err
	}
	m := map[string]string{
		"SubscriptionArn":              sub.ARN,
		"TopicArn":                     sub.TopicARN,
		"Owner":                        sub.Owner,
		"Protocol":                     sub.Protocol,
		"Endpoint":                     maskEndpoint(sub.Endpoint),
		"PendingConfirmation":          strconv.FormatBool(sub.Pending),
		"ConfirmationWasAuthenticated": strconv.FormatBool(sub.ConfirmationWasAuthenticated),
		"RawMessageDelivery":           strconv.FormatBool(sub.RawMessageDelivery),
		"EffectiveDeliveryPolicy":      eff,
	}
	if sub.Principal != "" {
		m["SubscriptionPrincipal"] = sub.Principal
	}
	if sub.DeliveryPolicy != "" {
		m["DeliveryPolicy"] = sub.DeliveryPolicy
	}
	return m, nil
}

// maskEndpoint hides the password of an endpoint with basic-auth
// credentials (https://user:secret@host/) wherever SNS shows it, as SNS
// does.
func maskEndpoint(endpoint string) string {
	u, err := url.Parse(endpoint)
	if err != nil || u.User == nil {
		return endpoint
	}
	if _, has := u.User.Password(); !has {
		return endpoint
	}
	name := url.User(u.User.Username()).String()
	u.User = nil
	return u.Scheme + "://" + name + ":****@" + strings.TrimPrefix(u.String(), u.Scheme+"://")
}
