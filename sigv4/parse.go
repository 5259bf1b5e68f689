package sigv4

import (
	"net/http"
	"strings"
	"time"
)

const (
	algorithm  = "AWS4-HMAC-SHA256"
	terminator = "aws4_request"
	// amzDateFormat is ISO 8601 basic format, the X-Amz-Date format.
	amzDateFormat = "20060102T150405Z"
)

// credential is a parsed Credential value: AKID/date/region/service/terminator.
type credential struct {
	accessKeyID, date, region, service, terminator string
	scope                                          string // date/region/service/terminator as sent
}

// parseCredential splits a Credential value into its five parts. Access key
// IDs never contain '/', so the value must have exactly five non-empty
// parts.
func parseCredential(s string) (credential, bool) {
	var c credential
	var parts [5]string
	rest := s
	for i := 0; i < 4; i++ {
		j := strings.IndexByte(rest, '/')
		if j < 0 {
			return c, false
		}
		parts[i], rest = rest[:j], rest[j+1:]
	}
	if strings.IndexByte(rest, '/') >= 0 {
		return c, false
	}
	parts[4] = rest
	for _, p := range parts {
		if p == "" {
			return c, false
		}
	}
	c = credential{
		accessKeyID: parts[0], date: parts[1], region: parts[2], service: parts[3], terminator: parts[4],
		scope: s[len(parts[0])+1:],
	}
	return c, true
}

// authorization holds the three components of an AWS4-HMAC-SHA256
// Authorization header, unvalidated.
type authorization struct {
	credential, signedHeaders, signature string
	hasCredential, hasSignedHeaders      bool
	hasSignature                         bool
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' }

// parseAuthorization parses an Authorization header value. It accepts what
// AWS accepts: the algorithm, then the components separated by commas
// and/or whitespace in any order, with extra separators ignored. It returns
// an *Error of KindUnsupported for other signing schemes that AWS uses
// (SigV2, SigV4A) and of KindIncomplete for anything malformed; a missing
// component is reported by the caller, which also knows whether a date is
// missing.
func parseAuthorization(h string) (authorization, *Error) {
	var a authorization
	i := 0
	for i < len(h) && !isSpace(h[i]) && h[i] != ',' {
		i++
	}
	alg, rest := h[:i], h[i:]
	if alg != algorithm {
		switch {
		case alg == "AWS":
			return a, newError(KindUnsupported, "Signature Version 2 is not supported; sign requests with AWS4-HMAC-SHA256.")
		case strings.HasPrefix(alg, "AWS4-"):
			return a, newError(KindUnsupported, "Unsupported AWS 'algorithm': '"+echo(alg)+"'.")
		}
		return a, newError(KindIncomplete, incompleteMessage(authorization{}, false, h))
	}
	for len(rest) > 0 {
		// Skip separators.
		j := 0
		for j < len(rest) && (isSpace(rest[j]) || rest[j] == ',') {
			j++
		}
		rest = rest[j:]
		if rest == "" {
			break
		}
		j = 0
		for j < len(rest) && !isSpace(rest[j]) && rest[j] != ',' {
			j++
		}
		part := rest[:j]
		rest = rest[j:]
		eq := strings.IndexByte(part, '=')
		if eq < 0 {
			return a, newError(KindIncomplete, "'"+echo(part)+"' not a valid key=value pair (missing equal-sign) in Authorization header: '"+echo(h)+"'.")
		}
		key, value := part[:eq], part[eq+1:]
		var dup bool
		switch key {
		case "Credential":
			dup, a.credential, a.hasCredential = a.hasCredential, value, true
		case "SignedHeaders":
			dup, a.signedHeaders, a.hasSignedHeaders = a.hasSignedHeaders, value, true
		case "Signature":
			dup, a.signature, a.hasSignature = a.hasSignature, value, true
		default:
			// AWS ignores components it does not know.
		}
		if dup {
			return a, newError(KindIncomplete, "Authorization header has more than one '"+key+"' parameter. Authorization="+echo(h))
		}
	}
	// An empty component is as good as none.
	a.hasCredential = a.hasCredential && a.credential != ""
	a.hasSignedHeaders = a.hasSignedHeaders && a.signedHeaders != ""
	a.hasSignature = a.hasSignature && a.signature != ""
	return a, nil
}

// incompleteMessage lists what an Authorization header lacks, in the words
// of AWS IncompleteSignature, or "" if nothing is missing.
func incompleteMessage(a authorization, noDate bool, h string) string {
	var b strings.Builder
	if !a.hasCredential {
		b.WriteString("Authorization header requires 'Credential' parameter. ")
	}
	if !a.hasSignature {
		b.WriteString("Authorization header requires 'Signature' parameter. ")
	}
	if !a.hasSignedHeaders {
		b.WriteString("Authorization header requires 'SignedHeaders' parameter. ")
	}
	if noDate {
		b.WriteString(msgNoDate + " ")
	}
	if b.Len() == 0 {
		return ""
	}
	b.WriteString("Authorization=")
	b.WriteString(echo(h))
	return b.String()
}

// splitSignedHeaders splits a SignedHeaders value and checks that every name
// is non-empty and that host is among them.
func splitSignedHeaders(s string) ([]string, *Error) {
	if s == "" {
		return nil, newError(KindIncomplete, msgHostNotSigned)
	}
	names := strings.Split(s, ";")
	host := false
	for _, n := range names {
		if n == "" {
			return nil, newError(KindIncomplete, "SignedHeaders '"+echo(s)+"' has an empty header name.")
		}
		if n == "host" || n == ":authority" {
			host = true
		}
	}
	if !host {
		return nil, newError(KindIncomplete, msgHostNotSigned)
	}
	return names, nil
}

// parseAmzDate parses an X-Amz-Date value.
func parseAmzDate(s string) (time.Time, bool) {
	if len(s) != len(amzDateFormat) {
		return time.Time{}, false
	}
	t, err := time.Parse(amzDateFormat, s)
	return t, err == nil
}

// requestTime finds the signing time of a header-signed request: X-Amz-Date,
// else Date. It returns the time and its ISO 8601 basic form, which is what
// the string to sign holds. present is false if neither header exists.
func requestTime(h http.Header) (t time.Time, iso string, present, ok bool) {
	if v := h.Get("X-Amz-Date"); v != "" {
		t, ok = parseAmzDate(v)
		return t, v, true, ok
	}
	if v := h.Get("Date"); v != "" {
		t, err := http.ParseTime(v)
		if err != nil {
			return time.Time{}, "", true, false
		}
		t = t.UTC()
		return t, t.Format(amzDateFormat), true, true
	}
	return time.Time{}, "", false, false
}

// Scope parses only the credential scope (access key ID, date, region,
// service) from the Authorization header or the X-Amz-Credential query
// parameter, without verifying anything, so that the server can choose a
// service before it authenticates. ok is false if there is no well-formed
// credential.
func Scope(r *http.Request) (accessKeyID, date, region, service string, ok bool) {
	var raw string
	if h := r.Header.Get("Authorization"); h != "" {
		a, err := parseAuthorization(h)
		if err != nil || !a.hasCredential {
			return "", "", "", "", false
		}
		raw = a.credential
	} else {
		q, _ := parseQuery(r.URL.RawQuery)
		v, n := q.get("X-Amz-Credential")
		if n != 1 {
			return "", "", "", "", false
		}
		raw = v
	}
	c, ok := parseCredential(raw)
	if !ok {
		return "", "", "", "", false
	}
	return c.accessKeyID, c.date, c.region, c.service, true
}
