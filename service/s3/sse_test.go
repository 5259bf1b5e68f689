package s3

import "testing"

// Objects are unwrapped where their KMS key is: the bucket's region for
// every object written since S3 called KMS there, another region for
// older ones whose writer signed for it.
func TestKeyRegion(t *testing.T) {
	for _, c := range []struct{ key, want string }{
		{"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "us-east-1"},
		{"arn:aws:kms:eu-west-1:111122223333:alias/aws/s3", "eu-west-1"},
		{"1234abcd-12ab-34cd-56ef-1234567890ab", "us-west-2"},
		{"alias/aws/s3", "us-west-2"},
		{"", "us-west-2"},
	} {
		if got := keyRegion(c.key, "us-west-2"); got != c.want {
			t.Errorf("keyRegion(%q) = %q, want %q", c.key, got, c.want)
		}
	}
}
