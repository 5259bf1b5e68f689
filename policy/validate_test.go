package policy

import (
	"errors"
	"strings"
	"testing"
)

// invalidCases are documents AWS rejects, with the message it returns. The
// Identity cases follow IAM's CreatePolicy/PutUserPolicy answers (moto's
// table recorded against IAM, CloudTrail errorMessage fields, GitHub
// issues); the Resource cases S3's PutBucketPolicy answers; the Trust cases
// CreateRole/UpdateAssumeRolePolicy; SCP cases Organizations CreatePolicy.
var invalidCases = []struct {
	name   string
	kind   Kind
	doc    string
	reason Reason
	msg    string
}{
	// JSON and document structure (IAM).
	{"not json", Identity, `This is not a json document`, ReasonInvalidJSON, "Syntax errors in policy."},
	{"empty document", Identity, ``, ReasonInvalidJSON, "Syntax errors in policy."},
	{"array document", Identity, `[{"Effect":"Allow"}]`, ReasonInvalidJSON, "Syntax errors in policy."},
	{"truncated json", Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow"`, ReasonInvalidJSON, "Syntax errors in policy."},
	{"trailing data", Identity, stmt(`{"Effect":"Allow","Action":"s3:*","Resource":"*"}`) + `{}`, ReasonInvalidJSON, "Syntax errors in policy."},
	{"duplicate key", Identity, `{"Version":"2012-10-17","Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`, ReasonSyntax, "Syntax errors in policy."},
	{"unknown version", Identity, `{"Version":"2013-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"}}`, ReasonInvalidVersion, "Syntax errors in policy."},
	{"numeric version", Identity, `{"Version":20121017,"Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}}`, ReasonInvalidVersion, "Syntax errors in policy."},
	{"no statement", Identity, `{"Version":"2012-10-17"}`, ReasonMissingStatement, "Syntax errors in policy."},
	{"statement of strings", Identity, `{"Version":"2012-10-17","Statement":["afd"]}`, ReasonSyntax, "Syntax errors in policy."},
	{"statement is a string", Identity, `{"Version":"2012-10-17","Statement":"x"}`, ReasonSyntax, "Syntax errors in policy."},
	{"empty statement array", Identity, `{"Version":"2012-10-17","Statement":[]}`, ReasonEmptyStatement, "Syntax errors in policy."},
	{"extra top-level field", Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"},"Extra field":"value"}`, ReasonUnknownField, "Syntax errors in policy."},
	{"lower-case element name", Identity, `{"version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}}`, ReasonUnknownField, "Syntax errors in policy."},
	{"extra statement field", Identity, stmt(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Extra field":"value"}`), ReasonUnknownField, "Syntax errors in policy."},
	{"Id is a list", Identity, `{"Version":"2012-10-17","Id":["cd3a"],"Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"}}`, ReasonSyntax, "Syntax errors in policy."},
	{"Id is an object", Identity, `{"Version":"2012-10-17","Id":{},"Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"}}`, ReasonSyntax, "Syntax errors in policy."},

	// Effect.
	{"invalid effect", Identity, stmt(`{"Effect":"invalid","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"}`), ReasonInvalidEffect, "Syntax errors in policy."},
	{"missing effect", Identity, stmt(`{"Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"}`), ReasonMissingEffect, "Syntax errors in policy."},
	{"effect not a string", Identity, stmt(`{"Effect":true,"Action":"s3:ListBucket","Resource":"*"}`), ReasonSyntax, "Syntax errors in policy."},
	{"effect miscased", Identity, stmt(`{"Effect":"denY","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"}`), ReasonLegacyParsing, "The policy failed legacy parsing"},
	{"lower-case allow without action", Identity, stmt(`{"Effect":"allow","Resource":"arn:aws:s3:us-east-1::example_bucket"}`), ReasonLegacyParsing, "The policy failed legacy parsing"},
	{"miscased effect before duplicate sid", Identity, stmt(`{"Sid":"sdf","Effect":"aLLow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"}`, `{"Sid":"sdf","Effect":"Allow"}`), ReasonLegacyParsing, "The policy failed legacy parsing"},

	// Action and NotAction.
	{"action without vendor", Identity, stmt(`{"Effect":"Allow","Action":"invalid","Resource":"arn:aws:s3:::example_bucket"}`), ReasonInvalidAction, "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."},
	{"empty NotAction", Identity, stmt(`{"Effect":"Allow","NotAction":"","Resource":"arn:aws:s3:::example_bucket"}`), ReasonInvalidAction, "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."},
	{"vendor with a space", Identity, stmt(`{"Effect":"Allow","Action":"a a:ListBucket","Resource":"arn:aws:s3:::example_bucket"}`), ReasonInvalidAction, "Vendor a a is not valid"},
	{"vendor with a wildcard", Identity, stmt(`{"Effect":"Allow","Action":"s*:ListBucket","Resource":"*"}`), ReasonInvalidAction, "Vendor s* is not valid"},
	{"two colons", Identity, stmt(`{"Effect":"Allow","Action":"s3:List:Bucket","Resource":"arn:aws:s3:::example_bucket"}`), ReasonInvalidAction, "Actions/Condition can contain only one colon."},
	{"two colons in second statement", Identity, stmt(`{"Effect":"Allow","Action":"s3s:ListBucket","Resource":"arn:aws:s3:::example_bucket"}`, `{"Effect":"Allow","Action":"s:3s:ListBucket","Resource":"arn:aws:s3:::example_bucket"}`), ReasonInvalidAction, "Actions/Condition can contain only one colon."},
	{"empty vendor", Identity, stmt(`{"Effect":"Allow","Action":":ListBucket","Resource":"*"}`), ReasonInvalidAction, "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."},
	{"missing action", Identity, stmt(`{"Effect":"Allow","Resource":"arn:aws:s3:::example_bucket"}`), ReasonMissingAction, "Policy statement must contain actions."},
	{"only effect", Identity, stmt(`{"Effect":"Allow"}`), ReasonMissingAction, "Policy statement must contain actions."},
	{"empty action list", Identity, stmt(`{"Effect":"Allow","Action":[],"Resource":"arn:aws:s3:::example_bucket"}`), ReasonMissingAction, "Policy statement must contain actions."},
	{"first statement lacks action", Identity, stmt(`{"Effect":"Deny"}`, `{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"}`), ReasonMissingAction, "Policy statement must contain actions."},
	{"Action and NotAction", Identity, stmt(`{"Effect":"Allow","NotAction":"s3:ListBucket","Action":"iam:dsf","Resource":"arn:aws:s3:::example_bucket"}`), ReasonSyntax, "Syntax errors in policy."},
	{"NotAction with empty Action", Identity, stmt(`{"Effect":"Allow","NotAction":"s3s:ListBucket","Action":[],"Resource":"arn:aws:s3:::example_bucket"}`), ReasonSyntax, "Syntax errors in policy."},
	{"action object", Identity, stmt(`{"Effect":"Allow","Action":{},"Resource":"arn:aws:s3:::example_bucket"}`), ReasonSyntax, "Syntax errors in policy."},
	{"nested action list", Identity, stmt(`{"Effect":"Deny","Action":[[]],"Resource":"arn:aws:s3:::example_bucket"}`), ReasonSyntax, "Syntax errors in policy."},
	{"numeric action", Identity, stmt(`{"Effect":"Allow","Action":[1],"Resource":"*"}`), ReasonSyntax, "Syntax errors in policy."},
	{"invalid action missing resource", Identity, stmt(`{"Effect":"Allow","Action":"invalid"}`), ReasonMissingResource, "Policy statement must contain resources."},

	// Resource and NotResource.
	{"missing resource", Identity, stmt(`{"Effect":"Allow","Action":"s3:ListBucket"}`), ReasonMissingResource, "Policy statement must contain resources."},
	{"empty resource list", Identity, stmt(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":[]}`), ReasonMissingResource, "Policy statement must contain resources."},
	{"Resource and NotResource", Identity, stmt(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","NotResource":"*"}`), ReasonSyntax, "Syntax errors in policy."},
	{"Resource and empty NotResource", Identity, stmt(`{"Effect":"Allow","NotAction":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","NotResource":[]}`), ReasonSyntax, "Syntax errors in policy."},
	{"resource object", Identity, stmt(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":{"a":"arn:aws:s3:::example_bucket"}}`), ReasonSyntax, "Syntax errors in policy."},
	{"resource list with object", Identity, stmt(`{"Effect":"Deny","Action":"s3:ListBucket","Resource":["adfdf",{}]}`), ReasonSyntax, "Syntax errors in policy."},
	{"resource not an arn", Identity, stmt(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"invalid resource"}`), ReasonInvalidResource, `Resource invalid resource must be in ARN format or "*".`},
	{"ecr registry uri as resource", Identity, stmt(`{"Effect":"Allow","Action":"ecr:*","Resource":"174313347505.dkr.ecr.us-west-2.amazonaws.com/mhart-experimental"}`), ReasonInvalidResource, `Resource 174313347505.dkr.ecr.us-west-2.amazonaws.com/mhart-experimental must be in ARN format or "*".`},
	{"empty resource", Identity, stmt(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":""}`), ReasonInvalidResource, `Resource  must be in ARN format or "*".`},
	{"resource list not arn", Identity, stmt(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":["adf"]}`), ReasonInvalidResource, `Resource adf must be in ARN format or "*".`},
	{"resource error before action error", Identity, stmt(`{"Effect":"Allow","Action":"s:3:ListBucket","Resource":"sdfsadf"}`), ReasonInvalidResource, `Resource sdfsadf must be in ARN format or "*".`},
	{"bad partition one part", Identity, stmt(`{"Effect":"Allow","NotAction":"s3s:ListBucket","Resource":"a:bsdfdsafsad"}`), ReasonInvalidResource, `Partition "bsdfdsafsad" is not valid for resource "arn:bsdfdsafsad:*:*:*:*".`},
	{"bad partition two parts", Identity, stmt(`{"Effect":"Allow","NotAction":"s3s:ListBucket","Resource":"a:b:cadfsdf"}`), ReasonInvalidResource, `Partition "b" is not valid for resource "arn:b:cadfsdf:*:*:*".`},
	{"bad partition many parts", Identity, stmt(`{"Effect":"Allow","NotAction":"s3s:ListBucket","Resource":"a:b:c:d:e:f:g:h"}`), ReasonInvalidResource, `Partition "b" is not valid for resource "arn:b:c:d:e:f:g:h".`},
	{"missing arn prefix", Identity, stmt(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"aws:s3:::example_bucket"}`), ReasonInvalidResource, `Partition "s3" is not valid for resource "arn:s3:::example_bucket:*".`},
	{"error partition", Identity, stmt(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":["arn:error:s3:::example_bucket","arn:error:s3::example_bucket"]}`), ReasonInvalidResource, `Partition "error" is not valid for resource "arn:error:s3:::example_bucket".`},
	{"no vendor in resource", Identity, stmt(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws"}`), ReasonInvalidResource, "Resource vendor must be fully qualified and cannot contain regexes."},
	{"wildcard vendor in resource", Identity, stmt(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s*:::b"}`), ReasonInvalidResource, "Resource vendor must be fully qualified and cannot contain regexes."},
	{"iam resource with region", Identity, stmt(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:iam:us-east-1::example_bucket"}`), ReasonInvalidResource, "IAM resource arn:aws:iam:us-east-1::example_bucket cannot contain region information."},
	{"s3 resource with region", Identity, stmt(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:us-east-1::example_bucket"}`), ReasonInvalidResource, "Resource arn:aws:s3:us-east-1::example_bucket can not contain region information."},
	{"iam resource path", Identity, stmt(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:iam:::example_bucket"}`), ReasonInvalidResource, `IAM resource path must either be "*" or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.`},
	{"too few arn parts", Identity, stmt(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3::example_bucket"}`), ReasonLegacyParsing, "The policy failed legacy parsing"},
	{"too few arn parts without action", Identity, stmt(`{"Effect":"Allow","Resource":"arn:aws:s3::example_bucket"}`), ReasonLegacyParsing, "The policy failed legacy parsing"},
	{"NotResource too few parts", Identity, stmt(`{"Effect":"Allow","Action":"s3:ListBucket","NotResource":"arn:aws:s3::example_bucket"}`), ReasonLegacyParsing, "The policy failed legacy parsing"},
	{"empty service", Identity, stmt(`{"Effect":"Allow","NotAction":"s3:ListBucket","Resource":"arn:aws::::example_bucket"}`), ReasonLegacyParsing, "The policy failed legacy parsing"},
	{"three parts with double colon", Identity, stmt(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws::fdsasf"}`), ReasonLegacyParsing, "The policy failed legacy parsing"},

	// Condition.
	{"condition list", Identity, stmt(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":[]}`), ReasonSyntax, "Syntax errors in policy."},
	{"condition string", Identity, stmt(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":"a"}`), ReasonSyntax, "Syntax errors in policy."},
	{"condition operator with string", Identity, stmt(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{"a":"b"}}`), ReasonSyntax, "Syntax errors in policy."},
	{"known operator with string", Identity, stmt(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{"DateGreaterThan":"b"}}`), ReasonSyntax, "Syntax errors in policy."},
	{"operator with list", Identity, stmt(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{"DateGreaterThan":[]}}`), ReasonSyntax, "Syntax errors in policy."},
	{"condition value object", Identity, stmt(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{"DateGreaterThan":{"a":{}}}}`), ReasonSyntax, "Syntax errors in policy."},
	{"condition value object without action", Identity, stmt(`{"Effect":"Allow","Resource":"arn:aws:s3:::example_bucket","Condition":{"DateGreaterThan":{"a":{}}}}`), ReasonSyntax, "Syntax errors in policy."},
	{"condition value null", Identity, stmt(`{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"a":null}}}`), ReasonSyntax, "Syntax errors in policy."},
	{"condition value nested list", Identity, stmt(`{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"a":[["x"]]}}}`), ReasonSyntax, "Syntax errors in policy."},
	{"unknown operator", Identity, stmt(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{"x":{"a":"1"}}}`), ReasonUnknownOperator, "Syntax errors in policy."},
	{"unknown operator empty block", Identity, stmt(`{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEqualz":{}}}`), ReasonUnknownOperator, "Syntax errors in policy."},
	{"double colon qualifier", Identity, stmt(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{"ForAnyValue::StringEqualsIfExists":{"a":"asf"}}}`), ReasonUnknownOperator, "Syntax errors in policy."},
	{"unknown qualifier", Identity, stmt(`{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"ForSomeValues:StringEquals":{"a":"b"}}}`), ReasonUnknownOperator, "Syntax errors in policy."},
	{"NullIfExists", Identity, stmt(`{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NullIfExists":{"a":"true"}}}`), ReasonUnknownOperator, "Syntax errors in policy."},
	{"condition as list of blocks", Identity, stmt(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":[{"ForAllValues:StringEquals":{"aws:TagKeys":"Department"}}]}`), ReasonSyntax, "Syntax errors in policy."},
	{"bad date", Identity, stmt(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{"DateGreaterThan":{"a":"sdfdsf"}}}`), ReasonLegacyParsing, "The policy failed legacy parsing"},
	{"bad date without action", Identity, stmt(`{"Effect":"Allow","Condition":{"DateGreaterThan":{"a":"sdfdsf"}}}`), ReasonLegacyParsing, "The policy failed legacy parsing"},
	{"month 13", Identity, stmt(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{"DateLessThanEquals":{"a":"234-13"}}}`), ReasonLegacyParsing, "The policy failed legacy parsing"},
	{"one-digit zone", Identity, stmt(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{"DateLessThanEquals":{"a":"2016-12-13t2:00:00.593194+1"}}}`), ReasonLegacyParsing, "The policy failed legacy parsing"},
	{"ten-digit fraction", Identity, stmt(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{"DateLessThanEquals":{"a":"2016-12-13t2:00:00.1999999999+10:59"}}}`), ReasonLegacyParsing, "The policy failed legacy parsing"},
	{"epoch overflow", Identity, stmt(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{"DateLessThan":{"a":"9223372036854775808"}}}`), ReasonLegacyParsing, "The policy failed legacy parsing"},
	{"bad date in IfExists list", Identity, stmt(`{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"DateLessThanIfExists":{"aws:CurrentTime":["2020-01-01","soon"]}}}`), ReasonLegacyParsing, "The policy failed legacy parsing"},
	{"bad date before bad partition", Identity, stmt(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:error:s3:::example_bucket","Condition":{"DateGreaterThan":{"a":"sdfdsf"}}}`), ReasonLegacyParsing, "The policy failed legacy parsing"},

	// Sid.
	{"sid object", Identity, stmt(`{"Sid":{},"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"}`), ReasonSyntax, "Syntax errors in policy."},
	{"sid list", Identity, stmt(`{"Sid":[],"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"}`), ReasonSyntax, "Syntax errors in policy."},
	{"duplicate sid", Identity, stmt(`{"Sid":"sdf","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"}`, `{"Sid":"sdf","Effect":"Allow"}`), ReasonDuplicateSid, "Statement IDs (SID) in a single policy must be unique."},
	{"sid with underscore", Identity, stmt(`{"Sid":"Atomic_Red_Team","Effect":"Allow","Action":"iam:CreatePolicyVersion","Resource":"arn:aws:iam::*:policy/*"}`), ReasonSidFormat, "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*"},
	{"sid with space in boundary", Boundary, stmt(`{"Sid":"a b","Effect":"Allow","Action":"s3:*","Resource":"*"}`), ReasonSidFormat, "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*"},

	// Principal in identity-style documents.
	{"identity with principal", Identity, stmt(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"s3:*","Resource":"*"}`), ReasonPrincipalProhibited, "Policy document should not specify a principal."},
	{"identity with NotPrincipal", Identity, stmt(`{"Effect":"Deny","NotPrincipal":"*","Action":"s3:*","Resource":"*"}`), ReasonPrincipalProhibited, "Policy document should not specify a principal."},
	{"boundary with principal", Boundary, stmt(`{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}`), ReasonPrincipalProhibited, "Policy document should not specify a principal."},
	{"session with principal", Session, stmt(`{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}`), ReasonPrincipalProhibited, "Policy document should not specify a principal."},
	{"principal prohibited before legacy", Identity, stmt(`{"Effect":"allow","Principal":"*","Action":"s3:*","Resource":"*"}`), ReasonPrincipalProhibited, "Policy document should not specify a principal."},
	{"principal and NotPrincipal", Resource, stmt(`{"Effect":"Allow","Principal":"*","NotPrincipal":"*","Action":"s3:*","Resource":"*"}`), ReasonSyntax, "Syntax errors in policy."},
	{"principal is a list", Resource, stmt(`{"Effect":"Allow","Principal":["*"],"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`), ReasonSyntax, "Syntax errors in policy."},

	// Resource-based policies, in S3's words.
	{"s3 first byte", Resource, `["Version"]`, ReasonInvalidJSON, "Policies must be valid JSON and the first byte must be '{'"},
	{"s3 empty body", Resource, ``, ReasonInvalidJSON, "Policies must be valid JSON and the first byte must be '{'"},
	{"s3 invalid json", Resource, `{"Version":`, ReasonInvalidJSON, "This policy contains invalid Json"},
	{"s3 unknown field", Resource, stmt(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condtion":{}}`), ReasonUnknownField, "Unknown field Condtion"},
	{"s3 unknown top-level field", Resource, `{"Version":"2012-10-17","Statements":[]}`, ReasonUnknownField, "Unknown field Statements"},
	{"s3 missing statement", Resource, `{"Version":"2012-10-17"}`, ReasonMissingStatement, "Missing required field Statement"},
	{"s3 empty statement", Resource, `{"Version":"2012-10-17","Statement":[]}`, ReasonEmptyStatement, "Could not parse the policy: Statement is empty!"},
	{"s3 bad version", Resource, `{"Version":"2012-10-18","Statement":[]}`, ReasonInvalidVersion, "The policy must contain a valid version string"},
	{"s3 missing effect", Resource, stmt(`{"Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`), ReasonMissingEffect, "Missing required field Effect"},
	{"s3 invalid effect", Resource, stmt(`{"Effect":"hello","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b"}`), ReasonInvalidEffect, "Invalid effect: hello"},
	{"s3 miscased effect", Resource, stmt(`{"Effect":"allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b"}`), ReasonLegacyParsing, "Invalid effect: allow"},
	{"s3 missing principal", Resource, stmt(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`), ReasonMissingPrincipal, "Missing required field Principal"},
	{"s3 empty principal object", Resource, stmt(`{"Effect":"Allow","Principal":{},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`), ReasonMissingPrincipal, "Missing required field Principal"},
	{"s3 invalid action", Resource, stmt(`{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"invalid_action","Resource":["arn:aws:s3:::b"]}`), ReasonInvalidAction, "Policy has invalid action"},
	{"s3 invalid resource", Resource, stmt(`{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:*","Resource":["bucket"]}`), ReasonInvalidResource, "Policy has invalid resource"},
	{"s3 legacy resource", Resource, stmt(`{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3::b"}`), ReasonLegacyParsing, "The policy failed legacy parsing"},
	{"s3 missing action", Resource, stmt(`{"Effect":"Allow","Principal":"*","Resource":"arn:aws:s3:::b"}`), ReasonMissingAction, "Missing required field Action"},
	{"s3 missing resource", Resource, stmt(`{"Effect":"Allow","Principal":"*","Action":"s3:*"}`), ReasonMissingResource, "Missing required field Resource"},
	{"s3 principal string", Resource, stmt(`{"Effect":"Allow","Principal":"alice","Action":"s3:*","Resource":"arn:aws:s3:::b"}`), ReasonInvalidPrincipal, "Invalid principal in policy"},
	{"s3 principal partial wildcard", Resource, stmt(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::*:root"},"Action":"s3:*","Resource":"arn:aws:s3:::b"}`), ReasonInvalidPrincipal, "Invalid principal in policy"},
	{"s3 principal role wildcard", Resource, stmt(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/*"},"Action":"s3:*","Resource":"arn:aws:s3:::b"}`), ReasonInvalidPrincipal, "Invalid principal in policy"},
	{"s3 principal access key", Resource, stmt(`{"Effect":"Allow","Principal":{"AWS":"AKIAIOSFODNN7EXAMPLE"},"Action":"s3:*","Resource":"arn:aws:s3:::b"}`), ReasonInvalidPrincipal, "Invalid principal in policy"},
	{"s3 unknown principal type", Resource, stmt(`{"Effect":"Allow","Principal":{"Users":"alice"},"Action":"s3:*","Resource":"arn:aws:s3:::b"}`), ReasonInvalidPrincipal, "Invalid principal in policy"},
	{"s3 service wildcard", Resource, stmt(`{"Effect":"Allow","Principal":{"Service":"*"},"Action":"s3:*","Resource":"arn:aws:s3:::b"}`), ReasonInvalidPrincipal, "Invalid principal in policy"},
	{"s3 empty principal list", Resource, stmt(`{"Effect":"Allow","Principal":{"AWS":[]},"Action":"s3:*","Resource":"arn:aws:s3:::b"}`), ReasonInvalidPrincipal, "Invalid principal in policy"},
	{"s3 principal number", Resource, stmt(`{"Effect":"Allow","Principal":{"AWS":111122223333},"Action":"s3:*","Resource":"arn:aws:s3:::b"}`), ReasonInvalidPrincipal, "Invalid principal in policy"},
	{"s3 user arn with region", Resource, stmt(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam:us-east-1:111122223333:user/alice"},"Action":"s3:*","Resource":"arn:aws:s3:::b"}`), ReasonInvalidPrincipal, "Invalid principal in policy"},
	{"s3 duplicate sid", Resource, stmt(`{"Sid":"A","Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b"}`, `{"Sid":"A","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b"}`), ReasonDuplicateSid, "Statement IDs (SID) in a single policy must be unique."},

	// Role trust policies.
	{"trust missing principal", Trust, stmt(`{"Effect":"Allow","Action":"sts:AssumeRole"}`), ReasonMissingPrincipal, "Missing required field Principal"},
	{"trust with resource", Trust, stmt(`{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Resource":"*"}`), ReasonProhibitedField, "Has prohibited field Resource"},
	{"trust with NotResource", Trust, stmt(`{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","NotResource":"*"}`), ReasonProhibitedField, "Has prohibited field NotResource"},
	{"trust with NotPrincipal", Trust, stmt(`{"Effect":"Deny","NotPrincipal":{"AWS":"111122223333"},"Action":"sts:AssumeRole"}`), ReasonProhibitedField, "Has prohibited field NotPrincipal"},
	{"trust action star", Trust, stmt(`{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"*"}`), ReasonTrustAction, "AssumeRole policy may only specify STS AssumeRole actions."},
	{"trust s3 action", Trust, stmt(`{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":["sts:AssumeRole","s3:GetObject"]}`), ReasonTrustAction, "AssumeRole policy may only specify STS AssumeRole actions."},
	{"trust other sts action", Trust, stmt(`{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:GetCallerIdentity"}`), ReasonTrustAction, "AssumeRole policy may only specify STS AssumeRole actions."},
	{"trust missing action", Trust, stmt(`{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"}}`), ReasonMissingAction, "Policy statement must contain actions."},
	{"trust invalid role principal", Trust, stmt(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::959325414060:role/"},"Action":"sts:AssumeRole"}`), ReasonInvalidPrincipal, `Invalid principal in policy: "AWS":"arn:aws:iam::959325414060:role/"`},
	{"trust canonical user", Trust, stmt(`{"Effect":"Allow","Principal":{"CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},"Action":"sts:AssumeRole"}`), ReasonInvalidPrincipal, `Invalid principal in policy: "CanonicalUser"`},
	{"trust sid underscore", Trust, stmt(`{"Sid":"a_b","Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}`), ReasonSidFormat, "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*"},

	// Service control policies: Organizations gives one message.
	{"scp with principal", SCP, stmt(`{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"s3:*","Resource":"*"}`), ReasonPrincipalProhibited, "The provided policy document does not meet the requirements of the specified policy type."},
	{"scp bad json", SCP, `{`, ReasonInvalidJSON, "The provided policy document does not meet the requirements of the specified policy type."},
	{"scp missing action", SCP, stmt(`{"Effect":"Deny","Resource":"*"}`), ReasonMissingAction, "The provided policy document does not meet the requirements of the specified policy type."},
	{"scp bad action", SCP, stmt(`{"Effect":"Deny","Action":"stop"}`), ReasonInvalidAction, "The provided policy document does not meet the requirements of the specified policy type."},
	{"scp unknown operator", SCP, stmt(`{"Effect":"Deny","Action":"*","Condition":{"StringNotEqual":{"aws:RequestedRegion":"us-east-1"}}}`), ReasonUnknownOperator, "The provided policy document does not meet the requirements of the specified policy type."},
}

func TestParseRejects(t *testing.T) {
	for _, tc := range invalidCases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Parse(tc.doc, tc.kind)
			if err == nil {
				t.Fatalf("Parse accepted the document: %+v", p)
			}
			if p != nil {
				t.Errorf("Parse returned a policy with an error")
			}
			ve := validationError(t, err)
			if ve.Message != tc.msg {
				t.Errorf("message\n got: %s\nwant: %s", ve.Message, tc.msg)
			}
			if ve.Error() != tc.msg {
				t.Errorf("Error() = %q, want the message", ve.Error())
			}
			if ve.Reason != tc.reason {
				t.Errorf("reason = %d, want %d", ve.Reason, tc.reason)
			}
			if ve.Kind != tc.kind {
				t.Errorf("kind = %v, want %v", ve.Kind, tc.kind)
			}
		})
	}
}

// validCases are documents AWS accepts; several are edge cases the
// validator must not reject (moto's table of documents IAM accepted).
var validCases = []struct {
	name string
	kind Kind
	doc  string
}{
	{"resource list", Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":["arn:aws:s3:::example_bucket"]}}`},
	{"spaces in action name", Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam: asdf safdsf af ","Resource":"arn:aws:s3:::example_bucket"}}`},
	{"star among resources", Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":["arn:aws:s3:::example_bucket","*"]}}`},
	{"action star", Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::example_bucket"}}`},
	{"vendor star", Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*:GetObject","Resource":"*"}}`},
	{"dates", Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"service-prefix:action-name","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2017-07-01T00:00:00Z"},"DateLessThan":{"aws:CurrentTime":"2017-12-31T23:59:59Z"}}}}`},
	{"iam user resource", Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:iam:::user/example_bucket"}}`},
	{"iam any resource", Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:*","Resource":"arn:aws:iam::111122223333:*"}}`},
	{"unknown service", Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s33:::example_bucket"}}`},
	{"three-part arn", Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:fdsasf"}}`},
	{"empty condition", Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{}}}`},
	{"set qualifier", Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":"Department"}}}}`},
	{"region in ec2 arn", Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:ec2:us-east-1::example_bucket"}}`},
	{"empty date block", Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{"DateGreaterThan":{}}}}`},
	{"empty date values", Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{"DateGreaterThan":{"a":[]}}}}`},
	{"date forms", Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"DateGreaterThan":{"a":["2016","2016-12","2016-12-13","2016-12-13T21","2016-12-13T21:20","2016-12-13t21:20:00.593194","2016-12-13T21:20:00+01","2016-12-13T21:20:00-05:00","-1000-01-01","1700000000"]}}}}`},
	{"alphanumeric sid", Identity, `{"Version":"2012-10-17","Statement":{"Sid":"dsfsdfsdfsdfsdfsadfsd","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"}}`},
	{"empty sids repeat", Identity, stmt(`{"Sid":"","Effect":"Allow","Action":"s3:*","Resource":"*"}`, `{"Sid":"","Effect":"Deny","Action":"iam:*","Resource":"*"}`)},
	{"no version", Identity, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`},
	{"old version", Identity, `{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`},
	{"numbers and booleans in conditions", Identity, stmt(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"NumericLessThanEquals":{"s3:max-keys":10},"Bool":{"aws:SecureTransport":true},"StringEquals":{"x:y":[1,"a",false]}}}`)},
	{"operators any case", Identity, stmt(`{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"stringequals":{"a:b":"c"},"forallvalues:STRINGLIKEIFEXISTS":{"a:c":"d*"}}}`)},
	{"leading whitespace", Resource, "\n  " + stmt(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`)},
	{"cloudtrail bucket policy", Resource, stmt(
		`{"Sid":"AWSCloudTrailAclCheck20150319","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:GetBucketAcl","Resource":"arn:aws:s3:::trail-bucket","Condition":{"StringEquals":{"aws:SourceArn":"arn:aws:cloudtrail:us-east-1:111122223333:trail/main"}}}`,
		`{"Sid":"AWSCloudTrailWrite20150319","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::trail-bucket/AWSLogs/111122223333/*","Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control","aws:SourceArn":"arn:aws:cloudtrail:us-east-1:111122223333:trail/main"}}}`)},
	{"kms key policy sids with spaces", Resource, `{"Version":"2012-10-17","Id":"Key policy created by CloudTrail","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","arn:aws:iam::111122223333:user/alice"]},"Action":"kms:*","Resource":"*"},{"Sid":"Allow principals in the account to decrypt log files","Effect":"Allow","Principal":{"AWS":"*"},"Action":["kms:Decrypt","kms:ReEncryptFrom"],"Resource":"*","Condition":{"StringEquals":{"kms:CallerAccount":"111122223333"},"StringLike":{"kms:EncryptionContext:aws:cloudtrail:arn":"arn:aws:cloudtrail:*:111122223333:trail/*"}}}]}`},
	{"every principal form", Resource, stmt(`{"Effect":"Allow","Principal":{"AWS":["*","111122223333","arn:aws:iam::111122223333:root","arn:aws:iam::111122223333:user/path/alice","arn:aws:iam::111122223333:role/Admin","arn:aws:sts::111122223333:assumed-role/Admin/s1","arn:aws:sts::111122223333:federated-user/carol"],"Service":["cloudtrail.amazonaws.com"],"Federated":"cognito-identity.amazonaws.com","CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},"Action":"s3:*","Resource":"arn:aws:s3:::b"}`)},
	{"NotPrincipal deny", Resource, stmt(`{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::111122223333:user/alice","111122223333"]},"Action":"s3:*","NotResource":"arn:aws:s3:::b/public/*"}`)},
	{"cloudwatch logs trust", Trust, `{"Version":"2012-10-17","Statement":[{"Sid":"","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"sts:AssumeRole"}]}`},
	{"trust web identity", Trust, stmt(`{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":["sts:AssumeRoleWithWebIdentity","sts:TagSession"],"Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"us-east-1:12345678"}}}`)},
	{"trust wildcard sts action", Trust, stmt(`{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole*"}`)},
	{"trust deny", Trust, stmt(`{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole"}`, `{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111122223333:user/bob"},"Action":"sts:AssumeRole"}`)},
	{"scp without resource", SCP, stmt(`{"Effect":"Deny","Action":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["us-east-1"]}}}`)},
	{"scp full access", SCP, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`},
	{"scp NotAction", SCP, stmt(`{"Sid":"Deny_all_but_IAM","Effect":"Deny","NotAction":["iam:*","organizations:*"],"Resource":"*"}`)},
	{"session", Session, stmt(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`)},
	{"boundary", Boundary, stmt(`{"Effect":"Allow","Action":["s3:*","cloudwatch:*","ec2:*"],"Resource":"*"}`)},
}

func TestParseAccepts(t *testing.T) {
	for _, tc := range validCases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Parse(tc.doc, tc.kind)
			if err != nil {
				t.Fatalf("Parse rejected the document: %v", err)
			}
			if p.Kind != tc.kind || p.Text != tc.doc || len(p.Statements) == 0 {
				t.Errorf("policy = %+v", p)
			}
		})
	}
}

func TestParseManagedRequiresCurrentVersion(t *testing.T) {
	for _, doc := range []string{
		`{"Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"}}`,
		`{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"}}`,
		// The version check comes before the legacy parser.
		`{"Statement":{"Effect":"denY","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"}}`,
		`{"Statement":[{"Sid":"sdf","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"},{"Sid":"sdf","Effect":"Allow"}]}`,
	} {
		_, err := ParseManaged(doc, Identity)
		ve := validationError(t, err)
		if ve.Message != "Policy document must be version 2012-10-17 or greater." || ve.Reason != ReasonVersionTooOld {
			t.Errorf("ParseManaged(%s) = %q (%d)", doc, ve.Message, ve.Reason)
		}
	}
	// Inline policies keep 2008-10-17 semantics and need no Version.
	for _, doc := range []string{
		`{"Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"}}`,
		`{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"}}`,
	} {
		if _, err := Parse(doc, Identity); err != nil {
			t.Errorf("Parse(%s) = %v, want it accepted", doc, err)
		}
	}
	if _, err := ParseManaged(stmt(`{"Effect":"Allow","Action":"s3:*","Resource":"*"}`), Identity); err != nil {
		t.Errorf("ParseManaged rejected a 2012-10-17 document: %v", err)
	}
	// Syntax errors still win over the version requirement.
	_, err := ParseManaged(`{"Version":"2013-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`, Identity)
	if ve := validationError(t, err); ve.Message != "Syntax errors in policy." {
		t.Errorf("got %q", ve.Message)
	}
}

func TestParseUnknownKind(t *testing.T) {
	for _, k := range []Kind{0, Session + 1, -1} {
		_, err := Parse(stmt(`{"Effect":"Allow","Action":"s3:*","Resource":"*"}`), k)
		if ve := validationError(t, err); ve.Reason != ReasonInvalidKind {
			t.Errorf("kind %d: reason %d", k, ve.Reason)
		}
	}
}

func TestValidationErrorUnwrapsDecodeError(t *testing.T) {
	_, err := Parse(`{"Version":"2012-10-17",`, Identity)
	ve := validationError(t, err)
	if errors.Unwrap(err) == nil || !strings.Contains(errors.Unwrap(err).Error(), "decode identity-based policy") {
		t.Errorf("Unwrap = %v", errors.Unwrap(err))
	}
	_, err = Parse(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Effect":"Deny","Action":"s3:*","Resource":"*"}}`, Identity)
	if ve = validationError(t, err); !errors.Is(err, errDuplicateKey) || ve.Reason != ReasonSyntax {
		t.Errorf("duplicate key: %v reason %d", errors.Unwrap(err), ve.Reason)
	}
	_, err = Parse(stmt(`{"Effect":"Allow","Action":"s3:*","Resource":"bucket"}`), Identity)
	if errors.Unwrap(err) != nil {
		t.Errorf("grammar faults have no cause: %v", errors.Unwrap(err))
	}
}

func TestValidationErrorLocatesFault(t *testing.T) {
	_, err := Parse(stmt(
		`{"Effect":"Allow","Action":"s3:*","Resource":"*"}`,
		`{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b","Principal":"*"}`), Identity)
	ve := validationError(t, err)
	if ve.Statement != 1 || ve.Field != "Principal" {
		t.Errorf("Statement=%d Field=%q, want 1 Principal", ve.Statement, ve.Field)
	}
	_, err = Parse(stmt(`{"Effect":"Allow","Action":"s3:*","Resource":"bucket"}`), Identity)
	ve = validationError(t, err)
	if ve.Statement != 0 || ve.Field != "Resource" || ve.Value != "bucket" {
		t.Errorf("Statement=%d Field=%q Value=%q", ve.Statement, ve.Field, ve.Value)
	}
}
