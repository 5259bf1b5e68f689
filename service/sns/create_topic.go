package sns

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// CreateTopic creates a standard topic with the default policy, or returns
// the ARN of the topic of that name when the attributes and tags given
// match it [aws: idempotent]; a topic that exists with other attributes or
// tags is InvalidParameter.
func (s *Service) CreateTopic(ctx context.Context, c *cairn.Call, in *CreateTopicInput) (*CreateTopicOutput, error) {
	if in.Name == "" {
		return nil, required("Name")
	}
	if !validTopicName(in.Name) {
		return nil, invalid("Topic Name")
	}
	if err := validateTags(in.Tags); err != nil {
		return nil, err
	}
	arn := topicARNOf(c.Region, c.Account(), in.Name)
	t := &topicRec{ARN: arn, Name: in.Name, Account: c.Account(), Region: c.Region, Created: s.now(c),
		Policy: defaultPolicy(arn, c.Account())}
	for _, name := range slices.Sorted(maps.Keys(in.Attributes)) {
		if err := setTopicAttribute(t, name, in.Attributes[name], true); err != nil {
			return nil, err
		}
	}
	if in.DataProtectionPolicy != nil && *in.DataProtectionPolicy != "" {
		return nil, invalid("DataProtectionPolicy Reason: Cairn does not apply data protection policies")
	}
	t.Tags = in.Tags
	err := s.update(ctx, func(tx store.Tx) error {
		old, err := loadTopic(tx, arn)
		if isNotFound(err) {
			return saveTopic(tx, t)
		}
		if err != nil {
			return err
		}
		return sameTopic(old, t, in)
	})
	if err != nil {
		return nil, err
	}
	return &CreateTopicOutput{TopicArn: arn}, nil
}

// sameTopic decides a CreateTopic of an existing name: the attributes and
// tags given must be the topic's [aws].
func sameTopic(old, t *topicRec, in *CreateTopicInput) error {
	for name := range in.Attributes {
		if topicAttribute(old, name) != topicAttribute(t, name) {
			return invalid("Attributes Reason: Topic already exists with different attributes")
		}
	}
	have := old.tagMap()
	for _, tg := range in.Tags {
		if v, ok := have[tg.Key]; !ok || v != tg.Value {
			return invalid("Tags Reason: Topic already exists with different tags")
		}
	}
	return nil
}

// topicAttribute is the stored value of a settable attribute.
func topicAttribute(t *topicRec, name string) string {
	switch name {
	case "Policy":
		return t.Policy
	case "DisplayName":
		return t.DisplayName
	case "DeliveryPolicy":
		return t.DeliveryPolicy
	case "SignatureVersion":
		return t.signatureVersion()
	}
	return ""
}

// maxDisplayName is SNS's limit on DisplayName.
const maxDisplayName = 100

// setTopicAttribute validates and sets one attribute. creating allows the
// attributes only CreateTopic takes (FifoTopic=false).
func setTopicAttribute(t *topicRec, name, value string, creating bool) error {
	switch name {
	case "Policy":
		if err := validatePolicy(value); err != nil {
			return err
		}
		t.Policy, t.NoStatements = value, false
	case "DisplayName":
		if len(value) > maxDisplayName {
			return invalid("DisplayName Reason: must be at most %d characters long", maxDisplayName)
		}
		t.DisplayName = value
	case "DeliveryPolicy":
		if value != "" {
			if _, err := parseTopicPolicy(value); err != nil {
				return err
			}
		}
		t.DeliveryPolicy = value
	case "SignatureVersion":
		if value != "1" && value != "2" {
			return invalid("SignatureVersion")
		}
		t.SignatureVersion = value
	case "FifoTopic":
		if !creating {
			return invalid("AttributeName")
		}
		if !strings.EqualFold(value, "false") {
			return invalid("FifoTopic Reason: Cairn serves standard topics only")
		}
	case "KmsMasterKeyId", "TracingConfig", "ContentBasedDeduplication", "ArchivePolicy", "FifoThroughputScope":
		return invalid("%s Reason: Cairn does not support this attribute", name)
	default:
		return invalid("AttributeName")
	}
	return nil
}
