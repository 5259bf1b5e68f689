package sigv4

import (
	"net/http"
	"net/textproto"
	"slices"
	"strconv"
	"strings"
)

// This file builds the parts of the canonical request:
//
//	Method \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n PayloadHash

const upperhex = "0123456789ABCDEF"

func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}

// appendEscaped appends s URI-encoded the SigV4 way: every byte outside the
// RFC 3986 unreserved set becomes %XX with upper-case hex (a space is %20);
// '/' is kept when keepSlash is set.
func appendEscaped(b []byte, s string, keepSlash bool) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) || keepSlash && c == '/' {
			b = append(b, c)
		} else {
			b = append(b, '%', upperhex[c>>4], upperhex[c&15])
		}
	}
	return b
}

func needsEscape(s string, keepSlash bool) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !unreserved(c) && !(keepSlash && c == '/') {
			return true
		}
	}
	return false
}

func escape(s string, keepSlash bool) string {
	if !needsEscape(s, keepSlash) {
		return s
	}
	return string(appendEscaped(make([]byte, 0, len(s)+16), s, keepSlash))
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// unescape decodes %XX sequences, and '+' as a space when plus is set. A '%'
// that does not start a valid escape is kept as it is: a signer cannot have
// produced it, so whatever it signed, the request will not match.
func unescape(s string, plus bool) string {
	i := 0
	for i < len(s) && s[i] != '%' && !(plus && s[i] == '+') {
		i++
	}
	if i == len(s) {
		return s
	}
	b := make([]byte, i, len(s))
	copy(b, s[:i])
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '+' && plus:
			b = append(b, ' ')
		case c == '%' && i+2 < len(s):
			h, ok1 := unhex(s[i+1])
			l, ok2 := unhex(s[i+2])
			if ok1 && ok2 {
				b = append(b, h<<4|l)
				i += 2
			} else {
				b = append(b, c)
			}
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

// queryParam is one decoded name=value pair of a query string.
type queryParam struct{ key, value string }

type query []queryParam

// parseQuery splits a raw query string into decoded pairs, keeping their
// order and repetitions. Empty pieces ("a&&b") are skipped; a piece without
// '=' has an empty value, as url.ParseQuery and the SDK signers treat it.
func parseQuery(raw string) (query, bool) {
	if raw == "" {
		return nil, true
	}
	q := make(query, 0, strings.Count(raw, "&")+1)
	for raw != "" {
		var piece string
		piece, raw, _ = strings.Cut(raw, "&")
		if piece == "" {
			continue
		}
		k, v, _ := strings.Cut(piece, "=")
		q = append(q, queryParam{unescape(k, true), unescape(v, true)})
	}
	return q, true
}

// get returns the first value of key and how many times key occurs.
func (q query) get(key string) (string, int) {
	var v string
	n := 0
	for _, p := range q {
		if p.key == key {
			if n == 0 {
				v = p.value
			}
			n++
		}
	}
	return v, n
}

func (q query) has(key string) bool {
	_, n := q.get(key)
	return n > 0
}

// canonicalQuery encodes each name and value, sorts the pairs by encoded
// name then encoded value, and joins them. Pairs whose decoded name is
// excluded (X-Amz-Signature of a presigned URL) are left out.
func canonicalQuery(q query, exclude ...string) string {
	if len(q) == 0 {
		return ""
	}
	var stack [16]queryParam
	enc := stack[:0]
	n := 0
	for _, p := range q {
		if slices.Contains(exclude, p.key) {
			continue
		}
		k, v := escape(p.key, false), escape(p.value, false)
		enc = append(enc, queryParam{k, v})
		n += len(k) + len(v) + 2
	}
	slices.SortFunc(enc, func(a, b queryParam) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return strings.Compare(a.value, b.value)
	})
	b := make([]byte, 0, n)
	for i, p := range enc {
		if i > 0 {
			b = append(b, '&')
		}
		b = append(b, p.key...)
		b = append(b, '=')
		b = append(b, p.value...)
	}
	return string(b)
}

// requestPath returns the path exactly as the client sent it: on a server,
// the path part of the request line (r.RequestURI), which no routing or URL
// rewriting has touched; on a client request (tests, tools), the escaped
// URL path the way aws-sdk-go-v2's signer reads it (URL.Opaque, else
// URL.EscapedPath()).
func requestPath(r *http.Request) string {
	if u := r.RequestURI; u != "" && u[0] == '/' {
		if i := strings.IndexByte(u, '?'); i >= 0 {
			u = u[:i]
		}
		return u
	}
	var p string
	if o := r.URL.Opaque; o != "" {
		// "//host/path" form, as the SDK documents for pre-escaped paths.
		o, _, _ = strings.Cut(o, "?")
		o = strings.TrimPrefix(o, "//")
		if i := strings.IndexByte(o, '/'); i >= 0 {
			p = o[i:]
		}
	} else {
		p = r.URL.EscapedPath()
	}
	if p == "" {
		p = "/"
	}
	return p
}

// rawPathService reports whether service signs its path the S3 way: the
// URI-encoded path as sent, neither normalized nor encoded again.
func rawPathService(service string) bool { return service == "s3" }

// uriCandidates returns the canonical URIs a signer may have used, most
// likely first; the signature is accepted if it matches either.
//
// S3 signs the path as sent: escaped once, not normalized. There is one
// candidate.
//
// Every other service normalizes the path (RFC 3986 dot segments removed,
// repeated slashes collapsed) and escapes it again, as the SigV4
// specification says. aws-sdk-go-v2, and aws-c-auth with normalization
// off, sign the path as sent, escaped again: the second candidate, when it
// differs. Both name the same resource, since these services normalize the
// path they route on.
func uriCandidates(path, service string) (first, second string) {
	if rawPathService(service) {
		return path, ""
	}
	norm := normalizePath(path)
	first = escape(norm, true)
	if norm != path {
		second = escape(path, true)
	}
	return first, second
}

// normalizePath removes "." and ".." segments (RFC 3986 section 5.2.4) and
// empty segments, keeping a trailing slash.
func normalizePath(p string) string {
	if !needsNormalizing(p) {
		return p
	}
	segs := make([]string, 0, strings.Count(p, "/")+1)
	trailing := false
	for _, s := range strings.Split(p, "/") {
		switch s {
		case "":
			trailing = true
			continue
		case ".":
			trailing = true
			continue
		case "..":
			if len(segs) > 0 {
				segs = segs[:len(segs)-1]
			}
			trailing = true
			continue
		}
		segs = append(segs, s)
		trailing = false
	}
	if len(segs) == 0 {
		return "/"
	}
	out := "/" + strings.Join(segs, "/")
	if trailing {
		out += "/"
	}
	return out
}

// needsNormalizing reports whether p is not already "/" followed by
// non-empty segments other than "." and "..".
func needsNormalizing(p string) bool {
	if p == "" || p[0] != '/' {
		return true
	}
	start := 1
	for i := 1; i <= len(p); i++ {
		if i == len(p) || p[i] == '/' {
			seg := p[start:i]
			if seg == "." || seg == ".." || seg == "" && i != len(p) {
				return true
			}
			start = i + 1
		}
	}
	return false
}

// headerValues returns the values a signed header name other than host
// had on the wire. Go moves Host out of r.Header (into r.Host, see
// requestHost) and Transfer-Encoding into
// r.TransferEncoding; Content-Length stays in r.Header on a server and lives
// only in r.ContentLength on a client request.
func headerValues(r *http.Request, name string) []string {
	switch name {
	case "content-length":
		if v := r.Header["Content-Length"]; len(v) > 0 {
			return v
		}
		if r.ContentLength >= 0 {
			return []string{strconv.FormatInt(r.ContentLength, 10)}
		}
		return nil
	case "transfer-encoding":
		if v := r.Header["Transfer-Encoding"]; len(v) > 0 {
			return v
		}
		if len(r.TransferEncoding) > 0 {
			return []string{strings.Join(r.TransferEncoding, ",")}
		}
		return nil
	}
	if v, ok := r.Header[canonicalKey(name)]; ok {
		return v
	}
	for k, v := range r.Header {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return nil
}

// requestHost is the Host header as the client sent it (r.Host on a
// server; the URL's host on a client request without one).
func requestHost(r *http.Request) string {
	if r.Host == "" && r.URL != nil {
		return r.URL.Host
	}
	return r.Host
}

// canonicalKey is textproto.CanonicalMIMEHeaderKey without its allocation
// for the headers every AWS request signs.
func canonicalKey(name string) string {
	switch name {
	case "x-amz-date":
		return "X-Amz-Date"
	case "x-amz-content-sha256":
		return "X-Amz-Content-Sha256"
	case "x-amz-security-token":
		return "X-Amz-Security-Token"
	case "x-amz-target":
		return "X-Amz-Target"
	case "content-type":
		return "Content-Type"
	case "x-amz-user-agent":
		return "X-Amz-User-Agent"
	case "amz-sdk-invocation-id":
		return "Amz-Sdk-Invocation-Id"
	case "amz-sdk-request":
		return "Amz-Sdk-Request"
	}
	return textproto.CanonicalMIMEHeaderKey(name)
}

// appendHeaderValue appends v with leading and trailing whitespace removed
// and each run of spaces inside collapsed to one space, as the SigV4
// specification and aws-sdk-go-v2 do.
func appendHeaderValue(b []byte, v string) []byte {
	v = strings.TrimSpace(v)
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == ' ' && i > 0 && v[i-1] == ' ' {
			continue
		}
		b = append(b, c)
	}
	return b
}

// appendCanonicalHeaders appends "name:value\n" for every signed header, in
// the order of SignedHeaders, multiple values joined with ','.
func appendCanonicalHeaders(b []byte, r *http.Request, names []string) []byte {
	for _, n := range names {
		b = append(b, n...)
		b = append(b, ':')
		lower := strings.ToLower(n)
		if lower == "host" || lower == ":authority" {
			b = appendHeaderValue(b, requestHost(r))
			b = append(b, '\n')
			continue
		}
		for i, v := range headerValues(r, lower) {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendHeaderValue(b, v)
		}
		b = append(b, '\n')
	}
	return b
}
