package logs

// Wire shapes: Go field names are the members of the botocore model
// (logs/2014-03-28) with the first letter raised; the awsjson adapter binds
// them lowerCamel. They carry no tags. Timestamps are milliseconds since
// the epoch (the model's Timestamp is a long). Unexported fields are never
// on the wire nor in an event.

// Empty is the output of operations that return nothing.
type Empty struct{}

// Log groups.

type CreateLogGroupInput struct {
	LogGroupName              string
	KmsKeyId                  *string
	Tags                      map[string]string
	LogGroupClass             *string
	DeletionProtectionEnabled *bool
}

type DeleteLogGroupInput struct {
	LogGroupName string
}

type DescribeLogGroupsInput struct {
	AccountIdentifiers    []string
	LogGroupNamePrefix    *string
	LogGroupNamePattern   *string
	NextToken             *string
	Limit                 *int32
	IncludeLinkedAccounts *bool
	LogGroupClass         *string
	LogGroupIdentifiers   []string
}

// LogGroup describes a log group. Arn has AWS's trailing :*; LogGroupArn
// does not.
type LogGroup struct {
	LogGroupName              string
	CreationTime              int64
	RetentionInDays           *int32
	MetricFilterCount         int32
	Arn                       string
	StoredBytes               int64
	KmsKeyId                  *string
	LogGroupClass             string
	LogGroupArn               string
	DeletionProtectionEnabled bool
}

type DescribeLogGroupsOutput struct {
	LogGroups []LogGroup
	NextToken *string
}

type PutRetentionPolicyInput struct {
	LogGroupName    string
	RetentionInDays *int32
}

type DeleteRetentionPolicyInput struct {
	LogGroupName string
}

// Log streams.

type CreateLogStreamInput struct {
	LogGroupName  string
	LogStreamName string
}

type DeleteLogStreamInput struct {
	LogGroupName  string
	LogStreamName string
}

type DescribeLogStreamsInput struct {
	LogGroupName        *string
	LogGroupIdentifier  *string
	LogStreamNamePrefix *string
	OrderBy             *string
	Descending          *bool
	NextToken           *string
	Limit               *int32
}

// LogStream describes a log stream. StoredBytes is always 0, as AWS has
// reported it since 2019.
type LogStream struct {
	LogStreamName       string
	CreationTime        int64
	FirstEventTimestamp *int64
	LastEventTimestamp  *int64
	LastIngestionTime   *int64
	UploadSequenceToken *string
	Arn                 string
	StoredBytes         int64
}

type DescribeLogStreamsOutput struct {
	LogStreams []LogStream
	NextToken  *string
}

// Log events.

// InputLogEvent is one event of PutLogEvents (and of Append).
type InputLogEvent struct {
	Timestamp int64
	Message   string
}

// InputEvent is an event ingested by Append: the same shape.
type InputEvent = InputLogEvent

// Entity is accepted and ignored: Cairn keeps no entity telemetry.
type Entity struct {
	KeyAttributes map[string]string
	Attributes    map[string]string
}

type PutLogEventsInput struct {
	LogGroupName  string
	LogStreamName string
	LogEvents     []InputLogEvent
	SequenceToken *string
	Entity        *Entity
}

type RejectedLogEventsInfo struct {
	TooNewLogEventStartIndex *int32
	TooOldLogEventEndIndex   *int32
	ExpiredLogEventEndIndex  *int32
}

type PutLogEventsOutput struct {
	NextSequenceToken     *string
	RejectedLogEventsInfo *RejectedLogEventsInfo
}

type GetLogEventsInput struct {
	LogGroupName       *string
	LogGroupIdentifier *string
	LogStreamName      string
	StartTime          *int64
	EndTime            *int64
	NextToken          *string
	Limit              *int32
	StartFromHead      *bool
	Unmask             *bool
}

type OutputLogEvent struct {
	Timestamp     int64
	Message       string
	IngestionTime int64
}

type GetLogEventsOutput struct {
	Events            []OutputLogEvent
	NextForwardToken  *string
	NextBackwardToken *string
}

type FilterLogEventsInput struct {
	LogGroupName        *string
	LogGroupIdentifier  *string
	LogStreamNames      []string
	LogStreamNamePrefix *string
	StartTime           *int64
	EndTime             *int64
	FilterPattern       *string
	NextToken           *string
	Limit               *int32
	Interleaved         *bool
	Unmask              *bool
}

type FilteredLogEvent struct {
	LogStreamName string
	Timestamp     int64
	Message       string
	IngestionTime int64
	EventId       string
}

type SearchedLogStream struct {
	LogStreamName      string
	SearchedCompletely bool
}

type FilterLogEventsOutput struct {
	Events             []FilteredLogEvent
	SearchedLogStreams []SearchedLogStream
	NextToken          *string
}

// Tags.

type TagResourceInput struct {
	ResourceArn string
	Tags        map[string]string
}

type UntagResourceInput struct {
	ResourceArn string
	TagKeys     []string
}

type ListTagsForResourceInput struct {
	ResourceArn string
}

type ListTagsForResourceOutput struct {
	Tags map[string]string
}

type TagLogGroupInput struct {
	LogGroupName string
	Tags         map[string]string
}

type UntagLogGroupInput struct {
	LogGroupName string
	Tags         []string
}

type ListTagsLogGroupInput struct {
	LogGroupName string
}

type ListTagsLogGroupOutput struct {
	Tags map[string]string
}

// Metric filters.

type MetricTransformation struct {
	MetricName      string
	MetricNamespace string
	MetricValue     string
	DefaultValue    *float64
	Dimensions      map[string]string
	Unit            *string
}

type PutMetricFilterInput struct {
	LogGroupName              string
	FilterName                string
	FilterPattern             *string
	MetricTransformations     []MetricTransformation
	ApplyOnTransformedLogs    *bool
	FieldSelectionCriteria    *string
	EmitSystemFieldDimensions []string
}

type DescribeMetricFiltersInput struct {
	LogGroupName     *string
	FilterNamePrefix *string
	NextToken        *string
	Limit            *int32
	MetricName       *string
	MetricNamespace  *string
}

type MetricFilter struct {
	FilterName             string
	FilterPattern          *string
	MetricTransformations  []MetricTransformation
	CreationTime           int64
	LogGroupName           string
	ApplyOnTransformedLogs bool
}

type DescribeMetricFiltersOutput struct {
	MetricFilters []MetricFilter
	NextToken     *string
}

type DeleteMetricFilterInput struct {
	LogGroupName string
	FilterName   string
}

type TestMetricFilterInput struct {
	FilterPattern    *string
	LogEventMessages []string
}

type MetricFilterMatchRecord struct {
	EventNumber     int64
	EventMessage    string
	ExtractedValues map[string]string
}

type TestMetricFilterOutput struct {
	Matches []MetricFilterMatchRecord
}
