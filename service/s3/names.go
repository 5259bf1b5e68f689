package s3

import (
	"net/netip"
	"strings"
)

// validBucketName applies S3's rules for general purpose buckets (S3 User
// Guide, "Bucket naming rules"): 3 to 63 characters of lowercase letters,
// digits, dots and hyphens; a letter or digit first and last; no two
// adjacent dots; not an IPv4 address; none of the reserved prefixes and
// suffixes.
func validBucketName(name string) bool {
	if len(name) < 3 || len(name) > 63 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '.' || c == '-':
			if i == 0 || i == len(name)-1 {
				return false
			}
		default:
			return false
		}
	}
	if strings.Contains(name, "..") {
		return false
	}
	if a, err := netip.ParseAddr(name); err == nil && a.Is4() {
		return false
	}
	for _, p := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
		if strings.HasPrefix(name, p) {
			return false
		}
	}
	for _, sfx := range []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"} {
		if strings.HasSuffix(name, sfx) {
			return false
		}
	}
	return true
}

// validKey accepts object keys S3 accepts: 1 to 1024 bytes of UTF-8.
func validKey(key string) bool {
	if key == "" || len(key) > maxKeyLength {
		return false
	}
	return strings.ToValidUTF8(key, "\uFFFD") == key
}

// BucketARN is a bucket's ARN.
func BucketARN(bucket string) string { return "arn:aws:s3:::" + bucket }

// ObjectARN is an object's ARN.
func ObjectARN(bucket, key string) string { return "arn:aws:s3:::" + bucket + "/" + key }
