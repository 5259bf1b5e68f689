package cloudtrail

import "time"

// Wire shapes of the trail API. Go field names are the members of the
// botocore model (cloudtrail 2013-11-01); DescribeTrails' lowerCamel
// members are renamed by the JSON adapter.

// Tag is a trail tag. A tag added without a value keeps a null value.
type Tag struct {
	Key   string
	Value *string
}

// DataResource selects data events of one resource type.
type DataResource struct {
	Type   string
	Values []string
}

// EventSelector is a basic event selector.
type EventSelector struct {
	ReadWriteType                 string
	IncludeManagementEvents       *bool
	DataResources                 []DataResource
	ExcludeManagementEventSources []string
}

// AdvancedFieldSelector is one condition of an advanced event selector.
type AdvancedFieldSelector struct {
	Field         string
	Equals        []string
	StartsWith    []string
	EndsWith      []string
	NotEquals     []string
	NotStartsWith []string
	NotEndsWith   []string
}

// AdvancedEventSelector is an advanced event selector: its field selectors
// must all hold.
type AdvancedEventSelector struct {
	Name           *string
	FieldSelectors []AdvancedFieldSelector
}

// InsightSelector enables one Insights type.
type InsightSelector struct {
	InsightType     string
	EventCategories []string
}

// TrailDescription is the model's Trail structure (GetTrail,
// DescribeTrails).
type TrailDescription struct {
	Name                       string
	S3BucketName               string
	S3KeyPrefix                string
	SnsTopicName               string
	SnsTopicARN                string
	IncludeGlobalServiceEvents bool
	IsMultiRegionTrail         bool
	HomeRegion                 string
	TrailARN                   string
	LogFileValidationEnabled   bool
	CloudWatchLogsLogGroupArn  string
	CloudWatchLogsRoleArn      string
	KmsKeyId                   string
	HasCustomEventSelectors    bool
	HasInsightSelectors        bool
	IsOrganizationTrail        bool
}

// TrailInfo is a ListTrails entry.
type TrailInfo struct {
	TrailARN   string
	Name       string
	HomeRegion string
}

// CreateTrailInput is the CreateTrail request.
type CreateTrailInput struct {
	Name                       string
	S3BucketName               string
	S3KeyPrefix                *string
	SnsTopicName               *string
	IncludeGlobalServiceEvents *bool
	IsMultiRegionTrail         *bool
	EnableLogFileValidation    *bool
	CloudWatchLogsLogGroupArn  *string
	CloudWatchLogsRoleArn      *string
	KmsKeyId                   *string
	IsOrganizationTrail        *bool
	TagsList                   []Tag
}

// TrailOutput is the CreateTrail and UpdateTrail response: the trail
// without HomeRegion and the Has* flags.
type TrailOutput struct {
	Name                       string
	S3BucketName               string
	S3KeyPrefix                string
	SnsTopicName               string
	SnsTopicARN                string
	IncludeGlobalServiceEvents bool
	IsMultiRegionTrail         bool
	TrailARN                   string
	LogFileValidationEnabled   bool
	CloudWatchLogsLogGroupArn  string
	CloudWatchLogsRoleArn      string
	KmsKeyId                   string
	IsOrganizationTrail        bool
}

// CreateTrailOutput is the CreateTrail response.
type CreateTrailOutput = TrailOutput

// UpdateTrailInput is the UpdateTrail request; nil members are left as
// they are, and an empty string removes an optional destination.
type UpdateTrailInput struct {
	Name                       string
	S3BucketName               *string
	S3KeyPrefix                *string
	SnsTopicName               *string
	IncludeGlobalServiceEvents *bool
	IsMultiRegionTrail         *bool
	EnableLogFileValidation    *bool
	CloudWatchLogsLogGroupArn  *string
	CloudWatchLogsRoleArn      *string
	KmsKeyId                   *string
	IsOrganizationTrail        *bool
}

// UpdateTrailOutput is the UpdateTrail response.
type UpdateTrailOutput = TrailOutput

// DeleteTrailInput is the DeleteTrail request.
type DeleteTrailInput struct{ Name string }

// DeleteTrailOutput is empty.
type DeleteTrailOutput struct{}

// GetTrailInput is the GetTrail request.
type GetTrailInput struct{ Name string }

// GetTrailOutput is the GetTrail response.
type GetTrailOutput struct{ Trail *TrailDescription }

// DescribeTrailsInput is the DescribeTrails request (lowerCamel on the
// wire: trailNameList, includeShadowTrails).
type DescribeTrailsInput struct {
	TrailNameList       []string
	IncludeShadowTrails *bool
}

// DescribeTrailsOutput is the DescribeTrails response (trailList).
type DescribeTrailsOutput struct{ TrailList []TrailDescription }

// ListTrailsInput is the ListTrails request.
type ListTrailsInput struct{ NextToken *string }

// ListTrailsOutput is one page of trails.
type ListTrailsOutput struct {
	Trails    []TrailInfo
	NextToken *string
}

// GetTrailStatusInput is the GetTrailStatus request.
type GetTrailStatusInput struct{ Name string }

// GetTrailStatusOutput is every member of the model's
// GetTrailStatusResponse. The six string members AWS documents as no longer
// in use are still returned ("" when unknown), as AWS does.
type GetTrailStatusOutput struct {
	IsLogging                          bool
	LatestDeliveryError                string
	LatestNotificationError            string
	LatestDeliveryTime                 *time.Time
	LatestNotificationTime             *time.Time
	StartLoggingTime                   *time.Time
	StopLoggingTime                    *time.Time
	LatestCloudWatchLogsDeliveryError  string
	LatestCloudWatchLogsDeliveryTime   *time.Time
	LatestDigestDeliveryTime           *time.Time
	LatestDigestDeliveryError          string
	LatestDeliveryAttemptTime          *string
	LatestNotificationAttemptTime      *string
	LatestNotificationAttemptSucceeded *string
	LatestDeliveryAttemptSucceeded     *string
	TimeLoggingStarted                 *string
	TimeLoggingStopped                 *string
}

// StartLoggingInput is the StartLogging request.
type StartLoggingInput struct{ Name string }

// StartLoggingOutput is empty.
type StartLoggingOutput struct{}

// StopLoggingInput is the StopLogging request.
type StopLoggingInput struct{ Name string }

// StopLoggingOutput is empty.
type StopLoggingOutput struct{}

// PutEventSelectorsInput is the PutEventSelectors request.
type PutEventSelectorsInput struct {
	TrailName              string
	EventSelectors         []EventSelector
	AdvancedEventSelectors []AdvancedEventSelector
}

// PutEventSelectorsOutput is the PutEventSelectors response.
type PutEventSelectorsOutput struct {
	TrailARN               string
	EventSelectors         []EventSelector
	AdvancedEventSelectors []AdvancedEventSelector
}

// GetEventSelectorsInput is the GetEventSelectors request.
type GetEventSelectorsInput struct{ TrailName string }

// GetEventSelectorsOutput is the GetEventSelectors response.
type GetEventSelectorsOutput struct {
	TrailARN               string
	EventSelectors         []EventSelector
	AdvancedEventSelectors []AdvancedEventSelector
}

// PutInsightSelectorsInput is the PutInsightSelectors request.
type PutInsightSelectorsInput struct {
	TrailName           *string
	InsightSelectors    []InsightSelector
	EventDataStore      *string
	InsightsDestination *string
}

// PutInsightSelectorsOutput is the PutInsightSelectors response.
type PutInsightSelectorsOutput struct {
	TrailARN            string
	InsightSelectors    []InsightSelector
	EventDataStoreArn   string
	InsightsDestination string
}

// GetInsightSelectorsInput is the GetInsightSelectors request.
type GetInsightSelectorsInput struct {
	TrailName      *string
	EventDataStore *string
}

// GetInsightSelectorsOutput is the GetInsightSelectors response.
type GetInsightSelectorsOutput struct {
	TrailARN            string
	InsightSelectors    []InsightSelector
	EventDataStoreArn   string
	InsightsDestination string
}

// AddTagsInput is the AddTags request.
type AddTagsInput struct {
	ResourceId string
	TagsList   []Tag
}

// AddTagsOutput is empty.
type AddTagsOutput struct{}

// RemoveTagsInput is the RemoveTags request.
type RemoveTagsInput struct {
	ResourceId string
	TagsList   []Tag
}

// RemoveTagsOutput is empty.
type RemoveTagsOutput struct{}

// ListTagsInput is the ListTags request.
type ListTagsInput struct {
	ResourceIdList []string
	NextToken      *string
}

// ResourceTag is the tags of one resource.
type ResourceTag struct {
	ResourceId string
	TagsList   []Tag
}

// ListTagsOutput is the ListTags response.
type ListTagsOutput struct {
	ResourceTagList []ResourceTag
	NextToken       *string
}
