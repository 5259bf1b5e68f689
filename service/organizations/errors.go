package organizations

import "github.com/cairnhq/cairn"

// Organizations answers every client error with HTTP 400. Messages are
// AWS's own where one was observed in a real response; otherwise they are
// the wording of the botocore model's documentation of the exception or of
// its reason code. Sources:
//
//   - observed AWS responses quoted in public issues, CLI transcripts and
//     tracebacks: "Your account is not a member of an organization.",
//     "The AWS account is already a member of an organization.", "You
//     specified an account that doesn't exist.", "This operation can be
//     performed only for enabled policy types.", "You provided a value that
//     does not match the required pattern.", "You don't have permissions to
//     access this resource." (management-only calls from a member account),
//     and "A policy with the specified name and type already exists." (the
//     text AWS returns both for a duplicate policy name and, sic, for
//     DuplicatePolicyAttachmentException);
//   - moto's Organizations backend, whose messages were written against
//     AWS: "You specified a target that doesn't exist.", "You specified a
//     root that doesn't exist.", "The specified policy type is already
//     enabled.";
//   - the botocore model (organizations 2016-11-28): PolicyNotFound,
//     PolicyInUse, PolicyNotAttached, CreateAccountStatusNotFound, and the
//     reason texts of InvalidInputException and ConstraintViolationException;
//   - policy.ValidationError for SCP documents, whose message is the one
//     Organizations gives for every grammar fault.
//
// InvalidInputException and ConstraintViolationException carry a Reason
// member on AWS. cairn.Error has no place for extra members, so the reason
// code is named beside each message below but not sent on the wire.
const (
	statusClient = 400

	codeNotInUse             = "AWSOrganizationsNotInUseException"
	codeAlreadyInOrg         = "AlreadyInOrganizationException"
	codeAccessDenied         = "AccessDeniedException"
	codeAccountNotFound      = "AccountNotFoundException"
	codeCreateStatusNotFound = "CreateAccountStatusNotFoundException"
	codeRootNotFound         = "RootNotFoundException"
	codeTargetNotFound       = "TargetNotFoundException"
	codePolicyNotFound       = "PolicyNotFoundException"
	codePolicyInUse          = "PolicyInUseException"
	codePolicyNotAttached    = "PolicyNotAttachedException"
	codeDuplicateAttachment  = "DuplicatePolicyAttachmentException"
	codeDuplicatePolicy      = "DuplicatePolicyException"
	codeTypeNotEnabled       = "PolicyTypeNotEnabledException"
	codeTypeAlreadyEnabled   = "PolicyTypeAlreadyEnabledException"
	codeMalformedPolicy      = "MalformedPolicyDocumentException"
	codeInvalidInput         = "InvalidInputException"
	codeConstraintViolation  = "ConstraintViolationException"
)

// Messages.
const (
	msgNotInUse             = "Your account is not a member of an organization."
	msgAlreadyInOrg         = "The AWS account is already a member of an organization."
	msgAccessDenied         = "You don't have permissions to access this resource."
	msgAccountNotFound      = "You specified an account that doesn't exist."
	msgCreateStatusNotFound = "We can't find an create account request with the CreateAccountRequestId that you specified." // sic, the model's wording
	msgRootNotFound         = "You specified a root that doesn't exist."
	msgTargetNotFound       = "You specified a target that doesn't exist."
	msgPolicyNotFound       = "We can't find a policy with the PolicyId that you specified."
	msgPolicyInUse          = "The policy is attached to one or more entities. You must detach it from all roots, OUs, and accounts before performing this operation."
	msgPolicyNotAttached    = "The policy isn't attached to the specified target in the specified root."
	msgDuplicatePolicy      = "A policy with the specified name and type already exists."
	msgTypeNotEnabled       = "This operation can be performed only for enabled policy types."
	msgTypeAlreadyEnabled   = "The specified policy type is already enabled."

	// InvalidInputException reasons.
	msgInputRequired      = "You must include a value for all required parameters."                                                          // INPUT_REQUIRED
	msgInvalidPattern     = "You provided a value that does not match the required pattern."                                                 // INVALID_PATTERN
	msgInvalidTargetID    = "You specified a policy target ID that doesn't match the required pattern."                                      // INVALID_PATTERN_TARGET_ID
	msgInvalidEnum        = "You specified an invalid value."                                                                                // INVALID_ENUM
	msgMaxLength          = "You provided a string parameter that is longer than allowed."                                                   // MAX_LENGTH_EXCEEDED
	msgMinLength          = "You provided a string parameter that is shorter than allowed."                                                  // MIN_LENGTH_EXCEEDED
	msgMaxValue           = "You provided a numeric parameter that has a larger value than allowed."                                         // MAX_VALUE_EXCEEDED
	msgMinValue           = "You provided a numeric parameter that has a smaller value than allowed."                                        // MIN_VALUE_EXCEEDED
	msgInvalidNextToken   = "Get the value for the NextToken parameter from the response to a previous call of the operation."               // INVALID_NEXT_TOKEN
	msgImmutablePolicy    = "You specified a policy that is managed by AWS and can't be modified."                                           // IMMUTABLE_POLICY
	msgInvalidRoleName    = "You provided a role name that isn't valid. A role name can't begin with the reserved prefix AWSServiceRoleFor." // INVALID_ROLE_NAME
	msgDuplicateTagKey    = "Tag keys must be unique among the tags attached to the same entity."                                            // DUPLICATE_TAG_KEY
	msgUnsupportedType    = "Cairn supports only the SERVICE_CONTROL_POLICY policy type."                                                    // Cairn's own: AWS accepts the other types
	msgUnsupportedFeature = "Cairn supports only organizations with all features enabled (FeatureSet ALL)."                                  // Cairn's own

	// ConstraintViolationException reasons.
	msgMinAttachments  = "You attempted to detach a policy from an entity that would cause the entity to have fewer than the minimum number of policies of a certain type required." // MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED
	msgMaxAttachments  = "You attempted to exceed the number of policies of a certain type that can be attached to an entity at one time."                                           // MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED
	msgPolicyTooLarge  = "You attempted to create a policy that is larger than the maximum size."                                                                                    // POLICY_CONTENT_LIMIT_EXCEEDED
	msgTooManyPolicies = "You attempted to exceed the number of policies that you can have in an organization."                                                                      // POLICY_NUMBER_LIMIT_EXCEEDED
	msgTooManyTags     = "You have exceeded the number of tags allowed on this resource."                                                                                            // MAX_TAG_LIMIT_EXCEEDED
)

func orgError(code, msg string) *cairn.Error {
	return &cairn.Error{Code: code, Message: msg, Status: statusClient}
}

func errNotInUse() *cairn.Error     { return orgError(codeNotInUse, msgNotInUse) }
func errAccessDenied() *cairn.Error { return orgError(codeAccessDenied, msgAccessDenied) }
func errPolicyNotFound() *cairn.Error {
	return orgError(codePolicyNotFound, msgPolicyNotFound)
}
func errTargetNotFound() *cairn.Error { return orgError(codeTargetNotFound, msgTargetNotFound) }
func errInvalidInput(msg string) *cairn.Error {
	return orgError(codeInvalidInput, msg)
}
func errConstraint(msg string) *cairn.Error {
	return orgError(codeConstraintViolation, msg)
}
