package sns

import (
	"context"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// maxMessageBytes is SNS's limit on a message: 256 KiB, message attributes
// (names, types and values) included [aws].
const maxMessageBytes = 256 << 10

// maxSubject is the limit on Subject [aws: "less than 100 characters"].
const maxSubject = 99

// outgoing is a message on its way to a topic's subscribers.
type outgoing struct {
	message    string
	subject    string
	structured map[string]string // MessageStructure json: per-protocol messages
	attrs      map[string]MessageAttributeValue
}

// publishTarget is the ARN a Publish names: TopicArn, or TargetArn, which
// AWS accepts for topics too.
func publishTarget(in *PublishInput) string {
	if in.TopicArn != nil {
		return *in.TopicArn
	}
	if in.TargetArn != nil {
		return *in.TargetArn
	}
	return ""
}

// publishTargetOf is Publish's Target: the topic it names.
func (s *Service) publishTargetOf(ctx context.Context, c *cairn.Call, in *PublishInput) (*cairn.Target, error) {
	switch {
	case in.PhoneNumber != nil:
		return nil, invalid("PhoneNumber Reason: Cairn does not send SMS")
	case in.TopicArn != nil && in.TargetArn != nil:
		return nil, invalid("TopicArn or TargetArn Reason: Only one of TopicArn or TargetArn may be specified")
	case in.TopicArn == nil && in.TargetArn == nil:
		return nil, invalid("TopicArn or TargetArn Reason: no value for required parameter")
	case in.TargetArn != nil:
		if strings.Contains(*in.TargetArn, ":endpoint/") {
			return nil, invalid("TargetArn Reason: Cairn does not deliver to platform application endpoints")
		}
		return s.topicTarget(ctx, c, "TargetArn", *in.TargetArn, &in.res)
	}
	return s.topicTarget(ctx, c, "TopicArn", *in.TopicArn, &in.res)
}

// Publish sends a message to every confirmed subscriber of a topic. It
// returns the message ID once a delivery for each subscriber is durably
// queued.
func (s *Service) Publish(ctx context.Context, c *cairn.Call, in *PublishInput) (*PublishOutput, error) {
	out, err := checkPublish(in)
	if err != nil {
		return nil, err
	}
	id, err := s.publish(ctx, c, publishTarget(in), out)
	if err != nil {
		return nil, err
	}
	in.res.ok = true
	return &PublishOutput{MessageId: id}, nil
}

// checkPublish validates a Publish's message as SNS does [aws messages].
func checkPublish(in *PublishInput) (outgoing, error) {
	o := outgoing{message: in.Message, attrs: in.MessageAttributes}
	if in.Subject != nil {
		if !validSubject(*in.Subject) {
			return o, invalid("Subject")
		}
		o.subject = *in.Subject
	}
	if in.Message == "" {
		return o, invalid("Empty message")
	}
	if err := validateAttributes(in.MessageAttributes); err != nil {
		return o, err
	}
	if publishSize(in.Message, in.MessageAttributes) > maxMessageBytes {
		return o, invalid("Message too long")
	}
	if in.MessageDeduplicationId != nil {
		return o, invalid("MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type")
	}
	if in.MessageGroupId != nil {
		return o, invalid("MessageGroupId Reason: The request includes MessageGroupId parameter that is not valid for this topic type")
	}
	if in.MessageStructure != nil && *in.MessageStructure != "" {
		if *in.MessageStructure != "json" {
			return o, invalid("MessageStructure")
		}
		var err error
		if o.structured, err = parseStructure(in.Message); err != nil {
			return o, err
		}
	}
	return o, nil
}

// validSubject applies AWS's rule: printable ASCII, starting with a
// letter, digit or punctuation, no line breaks, under 100 characters.
func validSubject(s string) bool {
	if s == "" || len(s) > maxSubject || s[0] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// publishSize is what counts against the 256 KiB limit.
func publishSize(message string, attrs map[string]MessageAttributeValue) int {
	n := len(message)
	for name, a := range attrs {
		n += len(name) + len(a.DataType) + len(a.BinaryValue)
		if a.StringValue != nil {
			n += len(*a.StringValue)
		}
	}
	return n
}

var attrTypeRE = regexp.MustCompile(`^(String|Number|Binary)\..+$`)

// validateAttributes checks message attributes [aws, ParameterValueInvalid].
func validateAttributes(attrs map[string]MessageAttributeValue) error {
	// Sorted, so that the error reported does not depend on the map's order.
	for _, name := range slices.Sorted(maps.Keys(attrs)) {
		a := attrs[name]
		if err := validateAttrName(name); err != nil {
			return err
		}
		if a.DataType == "" {
			return cairn.Errorf(400, "ValidationError", "1 validation error detected: Value null at 'messageAttributes.%s.member.dataType' failed to satisfy constraint: Member must not be null", name)
		}
		if a.DataType != "String" && a.DataType != "Number" && a.DataType != "Binary" && !attrTypeRE.MatchString(a.DataType) {
			return invalidValue("The message attribute '%s' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.", name)
		}
		if a.StringValue == nil && a.BinaryValue == nil {
			return invalidValue("The message attribute '%s' must contain non-empty message attribute value for message attribute type '%s'.", name, a.DataType)
		}
		binary := strings.HasPrefix(a.DataType, "Binary")
		switch {
		case binary && a.BinaryValue == nil:
			return invalidValue("The message attribute '%s' with type '%s' must use field 'Binary'.", name, a.DataType)
		case !binary && a.StringValue == nil:
			return invalidValue("The message attribute '%s' with type '%s' must use field 'String'.", name, a.DataType)
		case binary && len(a.BinaryValue) == 0, !binary && *a.StringValue == "":
			return invalidValue("The message attribute '%s' must contain non-empty message attribute value for message attribute type '%s'.", name, a.DataType)
		}
	}
	return nil
}

// validateAttrName: letters, digits, '_', '-' and '.', not starting or
// ending with '.', no '..', under 256 bytes [aws].
func validateAttrName(name string) error {
	if len(name) >= 256 {
		return invalidValue("Length of message attribute name must be less than 256 bytes.")
	}
	if name == "" || name[0] == '.' {
		return invalidValue("Invalid message attribute name starting with character '.' was found.")
	}
	if name[len(name)-1] == '.' {
		return invalidValue("Invalid message attribute name ending with character '.' was found.")
	}
	for i, r := range name {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.'
		if !ok {
			return invalidValue("Invalid non-alphanumeric character '#x%X' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.", r)
		}
		if r == '.' && name[i-1] == '.' {
			return invalidValue("Message attribute name can not have successive '.' character.")
		}
	}
	return nil
}

// prepared is one subscriber's delivery, rendered and signed before the
// transaction that queues it.
type prepared struct {
	sub     *subRec
	payload payload
	pol     effectivePolicy
}

// publish queues o for every confirmed subscriber of the topic and
// returns the message ID. Messages are rendered and signed outside the
// queuing transaction, which only writes; a subscription removed in
// between is skipped at delivery.
func (s *Service) publish(ctx context.Context, c *cairn.Call, topicARN string, o outgoing) (string, error) {
	k, err := s.signer(ctx)
	if err != nil {
		return "", err
	}
	now := s.now(c)
	id := s.cfg.IDs.UUID()
	var t *topicRec
	var subs []*subRec
	err = s.view(ctx, func(tx store.Tx) error {
		var err error
		if t, err = existingTopic(tx, topicARN); err != nil {
			return err
		}
		return scanSubscriptions(tx, topicARN, "", 0, func(sub *subRec) error {
			if !sub.Pending {
				subs = append(subs, sub)
			}
			return nil
		})
	})
	if err != nil {
		return "", err
	}
	out := make([]prepared, 0, len(subs))
	for _, sub := range subs {
		p, err := s.notification(k, t, sub, id, o, now)
		if err != nil {
			return "", err
		}
		out = append(out, p)
	}
	err = s.update(ctx, func(tx store.Tx) error {
		if _, err := existingTopic(tx, topicARN); err != nil {
			return err
		}
		for _, p := range out {
			if err := s.queueFor(tx, t, p.sub, typeNotification, id, p.pol, p.payload, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	if len(out) > 0 {
		s.q.notify()
	}
	return id, nil
}

// notification renders one subscriber's copy of a message: signed JSON,
// or the bare message for raw delivery.
func (s *Service) notification(k *signer, t *topicRec, sub *subRec, id string, o outgoing, now time.Time) (prepared, error) {
	pol, err := effective(t.DeliveryPolicy, sub.DeliveryPolicy)
	if err != nil {
		return prepared{}, err
	}
	content := contentFor(o.message, o.structured, sub.Protocol)
	if sub.RawMessageDelivery {
		h := messageHeaders(typeNotification, id, t.ARN, pol.ContentType)
		h["x-amz-sns-subscription-arn"] = sub.ARN
		h["x-amz-sns-rawdelivery"] = "true"
		return prepared{sub: sub, pol: pol, payload: payload{Header: h, Body: []byte(content)}}, nil
	}
	e := &envelope{
		Type: typeNotification, MessageId: id, TopicArn: t.ARN, Subject: o.subject, Message: content,
		Timestamp: timestamp(now), SignatureVersion: t.signatureVersion(), SigningCertURL: s.certURL(k),
		UnsubscribeURL: s.unsubscribeURL(sub.ARN), MessageAttributes: notificationAttributes(o.attrs),
	}
	p, err := signed(k, e, sub.ARN, pol.ContentType)
	if err != nil {
		return prepared{}, err
	}
	return prepared{sub: sub, pol: pol, payload: p}, nil
}
