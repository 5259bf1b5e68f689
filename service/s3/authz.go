package s3

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/netip"
	"strings"
	"sync"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/policy"
)

// How S3's permission model maps onto the policy engine (docs/design.md,
// "S3"):
//
//   - The resource policy the engine sees is the bucket policy, plus one
//     Allow statement per ACL grant that ownership controls let count
//     (none when the bucket is BucketOwnerEnforced), with the grant's
//     permission spelled as the actions AWS documents for it and the
//     grantee as a principal: a canonical user ID as its account (which,
//     like an ACL grant to an account, delegates to the account: its IAM
//     principals need their own identity policy too), AllUsers as "*",
//     AuthenticatedUsers as "*" on signed requests only.
//   - The resource's owner (Target.Account) is the bucket owner, except
//     for calls that read or change an existing object owned by another
//     account (ObjectWriter and BucketOwnerPreferred buckets): there the
//     object owner owns the resource, and the bucket policy, which cannot
//     grant on objects its owner does not own, keeps only its Deny
//     statements; the object's ACL decides.
//   - Block Public Access: IgnorePublicAcls drops public grants;
//     RestrictPublicBuckets keeps only the Deny statements of a public
//     bucket policy for callers other than AWS services and the bucket
//     owner's own principals; BlockPublicAcls and BlockPublicPolicy refuse
//     the writes that would make a bucket or object public.

// target is what authorization needs to know about a call's bucket and
// object; it also records the owners in the input for the event.
type target struct {
	bucket *bucketRec
	object *objectRec
}

// objectScope says how an operation relates to the object it names.
type objectScope uint8

const (
	scopeBucket      objectScope = iota // a bucket-level call
	scopeObjectWrite                    // creates, replaces or deletes objects: decided as the bucket owner's
	scopeObjectRead                     // reads or changes an existing object: decided as the object owner's
)

// resolveTarget reads the bucket (and the object, for the calls decided
// on it) and builds the cairn.Target the engine decides with. It returns
// nil when the bucket does not exist (the handler reports NoSuchBucket).
func (s *Service) resolveTarget(ctx context.Context, c *cairn.Call, in any, bucket, key string, scope objectScope) (*cairn.Target, error) {
	var t target
	b, err := s.bucket(ctx, bucket)
	if cairn.AsError(err) != nil {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	t.bucket = b
	// Only reads are decided on the object's own ACL, owner and tags; a
	// write is decided on the bucket's, so it does not read the object
	// (for a small PUT that read was a seventh of the server's work).
	readsObject := scope == scopeObjectRead && key != ""
	if readsObject {
		if t.object, err = s.cachedObject(ctx, bucket, key); err != nil {
			return nil, err
		}
	}
	if c.Region == "" {
		c.Region = t.bucket.Region // an unsigned call acts in the bucket's region
	}
	if r := resolvedOf(in); r != nil {
		*r = resolved{bucketOwner: b.Owner, loaded: scope == scopeBucket || readsObject, bucket: b, key: key, object: t.object}
		if t.object != nil {
			r.objectOwner = t.object.Owner
		}
	}
	return s.targetOf(c, &t, key, scope)
}

func resolvedOf(in any) *resolved {
	if r, ok := in.(resolvable); ok {
		return r.res()
	}
	return nil
}

// targetOf composes the resource policy for a call.
func (s *Service) targetOf(c *cairn.Call, t *target, key string, scope objectScope) (*cairn.Target, error) {
	b := t.bucket
	owner := b.Owner
	foreignObject := scope == scopeObjectRead && t.object != nil && t.object.Owner != b.Owner
	if foreignObject {
		owner = t.object.Owner
	}
	denyOnly := foreignObject
	if !denyOnly && b.PAB != nil && b.PAB.RestrictPublicBuckets && b.Policy != "" {
		p := &c.Principal
		outsider := p.Type != cairn.PrincipalAWSService && (p.Type == cairn.PrincipalAnonymous || p.AccountID != b.Owner)
		if outsider {
			public, err := s.policyPublic(b.Policy)
			if err != nil {
				return nil, err
			}
			denyOnly = public
		}
	}
	var acl strings.Builder
	if b.aclsEnabled() {
		ignorePublic := b.PAB != nil && b.PAB.IgnorePublicAcls
		bucketARN := BucketARN(b.Name)
		for _, g := range b.ACL {
			writeACLStatements(&acl, g, owner, ignorePublic, bucketARN, true)
		}
		if t.object != nil && scope == scopeObjectRead {
			for _, g := range t.object.ACL {
				writeACLStatements(&acl, g, owner, ignorePublic, ObjectARN(b.Name, key), false)
			}
		}
	}
	doc, err := s.policies.compose(b.Policy, denyOnly, acl.String())
	if err != nil {
		return nil, err
	}
	tg := &cairn.Target{Policy: doc, Account: owner, Tags: tagMap(b.Tags)}
	tg.Conditions = map[string][]string{"s3:resourceaccount": {owner}}
	if t.object != nil && scope == scopeObjectRead {
		for _, tag := range t.object.Tags {
			tg.Conditions["s3:existingobjecttag/"+strings.ToLower(tag.Key)] = []string{tag.Value}
		}
	}
	return tg, nil
}

func tagMap(tags []Tag) map[string]string {
	if len(tags) == 0 {
		return nil
	}
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		m[t.Key] = t.Value
	}
	return m
}

// aclActions are the actions an ACL permission grants (S3 User Guide,
// "Mapping of ACL permissions and access policy permissions").
var aclActions = map[bool]map[string][]string{
	true: { // bucket
		permRead:     {"s3:ListBucket", "s3:ListBucketVersions", "s3:ListBucketMultipartUploads"},
		permWrite:    {"s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:AbortMultipartUpload"},
		permReadACP:  {"s3:GetBucketAcl"},
		permWriteACP: {"s3:PutBucketAcl"},
	},
	false: { // object
		permRead:     {"s3:GetObject", "s3:GetObjectVersion"},
		permReadACP:  {"s3:GetObjectAcl", "s3:GetObjectVersionAcl"},
		permWriteACP: {"s3:PutObjectAcl", "s3:PutObjectVersionAcl"},
	},
}

// writeACLStatements appends the statements equivalent to one grant.
// Grants to the resource owner's own account add nothing (its principals
// need identity policies anyway and its root is allowed) and are left out,
// so that private ACLs compose to no statement at all.
func writeACLStatements(b *strings.Builder, g grantRec, owner string, ignorePublic bool, arn string, bucket bool) {
	if ignorePublic && g.public() {
		return
	}
	var principal, cond string
	switch g.Grantee {
	case groupAllUsers:
		principal = `"*"`
	case groupAuthenticated:
		principal = `"*"`
		cond = `,"Condition":{"Null":{"s3:authType":"false"}}`
	case groupLogDelivery:
		principal = `{"Service":"logging.s3.amazonaws.com"}`
	default:
		acct, ok := AccountOfCanonicalID(g.Grantee)
		if !ok || acct == owner {
			return
		}
		principal = `{"AWS":"` + acct + `"}`
	}
	var actions []string
	if g.Perm == permFullControl {
		for _, p := range []string{permRead, permWrite, permReadACP, permWriteACP} {
			actions = append(actions, aclActions[bucket][p]...)
		}
	} else {
		actions = aclActions[bucket][g.Perm]
	}
	if len(actions) == 0 {
		return
	}
	// WRITE on a bucket acts on the objects in it.
	resBucket, resObjects := arn, arn+"/*"
	for _, a := range actions {
		res := arn
		if bucket {
			res = resBucket
			if a == "s3:PutObject" || a == "s3:DeleteObject" || a == "s3:DeleteObjectVersion" || a == "s3:AbortMultipartUpload" {
				res = resObjects
			}
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(b, `{"Effect":"Allow","Principal":%s,"Action":"%s","Resource":"%s"%s}`, principal, a, jsonEscape(res), cond)
	}
}

func jsonEscape(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

// composedCache keeps composed resource policies, so that a bucket policy
// with ACL statements is composed once, not per request.
type composedCache struct {
	mu  sync.Mutex
	max int
	m   map[[32]byte]string
	pub map[[32]byte]bool
}

func newComposedCache(max int) *composedCache {
	return &composedCache{max: max, m: map[[32]byte]string{}, pub: map[[32]byte]bool{}}
}

// compose returns the resource policy: the bucket policy (only its Deny
// statements when denyOnly) followed by the ACL statements. A bucket
// policy alone is returned as it is.
func (c *composedCache) compose(bucketPolicy string, denyOnly bool, aclStatements string) (string, error) {
	if !denyOnly && aclStatements == "" {
		return bucketPolicy, nil
	}
	if bucketPolicy == "" && aclStatements == "" {
		return "", nil
	}
	h := sha256.New()
	h.Write([]byte(bucketPolicy))
	if denyOnly {
		h.Write([]byte{0, 1})
	} else {
		h.Write([]byte{0, 0})
	}
	h.Write([]byte(aclStatements))
	var k [32]byte
	h.Sum(k[:0])
	c.mu.Lock()
	doc, ok := c.m[k]
	c.mu.Unlock()
	if ok {
		return doc, nil
	}
	doc, err := composePolicy(bucketPolicy, denyOnly, aclStatements)
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	if len(c.m) >= c.max {
		for old := range c.m {
			delete(c.m, old)
			break
		}
	}
	c.m[k] = doc
	c.mu.Unlock()
	return doc, nil
}

func composePolicy(bucketPolicy string, denyOnly bool, aclStatements string) (string, error) {
	version := policy.Version2012
	var stmts []string
	if bucketPolicy != "" {
		var doc struct {
			Version   string
			Statement json.RawMessage
		}
		if err := json.Unmarshal([]byte(bucketPolicy), &doc); err != nil {
			return "", fmt.Errorf("bucket policy: %w", err)
		}
		if doc.Version != "" {
			version = doc.Version
		}
		var raw []json.RawMessage
		if t := strings.TrimSpace(string(doc.Statement)); strings.HasPrefix(t, "[") {
			if err := json.Unmarshal(doc.Statement, &raw); err != nil {
				return "", fmt.Errorf("bucket policy statements: %w", err)
			}
		} else if t != "" {
			raw = []json.RawMessage{doc.Statement}
		}
		for _, st := range raw {
			if denyOnly {
				var e struct{ Effect string }
				if err := json.Unmarshal(st, &e); err != nil {
					return "", fmt.Errorf("bucket policy statement: %w", err)
				}
				if !strings.EqualFold(e.Effect, "Deny") {
					continue
				}
			}
			stmts = append(stmts, string(st))
		}
	}
	if aclStatements != "" {
		stmts = append(stmts, aclStatements)
	}
	if len(stmts) == 0 {
		return "", nil // nothing left: no resource policy
	}
	return `{"Version":"` + version + `","Statement":[` + strings.Join(stmts, ",") + `]}`, nil
}

// policyPublic reports whether a bucket policy is public in S3's sense,
// with a cache keyed by the document.
func (s *Service) policyPublic(doc string) (bool, error) {
	k := sha256.Sum256([]byte(doc))
	c := s.policies
	c.mu.Lock()
	v, ok := c.pub[k]
	c.mu.Unlock()
	if ok {
		return v, nil
	}
	p, err := policy.Parse(doc, policy.Resource)
	if err != nil {
		return false, fmt.Errorf("bucket policy: %w", err)
	}
	v = isPublicPolicy(p)
	c.mu.Lock()
	if len(c.pub) >= c.max {
		for old := range c.pub {
			delete(c.pub, old)
			break
		}
	}
	c.pub[k] = v
	c.mu.Unlock()
	return v, nil
}

// isPublicPolicy applies S3's definition ("The meaning of public"): a
// policy is public when one of its Allow statements grants to a wildcard
// principal (or uses NotPrincipal) without a condition that fixes who the
// caller is or where it calls from to specific values: aws:SourceArn,
// aws:SourceVpc, aws:SourceVpce, aws:SourceAccount, aws:SourceOwner,
// aws:userid, aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalOrgID,
// s3:DataAccessPointArn, s3:DataAccessPointAccount with exact values, or
// aws:SourceIp with a range no wider than /8 (IPv4) or /32 (IPv6).
func isPublicPolicy(p *policy.Policy) bool {
	for _, st := range p.Statements {
		if st.Effect != policy.EffectAllow {
			continue
		}
		wild := st.NotPrincipal != nil
		for _, vs := range st.Principal {
			for _, v := range vs {
				if v == "*" {
					wild = true
				}
			}
		}
		if wild && !fixed(st.Condition) {
			return true
		}
	}
	return false
}

var fixingKeys = map[string]bool{
	"aws:sourcearn": true, "aws:sourcevpc": true, "aws:sourcevpce": true, "aws:sourceaccount": true,
	"aws:sourceowner": true, "aws:userid": true, "aws:principalarn": true, "aws:principalaccount": true,
	"aws:principalorgid": true, "s3:dataaccesspointarn": true, "s3:dataaccesspointaccount": true,
}

// fixed reports whether a condition block pins the caller down.
func fixed(conds []policy.Condition) bool {
	for _, c := range conds {
		key := strings.ToLower(c.Key)
		op := strings.TrimSuffix(c.Operator, "IfExists")
		switch {
		case key == "aws:sourceip" && op == "IpAddress":
			narrow := len(c.Values) > 0
			for _, v := range c.Values {
				pfx, err := netip.ParsePrefix(v)
				if err != nil {
					if a, err := netip.ParseAddr(v); err == nil {
						pfx = netip.PrefixFrom(a, a.BitLen())
					} else {
						narrow = false
						continue
					}
				}
				if pfx.Addr().Is4() && pfx.Bits() < 8 || !pfx.Addr().Is4() && pfx.Bits() < 32 {
					narrow = false
				}
			}
			if narrow {
				return true
			}
		case fixingKeys[key]:
			switch op {
			case "StringEquals", "StringEqualsIgnoreCase", "ArnEquals", "ArnLike", "StringLike":
				exact := len(c.Values) > 0
				for _, v := range c.Values {
					if strings.ContainsAny(v, "*?") {
						exact = false
					}
				}
				if exact {
					return true
				}
			}
		}
	}
	return false
}
