package iam

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"unicode"
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

// policyKind is the role a document plays; it mirrors policy.Kind so that
// swapping validatePolicy for policy.Parse is a one-line change.
type policyKind int

const (
	kindIdentity policyKind = iota + 1
	kindTrust
)

// validatePolicy checks that doc is a valid policy of kind and returns a
// MalformedPolicyDocument error with IAM's wording when it is not.
//
// It is a minimal JSON and grammar check standing in for policy.Parse until
// that lands: the document must be a JSON object with a known Version and
// a non-empty Statement whose statements carry a valid Effect, actions of
// the form vendor:name, and the Principal/Resource elements the kind
// requires or forbids.
func validatePolicy(doc string, kind policyKind) error {
	if msg := checkPolicy(doc, kind); msg != "" {
		return malformedPolicy(msg)
	}
	return nil
}

func checkPolicy(doc string, kind policyKind) string {
	const syntax = "Syntax errors in policy."
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber()
	var top map[string]json.RawMessage
	if err := dec.Decode(&top); err != nil || top == nil || dec.More() {
		if kind == kindTrust {
			return "This policy contains invalid Json"
		}
		return syntax
	}
	for k := range top {
		switch k {
		case "Version", "Id", "Statement":
		default:
			return syntax
		}
	}
	if raw, ok := top["Version"]; ok {
		var v string
		if json.Unmarshal(raw, &v) != nil || (v != "2012-10-17" && v != "2008-10-17") {
			return syntax
		}
	}
	raw, ok := top["Statement"]
	if !ok {
		return syntax
	}
	var stmts []map[string]json.RawMessage
	if len(raw) > 0 && raw[0] == '{' {
		var one map[string]json.RawMessage
		if json.Unmarshal(raw, &one) != nil {
			return syntax
		}
		stmts = []map[string]json.RawMessage{one}
	} else if json.Unmarshal(raw, &stmts) != nil {
		return syntax
	}
	if len(stmts) == 0 {
		if kind == kindTrust {
			return "Could not parse the policy: Statement is empty!"
		}
		return syntax
	}
	sids := map[string]bool{}
	for _, st := range stmts {
		if st == nil {
			return syntax
		}
		for k := range st {
			switch k {
			case "Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal", "Condition":
			default:
				return syntax
			}
		}
		if rawSid, ok := st["Sid"]; ok {
			var sid string
			if json.Unmarshal(rawSid, &sid) != nil {
				return syntax
			}
			if sid != "" && sids[sid] {
				return "Statement IDs (SID) in a single policy must be unique."
			}
			sids[sid] = true
		}
		var effect string
		if json.Unmarshal(st["Effect"], &effect) != nil || (effect != "Allow" && effect != "Deny") {
			return syntax
		}
		_, hasPrincipal := st["Principal"]
		_, hasNotPrincipal := st["NotPrincipal"]
		_, hasResource := st["Resource"]
		_, hasNotResource := st["NotResource"]
		if _, both := st["NotAction"]; both && st["Action"] != nil {
			return syntax
		}
		if hasResource && hasNotResource || hasPrincipal && hasNotPrincipal {
			return syntax
		}
		actions, ok := stringList(st["Action"])
		if st["Action"] == nil {
			actions, ok = stringList(st["NotAction"])
		}
		if !ok {
			return syntax
		}
		if len(actions) == 0 {
			return "Policy statement must contain actions."
		}
		for _, a := range actions {
			if a == "*" {
				continue
			}
			if !strings.Contains(a, ":") {
				return "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
			}
			if strings.Count(a, ":") > 1 {
				return "Actions/Condition can contain only one colon."
			}
		}
		if rawCond, ok := st["Condition"]; ok {
			var cond map[string]map[string]json.RawMessage
			if json.Unmarshal(rawCond, &cond) != nil {
				return syntax
			}
		}
		switch kind {
		case kindTrust:
			if !hasPrincipal && !hasNotPrincipal {
				return "Missing required field Principal"
			}
			if hasResource {
				return "Has prohibited field Resource"
			}
			if hasNotResource {
				return "Has prohibited field NotResource"
			}
			for _, a := range actions {
				if !isTrustAction(a) {
					return "AssumeRole policy may only specify STS AssumeRole actions."
				}
			}
			if hasPrincipal {
				if msg := checkPrincipal(st["Principal"]); msg != "" {
					return msg
				}
			}
		default:
			if hasPrincipal || hasNotPrincipal {
				return "Policy document should not specify a principal."
			}
			res, ok := stringList(st["Resource"])
			if !hasResource {
				res, ok = stringList(st["NotResource"])
			}
			if !ok {
				return syntax
			}
			if len(res) == 0 {
				return "Policy statement must contain resources."
			}
			for _, r := range res {
				if r != "*" && !strings.HasPrefix(r, "arn:") {
					return fmt.Sprintf("Resource %s must be in ARN format or \"*\".", r)
				}
			}
		}
	}
	return ""
}

// isTrustAction reports whether a is one of the STS actions a trust policy
// may name (wildcards over them included).
func isTrustAction(a string) bool {
	l := strings.ToLower(a)
	if l == "*" || l == "sts:*" {
		return true
	}
	return strings.HasPrefix(l, "sts:assumerole") || l == "sts:tagsession" || l == "sts:setsourceidentity" || l == "sts:setcontext"
}

// checkPrincipal accepts "*" or an object of AWS, Service, Federated and
// CanonicalUser principals with non-empty values.
func checkPrincipal(raw json.RawMessage) string {
	var star string
	if json.Unmarshal(raw, &star) == nil {
		if star == "*" {
			return ""
		}
		return fmt.Sprintf("Invalid principal in policy: %q", star)
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return "Syntax errors in policy."
	}
	if len(m) == 0 {
		return "Missing required field Principal cannot be empty!"
	}
	for k, v := range m {
		switch k {
		case "AWS", "Service", "Federated", "CanonicalUser":
		default:
			return fmt.Sprintf("Invalid principal in policy: %q", k)
		}
		vals, ok := stringList(v)
		if !ok || len(vals) == 0 {
			return "Syntax errors in policy."
		}
		for _, p := range vals {
			if p == "" {
				return fmt.Sprintf("Invalid principal in policy: \"%s\":\"\"", k)
			}
		}
	}
	return ""
}

// stringList decodes a string or an array of strings; a missing element
// is an empty list.
func stringList(raw json.RawMessage) ([]string, bool) {
	if raw == nil {
		return nil, true
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}, true
	}
	var many []string
	if json.Unmarshal(raw, &many) == nil {
		return many, true
	}
	return nil, false
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
