package server

import (
	"io"
	"net/http"

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

// Response is an encoded response, ready to write once its event is
// durable.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
	// Stream, when set, is copied after Body (object downloads).
	Stream io.ReadCloser
}

// AuthFailure classifies authentication failures; each protocol names
// them its own way (InvalidClientTokenId versus UnrecognizedClientException).
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
)
