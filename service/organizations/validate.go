package organizations

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Input constraints from the botocore model. The awsjson codec binds types
// only, so every handler validates its members before touching the store.
// Organizations reports every violation as InvalidInputException; the
// reason code is named beside each message in errors.go.

var (
	accountIDRe  = regexp.MustCompile(`^\d{12}$`)
	rootIDRe     = regexp.MustCompile(`^r-[0-9a-z]{4,32}$`)
	policyIDRe   = regexp.MustCompile(`^p-[0-9a-zA-Z_]{8,128}$`)
	requestIDRe  = regexp.MustCompile(`^car-[a-z0-9]{8,32}$`)
	targetIDRe   = regexp.MustCompile(`^(r-[0-9a-z]{4,32}|\d{12}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$`)
	emailRe      = regexp.MustCompile(`^[^\s@]+@[^\s@]+\.[^\s@]+$`)
	accountNmRe  = regexp.MustCompile(`^[\x20-\x7E]+$`)
	roleNameRe   = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
	tagPatternRe = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)
)

// policyTypes is the PolicyType enum of the model.
var policyTypes = map[string]bool{
	"SERVICE_CONTROL_POLICY": true, "RESOURCE_CONTROL_POLICY": true, "TAG_POLICY": true,
	"BACKUP_POLICY": true, "AISERVICES_OPT_OUT_POLICY": true, "CHATBOT_POLICY": true,
	"DECLARATIVE_POLICY_EC2": true, "SECURITYHUB_POLICY": true, "INSPECTOR_POLICY": true,
	"UPGRADE_ROLLOUT_POLICY": true, "BEDROCK_POLICY": true, "S3_POLICY": true,
	"NETWORK_SECURITY_DIRECTOR_POLICY": true,
}

// validType checks a policy type member: it must be one of the model's
// types, and Cairn serves only SCPs. enumOnly accepts any type of the
// enum (listing filters, which simply find nothing for other types).
func validType(v string, enumOnly bool) error {
	if v == "" {
		return errInvalidInput(msgInputRequired)
	}
	if !policyTypes[v] {
		return errInvalidInput(msgInvalidEnum)
	}
	if !enumOnly && v != TypeSCP {
		return errInvalidInput(msgUnsupportedType)
	}
	return nil
}

// pattern checks a required member against re.
func pattern(v string, re *regexp.Regexp) error {
	if v == "" {
		return errInvalidInput(msgInputRequired)
	}
	if !re.MatchString(v) {
		return errInvalidInput(msgInvalidPattern)
	}
	return nil
}

func validTargetID(v string) error {
	if v == "" {
		return errInvalidInput(msgInputRequired)
	}
	if len(v) > 100 || !targetIDRe.MatchString(v) {
		return errInvalidInput(msgInvalidTargetID)
	}
	return nil
}

// length checks a string member's length in characters.
func length(v string, min, max int) error {
	n := utf8.RuneCountInString(v)
	if n < min {
		if n == 0 {
			return errInvalidInput(msgInputRequired)
		}
		return errInvalidInput(msgMinLength)
	}
	if n > max {
		return errInvalidInput(msgMaxLength)
	}
	return nil
}

func validPolicyName(v string) error { return length(v, 1, 128) }

func validDescription(v string) error { return length(v, 0, 512) }

func validTags(tags []Tag) error {
	if len(tags) > maxTags {
		return errConstraint(msgTooManyTags)
	}
	seen := map[string]bool{}
	for _, t := range tags {
		if err := length(t.Key, 1, 128); err != nil {
			return err
		}
		if err := length(t.Value, 0, 256); err != nil {
			return err
		}
		if !tagPatternRe.MatchString(t.Key) || !tagPatternRe.MatchString(t.Value) {
			return errInvalidInput(msgInvalidPattern)
		}
		if seen[t.Key] {
			return errInvalidInput(msgDuplicateTagKey)
		}
		seen[t.Key] = true
	}
	return nil
}

func cloneTags(tags []Tag) []Tag {
	if len(tags) == 0 {
		return nil
	}
	return append([]Tag(nil), tags...)
}

// validCreateAccount checks CreateAccount's members.
func validCreateAccount(in *CreateAccountInput) error {
	if err := length(in.Email, 6, 64); err != nil {
		return err
	}
	if !emailRe.MatchString(in.Email) {
		return errInvalidInput(msgInvalidPattern)
	}
	if err := length(in.AccountName, 1, 50); err != nil {
		return err
	}
	if !accountNmRe.MatchString(in.AccountName) {
		return errInvalidInput(msgInvalidPattern)
	}
	if in.RoleName != nil {
		if !roleNameRe.MatchString(*in.RoleName) {
			return errInvalidInput(msgInvalidPattern)
		}
		if strings.HasPrefix(*in.RoleName, "AWSServiceRoleFor") {
			return errInvalidInput(msgInvalidRoleName)
		}
	}
	if in.IamUserAccessToBilling != nil && *in.IamUserAccessToBilling != "ALLOW" && *in.IamUserAccessToBilling != "DENY" {
		return errInvalidInput(msgInvalidEnum)
	}
	return validTags(in.Tags)
}
