package main

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// validate-logs: where a trail's digests lie, and listing them (spec §5.1,
// §5.6).

// digestLayout is the digests of one trail for one account and source
// region:
// [prefix/]AWSLogs/[o-id/]<account>/CloudTrail-Digest/<region>/YYYY/MM/DD/
// <account>_CloudTrail-Digest_<region>_<trail>_<home region>_YYYYMMDDTHHMMSSZ.json.gz.
// orgID is set for an organization trail only.
type digestLayout struct {
	prefix, orgID, account, region, trail, home string
}

const digestStamp = "20060102T150405Z"

// folder is the listing prefix, which ends with "/".
func (l digestLayout) folder() string {
	p := ""
	if l.prefix != "" {
		p = l.prefix + "/"
	}
	p += "AWSLogs/"
	if l.orgID != "" {
		p += l.orgID + "/"
	}
	return p + l.account + "/CloudTrail-Digest/" + l.region + "/"
}

func (l digestLayout) name() string {
	return l.account + "_CloudTrail-Digest_" + l.region + "_" + l.trail + "_" + l.home + "_"
}

// keyAt is the key of the digest that would end at `end`.
func (l digestLayout) keyAt(end time.Time) string {
	end = end.UTC()
	return l.folder() + end.Format("2006/01/02") + "/" + l.name() + end.Format(digestStamp) + ".json.gz"
}

// matcher matches this layout's digest keys and captures the stamp.
func (l digestLayout) matcher() *regexp.Regexp {
	return regexp.MustCompile(`^` + regexp.QuoteMeta(l.folder()) + `\d+/\d+/\d+/` + regexp.QuoteMeta(l.name()) +
		`(\d{8}T\d{6}Z)\.json\.gz$`)
}

// stampOf returns the end time a digest key of this layout is stamped
// with.
func stampOf(re *regexp.Regexp, key string) (time.Time, bool) {
	m := re.FindStringSubmatch(key)
	if m == nil {
		return time.Time{}, false
	}
	t, err := time.Parse(digestStamp, m[1])
	return t, err == nil
}

// listDigests returns, in key (and so time) order, the digests of l in
// bucket stamped from start to end plus an hour (the AWS CLI's range: a
// digest that ends after `end` may list files delivered before it). The
// listing starts at the key a digest ending a minute before start would
// have, and stops at the first digest past the range, as the AWS CLI's
// does, so that a long history is not listed whole.
func listDigests(ctx context.Context, c *s3.Client, bucket string, l digestLayout, start, end time.Time) ([]string, error) {
	re := l.matcher()
	last := end.Add(time.Hour)
	var keys []string
	p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(l.folder()),
		StartAfter: aws.String(l.keyAt(start.Add(-time.Minute)))})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list digests in s3://%s/%s: %w", bucket, l.folder(), err)
		}
		for _, obj := range page.Contents {
			k := aws.ToString(obj.Key)
			at, ok := stampOf(re, k)
			switch {
			case !ok || at.Before(start):
				continue
			case at.After(last):
				return keys, nil
			}
			keys = append(keys, k)
		}
	}
	return keys, nil
}
