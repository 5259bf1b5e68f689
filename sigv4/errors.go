package sigv4

import (
	"errors"
	"strconv"
)

// Kind says why a request failed authentication. Each protocol maps a kind to
// its own error code; the comment of each kind lists the codes AWS uses.
type Kind uint8

// The kinds of authentication failure.
const (
	// KindMissing: the request carries no signature at all (no Authorization
	// header, no X-Amz-Signature/X-Amz-Credential/X-Amz-Algorithm query
	// parameter). Query/JSON: MissingAuthenticationToken. For S3 this is an
	// anonymous request, which a bucket policy may still allow.
	KindMissing Kind = iota + 1
	// KindIncomplete: the signature is present but malformed: an
	// Authorization header without Credential, SignedHeaders or Signature, a
	// credential that is not AKID/date/region/service/terminator, no usable
	// X-Amz-Date or Date, host not signed, a missing presign parameter.
	// Query/JSON: IncompleteSignature; S3: AuthorizationHeaderMalformed or
	// AuthorizationQueryParametersError.
	KindIncomplete
	// KindUnsupported: a well-formed request in a form Cairn does not verify:
	// Signature Version 2, SigV4A (ECDSA), both the Authorization header and
	// presign parameters, an X-Amz-Algorithm other than AWS4-HMAC-SHA256, an
	// x-amz-content-sha256 value that is neither a SHA-256 digest nor a known
	// streaming mode, an unknown x-amz-trailer. S3: InvalidArgument or
	// InvalidRequest; Query/JSON: IncompleteSignature.
	KindUnsupported
	// KindUnknownKey: the access key ID is not known. IAM/STS (Query):
	// InvalidClientTokenId; JSON: UnrecognizedClientException; S3:
	// InvalidAccessKeyId.
	KindUnknownKey
	// KindMismatch: the signature (or a chunk or trailer signature of an
	// aws-chunked body) does not match: SignatureDoesNotMatch.
	KindMismatch
	// KindSkew: the request time is more than MaxSkew away from now.
	// Query: RequestExpired (SignatureDoesNotMatch on IAM/STS); JSON:
	// InvalidSignatureException; S3: RequestTimeTooSkewed.
	KindSkew
	// KindExpired: a presigned URL used after X-Amz-Date + X-Amz-Expires.
	// S3: AccessDenied "Request has expired".
	KindExpired
	// KindInvalidExpires: X-Amz-Expires is not a number in 1..604800.
	// S3: AuthorizationQueryParametersError.
	KindInvalidExpires
	// KindScopeMismatch: the credential scope's date is not the date of
	// X-Amz-Date, or its terminator is not aws4_request. Query/JSON:
	// SignatureDoesNotMatch / InvalidSignatureException; S3:
	// AuthorizationHeaderMalformed.
	KindScopeMismatch
	// KindContentHashMismatch: the x-amz-content-sha256 header disagrees with
	// the SHA-256 of the body. S3: XAmzContentSHA256Mismatch.
	KindContentHashMismatch
	// KindBadDigest: a trailing checksum of an aws-chunked body
	// (x-amz-checksum-*) disagrees with the decoded bytes. S3: BadDigest.
	KindBadDigest
	// KindBadChunk: an aws-chunked body is malformed: a bad or absurd
	// chunk-size line, a missing CRLF, a truncated body, trailing data, a
	// malformed or undeclared trailer, a decoded length that disagrees with
	// x-amz-decoded-content-length. S3: IncompleteBody or
	// MalformedTrailerError.
	KindBadChunk
)

var kindNames = [...]string{
	KindMissing:             "Missing",
	KindIncomplete:          "Incomplete",
	KindUnsupported:         "Unsupported",
	KindUnknownKey:          "UnknownKey",
	KindMismatch:            "Mismatch",
	KindSkew:                "Skew",
	KindExpired:             "Expired",
	KindInvalidExpires:      "InvalidExpires",
	KindScopeMismatch:       "ScopeMismatch",
	KindContentHashMismatch: "ContentHashMismatch",
	KindBadDigest:           "BadDigest",
	KindBadChunk:            "BadChunk",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Error is an authentication failure. Message is safe to return to the
// caller: it never holds a secret key, a derived key or the signature the
// verifier expected.
type Error struct {
	Kind    Kind
	Message string

	// For KindMismatch of a request signature: the canonical request and the
	// string to sign the verifier computed (its first candidate), which S3
	// returns in its error document to help a client find its mistake.
	// Neither holds a secret or the expected signature.
	CanonicalRequest string
	StringToSign     string
}

func (e *Error) Error() string { return "sigv4: " + e.Kind.String() + ": " + e.Message }

// KindOf returns the Kind of the *Error in err's chain, or 0.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return 0
}

func newError(k Kind, msg string) *Error { return &Error{Kind: k, Message: msg} }

// Messages AWS returns, reproduced verbatim where AWS documents them.
const (
	// IAM/STS/Query protocol MissingAuthenticationToken.
	msgMissing = "Request is missing Authentication Token"
	// IAM/STS InvalidClientTokenId and JSON UnrecognizedClientException.
	msgUnknownKey = "The security token included in the request is invalid."
	// SignatureDoesNotMatch, every service.
	msgMismatch = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	// S3 AccessDenied for an expired presigned URL.
	msgExpired = "Request has expired"
	// S3 XAmzContentSHA256Mismatch.
	msgContentHash = "The provided 'x-amz-content-sha256' header does not match what was computed."
	// S3 MalformedTrailerError.
	msgMalformedTrailer = "The request contained trailing data that was not well-formed or did not conform to our published schema."
	// S3 InvalidArgument when two mechanisms are used at once.
	msgTwoMechanisms = "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified"
	// S3 AuthorizationQueryParametersError for a missing presign parameter.
	msgPresignParams = "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters."
	// Malformed credential, as S3's AuthorizationHeaderMalformed says it.
	msgBadCredential = "the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\"."
	// IncompleteSignature when host is not signed.
	msgHostNotSigned = "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."
	// Missing date, as IncompleteSignature words it.
	msgNoDate = "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
	// S3 AccessDenied for an unparsable date.
	msgBadDate = "AWS authentication requires a valid Date or x-amz-date header"
	// S3 AuthorizationQueryParametersError for X-Amz-Expires.
	msgExpiresNumber   = "X-Amz-Expires should be a number"
	msgExpiresNegative = "X-Amz-Expires must be non-negative"
	msgExpiresWeek     = "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds"
	// S3 InvalidRequest for the payload hash header.
	msgMissingContentSHA = "Missing required header for this request: x-amz-content-sha256"
	msgBadContentSHA     = "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, or a valid sha256 value."
)

// maxEcho bounds how much of a caller's malformed header an error message
// repeats back.
const maxEcho = 256

// echo prepares a piece of the request for an error message: truncated, and
// with every run of 32 or more hex digits (a signature, valid or not)
// replaced, so that error messages, which may be logged, never carry a
// signature someone could replay.
func echo(s string) string {
	if len(s) > maxEcho {
		s = s[:maxEcho] + "..."
	}
	var b []byte
	run := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && isHexDigit(s[i]) {
			run++
			continue
		}
		if run >= 32 {
			if b == nil {
				b = make([]byte, 0, len(s))
				b = append(b, s[:i-run]...)
			}
			b = append(b, "<redacted>"...)
		} else if b != nil {
			b = append(b, s[i-run:i]...)
		}
		if b != nil && i < len(s) {
			b = append(b, s[i])
		}
		run = 0
	}
	if b == nil {
		return s
	}
	return string(b)
}

func isHexDigit(c byte) bool {
	_, ok := unhex(c)
	return ok
}
