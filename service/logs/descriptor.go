package logs

import (
	"context"
	"strings"

	"github.com/cairnhq/cairn"
)

// Resources are authorized as CloudWatch Logs names them in its
// AccessDenied messages: group-level actions on
// arn:aws:logs:<region>:<account>:log-group:<name>:log-stream: (which a
// policy's log-group:<name>:* covers), stream-level actions on the
// stream's ARN, DescribeLogGroups on log-group::log-stream:, and the tag
// actions on the group ARN without a suffix. No CloudTrail resources are
// recorded, as AWS records none for CloudWatch Logs.
//
// PutLogEvents, GetLogEvents and FilterLogEvents are data events: AWS does
// not log them as management events, so they stay out of the event history
// and out of trails that log management events only. Events never record
// log messages: only the names, times and patterns of the request.

func groupLevel(region, account, name string) []cairn.Resource {
	return []cairn.Resource{{ARN: GroupARN(region, account, name) + ":log-stream:"}}
}

func streamLevel(region, account, group, stream string) []cairn.Resource {
	return []cairn.Resource{{ARN: StreamARN(region, account, group, stream)}}
}

// named resolves the group an input names, leniently: validation is the
// handler's, authorization only needs an ARN.
func named(c *cairn.Call, name, ident *string) (region, account, group string) {
	region, account = c.Region, c.Account()
	switch {
	case name != nil:
		group = *name
	case ident != nil && strings.HasPrefix(*ident, "arn:"):
		if a, err := cairn.ParseARN(*ident); err == nil {
			region, account = a.Region, a.Account
			group = strings.TrimSuffix(strings.TrimPrefix(a.Resource, "log-group:"), ":*")
		}
	case ident != nil:
		group = *ident
	}
	return region, account, group
}

func byName(name func(any) string) func(*cairn.Call, any) []cairn.Resource {
	return func(c *cairn.Call, in any) []cairn.Resource { return groupLevel(c.Region, c.Account(), name(in)) }
}

// target gives authorization the group's tags (aws:ResourceTag/*); nil
// when the group does not exist, for the handler to report.
func (s *Service) target(ref func(c *cairn.Call, in any) (string, string, string)) func(context.Context, *cairn.Call, any) (*cairn.Target, error) {
	return func(ctx context.Context, c *cairn.Call, in any) (*cairn.Target, error) {
		region, account, name := ref(c, in)
		if account != c.Account() || region != c.Region || name == "" {
			return nil, nil
		}
		g, err := s.group(ctx, groupRef{account, region, name})
		if isResourceNotFound(err) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return &cairn.Target{Tags: g.Tags}, nil
	}
}

func own(name func(any) string) func(*cairn.Call, any) (string, string, string) {
	return func(c *cairn.Call, in any) (string, string, string) { return c.Region, c.Account(), name(in) }
}

func (s *Service) descriptor() *cairn.Service {
	// group and stream complete a row for an operation on a group (by
	// name) or on a stream.
	group := func(op cairn.Operation, name func(any) string) cairn.Operation {
		op.Resources = byName(name)
		op.Target = s.target(own(name))
		return op
	}
	identified := func(op cairn.Operation, ref func(c *cairn.Call, in any) (string, string, string)) cairn.Operation {
		op.Resources = func(c *cairn.Call, in any) []cairn.Resource { return groupLevel(ref(c, in)) }
		op.Target = s.target(ref)
		return op
	}
	stream := func(op cairn.Operation, ref func(c *cairn.Call, in any) (string, string, string), st func(any) string) cairn.Operation {
		op.Resources = func(c *cairn.Call, in any) []cairn.Resource {
			region, account, g := ref(c, in)
			return streamLevel(region, account, g, st(in))
		}
		op.Target = s.target(ref)
		return op
	}
	tagged := func(op cairn.Operation, arn func(any) string) cairn.Operation {
		op.Resources = func(_ *cairn.Call, in any) []cairn.Resource { return []cairn.Resource{{ARN: arn(in)}} }
		op.Target = s.target(func(c *cairn.Call, in any) (string, string, string) { return named(c, nil, ptr(arn(in))) })
		return op
	}
	allGroups := func(c *cairn.Call, _ any) []cairn.Resource { return groupLevel(c.Region, c.Account(), "") }

	return &cairn.Service{
		Name:        "logs",
		EventSource: "logs.amazonaws.com",
		APIVersion:  "20140328",
		Operations: []cairn.Operation{
			// Log groups.
			cairn.Define(group(cairn.Operation{
				Name: "CreateLogGroup", Action: "logs:CreateLogGroup",
				// Tags at creation need logs:TagResource too, as on AWS.
				MoreActions: cairn.OnActions(func(_ *cairn.Call, in *CreateLogGroupInput) []string {
					if len(in.Tags) > 0 {
						return []string{"logs:TagResource"}
					}
					return nil
				}),
				Request: []string{"LogGroupName", "KmsKeyId", "Tags", "LogGroupClass", "DeletionProtectionEnabled"},
			}, func(in any) string { return in.(*CreateLogGroupInput).LogGroupName }), s.CreateLogGroup),
			cairn.Define(group(cairn.Operation{
				Name: "DeleteLogGroup", Action: "logs:DeleteLogGroup",
				Request: []string{"LogGroupName"},
			}, func(in any) string { return in.(*DeleteLogGroupInput).LogGroupName }), s.DeleteLogGroup),
			cairn.Define(cairn.Operation{
				Name: "DescribeLogGroups", Action: "logs:DescribeLogGroups", ReadOnly: true,
				Resources: allGroups,
				Request: []string{"AccountIdentifiers", "LogGroupNamePrefix", "LogGroupNamePattern", "Limit",
					"IncludeLinkedAccounts", "LogGroupClass", "LogGroupIdentifiers"},
			}, s.DescribeLogGroups),
			cairn.Define(group(cairn.Operation{
				Name: "PutRetentionPolicy", Action: "logs:PutRetentionPolicy",
				Request: []string{"LogGroupName", "RetentionInDays"},
			}, func(in any) string { return in.(*PutRetentionPolicyInput).LogGroupName }), s.PutRetentionPolicy),
			cairn.Define(group(cairn.Operation{
				Name: "DeleteRetentionPolicy", Action: "logs:DeleteRetentionPolicy",
				Request: []string{"LogGroupName"},
			}, func(in any) string { return in.(*DeleteRetentionPolicyInput).LogGroupName }), s.DeleteRetentionPolicy),

			// Log streams.
			cairn.Define(stream(cairn.Operation{
				Name: "CreateLogStream", Action: "logs:CreateLogStream",
				Request: []string{"LogGroupName", "LogStreamName"},
			}, own(func(in any) string { return in.(*CreateLogStreamInput).LogGroupName }),
				func(in any) string { return in.(*CreateLogStreamInput).LogStreamName }), s.CreateLogStream),
			cairn.Define(stream(cairn.Operation{
				Name: "DeleteLogStream", Action: "logs:DeleteLogStream",
				Request: []string{"LogGroupName", "LogStreamName"},
			}, own(func(in any) string { return in.(*DeleteLogStreamInput).LogGroupName }),
				func(in any) string { return in.(*DeleteLogStreamInput).LogStreamName }), s.DeleteLogStream),
			cairn.Define(identified(cairn.Operation{
				Name: "DescribeLogStreams", Action: "logs:DescribeLogStreams", ReadOnly: true,
				Request: []string{"LogGroupName", "LogGroupIdentifier", "LogStreamNamePrefix", "OrderBy", "Descending", "Limit"},
			}, func(c *cairn.Call, in any) (string, string, string) {
				i := in.(*DescribeLogStreamsInput)
				return named(c, i.LogGroupName, i.LogGroupIdentifier)
			}), s.DescribeLogStreams),

			// Log events.
			cairn.Define(stream(cairn.Operation{
				Name: "PutLogEvents", Action: "logs:PutLogEvents", Data: true,
				Request:  []string{"LogGroupName", "LogStreamName"},
				Response: []string{"RejectedLogEventsInfo"},
			}, own(func(in any) string { return in.(*PutLogEventsInput).LogGroupName }),
				func(in any) string { return in.(*PutLogEventsInput).LogStreamName }), s.PutLogEvents),
			cairn.Define(stream(cairn.Operation{
				Name: "GetLogEvents", Action: "logs:GetLogEvents", Data: true, ReadOnly: true,
				Request: []string{"LogGroupName", "LogGroupIdentifier", "LogStreamName", "StartTime", "EndTime", "Limit", "StartFromHead"},
			}, func(c *cairn.Call, in any) (string, string, string) {
				i := in.(*GetLogEventsInput)
				return named(c, i.LogGroupName, i.LogGroupIdentifier)
			}, func(in any) string { return in.(*GetLogEventsInput).LogStreamName }), s.GetLogEvents),
			cairn.Define(identified(cairn.Operation{
				Name: "FilterLogEvents", Action: "logs:FilterLogEvents", Data: true, ReadOnly: true,
				Request: []string{"LogGroupName", "LogGroupIdentifier", "LogStreamNames", "LogStreamNamePrefix",
					"StartTime", "EndTime", "FilterPattern", "Limit", "Interleaved"},
			}, func(c *cairn.Call, in any) (string, string, string) {
				i := in.(*FilterLogEventsInput)
				return named(c, i.LogGroupName, i.LogGroupIdentifier)
			}), s.FilterLogEvents),

			// Tags.
			cairn.Define(tagged(cairn.Operation{
				Name: "TagResource", Action: "logs:TagResource",
				Request: []string{"ResourceArn", "Tags"},
			}, func(in any) string { return in.(*TagResourceInput).ResourceArn }), s.TagResource),
			cairn.Define(tagged(cairn.Operation{
				Name: "UntagResource", Action: "logs:UntagResource",
				Request: []string{"ResourceArn", "TagKeys"},
			}, func(in any) string { return in.(*UntagResourceInput).ResourceArn }), s.UntagResource),
			cairn.Define(tagged(cairn.Operation{
				Name: "ListTagsForResource", Action: "logs:ListTagsForResource", ReadOnly: true,
				Request: []string{"ResourceArn"},
			}, func(in any) string { return in.(*ListTagsForResourceInput).ResourceArn }), s.ListTagsForResource),
			cairn.Define(group(cairn.Operation{
				Name: "TagLogGroup", Action: "logs:TagLogGroup",
				Request: []string{"LogGroupName", "Tags"},
			}, func(in any) string { return in.(*TagLogGroupInput).LogGroupName }), s.TagLogGroup),
			cairn.Define(group(cairn.Operation{
				Name: "UntagLogGroup", Action: "logs:UntagLogGroup",
				Request: []string{"LogGroupName", "Tags"},
			}, func(in any) string { return in.(*UntagLogGroupInput).LogGroupName }), s.UntagLogGroup),
			cairn.Define(group(cairn.Operation{
				Name: "ListTagsLogGroup", Action: "logs:ListTagsLogGroup", ReadOnly: true,
				Request: []string{"LogGroupName"},
			}, func(in any) string { return in.(*ListTagsLogGroupInput).LogGroupName }), s.ListTagsLogGroup),

			// Metric filters.
			cairn.Define(group(cairn.Operation{
				Name: "PutMetricFilter", Action: "logs:PutMetricFilter",
				Request: []string{"LogGroupName", "FilterName", "FilterPattern", "MetricTransformations", "ApplyOnTransformedLogs"},
			}, func(in any) string { return in.(*PutMetricFilterInput).LogGroupName }), s.PutMetricFilter),
			cairn.Define(cairn.Operation{
				Name: "DescribeMetricFilters", Action: "logs:DescribeMetricFilters", ReadOnly: true,
				Resources: cairn.On(func(c *cairn.Call, in *DescribeMetricFiltersInput) []cairn.Resource {
					if in.LogGroupName == nil {
						return allGroups(c, in)
					}
					return groupLevel(c.Region, c.Account(), *in.LogGroupName)
				}),
				Request: []string{"LogGroupName", "FilterNamePrefix", "Limit", "MetricName", "MetricNamespace"},
			}, s.DescribeMetricFilters),
			cairn.Define(group(cairn.Operation{
				Name: "DeleteMetricFilter", Action: "logs:DeleteMetricFilter",
				Request: []string{"LogGroupName", "FilterName"},
			}, func(in any) string { return in.(*DeleteMetricFilterInput).LogGroupName }), s.DeleteMetricFilter),
			cairn.Define(cairn.Operation{
				Name: "TestMetricFilter", Action: "logs:TestMetricFilter", ReadOnly: true,
				// The sample messages are never recorded.
				Request: []string{"FilterPattern"},
			}, s.TestMetricFilter),
		},
	}
}

func ptr[T any](v T) *T { return &v }
