// Package cloudtrail is the CloudTrail control plane: event history
// (LookupEvents) and trails: their configuration, selectors, tags and
// logging state, the checks AWS makes before it accepts a trail, and the
// view of the trails (Trails, Trail.Matches) that the delivery engine works
// from.
//
// Trails are stored per account and home region, one JSON value each, with
// a separate status value per trail that the delivery engine updates
// (RecordDelivery and its siblings). A multi-region trail is stored once,
// in its home region, and is seen as a shadow trail from every other
// region.
package cloudtrail

import (
	"context"
	"strings"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// Config is what the service is built from.
type Config struct {
	Store store.Store
	Clock cairn.Clock
	// Retention is how long LookupEvents returns events (90 days).
	Retention time.Duration
	// Destinations checks the bucket and key a trail delivers to. Nil means
	// no bucket exists: the deployment serves no S3, so every trail is
	// refused with S3BucketDoesNotExistException, which is the truth of
	// such a deployment, not a stub.
	Destinations Destinations
	// Organizations tells organization membership, for organization
	// trails; nil means no account is in an organization.
	Organizations Organizations
	// Sealer seals the private halves of the digest signing keys at rest;
	// nil means no digests can be signed and ListPublicKeys fails.
	Sealer cairn.Sealer
}

// Service serves CloudTrail.
type Service struct {
	cfg Config
}

// New builds the CloudTrail service.
func New(cfg Config) *Service {
	if cfg.Retention == 0 {
		cfg.Retention = DefaultRetention
	}
	if cfg.Clock == nil {
		cfg.Clock = cairn.SystemClock{}
	}
	return &Service{cfg: cfg}
}

func (s *Service) view(ctx context.Context, fn func(store.Tx) error) error {
	return s.cfg.Store.View(ctx, fn)
}

func (s *Service) update(ctx context.Context, fn func(store.Tx) error) error {
	return s.cfg.Store.Update(ctx, fn)
}

// now is the call's time.
func (s *Service) now(c *cairn.Call) time.Time {
	if c.Time.IsZero() {
		return s.cfg.Clock.Now().UTC()
	}
	return c.Time.UTC()
}

// TrailResourceType is the CloudTrail resource type of a trail.
const TrailResourceType = "AWS::CloudTrail::Trail"

// trailResource names the trail a Name/TrailName/ResourceId parameter
// refers to: an ARN as given, a name as the ARN it has in the call's region.
func trailResource(c *cairn.Call, nameOrARN string) []cairn.Resource {
	if nameOrARN == "" {
		return nil
	}
	if strings.HasPrefix(nameOrARN, "arn:") {
		name := nameOrARN
		if i := strings.Index(nameOrARN, ":"+trailResourcePrefix); i >= 0 {
			name = nameOrARN[i+1+len(trailResourcePrefix):]
		}
		return []cairn.Resource{{ARN: nameOrARN, Type: TrailResourceType, Name: name}}
	}
	return []cairn.Resource{{ARN: TrailARN(c.Region, c.Account(), nameOrARN), Type: TrailResourceType, Name: nameOrARN}}
}

func onTrail[I any](name func(*I) string) func(*cairn.Call, any) []cairn.Resource {
	return cairn.On(func(c *cairn.Call, in *I) []cairn.Resource { return trailResource(c, name(in)) })
}

// target gives authorization the trail's tags (aws:ResourceTag/…); nil
// when the trail cannot be found (the handler reports it).
func onTarget[I any](s *Service, name func(*I) string) func(context.Context, *cairn.Call, any) (*cairn.Target, error) {
	return cairn.OnTarget(func(ctx context.Context, c *cairn.Call, in *I) (*cairn.Target, error) {
		return s.trailTarget(ctx, c, name(in))
	})
}

func tagConditions(tags []Tag, keysOnly bool) map[string][]string {
	if len(tags) == 0 {
		return nil
	}
	m := map[string][]string{}
	for _, t := range tags {
		if !keysOnly {
			m["aws:requesttag/"+strings.ToLower(t.Key)] = []string{str(t.Value)}
		}
		m["aws:tagkeys"] = append(m["aws:tagkeys"], t.Key)
	}
	return m
}

// Members recorded in events. CloudTrail records the trail's settings in
// requestParameters and echoes the trail in CreateTrail's and
// UpdateTrail's responseElements; read-only calls record no response.
var (
	trailRequest = []string{"Name", "S3BucketName", "S3KeyPrefix", "SnsTopicName", "IncludeGlobalServiceEvents",
		"IsMultiRegionTrail", "EnableLogFileValidation", "CloudWatchLogsLogGroupArn", "CloudWatchLogsRoleArn",
		"KmsKeyId", "IsOrganizationTrail"}
	trailResponse = []string{"Name", "S3BucketName", "S3KeyPrefix", "SnsTopicName", "SnsTopicARN",
		"IncludeGlobalServiceEvents", "IsMultiRegionTrail", "TrailARN", "LogFileValidationEnabled",
		"CloudWatchLogsLogGroupArn", "CloudWatchLogsRoleArn", "KmsKeyId", "IsOrganizationTrail"}
)

// Descriptor is CloudTrail's operation table.
func (s *Service) Descriptor() *cairn.Service {
	return &cairn.Service{
		Name:        "cloudtrail",
		EventSource: "cloudtrail.amazonaws.com",
		APIVersion:  "",
		Operations: []cairn.Operation{
			cairn.Define(cairn.Operation{
				Name: "LookupEvents", Action: "cloudtrail:LookupEvents", ReadOnly: true,
				Request: []string{"LookupAttributes", "StartTime", "EndTime", "MaxResults", "EventCategory"},
			}, s.LookupEvents),
			cairn.Define(cairn.Operation{
				Name: "CreateTrail", Action: "cloudtrail:CreateTrail",
				Resources: onTrail(func(in *CreateTrailInput) string { return in.Name }),
				Conditions: cairn.OnConditions(func(_ *cairn.Call, in *CreateTrailInput) map[string][]string {
					return tagConditions(in.TagsList, false)
				}),
				Request:  append(append([]string(nil), trailRequest...), "TagsList"),
				Response: trailResponse,
			}, s.CreateTrail),
			cairn.Define(cairn.Operation{
				Name: "UpdateTrail", Action: "cloudtrail:UpdateTrail",
				Resources: onTrail(func(in *UpdateTrailInput) string { return in.Name }),
				Target:    onTarget(s, func(in *UpdateTrailInput) string { return in.Name }),
				Request:   trailRequest,
				Response:  trailResponse,
			}, s.UpdateTrail),
			cairn.Define(cairn.Operation{
				Name: "DeleteTrail", Action: "cloudtrail:DeleteTrail",
				Resources: onTrail(func(in *DeleteTrailInput) string { return in.Name }),
				Target:    onTarget(s, func(in *DeleteTrailInput) string { return in.Name }),
				Request:   []string{"Name"},
			}, s.DeleteTrail),
			cairn.Define(cairn.Operation{
				Name: "GetTrail", Action: "cloudtrail:GetTrail", ReadOnly: true,
				Resources: onTrail(func(in *GetTrailInput) string { return in.Name }),
				Target:    onTarget(s, func(in *GetTrailInput) string { return in.Name }),
				Request:   []string{"Name"},
			}, s.GetTrail),
			cairn.Define(cairn.Operation{
				Name: "DescribeTrails", Action: "cloudtrail:DescribeTrails", ReadOnly: true,
				Request: []string{"TrailNameList", "IncludeShadowTrails"},
			}, s.DescribeTrails),
			cairn.Define(cairn.Operation{
				Name: "ListTrails", Action: "cloudtrail:ListTrails", ReadOnly: true,
				Request: []string{"NextToken"},
			}, s.ListTrails),
			cairn.Define(cairn.Operation{
				Name: "GetTrailStatus", Action: "cloudtrail:GetTrailStatus", ReadOnly: true,
				Resources: onTrail(func(in *GetTrailStatusInput) string { return in.Name }),
				Target:    onTarget(s, func(in *GetTrailStatusInput) string { return in.Name }),
				Request:   []string{"Name"},
			}, s.GetTrailStatus),
			cairn.Define(cairn.Operation{
				Name: "StartLogging", Action: "cloudtrail:StartLogging",
				Resources: onTrail(func(in *StartLoggingInput) string { return in.Name }),
				Target:    onTarget(s, func(in *StartLoggingInput) string { return in.Name }),
				Request:   []string{"Name"},
			}, s.StartLogging),
			cairn.Define(cairn.Operation{
				Name: "StopLogging", Action: "cloudtrail:StopLogging",
				Resources: onTrail(func(in *StopLoggingInput) string { return in.Name }),
				Target:    onTarget(s, func(in *StopLoggingInput) string { return in.Name }),
				Request:   []string{"Name"},
			}, s.StopLogging),
			cairn.Define(cairn.Operation{
				Name: "PutEventSelectors", Action: "cloudtrail:PutEventSelectors",
				Resources: onTrail(func(in *PutEventSelectorsInput) string { return in.TrailName }),
				Target:    onTarget(s, func(in *PutEventSelectorsInput) string { return in.TrailName }),
				Request:   []string{"TrailName", "EventSelectors", "AdvancedEventSelectors"},
				Response:  []string{"TrailARN", "EventSelectors", "AdvancedEventSelectors"},
			}, s.PutEventSelectors),
			cairn.Define(cairn.Operation{
				Name: "GetEventSelectors", Action: "cloudtrail:GetEventSelectors", ReadOnly: true,
				Resources: onTrail(func(in *GetEventSelectorsInput) string { return in.TrailName }),
				Target:    onTarget(s, func(in *GetEventSelectorsInput) string { return in.TrailName }),
				Request:   []string{"TrailName"},
			}, s.GetEventSelectors),
			cairn.Define(cairn.Operation{
				Name: "PutInsightSelectors", Action: "cloudtrail:PutInsightSelectors",
				Resources: onTrail(func(in *PutInsightSelectorsInput) string { return str(in.TrailName) }),
				Target:    onTarget(s, func(in *PutInsightSelectorsInput) string { return str(in.TrailName) }),
				Request:   []string{"TrailName", "InsightSelectors", "EventDataStore", "InsightsDestination"},
				Response:  []string{"TrailARN", "InsightSelectors", "EventDataStoreArn", "InsightsDestination"},
			}, s.PutInsightSelectors),
			cairn.Define(cairn.Operation{
				Name: "GetInsightSelectors", Action: "cloudtrail:GetInsightSelectors", ReadOnly: true,
				Resources: onTrail(func(in *GetInsightSelectorsInput) string { return str(in.TrailName) }),
				Target:    onTarget(s, func(in *GetInsightSelectorsInput) string { return str(in.TrailName) }),
				Request:   []string{"TrailName", "EventDataStore"},
			}, s.GetInsightSelectors),
			cairn.Define(cairn.Operation{
				Name: "AddTags", Action: "cloudtrail:AddTags",
				Resources: onTrail(func(in *AddTagsInput) string { return in.ResourceId }),
				Target:    onTarget(s, func(in *AddTagsInput) string { return in.ResourceId }),
				Conditions: cairn.OnConditions(func(_ *cairn.Call, in *AddTagsInput) map[string][]string {
					return tagConditions(in.TagsList, false)
				}),
				Request: []string{"ResourceId", "TagsList"},
			}, s.AddTags),
			cairn.Define(cairn.Operation{
				Name: "RemoveTags", Action: "cloudtrail:RemoveTags",
				Resources: onTrail(func(in *RemoveTagsInput) string { return in.ResourceId }),
				Target:    onTarget(s, func(in *RemoveTagsInput) string { return in.ResourceId }),
				Conditions: cairn.OnConditions(func(_ *cairn.Call, in *RemoveTagsInput) map[string][]string {
					return tagConditions(in.TagsList, true)
				}),
				Request: []string{"ResourceId", "TagsList"},
			}, s.RemoveTags),
			cairn.Define(cairn.Operation{
				Name: "ListPublicKeys", Action: "cloudtrail:ListPublicKeys", ReadOnly: true,
				Request: []string{"StartTime", "EndTime", "NextToken"},
			}, s.ListPublicKeys),
			cairn.Define(cairn.Operation{
				Name: "ListTags", Action: "cloudtrail:ListTags", ReadOnly: true,
				Resources: cairn.On(func(c *cairn.Call, in *ListTagsInput) []cairn.Resource {
					var rs []cairn.Resource
					for i, id := range in.ResourceIdList {
						if i == MaxListTagsARNs {
							break
						}
						rs = append(rs, trailResource(c, id)...)
					}
					return rs
				}),
				Request: []string{"ResourceIdList", "NextToken"},
			}, s.ListTags),
		},
	}
}
