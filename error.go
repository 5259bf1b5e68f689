package cairn

import (
	"errors"
	"fmt"
)

// Error is a domain error with an AWS error code. The code and the HTTP
// status are part of the AWS service model, so they travel together; each
// protocol adapter chooses the envelope. Any error that is not an *Error is
// rendered as InternalFailure with a generic message.
type Error struct {
	Code    string // AWS error code, e.g. NoSuchEntity
	Message string // human-readable, safe to show to the caller
	Status  int    // HTTP status AWS uses for this code
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Sender reports whether the fault lies with the caller (4xx), the
// Query protocol's <Type>Sender</Type>.
func (e *Error) Sender() bool { return e.Status < 500 }

// Errorf builds an *Error with a formatted message.
func Errorf(status int, code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Status: status}
}

// AsError returns the *Error in err's chain, or nil.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// Generic errors any AWS API can return.

// InternalFailure is what callers see for any error that is not an *Error.
func InternalFailure() *Error {
	return &Error{Code: "InternalFailure", Message: "The request processing has failed because of an unknown error, exception or failure.", Status: 500}
}

// AccessDenied is the generic authorization failure; services whose model
// names it differently (AccessDeniedException) rename the code in their
// adapter table.
func AccessDenied(msg string) *Error {
	return &Error{Code: "AccessDenied", Message: msg, Status: 403}
}

// ErrNotFound is returned by stores and lookups when a key does not exist.
var ErrNotFound = errors.New("not found")

// ErrExists is returned by stores when an insert meets an existing key.
var ErrExists = errors.New("already exists")
