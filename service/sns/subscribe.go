package sns

import (
	"context"
	"maps"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// snsProtocols are the protocols SNS knows; Cairn delivers to the first
// two.
var snsProtocols = []string{"http", "https", "email", "email-json", "sms", "sqs", "application", "lambda", "firehose"}

// Subscribe subscribes an HTTP or HTTPS endpoint to a topic. The
// subscription is pending until the endpoint confirms it: a
// SubscriptionConfirmation with a token and a SubscribeURL is queued for
// the endpoint in the same transaction. Subscribing an endpoint again
// returns its subscription (and sends a new confirmation while it is
// pending); with other attributes it is InvalidParameter [aws]. The
// response names the subscription only with ReturnSubscriptionArn, or
// once it is confirmed; otherwise "pending confirmation" [aws].
func (s *Service) Subscribe(ctx context.Context, c *cairn.Call, in *SubscribeInput) (*SubscribeOutput, error) {
	if in.Protocol == "" {
		return nil, required("Protocol")
	}
	if !slices.Contains(snsProtocols, in.Protocol) {
		return nil, invalid("Amazon SNS does not support this protocol string: %s", in.Protocol)
	}
	if in.Protocol != "http" && in.Protocol != "https" {
		return nil, invalid("Protocol Reason: Cairn delivers to http and https endpoints only")
	}
	endpoint := ""
	if in.Endpoint != nil {
		endpoint = *in.Endpoint
	}
	if err := validEndpoint(in.Protocol, endpoint); err != nil {
		return nil, err
	}
	want := &subRec{Protocol: in.Protocol, Endpoint: endpoint}
	for _, name := range slices.Sorted(maps.Keys(in.Attributes)) {
		if err := setSubscriptionAttribute(want, name, in.Attributes[name]); err != nil {
			return nil, err
		}
	}
	k, err := s.signer(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now(c)
	var out SubscribeOutput
	err = s.update(ctx, func(tx store.Tx) error {
		t, err := existingTopic(tx, in.TopicArn)
		if err != nil {
			return err
		}
		sub, err := sameEndpoint(tx, t.ARN, in.Protocol, endpoint)
		if err != nil {
			return err
		}
		if sub != nil {
			for name := range in.Attributes {
				if subscriptionAttribute(sub, name) != subscriptionAttribute(want, name) {
					return invalid("Attributes Reason: Subscription already exists with different attributes")
				}
			}
			out.SubscriptionArn = sub.ARN
			if !sub.Pending {
				return nil
			}
		} else {
			sub = want
			sub.ARN = t.ARN + ":" + s.cfg.IDs.UUID()
			sub.TopicARN, sub.Owner, sub.Principal = t.ARN, c.Account(), c.Principal.ARN
			sub.Created, sub.Pending = now, true
			out.SubscriptionArn = sub.ARN
		}
		if !in.ReturnSubscriptionArn {
			out.SubscriptionArn = "pending confirmation"
		}
		return s.requestConfirmation(tx, k, t, sub, now)
	})
	if err != nil {
		return nil, err
	}
	s.q.notify()
	in.res.ok = true
	return &out, nil
}

// requestConfirmation saves a pending subscription with a new token and
// queues its SubscriptionConfirmation.
func (s *Service) requestConfirmation(tx store.Tx, k *signer, t *topicRec, sub *subRec, now time.Time) error {
	token, err := s.newToken(tx, sub, now, false)
	if err != nil {
		return err
	}
	sub.TokenIssued = now
	if err := saveSubscription(tx, sub); err != nil {
		return err
	}
	e := &envelope{
		Type: typeSubscriptionConfirmation, MessageId: s.cfg.IDs.UUID(), Token: token, TopicArn: t.ARN,
		Message: "You have chosen to subscribe to the topic " + t.ARN +
			".\nTo confirm the subscription, visit the SubscribeURL included in this message.",
		SubscribeURL: s.subscribeURL(t.ARN, token), Timestamp: timestamp(now),
	}
	return s.send(tx, k, t, sub, e, now)
}

// sameEndpoint finds the topic's subscription of an endpoint, nil if none.
func sameEndpoint(tx store.Tx, topicARN, protocol, endpoint string) (*subRec, error) {
	var found *subRec
	err := scanSubscriptions(tx, topicARN, "", 0, func(sub *subRec) error {
		if sub.Protocol == protocol && sub.Endpoint == endpoint {
			found = sub
			return store.ErrStop
		}
		return nil
	})
	return found, err
}

// validEndpoint checks an HTTP/S endpoint: a URL with a host, of the
// subscription's protocol [aws: "Endpoint must match the specified
// protocol"].
func validEndpoint(protocol, endpoint string) error {
	if endpoint == "" {
		return invalid("Endpoint")
	}
	if !strings.HasPrefix(strings.ToLower(endpoint), protocol+"://") {
		return invalid("Endpoint must match the specified protocol")
	}
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" || strings.ContainsAny(endpoint, " \r\n\t") {
		return invalid("Endpoint")
	}
	return nil
}

// setSubscriptionAttribute validates and sets an attribute Subscribe and
// SetSubscriptionAttributes take.
func setSubscriptionAttribute(sub *subRec, name, value string) error {
	switch name {
	case "RawMessageDelivery":
		switch strings.ToLower(value) {
		case "true":
			sub.RawMessageDelivery = true
		case "false":
			sub.RawMessageDelivery = false
		default:
			return invalid("Attributes Reason: RawMessageDelivery: Invalid value [%s]. Must be true or false.", value)
		}
	case "DeliveryPolicy":
		if value != "" {
			if _, err := parseSubscriptionPolicy(value); err != nil {
				return err
			}
		}
		sub.DeliveryPolicy = value
	case "FilterPolicy", "FilterPolicyScope", "RedrivePolicy", "SubscriptionRoleArn", "ReplayPolicy":
		return invalid("%s Reason: Cairn does not support this attribute", name)
	default:
		return invalid("AttributeName")
	}
	return nil
}

// subscriptionAttribute is the stored value of a settable attribute.
func subscriptionAttribute(sub *subRec, name string) string {
	switch name {
	case "RawMessageDelivery":
		if sub.RawMessageDelivery {
			return "true"
		}
		return "false"
	case "DeliveryPolicy":
		return sub.DeliveryPolicy
	}
	return ""
}
