package cloudtrail

import (
	"fmt"

	"github.com/cairnhq/cairn"
)

// CloudTrail's exceptions. AWS answers every modelled client error with
// HTTP 400 (spec §1.2). Messages marked [aws] are AWS's own text as seen in
// the wild; [moto] mirror moto, which copies AWS; the rest are Cairn's
// wording where AWS's text is not known.

func ctErr(code, format string, args ...any) *cairn.Error {
	return cairn.Errorf(400, code, format, args...)
}

// trailNotFound [aws]: Unknown trail: <name-or-arn> for the user: <account>.
func trailNotFound(nameOrARN, account string) *cairn.Error {
	return ctErr("TrailNotFoundException", "Unknown trail: %s for the user: %s", nameOrARN, account)
}

// trailExists [aws]: Trail <name> already exists for customer: <account>.
func trailExists(name, account string) *cairn.Error {
	return ctErr("TrailAlreadyExistsException", "Trail %s already exists for customer: %s", name, account)
}

// tooManyTrails [aws]: User: <account> already has 5 trails in <region>.
func tooManyTrails(account, region string) *cairn.Error {
	return ctErr("MaximumNumberOfTrailsExceededException", "User: %s already has %d trails in %s.", account, MaxTrailsPerRegion, region)
}

// wrongAccountARN [aws].
func wrongAccountARN(account string) *cairn.Error {
	return ctErr("CloudTrailARNInvalidException", "AccountID in ARN is wrong, you can only access resources with AccountID %s.", account)
}

// wrongRegionARN [aws].
func wrongRegionARN(region string) *cairn.Error {
	return ctErr("CloudTrailARNInvalidException", "Region in ARN is wrong, you can only access resources in region %s.", region)
}

// invalidARN is a malformed trail ARN (Cairn's wording).
func invalidARN(arn string) *cairn.Error {
	return ctErr("CloudTrailARNInvalidException", "Invalid ARN: %s. The format of a trail ARN is: arn:aws:cloudtrail:us-east-2:123456789012:trail/MyTrail", arn)
}

// notHomeRegion: a home-region-only call on a shadow trail (Cairn's
// wording; AWS's text is not known).
func notHomeRegion(trailARN, home string) *cairn.Error {
	return ctErr("InvalidHomeRegionException",
		"The trail %s can only be modified from its home Region %s; this operation cannot be called on a shadow trail.", trailARN, home)
}

// multiRegionNeedsGlobal [aws].
func multiRegionNeedsGlobal() *cairn.Error {
	return ctErr("InvalidParameterCombinationException", "Multi-Region trail must include global service events.")
}

// bucketMissing [moto]: S3 bucket <b> does not exist!
func bucketMissing(bucket string) *cairn.Error {
	return ctErr("S3BucketDoesNotExistException", "S3 bucket %s does not exist!", bucket)
}

// bucketPolicy [aws].
func bucketPolicy(bucket string) *cairn.Error {
	return ctErr("InsufficientS3BucketPolicyException", "Incorrect S3 bucket policy is detected for bucket: %s", bucket)
}

// keyPolicy [aws].
func keyPolicy(bucket, key string) *cairn.Error {
	return ctErr("InsufficientEncryptionPolicyException", "Insufficient permissions to access S3 bucket %s or KMS key %s.", bucket, key)
}

func keyNotFound(key string) *cairn.Error {
	return ctErr("KmsKeyNotFoundException", "KMS key %s does not exist, or is not in the same Region as the S3 bucket.", key)
}

func keyUnusable(key string) *cairn.Error {
	return ctErr("KmsException", "KMS key %s is disabled or pending deletion.", key)
}

// topicPolicy [moto].
func topicPolicy() *cairn.Error {
	return ctErr("InsufficientSnsTopicPolicyException", "SNS Topic does not exist or the topic policy is incorrect!")
}

// logGroupInvalid [aws].
func logGroupInvalid() *cairn.Error {
	return ctErr("InvalidCloudWatchLogsLogGroupArnException", "CloudTrail cannot validate the specified log group ARN.")
}

// logRoleDenied [aws]: AWS reports an unusable role on the log group code.
func logRoleDenied() *cairn.Error {
	return ctErr("InvalidCloudWatchLogsLogGroupArnException", "Access denied. Check the permissions for your role.")
}

func logRoleInvalid(msg string) *cairn.Error {
	return ctErr("InvalidCloudWatchLogsRoleArnException", "%s", msg)
}

func invalidSelectors(format string, args ...any) *cairn.Error {
	return ctErr("InvalidEventSelectorsException", format, args...)
}

// invalidSelectorValue follows AWS's "Value <v> for <Field> is invalid."
// [aws] (seen for DataResources.Values).
func invalidSelectorValue(value, field string) *cairn.Error {
	return invalidSelectors("Value %s for %s is invalid.", value, field)
}

func invalidInsights(format string, args ...any) *cairn.Error {
	return ctErr("InvalidInsightSelectorsException", format, args...)
}

func insightsNotEnabled(trailARN string) *cairn.Error {
	return ctErr("InsightNotEnabledException", "Trail %s does not have Insights enabled.", trailARN)
}

func invalidParameter(format string, args ...any) *cairn.Error {
	return ctErr("InvalidParameterException", format, args...)
}

func invalidCombination(format string, args ...any) *cairn.Error {
	return ctErr("InvalidParameterCombinationException", format, args...)
}

func invalidTag(format string, args ...any) *cairn.Error {
	return ctErr("InvalidTagParameterException", format, args...)
}

func tagsLimit() *cairn.Error {
	return ctErr("TagsLimitExceededException", "The number of tags per trail has exceeded the permitted amount. Currently, the limit is %d.", MaxTags)
}

func resourceNotFound(arn string) *cairn.Error {
	return ctErr("ResourceNotFoundException", "The specified resource %s is not found.", arn)
}

func orgsNotInUse() *cairn.Error {
	return ctErr("OrganizationsNotInUseException", "This account is not a member of an organization.")
}

func notManagement(account string) *cairn.Error {
	return ctErr("NotOrganizationMasterAccountException",
		"The account %s is not the management account of an organization. Only the management account can create or modify organization trails.", account)
}

func invalidToken() *cairn.Error {
	return ctErr("InvalidTokenException", "Reuse the token returned by the previous call.")
}

func errorf(format string, args ...any) error { return fmt.Errorf("cloudtrail: "+format, args...) }
