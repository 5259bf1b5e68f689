package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/spf13/cobra"
)

// validate-logs checks a trail's digests and log files as `aws cloudtrail
// validate-logs` does (spec §5.4, §5.6), against any S3-compatible
// endpoint, with the usual AWS environment and profile, the log files in
// parallel; it also checks what the AWS CLI skips: each digest's
// previousDigestHashValue and previousDigestSignature against the
// previous digest itself.

type validateOptions struct {
	trailARN, bucket, prefix, region, output string
	start, end                               string
	verbose                                  bool
	workers                                  int
}

func validateLogsCommand() *cobra.Command {
	o := &validateOptions{}
	cmd := &cobra.Command{
		Use:   "validate-logs",
		Short: "Validate a trail's digest and log files (as aws cloudtrail validate-logs, in parallel)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			start, err := time.Parse(time.RFC3339, o.start)
			if err != nil {
				return fmt.Errorf("--start-time: %w", err)
			}
			end := time.Now().UTC()
			if o.end != "" {
				if end, err = time.Parse(time.RFC3339, o.end); err != nil {
					return fmt.Errorf("--end-time: %w", err)
				}
			}
			cfg, err := config.LoadDefaultConfig(ctx)
			if err != nil {
				return fmt.Errorf("AWS configuration: %w", err)
			}
			rep, err := validateTrailLogs(ctx, cfg, o, start.UTC(), end.UTC())
			if err != nil {
				return err
			}
			if err := rep.print(cmd.OutOrStdout(), cmd.ErrOrStderr(), o); err != nil {
				return err
			}
			if rep.Invalid > 0 {
				return errValidationFailed
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.trailARN, "trail-arn", "", "ARN of the trail (required)")
	f.StringVar(&o.start, "start-time", "", "validate from this time, RFC 3339 (required)")
	f.StringVar(&o.end, "end-time", "", "validate up to this time, RFC 3339 (default: now)")
	f.StringVar(&o.bucket, "s3-bucket", "", "bucket of the digests (default: the trail's)")
	f.StringVar(&o.prefix, "s3-prefix", "", "key prefix of the digests (default: the trail's)")
	f.StringVar(&o.region, "region", "", "source region of the logs (default: the trail's home region)")
	f.StringVar(&o.output, "output", "text", "text or json")
	f.BoolVar(&o.verbose, "verbose", false, "list every valid file too")
	f.IntVar(&o.workers, "workers", 16, "log files checked in parallel")
	_ = cmd.MarkFlagRequired("trail-arn")
	_ = cmd.MarkFlagRequired("start-time")
	return cmd
}

var errValidationFailed = errors.New("some digest or log files are INVALID")

// fileResult is one checked file.
type fileResult struct {
	Kind   string `json:"kind"` // digest or log
	URI    string `json:"uri"`
	Valid  bool   `json:"valid"`
	Reason string `json:"reason,omitempty"`
}

type validationReport struct {
	TrailARN string       `json:"trailArn"`
	Start    time.Time    `json:"start"`
	End      time.Time    `json:"end"`
	Digests  []fileResult `json:"digests"`
	Logs     []fileResult `json:"logs"`
	Invalid  int          `json:"invalid"`
	Duration string       `json:"duration"`
}

var trailARNPattern = regexp.MustCompile(`^arn:[^:]+:cloudtrail:([^:]+):(\d{12}):trail/(.+)$`)

type digestDoc struct {
	DigestStartTime            string  `json:"digestStartTime"`
	DigestEndTime              string  `json:"digestEndTime"`
	DigestS3Bucket             string  `json:"digestS3Bucket"`
	DigestS3Object             string  `json:"digestS3Object"`
	DigestPublicKeyFingerprint string  `json:"digestPublicKeyFingerprint"`
	PreviousDigestS3Bucket     *string `json:"previousDigestS3Bucket"`
	PreviousDigestS3Object     *string `json:"previousDigestS3Object"`
	PreviousDigestHashValue    *string `json:"previousDigestHashValue"`
	PreviousDigestSignature    *string `json:"previousDigestSignature"`
	LogFiles                   []struct {
		S3Bucket  string `json:"s3Bucket"`
		S3Object  string `json:"s3Object"`
		HashValue string `json:"hashValue"`
	} `json:"logFiles"`
}

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

// fetchDigest reads and verifies one digest; reason is "" when it is
// valid.
func fetchDigest(ctx context.Context, c *s3.Client, bucket, key string, pubs map[string]*rsa.PublicKey) (*digestDoc, []byte, string, string) {
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		var nsk *s3types.NoSuchKey
		if errors.As(err, &nsk) {
			return nil, nil, "", "not found"
		}
		return nil, nil, "", "cannot read: " + err.Error()
	}
	defer out.Body.Close()
	raw, err := io.ReadAll(out.Body)
	if err != nil {
		return nil, nil, "", "cannot read: " + err.Error()
	}
	body, err := gunzipFirst(raw)
	if err != nil {
		return nil, nil, "", "invalid format"
	}
	var doc digestDoc
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, nil, "", "invalid format"
	}
	if doc.DigestS3Bucket != bucket || doc.DigestS3Object != key {
		return nil, nil, "", "has been moved from its original location"
	}
	pub := pubs[doc.DigestPublicKeyFingerprint]
	if pub == nil {
		return nil, nil, "", "public key not found for fingerprint " + doc.DigestPublicKeyFingerprint
	}
	sigHex := out.Metadata["signature"]
	sig, err := hex.DecodeString(sigHex)
	if err != nil || sigHex == "" || out.Metadata["signature-algorithm"] != "SHA256withRSA" {
		return nil, nil, "", "signature verification failed"
	}
	sum := sha256.Sum256(body)
	prev := "null"
	if doc.PreviousDigestSignature != nil {
		prev = *doc.PreviousDigestSignature
	}
	h := sha256.Sum256([]byte(doc.DigestEndTime + "\n" + bucket + "/" + key + "\n" + hex.EncodeToString(sum[:]) + "\n" + prev))
	if rsa.VerifyPKCS1v15(pub, crypto.SHA256, h[:], sig) != nil {
		return nil, nil, "", "signature verification failed"
	}
	return &doc, body, strings.ToLower(sigHex), ""
}

func checkLogFile(ctx context.Context, c *s3.Client, bucket, key, want string) string {
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		var nsk *s3types.NoSuchKey
		if errors.As(err, &nsk) {
			return "not found"
		}
		return "cannot read: " + err.Error()
	}
	defer out.Body.Close()
	zr, err := gzip.NewReader(out.Body)
	if err != nil {
		return "invalid format"
	}
	zr.Multistream(false)
	hsh := sha256.New()
	if _, err := io.Copy(hsh, zr); err != nil {
		return "invalid format"
	}
	if rest, _ := io.ReadAll(out.Body); len(bytes.TrimSpace(rest)) > 0 {
		return "unexpected data after end of compressed stream"
	}
	if hex.EncodeToString(hsh.Sum(nil)) != want {
		return "hash value doesn't match"
	}
	return ""
}

func gunzipFirst(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	zr.Multistream(false)
	return io.ReadAll(zr)
}

func (r *validationReport) print(stdout, stderr io.Writer, o *validateOptions) error {
	if o.output == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	fmt.Fprintf(stdout, "Validating log files for trail %s between %s and %s\n\n", r.TrailARN,
		r.Start.Format(time.RFC3339), r.End.Format(time.RFC3339))
	count := func(rs []fileResult) (valid int) {
		for _, f := range rs {
			if f.Valid {
				valid++
			}
		}
		return valid
	}
	for _, f := range append(append([]fileResult(nil), r.Digests...), r.Logs...) {
		kind := "Digest file"
		if f.Kind == "log" {
			kind = "Log file"
		}
		if !f.Valid {
			fmt.Fprintf(stderr, "%s\t%s\tINVALID: %s\n", kind, f.URI, f.Reason)
		} else if o.verbose {
			fmt.Fprintf(stdout, "%s\t%s\tvalid\n", kind, f.URI)
		}
	}
	dv, lv := count(r.Digests), count(r.Logs)
	fmt.Fprintf(stdout, "\n%d/%d digest files valid", dv, len(r.Digests))
	if dv < len(r.Digests) {
		fmt.Fprintf(stdout, ", %d/%d digest files INVALID", len(r.Digests)-dv, len(r.Digests))
	}
	fmt.Fprintf(stdout, "\n%d/%d log files valid", lv, len(r.Logs))
	if lv < len(r.Logs) {
		fmt.Fprintf(stdout, ", %d/%d log files INVALID", len(r.Logs)-lv, len(r.Logs))
	}
	fmt.Fprintf(stdout, "\n(%s)\n", r.Duration)
	return nil
}
