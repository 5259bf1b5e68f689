package cloudtrail

import (
	"context"
	"errors"
)

// Destinations checks, at CreateTrail and UpdateTrail, that CloudTrail can
// deliver where the trail points, as AWS checks before it accepts a trail.
// The checks are decided by the same policy engine as every other call, as
// the service principal cloudtrail.amazonaws.com with aws:SourceArn = the
// trail ARN and aws:SourceAccount = the trail's account.
type Destinations interface {
	// CheckBucket returns the bucket's region and nil when the bucket
	// exists and its policy lets cloudtrail.amazonaws.com (aws:SourceArn =
	// trailARN, aws:SourceAccount = account) s3:GetBucketAcl on the bucket
	// and s3:PutObject on [prefix/]AWSLogs/<account>/* with s3:x-amz-acl =
	// bucket-owner-full-control. It returns an error wrapping
	// ErrBucketNotFound or ErrBucketPolicy otherwise; any other error is an
	// internal failure.
	CheckBucket(ctx context.Context, bucket, prefix, trailARN, account string) (bucketRegion string, err error)
	// CheckKey resolves keyID (key ID, key ARN, alias name or alias ARN) to
	// the key ARN and returns nil when the key exists in bucketRegion and
	// its policy lets cloudtrail.amazonaws.com kms:GenerateDataKey* (with
	// kms:EncryptionContext:aws:cloudtrail:arn = trailARN) and
	// kms:DescribeKey. It returns an error wrapping ErrKeyNotFound (missing,
	// or in another region than the bucket), ErrKeyPolicy or ErrKeyUnusable
	// (disabled or pending deletion) otherwise.
	CheckKey(ctx context.Context, keyID, bucketRegion, trailARN, account string) (keyARN string, err error)
}

// TopicChecker is implemented by Destinations that can also check SNS
// topics. Without it no topic exists (SNS is not served), so a trail that
// names a topic is refused as AWS refuses a missing topic.
type TopicChecker interface {
	// CheckTopic resolves topic (a name in region, or an ARN) to its ARN
	// and returns nil when the topic exists and its policy lets
	// cloudtrail.amazonaws.com SNS:Publish; an error wrapping
	// ErrTopicNotFound or ErrTopicPolicy otherwise.
	CheckTopic(ctx context.Context, topic, region, trailARN, account string) (topicARN string, err error)
}

// LogGroupChecker is implemented by Destinations that can also check
// CloudWatch Logs delivery. Without it no log group exists (CloudWatch Logs
// is not served), so a trail that names one is refused.
type LogGroupChecker interface {
	// CheckLogGroup returns nil when the log group exists in account and
	// cloudtrail.amazonaws.com can assume roleARN (aws:SourceArn =
	// trailARN) and write to it; an error
	// wrapping ErrLogGroupNotFound, ErrLogRoleTrust or ErrLogRole otherwise.
	CheckLogGroup(ctx context.Context, logGroupARN, roleARN, trailARN, account string) error
}

// Organizations tells which organization an account belongs to. It is
// needed for organization trails only; without it no account is in an
// organization.
type Organizations interface {
	// OrganizationOf returns the ID of account's organization and the
	// organization's management account, or "", "" when account belongs to
	// none.
	OrganizationOf(ctx context.Context, account string) (orgID, management string, err error)
}

// Errors a Destinations implementation reports; CreateTrail and UpdateTrail
// map them to AWS's exceptions.
var (
	// ErrBucketNotFound: the bucket does not exist
	// (S3BucketDoesNotExistException).
	ErrBucketNotFound = errors.New("cloudtrail: S3 bucket does not exist")
	// ErrBucketPolicy: the bucket policy does not let CloudTrail deliver
	// (InsufficientS3BucketPolicyException).
	ErrBucketPolicy = errors.New("cloudtrail: S3 bucket policy does not allow CloudTrail to deliver")
	// ErrKeyNotFound: the KMS key does not exist or is in another region
	// than the bucket (KmsKeyNotFoundException).
	ErrKeyNotFound = errors.New("cloudtrail: KMS key not found in the bucket's region")
	// ErrKeyPolicy: the key policy does not let CloudTrail encrypt
	// (InsufficientEncryptionPolicyException).
	ErrKeyPolicy = errors.New("cloudtrail: KMS key policy does not allow CloudTrail to encrypt")
	// ErrKeyUnusable: the key is disabled or pending deletion
	// (KmsException).
	ErrKeyUnusable = errors.New("cloudtrail: KMS key is disabled or pending deletion")
	// ErrTopicNotFound and ErrTopicPolicy: the SNS topic is missing or its
	// policy does not let CloudTrail publish
	// (InsufficientSnsTopicPolicyException).
	ErrTopicNotFound = errors.New("cloudtrail: SNS topic does not exist")
	ErrTopicPolicy   = errors.New("cloudtrail: SNS topic policy does not allow CloudTrail to publish")
	// ErrLogGroupNotFound, ErrLogRoleTrust and ErrLogRole: the log group
	// is missing (InvalidCloudWatchLogsLogGroupArnException), the role's
	// trust policy does not let cloudtrail.amazonaws.com assume it
	// (InvalidCloudWatchLogsRoleArnException, "Check the trust
	// relationships"), or the role may not write to the group
	// (InvalidCloudWatchLogsLogGroupArnException, "Check the permissions").
	ErrLogGroupNotFound = errors.New("cloudtrail: CloudWatch Logs log group does not exist")
	ErrLogRoleTrust     = errors.New("cloudtrail: CloudWatch Logs role does not trust CloudTrail")
	ErrLogRole          = errors.New("cloudtrail: CloudWatch Logs role cannot write to the log group")
)
