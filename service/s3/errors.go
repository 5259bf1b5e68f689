package s3

import (
	"net/http"

	"github.com/cairnhq/cairn"
)

// S3's errors, with the codes, statuses and messages of the S3 API
// reference ("Error responses", list of error codes).

func s3err(status int, code, msg string) *cairn.Error {
	return &cairn.Error{Code: code, Message: msg, Status: status}
}

func noSuchBucket() *cairn.Error {
	return s3err(http.StatusNotFound, "NoSuchBucket", "The specified bucket does not exist")
}

func noSuchKey() *cairn.Error {
	return s3err(http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
}

func noSuchUpload() *cairn.Error {
	return s3err(http.StatusNotFound, "NoSuchUpload",
		"The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.")
}

func bucketAlreadyExists() *cairn.Error {
	return s3err(http.StatusConflict, "BucketAlreadyExists",
		"The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.")
}

func bucketAlreadyOwnedByYou() *cairn.Error {
	return s3err(http.StatusConflict, "BucketAlreadyOwnedByYou",
		"Your previous request to create the named bucket succeeded and you already own it.")
}

func bucketNotEmpty() *cairn.Error {
	return s3err(http.StatusConflict, "BucketNotEmpty", "The bucket you tried to delete is not empty")
}

func invalidBucketName() *cairn.Error {
	return s3err(http.StatusBadRequest, "InvalidBucketName", "The specified bucket is not valid.")
}

func invalidArgument(msg string) *cairn.Error {
	return s3err(http.StatusBadRequest, "InvalidArgument", msg)
}

func invalidRequest(msg string) *cairn.Error {
	return s3err(http.StatusBadRequest, "InvalidRequest", msg)
}

func malformedXML() *cairn.Error {
	return s3err(http.StatusBadRequest, "MalformedXML",
		"The XML you provided was not well-formed or did not validate against our published schema")
}

func accessDenied() *cairn.Error { return cairn.AccessDenied("Access Denied") }

func notImplemented(what string) *cairn.Error {
	return s3err(http.StatusNotImplemented, "NotImplemented",
		"A header you provided implies functionality that is not implemented: "+what)
}

func preconditionFailed() *cairn.Error {
	return s3err(http.StatusPreconditionFailed, "PreconditionFailed",
		"At least one of the pre-conditions you specified did not hold")
}

func notModified() *cairn.Error {
	return s3err(http.StatusNotModified, "NotModified", "Not Modified")
}

func invalidRange() *cairn.Error {
	return s3err(http.StatusRequestedRangeNotSatisfiable, "InvalidRange", "The requested range is not satisfiable")
}

func entityTooLarge() *cairn.Error {
	return s3err(http.StatusBadRequest, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed object size.")
}

func incompleteBody() *cairn.Error {
	return s3err(http.StatusBadRequest, "IncompleteBody",
		"You did not provide the number of bytes specified by the Content-Length HTTP header.")
}

func aclNotSupported() *cairn.Error {
	return s3err(http.StatusBadRequest, "AccessControlListNotSupported", "The bucket does not allow ACLs")
}

func invalidTag(msg string) *cairn.Error { return s3err(http.StatusBadRequest, "InvalidTag", msg) }

func malformedPolicy(msg string) *cairn.Error {
	return s3err(http.StatusBadRequest, "MalformedPolicy", msg)
}

func wrongOwner() *cairn.Error { return accessDenied() }
