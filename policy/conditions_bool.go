package policy

import (
	"encoding/base64"
	"strings"
)

// matchBool implements Bool: "true" or "false", without regard to case.
func matchBool(policy []bool, v string) bool {
	var x bool
	switch {
	case strings.EqualFold(v, "true"):
		x = true
	case strings.EqualFold(v, "false"):
	default:
		return false
	}
	for _, p := range policy {
		if p == x {
			return true
		}
	}
	return false
}

// decodeBinary decodes a BinaryEquals policy value, which AWS writes in
// base64 (with or without padding).
func decodeBinary(s string) (string, bool) {
	if b, err := base64.StdEncoding.DecodeString(s); err == nil {
		return string(b), true
	}
	if b, err := base64.RawStdEncoding.DecodeString(s); err == nil {
		return string(b), true
	}
	return "", false
}

// matchBinary implements BinaryEquals: the request value holds the raw
// bytes, compared byte for byte with the decoded policy value.
func matchBinary(policy []string, v string) bool {
	for _, p := range policy {
		if p == v {
			return true
		}
	}
	return false
}
