package cloudtrail

import (
	"net/netip"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cairnhq/cairn"
)

// Limits of the trail API (spec §7).
const (
	MaxTrailsPerRegion  = 5
	MaxEventSelectors   = 5
	MaxDataResources    = 250
	MaxAdvancedValues   = 500
	MaxTags             = 50
	MaxListTagsARNs     = 20
	maxPrefixLen        = 200
	maxTopicLen         = 256
	maxTrailNameLen     = 128
	minTrailNameLen     = 3
	maxSelectorNameLen  = 1000
	maxFieldLen         = 1000
	maxFieldValueLen    = 2048
	maxTagKeyLen        = 128
	maxTagValueLen      = 256
	maxLogGroupNameLen  = 512
	trailResourcePrefix = "trail/"
)

func invalidName(format string, args ...any) *cairn.Error {
	return ctErr("InvalidTrailNameException", format, args...)
}

// validateName applies spec §1.6 to a trail name, in moto's order (length,
// first character, last character, characters), then the adjacency and
// IP-address rules.
func validateName(name string) error {
	n := utf8.RuneCountInString(name)
	switch {
	case n < minTrailNameLen:
		return invalidName("Trail name too short. Minimum allowed length: %d characters. Specified name length: %d characters.", minTrailNameLen, n)
	case n > maxTrailNameLen:
		return invalidName("Trail name too long. Maximum allowed length: %d characters. Specified name length: %d characters.", maxTrailNameLen, n)
	case !isAlnum(name[0]):
		return invalidName("Trail name must starts with a letter or number.")
	case !isAlnum(name[len(name)-1]):
		return invalidName("Trail name must ends with a letter or number.")
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !isAlnum(c) && !isPunct(c) {
			return invalidName("Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_).")
		}
	}
	for i := 1; i < len(name); i++ {
		if isPunct(name[i]) && isPunct(name[i-1]) {
			return invalidName("Trail name cannot contain adjacent periods (.), hyphens (-), or underscores (_).")
		}
	}
	if a, err := netip.ParseAddr(name); err == nil && a.Is4() {
		return invalidName("Trail name cannot be in IP address format.")
	}
	return nil
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
func isPunct(c byte) bool { return c == '.' || c == '-' || c == '_' }

// trailRef is a parsed Name/TrailName parameter: a bare name, or the parts
// of a trail ARN.
type trailRef struct {
	Input   string
	IsARN   bool
	Region  string // ARN only
	Account string // ARN only
	Name    string
}

var accountRe = regexp.MustCompile(`^\d{12}$`)

// parseRef reads a name-or-ARN parameter (spec §1.6): a value starting with
// arn: is a trail ARN, anything else a name.
func parseRef(s string) (trailRef, error) {
	if !strings.HasPrefix(s, "arn:") {
		if err := validateName(s); err != nil {
			return trailRef{}, err
		}
		return trailRef{Input: s, Name: s}, nil
	}
	a, err := cairn.ParseARN(s)
	if err != nil || a.Partition != cairn.Partition || a.Service != "cloudtrail" || a.Region == "" ||
		!accountRe.MatchString(a.Account) || !strings.HasPrefix(a.Resource, trailResourcePrefix) {
		return trailRef{}, invalidARN(s)
	}
	name := strings.TrimPrefix(a.Resource, trailResourcePrefix)
	if err := validateName(name); err != nil {
		return trailRef{}, err
	}
	return trailRef{Input: s, IsARN: true, Region: a.Region, Account: a.Account, Name: name}, nil
}

// TrailARN is the ARN of the trail name homed in region of account.
func TrailARN(region, account, name string) string {
	return "arn:" + cairn.Partition + ":cloudtrail:" + region + ":" + account + ":" + trailResourcePrefix + name
}

// validateBucketName applies S3's bucket naming rules.
func validateBucketName(b string) error {
	bad := func() error {
		return ctErr("InvalidS3BucketNameException", "S3 bucket name %s is not valid.", b)
	}
	if len(b) < 3 || len(b) > 63 {
		return bad()
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
			return bad()
		}
	}
	for _, label := range strings.Split(b, ".") {
		if label == "" || !isAlnum(label[0]) || !isAlnum(label[len(label)-1]) {
			return bad()
		}
	}
	if a, err := netip.ParseAddr(b); err == nil && a.Is4() {
		return bad()
	}
	return nil
}

func validatePrefix(p string) error {
	if n := utf8.RuneCountInString(p); n > maxPrefixLen {
		return ctErr("InvalidS3PrefixException", "S3 key prefix is too long. Maximum allowed length: %d characters. Specified prefix length: %d characters.", maxPrefixLen, n)
	}
	return nil
}

var (
	topicNameRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
	topicARNRe  = regexp.MustCompile(`^arn:aws:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$`)
)

func validateTopic(t string) error {
	if len(t) > maxTopicLen+64 || !topicNameRe.MatchString(t) && !topicARNRe.MatchString(t) {
		return ctErr("InvalidSnsTopicNameException", "SNS topic name %s is not valid.", t)
	}
	return nil
}

var (
	keyUUIDRe  = regexp.MustCompile(`^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|mrk-[0-9a-fA-F]{32})$`)
	keyARNRe   = regexp.MustCompile(`^arn:aws:kms:[a-z0-9-]+:\d{12}:key/([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|mrk-[0-9a-fA-F]{32})$`)
	aliasRe    = regexp.MustCompile(`^alias/[A-Za-z0-9/_-]{1,250}$`)
	aliasARNRe = regexp.MustCompile(`^arn:aws:kms:[a-z0-9-]+:\d{12}:alias/[A-Za-z0-9/_-]{1,250}$`)
)

func validateKeyID(k string) error {
	if !keyUUIDRe.MatchString(k) && !keyARNRe.MatchString(k) && !aliasRe.MatchString(k) && !aliasARNRe.MatchString(k) {
		return ctErr("InvalidKmsKeyIdException", "KMS key ID %s is not valid. Specify a key ID, key ARN, alias name or alias ARN.", k)
	}
	return nil
}

var (
	logGroupARNRe = regexp.MustCompile(`^arn:aws:logs:[a-z0-9-]+:\d{12}:log-group:([a-zA-Z0-9_\-/.#]{1,512}):\*$`)
	roleARNRe     = regexp.MustCompile(`^arn:aws:iam::\d{12}:role/[\w+=,.@/-]{1,512}$`)
)

// validateLogs checks the CloudWatch Logs pair: both or neither, the group
// ARN with its :* suffix, the role an IAM role ARN.
func validateLogs(group, role string) error {
	switch {
	case group == "" && role == "":
		return nil
	case group != "" && role == "":
		return logRoleInvalid("You must specify a role ARN together with the CloudWatch Logs log group ARN.")
	case group == "" && role != "":
		return ctErr("InvalidCloudWatchLogsLogGroupArnException", "You must specify a CloudWatch Logs log group ARN together with the role ARN.")
	case !logGroupARNRe.MatchString(group):
		return ctErr("InvalidCloudWatchLogsLogGroupArnException", "Check the log group ARN: CloudTrail can't validate it.")
	case !roleARNRe.MatchString(role):
		return logRoleInvalid("The CloudWatch Logs role ARN " + role + " is not valid.")
	}
	return nil
}

// validateTags checks keys and values and the per-trail limit of the
// resulting set (existing are the tags already on the trail).
func validateTags(tags []Tag) error {
	for _, t := range tags {
		if n := utf8.RuneCountInString(t.Key); n < 1 || n > maxTagKeyLen {
			return invalidTag("Tag key must be between 1 and %d characters long.", maxTagKeyLen)
		}
		if strings.HasPrefix(strings.ToLower(t.Key), "aws:") {
			return invalidTag("Tag keys starting with aws: are reserved for AWS use.")
		}
		if !tagChars(t.Key) {
			return invalidTag("Tag key %s contains characters that are not allowed.", t.Key)
		}
		if t.Value != nil {
			if utf8.RuneCountInString(*t.Value) > maxTagValueLen {
				return invalidTag("Tag value must be at most %d characters long.", maxTagValueLen)
			}
			if !tagChars(*t.Value) {
				return invalidTag("Tag value %s contains characters that are not allowed.", *t.Value)
			}
		}
	}
	return nil
}

// tagChars: Unicode letters, digits, white space, and _ . : / = + - @.
func tagChars(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsSpace(r) && !strings.ContainsRune("_.:/=+-@", r) {
			return false
		}
	}
	return true
}
