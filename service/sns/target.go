package sns

import (
	"context"
	"strings"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// Authorization the SNS way. Every operation on a topic names the topic as
// its Target: its policy, owner and tags, so that the funnel decides with
// the topic policy beside the caller's identity policies (across accounts
// both must allow, as for any resource policy). The ARN is checked first:
// a malformed one, or one in another region than the request's, is
// InvalidParameter before any policy is read. A topic that does not exist
// has no policy: its account's principals get NotFound from the handler
// when their identity policies allow, anyone else AuthorizationError.
//
// Confirmation tokens and unsubscribe links are capabilities: a valid
// token lets anyone confirm, and a subscription that does not require
// authentication lets anyone unsubscribe, signed or not. They are the
// Target's Grant, asked only when no policy allowed or denied explicitly.

// TopicResourceType is the CloudTrail resource type of topics.
const TopicResourceType = "AWS::SNS::Topic"

// topicTarget resolves the topic a call names for authorization and
// records its owner in res for the handler and Recipients.
func (s *Service) topicTarget(ctx context.Context, c *cairn.Call, member, arn string, res *resolved) (*cairn.Target, error) {
	ref, err := topicRefOf(c, member, arn)
	if err != nil {
		return nil, err
	}
	res.owner = ref.Account
	t, err := s.topic(ctx, ref.ARN)
	if err != nil || t == nil {
		return &cairn.Target{Account: ref.Account}, err
	}
	res.exists = true
	return &cairn.Target{Policy: t.authPolicy(), Account: t.Account, Tags: t.tagMap()}, nil
}

// topicRefOf checks a topic ARN named by member: present, well formed, in
// the request's region (an unsigned request acts in the topic's region).
func topicRefOf(c *cairn.Call, member, arn string) (topicRef, error) {
	if arn == "" {
		return topicRef{}, required(member)
	}
	ref, ok := parseTopicARN(arn)
	if !ok {
		return topicRef{}, invalid("%s", member)
	}
	if !inCallRegion(c, ref.Region) {
		return topicRef{}, invalid("%s", member)
	}
	return ref, nil
}

// inCallRegion says whether region is the call's. An unsigned call has no
// credential scope: it acts in region.
func inCallRegion(c *cairn.Call, region string) bool {
	if c.Region == "" {
		c.Region = region
	}
	return c.Region == region
}

// confirmTarget is ConfirmSubscription's: the topic, and its token as a
// grant. An unknown or expired token is InvalidParameter [aws], before any
// policy is evaluated.
func (s *Service) confirmTarget(ctx context.Context, c *cairn.Call, in *ConfirmSubscriptionInput) (*cairn.Target, error) {
	ref, ok := parseTopicARN(in.TopicArn)
	switch {
	case in.TopicArn == "":
		return nil, required("TopicArn")
	case !ok:
		return nil, invalid("Topic")
	case in.Token == "":
		return nil, required("Token")
	}
	if !inCallRegion(c, ref.Region) {
		return nil, invalid("Topic")
	}
	in.res.owner = ref.Account
	var t *topicRec
	err := s.view(ctx, func(tx store.Tx) error {
		var err error
		if t, err = loadTopic(tx, ref.ARN); isNotFound(err) {
			return invalid("Token")
		} else if err != nil {
			return err
		}
		// From here a failure is recorded in the topic owner's account,
		// so that guessing at tokens shows.
		in.res.exists = true
		_, err = lookupToken(tx, in.Token, ref.ARN, s.now(c))
		return err
	})
	if err != nil {
		return nil, err
	}
	return &cairn.Target{Policy: t.authPolicy(), Account: t.Account, Tags: t.tagMap(),
		Grant: func(action string, _ map[string][]string) bool {
			return strings.EqualFold(action, "sns:ConfirmSubscription")
		}}, nil
}

// subscriptionTarget checks a subscription ARN and records its topic's
// owner; it returns the subscription, nil when it does not exist.
func (s *Service) subscriptionTarget(ctx context.Context, c *cairn.Call, arn string, res *resolved) (*subRec, error) {
	if arn == "" {
		return nil, required("SubscriptionArn")
	}
	ref, cerr := parseSubscriptionARN(arn)
	if cerr != nil {
		return nil, cerr
	}
	if !inCallRegion(c, ref.Region) {
		return nil, invalid("SubscriptionArn")
	}
	res.owner = ref.Account
	var sub *subRec
	err := s.view(ctx, func(tx store.Tx) error {
		var err error
		sub, err = loadSubscription(tx, arn)
		if isNotFound(err) {
			sub, err = nil, nil
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	res.exists = sub != nil
	return sub, nil
}

// unsubscribeTarget is Unsubscribe's: the link in every notification
// unsubscribes whoever follows it, unless the subscription was confirmed
// with AuthenticateOnUnsubscribe; then only a signed request of the topic
// or subscription owner may (the handler checks the owner).
func (s *Service) unsubscribeTarget(ctx context.Context, c *cairn.Call, in *UnsubscribeInput) (*cairn.Target, error) {
	sub, err := s.subscriptionTarget(ctx, c, in.SubscriptionArn, &in.res)
	if err != nil {
		return nil, err
	}
	if sub != nil && sub.AuthenticateOnUnsubscribe {
		if c.Principal.Type == cairn.PrincipalAnonymous {
			return nil, notAuthorized(&c.Principal, "sns:Unsubscribe", in.SubscriptionArn)
		}
		return &cairn.Target{}, nil
	}
	return &cairn.Target{Grant: func(action string, _ map[string][]string) bool {
		return strings.EqualFold(action, "sns:Unsubscribe")
	}}, nil
}

// topicResources names the topic a call acts on, for authorization and
// the event.
func topicResources(arn string) []cairn.Resource {
	if _, ok := parseTopicARN(arn); !ok {
		return nil
	}
	return []cairn.Resource{{ARN: arn, Type: TopicResourceType}}
}

// subscriptionResources authorizes on the subscription ARN and lists its
// topic in the event.
func subscriptionResources(arn string) []cairn.Resource {
	ref, err := parseSubscriptionARN(arn)
	if err != nil {
		return nil
	}
	return []cairn.Resource{{ARN: arn}, {ARN: ref.ARN, Type: TopicResourceType, RecordOnly: true}}
}

// recipients is the topic owner's account for a cross-account call that
// succeeded, and for any unsigned call on an existing topic or
// subscription (recorded only in the owner's account).
func recipients(c *cairn.Call, in topicInput) []string {
	r := in.topicRes()
	if !r.exists || r.owner == "" {
		return nil
	}
	if r.ok || c.Principal.Type == cairn.PrincipalAnonymous {
		return []string{r.owner}
	}
	return nil
}
