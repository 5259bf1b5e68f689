package iam

import (
	"fmt"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/policy"
)

// IAM's error codes and HTTP statuses, from the botocore model.
const (
	codeNoSuchEntity       = "NoSuchEntity"
	codeEntityExists       = "EntityAlreadyExists"
	codeDeleteConflict     = "DeleteConflict"
	codeLimitExceeded      = "LimitExceeded"
	codeMalformedPolicy    = "MalformedPolicyDocument"
	codeInvalidInput       = "InvalidInput"
	codeValidation         = "ValidationError"
	codePolicyEvaluation   = "PolicyEvaluation"
	statusNoSuchEntity     = 404
	statusConflict         = 409
	statusBadRequest       = 400
	statusMalformedPolicy  = 400
	statusValidationFailed = 400
)

func noSuchEntity(format string, args ...any) *cairn.Error {
	return cairn.Errorf(statusNoSuchEntity, codeNoSuchEntity, format, args...)
}

// noSuchNamed is "The user with name X cannot be found." and its group and
// role forms.
func noSuchNamed(kind entityKind, name string) *cairn.Error {
	return noSuchEntity("The %s with name %s cannot be found.", kind, name)
}

func noSuchUser(name string) *cairn.Error { return noSuchNamed(kindUser, name) }

func noSuchRole(name string) *cairn.Error { return noSuchNamed(kindRole, name) }

func noSuchAccessKey(id string) *cairn.Error {
	return noSuchEntity("The Access Key with id %s cannot be found.", id)
}

func noSuchPolicy(arn string) *cairn.Error {
	return noSuchEntity("Policy %s was not found.", arn)
}

func policyNotAttachable(arn string) *cairn.Error {
	return noSuchEntity("Policy %s does not exist or is not attachable.", arn)
}

func noSuchPolicyVersion(arn, version string) *cairn.Error {
	return noSuchEntity("Policy %s version %s does not exist or is not attachable.", arn, version)
}

func noSuchBoundary(arn string) *cairn.Error {
	return noSuchEntity("Scope ARN: %s does not exist or is not attachable.", arn)
}

// noSuchInline is "The user policy with name X cannot be found." and its
// group and role forms.
func noSuchInline(kind entityKind, name string) *cairn.Error {
	return noSuchEntity("The %s policy with name %s cannot be found.", kind, name)
}

func alreadyExists(format string, args ...any) *cairn.Error {
	return cairn.Errorf(statusConflict, codeEntityExists, format, args...)
}

func deleteConflict(msg string) *cairn.Error {
	return &cairn.Error{Code: codeDeleteConflict, Message: msg, Status: statusConflict}
}

// DeleteConflict messages, as IAM words them.
const (
	msgMustDeleteKeys      = "Cannot delete entity, must delete access keys first."
	msgMustDeletePolicies  = "Cannot delete entity, must delete policies first."
	msgMustDetachPolicies  = "Cannot delete entity, must detach all policies first."
	msgMustRemoveFromGroup = "Cannot delete entity, must remove users from group first."
	msgPolicyAttached      = "Cannot delete a policy attached to entities."
	msgPolicyHasVersions   = "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy."
	msgDefaultVersion      = "Cannot delete the default version of a policy."
)

func limitExceeded(format string, args ...any) *cairn.Error {
	return cairn.Errorf(statusConflict, codeLimitExceeded, format, args...)
}

func quotaExceeded(quota string, limit int) *cairn.Error {
	return limitExceeded("Cannot exceed quota for %s: %d", quota, limit)
}

func malformedPolicy(msg string) *cairn.Error {
	return &cairn.Error{Code: codeMalformedPolicy, Message: msg, Status: statusMalformedPolicy}
}

func invalidInput(format string, args ...any) *cairn.Error {
	return cairn.Errorf(statusBadRequest, codeInvalidInput, format, args...)
}

// awsPolicyDenied refuses a change to an AWS managed policy the way AWS
// does: the policy belongs to the "aws" account, whose (absent) resource
// policy grants the caller nothing.
func awsPolicyDenied(c *cairn.Call, action, arn string) *cairn.Error {
	d := policy.Decision{Effect: policy.ImplicitDeny, DeniedBy: policy.Resource}
	return cairn.AccessDenied(d.Message(c.Principal.ARN, action, "policy "+arn))
}

// policyEvaluation is the simulator's failure to evaluate a stored policy
// (PolicyEvaluationException, a server fault).
func policyEvaluation(format string, args ...any) *cairn.Error {
	return cairn.Errorf(500, codePolicyEvaluation, format, args...)
}

func invalidARN(arn string) *cairn.Error {
	return invalidInput("ARN %s is not valid.", arn)
}

// validationError is the AWS (Coral) input-validation wording:
// "1 validation error detected: Value 'x' at 'userName' failed to satisfy
// constraint: Member must …". IAM leaves the value out for string members
// that fail a length constraint, so value may be empty.
func validationError(member, value, constraint string) *cairn.Error {
	v := "Value"
	if value != "" {
		v = fmt.Sprintf("Value '%s'", value)
	}
	return &cairn.Error{
		Code:    codeValidation,
		Message: fmt.Sprintf("1 validation error detected: %s at '%s' failed to satisfy constraint: %s", v, member, constraint),
		Status:  statusValidationFailed,
	}
}

func validationMsg(format string, args ...any) *cairn.Error {
	return cairn.Errorf(statusValidationFailed, codeValidation, format, args...)
}
