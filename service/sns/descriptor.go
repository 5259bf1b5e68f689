package sns

import (
	"context"

	"github.com/cairnhq/cairn"
)

// hidden is what events show for message bodies and subjects, which are
// customer data and never recorded.
const hidden = "HIDDEN_DUE_TO_SECURITY_REASONS"

func (s *Service) descriptor() *cairn.Service {
	// onTopic names the topic of member as Target, resource and recipient.
	onTopic := func(op cairn.Operation, arnOf func(any) string, member string) cairn.Operation {
		op.Target = func(ctx context.Context, c *cairn.Call, in any) (*cairn.Target, error) {
			ti, ok := in.(topicInput)
			if !ok {
				return nil, nil
			}
			return s.topicTarget(ctx, c, member, arnOf(in), ti.topicRes())
		}
		op.Resources = func(_ *cairn.Call, in any) []cairn.Resource { return topicResources(arnOf(in)) }
		op.Recipients = recipientsOf
		return op
	}
	onSubscription := func(op cairn.Operation, arnOf func(any) string) cairn.Operation {
		op.Resources = func(_ *cairn.Call, in any) []cairn.Resource { return subscriptionResources(arnOf(in)) }
		op.Recipients = recipientsOf
		return op
	}
	// Publish names its topic by TopicArn or TargetArn, checked its own way.
	publish := onTopic(cairn.Operation{
		Name: "Publish", Action: "sns:Publish", Data: true,
		Parameters: publishParameters,
		Response:   []string{"MessageId"},
	}, arnField[PublishInput](publishTarget), "TopicArn")
	publish.Target = cairn.OnTarget(s.publishTargetOf)
	return &cairn.Service{
		Name:        "sns",
		EventSource: "sns.amazonaws.com",
		Operations: []cairn.Operation{
			// Topics.
			cairn.Define(cairn.Operation{
				Name: "CreateTopic", Action: "sns:CreateTopic",
				Resources: cairn.On(func(c *cairn.Call, in *CreateTopicInput) []cairn.Resource {
					if !validTopicName(in.Name) {
						return nil
					}
					return topicResources(topicARNOf(c.Region, c.Account(), in.Name))
				}),
				Request:  []string{"Name", "Attributes", "Tags", "DataProtectionPolicy"},
				Response: []string{"TopicArn"},
			}, s.CreateTopic),
			cairn.Define(onTopic(cairn.Operation{
				Name: "DeleteTopic", Action: "sns:DeleteTopic", Request: []string{"TopicArn"},
			}, arnField[DeleteTopicInput](func(in *DeleteTopicInput) string { return in.TopicArn }), "TopicArn"), s.DeleteTopic),
			cairn.Define(cairn.Operation{
				Name: "ListTopics", Action: "sns:ListTopics", ReadOnly: true, Request: []string{"NextToken"},
			}, s.ListTopics),
			cairn.Define(onTopic(cairn.Operation{
				Name: "GetTopicAttributes", Action: "sns:GetTopicAttributes", ReadOnly: true, Request: []string{"TopicArn"},
			}, arnField[GetTopicAttributesInput](func(in *GetTopicAttributesInput) string { return in.TopicArn }), "TopicArn"), s.GetTopicAttributes),
			cairn.Define(onTopic(cairn.Operation{
				Name: "SetTopicAttributes", Action: "sns:SetTopicAttributes",
				Request: []string{"TopicArn", "AttributeName", "AttributeValue"},
			}, arnField[SetTopicAttributesInput](func(in *SetTopicAttributesInput) string { return in.TopicArn }), "TopicArn"), s.SetTopicAttributes),

			// Subscriptions.
			cairn.Define(onTopic(cairn.Operation{
				Name: "Subscribe", Action: "sns:Subscribe",
				Conditions: cairn.OnConditions(func(_ *cairn.Call, in *SubscribeInput) map[string][]string {
					m := map[string][]string{"sns:protocol": {in.Protocol}}
					if in.Endpoint != nil {
						m["sns:endpoint"] = []string{*in.Endpoint}
					}
					return m
				}),
				Parameters: func(_ *cairn.Call, in any) map[string]any {
					sin, _ := in.(*SubscribeInput)
					if sin == nil {
						return nil
					}
					m := map[string]any{"topicArn": sin.TopicArn, "protocol": sin.Protocol, "returnSubscriptionArn": sin.ReturnSubscriptionArn}
					if sin.Endpoint != nil {
						m["endpoint"] = maskEndpoint(*sin.Endpoint)
					}
					if len(sin.Attributes) > 0 {
						m["attributes"] = sin.Attributes
					}
					return m
				},
				Response: []string{"SubscriptionArn"},
			}, arnField[SubscribeInput](func(in *SubscribeInput) string { return in.TopicArn }), "TopicArn"), s.Subscribe),
			cairn.Define(cairn.Operation{
				// The token is the caller's credential: never recorded.
				Name: "ConfirmSubscription", Action: "sns:ConfirmSubscription",
				Target: cairn.OnTarget(s.confirmTarget),
				Resources: cairn.On(func(_ *cairn.Call, in *ConfirmSubscriptionInput) []cairn.Resource {
					return topicResources(in.TopicArn)
				}),
				Recipients: recipientsOf,
				Request:    []string{"TopicArn", "AuthenticateOnUnsubscribe"},
				Response:   []string{"SubscriptionArn"},
			}, s.ConfirmSubscription),
			cairn.Define(onSubscription(cairn.Operation{
				Name: "Unsubscribe", Action: "sns:Unsubscribe",
				Target:  cairn.OnTarget(s.unsubscribeTarget),
				Request: []string{"SubscriptionArn"},
			}, arnField[UnsubscribeInput](func(in *UnsubscribeInput) string { return in.SubscriptionArn })), s.Unsubscribe),
			cairn.Define(cairn.Operation{
				Name: "ListSubscriptions", Action: "sns:ListSubscriptions", ReadOnly: true, Request: []string{"NextToken"},
			}, s.ListSubscriptions),
			cairn.Define(onTopic(cairn.Operation{
				Name: "ListSubscriptionsByTopic", Action: "sns:ListSubscriptionsByTopic", ReadOnly: true,
				Request: []string{"TopicArn", "NextToken"},
			}, arnField[ListSubscriptionsByTopicInput](func(in *ListSubscriptionsByTopicInput) string { return in.TopicArn }), "TopicArn"),
				s.ListSubscriptionsByTopic),
			cairn.Define(onSubscription(cairn.Operation{
				Name: "GetSubscriptionAttributes", Action: "sns:GetSubscriptionAttributes", ReadOnly: true,
				Target: cairn.OnTarget(func(ctx context.Context, c *cairn.Call, in *GetSubscriptionAttributesInput) (*cairn.Target, error) {
					_, err := s.subscriptionTarget(ctx, c, in.SubscriptionArn, &in.res)
					return nil, err
				}),
				Request: []string{"SubscriptionArn"},
			}, arnField[GetSubscriptionAttributesInput](func(in *GetSubscriptionAttributesInput) string { return in.SubscriptionArn })),
				s.GetSubscriptionAttributes),
			cairn.Define(onSubscription(cairn.Operation{
				Name: "SetSubscriptionAttributes", Action: "sns:SetSubscriptionAttributes",
				Target: cairn.OnTarget(func(ctx context.Context, c *cairn.Call, in *SetSubscriptionAttributesInput) (*cairn.Target, error) {
					_, err := s.subscriptionTarget(ctx, c, in.SubscriptionArn, &in.res)
					return nil, err
				}),
				Request: []string{"SubscriptionArn", "AttributeName", "AttributeValue"},
			}, arnField[SetSubscriptionAttributesInput](func(in *SetSubscriptionAttributesInput) string { return in.SubscriptionArn })),
				s.SetSubscriptionAttributes),

			// Publishing: a data event.
			cairn.Define(publish, s.Publish),

			// Topic policies.
			cairn.Define(onTopic(cairn.Operation{
				Name: "AddPermission", Action: "sns:AddPermission",
				Request: []string{"TopicArn", "Label", "AWSAccountId", "ActionName"},
			}, arnField[AddPermissionInput](func(in *AddPermissionInput) string { return in.TopicArn }), "TopicArn"), s.AddPermission),
			cairn.Define(onTopic(cairn.Operation{
				Name: "RemovePermission", Action: "sns:RemovePermission",
				Request: []string{"TopicArn", "Label"},
			}, arnField[RemovePermissionInput](func(in *RemovePermissionInput) string { return in.TopicArn }), "TopicArn"), s.RemovePermission),

			// Tags.
			cairn.Define(onTopic(cairn.Operation{
				Name: "TagResource", Action: "sns:TagResource", Request: []string{"ResourceArn", "Tags"},
			}, arnField[TagResourceInput](func(in *TagResourceInput) string { return in.ResourceArn }), "ResourceArn"), s.TagResource),
			cairn.Define(onTopic(cairn.Operation{
				Name: "UntagResource", Action: "sns:UntagResource", Request: []string{"ResourceArn", "TagKeys"},
			}, arnField[UntagResourceInput](func(in *UntagResourceInput) string { return in.ResourceArn }), "ResourceArn"), s.UntagResource),
			cairn.Define(onTopic(cairn.Operation{
				Name: "ListTagsForResource", Action: "sns:ListTagsForResource", ReadOnly: true, Request: []string{"ResourceArn"},
			}, arnField[ListTagsForResourceInput](func(in *ListTagsForResourceInput) string { return in.ResourceArn }), "ResourceArn"),
				s.ListTagsForResource),
		},
	}
}

// arnField adapts a typed accessor of the ARN an input names.
func arnField[I any](f func(*I) string) func(any) string {
	return func(in any) string {
		typed, ok := in.(*I)
		if !ok || typed == nil {
			return ""
		}
		return f(typed)
	}
}

func recipientsOf(c *cairn.Call, in any) []string {
	ti, ok := in.(topicInput)
	if !ok {
		return nil
	}
	return recipients(c, ti)
}

// publishParameters are a Publish's requestParameters: the topic, never
// the message, subject or attribute values, which are customer data.
func publishParameters(_ *cairn.Call, in any) map[string]any {
	pin, _ := in.(*PublishInput)
	if pin == nil {
		return nil
	}
	m := map[string]any{"message": hidden}
	if pin.TopicArn != nil {
		m["topicArn"] = *pin.TopicArn
	}
	if pin.TargetArn != nil {
		m["targetArn"] = *pin.TargetArn
	}
	if pin.Subject != nil {
		m["subject"] = hidden
	}
	if pin.MessageStructure != nil {
		m["messageStructure"] = *pin.MessageStructure
	}
	return m
}
