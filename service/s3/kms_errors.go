package s3

import (
	"github.com/cairnhq/cairn"
)

// keyError turns the error of an SSE-KMS data key request into the one S3
// answers with. S3 passes KMS's refusals on under KMS's own code prefixed
// with "KMS." (KMS.DisabledException, KMS.KMSInvalidStateException,
// KMS.NotFoundException, HTTP 400; KMS's own failures keep their 5xx),
// except a missing permission, which is
// S3's AccessDenied (403) with KMS's explanation, so that a caller cannot
// tell an S3 denial from a KMS one by its code. Errors of SSE-S3 keys and
// failures that are not KMS's answer (an event that could not be recorded)
// pass unchanged.
func keyError(r KeyRequest, err error) error {
	if r.Algorithm == sseS3 {
		return err
	}
	ce := cairn.AsError(err)
	if ce == nil {
		return err
	}
	switch ce.Code {
	case "AccessDenied", "AccessDeniedException":
		return cairn.AccessDenied(ce.Message)
	}
	status := statusBadRequest
	if ce.Status >= 500 {
		status = ce.Status // KMS's own failures (KMSInternalException) stay 5xx
	}
	return s3err(status, "KMS."+ce.Code, ce.Message)
}
