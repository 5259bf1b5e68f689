package cloudtrail

import (
	"crypto/sha256"
	"fmt"
	"time"
)

// Key layouts of log and digest files (spec §3.1, §5.1).

// logFolder is [prefix/]AWSLogs/[<o-id>/]<account>/: a trail's folder for
// the events of account.
func logFolder(t *Trail, account string) string {
	p := ""
	if t.S3KeyPrefix != "" {
		p = t.S3KeyPrefix + "/"
	}
	p += "AWSLogs/"
	if t.IsOrganizationTrail && t.OrganizationID != "" {
		p += t.OrganizationID + "/"
	}
	return p + account + "/"
}

// uniqueAlphabet is what the 16 unique characters of a log file name are
// drawn from: letters and digits, as in AWS's samples.
const uniqueAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// UniqueString is the 16 characters that end a log file's name, derived
// from the trail, the stream and the range of sequence numbers (after,
// last] the file covers: the same file always gets the same name.
func UniqueString(trailARN, account, region string, after, last int64) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%s|%s|%s|%d|%d", trailARN, account, region, after, last))
	out := make([]byte, 16)
	for i := range out {
		out[i] = uniqueAlphabet[int(sum[i])%len(uniqueAlphabet)]
	}
	return string(out)
}

// LogFileKey is the key of the log file of trail t with the events of
// account in region after sequence number after up to last, delivered at
// `at`:
// [prefix/]AWSLogs/[o-id/]<account>/CloudTrail/<region>/YYYY/MM/DD/
// <account>_CloudTrail_<region>_YYYYMMDDTHHmmZ_<16 chars>.json.gz.
func LogFileKey(t *Trail, account, region string, at time.Time, after, last int64) string {
	at = at.UTC()
	return logFolder(t, account) + "CloudTrail/" + region + "/" + at.Format("2006/01/02") + "/" +
		account + "_CloudTrail_" + region + "_" + at.Format("20060102T1504Z") + "_" +
		UniqueString(t.ARN, account, region, after, last) + ".json.gz"
}

// DigestKey is the key of the digest of trail t for the logs of account in
// region that ends at end:
// [prefix/]AWSLogs/[o-id/]<account>/CloudTrail-Digest/<region>/YYYY/MM/DD/
// <account>_CloudTrail-Digest_<region>_<trail>_<home region>_YYYYMMDDTHHMMSSZ.json.gz.
func DigestKey(t *Trail, account, region string, end time.Time) string {
	end = end.UTC()
	return logFolder(t, account) + "CloudTrail-Digest/" + region + "/" + end.Format("2006/01/02") + "/" +
		account + "_CloudTrail-Digest_" + region + "_" + t.Name + "_" + t.HomeRegion + "_" +
		end.Format("20060102T150405Z") + ".json.gz"
}
