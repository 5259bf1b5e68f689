package sns

import (
	"errors"
	"fmt"
	"unicode"

	"github.com/cairnhq/cairn"
)

// SNS's errors, with the codes and HTTP statuses of its service model.
// Messages marked [aws] are AWS's own text as SNS answers it (from the
// AWS documentation, SDK issue threads and emulators that test against
// AWS); the rest are Cairn's wording where AWS's is not known.

// invalid is InvalidParameter (400) with AWS's "Invalid parameter: …"
// prefix.
func invalid(format string, args ...any) *cairn.Error {
	return cairn.Errorf(400, "InvalidParameter", "Invalid parameter: "+format, args...)
}

// invalidValue is InvalidParameterValue, whose code is ParameterValueInvalid
// (400): malformed message attributes.
func invalidValue(format string, args ...any) *cairn.Error {
	return cairn.Errorf(400, "ParameterValueInvalid", format, args...)
}

// topicNotFound [aws].
func topicNotFound() *cairn.Error {
	return cairn.Errorf(404, "NotFound", "Topic does not exist")
}

// subscriptionNotFound [aws].
func subscriptionNotFound() *cairn.Error {
	return cairn.Errorf(404, "NotFound", "Subscription does not exist")
}

// resourceNotFound is the tagging operations' error for a topic that does
// not exist.
func resourceNotFound() *cairn.Error {
	return cairn.Errorf(404, "ResourceNotFound", "Resource does not exist")
}

// required is the model validation of a missing required member [aws]:
// 1 validation error detected: Value null at 'topicArn' failed to satisfy
// constraint: Member must not be null.
func required(member string) *cairn.Error {
	return cairn.Errorf(400, "ValidationError",
		"1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", lowerFirst(member))
}

// notAuthorized is a denial SNS decides itself (who may unsubscribe, read a
// subscription), worded as the funnel words its denials; the adapter
// renders it as AuthorizationError.
func notAuthorized(p *cairn.Principal, action, resource string) *cairn.Error {
	who := p.ARN
	if who == "" {
		who = "anonymous"
	}
	return cairn.AccessDenied(fmt.Sprintf("User: %s is not authorized to perform: %s on resource: %s", who, action, resource))
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToLower(r[0])
	return string(r)
}

// Errors of CheckPublish and PublishAs; the wiring maps them to the
// errors of the service that asked (CloudTrail's InsufficientSnsTopicPolicy).
var (
	// ErrNotFound: the topic does not exist.
	ErrNotFound = errors.New("sns: topic does not exist")
	// ErrAccessDenied: the topic policy does not allow the service
	// principal to publish.
	ErrAccessDenied = errors.New("sns: the topic policy does not allow the service principal to publish")
)

// errorf wraps an internal failure with context; it is never a *cairn.Error.
func errorf(format string, args ...any) error { return fmt.Errorf("sns: "+format, args...) }
