package policy

import (
	"math"
	"testing"
)

type ctx = map[string][]string

// conditionCases exercise every operator through Evaluate: an identity
// policy allows everything under the condition, so the request is allowed
// exactly when the condition holds.
var conditionCases = []struct {
	name string
	cond string
	ctx  ctx
	want bool
}{
	// StringEquals and StringNotEquals.
	{"StringEquals match", `{"StringEquals":{"aws:username":"alice"}}`, ctx{"aws:username": {"alice"}}, true},
	{"StringEquals mismatch", `{"StringEquals":{"aws:username":"alice"}}`, ctx{"aws:username": {"bob"}}, false},
	{"StringEquals case-sensitive", `{"StringEquals":{"aws:username":"alice"}}`, ctx{"aws:username": {"Alice"}}, false},
	{"StringEquals missing key", `{"StringEquals":{"aws:username":"alice"}}`, nil, false},
	{"StringEquals empty value list in context", `{"StringEquals":{"aws:username":"alice"}}`, ctx{"aws:username": {}}, false},
	{"StringEquals values OR", `{"StringEquals":{"aws:username":["bob","alice"]}}`, ctx{"aws:username": {"alice"}}, true},
	{"StringEquals star is literal", `{"StringEquals":{"s3:prefix":"home/*"}}`, ctx{"s3:prefix": {"home/alice"}}, false},
	{"StringEquals star matches star", `{"StringEquals":{"s3:prefix":"home/*"}}`, ctx{"s3:prefix": {"home/*"}}, true},
	{"StringEquals empty string", `{"StringEquals":{"s3:prefix":""}}`, ctx{"s3:prefix": {""}}, true},
	{"StringEquals JSON number", `{"StringEquals":{"s3:max-keys":10}}`, ctx{"s3:max-keys": {"10"}}, true},
	{"StringEquals JSON boolean", `{"StringEquals":{"aws:SecureTransport":true}}`, ctx{"aws:securetransport": {"true"}}, true},
	{"StringEquals key name case-insensitive", `{"StringEquals":{"AWS:UserName":"alice"}}`, ctx{"aws:username": {"alice"}}, true},
	{"StringEquals tag key case-insensitive", `{"StringEquals":{"aws:PrincipalTag/Team":"blue"}}`, ctx{"aws:PrincipalTag/TEAM": {"blue"}}, true},
	{"StringEquals tag value case-sensitive", `{"StringEquals":{"aws:PrincipalTag/Team":"blue"}}`, ctx{"aws:principaltag/team": {"Blue"}}, false},
	{"StringEquals multivalued request any", `{"StringEquals":{"aws:TagKeys":"a"}}`, ctx{"aws:tagkeys": {"b", "a"}}, true},
	{"StringNotEquals mismatch", `{"StringNotEquals":{"aws:username":"alice"}}`, ctx{"aws:username": {"bob"}}, true},
	{"StringNotEquals match", `{"StringNotEquals":{"aws:username":"alice"}}`, ctx{"aws:username": {"alice"}}, false},
	{"StringNotEquals missing key", `{"StringNotEquals":{"aws:username":"alice"}}`, nil, true},
	{"StringNotEquals matches none", `{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1"]}}`, ctx{"aws:requestedregion": {"ap-south-1"}}, true},
	{"StringNotEquals matches one", `{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1"]}}`, ctx{"aws:requestedregion": {"eu-west-1"}}, false},
	{"StringEqualsIgnoreCase", `{"StringEqualsIgnoreCase":{"aws:username":"ALICE"}}`, ctx{"aws:username": {"alice"}}, true},
	{"StringEqualsIgnoreCase unicode", `{"StringEqualsIgnoreCase":{"aws:PrincipalTag/city":"MÜNCHEN"}}`, ctx{"aws:principaltag/city": {"münchen"}}, true},
	{"StringEqualsIgnoreCase mismatch", `{"StringEqualsIgnoreCase":{"aws:username":"ALICE"}}`, ctx{"aws:username": {"alicia"}}, false},
	{"StringEqualsIgnoreCase missing", `{"StringEqualsIgnoreCase":{"aws:username":"ALICE"}}`, nil, false},
	{"StringNotEqualsIgnoreCase equal", `{"StringNotEqualsIgnoreCase":{"aws:username":"ALICE"}}`, ctx{"aws:username": {"alice"}}, false},
	{"StringNotEqualsIgnoreCase different", `{"StringNotEqualsIgnoreCase":{"aws:username":"ALICE"}}`, ctx{"aws:username": {"bob"}}, true},
	{"StringNotEqualsIgnoreCase missing", `{"StringNotEqualsIgnoreCase":{"aws:username":"ALICE"}}`, nil, true},

	// StringLike and StringNotLike.
	{"StringLike star", `{"StringLike":{"s3:prefix":"home/*"}}`, ctx{"s3:prefix": {"home/alice/docs"}}, true},
	{"StringLike star empty", `{"StringLike":{"s3:prefix":"home/*"}}`, ctx{"s3:prefix": {"home/"}}, true},
	{"StringLike no match", `{"StringLike":{"s3:prefix":"home/*"}}`, ctx{"s3:prefix": {"work/alice"}}, false},
	{"StringLike question mark", `{"StringLike":{"s3:prefix":"v?"}}`, ctx{"s3:prefix": {"v2"}}, true},
	{"StringLike question mark one char", `{"StringLike":{"s3:prefix":"v?"}}`, ctx{"s3:prefix": {"v10"}}, false},
	{"StringLike case-sensitive", `{"StringLike":{"s3:prefix":"Home/*"}}`, ctx{"s3:prefix": {"home/x"}}, false},
	{"StringLike missing", `{"StringLike":{"s3:prefix":"*"}}`, nil, false},
	{"StringLike star matches present empty", `{"StringLike":{"s3:prefix":"*"}}`, ctx{"s3:prefix": {""}}, true},
	{"StringLike values OR", `{"StringLike":{"aws:userid":["AIDA*","*:alice"]}}`, ctx{"aws:userid": {"AROAEXAMPLE:alice"}}, true},
	{"StringNotLike no match", `{"StringNotLike":{"s3:prefix":"private/*"}}`, ctx{"s3:prefix": {"public/x"}}, true},
	{"StringNotLike match", `{"StringNotLike":{"s3:prefix":"private/*"}}`, ctx{"s3:prefix": {"private/x"}}, false},
	{"StringNotLike missing", `{"StringNotLike":{"s3:prefix":"private/*"}}`, nil, true},
	{"StringNotLike matches none of list", `{"StringNotLike":{"s3:prefix":["a*","b*"]}}`, ctx{"s3:prefix": {"c"}}, true},
	{"StringNotLike matches one of list", `{"StringNotLike":{"s3:prefix":["a*","b*"]}}`, ctx{"s3:prefix": {"bee"}}, false},

	// Numeric.
	{"NumericEquals", `{"NumericEquals":{"s3:max-keys":"10"}}`, ctx{"s3:max-keys": {"10"}}, true},
	{"NumericEquals decimal form", `{"NumericEquals":{"s3:max-keys":"10"}}`, ctx{"s3:max-keys": {"10.0"}}, true},
	{"NumericEquals JSON number", `{"NumericEquals":{"s3:max-keys":10}}`, ctx{"s3:max-keys": {"10"}}, true},
	{"NumericEquals mismatch", `{"NumericEquals":{"s3:max-keys":"10"}}`, ctx{"s3:max-keys": {"11"}}, false},
	{"NumericEquals missing", `{"NumericEquals":{"s3:max-keys":"10"}}`, nil, false},
	{"NumericEquals request not a number", `{"NumericEquals":{"s3:max-keys":"10"}}`, ctx{"s3:max-keys": {"ten"}}, false},
	{"NumericEquals policy not a number", `{"NumericEquals":{"s3:max-keys":"ten"}}`, ctx{"s3:max-keys": {"10"}}, false},
	{"NumericNotEquals", `{"NumericNotEquals":{"s3:max-keys":"10"}}`, ctx{"s3:max-keys": {"11"}}, true},
	{"NumericNotEquals equal", `{"NumericNotEquals":{"s3:max-keys":"10"}}`, ctx{"s3:max-keys": {"10"}}, false},
	{"NumericNotEquals missing", `{"NumericNotEquals":{"s3:max-keys":"10"}}`, nil, true},
	{"NumericLessThan below", `{"NumericLessThan":{"s3:max-keys":"10"}}`, ctx{"s3:max-keys": {"9"}}, true},
	{"NumericLessThan equal", `{"NumericLessThan":{"s3:max-keys":"10"}}`, ctx{"s3:max-keys": {"10"}}, false},
	{"NumericLessThan negative", `{"NumericLessThan":{"x:n":"0"}}`, ctx{"x:n": {"-1.5"}}, true},
	{"NumericLessThanEquals equal", `{"NumericLessThanEquals":{"s3:max-keys":"10"}}`, ctx{"s3:max-keys": {"10"}}, true},
	{"NumericLessThanEquals above", `{"NumericLessThanEquals":{"s3:max-keys":"10"}}`, ctx{"s3:max-keys": {"10.5"}}, false},
	{"NumericGreaterThan above", `{"NumericGreaterThan":{"aws:MultiFactorAuthAge":"3600"}}`, ctx{"aws:multifactorauthage": {"3601"}}, true},
	{"NumericGreaterThan equal", `{"NumericGreaterThan":{"aws:MultiFactorAuthAge":"3600"}}`, ctx{"aws:multifactorauthage": {"3600"}}, false},
	{"NumericGreaterThanEquals equal", `{"NumericGreaterThanEquals":{"x:n":"1.25"}}`, ctx{"x:n": {"1.25"}}, true},
	{"NumericGreaterThanEquals below", `{"NumericGreaterThanEquals":{"x:n":"1.25"}}`, ctx{"x:n": {"1.2"}}, false},
	{"NumericLessThan values OR", `{"NumericLessThan":{"x:n":["1","100"]}}`, ctx{"x:n": {"50"}}, true},

	// Date.
	{"DateGreaterThan", `{"DateGreaterThan":{"aws:CurrentTime":"2024-01-01T00:00:00Z"}}`, ctx{"aws:currenttime": {"2024-06-01T12:00:00Z"}}, true},
	{"DateGreaterThan before", `{"DateGreaterThan":{"aws:CurrentTime":"2024-01-01T00:00:00Z"}}`, ctx{"aws:currenttime": {"2023-12-31T23:59:59Z"}}, false},
	{"DateGreaterThan equal", `{"DateGreaterThan":{"aws:CurrentTime":"2024-01-01T00:00:00Z"}}`, ctx{"aws:currenttime": {"2024-01-01T00:00:00Z"}}, false},
	{"DateGreaterThanEquals equal", `{"DateGreaterThanEquals":{"aws:CurrentTime":"2024-01-01T00:00:00Z"}}`, ctx{"aws:currenttime": {"2024-01-01T00:00:00Z"}}, true},
	{"DateLessThan", `{"DateLessThan":{"aws:CurrentTime":"2024-01-01"}}`, ctx{"aws:currenttime": {"2023-12-31T23:59:59Z"}}, true},
	{"DateLessThan fraction", `{"DateLessThan":{"aws:CurrentTime":"2024-01-01T00:00:00.5Z"}}`, ctx{"aws:currenttime": {"2024-01-01T00:00:00.25Z"}}, true},
	{"DateLessThanEquals equal", `{"DateLessThanEquals":{"aws:CurrentTime":"2024-01-01"}}`, ctx{"aws:currenttime": {"2024-01-01T00:00:00Z"}}, true},
	{"DateLessThanEquals after", `{"DateLessThanEquals":{"aws:CurrentTime":"2024-01-01"}}`, ctx{"aws:currenttime": {"2024-01-01T00:00:01Z"}}, false},
	{"DateEquals across zones", `{"DateEquals":{"aws:CurrentTime":"2024-01-01T10:00:00+02:00"}}`, ctx{"aws:currenttime": {"2024-01-01T08:00:00Z"}}, true},
	{"DateEquals negative offset", `{"DateEquals":{"aws:CurrentTime":"2024-01-01T03:00:00-05:00"}}`, ctx{"aws:currenttime": {"2024-01-01T08:00:00Z"}}, true},
	{"DateEquals epoch against ISO", `{"DateEquals":{"aws:EpochTime":"2023-11-14T22:13:20Z"}}`, ctx{"aws:epochtime": {"1700000000"}}, true},
	{"DateGreaterThan epoch policy", `{"DateGreaterThan":{"aws:CurrentTime":"1700000000"}}`, ctx{"aws:currenttime": {"2023-11-14T22:13:21Z"}}, true},
	{"DateNotEquals", `{"DateNotEquals":{"aws:CurrentTime":"2024-01-01T00:00:00Z"}}`, ctx{"aws:currenttime": {"2024-01-02T00:00:00Z"}}, true},
	{"DateNotEquals equal", `{"DateNotEquals":{"aws:CurrentTime":"2024-01-01T00:00:00Z"}}`, ctx{"aws:currenttime": {"2024-01-01T00:00:00Z"}}, false},
	{"DateNotEquals missing", `{"DateNotEquals":{"aws:CurrentTime":"2024-01-01T00:00:00Z"}}`, nil, true},
	{"DateLessThan missing", `{"DateLessThan":{"aws:CurrentTime":"2024-01-01T00:00:00Z"}}`, nil, false},
	{"Date request not a date", `{"DateLessThan":{"aws:CurrentTime":"2024-01-01T00:00:00Z"}}`, ctx{"aws:currenttime": {"yesterday"}}, false},
	{"Date range AND", `{"DateGreaterThan":{"aws:CurrentTime":"2017-07-01T00:00:00Z"},"DateLessThan":{"aws:CurrentTime":"2017-12-31T23:59:59Z"}}`, ctx{"aws:currenttime": {"2017-09-01T00:00:00Z"}}, true},
	{"Date range AND outside", `{"DateGreaterThan":{"aws:CurrentTime":"2017-07-01T00:00:00Z"},"DateLessThan":{"aws:CurrentTime":"2017-12-31T23:59:59Z"}}`, ctx{"aws:currenttime": {"2018-01-01T00:00:00Z"}}, false},

	// Bool and BinaryEquals.
	{"Bool true", `{"Bool":{"aws:SecureTransport":"true"}}`, ctx{"aws:securetransport": {"true"}}, true},
	{"Bool case-insensitive", `{"Bool":{"aws:SecureTransport":"true"}}`, ctx{"aws:securetransport": {"TRUE"}}, true},
	{"Bool false vs true", `{"Bool":{"aws:SecureTransport":"false"}}`, ctx{"aws:securetransport": {"true"}}, false},
	{"Bool false matches false", `{"Bool":{"aws:SecureTransport":false}}`, ctx{"aws:securetransport": {"false"}}, true},
	{"Bool missing", `{"Bool":{"aws:MultiFactorAuthPresent":"false"}}`, nil, false},
	{"Bool policy not boolean", `{"Bool":{"aws:SecureTransport":"yes"}}`, ctx{"aws:securetransport": {"false"}}, false},
	{"Bool request not boolean", `{"Bool":{"aws:SecureTransport":"true"}}`, ctx{"aws:securetransport": {"yes"}}, false},
	{"BinaryEquals", `{"BinaryEquals":{"x:blob":"QUJD"}}`, ctx{"x:blob": {"ABC"}}, true},
	{"BinaryEquals unpadded", `{"BinaryEquals":{"x:blob":"QUI"}}`, ctx{"x:blob": {"AB"}}, true},
	{"BinaryEquals mismatch", `{"BinaryEquals":{"x:blob":"QUJD"}}`, ctx{"x:blob": {"abc"}}, false},
	{"BinaryEquals policy not base64", `{"BinaryEquals":{"x:blob":"!!!"}}`, ctx{"x:blob": {"!!!"}}, false},
	{"BinaryEquals missing", `{"BinaryEquals":{"x:blob":"QUJD"}}`, nil, false},

	// IpAddress and NotIpAddress.
	{"IpAddress in block", `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, ctx{"aws:sourceip": {"203.0.113.7"}}, true},
	{"IpAddress outside block", `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, ctx{"aws:sourceip": {"203.0.114.7"}}, false},
	{"IpAddress bare address", `{"IpAddress":{"aws:SourceIp":"203.0.113.7"}}`, ctx{"aws:sourceip": {"203.0.113.7"}}, true},
	{"IpAddress bare address other", `{"IpAddress":{"aws:SourceIp":"203.0.113.7"}}`, ctx{"aws:sourceip": {"203.0.113.8"}}, false},
	{"IpAddress unmasked block", `{"IpAddress":{"aws:SourceIp":"203.0.113.99/24"}}`, ctx{"aws:sourceip": {"203.0.113.7"}}, true},
	{"IpAddress list OR", `{"IpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.0/24"]}}`, ctx{"aws:sourceip": {"203.0.113.7"}}, true},
	{"IpAddress IPv6", `{"IpAddress":{"aws:SourceIp":"2001:db8::/32"}}`, ctx{"aws:sourceip": {"2001:db8:1234::1"}}, true},
	{"IpAddress IPv6 outside", `{"IpAddress":{"aws:SourceIp":"2001:db8::/32"}}`, ctx{"aws:sourceip": {"2001:db9::1"}}, false},
	{"IpAddress family mismatch", `{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}`, ctx{"aws:sourceip": {"2001:db8::1"}}, false},
	{"IpAddress mapped IPv4", `{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, ctx{"aws:sourceip": {"::ffff:10.1.2.3"}}, true},
	{"IpAddress mapped block", `{"IpAddress":{"aws:SourceIp":"::ffff:10.0.0.0/104"}}`, ctx{"aws:sourceip": {"10.1.2.3"}}, true},
	{"IpAddress request not an address", `{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}`, ctx{"aws:sourceip": {"localhost"}}, false},
	{"IpAddress policy not an address", `{"IpAddress":{"aws:SourceIp":"office"}}`, ctx{"aws:sourceip": {"10.0.0.1"}}, false},
	{"IpAddress missing", `{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}`, nil, false},
	{"NotIpAddress outside", `{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, ctx{"aws:sourceip": {"198.51.100.1"}}, true},
	{"NotIpAddress inside", `{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, ctx{"aws:sourceip": {"203.0.113.1"}}, false},
	{"NotIpAddress missing", `{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, nil, true},

	// Arn operators.
	{"ArnEquals exact", `{"ArnEquals":{"aws:SourceArn":"arn:aws:cloudtrail:us-east-1:111122223333:trail/main"}}`, ctx{"aws:sourcearn": {"arn:aws:cloudtrail:us-east-1:111122223333:trail/main"}}, true},
	{"ArnEquals wildcard like ArnLike", `{"ArnEquals":{"aws:SourceArn":"arn:aws:cloudtrail:*:111122223333:trail/*"}}`, ctx{"aws:sourcearn": {"arn:aws:cloudtrail:eu-west-1:111122223333:trail/main"}}, true},
	{"ArnLike role pattern", `{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/Admin*"}}`, ctx{"aws:principalarn": {"arn:aws:iam::111122223333:role/AdminOps"}}, true},
	{"ArnLike star stays in its part", `{"ArnLike":{"aws:SourceArn":"arn:aws:s3:*"}}`, ctx{"aws:sourcearn": {"arn:aws:s3:::bucket"}}, false},
	{"ArnLike resource part spans colon", `{"ArnLike":{"aws:SourceArn":"arn:aws:logs:us-east-1:111122223333:log-group:*"}}`, ctx{"aws:sourcearn": {"arn:aws:logs:us-east-1:111122223333:log-group:g:log-stream:s"}}, true},
	{"ArnLike account mismatch", `{"ArnLike":{"aws:SourceArn":"arn:aws:cloudtrail:*:111122223333:trail/*"}}`, ctx{"aws:sourcearn": {"arn:aws:cloudtrail:us-east-1:444455556666:trail/main"}}, false},
	{"ArnLike case-sensitive", `{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::Bucket"}}`, ctx{"aws:sourcearn": {"arn:aws:s3:::bucket"}}, false},
	{"ArnLike request not an arn", `{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::*"}}`, ctx{"aws:sourcearn": {"bucket"}}, false},
	{"ArnLike star alone", `{"ArnLike":{"aws:SourceArn":"*"}}`, ctx{"aws:sourcearn": {"anything"}}, true},
	{"ArnLike missing", `{"ArnLike":{"aws:SourceArn":"*"}}`, nil, false},
	{"ArnNotEquals different", `{"ArnNotEquals":{"aws:SourceArn":"arn:aws:s3:::a"}}`, ctx{"aws:sourcearn": {"arn:aws:s3:::b"}}, true},
	{"ArnNotEquals equal", `{"ArnNotEquals":{"aws:SourceArn":"arn:aws:s3:::a"}}`, ctx{"aws:sourcearn": {"arn:aws:s3:::a"}}, false},
	{"ArnNotLike missing", `{"ArnNotLike":{"aws:SourceArn":"arn:aws:s3:::a*"}}`, nil, true},
	{"ArnNotLike match", `{"ArnNotLike":{"aws:SourceArn":"arn:aws:s3:::a*"}}`, ctx{"aws:sourcearn": {"arn:aws:s3:::abc"}}, false},

	// Null.
	{"Null true absent", `{"Null":{"aws:TokenIssueTime":"true"}}`, nil, true},
	{"Null true present", `{"Null":{"aws:TokenIssueTime":"true"}}`, ctx{"aws:tokenissuetime": {"2024-01-01T00:00:00Z"}}, false},
	{"Null false present", `{"Null":{"aws:TokenIssueTime":"false"}}`, ctx{"aws:tokenissuetime": {"2024-01-01T00:00:00Z"}}, true},
	{"Null false absent", `{"Null":{"aws:TokenIssueTime":"false"}}`, nil, false},
	{"Null JSON boolean", `{"Null":{"aws:TokenIssueTime":true}}`, nil, true},
	{"Null policy not boolean absent", `{"Null":{"aws:TokenIssueTime":"maybe"}}`, nil, false},
	{"Null policy not boolean present", `{"Null":{"aws:TokenIssueTime":"maybe"}}`, ctx{"aws:tokenissuetime": {"x"}}, false},
	{"Null either answer", `{"Null":{"aws:TokenIssueTime":["true","false"]}}`, nil, true},
	{"Null empty values list", `{"Null":{"aws:TokenIssueTime":"false"}}`, ctx{"aws:tokenissuetime": {}}, false},

	// …IfExists.
	{"IfExists missing", `{"StringEqualsIfExists":{"ec2:InstanceType":"t3.micro"}}`, nil, true},
	{"IfExists present match", `{"StringEqualsIfExists":{"ec2:InstanceType":"t3.micro"}}`, ctx{"ec2:instancetype": {"t3.micro"}}, true},
	{"IfExists present mismatch", `{"StringEqualsIfExists":{"ec2:InstanceType":"t3.micro"}}`, ctx{"ec2:instancetype": {"m5.large"}}, false},
	{"NumericLessThanIfExists missing", `{"NumericLessThanIfExists":{"s3:max-keys":"10"}}`, nil, true},
	{"NumericLessThanIfExists present", `{"NumericLessThanIfExists":{"s3:max-keys":"10"}}`, ctx{"s3:max-keys": {"20"}}, false},
	{"DateGreaterThanIfExists missing", `{"DateGreaterThanIfExists":{"aws:TokenIssueTime":"2024-01-01"}}`, nil, true},
	{"BoolIfExists missing", `{"BoolIfExists":{"aws:MultiFactorAuthPresent":"true"}}`, nil, true},
	{"BoolIfExists false", `{"BoolIfExists":{"aws:MultiFactorAuthPresent":"true"}}`, ctx{"aws:multifactorauthpresent": {"false"}}, false},
	{"IpAddressIfExists missing", `{"IpAddressIfExists":{"aws:SourceIp":"10.0.0.0/8"}}`, nil, true},
	{"ArnLikeIfExists missing", `{"ArnLikeIfExists":{"aws:SourceArn":"arn:aws:s3:::b"}}`, nil, true},
	{"StringNotEqualsIfExists present equal", `{"StringNotEqualsIfExists":{"aws:username":"alice"}}`, ctx{"aws:username": {"alice"}}, false},
	{"StringNotEqualsIfExists missing", `{"StringNotEqualsIfExists":{"aws:username":"alice"}}`, nil, true},

	// Set qualifiers.
	{"ForAllValues subset", `{"ForAllValues:StringEquals":{"aws:TagKeys":["env","team","cost"]}}`, ctx{"aws:tagkeys": {"env", "team"}}, true},
	{"ForAllValues not subset", `{"ForAllValues:StringEquals":{"aws:TagKeys":["env","team"]}}`, ctx{"aws:tagkeys": {"env", "owner"}}, false},
	{"ForAllValues missing", `{"ForAllValues:StringEquals":{"aws:TagKeys":["env"]}}`, nil, true},
	{"ForAllValues empty set", `{"ForAllValues:StringEquals":{"aws:TagKeys":["env"]}}`, ctx{"aws:tagkeys": {}}, true},
	{"ForAllValues single value", `{"ForAllValues:StringLike":{"aws:TagKeys":"env*"}}`, ctx{"aws:tagkeys": {"environment"}}, true},
	{"ForAllValues StringNotEquals none forbidden", `{"ForAllValues:StringNotEquals":{"aws:TagKeys":["secret"]}}`, ctx{"aws:tagkeys": {"env", "team"}}, true},
	{"ForAllValues StringNotEquals one forbidden", `{"ForAllValues:StringNotEquals":{"aws:TagKeys":["secret"]}}`, ctx{"aws:tagkeys": {"env", "secret"}}, false},
	{"ForAllValues IgnoreCase", `{"ForAllValues:StringEqualsIgnoreCase":{"aws:TagKeys":["ENV"]}}`, ctx{"aws:tagkeys": {"env", "Env"}}, true},
	{"ForAllValues IfExists missing", `{"ForAllValues:StringEqualsIfExists":{"aws:TagKeys":["env"]}}`, nil, true},
	{"ForAnyValue one matches", `{"ForAnyValue:StringEquals":{"aws:TagKeys":["env","team"]}}`, ctx{"aws:tagkeys": {"owner", "team"}}, true},
	{"ForAnyValue none matches", `{"ForAnyValue:StringEquals":{"aws:TagKeys":["env","team"]}}`, ctx{"aws:tagkeys": {"owner", "cost"}}, false},
	{"ForAnyValue missing", `{"ForAnyValue:StringEquals":{"aws:TagKeys":["env"]}}`, nil, false},
	{"ForAnyValue empty set", `{"ForAnyValue:StringEquals":{"aws:TagKeys":["env"]}}`, ctx{"aws:tagkeys": {}}, false},
	{"ForAnyValue StringNotLike", `{"ForAnyValue:StringNotLike":{"aws:TagKeys":["env*"]}}`, ctx{"aws:tagkeys": {"environment", "team"}}, true},
	{"ForAnyValue StringNotLike all excluded", `{"ForAnyValue:StringNotLike":{"aws:TagKeys":["env*"]}}`, ctx{"aws:tagkeys": {"environment", "env"}}, false},
	{"ForAnyValue StringNotEquals missing", `{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["env"]}}`, nil, false},
	{"ForAnyValue IfExists missing", `{"ForAnyValue:StringEqualsIfExists":{"aws:TagKeys":["env"]}}`, nil, true},
	{"ForAnyValue Numeric", `{"ForAnyValue:NumericGreaterThan":{"x:sizes":"100"}}`, ctx{"x:sizes": {"5", "500"}}, true},
	{"ForAllValues Numeric", `{"ForAllValues:NumericGreaterThan":{"x:sizes":"100"}}`, ctx{"x:sizes": {"5", "500"}}, false},
	{"ForAnyValue IpAddress", `{"ForAnyValue:IpAddress":{"x:ips":"10.0.0.0/8"}}`, ctx{"x:ips": {"192.0.2.1", "10.9.9.9"}}, true},
	{"ForAllValues ArnLike", `{"ForAllValues:ArnLike":{"x:arns":"arn:aws:s3:::b/*"}}`, ctx{"x:arns": {"arn:aws:s3:::b/1", "arn:aws:s3:::c/1"}}, false},

	// AND across operators and keys, OR across values.
	{"AND across operators both true", `{"StringEquals":{"aws:username":"alice"},"Bool":{"aws:SecureTransport":"true"}}`, ctx{"aws:username": {"alice"}, "aws:securetransport": {"true"}}, true},
	{"AND across operators one false", `{"StringEquals":{"aws:username":"alice"},"Bool":{"aws:SecureTransport":"true"}}`, ctx{"aws:username": {"alice"}, "aws:securetransport": {"false"}}, false},
	{"AND across keys both true", `{"StringEquals":{"aws:username":"alice","aws:RequestedRegion":"us-east-1"}}`, ctx{"aws:username": {"alice"}, "aws:requestedregion": {"us-east-1"}}, true},
	{"AND across keys one missing", `{"StringEquals":{"aws:username":"alice","aws:RequestedRegion":"us-east-1"}}`, ctx{"aws:username": {"alice"}}, false},
	{"empty condition block", `{}`, nil, true},
	{"empty operator block", `{"StringEquals":{}}`, nil, true},
	{"empty value list positive", `{"StringEquals":{"aws:username":[]}}`, ctx{"aws:username": {"alice"}}, false},
	{"empty value list negated", `{"StringNotEquals":{"aws:username":[]}}`, ctx{"aws:username": {"alice"}}, true},
	{"operator name any case", `{"stringequals":{"aws:username":"alice"}}`, ctx{"aws:username": {"alice"}}, true},
}

func TestConditions(t *testing.T) {
	for _, tc := range conditionCases {
		t.Run(tc.name, func(t *testing.T) {
			p := mustParse(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":`+tc.cond+`}}`, Identity)
			req := Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", Principal: alice, Context: lowerCtx(tc.ctx)}
			d := Evaluate(Input{Request: req, Identity: []*Policy{p}})
			if d.Allowed() != tc.want {
				t.Errorf("condition %s with %v: allowed=%v, want %v", tc.cond, tc.ctx, d.Allowed(), tc.want)
			}
			// The same condition on a Deny statement must flip an allow.
			deny := mustParse(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*","Condition":`+tc.cond+`}]}`, Identity)
			d = Evaluate(Input{Request: req, Identity: []*Policy{deny}})
			if (d.Effect == ExplicitDeny) != tc.want || (d.Effect == Allow) == tc.want {
				t.Errorf("as a Deny condition: effect %v, want deny=%v", d.Effect, tc.want)
			}
		})
	}
}

func TestParseNumber(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want float64
	}{{"10", 10}, {" 10 ", 10}, {"-2.5", -2.5}, {"1e3", 1000}, {"1.50", 1.5}} {
		if got := parseNumber(tc.in); got != tc.want {
			t.Errorf("parseNumber(%q) = %v", tc.in, got)
		}
	}
	for _, in := range []string{"", "ten", "1e999", "Inf", "NaN", "0x10"} {
		if got := parseNumber(in); !math.IsNaN(got) {
			t.Errorf("parseNumber(%q) = %v, want NaN", in, got)
		}
	}
}

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		sec  int64
		nsec int32
	}{
		{"1700000000", 1700000000, 0},
		{"0", 0, 0},
		{"1970-01-01T00:00:00Z", 0, 0},
		{"2023-11-14T22:13:20Z", 1700000000, 0},
		{"2023-11-14t22:13:20z", 1700000000, 0},
		{"2023-11-14T23:13:20+01:00", 1700000000, 0},
		{"2023-11-14T23:13:20+01", 1700000000, 0},
		{"2023-11-14T17:13:20-05:00", 1700000000, 0},
		{"2023-11-14T22:13:20.123456789Z", 1700000000, 123456789},
		{"2023-11-14T22:13:20.5", 1700000000, 500000000},
		{"2023-11-14T22:13", 1699999980, 0},
		{"2023-11-14T22", 1699999200, 0},
		{"2023-11-14", 1699920000, 0},
		{"2023-11", 1698796800, 0},
		{"2023", 2023, 0}, // digits alone are epoch seconds, as IAM reads them
		{"-5-01-01", -62324985600, 0},
		{"2016-12-13t2:00:00", 1481594400, 0},
	} {
		got, ok := parseDate(tc.in)
		if !ok || got.sec != tc.sec || got.nsec != tc.nsec {
			t.Errorf("parseDate(%q) = %+v %v, want %d.%09d", tc.in, got, ok, tc.sec, tc.nsec)
		}
	}
	for _, in := range []string{"", "sdfdsf", "234-13", "2016-12-13t2:00:00.593194+1", "2016-12-13t2:00:00.1999999999+10:59",
		"9223372036854775808", "2024-01-32", "2024-00-01", "2024-01-01T24:00", "2024-01-01T10:60", "2024-01-01T10:00:60",
		"2024-01-01-01", "2024-01-01T10:00:00:00", "2024-01-01T10:00:00+1:00", "2024-01-01T10:00:00+24:00", "12.5", "2024-1x"} {
		if got, ok := parseDate(in); ok {
			t.Errorf("parseDate(%q) = %+v, want rejection", in, got)
		}
	}
	a, _ := parseDate("2024-01-01T00:00:00.1Z")
	b, _ := parseDate("2024-01-01T00:00:00.2Z")
	if a.cmp(b) != -1 || b.cmp(a) != 1 || a.cmp(a) != 0 {
		t.Error("instant ordering by nanoseconds")
	}
}
