package policy

// Reason classifies why a document was rejected. It is stable, so that a
// service whose wording differs from IAM's (SNS, KMS, …) can render its own
// message from it.
type Reason int

// The reasons a document can be rejected.
const (
	// ReasonInvalidJSON: not a JSON object (or trailing data after it).
	ReasonInvalidJSON Reason = iota + 1
	// ReasonSyntax: an element has the wrong JSON type or an impossible
	// combination (Action with NotAction, …).
	ReasonSyntax
	// ReasonUnknownField: an element the grammar does not define.
	ReasonUnknownField
	// ReasonInvalidVersion: Version is not 2012-10-17 or 2008-10-17.
	ReasonInvalidVersion
	// ReasonVersionTooOld: the caller required 2012-10-17 (IAM managed
	// policies) and the document is older or has no Version.
	ReasonVersionTooOld
	// ReasonMissingStatement: no Statement element.
	ReasonMissingStatement
	// ReasonEmptyStatement: Statement is an empty array.
	ReasonEmptyStatement
	// ReasonMissingEffect: a statement has no Effect.
	ReasonMissingEffect
	// ReasonInvalidEffect: Effect is neither Allow nor Deny in any case.
	ReasonInvalidEffect
	// ReasonLegacyParsing: IAM's second, stricter parser rejected the
	// document: Effect not spelled exactly Allow/Deny, an unparseable date
	// in a Date condition, or a resource with too few ARN parts.
	ReasonLegacyParsing
	// ReasonUnknownOperator: a condition operator the language lacks.
	ReasonUnknownOperator
	// ReasonSidFormat: a Sid with characters other than ASCII letters and
	// digits in an IAM-hosted document.
	ReasonSidFormat
	// ReasonDuplicateSid: two statements share a non-empty Sid.
	ReasonDuplicateSid
	// ReasonMissingAction: neither Action nor NotAction (or an empty list).
	ReasonMissingAction
	// ReasonMissingResource: neither Resource nor NotResource where the kind
	// requires one (or an empty list).
	ReasonMissingResource
	// ReasonInvalidResource: a resource that is neither "*" nor an ARN.
	ReasonInvalidResource
	// ReasonInvalidAction: an action that is neither "*" nor vendor:name.
	ReasonInvalidAction
	// ReasonPrincipalProhibited: Principal or NotPrincipal in a kind that
	// forbids it.
	ReasonPrincipalProhibited
	// ReasonMissingPrincipal: no Principal/NotPrincipal where required.
	ReasonMissingPrincipal
	// ReasonInvalidPrincipal: a principal value the grammar does not accept
	// (partial wildcards, unknown principal types, malformed ARNs).
	ReasonInvalidPrincipal
	// ReasonProhibitedField: an element the kind forbids although the
	// language defines it (Resource, NotResource or NotPrincipal in a trust
	// policy).
	ReasonProhibitedField
	// ReasonTrustAction: a trust policy action other than the STS actions
	// that assume a role.
	ReasonTrustAction
	// ReasonInvalidKind: Parse was called with a Kind it does not know.
	ReasonInvalidKind
)

// ValidationError reports why a document is not a valid policy of its kind.
// Error returns Message, the text AWS puts in MalformedPolicyDocument (IAM,
// STS), MalformedPolicy (S3) or MalformedPolicyDocumentException
// (Organizations) for the same fault, where known.
type ValidationError struct {
	Kind      Kind
	Reason    Reason
	Statement int    // index of the offending statement, -1 for the document
	Field     string // the element concerned, when there is one
	Value     string // the offending value, when there is one
	Message   string

	err error // the JSON decoder's error, for documents that are not JSON
}

func (e *ValidationError) Error() string { return e.Message }

// Unwrap returns the JSON decoding error behind a ReasonInvalidJSON or
// ReasonSyntax rejection, if any: AWS's message does not say where the
// document broke, but a log line may want to.
func (e *ValidationError) Unwrap() error { return e.err }

// Messages AWS returns, with their sources (see the package tests, which
// pin every one of them):
//   - IAM wording: moto's IAM policy validator and its test table (written
//     against real IAM responses), real CloudTrail errorMessage fields
//     ("Statement IDs (SID) must be alpha-numeric…", "Resource … must be in
//     ARN format or \"*\"."), and IAM errors quoted in GitHub issues
//     ("Policy document should not specify a principal.", "Invalid principal
//     in policy: \"AWS\":\"…\"", "Has prohibited field Resource", "AssumeRole
//     policy may only specify STS AssumeRole actions.").
//   - S3 wording for resource-based policies: PutBucketPolicy errors quoted
//     in GitHub issues ("Policy has invalid resource", "Policy has invalid
//     action", "Invalid principal in policy", "Missing required field
//     Principal", "Policies must be valid JSON and the first byte must be
//     '{'").
//   - Organizations: MalformedPolicyDocumentException, whose message does not
//     say which rule failed.
const (
	msgSyntax            = "Syntax errors in policy."
	msgVersionTooOld     = "Policy document must be version 2012-10-17 or greater."
	msgLegacy            = "The policy failed legacy parsing"
	msgDuplicateSid      = "Statement IDs (SID) in a single policy must be unique."
	msgSidFormat         = "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*"
	msgMissingActions    = "Policy statement must contain actions."
	msgMissingResources  = "Policy statement must contain resources."
	msgNoVendor          = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
	msgOneColon          = "Actions/Condition can contain only one colon."
	msgVendorRegex       = "Resource vendor must be fully qualified and cannot contain regexes."
	msgShouldNotSpecify  = "Policy document should not specify a principal."
	msgInvalidPrincipal  = "Invalid principal in policy"
	msgMissingPrincipal  = "Missing required field Principal"
	msgTrustAction       = "AssumeRole policy may only specify STS AssumeRole actions."
	msgS3FirstByte       = "Policies must be valid JSON and the first byte must be '{'"
	msgS3InvalidJSON     = "This policy contains invalid Json"
	msgS3InvalidResource = "Policy has invalid resource"
	msgS3InvalidAction   = "Policy has invalid action"
	msgS3EmptyStatement  = "Could not parse the policy: Statement is empty!"
	msgS3InvalidVersion  = "The policy must contain a valid version string"
	msgOrganizations     = "The provided policy document does not meet the requirements of the specified policy type."
	iamResourcePrefixes  = "user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/"
)

// newError builds a ValidationError and renders its message in the dialect
// of the service that stores documents of that kind. detail is the specific
// IAM message for reasons whose IAM wording names the offending value.
func newError(k Kind, r Reason, stmt int, field, value, detail string) *ValidationError {
	e := &ValidationError{Kind: k, Reason: r, Statement: stmt, Field: field, Value: value}
	switch k {
	case SCP:
		// Organizations answers every grammar fault with one message.
		e.Message = msgOrganizations
	case Resource:
		e.Message = s3Message(r, field, value, detail)
	default:
		e.Message = iamMessage(r, detail)
	}
	return e
}

func iamMessage(r Reason, detail string) string {
	switch r {
	case ReasonVersionTooOld:
		return msgVersionTooOld
	case ReasonLegacyParsing:
		return msgLegacy
	case ReasonDuplicateSid:
		return msgDuplicateSid
	case ReasonSidFormat:
		return msgSidFormat
	case ReasonMissingAction:
		return msgMissingActions
	case ReasonMissingResource:
		return msgMissingResources
	case ReasonInvalidResource, ReasonInvalidAction, ReasonInvalidPrincipal,
		ReasonProhibitedField, ReasonMissingPrincipal:
		return detail
	case ReasonPrincipalProhibited:
		return msgShouldNotSpecify
	case ReasonTrustAction:
		return msgTrustAction
	case ReasonInvalidKind:
		return detail
	}
	// IAM reports every structural fault, unknown elements included, as a
	// syntax error.
	return msgSyntax
}

// s3Message renders S3's PutBucketPolicy wording, the resource policy Cairn
// stores most; reasons S3 words like IAM fall through to IAM's text.
func s3Message(r Reason, field, value, detail string) string {
	switch r {
	case ReasonInvalidJSON:
		if detail != "" {
			return detail
		}
		return msgS3InvalidJSON
	case ReasonUnknownField:
		return "Unknown field " + field
	case ReasonMissingStatement:
		return "Missing required field Statement"
	case ReasonEmptyStatement:
		return msgS3EmptyStatement
	case ReasonInvalidVersion:
		return msgS3InvalidVersion
	case ReasonMissingEffect:
		return "Missing required field Effect"
	case ReasonInvalidEffect:
		return "Invalid effect: " + value
	case ReasonLegacyParsing:
		if field == "Effect" {
			// S3 has no second parser: a miscased Effect is just invalid.
			return "Invalid effect: " + value
		}
	case ReasonMissingAction:
		return "Missing required field Action"
	case ReasonMissingResource:
		return "Missing required field Resource"
	case ReasonInvalidResource:
		return msgS3InvalidResource
	case ReasonInvalidAction:
		return msgS3InvalidAction
	case ReasonInvalidPrincipal:
		return msgInvalidPrincipal
	case ReasonMissingPrincipal:
		return msgMissingPrincipal
	}
	return iamMessage(r, detail)
}
