package cloudtrail

import (
	"embed"
	"slices"
	"strings"
)

// The policy templates `aws cloudtrail create-subscription` reads from
// the AWS-owned bucket awscloudtrail-policy-<region> before it creates a
// bucket or topic for a trail: the bucket policy and topic policy that let
// CloudTrail deliver, with placeholders the CLI fills in (<BucketName>,
// <Prefix>, <CustomerAccountID>; <Region>, <SNSTopicOwnerAccountId>,
// <SNSTopicName>).

//go:embed templates/*.json
var templateFiles embed.FS

// templatePrefix is the name of the template buckets without the region.
const templatePrefix = "awscloudtrail-policy-"

// PolicyTemplateBucket reports whether bucket is a policy template bucket
// (awscloudtrail-policy-<region>, for a region of DefaultRegions) and
// names its region. Other names are not AWS's, so that requests cannot
// make Cairn create template buckets without bound.
func PolicyTemplateBucket(bucket string) (region string, ok bool) {
	region, ok = strings.CutPrefix(bucket, templatePrefix)
	return region, ok && slices.Contains(DefaultRegions(), region)
}

// PolicyTemplates returns the template objects, keyed as the CLI asks for
// them (policy/S3/… and policy/SNS/…).
func PolicyTemplates() map[string][]byte {
	objects := map[string][]byte{}
	for _, f := range []struct{ key, file string }{
		{"policy/S3/AWSCloudTrail-S3BucketPolicy-2014-12-17.json", "AWSCloudTrail-S3BucketPolicy-2014-12-17.json"},
		{"policy/SNS/AWSCloudTrail-SnsTopicPolicy-2014-12-17.json", "AWSCloudTrail-SnsTopicPolicy-2014-12-17.json"},
	} {
		b, err := templateFiles.ReadFile("templates/" + f.file)
		if err != nil {
			panic("cloudtrail: embedded template missing: " + f.file) // the build embeds them
		}
		objects[f.key] = b
	}
	return objects
}

// PolicyTemplateBucketPolicy is the bucket policy of a template bucket:
// anyone may read the templates, nobody else may do anything.
func PolicyTemplateBucketPolicy(bucket string) string {
	return `{"Version":"2012-10-17","Statement":[{"Sid":"PublicReadTemplates","Effect":"Allow","Principal":"*",` +
		`"Action":"s3:GetObject","Resource":"arn:aws:s3:::` + bucket + `/policy/*"}]}`
}
