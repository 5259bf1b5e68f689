package iam

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/cairnhq/cairn/policy"
)

// Input constraints from the botocore model. The awsquery codec binds
// types only, so every handler validates its members here before touching
// the store.

// nameRe is the pattern of user, group, role and policy names: [\w+=,.@-]+
// with \w in its ASCII sense.
var nameRe = regexp.MustCompile(`^[A-Za-z0-9_+=,.@-]+$`)

// pathRe is pathType: "/" or "/" printable-ASCII "/".
var pathRe = regexp.MustCompile(`^(/|/[\x21-\x7E]+/)$`)

// pathPrefixRe is pathPrefixType.
var pathPrefixRe = regexp.MustCompile(`^/[\x21-\x7F]*$`)

// policyPathRe is policyPathType.
var policyPathRe = regexp.MustCompile(`^((/[A-Za-z0-9.,+@=_-]+)*)/$`)

// tagKeyRe and tagValueRe are tagKeyType and tagValueType.
var (
	tagKeyRe   = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$`)
	tagValueRe = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)
)

// accessKeyIDRe is accessKeyIdType ([\w]+, 16 to 128 characters).
var accessKeyIDRe = regexp.MustCompile(`^[A-Za-z0-9_]{16,128}$`)

// versionIDRe is policyVersionIdType.
var versionIDRe = regexp.MustCompile(`^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$`)

// descriptionRe is roleDescriptionType.
var descriptionRe = regexp.MustCompile(`^[\x09\x0A\x0D\x20-\x7E\x{A1}-\x{FF}]*$`)

func required(member, v string) error {
	if v == "" {
		return validationError(member, "", "Member must not be null")
	}
	return nil
}

func maxLen(member, v string, n int) error {
	if len(v) > n {
		return validationError(member, "", fmt.Sprintf("Member must have length less than or equal to %d", n))
	}
	return nil
}

// validateName checks a required user, group, role or policy name; member
// is the lowerCamel member name (userName), max its maximum length.
func validateName(member, v string, max int) error {
	if err := required(member, v); err != nil {
		return err
	}
	if err := maxLen(member, v, max); err != nil {
		return err
	}
	if !nameRe.MatchString(v) {
		return validationMsg("The specified value for %s is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-", member)
	}
	return nil
}

// Maximum name lengths: userNameType and roleNameType are 64 characters,
// existingUserNameType, groupNameType and policyNameType 128.
const (
	maxNewUserName = 64
	maxUserName    = 128
	maxGroupName   = 128
	maxRoleName    = 64
	maxPolicyName  = 128
)

// validatePath checks an optional entity path and returns it, "/" when
// absent.
func validatePath(member string, p *string) (string, error) {
	if p == nil {
		return "/", nil
	}
	v := *p
	if v == "" {
		return "", validationError(member, "", "Member must have length greater than or equal to 1")
	}
	if err := maxLen(member, v, 512); err != nil {
		return "", err
	}
	if !pathRe.MatchString(v) {
		return "", validationMsg("The specified value for %s is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.", member)
	}
	return v, nil
}

func validatePolicyPath(p *string) (string, error) {
	if p == nil {
		return "/", nil
	}
	v := *p
	if err := maxLen("path", v, 512); err != nil {
		return "", err
	}
	if !policyPathRe.MatchString(v) {
		return "", validationError("path", v, `Member must satisfy regular expression pattern: ((/[A-Za-z0-9\.,\+@=_-]+)*)/`)
	}
	return v, nil
}

// validatePathPrefix checks an optional PathPrefix (users, groups, roles)
// and returns it, "/" when absent.
func validatePathPrefix(p *string) (string, error) {
	if p == nil {
		return "/", nil
	}
	v := *p
	if err := maxLen("pathPrefix", v, 512); err != nil {
		return "", err
	}
	if !pathPrefixRe.MatchString(v) {
		return "", validationError("pathPrefix", v, `Member must satisfy regular expression pattern: \u002F[\u0021-\u007F]*`)
	}
	return v, nil
}

// validatePolicyPathPrefix checks the PathPrefix of policy listings, a
// policyPathType.
func validatePolicyPathPrefix(p *string) (string, error) {
	if p == nil {
		return "/", nil
	}
	v := *p
	if err := maxLen("pathPrefix", v, 512); err != nil {
		return "", err
	}
	if !policyPathRe.MatchString(v) {
		return "", validationError("pathPrefix", v, `Member must satisfy regular expression pattern: ((/[A-Za-z0-9\.,\+@=_-]+)*)/`)
	}
	return v, nil
}

func validateAccessKeyID(v string) error {
	if err := required("accessKeyId", v); err != nil {
		return err
	}
	if !accessKeyIDRe.MatchString(v) {
		if len(v) < 16 {
			return validationError("accessKeyId", v, "Member must have length greater than or equal to 16")
		}
		if len(v) > 128 {
			return validationError("accessKeyId", "", "Member must have length less than or equal to 128")
		}
		return validationError("accessKeyId", v, `Member must satisfy regular expression pattern: [\w]+`)
	}
	return nil
}

func validateVersionID(v string) error {
	if err := required("versionId", v); err != nil {
		return err
	}
	if !versionIDRe.MatchString(v) {
		return validationError("versionId", v, `Member must satisfy regular expression pattern: v[1-9][0-9]*(\.[A-Za-z0-9-]*)?`)
	}
	return nil
}

func validateDescription(member string, p *string, max int, pattern bool) error {
	if p == nil {
		return nil
	}
	if err := maxLen(member, *p, max); err != nil {
		return err
	}
	if pattern && !descriptionRe.MatchString(*p) {
		return validationError(member, "", `Member must satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*`)
	}
	return nil
}

// maxTags is the number of tags a user, role or policy may carry.
const maxTags = 50

// validateTags checks a tag list as given in a request (member "tags").
func validateTags(tags []Tag) error {
	if len(tags) > maxTags {
		return validationError("tags", "", fmt.Sprintf("Member must have length less than or equal to %d", maxTags))
	}
	seen := make(map[string]bool, len(tags))
	for i, t := range tags {
		at := fmt.Sprintf("tags.%d.member.key", i+1)
		if t.Key == "" {
			return validationError(at, "", "Member must have length greater than or equal to 1")
		}
		if len([]rune(t.Key)) > 128 {
			return validationError(at, "", "Member must have length less than or equal to 128")
		}
		if !tagKeyRe.MatchString(t.Key) {
			return validationError(at, "", `Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+`)
		}
		at = fmt.Sprintf("tags.%d.member.value", i+1)
		if len([]rune(t.Value)) > 256 {
			return validationError(at, "", "Member must have length less than or equal to 256")
		}
		if !tagValueRe.MatchString(t.Value) {
			return validationError(at, "", `Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]*`)
		}
		k := strings.ToLower(t.Key)
		if seen[k] {
			return invalidInput("Duplicate tag keys found. Please note that Tag keys are case insensitive.")
		}
		seen[k] = true
	}
	return nil
}

func validateTagKeys(keys []string) error {
	if len(keys) == 0 {
		return required("tagKeys", "")
	}
	if len(keys) > maxTags {
		return validationError("tagKeys", "", fmt.Sprintf("Member must have length less than or equal to %d", maxTags))
	}
	for i, k := range keys {
		at := fmt.Sprintf("tagKeys.%d.member", i+1)
		if k == "" {
			return validationError(at, "", "Member must have length greater than or equal to 1")
		}
		if len([]rune(k)) > 128 {
			return validationError(at, "", "Member must have length less than or equal to 128")
		}
		if !tagKeyRe.MatchString(k) {
			return validationError(at, "", `Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+`)
		}
	}
	return nil
}

// maxPolicyDocument is policyDocumentType's maximum length.
const maxPolicyDocument = 131072

// validateDocumentText checks a policy document member against
// policyDocumentType before its grammar is looked at.
func validateDocumentText(member, doc string) error {
	if err := required(member, doc); err != nil {
		return err
	}
	if len(doc) > maxPolicyDocument {
		return validationError(member, "", fmt.Sprintf("Member must have length less than or equal to %d", maxPolicyDocument))
	}
	for _, r := range doc {
		if !(r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0xFF)) {
			return validationMsg("The specified value for %s is invalid. It must contain only printable ASCII characters.", member)
		}
	}
	return nil
}

// Policy size quotas, in characters excluding white space, as the IAM
// quotas page lists them.
const (
	maxManagedPolicySize = 6144
	maxUserInlineSize    = 2048
	maxGroupInlineSize   = 5120
	maxRoleInlineSize    = 10240
	maxTrustPolicySize   = 2048
)

// policySize counts a document's characters as IAM does for its quotas:
// white space is not counted.
func policySize(doc string) int {
	n := 0
	for _, r := range doc {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

// validatePolicy checks that doc is a valid policy of kind with the policy
// package's parser and returns MalformedPolicyDocument with IAM's wording
// when it is not. Managed policies (CreatePolicy, CreatePolicyVersion) are
// parsed with ParseManaged, which also requires Version 2012-10-17.
func validatePolicy(doc string, kind policy.Kind, managed bool) error {
	parse := policy.Parse
	if managed {
		parse = policy.ParseManaged
	}
	_, err := parse(doc, kind)
	if err == nil {
		return nil
	}
	var ve *policy.ValidationError
	if errors.As(err, &ve) {
		return malformedPolicy(ve.Message)
	}
	return fmt.Errorf("parse policy: %w", err)
}

// encodeDocument URL-encodes a policy document as IAM returns it: every
// byte outside RFC 3986's unreserved set becomes %XX, so that both
// botocore's urllib unquote and Go's url.QueryUnescape restore it exactly
// ("+" is sent as %2B, space as %20).
func encodeDocument(doc string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(doc) * 2)
	for i := 0; i < len(doc); i++ {
		c := doc[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// lower folds an IAM name for keys and comparisons; names are ASCII.
func lower(s string) string { return strings.ToLower(s) }
