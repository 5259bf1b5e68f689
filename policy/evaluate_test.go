package policy

import (
	"fmt"
	"reflect"
	"testing"
)

// Statement snippets used across the table.
const (
	allowAll       = `{"Effect":"Allow","Action":"*","Resource":"*"}`
	allowS3        = `{"Effect":"Allow","Action":"s3:*","Resource":"*"}`
	allowGet       = `{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`
	denyS3         = `{"Effect":"Deny","Action":"s3:*","Resource":"*"}`
	denyDelete     = `{"Sid":"NoDelete","Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}`
	allowTrail     = `{"Effect":"Allow","Action":"cloudtrail:*","Resource":"*"}`
	bucketObj      = "arn:aws:s3:::b/k"
	trailARN       = "arn:aws:cloudtrail:us-east-1:111122223333:trail/main"
	otherBucketObj = "arn:aws:s3:::other/k"
)

// grantTo is a resource-policy statement allowing s3:* on bucket b to the
// given Principal element.
func grantTo(principal string) string {
	return `{"Effect":"Allow","Principal":` + principal + `,"Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"]}`
}

type evalCase struct {
	name       string
	principal  Principal
	action     string
	resource   string
	ctx        ctx
	identity   []string // documents; named id0, id1, …
	boundary   string   // named boundary
	session    []string // named sess0, …; nil means none
	scps       [][]string
	resPolicy  string // named rp
	resKind    Kind   // Resource unless set
	resAccount string
	required   bool
	root       bool

	want     Effect
	deniedBy Kind
	deciding []string // "policy#index"
	missing  []string
}

var evalCases = []evalCase{
	// Identity-based policies.
	{name: "no policies", principal: alice, action: "s3:GetObject", resource: bucketObj,
		want: ImplicitDeny, deniedBy: Identity},
	{name: "identity allow", principal: alice, action: "s3:GetObject", resource: bucketObj,
		identity: []string{stmt(allowGet)}, want: Allow, deciding: []string{"id0#0"}},
	{name: "identity allow other resource", principal: alice, action: "s3:GetObject", resource: otherBucketObj,
		identity: []string{stmt(allowGet)}, want: ImplicitDeny, deniedBy: Identity},
	{name: "identity allow other action", principal: alice, action: "s3:PutObject", resource: bucketObj,
		identity: []string{stmt(allowGet)}, want: ImplicitDeny, deniedBy: Identity},
	{name: "action case-insensitive", principal: alice, action: "S3:getobject", resource: bucketObj,
		identity: []string{stmt(allowGet)}, want: Allow, deciding: []string{"id0#0"}},
	{name: "explicit deny beats allow in same policy", principal: alice, action: "s3:DeleteObject", resource: bucketObj,
		identity: []string{stmt(allowS3, denyDelete)}, want: ExplicitDeny, deniedBy: Identity, deciding: []string{"id0#1"}},
	{name: "explicit deny in another policy", principal: alice, action: "s3:DeleteObject", resource: bucketObj,
		identity: []string{stmt(allowAll), stmt(denyDelete)}, want: ExplicitDeny, deniedBy: Identity, deciding: []string{"id1#0"}},
	{name: "deny on other action leaves allow", principal: alice, action: "s3:GetObject", resource: bucketObj,
		identity: []string{stmt(allowS3, denyDelete)}, want: Allow, deciding: []string{"id0#0"}},
	{name: "allows from two policies both decide", principal: alice, action: "s3:GetObject", resource: bucketObj,
		identity: []string{stmt(allowGet), stmt(allowS3)}, want: Allow, deciding: []string{"id0#0", "id1#0"}},
	{name: "every matching deny is reported", principal: alice, action: "s3:DeleteObject", resource: bucketObj,
		identity: []string{stmt(denyS3, denyDelete)}, want: ExplicitDeny, deniedBy: Identity, deciding: []string{"id0#0", "id0#1"}},
	{name: "wildcard actions", principal: alice, action: "iam:UpdateAccessKey", resource: "*",
		identity: []string{stmt(`{"Effect":"Allow","Action":"iam:*AccessKey*","Resource":"*"}`)}, want: Allow, deciding: []string{"id0#0"}},
	{name: "question mark action", principal: alice, action: "s3:GetObject", resource: bucketObj,
		identity: []string{stmt(`{"Effect":"Allow","Action":"s3:Get?bject","Resource":"*"}`)}, want: Allow, deciding: []string{"id0#0"}},
	{name: "resource wildcard spans slash", principal: alice, action: "s3:GetObject", resource: "arn:aws:s3:::b/a/b/c",
		identity: []string{stmt(allowGet)}, want: Allow, deciding: []string{"id0#0"}},
	{name: "resource is case-sensitive", principal: alice, action: "s3:GetObject", resource: "arn:aws:s3:::B/k",
		identity: []string{stmt(allowGet)}, want: ImplicitDeny, deniedBy: Identity},
	{name: "resource star in region part", principal: alice, action: "cloudtrail:CreateTrail", resource: trailARN,
		identity: []string{stmt(`{"Effect":"Allow","Action":"cloudtrail:*","Resource":"arn:aws:cloudtrail:*:111122223333:trail/*"}`)}, want: Allow, deciding: []string{"id0#0"}},
	{name: "resource star does not cross into account", principal: alice, action: "cloudtrail:CreateTrail", resource: trailARN,
		identity: []string{stmt(`{"Effect":"Allow","Action":"cloudtrail:*","Resource":"arn:aws:cloudtrail:*:trail/*"}`)}, want: ImplicitDeny, deniedBy: Identity},
	{name: "request resource star", principal: alice, action: "iam:ListUsers", resource: "*",
		identity: []string{stmt(`{"Effect":"Allow","Action":"iam:ListUsers","Resource":"arn:aws:iam::111122223333:user/*"}`)}, want: ImplicitDeny, deniedBy: Identity},

	// NotAction and NotResource.
	{name: "NotAction allow grants others", principal: alice, action: "s3:GetObject", resource: bucketObj,
		identity: []string{stmt(`{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}`)}, want: Allow, deciding: []string{"id0#0"}},
	{name: "NotAction allow excludes listed", principal: alice, action: "iam:CreateUser", resource: "*",
		identity: []string{stmt(`{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}`)}, want: ImplicitDeny, deniedBy: Identity},
	{name: "NotAction deny denies others", principal: alice, action: "s3:GetObject", resource: bucketObj,
		identity: []string{stmt(allowAll, `{"Effect":"Deny","NotAction":["iam:*","sts:*"],"Resource":"*"}`)}, want: ExplicitDeny, deniedBy: Identity, deciding: []string{"id0#1"}},
	{name: "NotAction deny spares listed", principal: alice, action: "iam:GetUser", resource: "*",
		identity: []string{stmt(allowAll, `{"Effect":"Deny","NotAction":["iam:*","sts:*"],"Resource":"*"}`)}, want: Allow, deciding: []string{"id0#0"}},
	{name: "NotResource allow grants others", principal: alice, action: "s3:GetObject", resource: otherBucketObj,
		identity: []string{stmt(`{"Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::b/*"}`)}, want: Allow, deciding: []string{"id0#0"}},
	{name: "NotResource allow excludes listed", principal: alice, action: "s3:GetObject", resource: bucketObj,
		identity: []string{stmt(`{"Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::b/*"}`)}, want: ImplicitDeny, deniedBy: Identity},
	{name: "NotResource deny", principal: alice, action: "s3:GetObject", resource: otherBucketObj,
		identity: []string{stmt(allowS3, `{"Effect":"Deny","Action":"s3:*","NotResource":["arn:aws:s3:::b","arn:aws:s3:::b/*"]}`)}, want: ExplicitDeny, deniedBy: Identity, deciding: []string{"id0#1"}},
	{name: "NotResource deny spares listed", principal: alice, action: "s3:GetObject", resource: bucketObj,
		identity: []string{stmt(allowS3, `{"Effect":"Deny","Action":"s3:*","NotResource":["arn:aws:s3:::b","arn:aws:s3:::b/*"]}`)}, want: Allow, deciding: []string{"id0#0"}},

	// Conditions in the flow, and missing context values.
	{name: "condition false leaves deny out", principal: alice, action: "s3:GetObject", resource: bucketObj,
		ctx:      ctx{"aws:SourceIp": {"10.1.1.1"}},
		identity: []string{stmt(allowS3, `{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}`)},
		want:     Allow, deciding: []string{"id0#0"}},
	{name: "condition true applies deny", principal: alice, action: "s3:GetObject", resource: bucketObj,
		ctx:      ctx{"aws:SourceIp": {"192.0.2.1"}},
		identity: []string{stmt(allowS3, `{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}`)},
		want:     ExplicitDeny, deniedBy: Identity, deciding: []string{"id0#1"}},
	{name: "missing key reported", principal: alice, action: "s3:GetObject", resource: bucketObj,
		identity: []string{stmt(`{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"},"StringLike":{"s3:prefix":"home/${aws:username}/*"}}}`)},
		want:     ImplicitDeny, deniedBy: Identity, missing: []string{"aws:multifactorauthpresent", "aws:username", "s3:prefix"}},
	{name: "missing keys only from relevant statements", principal: alice, action: "s3:GetObject", resource: bucketObj,
		ctx:      ctx{"aws:MultiFactorAuthPresent": {"true"}},
		identity: []string{stmt(`{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}`, `{"Effect":"Deny","Action":"iam:*","Resource":"*","Condition":{"StringEquals":{"aws:username":"x"}}}`)},
		want:     Allow, deciding: []string{"id0#0"}},
	{name: "missing resource variable reported", principal: alice, action: "s3:GetObject", resource: bucketObj,
		identity: []string{stmt(`{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}/*"}`)},
		want:     ImplicitDeny, deniedBy: Identity, missing: []string{"aws:username"}},

	// Service control policies.
	{name: "scp allows", principal: alice, action: "s3:GetObject", resource: bucketObj,
		identity: []string{stmt(allowS3)}, scps: [][]string{{stmt(allowAll)}, {stmt(allowAll)}},
		want: Allow, deciding: []string{"id0#0"}},
	{name: "scp explicit deny", principal: alice, action: "s3:GetObject", resource: bucketObj,
		identity: []string{stmt(allowS3)}, scps: [][]string{{stmt(allowAll)}, {stmt(allowAll, denyS3)}},
		want: ExplicitDeny, deniedBy: SCP, deciding: []string{"scp1.0#1"}},
	{name: "scp missing allow at one level", principal: alice, action: "s3:GetObject", resource: bucketObj,
		identity: []string{stmt(allowS3)}, scps: [][]string{{stmt(allowAll)}, {stmt(allowTrail)}},
		want: ImplicitDeny, deniedBy: SCP},
	{name: "scp allow split across policies of a level", principal: alice, action: "s3:GetObject", resource: bucketObj,
		identity: []string{stmt(allowS3)}, scps: [][]string{{stmt(allowTrail), stmt(allowS3)}},
		want: Allow, deciding: []string{"id0#0"}},
	{name: "scp alone grants nothing", principal: alice, action: "s3:GetObject", resource: bucketObj,
		scps: [][]string{{stmt(allowAll)}}, want: ImplicitDeny, deniedBy: Identity},
	{name: "scp empty level denies", principal: alice, action: "s3:GetObject", resource: bucketObj,
		identity: []string{stmt(allowS3)}, scps: [][]string{{stmt(allowAll)}, {}},
		want: ImplicitDeny, deniedBy: SCP},
	{name: "scp deny hits member account root", principal: root, root: true, action: "cloudtrail:StopLogging", resource: trailARN,
		scps: [][]string{{stmt(allowAll, `{"Effect":"Deny","Action":"cloudtrail:StopLogging","Resource":"*"}`)}},
		want: ExplicitDeny, deniedBy: SCP, deciding: []string{"scp0.0#1"}},
	{name: "scp gap hits root", principal: root, root: true, action: "s3:GetObject", resource: bucketObj,
		scps: [][]string{{stmt(allowTrail)}}, want: ImplicitDeny, deniedBy: SCP},
	{name: "management account root unrestricted", principal: root, root: true, action: "cloudtrail:StopLogging", resource: trailARN,
		want: Allow},
	{name: "scp region deny by condition", principal: alice, action: "s3:GetObject", resource: bucketObj,
		ctx: ctx{"aws:RequestedRegion": {"ap-south-1"}}, identity: []string{stmt(allowS3)},
		scps: [][]string{{stmt(allowAll, `{"Effect":"Deny","NotAction":"iam:*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1"]}}}`)}},
		want: ExplicitDeny, deniedBy: SCP, deciding: []string{"scp0.0#1"}},
	{name: "scp region allowed", principal: alice, action: "s3:GetObject", resource: bucketObj,
		ctx: ctx{"aws:RequestedRegion": {"eu-west-1"}}, identity: []string{stmt(allowS3)},
		scps: [][]string{{stmt(allowAll, `{"Effect":"Deny","NotAction":"iam:*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1"]}}}`)}},
		want: Allow, deciding: []string{"id0#0"}},
	{name: "scp region key missing denies", principal: alice, action: "s3:GetObject", resource: bucketObj,
		identity: []string{stmt(allowS3)},
		scps:     [][]string{{stmt(allowAll, `{"Effect":"Deny","NotAction":"iam:*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["us-east-1"]}}}`)}},
		want:     ExplicitDeny, deniedBy: SCP, deciding: []string{"scp0.0#1"}, missing: []string{"aws:requestedregion"}},
	{name: "scp does not apply to service principals", principal: trail, action: "s3:GetBucketAcl", resource: "arn:aws:s3:::b",
		scps: [][]string{{stmt(`{"Effect":"Deny","Action":"*","Resource":"*"}`)}}, resPolicy: stmt(grantTo(`{"Service":"cloudtrail.amazonaws.com"}`)),
		want: Allow, deciding: []string{"rp#0"}},

	// Root user.
	{name: "root needs no identity policy", principal: root, root: true, action: "iam:CreateUser", resource: "arn:aws:iam::111122223333:user/x",
		want: Allow},
	{name: "root stopped by resource policy deny", principal: root, root: true, action: "s3:DeleteBucket", resource: "arn:aws:s3:::b",
		resPolicy: stmt(grantTo(`"*"`), `{"Effect":"Deny","Principal":"*","Action":"s3:DeleteBucket","Resource":"arn:aws:s3:::b"}`),
		want:      ExplicitDeny, deniedBy: Resource, deciding: []string{"rp#1"}},
	{name: "root and key policy that omits the account", principal: root, root: true, action: "kms:Decrypt", resource: "arn:aws:kms:us-east-1:111122223333:key/k",
		resPolicy: stmt(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"kms:*","Resource":"*"}`), required: true,
		want: ImplicitDeny, deniedBy: Resource},
	{name: "root with key policy naming the account", principal: root, root: true, action: "kms:Decrypt", resource: "arn:aws:kms:us-east-1:111122223333:key/k",
		resPolicy: stmt(`{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}`), required: true,
		want: Allow, deciding: []string{"rp#0"}},
	{name: "root cross-account needs the resource policy", principal: root, root: true, action: "s3:GetObject", resource: bucketObj, resAccount: otherAcct,
		want: ImplicitDeny, deniedBy: Resource},

	// Permissions boundaries.
	{name: "boundary caps an admin", principal: alice, action: "iam:CreateUser", resource: "arn:aws:iam::111122223333:user/x",
		identity: []string{stmt(allowAll)}, boundary: stmt(`{"Effect":"Allow","Action":["s3:*","cloudwatch:*","ec2:*"],"Resource":"*"}`),
		want: ImplicitDeny, deniedBy: Boundary},
	{name: "boundary permits within", principal: alice, action: "s3:GetObject", resource: bucketObj,
		identity: []string{stmt(allowAll)}, boundary: stmt(`{"Effect":"Allow","Action":["s3:*","cloudwatch:*","ec2:*"],"Resource":"*"}`),
		want: Allow, deciding: []string{"id0#0"}},
	{name: "boundary grants nothing alone", principal: alice, action: "s3:GetObject", resource: bucketObj,
		boundary: stmt(allowAll), want: ImplicitDeny, deniedBy: Identity},
	{name: "boundary explicit deny", principal: alice, action: "s3:GetObject", resource: "arn:aws:s3:::logs/k",
		identity: []string{stmt(allowAll)}, boundary: stmt(allowAll, `{"Sid":"DenyS3Logs","Effect":"Deny","Action":"s3:*","Resource":["arn:aws:s3:::logs","arn:aws:s3:::logs/*"]}`),
		want: ExplicitDeny, deniedBy: Boundary, deciding: []string{"boundary#1"}},
	{name: "boundary does not limit resource grant to user", principal: alice, action: "s3:GetObject", resource: bucketObj,
		boundary: stmt(allowTrail), resPolicy: stmt(grantTo(`{"AWS":"arn:aws:iam::111122223333:user/alice"}`)),
		want: Allow, deciding: []string{"rp#0"}},
	{name: "boundary limits grant to account", principal: alice, action: "s3:GetObject", resource: bucketObj,
		identity: []string{stmt(allowS3)}, boundary: stmt(allowTrail), resPolicy: stmt(grantTo(`{"AWS":"111122223333"}`)),
		want: ImplicitDeny, deniedBy: Boundary},
	{name: "boundary limits grant to role", principal: sess, action: "s3:GetObject", resource: bucketObj,
		boundary: stmt(allowTrail), resPolicy: stmt(grantTo(`{"AWS":"arn:aws:iam::111122223333:role/Admin"}`)),
		want: ImplicitDeny, deniedBy: Boundary},
	{name: "boundary does not limit grant to session", principal: sess, action: "s3:GetObject", resource: bucketObj,
		boundary: stmt(allowTrail), resPolicy: stmt(grantTo(`{"AWS":"arn:aws:sts::111122223333:assumed-role/Admin/s1"}`)),
		want: Allow, deciding: []string{"rp#0"}},

	// Session policies.
	{name: "role session without session policy", principal: sess, action: "s3:PutObject", resource: bucketObj,
		identity: []string{stmt(allowAll)}, want: Allow, deciding: []string{"id0#0"}},
	{name: "session policy intersects", principal: sess, action: "s3:PutObject", resource: bucketObj,
		identity: []string{stmt(allowAll)}, session: []string{stmt(allowGet)},
		want: ImplicitDeny, deniedBy: Session},
	{name: "session policy within", principal: sess, action: "s3:GetObject", resource: bucketObj,
		identity: []string{stmt(allowAll)}, session: []string{stmt(allowGet)},
		want: Allow, deciding: []string{"id0#0"}},
	{name: "session policies union", principal: sess, action: "cloudtrail:GetTrail", resource: trailARN,
		identity: []string{stmt(allowAll)}, session: []string{stmt(allowGet), stmt(allowTrail)},
		want: Allow, deciding: []string{"id0#0"}},
	{name: "session policy grants nothing alone", principal: sess, action: "s3:GetObject", resource: bucketObj,
		session: []string{stmt(allowAll)}, want: ImplicitDeny, deniedBy: Identity},
	{name: "session policy explicit deny", principal: sess, action: "s3:DeleteObject", resource: bucketObj,
		identity: []string{stmt(allowAll)}, session: []string{stmt(allowAll, denyDelete)},
		want: ExplicitDeny, deniedBy: Session, deciding: []string{"sess0#1"}},
	{name: "session policy limits grant to role", principal: sess, action: "s3:PutObject", resource: bucketObj,
		session: []string{stmt(allowGet)}, resPolicy: stmt(grantTo(`{"AWS":"arn:aws:iam::111122223333:role/Admin"}`)),
		want: ImplicitDeny, deniedBy: Session},
	{name: "grant to role without identity allow", principal: sess, action: "s3:PutObject", resource: bucketObj,
		resPolicy: stmt(grantTo(`{"AWS":"arn:aws:iam::111122223333:role/Admin"}`)),
		want:      Allow, deciding: []string{"rp#0"}},
	{name: "grant to role within session policy", principal: sess, action: "s3:GetObject", resource: bucketObj,
		session: []string{stmt(allowGet)}, resPolicy: stmt(grantTo(`{"AWS":"arn:aws:iam::111122223333:role/Admin"}`)),
		want: Allow, deciding: []string{"rp#0"}},
	{name: "grant to session ignores session policy", principal: sess, action: "s3:PutObject", resource: bucketObj,
		session: []string{stmt(allowGet)}, resPolicy: stmt(grantTo(`{"AWS":"arn:aws:sts::111122223333:assumed-role/Admin/s1"}`)),
		want: Allow, deciding: []string{"rp#0"}},
	{name: "grant to other session", principal: sess, action: "s3:PutObject", resource: bucketObj,
		resPolicy: stmt(grantTo(`{"AWS":"arn:aws:sts::111122223333:assumed-role/Admin/s2"}`)),
		want:      ImplicitDeny, deniedBy: Identity},
	{name: "federated user needs a session policy", principal: fed, action: "s3:GetObject", resource: bucketObj,
		identity: []string{stmt(allowAll)}, want: ImplicitDeny, deniedBy: Session},
	{name: "federated user with session policy", principal: fed, action: "s3:GetObject", resource: bucketObj,
		identity: []string{stmt(allowAll)}, session: []string{stmt(allowGet)}, want: Allow, deciding: []string{"id0#0"}},
	{name: "grant to federated session", principal: fed, action: "s3:GetObject", resource: bucketObj,
		resPolicy: stmt(grantTo(`{"AWS":"arn:aws:sts::111122223333:federated-user/carol"}`)), want: Allow, deciding: []string{"rp#0"}},
	{name: "grant to user behind federated session", principal: fed, action: "s3:GetObject", resource: bucketObj,
		session: []string{stmt(allowTrail)}, resPolicy: stmt(grantTo(`{"AWS":"arn:aws:iam::111122223333:user/alice"}`)),
		want: ImplicitDeny, deniedBy: Session},

	// Same-account resource-based policies: the union rule.
	{name: "resource policy names user", principal: alice, action: "s3:GetObject", resource: bucketObj,
		resPolicy: stmt(grantTo(`{"AWS":"arn:aws:iam::111122223333:user/alice"}`)), want: Allow, deciding: []string{"rp#0"}},
	{name: "resource policy names another user", principal: alice, action: "s3:GetObject", resource: bucketObj,
		resPolicy: stmt(grantTo(`{"AWS":"arn:aws:iam::111122223333:user/bob"}`)), want: ImplicitDeny, deniedBy: Identity},
	{name: "resource policy names account root", principal: alice, action: "s3:GetObject", resource: bucketObj,
		resPolicy: stmt(grantTo(`{"AWS":"arn:aws:iam::111122223333:root"}`)), want: ImplicitDeny, deniedBy: Identity},
	{name: "resource policy names account id", principal: alice, action: "s3:GetObject", resource: bucketObj,
		resPolicy: stmt(grantTo(`{"AWS":"111122223333"}`)), want: ImplicitDeny, deniedBy: Identity},
	{name: "account grant plus identity allow", principal: alice, action: "s3:GetObject", resource: bucketObj,
		identity: []string{stmt(allowGet)}, resPolicy: stmt(grantTo(`{"AWS":"111122223333"}`)), want: Allow, deciding: []string{"rp#0", "id0#0"}},
	{name: "resource policy star", principal: alice, action: "s3:GetObject", resource: bucketObj,
		resPolicy: stmt(grantTo(`"*"`)), want: Allow, deciding: []string{"rp#0"}},
	{name: "resource policy AWS star", principal: bob, action: "s3:GetObject", resource: bucketObj,
		resPolicy: stmt(grantTo(`{"AWS":"*"}`)), want: Allow, deciding: []string{"rp#0"}},
	{name: "identity allow without resource policy allow", principal: alice, action: "s3:GetObject", resource: bucketObj,
		identity: []string{stmt(allowGet)}, resPolicy: stmt(grantTo(`{"AWS":"arn:aws:iam::111122223333:user/bob"}`)), want: Allow, deciding: []string{"id0#0"}},
	{name: "resource policy deny beats identity allow", principal: alice, action: "s3:GetObject", resource: bucketObj,
		identity:  []string{stmt(allowGet)},
		resPolicy: stmt(`{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"s3:*","Resource":"arn:aws:s3:::b/*"}`),
		want:      ExplicitDeny, deniedBy: Resource, deciding: []string{"rp#0"}},
	{name: "resource policy deny for another principal", principal: alice, action: "s3:GetObject", resource: bucketObj,
		identity:  []string{stmt(allowGet)},
		resPolicy: stmt(`{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111122223333:user/bob"},"Action":"s3:*","Resource":"arn:aws:s3:::b/*"}`),
		want:      Allow, deciding: []string{"id0#0"}},
	{name: "identity deny beats resource grant", principal: alice, action: "s3:GetObject", resource: bucketObj,
		identity: []string{stmt(denyS3)}, resPolicy: stmt(grantTo(`{"AWS":"arn:aws:iam::111122223333:user/alice"}`)),
		want: ExplicitDeny, deniedBy: Identity, deciding: []string{"id0#0"}},
	{name: "resource policy for other resource", principal: alice, action: "s3:GetObject", resource: otherBucketObj,
		resPolicy: stmt(grantTo(`"*"`)), want: ImplicitDeny, deniedBy: Identity},
	{name: "resource policy with condition", principal: alice, action: "s3:GetObject", resource: bucketObj,
		ctx:       ctx{"aws:SecureTransport": {"false"}},
		resPolicy: stmt(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}`),
		want:      ImplicitDeny, deniedBy: Identity},
	{name: "deny insecure transport", principal: alice, action: "s3:GetObject", resource: bucketObj,
		ctx: ctx{"aws:SecureTransport": {"false"}}, identity: []string{stmt(allowGet)},
		resPolicy: stmt(`{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}`),
		want:      ExplicitDeny, deniedBy: Resource, deciding: []string{"rp#0"}},

	// NotPrincipal.
	{name: "NotPrincipal deny spares listed user and account", principal: alice, action: "s3:GetObject", resource: bucketObj,
		identity:  []string{stmt(allowS3)},
		resPolicy: stmt(`{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::111122223333:user/alice","arn:aws:iam::111122223333:root"]},"Action":"s3:*","Resource":"arn:aws:s3:::b/*"}`),
		want:      Allow, deciding: []string{"id0#0"}},
	{name: "NotPrincipal deny hits others", principal: bob, action: "s3:GetObject", resource: bucketObj,
		identity:  []string{stmt(allowS3)},
		resPolicy: stmt(`{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::111122223333:user/alice","arn:aws:iam::111122223333:root"]},"Action":"s3:*","Resource":"arn:aws:s3:::b/*"}`),
		want:      ExplicitDeny, deniedBy: Resource, deciding: []string{"rp#0"}},
	{name: "NotPrincipal without account denies the user", principal: alice, action: "s3:GetObject", resource: bucketObj,
		identity:  []string{stmt(allowS3)},
		resPolicy: stmt(`{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"s3:*","Resource":"arn:aws:s3:::b/*"}`),
		want:      ExplicitDeny, deniedBy: Resource, deciding: []string{"rp#0"}},
	{name: "NotPrincipal session needs role too", principal: sess, action: "s3:GetObject", resource: bucketObj,
		identity:  []string{stmt(allowS3)},
		resPolicy: stmt(`{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:sts::111122223333:assumed-role/Admin/s1","111122223333"]},"Action":"s3:*","Resource":"arn:aws:s3:::b/*"}`),
		want:      ExplicitDeny, deniedBy: Resource, deciding: []string{"rp#0"}},
	{name: "NotPrincipal session with role and account", principal: sess, action: "s3:GetObject", resource: bucketObj,
		identity:  []string{stmt(allowS3)},
		resPolicy: stmt(`{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:sts::111122223333:assumed-role/Admin/s1","arn:aws:iam::111122223333:role/Admin","111122223333"]},"Action":"s3:*","Resource":"arn:aws:s3:::b/*"}`),
		want:      Allow, deciding: []string{"id0#0"}},
	{name: "NotPrincipal deny hits anonymous", principal: anon, action: "s3:GetObject", resource: bucketObj,
		resPolicy: stmt(grantTo(`"*"`), `{"Effect":"Deny","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"arn:aws:s3:::b/*"}`),
		want:      ExplicitDeny, deniedBy: Resource, deciding: []string{"rp#1"}},
	{name: "NotPrincipal star spares everyone", principal: alice, action: "s3:GetObject", resource: bucketObj,
		identity:  []string{stmt(allowS3)},
		resPolicy: stmt(`{"Effect":"Deny","NotPrincipal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*"}`),
		want:      Allow, deciding: []string{"id0#0"}},
	{name: "NotPrincipal allow grants others", principal: bob, action: "s3:GetObject", resource: bucketObj,
		resPolicy: stmt(`{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"s3:*","Resource":"arn:aws:s3:::b/*"}`),
		want:      Allow, deciding: []string{"rp#0"}},
	{name: "NotPrincipal root covered by account", principal: root, root: true, action: "s3:GetObject", resource: bucketObj,
		resPolicy: stmt(`{"Effect":"Deny","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"arn:aws:s3:::b/*"}`),
		want:      Allow},

	// Callers without identity policies.
	{name: "anonymous with public bucket", principal: anon, action: "s3:GetObject", resource: bucketObj,
		resPolicy: stmt(grantTo(`"*"`)), want: Allow, deciding: []string{"rp#0"}},
	{name: "anonymous with AWS star", principal: anon, action: "s3:GetObject", resource: bucketObj,
		resPolicy: stmt(grantTo(`{"AWS":"*"}`)), want: Allow, deciding: []string{"rp#0"}},
	{name: "anonymous with account grant", principal: anon, action: "s3:GetObject", resource: bucketObj,
		resPolicy: stmt(grantTo(`{"AWS":"111122223333"}`)), want: ImplicitDeny, deniedBy: Resource},
	{name: "anonymous without resource policy", principal: anon, action: "s3:GetObject", resource: bucketObj,
		want: ImplicitDeny, deniedBy: Resource},
	{name: "service principal bucket policy", principal: trail, action: "s3:PutObject", resource: "arn:aws:s3:::trail-bucket/AWSLogs/111122223333/x.json.gz",
		ctx:       ctx{"aws:SourceArn": {trailARN}, "s3:x-amz-acl": {"bucket-owner-full-control"}},
		resPolicy: stmt(`{"Sid":"AWSCloudTrailWrite20150319","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::trail-bucket/AWSLogs/111122223333/*","Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control","aws:SourceArn":"` + trailARN + `"}}}`),
		want:      Allow, deciding: []string{"rp#0"}},
	{name: "service principal wrong source", principal: trail, action: "s3:PutObject", resource: "arn:aws:s3:::trail-bucket/AWSLogs/111122223333/x.json.gz",
		ctx:       ctx{"aws:SourceArn": {"arn:aws:cloudtrail:us-east-1:444455556666:trail/evil"}, "s3:x-amz-acl": {"bucket-owner-full-control"}},
		resPolicy: stmt(`{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::trail-bucket/*","Condition":{"StringEquals":{"aws:SourceArn":"` + trailARN + `"}}}`),
		want:      ImplicitDeny, deniedBy: Resource},
	{name: "other service principal", principal: Principal{Type: PrincipalAWSService, ServiceName: "config.amazonaws.com"}, action: "s3:PutObject", resource: bucketObj,
		resPolicy: stmt(grantTo(`{"Service":"cloudtrail.amazonaws.com"}`)), want: ImplicitDeny, deniedBy: Resource},
	{name: "service name case-insensitive", principal: Principal{Type: PrincipalAWSService, ServiceName: "CloudTrail.amazonaws.com"}, action: "s3:PutObject", resource: bucketObj,
		resPolicy: stmt(grantTo(`{"Service":"cloudtrail.amazonaws.com"}`)), want: Allow, deciding: []string{"rp#0"}},
	{name: "service principal explicit deny", principal: trail, action: "s3:PutObject", resource: bucketObj,
		resPolicy: stmt(grantTo(`{"Service":"cloudtrail.amazonaws.com"}`), `{"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"*"}`),
		want:      ExplicitDeny, deniedBy: Resource, deciding: []string{"rp#1"}},
	{name: "identity policies ignored for services", principal: trail, action: "s3:PutObject", resource: bucketObj,
		identity: []string{stmt(allowAll)}, want: ImplicitDeny, deniedBy: Resource},
	{name: "canonical user", principal: Principal{Type: PrincipalIAMUser, ARN: bobARN, Account: acct, CanonicalUser: "79a59df9"}, action: "s3:GetObject", resource: bucketObj,
		resPolicy: stmt(grantTo(`{"CanonicalUser":"79a59df9"}`)), want: Allow, deciding: []string{"rp#0"}},

	// Cross-account.
	{name: "cross-account needs resource policy", principal: dave, action: "s3:GetObject", resource: bucketObj, resAccount: acct,
		identity: []string{stmt(allowS3)}, want: ImplicitDeny, deniedBy: Resource},
	{name: "cross-account resource policy without identity allow", principal: dave, action: "s3:GetObject", resource: bucketObj, resAccount: acct,
		resPolicy: stmt(grantTo(`{"AWS":"444455556666"}`)), want: ImplicitDeny, deniedBy: Identity},
	{name: "cross-account direct user grant still needs identity", principal: dave, action: "s3:GetObject", resource: bucketObj, resAccount: acct,
		resPolicy: stmt(grantTo(`{"AWS":"arn:aws:iam::444455556666:user/dave"}`)), want: ImplicitDeny, deniedBy: Identity},
	{name: "cross-account both allow", principal: dave, action: "s3:GetObject", resource: bucketObj, resAccount: acct,
		identity: []string{stmt(allowS3)}, resPolicy: stmt(grantTo(`{"AWS":"444455556666"}`)),
		want: Allow, deciding: []string{"rp#0", "id0#0"}},
	{name: "cross-account grant to other account", principal: dave, action: "s3:GetObject", resource: bucketObj, resAccount: acct,
		identity: []string{stmt(allowS3)}, resPolicy: stmt(grantTo(`{"AWS":"999988887777"}`)),
		want: ImplicitDeny, deniedBy: Resource},
	{name: "cross-account resource deny", principal: dave, action: "s3:GetObject", resource: bucketObj, resAccount: acct,
		identity:  []string{stmt(allowS3)},
		resPolicy: stmt(grantTo(`{"AWS":"444455556666"}`), `{"Effect":"Deny","Principal":{"AWS":"444455556666"},"Action":"s3:GetObject","Resource":"*"}`),
		want:      ExplicitDeny, deniedBy: Resource, deciding: []string{"rp#1"}},
	{name: "cross-account boundary applies", principal: dave, action: "s3:GetObject", resource: bucketObj, resAccount: acct,
		identity: []string{stmt(allowS3)}, boundary: stmt(allowTrail), resPolicy: stmt(grantTo(`{"AWS":"444455556666"}`)),
		want: ImplicitDeny, deniedBy: Boundary},
	{name: "cross-account scp applies", principal: dave, action: "s3:GetObject", resource: bucketObj, resAccount: acct,
		identity: []string{stmt(allowS3)}, scps: [][]string{{stmt(allowTrail)}}, resPolicy: stmt(grantTo(`{"AWS":"444455556666"}`)),
		want: ImplicitDeny, deniedBy: SCP},
	{name: "cross-account public bucket needs identity", principal: dave, action: "s3:GetObject", resource: bucketObj, resAccount: acct,
		resPolicy: stmt(grantTo(`"*"`)), want: ImplicitDeny, deniedBy: Identity},
	{name: "same account given explicitly", principal: alice, action: "s3:GetObject", resource: bucketObj, resAccount: acct,
		resPolicy: stmt(grantTo(`{"AWS":"arn:aws:iam::111122223333:user/alice"}`)), want: Allow, deciding: []string{"rp#0"}},

	// Role trust policies must allow on their own.
	{name: "trust names the user", principal: alice, action: "sts:AssumeRole", resource: roleARN, required: true, resKind: Trust,
		resPolicy: stmt(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"sts:AssumeRole"}`),
		want:      Allow, deciding: []string{"rp#0"}},
	{name: "trust omits the user", principal: alice, action: "sts:AssumeRole", resource: roleARN, required: true, resKind: Trust,
		identity:  []string{stmt(`{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}`)},
		resPolicy: stmt(`{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}`),
		want:      ImplicitDeny, deniedBy: Trust},
	{name: "trust delegates to account, identity allows", principal: alice, action: "sts:AssumeRole", resource: roleARN, required: true, resKind: Trust,
		identity:  []string{stmt(`{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::111122223333:role/*"}`)},
		resPolicy: stmt(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}`),
		want:      Allow, deciding: []string{"rp#0", "id0#0"}},
	{name: "trust delegates to account, identity silent", principal: alice, action: "sts:AssumeRole", resource: roleARN, required: true, resKind: Trust,
		resPolicy: stmt(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}`),
		want:      ImplicitDeny, deniedBy: Identity},
	{name: "trust explicit deny", principal: bob, action: "sts:AssumeRole", resource: roleARN, required: true, resKind: Trust,
		identity:  []string{stmt(allowAll)},
		resPolicy: stmt(`{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole"}`, `{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111122223333:user/bob"},"Action":"sts:AssumeRole"}`),
		want:      ExplicitDeny, deniedBy: Trust, deciding: []string{"rp#1"}},
	{name: "trust condition", principal: alice, action: "sts:AssumeRole", resource: roleARN, required: true, resKind: Trust,
		ctx:       ctx{"aws:MultiFactorAuthPresent": {"false"}},
		resPolicy: stmt(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}`),
		want:      ImplicitDeny, deniedBy: Trust},
	{name: "trust missing entirely", principal: alice, action: "sts:AssumeRole", resource: roleARN, required: true,
		identity: []string{stmt(allowAll)}, want: ImplicitDeny, deniedBy: Resource},
	{name: "trust for service", principal: trail, action: "sts:AssumeRole", resource: roleARN, required: true, resKind: Trust,
		resPolicy: `{"Version":"2012-10-17","Statement":[{"Sid":"","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"sts:AssumeRole"}]}`,
		want:      Allow, deciding: []string{"rp#0"}},
	{name: "trust cross-account", principal: dave, action: "sts:AssumeRole", resource: roleARN, resAccount: acct, required: true, resKind: Trust,
		identity:  []string{stmt(`{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::111122223333:role/Admin"}`)},
		resPolicy: stmt(`{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"sts:AssumeRole"}`),
		want:      Allow, deciding: []string{"rp#0", "id0#0"}},
	{name: "web identity trust", principal: Principal{Type: PrincipalWebIdentityUser, Provider: "cognito-identity.amazonaws.com"}, action: "sts:AssumeRoleWithWebIdentity", resource: roleARN, required: true, resKind: Trust,
		ctx:       ctx{"cognito-identity.amazonaws.com:aud": {"us-east-1:pool"}},
		resPolicy: stmt(`{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"us-east-1:pool"}}}`),
		want:      Allow, deciding: []string{"rp#0"}},
	{name: "web identity other provider", principal: Principal{Type: PrincipalWebIdentityUser, Provider: "accounts.google.com"}, action: "sts:AssumeRoleWithWebIdentity", resource: roleARN, required: true, resKind: Trust,
		resPolicy: stmt(`{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}`),
		want:      ImplicitDeny, deniedBy: Trust},

	// KMS key policies must allow on their own.
	{name: "key policy delegates, identity allows", principal: alice, action: "kms:Decrypt", resource: "arn:aws:kms:us-east-1:111122223333:key/k", required: true,
		identity:  []string{stmt(`{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}`)},
		resPolicy: stmt(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}`),
		want:      Allow, deciding: []string{"rp#0", "id0#0"}},
	{name: "key policy silent, identity allows", principal: alice, action: "kms:Decrypt", resource: "arn:aws:kms:us-east-1:111122223333:key/k", required: true,
		identity:  []string{stmt(`{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}`)},
		resPolicy: stmt(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/bob"},"Action":"kms:*","Resource":"*"}`),
		want:      ImplicitDeny, deniedBy: Resource},
	{name: "key policy names user", principal: alice, action: "kms:Decrypt", resource: "arn:aws:kms:us-east-1:111122223333:key/k", required: true,
		resPolicy: stmt(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"kms:Decrypt","Resource":"*"}`),
		want:      Allow, deciding: []string{"rp#0"}},
	{name: "key policy caller account condition", principal: alice, action: "kms:Decrypt", resource: "arn:aws:kms:us-east-1:111122223333:key/k", required: true,
		ctx:       ctx{"kms:CallerAccount": {acct}, "kms:EncryptionContext:aws:cloudtrail:arn": {trailARN}},
		resPolicy: stmt(`{"Effect":"Allow","Principal":{"AWS":"*"},"Action":["kms:Decrypt","kms:ReEncryptFrom"],"Resource":"*","Condition":{"StringEquals":{"kms:CallerAccount":"111122223333"},"StringLike":{"kms:EncryptionContext:aws:cloudtrail:arn":"arn:aws:cloudtrail:*:111122223333:trail/*"}}}`),
		want:      Allow, deciding: []string{"rp#0"}},

	// 2008-10-17 documents: no variables.
	{name: "2008 variable is literal in resource", principal: alice, action: "s3:GetObject", resource: "arn:aws:s3:::b/alice/k", ctx: ctx{"aws:username": {"alice"}},
		identity: []string{`{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}/*"}}`},
		want:     ImplicitDeny, deniedBy: Identity},
	{name: "2012 variable substituted", principal: alice, action: "s3:GetObject", resource: "arn:aws:s3:::b/alice/k", ctx: ctx{"aws:username": {"alice"}},
		identity: []string{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}/*"}}`},
		want:     Allow, deciding: []string{"id0#0"}},
}

func (tc *evalCase) input(t testing.TB) Input {
	req := Request{Action: tc.action, Resource: tc.resource, Principal: tc.principal, Context: lowerCtx(tc.ctx)}
	in := Input{Request: req, ResourceAccount: tc.resAccount, ResourcePolicyRequired: tc.required, Root: tc.root}
	for i, d := range tc.identity {
		in.Identity = append(in.Identity, named(t, fmt.Sprintf("id%d", i), d, Identity))
	}
	if tc.boundary != "" {
		in.Boundary = named(t, "boundary", tc.boundary, Boundary)
	}
	for i, d := range tc.session {
		in.Session = append(in.Session, named(t, fmt.Sprintf("sess%d", i), d, Session))
	}
	for l, level := range tc.scps {
		ps := []*Policy{}
		for i, d := range level {
			ps = append(ps, named(t, fmt.Sprintf("scp%d.%d", l, i), d, SCP))
		}
		in.SCPs = append(in.SCPs, ps)
	}
	if tc.resPolicy != "" {
		k := tc.resKind
		if k == 0 {
			k = Resource
		}
		in.ResourcePolicy = named(t, "rp", tc.resPolicy, k)
	}
	return in
}

func TestEvaluate(t *testing.T) {
	for _, tc := range evalCases {
		t.Run(tc.name, func(t *testing.T) {
			d := Evaluate(tc.input(t))
			if d.Effect != tc.want {
				t.Errorf("effect = %v, want %v", d.Effect, tc.want)
			}
			if tc.want != Allow && d.DeniedBy != tc.deniedBy {
				t.Errorf("denied by %v, want %v", d.DeniedBy, tc.deniedBy)
			}
			if tc.want == Allow && d.DeniedBy != 0 {
				t.Errorf("allowed but DeniedBy = %v", d.DeniedBy)
			}
			var got []string
			for _, s := range d.Statements {
				got = append(got, fmt.Sprintf("%s#%d", s.Policy, s.Index))
			}
			if !reflect.DeepEqual(got, tc.deciding) {
				t.Errorf("deciding statements = %v, want %v", got, tc.deciding)
			}
			if !reflect.DeepEqual(d.MissingContextValues, tc.missing) {
				t.Errorf("missing = %v, want %v", d.MissingContextValues, tc.missing)
			}
		})
	}
}

func TestIdentityPolicyAsResourcePolicyGrantsNobody(t *testing.T) {
	// A caller mixing up slots must not turn "Allow *" into a public grant.
	in := Input{Request: Request{Action: "s3:GetObject", Resource: bucketObj, Principal: anon},
		ResourcePolicy: mustParse(t, stmt(allowAll), Identity)}
	if d := Evaluate(in); d.Effect != ImplicitDeny {
		t.Errorf("anonymous: %v", d.Effect)
	}
	in.Request.Principal = alice
	if d := Evaluate(in); d.Effect != ImplicitDeny {
		t.Errorf("alice: %v", d.Effect)
	}
}

func TestEvaluateStatementRefDetails(t *testing.T) {
	tc := evalCase{principal: alice, action: "s3:DeleteObject", resource: bucketObj, identity: []string{stmt(allowS3, denyDelete)}}
	d := Evaluate(tc.input(t))
	want := []StatementRef{{Policy: "id0", Kind: Identity, Sid: "NoDelete", Index: 1, Effect: EffectDeny}}
	if !reflect.DeepEqual(d.Statements, want) {
		t.Errorf("Statements = %+v", d.Statements)
	}
}

func TestEvaluateIsDeterministicAndConcurrent(t *testing.T) {
	in := benchInput(t)
	first := Evaluate(in)
	done := make(chan Decision, 8)
	for i := 0; i < 8; i++ {
		go func() { done <- Evaluate(in) }()
	}
	for i := 0; i < 8; i++ {
		if d := <-done; !reflect.DeepEqual(d, first) {
			t.Fatalf("concurrent decision %+v differs from %+v", d, first)
		}
	}
}

func TestEvaluateAllowsWithoutAllocatingForSimpleRequests(t *testing.T) {
	// A deny needs no deciding-statement slice; the whole evaluation must
	// then be allocation-free.
	p := mustParse(t, stmt(`{"Effect":"Allow","Action":"iam:*","Resource":"*","Condition":{"StringLike":{"s3:prefix":"home/${aws:username}/*"}}}`), Identity)
	in := Input{Request: Request{Action: "s3:GetObject", Resource: bucketObj, Principal: alice,
		Context: map[string][]string{"aws:username": {"alice"}, "s3:prefix": {"home/alice/x"}}}, Identity: []*Policy{p}}
	if allocs := testing.AllocsPerRun(100, func() { Evaluate(in) }); allocs != 0 {
		t.Errorf("Evaluate allocated %v times", allocs)
	}
}
