package main

import (
	"context"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/cairnhq/cairn"
)

// validate-logs: finding a trail's digests and walking their chain.

// validateTrailLogs validates the digests of the trail (for one account
// and source region) from start to end, newest first along their chain,
// then the log files the valid ones list.
func validateTrailLogs(ctx context.Context, cfg aws.Config, o *validateOptions, start, end time.Time, clock cairn.Clock, prog progress) (*validationReport, error) {
	began := clock.Now()
	m := trailARNPattern.FindStringSubmatch(o.trailARN)
	if m == nil {
		return nil, fmt.Errorf("invalid trail ARN: %s", o.trailARN)
	}
	l := digestLayout{home: m[1], account: m[2], trail: m[3], region: o.region}
	if l.region == "" {
		l.region = l.home
	}
	if o.accountID != "" {
		l.account = o.accountID
	}
	cfg.Region = l.region
	ct := cloudtrail.NewFromConfig(cfg)
	place, err := locateTrail(ctx, cfg, ct, o)
	if err != nil {
		return nil, err
	}
	l.prefix, l.orgID = place.prefix, place.orgID
	s3c := s3.NewFromConfig(cfg, func(so *s3.Options) {
		so.UsePathStyle = true
		// Files are checked against their digest's SHA-256; the SDK's note
		// for each object that carries no S3 checksum would bury the
		// results (and the progress bar) on stderr.
		so.DisableLogOutputChecksumValidationSkipped = true
	})
	pubs, err := publicKeys(ctx, ct, start, end)
	if err != nil {
		return nil, err
	}
	listed, err := listDigests(ctx, s3c, place.bucket, l, start, end)
	if err != nil {
		return nil, err
	}
	rep := &validationReport{TrailARN: o.trailARN, Account: l.account, OrganizationID: l.orgID, Start: start, End: end}
	prog.start("digest files", len(listed))
	var logs []logRef
	rep.Digests, logs = walkDigests(ctx, s3c, place.bucket, l, listed, start, pubs, prog)
	prog.done()
	prog.start("log files", len(logs))
	rep.Logs = checkLogFiles(ctx, s3c, logs, o.workers, prog)
	prog.done()
	for _, r := range append(append([]fileResult(nil), rep.Digests...), rep.Logs...) {
		if !r.Valid {
			rep.Invalid++
		}
	}
	rep.Duration = clock.Now().Sub(began).Round(time.Millisecond).String()
	return rep, nil
}

// logRef is a log file as a valid digest lists it.
type logRef struct{ bucket, key, hash string }

// walkDigests checks the listed digests newest first, following each
// chain through previousDigestS3Object (a link to a digest that is not
// there is reported not found), and returns the results and the log files
// the valid ones list.
func walkDigests(ctx context.Context, s3c *s3.Client, bucket string, l digestLayout, listed []string, start time.Time,
	pubs map[string]*rsa.PublicKey, prog progress) ([]fileResult, []logRef) {
	keyRe := l.matcher()
	results := []fileResult{}
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
		prog.add(1)
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
		results = append(results, fileResult{Kind: "digest", URI: uri, Valid: reason == "", Reason: reason})
		if reason != "" {
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
		if at, ok := stampOf(keyRe, prev); ok && at.Before(start) {
			break // the chain leaves the range
		}
		results = append(results, fileResult{Kind: "digest", URI: "s3://" + bucket + "/" + prev, Valid: false, Reason: "not found"})
		i, newer = i-1, nil
	}
	return results, logs
}

// checkLogFiles checks the log files with `workers` in parallel.
func checkLogFiles(ctx context.Context, s3c *s3.Client, logs []logRef, workers int, prog progress) []fileResult {
	results := make([]fileResult, len(logs))
	var wg sync.WaitGroup
	work := make(chan int)
	for range max(1, workers) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				l := logs[i]
				results[i] = fileResult{Kind: "log", URI: "s3://" + l.bucket + "/" + l.key, Valid: true}
				if reason := checkLogFile(ctx, s3c, l.bucket, l.key, l.hash); reason != "" {
					results[i].Valid, results[i].Reason = false, reason
				}
				prog.add(1)
			}
		}()
	}
	for i := range logs {
		work <- i
	}
	close(work)
	wg.Wait()
	return results
}

func digestBefore(stamp string, start time.Time) bool {
	t, err := time.Parse(time.RFC3339, stamp)
	return err == nil && t.Before(start)
}
