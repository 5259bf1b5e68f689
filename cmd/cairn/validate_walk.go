package main

import (
	"context"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// validate-logs: finding a trail's digests and walking their chain.

var trailARNPattern = regexp.MustCompile(`^arn:[^:]+:cloudtrail:([^:]+):(\d{12}):trail/(.+)$`)

func validateTrailLogs(ctx context.Context, cfg aws.Config, o *validateOptions, start, end time.Time) (*validationReport, error) {
	began := time.Now()
	m := trailARNPattern.FindStringSubmatch(o.trailARN)
	if m == nil {
		return nil, fmt.Errorf("invalid trail ARN: %s", o.trailARN)
	}
	home, account, name := m[1], m[2], m[3]
	region := o.region
	if region == "" {
		region = home
	}
	cfg.Region = region
	ct := cloudtrail.NewFromConfig(cfg)
	bucket, prefix := o.bucket, o.prefix
	if bucket == "" {
		out, err := ct.DescribeTrails(ctx, &cloudtrail.DescribeTrailsInput{})
		if err != nil {
			return nil, fmt.Errorf("describe trails: %w", err)
		}
		found := false
		for _, t := range out.TrailList {
			if aws.ToString(t.TrailARN) == o.trailARN {
				bucket, prefix, found = aws.ToString(t.S3BucketName), aws.ToString(t.S3KeyPrefix), true
				if aws.ToBool(t.IsOrganizationTrail) {
					return nil, errors.New("organization trails are not supported yet")
				}
			}
		}
		if !found {
			return nil, fmt.Errorf("a trail could not be found for %s", o.trailARN)
		}
	}
	s3c := s3.NewFromConfig(cfg, func(so *s3.Options) { so.UsePathStyle = true })
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
	folder := ""
	if prefix != "" {
		folder = prefix + "/"
	}
	folder += "AWSLogs/" + account + "/CloudTrail-Digest/" + region + "/"
	keyRe := regexp.MustCompile(`^` + regexp.QuoteMeta(folder) + `\d+/\d+/\d+/` + regexp.QuoteMeta(account+"_CloudTrail-Digest_"+region+"_"+name+"_"+home+"_") + `(\d{8}T\d{6}Z)\.json\.gz$`)
	var listed []string
	p := s3.NewListObjectsV2Paginator(s3c, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(folder)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list digests: %w", err)
		}
		for _, obj := range page.Contents {
			k := aws.ToString(obj.Key)
			sm := keyRe.FindStringSubmatch(k)
			if sm == nil {
				continue
			}
			at, err := time.Parse("20060102T150405Z", sm[1])
			if err != nil || at.Before(start) || at.After(end.Add(time.Hour)) {
				continue
			}
			listed = append(listed, k)
		}
	}
	sort.Strings(listed)
	rep := &validationReport{TrailARN: o.trailARN, Start: start, End: end, Digests: []fileResult{}, Logs: []fileResult{}}
	type logRef struct{ bucket, key, hash string }
	var logs []logRef
	seen := map[string]bool{}
	var newer *digestDoc // the newer digest whose chain led here, if any
	for i := len(listed) - 1; i >= 0; {
		key := listed[i]
		if seen[key] {
			i, newer = i-1, nil
			continue
		}
		seen[key] = true
		uri := "s3://" + bucket + "/" + key
		doc, body, sig, reason := fetchDigest(ctx, s3c, bucket, key, pubs)
		if reason == "" && newer != nil {
			sum := sha256.Sum256(body)
			switch {
			case newer.PreviousDigestHashValue == nil || *newer.PreviousDigestHashValue != hex.EncodeToString(sum[:]):
				reason = "the next digest's previousDigestHashValue does not match"
			case newer.PreviousDigestSignature == nil || !strings.EqualFold(*newer.PreviousDigestSignature, sig):
				reason = "the next digest's previousDigestSignature does not match"
			}
		}
		rep.Digests = append(rep.Digests, fileResult{Kind: "digest", URI: uri, Valid: reason == "", Reason: reason})
		if reason != "" {
			rep.Invalid++
			i, newer = i-1, nil
			continue
		}
		for _, lf := range doc.LogFiles {
			logs = append(logs, logRef{lf.S3Bucket, lf.S3Object, lf.HashValue})
		}
		if doc.PreviousDigestS3Object == nil || aws.ToString(doc.PreviousDigestS3Bucket) != bucket {
			i, newer = i-1, nil // a starting digest: the next older chain, if any
			continue
		}
		if digestBefore(doc.DigestStartTime, start) {
			break
		}
		prev := *doc.PreviousDigestS3Object
		if j := sort.SearchStrings(listed, prev); j < len(listed) && listed[j] == prev {
			i, newer = j, doc
			continue
		}
		if sm := keyRe.FindStringSubmatch(prev); sm != nil {
			if at, err := time.Parse("20060102T150405Z", sm[1]); err == nil && at.Before(start) {
				break // the chain leaves the range
			}
		}
		rep.Digests = append(rep.Digests, fileResult{Kind: "digest", URI: "s3://" + bucket + "/" + prev, Valid: false, Reason: "not found"})
		rep.Invalid++
		i, newer = i-1, nil
	}
	// The log files, in parallel.
	results := make([]fileResult, len(logs))
	var wg sync.WaitGroup
	work := make(chan int)
	for range max(1, o.workers) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				l := logs[i]
				results[i] = fileResult{Kind: "log", URI: "s3://" + l.bucket + "/" + l.key, Valid: true}
				if reason := checkLogFile(ctx, s3c, l.bucket, l.key, l.hash); reason != "" {
					results[i].Valid, results[i].Reason = false, reason
				}
			}
		}()
	}
	for i := range logs {
		work <- i
	}
	close(work)
	wg.Wait()
	for _, r := range results {
		if !r.Valid {
			rep.Invalid++
		}
	}
	rep.Logs = results
	rep.Duration = time.Since(began).Round(time.Millisecond).String()
	return rep, nil
}

func digestBefore(stamp string, start time.Time) bool {
	t, err := time.Parse(time.RFC3339, stamp)
	return err == nil && t.Before(start)
}
