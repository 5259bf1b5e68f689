package s3

import (
	"github.com/cairnhq/cairn"
)

// S3's errors, with the codes, statuses and messages of the S3 API
// reference ("Error responses", list of error codes). The statuses are
// spelled out here: the service does not import net/http.

const (
	statusNotModified         = 304
	statusBadRequest          = 400
	statusNotFound            = 404
	statusConflict            = 409
	statusPreconditionFailed  = 412
	statusRangeNotSatisfiable = 416
	statusNotImplemented      = 501
)

func s3err(status int, code, msg string) *cairn.Error {
	return &cairn.Error{Code: code, Message: msg, Status: status}
}

func noSuchBucket() *cairn.Error {
	return s3err(statusNotFound, "NoSuchBucket", "The specified bucket does not exist")
}

func noSuchKey() *cairn.Error {
	return s3err(statusNotFound, "NoSuchKey", "The specified key does not exist.")
}

func noSuchUpload() *cairn.Error {
	return s3err(statusNotFound, "NoSuchUpload",
		"The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.")
}

func bucketAlreadyExists() *cairn.Error {
	return s3err(statusConflict, "BucketAlreadyExists",
		"The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.")
}

func bucketAlreadyOwnedByYou() *cairn.Error {
	return s3err(statusConflict, "BucketAlreadyOwnedByYou",
		"Your previous request to create the named bucket succeeded and you already own it.")
}

func bucketNotEmpty() *cairn.Error {
	return s3err(statusConflict, "BucketNotEmpty", "The bucket you tried to delete is not empty")
}

func invalidBucketName() *cairn.Error {
	return s3err(statusBadRequest, "InvalidBucketName", "The specified bucket is not valid.")
}

func invalidArgument(msg string) *cairn.Error {
	return s3err(statusBadRequest, "InvalidArgument", msg)
}

func invalidRequest(msg string) *cairn.Error {
	return s3err(statusBadRequest, "InvalidRequest", msg)
}

func malformedXML() *cairn.Error {
	return s3err(statusBadRequest, "MalformedXML",
		"The XML you provided was not well-formed or did not validate against our published schema")
}

func accessDenied() *cairn.Error { return cairn.AccessDenied("Access Denied") }

func notImplemented(what string) *cairn.Error {
	return s3err(statusNotImplemented, "NotImplemented",
		"A header you provided implies functionality that is not implemented: "+what)
}

func preconditionFailed() *cairn.Error {
	return s3err(statusPreconditionFailed, "PreconditionFailed",
		"At least one of the pre-conditions you specified did not hold")
}

func notModified() *cairn.Error {
	return s3err(statusNotModified, "NotModified", "Not Modified")
}

func invalidRange() *cairn.Error {
	return s3err(statusRangeNotSatisfiable, "InvalidRange", "The requested range is not satisfiable")
}

func entityTooLarge() *cairn.Error {
	return s3err(statusBadRequest, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed object size.")
}

func incompleteBody() *cairn.Error {
	return s3err(statusBadRequest, "IncompleteBody",
		"You did not provide the number of bytes specified by the Content-Length HTTP header.")
}

func aclNotSupported() *cairn.Error {
	return s3err(statusBadRequest, "AccessControlListNotSupported", "The bucket does not allow ACLs")
}

func invalidTag(msg string) *cairn.Error { return s3err(statusBadRequest, "InvalidTag", msg) }

func malformedPolicy(msg string) *cairn.Error {
	return s3err(statusBadRequest, "MalformedPolicy", msg)
}

func wrongOwner() *cairn.Error { return accessDenied() }
