package cloudtrail

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// Store tables. A trail is one JSON value keyed by its account, home region
// and name (names are unique per account and region, case-sensitively, as
// in AWS); its delivery status, which the delivery engine updates often, is
// a separate value keyed by the trail ARN so that it never rewrites the
// configuration.
const (
	tblTrails = "cloudtrail_trails"       // <account>/<home region>/<name>
	tblStatus = "cloudtrail_trail_status" // <trail ARN>
)

func trailKey(account, region, name string) string { return account + "/" + region + "/" + name }

// trailRec is a stored trail: its configuration, selectors, tags and
// logging state.
type trailRec struct {
	Account      string                  `json:"account"`
	Region       string                  `json:"region"` // home region
	Name         string                  `json:"name"`
	Bucket       string                  `json:"bucket"`
	Prefix       string                  `json:"prefix,omitempty"`
	Topic        string                  `json:"topic,omitempty"`    // as given: name or ARN
	TopicARN     string                  `json:"topicArn,omitempty"` // resolved by the topic check
	Global       bool                    `json:"global"`
	MultiRegion  bool                    `json:"multiRegion"`
	Validation   bool                    `json:"validation"`
	Organization bool                    `json:"organization"`
	OrgID        string                  `json:"orgId,omitempty"`
	LogGroup     string                  `json:"logGroup,omitempty"`
	LogRole      string                  `json:"logRole,omitempty"`
	KeyARN       string                  `json:"keyArn,omitempty"`
	Custom       bool                    `json:"custom"` // HasCustomEventSelectors
	Selectors    []EventSelector         `json:"selectors,omitempty"`
	Advanced     []AdvancedEventSelector `json:"advanced,omitempty"`
	Insights     []InsightSelector       `json:"insights,omitempty"`
	Tags         []Tag                   `json:"tags,omitempty"`
	Logging      bool                    `json:"logging"`
	Started      *time.Time              `json:"started,omitempty"`
	Stopped      *time.Time              `json:"stopped,omitempty"`
	Created      time.Time               `json:"created"`
}

func (r *trailRec) key() string { return trailKey(r.Account, r.Region, r.Name) }
func (r *trailRec) arn() string { return TrailARN(r.Region, r.Account, r.Name) }

// covers reports whether the trail logs events of region.
func (r *trailRec) covers(region string) bool { return r.Region == region || r.MultiRegion }

// statusRec is what the delivery engine reports about a trail.
type statusRec struct {
	DeliveryTime    *time.Time `json:"deliveryTime,omitempty"` // latest successful log delivery
	DeliveryError   string     `json:"deliveryError,omitempty"`
	DeliveryAttempt *time.Time `json:"deliveryAttempt,omitempty"`
	// Skipped counts the events skipped past RedeliveryWindow since the
	// last successful delivery, recorded from SkippedFrom to SkippedTo.
	Skipped             int        `json:"skipped,omitempty"`
	SkippedFrom         *time.Time `json:"skippedFrom,omitempty"`
	SkippedTo           *time.Time `json:"skippedTo,omitempty"`
	NotificationTime    *time.Time `json:"notificationTime,omitempty"`
	NotificationError   string     `json:"notificationError,omitempty"`
	NotificationAttempt *time.Time `json:"notificationAttempt,omitempty"`
	CloudWatchLogsTime  *time.Time `json:"cwlTime,omitempty"`
	CloudWatchLogsError string     `json:"cwlError,omitempty"`
	DigestTime          *time.Time `json:"digestTime,omitempty"`
	DigestError         string     `json:"digestError,omitempty"`
}

// defaultSelectors is the selector of a trail that was never given any:
// all read and write management events, no data events.
func defaultSelectors() []EventSelector {
	return []EventSelector{{ReadWriteType: ReadWriteAll, IncludeManagementEvents: ptr(true), DataResources: []DataResource{}, ExcludeManagementEventSources: []string{}}}
}

// basic returns the trail's basic selectors: the default when it has
// neither kind, none when it uses advanced selectors.
func (r *trailRec) basic() []EventSelector {
	if len(r.Advanced) > 0 {
		return nil
	}
	if len(r.Selectors) == 0 {
		return defaultSelectors()
	}
	return r.Selectors
}

func (r *trailRec) description() TrailDescription {
	return TrailDescription{
		Name: r.Name, S3BucketName: r.Bucket, S3KeyPrefix: r.Prefix, SnsTopicName: topicName(r), SnsTopicARN: r.TopicARN,
		IncludeGlobalServiceEvents: r.Global, IsMultiRegionTrail: r.MultiRegion, HomeRegion: r.Region, TrailARN: r.arn(),
		LogFileValidationEnabled: r.Validation, CloudWatchLogsLogGroupArn: r.LogGroup, CloudWatchLogsRoleArn: r.LogRole,
		KmsKeyId: r.KeyARN, HasCustomEventSelectors: r.Custom, HasInsightSelectors: len(r.Insights) > 0,
		IsOrganizationTrail: r.Organization,
	}
}

func (r *trailRec) output() *TrailOutput {
	return &TrailOutput{
		Name: r.Name, S3BucketName: r.Bucket, S3KeyPrefix: r.Prefix, SnsTopicName: topicName(r), SnsTopicARN: r.TopicARN,
		IncludeGlobalServiceEvents: r.Global, IsMultiRegionTrail: r.MultiRegion, TrailARN: r.arn(),
		LogFileValidationEnabled: r.Validation, CloudWatchLogsLogGroupArn: r.LogGroup, CloudWatchLogsRoleArn: r.LogRole,
		KmsKeyId: r.KeyARN, IsOrganizationTrail: r.Organization,
	}
}

// topicName is the deprecated SnsTopicName member: the topic's name.
func topicName(r *trailRec) string {
	if r.TopicARN != "" {
		return r.TopicARN[strings.LastIndexByte(r.TopicARN, ':')+1:]
	}
	return r.Topic
}

// Trail is a trail's complete configuration, as the delivery engine needs
// it. Selectors are normalized: a trail never given selectors has the
// default one (all management events).
type Trail struct {
	Account                    string
	Name                       string
	HomeRegion                 string
	ARN                        string
	S3BucketName               string
	S3KeyPrefix                string
	SnsTopicARN                string
	IncludeGlobalServiceEvents bool
	IsMultiRegionTrail         bool
	LogFileValidationEnabled   bool
	IsOrganizationTrail        bool
	// OrganizationID is the organization whose member accounts an
	// organization trail logs ("" otherwise).
	OrganizationID            string
	CloudWatchLogsLogGroupArn string
	CloudWatchLogsRoleArn     string
	KmsKeyArn                 string // "" when log files use SSE-S3
	// EventSelectors and AdvancedEventSelectors: exactly one of them is
	// non-empty.
	EventSelectors         []EventSelector
	AdvancedEventSelectors []AdvancedEventSelector
	InsightSelectors       []InsightSelector
	Tags                   []Tag
	IsLogging              bool
	// StartLoggingTime and StopLoggingTime are the latest StartLogging and
	// StopLogging calls (zero when never).
	StartLoggingTime time.Time
	StopLoggingTime  time.Time
	Created          time.Time
}

func (r *trailRec) trail() Trail {
	t := Trail{
		Account: r.Account, Name: r.Name, HomeRegion: r.Region, ARN: r.arn(), S3BucketName: r.Bucket, S3KeyPrefix: r.Prefix,
		SnsTopicARN: r.TopicARN, IncludeGlobalServiceEvents: r.Global, IsMultiRegionTrail: r.MultiRegion,
		LogFileValidationEnabled: r.Validation, IsOrganizationTrail: r.Organization, OrganizationID: r.OrgID,
		CloudWatchLogsLogGroupArn: r.LogGroup, CloudWatchLogsRoleArn: r.LogRole, KmsKeyArn: r.KeyARN,
		EventSelectors: r.basic(), AdvancedEventSelectors: r.Advanced, InsightSelectors: r.Insights, Tags: r.Tags,
		IsLogging: r.Logging, Created: r.Created,
	}
	if r.Started != nil {
		t.StartLoggingTime = *r.Started
	}
	if r.Stopped != nil {
		t.StopLoggingTime = *r.Stopped
	}
	return t
}

// Trails returns every trail of every account with its full configuration,
// ordered by account, home region and name. It is the delivery engine's
// view of the trails; it reads one consistent snapshot.
func (s *Service) Trails(ctx context.Context) ([]Trail, error) {
	var out []Trail
	err := s.view(ctx, func(tx store.Tx) error {
		return tx.Scan(tblTrails, "", "", 0, func(k string, v []byte) error {
			var r trailRec
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("decode trail %s: %w", k, err)
			}
			out = append(out, r.trail())
			return nil
		})
	})
	if err != nil {
		return nil, errorf("list trails: %w", err)
	}
	return out, nil
}

func isNotFound(err error) bool { return errors.Is(err, cairn.ErrNotFound) }

// loadTrail returns the trail under its key, or nil when there is none.
func loadTrail(tx store.Tx, account, region, name string) (*trailRec, error) {
	var r trailRec
	if err := store.GetJSON(tx, tblTrails, trailKey(account, region, name), &r); err != nil {
		if isNotFound(err) {
			return nil, nil
		}
		return nil, err
	}
	return &r, nil
}

// accountTrails returns every trail of account, all home regions, ordered
// by key.
func accountTrails(tx store.Tx, account string) ([]*trailRec, error) {
	var out []*trailRec
	err := tx.Scan(tblTrails, account+"/", "", 0, func(k string, v []byte) error {
		var r trailRec
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("decode trail %s: %w", k, err)
		}
		out = append(out, &r)
		return nil
	})
	return out, err
}

func sortByARN(ts []*trailRec) {
	sort.Slice(ts, func(i, j int) bool { return ts[i].arn() < ts[j].arn() })
}

func ptr[T any](v T) *T { return &v }

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func boolOr(p *bool, def bool) bool {
	if p == nil {
		return def
	}
	return *p
}
