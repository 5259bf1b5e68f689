package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/cairnhq/cairn"
)

// Lookup returns the secret access key for an access key ID, or an error
// wrapping cairn.ErrNotFound for an unknown key.
type Lookup func(accessKeyID string) (secret string, err error)

// DefaultMaxSkew is the clock skew AWS allows, used when Verifier.MaxSkew is
// zero.
const DefaultMaxSkew = 15 * time.Minute

// Verifier authenticates SigV4-signed requests. Its exported fields are set
// before first use and not changed afterwards; a Verifier is then safe for
// concurrent use. It must not be copied after first use (it holds the
// signing key cache).
type Verifier struct {
	// Now is the clock. Required.
	Now func() time.Time
	// MaxSkew is how far the request time of a header-signed request may be
	// from Now, and how far in the future a presigned URL may be dated.
	// Zero means DefaultMaxSkew.
	MaxSkew time.Duration
	// Lookup finds secret keys. Required.
	Lookup Lookup
	// AllowUnsignedQueryToken also accepts a presigned URL whose
	// X-Amz-Security-Token parameter was appended after signing and so is
	// not covered by the signature (as AWS IoT presigned URLs are made, and
	// the aws-c-auth suite's post-sts-header-after case). Off by default:
	// every query parameter must then be signed. The token is still returned
	// in Auth.SecurityToken for the caller to check against the key.
	AllowUnsignedQueryToken bool
	// KeyCacheSize bounds the derived signing key cache: 0 means 1024
	// entries, a negative value disables the cache.
	KeyCacheSize int

	keys keyCache
}

// Auth is what a verified request proved.
type Auth struct {
	AccessKeyID   string
	Date          string // yyyymmdd of the credential scope
	Region        string
	Service       string
	SignedHeaders []string
	Signature     string // the request (seed) signature, lowercase hex
	SecurityToken string // X-Amz-Security-Token header or query value, if any
	Presigned     bool
	RequestTime   time.Time
	// PayloadHash is the payload hash as signed: the x-amz-content-sha256
	// value or the hash the caller computed; UNSIGNED-PAYLOAD or a
	// STREAMING-* mode when the body is not covered by the signature itself.
	PayloadHash string
	// SigningKey is the derived key of the scope, needed to verify the chunk
	// signatures of an aws-chunked body. It is a secret: never log it.
	SigningKey []byte
}

// Payload hash values with a meaning of their own (x-amz-content-sha256).
const (
	UnsignedPayload          = "UNSIGNED-PAYLOAD"
	StreamingSigned          = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
	StreamingSignedTrailer   = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
	StreamingUnsignedTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
)

// EmptyPayloadHash is the hex SHA-256 of an empty body.
const EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// request is what the signature claims, from either form.
type request struct {
	cred          credential
	signedHeaders string   // as sent, used verbatim in the canonical request
	names         []string // signedHeaders split
	signature     string
	iso           string // request time as it appears in the string to sign
	t             time.Time
	presigned     bool
	expires       time.Duration
	token         string
	q             query
}

// Verify authenticates r.
//
// payloadHash is the lowercase hex SHA-256 of the body when the caller has
// read the whole body (JSON and Query services); an x-amz-content-sha256
// header must then agree with it. Pass "" to trust the x-amz-content-sha256
// header instead (S3, which streams the body and checks it afterwards, see
// NewPayloadReader); UNSIGNED-PAYLOAD and the STREAMING-* modes are allowed
// only then. A presigned request without that header signs
// UNSIGNED-PAYLOAD.
//
// It returns an *Auth, or an *Error saying why the request is not
// authentic, or (only when Lookup fails other than with cairn.ErrNotFound)
// an error wrapping Lookup's.
func (v *Verifier) Verify(r *http.Request, payloadHash string) (*Auth, error) {
	q, _ := parseQuery(r.URL.RawQuery)
	s, err := parseRequest(r, q)
	if err != nil {
		return nil, err
	}
	if err := checkScope(&s); err != nil {
		return nil, err
	}
	if err := v.checkTime(&s, v.Now()); err != nil {
		return nil, err
	}
	payload, err := payloadLine(r, &s, payloadHash)
	if err != nil {
		return nil, err
	}
	secret, lerr := v.Lookup(s.cred.accessKeyID)
	if lerr != nil {
		if errors.Is(lerr, cairn.ErrNotFound) {
			return nil, newError(KindUnknownKey, msgUnknownKey)
		}
		return nil, fmt.Errorf("sigv4: looking up the access key: %w", lerr)
	}
	id := keyID{s.cred.accessKeyID, s.cred.date, s.cred.region, s.cred.service}
	key := v.keys.signingKey(v.KeyCacheSize, id, secret)
	if err := v.checkSignature(r, &s, key, payload); err != nil {
		return nil, err
	}
	return &Auth{
		AccessKeyID:   s.cred.accessKeyID,
		Date:          s.cred.date,
		Region:        s.cred.region,
		Service:       s.cred.service,
		SignedHeaders: s.names,
		Signature:     s.signature,
		SecurityToken: s.token,
		Presigned:     s.presigned,
		RequestTime:   s.t,
		PayloadHash:   payload,
		SigningKey:    append([]byte(nil), key...),
	}, nil
}

// parseRequest finds the signature in r, in the Authorization header or in
// the query, and parses it.
func parseRequest(r *http.Request, q query) (request, *Error) {
	authz := r.Header["Authorization"]
	presigned := q.has("X-Amz-Algorithm") || q.has("X-Amz-Credential") || q.has("X-Amz-Signature") || q.has("X-Amz-SignedHeaders")
	switch {
	case len(authz) > 0 && presigned:
		return request{}, newError(KindUnsupported, msgTwoMechanisms)
	case len(authz) > 1:
		return request{}, newError(KindIncomplete, "The request has more than one Authorization header.")
	case len(authz) == 1:
		return parseHeaderForm(r, authz[0], q)
	case presigned:
		s, err := parsePresigned(q)
		s.q = q
		return s, err
	case q.has("AWSAccessKeyId") && q.has("Signature"):
		return request{}, newError(KindUnsupported, "Signature Version 2 is not supported; sign requests with AWS4-HMAC-SHA256.")
	}
	return request{}, newError(KindMissing, msgMissing)
}

func parseHeaderForm(r *http.Request, h string, q query) (request, *Error) {
	a, err := parseAuthorization(h)
	if err != nil {
		return request{}, err
	}
	t, iso, present, ok := requestTime(r.Header)
	if msg := incompleteMessage(a, !present, h); msg != "" {
		return request{}, newError(KindIncomplete, msg)
	}
	if !ok {
		return request{}, newError(KindIncomplete, msgBadDate)
	}
	cred, ok := parseCredential(a.credential)
	if !ok {
		return request{}, newError(KindIncomplete, "The authorization header is malformed; "+msgBadCredential)
	}
	names, err := splitSignedHeaders(a.signedHeaders)
	if err != nil {
		return request{}, err
	}
	return request{
		cred:          cred,
		signedHeaders: a.signedHeaders,
		names:         names,
		signature:     a.signature,
		iso:           iso,
		t:             t,
		token:         r.Header.Get("X-Amz-Security-Token"),
		q:             q,
	}, nil
}

// checkScope checks the credential scope against the request time.
func checkScope(s *request) *Error {
	var msgs []string
	if s.cred.terminator != terminator {
		msgs = append(msgs, "Credential should be scoped with a valid terminator: 'aws4_request', not '"+echo(s.cred.terminator)+"'.")
	}
	if day := s.iso[:8]; s.cred.date != day {
		msgs = append(msgs, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"+
			echo(s.cred.date)+"' != '"+day+"', from '"+s.iso+"'.")
	}
	if msgs != nil {
		return newError(KindScopeMismatch, strings.Join(msgs, " "))
	}
	return nil
}

func (v *Verifier) maxSkew() time.Duration {
	if v.MaxSkew > 0 {
		return v.MaxSkew
	}
	return DefaultMaxSkew
}

func skewText(d time.Duration) string {
	if d%time.Minute == 0 {
		return fmt.Sprintf("%d min.", d/time.Minute)
	}
	return fmt.Sprintf("%d sec.", d/time.Second)
}

// checkTime checks the request time: within MaxSkew of now for a
// header-signed request; not later than now+MaxSkew and not past its
// expiry for a presigned one.
func (v *Verifier) checkTime(s *request, now time.Time) *Error {
	now = now.UTC()
	skew := v.maxSkew()
	if late := now.Add(skew); s.t.After(late) {
		return newError(KindSkew, "Signature not yet current: "+s.iso+" is still later than "+
			late.Format(amzDateFormat)+" ("+now.Format(amzDateFormat)+" + "+skewText(skew)+")")
	}
	if s.presigned {
		if now.After(s.t.Add(s.expires)) {
			return newError(KindExpired, msgExpired)
		}
		return nil
	}
	if early := now.Add(-skew); s.t.Before(early) {
		return newError(KindSkew, "Signature expired: "+s.iso+" is now earlier than "+
			early.Format(amzDateFormat)+" ("+now.Format(amzDateFormat)+" - "+skewText(skew)+")")
	}
	return nil
}

func isHexSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if _, ok := unhex(s[i]); !ok {
			return false
		}
	}
	return true
}

func isStreaming(s string) bool {
	return s == StreamingSigned || s == StreamingSignedTrailer || s == StreamingUnsignedTrailer
}

// payloadLine decides the last line of the canonical request.
func payloadLine(r *http.Request, s *request, payloadHash string) (string, *Error) {
	hdr := r.Header.Get("X-Amz-Content-Sha256")
	if payloadHash != "" {
		switch {
		case hdr == "":
			return payloadHash, nil
		case strings.EqualFold(hdr, payloadHash):
			return hdr, nil
		}
		return "", newError(KindContentHashMismatch, msgContentHash)
	}
	if s.presigned {
		// Only a signed header can take part in a presigned signature.
		signed := false
		for _, n := range s.names {
			if strings.EqualFold(n, "x-amz-content-sha256") {
				signed = true
			}
		}
		if hdr == "" || !signed {
			return UnsignedPayload, nil
		}
		if isStreaming(hdr) {
			return "", newError(KindUnsupported, "aws-chunked uploads must be signed with the Authorization header.")
		}
	}
	switch {
	case hdr == "":
		return "", newError(KindIncomplete, msgMissingContentSHA)
	case hdr == UnsignedPayload, isHexSHA256(hdr), isStreaming(hdr):
		return hdr, nil
	}
	return "", newError(KindUnsupported, msgBadContentSHA)
}

// checkSignature builds the canonical request, or each candidate of it (see
// uriCandidates and Verifier.AllowUnsignedQueryToken), and compares its
// signature with the one sent, in constant time.
func (v *Verifier) checkSignature(r *http.Request, s *request, key []byte, payload string) *Error {
	uris := [2]string{}
	uris[0], uris[1] = uriCandidates(requestPath(r), s.cred.service)
	queries := [2]string{}
	if s.presigned {
		queries[0] = canonicalQuery(s.q, "X-Amz-Signature")
		if v.AllowUnsignedQueryToken && s.token != "" {
			queries[1] = canonicalQuery(s.q, "X-Amz-Signature", "X-Amz-Security-Token")
		}
	} else {
		queries[0] = canonicalQuery(s.q)
	}

	// The part after the query is the same for every candidate.
	var tailBuf [1024]byte
	tail := append(tailBuf[:0], '\n')
	tail = appendCanonicalHeaders(tail, r, s.names)
	tail = append(tail, '\n')
	tail = append(tail, s.signedHeaders...)
	tail = append(tail, '\n')
	tail = append(tail, payload...)

	var stsBuf [256]byte
	sts := append(stsBuf[:0], algorithm+"\n"...)
	sts = append(sts, s.iso...)
	sts = append(sts, '\n')
	sts = append(sts, s.cred.scope...)
	sts = append(sts, '\n')
	stsLen := len(sts)

	mac := hmac.New(sha256.New, key)
	var crBuf [2048]byte
	var sum [sha256.Size]byte
	var want [2 * sha256.Size]byte
	for ui, uri := range uris {
		if ui > 0 && uri == "" {
			continue
		}
		for qi, cq := range queries {
			if qi > 0 && cq == "" {
				continue
			}
			h := sha256.Sum256(appendCanonicalRequest(crBuf[:0], r.Method, uri, cq, tail))
			sts = hex.AppendEncode(sts[:stsLen], h[:])
			mac.Reset()
			mac.Write(sts)
			hex.Encode(want[:], mac.Sum(sum[:0]))
			if subtle.ConstantTimeCompare(want[:], []byte(s.signature)) == 1 {
				return nil
			}
		}
	}
	e := newError(KindMismatch, msgMismatch)
	cr := appendCanonicalRequest(nil, r.Method, uris[0], queries[0], tail)
	e.CanonicalRequest = string(cr)
	h := sha256.Sum256(cr)
	e.StringToSign = string(hex.AppendEncode(sts[:stsLen], h[:]))
	return e
}

// appendCanonicalRequest appends the canonical request: method, URI and
// query, then the tail (headers, signed headers and payload hash).
func appendCanonicalRequest(b []byte, method, uri, query string, tail []byte) []byte {
	b = append(b, method...)
	b = append(b, '\n')
	b = append(b, uri...)
	b = append(b, '\n')
	b = append(b, query...)
	return append(b, tail...)
}
