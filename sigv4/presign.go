package sigv4

import (
	"strconv"
	"time"
)

// maxExpires is the longest validity of a presigned URL: seven days.
const maxExpires = 604800

// parsePresigned reads the X-Amz-* query parameters of a presigned URL.
func parsePresigned(q query) (request, *Error) {
	alg, n1 := q.get("X-Amz-Algorithm")
	rawCred, n2 := q.get("X-Amz-Credential")
	sig, n3 := q.get("X-Amz-Signature")
	date, n4 := q.get("X-Amz-Date")
	signedHeaders, n5 := q.get("X-Amz-SignedHeaders")
	exp, n6 := q.get("X-Amz-Expires")
	token, n7 := q.get("X-Amz-Security-Token")
	for _, n := range [...]int{n1, n2, n3, n4, n5, n6} {
		if n == 0 {
			return request{}, newError(KindIncomplete, msgPresignParams)
		}
	}
	for _, n := range [...]int{n1, n2, n3, n4, n5, n6, n7} {
		if n > 1 {
			return request{}, newError(KindIncomplete, "Each X-Amz-* authentication parameter must appear only once.")
		}
	}
	if alg != algorithm {
		return request{}, newError(KindUnsupported, `X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"`)
	}
	cred, ok := parseCredential(rawCred)
	if !ok {
		return request{}, newError(KindIncomplete, "Error parsing the X-Amz-Credential parameter; "+msgBadCredential)
	}
	t, ok := parseAmzDate(date)
	if !ok {
		return request{}, newError(KindIncomplete, `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`)
	}
	secs, err := strconv.ParseInt(exp, 10, 64)
	switch {
	case err != nil && !isInteger(exp):
		return request{}, newError(KindInvalidExpires, msgExpiresNumber)
	case err != nil && exp[0] == '-', err == nil && secs < 0:
		return request{}, newError(KindInvalidExpires, msgExpiresNegative)
	case err != nil, secs > maxExpires:
		return request{}, newError(KindInvalidExpires, msgExpiresWeek)
	case secs == 0:
		return request{}, newError(KindInvalidExpires, "X-Amz-Expires must be at least 1 second")
	}
	names, e := splitSignedHeaders(signedHeaders)
	if e != nil {
		return request{}, e
	}
	if sig == "" {
		return request{}, newError(KindIncomplete, msgPresignParams)
	}
	return request{
		cred:          cred,
		signedHeaders: signedHeaders,
		names:         names,
		signature:     sig,
		iso:           date,
		t:             t,
		presigned:     true,
		expires:       time.Duration(secs) * time.Second,
		token:         token,
	}, nil
}

// isInteger reports whether s is an optionally signed run of decimal
// digits (which ParseInt may still reject as out of range).
func isInteger(s string) bool {
	if s != "" && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
