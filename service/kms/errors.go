package kms

import (
	"fmt"

	"github.com/cairnhq/cairn"
)

// KMS's exceptions. AWS answers every modelled client error with HTTP 400
// and KMSInternalException with 500. Messages marked [aws] are AWS's own
// text as seen in the wild (CLI output, SDK issue threads, emulators that
// copy AWS); the rest are Cairn's wording where AWS's is not known.

func kmsErr(code, format string, args ...any) *cairn.Error {
	return cairn.Errorf(400, code, format, args...)
}

// keyNotFound [aws]: Key '<arn>' does not exist.
func keyNotFound(arn string) *cairn.Error {
	return kmsErr("NotFoundException", "Key '%s' does not exist", arn)
}

// aliasNotFound [aws]: Alias <alias arn> is not found.
func aliasNotFound(aliasARN string) *cairn.Error {
	return kmsErr("NotFoundException", "Alias %s is not found.", aliasARN)
}

// invalidARNRegion [aws]: Invalid arn <region>, for a key or alias ARN of
// a region other than the one the call is served in.
func invalidARNRegion(region string) *cairn.Error {
	return kmsErr("NotFoundException", "Invalid arn %s", region)
}

// invalidKeyID [aws] is a KeyId that is neither a key ID, a key ARN, an
// alias name nor an alias ARN.
func invalidKeyID(id string) *cairn.Error {
	return kmsErr("NotFoundException", "Invalid keyId '%s'", id)
}

// disabled [aws]: <key arn> is disabled.
func disabled(arn string) *cairn.Error {
	return kmsErr("DisabledException", "%s is disabled.", arn)
}

// pendingDeletion [aws]: <key arn> is pending deletion.
func pendingDeletion(arn string) *cairn.Error {
	return kmsErr("KMSInvalidStateException", "%s is pending deletion.", arn)
}

// notPendingDeletion [aws]: <key arn> is not pending deletion.
func notPendingDeletion(arn string) *cairn.Error {
	return kmsErr("KMSInvalidStateException", "%s is not pending deletion.", arn)
}

// invalidCiphertext [aws]: AWS gives no message.
func invalidCiphertext() *cairn.Error {
	return kmsErr("InvalidCiphertextException", "")
}

// incorrectKey [aws].
func incorrectKey() *cairn.Error {
	return kmsErr("IncorrectKeyException", "The key ID in the request does not identify a CMK that can perform this operation.")
}

// invalidKeyUsage: an algorithm or usage the key does not support.
func invalidKeyUsage(format string, args ...any) *cairn.Error {
	return kmsErr("InvalidKeyUsageException", format, args...)
}

// aliasExists [aws]: An alias with the name <alias arn> already exists.
func aliasExists(aliasARN string) *cairn.Error {
	return kmsErr("AlreadyExistsException", "An alias with the name %s already exists", aliasARN)
}

// malformedPolicy is MalformedPolicyDocumentException.
func malformedPolicy(msg string) *cairn.Error {
	return kmsErr("MalformedPolicyDocumentException", "%s", msg)
}

// lockout [aws] is the lockout safety check's refusal.
func lockout() *cairn.Error {
	return malformedPolicy("The new key policy will not allow you to update the key policy in the future.")
}

func unsupported(format string, args ...any) *cairn.Error {
	return kmsErr("UnsupportedOperationException", format, args...)
}

func invalidAliasName(format string, args ...any) *cairn.Error {
	return kmsErr("InvalidAliasNameException", format, args...)
}

// notAuthorized [moto]: creating, changing or deleting an AWS managed alias.
func notAuthorized() *cairn.Error {
	return kmsErr("NotAuthorizedException", "")
}

func invalidMarker() *cairn.Error {
	return kmsErr("InvalidMarkerException", "Invalid marker")
}

func invalidGrantID() *cairn.Error {
	return kmsErr("InvalidGrantIdException", "Invalid grant ID")
}

func invalidGrantToken() *cairn.Error {
	return kmsErr("InvalidGrantTokenException", "Invalid grant token")
}

func invalidARN(arn string) *cairn.Error {
	return kmsErr("InvalidArnException", "ARN %s is not valid.", arn)
}

func tagError(format string, args ...any) *cairn.Error {
	return kmsErr("TagException", format, args...)
}

func limitExceeded(format string, args ...any) *cairn.Error {
	return kmsErr("LimitExceededException", format, args...)
}

// dryRun [aws]: a DryRun request that would have succeeded.
func dryRun() *cairn.Error {
	return kmsErr("DryRunOperationException", "The request would have succeeded, but the DryRun option is set.")
}

// validation is AWS's (Coral's) input-validation wording:
// 1 validation error detected: Value 'x' at 'member' failed to satisfy
// constraint: Member must …. Sensitive or long values are left out, as AWS
// leaves them out, by passing value "".
func validation(member, value, constraint string) *cairn.Error {
	v := "Value"
	if value != "" {
		v = fmt.Sprintf("Value '%s'", value)
	}
	return kmsErr("ValidationException", "1 validation error detected: %s at '%s' failed to satisfy constraint: %s", v, member, constraint)
}

func validationMsg(format string, args ...any) *cairn.Error {
	return kmsErr("ValidationException", format, args...)
}

// errorf wraps an internal failure with context; it is never a *cairn.Error.
func errorf(format string, args ...any) error { return fmt.Errorf("kms: "+format, args...) }
