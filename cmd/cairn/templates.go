package main

import (
	"github.com/cairnhq/cairn/service/cloudtrail"
	"github.com/cairnhq/cairn/service/s3"
)

// awsAccount owns the buckets that AWS itself runs (the policy template
// buckets). No credentials exist for it: it is never a caller.
const awsAccount = "000000000000"

// builtinBuckets are the AWS-owned buckets S3 serves to every account.
func builtinBuckets(bucket string) (s3.BuiltinBucket, bool) {
	region, ok := cloudtrail.PolicyTemplateBucket(bucket)
	if !ok {
		return s3.BuiltinBucket{}, false
	}
	return s3.BuiltinBucket{
		Owner: awsAccount, Region: region,
		Policy:  cloudtrail.PolicyTemplateBucketPolicy(bucket),
		Objects: cloudtrail.PolicyTemplates(),
	}, true
}
