package kms

import (
	"encoding/base64"
	"strconv"
)

const (
	defaultLimit = 100
	maxLimit     = 1000
)

// limitOf validates a Limit member (1 to 1000, default 100).
func limitOf(p *int32) (int, error) {
	if p == nil {
		return defaultLimit, nil
	}
	switch n := *p; {
	case n < 1:
		return 0, validation("limit", strconv.Itoa(int(n)), "Member must have value greater than or equal to 1")
	case n > maxLimit:
		return 0, validation("limit", strconv.Itoa(int(n)), "Member must have value less than or equal to 1000")
	default:
		return int(n), nil
	}
}

// A marker is the store key of the last item of the previous page,
// base64url-encoded: opaque to callers, stable under concurrent writes.

func encodeMarker(last string) *string {
	m := base64.RawURLEncoding.EncodeToString([]byte(last))
	return &m
}

// decodeMarker returns the store key to resume after; prefix is what every
// key of the listing starts with, so a marker of another listing is
// refused.
func decodeMarker(m *string, prefix string) (string, error) {
	if m == nil {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(*m)
	if err != nil || len(b) < len(prefix) || string(b[:len(prefix)]) != prefix {
		return "", invalidMarker()
	}
	return string(b), nil
}
