package server

import (
	"io"
	"net/http"
	"strings"

	"github.com/cairnhq/cairn"
)

// Protocol is one wire protocol bound to one service: it names the
// requested operation, decodes inputs, and encodes outputs and errors in the
// protocol's envelope. Implementations live in the adapter packages
// (awsjson, awsquery, restxml).
type Protocol interface {
	// OperationName returns the requested operation's wire name, or a
	// *cairn.Error when the request is malformed.
	OperationName(r *http.Request, body []byte) (string, error)
	// Decode binds the request to a new input of op. Malformed input
	// returns a *cairn.Error (SerializationException, ValidationError, …).
	// For an operation a Streamer streams, body is nil and r.Body is the
	// payload reader, verified as it is read (see Streamer).
	Decode(r *http.Request, body []byte, op *cairn.Operation) (any, error)
	// Encode renders a successful output.
	Encode(requestID string, op *cairn.Operation, out any) (*Response, error)
	// Normalize renames a generic error to the service's own spelling
	// (AccessDenied → AccessDeniedException on JSON services), so that
	// the response and the event carry the same code.
	Normalize(e *cairn.Error) *cairn.Error
	// EncodeError renders a normalized error.
	EncodeError(requestID string, e *cairn.Error) *Response
	// AuthError is the error this protocol uses for an authentication
	// failure.
	AuthError(f AuthFailure, message string) *cairn.Error
	// UnknownOperation is the error for an operation the service lacks.
	UnknownOperation(name string) *cairn.Error
}

// Streamer is implemented by protocols of bindings with Stream set (S3),
// some of whose operations take the request body as a stream instead of
// bytes in memory (object uploads).
type Streamer interface {
	// StreamsBody reports whether the named operation's body is handed to
	// Decode as r.Body, unread. Such a body is the payload reader of the
	// sigv4 package: it is verified only when it returns io.EOF, and
	// returns a *cairn.Error (the protocol's AuthError for the failure)
	// instead when the body does not match what was signed; whoever
	// stores it must discard what it read on any error.
	StreamsBody(op string) bool
}

// RequestErrors is implemented by protocols whose error documents name
// the resource of the request (S3's <Resource>, <BucketName>, <Key>).
// The funnel then renders errors with it instead of EncodeError.
type RequestErrors interface {
	EncodeRequestError(r *http.Request, requestID string, e *cairn.Error) *Response
}

// Response is an encoded response, ready to write once its event is
// durable.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
	// Stream, when set, is copied after Body (object downloads), and
	// closed. The protocol sets Content-Length in Header when it knows
	// it; without one the response is chunked.
	Stream io.ReadCloser
}

// AuthFailure classifies authentication failures; each protocol names
// them its own way (InvalidClientTokenId versus UnrecognizedClientException).
// The failures after AuthExpiredURL refine earlier ones for protocols that
// tell them apart (S3); a protocol whose AuthError returns an error without
// a code for one of them is asked again with Coarse().
type AuthFailure int

// The authentication failures.
const (
	AuthMissing      AuthFailure = iota // no credentials at all
	AuthIncomplete                      // malformed signature elements
	AuthUnknownKey                      // access key ID not known, or inactive
	AuthMismatch                        // signature does not match
	AuthSkew                            // request time too far from now
	AuthExpiredToken                    // temporary credentials expired
	AuthInvalidToken                    // session token missing or wrong
	AuthExpiredURL                      // presigned URL past its expiry

	AuthUnsupported       // a signing form Cairn does not verify (SigV2, SigV4A, …); coarse: AuthIncomplete
	AuthInvalidExpires    // X-Amz-Expires out of range; coarse: AuthIncomplete
	AuthScopeMismatch     // credential scope date or terminator wrong; coarse: AuthIncomplete
	AuthPresignIncomplete // malformed presigned URL parameters; coarse: AuthIncomplete
	AuthContentMismatch   // the body does not hash to x-amz-content-sha256; coarse: AuthMismatch
	AuthBadDigest         // a trailing checksum does not match the body; coarse: AuthMismatch
	AuthBadChunk          // a malformed aws-chunked body; coarse: AuthIncomplete
)

// Coarse returns the failure of the original set (AuthMissing …
// AuthExpiredURL) that f refines.
func (f AuthFailure) Coarse() AuthFailure {
	switch f {
	case AuthUnsupported, AuthInvalidExpires, AuthScopeMismatch, AuthPresignIncomplete, AuthBadChunk:
		return AuthIncomplete
	case AuthContentMismatch, AuthBadDigest:
		return AuthMismatch
	}
	return f
}

// AuthErrors is a protocol's table of authentication failures.
type AuthErrors map[AuthFailure]cairn.Error

// Error returns the table's error for f. The verifier's message replaces
// the table's, except where AWS answers with a fixed text whatever went
// wrong (unknown keys and tokens), so that the answer does not tell a caller
// which part of a credential it guessed right. A failure the table lacks is
// reported as incomplete.
func (t AuthErrors) Error(f AuthFailure, message string) *cairn.Error {
	e, ok := t[f]
	if !ok {
		e = t[AuthIncomplete]
	}
	if e.Message == "" || message != "" && f != AuthUnknownKey && f != AuthInvalidToken {
		e.Message = message
	}
	return &e
}

// MatchTarget reports whether an X-Amz-Target prefix names the service
// whose full target prefix is full: botocore sends the full prefix
// (com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101), the Go SDK
// only its last part (CloudTrail_20131101).
func MatchTarget(full, prefix string) bool {
	return prefix == full || strings.HasSuffix(full, "."+prefix)
}
