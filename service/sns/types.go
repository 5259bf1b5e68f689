package sns

// Inputs and outputs of the SNS operations. Field names are the members of
// the botocore model (sns 2010-03-31); the Query adapter binds them by
// name. Unexported fields carry what authorization resolved to the handler
// and to Recipients.

// Tag is a topic tag.
type Tag struct {
	Key   string
	Value string
}

// resolved is what a Target learned about the topic a call names.
type resolved struct {
	owner  string // the topic's account (from its ARN)
	exists bool
	ok     bool // the handler succeeded
}

// topicInput is an input that names a topic.
type topicInput interface{ topicRes() *resolved }

type CreateTopicInput struct {
	Name                 string
	Attributes           map[string]string
	Tags                 []Tag
	DataProtectionPolicy *string
}

type CreateTopicOutput struct {
	TopicArn string
}

type DeleteTopicInput struct {
	TopicArn string
	res      resolved
}

type DeleteTopicOutput struct{}

type ListTopicsInput struct {
	NextToken *string
}

type ListTopicsOutput struct {
	Topics    []Topic
	NextToken *string
}

// Topic is one entry of ListTopics.
type Topic struct {
	TopicArn string
}

type GetTopicAttributesInput struct {
	TopicArn string
	res      resolved
}

type GetTopicAttributesOutput struct {
	Attributes map[string]string
}

type SetTopicAttributesInput struct {
	TopicArn       string
	AttributeName  string
	AttributeValue *string
	res            resolved
}

type SetTopicAttributesOutput struct{}

type SubscribeInput struct {
	TopicArn              string
	Protocol              string
	Endpoint              *string
	Attributes            map[string]string
	ReturnSubscriptionArn bool
	res                   resolved
}

type SubscribeOutput struct {
	SubscriptionArn string
}

type ConfirmSubscriptionInput struct {
	TopicArn                  string
	Token                     string
	AuthenticateOnUnsubscribe *string
	res                       resolved
}

type ConfirmSubscriptionOutput struct {
	SubscriptionArn string
}

type UnsubscribeInput struct {
	SubscriptionArn string
	res             resolved
}

type UnsubscribeOutput struct{}

type ListSubscriptionsInput struct {
	NextToken *string
}

type ListSubscriptionsOutput struct {
	Subscriptions []Subscription
	NextToken     *string
}

// Subscription is one entry of ListSubscriptions and
// ListSubscriptionsByTopic.
type Subscription struct {
	SubscriptionArn string
	Owner           string
	Protocol        string
	Endpoint        string
	TopicArn        string
}

type ListSubscriptionsByTopicInput struct {
	TopicArn  string
	NextToken *string
	res       resolved
}

type ListSubscriptionsByTopicOutput struct {
	Subscriptions []Subscription
	NextToken     *string
}

type GetSubscriptionAttributesInput struct {
	SubscriptionArn string
	res             resolved
}

type GetSubscriptionAttributesOutput struct {
	Attributes map[string]string
}

type SetSubscriptionAttributesInput struct {
	SubscriptionArn string
	AttributeName   string
	AttributeValue  *string
	res             resolved
}

type SetSubscriptionAttributesOutput struct{}

type PublishInput struct {
	TopicArn               *string
	TargetArn              *string
	PhoneNumber            *string
	Message                string
	Subject                *string
	MessageStructure       *string
	MessageAttributes      map[string]MessageAttributeValue
	MessageDeduplicationId *string
	MessageGroupId         *string
	res                    resolved
}

// MessageAttributeValue is one message attribute.
type MessageAttributeValue struct {
	DataType    string
	StringValue *string
	BinaryValue []byte
}

type PublishOutput struct {
	MessageId      string
	SequenceNumber *string
}

type AddPermissionInput struct {
	TopicArn     string
	Label        string
	AWSAccountId []string
	ActionName   []string
	res          resolved
}

type AddPermissionOutput struct{}

type RemovePermissionInput struct {
	TopicArn string
	Label    string
	res      resolved
}

type RemovePermissionOutput struct{}

type TagResourceInput struct {
	ResourceArn string
	Tags        []Tag
	res         resolved
}

type TagResourceOutput struct{}

type UntagResourceInput struct {
	ResourceArn string
	TagKeys     []string
	res         resolved
}

type UntagResourceOutput struct{}

type ListTagsForResourceInput struct {
	ResourceArn string
	res         resolved
}

type ListTagsForResourceOutput struct {
	Tags []Tag
}

func (in *DeleteTopicInput) topicRes() *resolved               { return &in.res }
func (in *GetTopicAttributesInput) topicRes() *resolved        { return &in.res }
func (in *SetTopicAttributesInput) topicRes() *resolved        { return &in.res }
func (in *SubscribeInput) topicRes() *resolved                 { return &in.res }
func (in *ConfirmSubscriptionInput) topicRes() *resolved       { return &in.res }
func (in *UnsubscribeInput) topicRes() *resolved               { return &in.res }
func (in *ListSubscriptionsByTopicInput) topicRes() *resolved  { return &in.res }
func (in *GetSubscriptionAttributesInput) topicRes() *resolved { return &in.res }
func (in *SetSubscriptionAttributesInput) topicRes() *resolved { return &in.res }
func (in *PublishInput) topicRes() *resolved                   { return &in.res }
func (in *AddPermissionInput) topicRes() *resolved             { return &in.res }
func (in *RemovePermissionInput) topicRes() *resolved          { return &in.res }
func (in *TagResourceInput) topicRes() *resolved               { return &in.res }
func (in *UntagResourceInput) topicRes() *resolved             { return &in.res }
func (in *ListTagsForResourceInput) topicRes() *resolved       { return &in.res }
