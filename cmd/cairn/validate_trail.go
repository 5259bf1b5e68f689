package main

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"regexp"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
)

// validate-logs: what it learns before reading any file: the trail's
// bucket, prefix and, for an organization trail, the organization ID, and
// the region's public keys.

var trailARNPattern = regexp.MustCompile(`^arn:[^:]+:cloudtrail:([^:]+):(\d{12}):trail/(.+)$`)

// trailPlace is where a trail's files lie.
type trailPlace struct {
	bucket, prefix string
	orgID          string // set for an organization trail
}

// locateTrail finds the trail's bucket and prefix with DescribeTrails
// unless --s3-bucket names them. For an organization trail the files lie
// under AWSLogs/<o-id>/<account>/; the organization ID is the caller's
// organization's, from organizations:DescribeOrganization, as the AWS CLI
// learns it. With --s3-bucket nothing is asked, and the layout of an
// account's own trail is assumed, as the AWS CLI does.
func locateTrail(ctx context.Context, cfg aws.Config, ct *cloudtrail.Client, o *validateOptions) (trailPlace, error) {
	if o.bucket != "" {
		return trailPlace{bucket: o.bucket, prefix: o.prefix}, nil
	}
	out, err := ct.DescribeTrails(ctx, &cloudtrail.DescribeTrailsInput{})
	if err != nil {
		return trailPlace{}, fmt.Errorf("describe trails: %w", err)
	}
	for _, t := range out.TrailList {
		if aws.ToString(t.TrailARN) != o.trailARN {
			continue
		}
		p := trailPlace{bucket: aws.ToString(t.S3BucketName), prefix: aws.ToString(t.S3KeyPrefix)}
		if aws.ToBool(t.IsOrganizationTrail) {
			org, err := organizations.NewFromConfig(cfg).DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
			if err != nil {
				return trailPlace{}, fmt.Errorf("organization trail %s: describe organization: %w", o.trailARN, err)
			}
			if org.Organization == nil || aws.ToString(org.Organization.Id) == "" {
				return trailPlace{}, fmt.Errorf("organization trail %s: the caller's organization has no ID", o.trailARN)
			}
			p.orgID = aws.ToString(org.Organization.Id)
		}
		return p, nil
	}
	return trailPlace{}, fmt.Errorf("a trail could not be found for %s", o.trailARN)
}

// publicKeys returns the region's keys valid from start to two hours past
// end (the AWS CLI's window), by fingerprint. None is an error, as for the
// AWS CLI: nothing could be validated.
func publicKeys(ctx context.Context, ct *cloudtrail.Client, start, end time.Time) (map[string]*rsa.PublicKey, error) {
	keys, err := ct.ListPublicKeys(ctx, &cloudtrail.ListPublicKeysInput{StartTime: aws.Time(start), EndTime: aws.Time(end.Add(2 * time.Hour))})
	if err != nil {
		return nil, fmt.Errorf("list public keys: %w", err)
	}
	pubs := map[string]*rsa.PublicKey{}
	for _, k := range keys.PublicKeyList {
		if pub, err := x509.ParsePKCS1PublicKey(k.Value); err == nil {
			pubs[aws.ToString(k.Fingerprint)] = pub
		}
	}
	if len(pubs) == 0 {
		return nil, fmt.Errorf("no public keys found between %s and %s", start.Format(time.RFC3339), end.Format(time.RFC3339))
	}
	return pubs, nil
}
