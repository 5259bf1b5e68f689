package logs

import (
	"fmt"

	"github.com/cairnhq/cairn"
)

// CloudWatch Logs' exceptions. AWS answers every modelled client error with
// HTTP 400. Messages marked [aws] are AWS's own text as seen in the wild
// (CLI output, SDK issue threads); the rest are Cairn's wording where AWS's
// is not known.

func logsErr(code, format string, args ...any) *cairn.Error {
	return cairn.Errorf(400, code, format, args...)
}

// groupNotFound [aws].
func groupNotFound() *cairn.Error {
	return logsErr("ResourceNotFoundException", "The specified log group does not exist.")
}

// streamNotFound [aws].
func streamNotFound() *cairn.Error {
	return logsErr("ResourceNotFoundException", "The specified log stream does not exist.")
}

// filterNotFound [aws].
func filterNotFound() *cairn.Error {
	return logsErr("ResourceNotFoundException", "The specified metric filter does not exist.")
}

// groupExists [aws].
func groupExists() *cairn.Error {
	return logsErr("ResourceAlreadyExistsException", "The specified log group already exists")
}

// streamExists [aws].
func streamExists() *cairn.Error {
	return logsErr("ResourceAlreadyExistsException", "The specified log stream already exists")
}

func invalidParameter(format string, args ...any) *cairn.Error {
	return logsErr("InvalidParameterException", format, args...)
}

// validation is AWS's (Coral's) input-validation wording, which CloudWatch
// Logs answers as InvalidParameterException: 1 validation error detected:
// Value 'x' at 'member' failed to satisfy constraint: Member must ….
func validation(member, value, constraint string) *cairn.Error {
	return invalidParameter("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: %s", value, member, constraint)
}

func validationNull(member string) *cairn.Error {
	return invalidParameter("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", member)
}

// outOfOrder [aws].
func outOfOrder() *cairn.Error {
	return invalidParameter("Log events in a single PutLogEvents request must be in chronological order.")
}

// spanTooLong [aws].
func spanTooLong() *cairn.Error {
	return invalidParameter("The batch of log events in a single PutLogEvents request cannot span more than 24 hours.")
}

// invalidToken [aws].
func invalidToken() *cairn.Error {
	return invalidParameter("The specified nextToken is invalid.")
}

// invalidPattern [aws]: metric filters and TestMetricFilter.
func invalidMetricPattern() *cairn.Error {
	return invalidParameter("Invalid metric filter pattern")
}

// invalidFilterPattern [aws]: FilterLogEvents.
func invalidFilterPattern() *cairn.Error {
	return invalidParameter("Invalid filter pattern")
}

func limitExceeded(format string, args ...any) *cairn.Error {
	return logsErr("LimitExceededException", format, args...)
}

func tooManyTags(arn string) *cairn.Error {
	return logsErr("TooManyTagsException", "A resource can have no more than 50 tags: %s", arn)
}

// deletionProtected answers deletes of a log group with deletion protection.
func deletionProtected() *cairn.Error {
	return logsErr("ValidationException", "Cannot delete log group with deletion protection enabled. Disable deletion protection first.")
}

// errorf wraps an internal failure with context; it is never a *cairn.Error.
func errorf(format string, args ...any) error { return fmt.Errorf("logs: "+format, args...) }
