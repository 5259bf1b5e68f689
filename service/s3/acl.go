package s3

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// grantRec is one stored ACL grant.
type grantRec struct {
	// Grantee is a canonical user ID or a group URI.
	Grantee string
	Perm    string
}

// ACL permissions.
const (
	permFullControl = "FULL_CONTROL"
	permRead        = "READ"
	permWrite       = "WRITE"
	permReadACP     = "READ_ACP"
	permWriteACP    = "WRITE_ACP"
)

// The predefined groups.
const (
	groupAllUsers      = "http://acs.amazonaws.com/groups/global/AllUsers"
	groupAuthenticated = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
	groupLogDelivery   = "http://acs.amazonaws.com/groups/s3/LogDelivery"
)

func validPermission(p string) bool {
	switch p {
	case permFullControl, permRead, permWrite, permReadACP, permWriteACP:
		return true
	}
	return false
}

func isGroup(grantee string) bool {
	return strings.HasPrefix(grantee, "http://acs.amazonaws.com/groups/")
}

// public reports whether a grant is to everyone or every AWS account.
func (g grantRec) public() bool {
	return g.Grantee == groupAllUsers || g.Grantee == groupAuthenticated
}

// CanonicalID is the S3 canonical user ID of an account: 64 hex digits,
// of which the last 24 spell the account ID, so that it maps back to the
// account without a lookup, and the first 40 are a hash of it, so that an
// ID that merely spells an account is not taken for one.
func CanonicalID(account string) string {
	sum := sha256.Sum256([]byte("cairn canonical user\x00" + account))
	return hex.EncodeToString(sum[:20]) + hex.EncodeToString([]byte(account))
}

// AccountOfCanonicalID returns the account a canonical user ID stands for.
func AccountOfCanonicalID(id string) (string, bool) {
	id = strings.ToLower(id)
	if len(id) != 64 {
		return "", false
	}
	raw, err := hex.DecodeString(id[40:])
	if err != nil || len(raw) != 12 {
		return "", false
	}
	acct := string(raw)
	for _, c := range acct {
		if c < '0' || c > '9' {
			return "", false
		}
	}
	if CanonicalID(acct) != id {
		return "", false
	}
	return acct, true
}

// cannedACL expands a canned ACL for a resource owned by owner in a bucket
// owned by bucketOwner.
func cannedACL(acl, owner, bucketOwner string, bucket bool) ([]grantRec, error) {
	full := grantRec{CanonicalID(owner), permFullControl}
	switch acl {
	case "", "private":
		return []grantRec{full}, nil
	case "public-read":
		return []grantRec{full, {groupAllUsers, permRead}}, nil
	case "public-read-write":
		return []grantRec{full, {groupAllUsers, permRead}, {groupAllUsers, permWrite}}, nil
	case "authenticated-read":
		return []grantRec{full, {groupAuthenticated, permRead}}, nil
	case "aws-exec-read":
		return []grantRec{full}, nil
	case "log-delivery-write":
		if bucket {
			return []grantRec{full, {groupLogDelivery, permWrite}, {groupLogDelivery, permReadACP}}, nil
		}
	case "bucket-owner-read":
		if !bucket {
			return dedupe([]grantRec{full, {CanonicalID(bucketOwner), permRead}}), nil
		}
	case "bucket-owner-full-control":
		if !bucket {
			return dedupe([]grantRec{full, {CanonicalID(bucketOwner), permFullControl}}), nil
		}
	}
	return nil, invalidArgument("Invalid canned ACL: " + acl)
}

func dedupe(gs []grantRec) []grantRec {
	out := gs[:0:0]
	for _, g := range gs {
		if !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	return out
}

// aclRequest is an ACL as a request states it: a canned ACL, grant
// headers, or a document.
type aclRequest struct {
	canned                                      string
	fullControl, read, write, readACP, writeACP string
	body                                        *AccessControlPolicy
}

func (r aclRequest) hasGrantHeaders() bool {
	return r.fullControl != "" || r.read != "" || r.write != "" || r.readACP != "" || r.writeACP != ""
}

func (r aclRequest) empty() bool { return r.canned == "" && !r.hasGrantHeaders() && r.body == nil }

// grants resolves an ACL request into grants for a resource owned by
// owner in a bucket owned by bucketOwner.
func (r aclRequest) grants(owner, bucketOwner string, bucket bool) ([]grantRec, error) {
	switch {
	case r.canned != "" && r.hasGrantHeaders():
		return nil, invalidRequest("Specifying both Canned ACLs and Header Grants is not allowed")
	case r.body != nil && (r.canned != "" || r.hasGrantHeaders()):
		return nil, s3err(statusBadRequest, "UnexpectedContent", "This request does not support content")
	case r.body != nil:
		return bodyGrants(r.body)
	case r.hasGrantHeaders():
		var out []grantRec
		for _, h := range []struct{ v, perm string }{
			{r.fullControl, permFullControl}, {r.read, permRead}, {r.write, permWrite},
			{r.readACP, permReadACP}, {r.writeACP, permWriteACP},
		} {
			if h.v == "" {
				continue
			}
			gs, err := headerGrantees(h.v)
			if err != nil {
				return nil, err
			}
			for _, g := range gs {
				out = append(out, grantRec{g, h.perm})
			}
		}
		return dedupe(out), nil
	}
	return cannedACL(r.canned, owner, bucketOwner, bucket)
}

// headerGrantees parses an x-amz-grant-* header: id="…", uri="…"
// separated by commas. E-mail grantees are not supported by S3 any more.
func headerGrantees(v string) ([]string, error) {
	var out []string
	for _, part := range strings.Split(v, ",") {
		k, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return nil, invalidArgument("Invalid grant header: " + part)
		}
		val = strings.Trim(strings.TrimSpace(val), `"`)
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "id":
			if _, ok := AccountOfCanonicalID(val); !ok {
				return nil, invalidArgument("Invalid id")
			}
			out = append(out, strings.ToLower(val))
		case "uri":
			if val != groupAllUsers && val != groupAuthenticated && val != groupLogDelivery {
				return nil, invalidArgument("Invalid group uri")
			}
			out = append(out, val)
		case "emailaddress":
			return nil, s3err(statusBadRequest, "UnresolvableGrantByEmailAddress",
				"The e-mail address you provided does not match any account on record.")
		default:
			return nil, invalidArgument("Argument format not recognized")
		}
	}
	return out, nil
}

// bodyGrants reads an AccessControlPolicy document.
func bodyGrants(p *AccessControlPolicy) ([]grantRec, error) {
	out := []grantRec{}
	for _, g := range p.Grants {
		if g.Grantee == nil || !validPermission(g.Permission) {
			return nil, s3err(statusBadRequest, "MalformedACLError",
				"The XML you provided was not well-formed or did not validate against our published schema")
		}
		switch g.Grantee.Type {
		case "CanonicalUser":
			if _, ok := AccountOfCanonicalID(g.Grantee.ID); !ok {
				return nil, invalidArgument("Invalid id")
			}
			out = append(out, grantRec{strings.ToLower(g.Grantee.ID), g.Permission})
		case "Group":
			if g.Grantee.URI != groupAllUsers && g.Grantee.URI != groupAuthenticated && g.Grantee.URI != groupLogDelivery {
				return nil, invalidArgument("Invalid group uri")
			}
			out = append(out, grantRec{g.Grantee.URI, g.Permission})
		case "AmazonCustomerByEmail":
			return nil, s3err(statusBadRequest, "UnresolvableGrantByEmailAddress",
				"The e-mail address you provided does not match any account on record.")
		default:
			return nil, s3err(statusBadRequest, "MalformedACLError",
				"The XML you provided was not well-formed or did not validate against our published schema")
		}
	}
	return dedupe(out), nil
}

// ownerOnly reports whether grants give exactly full control to the
// bucket owner: the only ACL a BucketOwnerEnforced bucket accepts.
func ownerOnly(gs []grantRec, bucketOwner string) bool {
	return len(gs) == 1 && gs[0] == grantRec{CanonicalID(bucketOwner), permFullControl}
}

// anyPublic reports whether a grant list makes its resource public.
func anyPublic(gs []grantRec) bool {
	for _, g := range gs {
		if g.public() {
			return true
		}
	}
	return false
}

// aclOutput renders grants as S3 returns them.
func aclOutput(owner string, gs []grantRec) (*Owner, []Grant) {
	out := make([]Grant, 0, len(gs))
	for _, g := range gs {
		gr := &Grantee{Type: "CanonicalUser", ID: g.Grantee}
		if isGroup(g.Grantee) {
			gr = &Grantee{Type: "Group", URI: g.Grantee}
		}
		out = append(out, Grant{Grantee: gr, Permission: g.Perm})
	}
	return &Owner{ID: CanonicalID(owner)}, out
}

// PutBucketAcl replaces the bucket's ACL.
func (s *Service) PutBucketAcl(ctx context.Context, c *cairn.Call, in *PutBucketAclInput) (*PutBucketAclOutput, error) {
	req := aclRequest{canned: in.ACL, fullControl: in.GrantFullControl, read: in.GrantRead, write: in.GrantWrite,
		readACP: in.GrantReadACP, writeACP: in.GrantWriteACP, body: in.AccessControlPolicy}
	if req.empty() {
		return nil, s3err(statusBadRequest, "MissingSecurityHeader", "Your request was missing a required header")
	}
	err := s.updateBucket(ctx, in.Bucket, func(tx store.Tx) error {
		b, err := loadOwnedBucket(tx, in.Bucket, in.ExpectedBucketOwner)
		if err != nil {
			return err
		}
		gs, err := req.grants(b.Owner, b.Owner, true)
		if err != nil {
			return err
		}
		if !b.aclsEnabled() && !ownerOnly(gs, b.Owner) {
			return aclNotSupported()
		}
		if anyPublic(gs) && b.PAB != nil && b.PAB.BlockPublicAcls {
			return accessDenied()
		}
		b.ACL = gs
		return saveBucket(tx, b)
	})
	if err != nil {
		return nil, err
	}
	return &PutBucketAclOutput{}, nil
}

// GetBucketAcl returns the bucket's ACL.
func (s *Service) GetBucketAcl(ctx context.Context, c *cairn.Call, in *GetBucketAclInput) (*GetBucketAclOutput, error) {
	b, err := s.ownedBucket(ctx, in.Bucket, in.ExpectedBucketOwner)
	if err != nil {
		return nil, err
	}
	owner, grants := aclOutput(b.Owner, b.ACL)
	return &GetBucketAclOutput{Owner: owner, Grants: grants}, nil
}

// PutObjectAcl replaces an object's ACL.
func (s *Service) PutObjectAcl(ctx context.Context, c *cairn.Call, in *PutObjectAclInput) (*PutObjectAclOutput, error) {
	if err := checkVersion(in.VersionId); err != nil {
		return nil, err
	}
	req := aclRequest{canned: in.ACL, fullControl: in.GrantFullControl, read: in.GrantRead, write: in.GrantWrite,
		readACP: in.GrantReadACP, writeACP: in.GrantWriteACP, body: in.AccessControlPolicy}
	if req.empty() {
		return nil, s3err(statusBadRequest, "MissingSecurityHeader", "Your request was missing a required header")
	}
	defer s.writingObjects(in.Bucket, in.Key)()
	err := s.update(ctx, func(tx store.Tx) error {
		b, err := loadOwnedBucket(tx, in.Bucket, in.ExpectedBucketOwner)
		if err != nil {
			return err
		}
		o, err := loadObject(tx, in.Bucket, in.Key)
		if err != nil {
			return err
		}
		if o == nil {
			return noSuchKey()
		}
		gs, err := req.grants(o.Owner, b.Owner, false)
		if err != nil {
			return err
		}
		if !b.aclsEnabled() && !ownerOnly(gs, b.Owner) {
			return aclNotSupported()
		}
		if anyPublic(gs) && b.PAB != nil && b.PAB.BlockPublicAcls {
			return accessDenied()
		}
		o.ACL = gs
		return store.PutJSON(tx, tblObjects, objectKey(in.Bucket, in.Key), o)
	})
	if err != nil {
		return nil, err
	}
	return &PutObjectAclOutput{}, nil
}

// GetObjectAcl returns an object's ACL.
func (s *Service) GetObjectAcl(ctx context.Context, c *cairn.Call, in *GetObjectAclInput) (*GetObjectAclOutput, error) {
	if err := checkVersion(in.VersionId); err != nil {
		return nil, err
	}
	_, o, err := s.object(ctx, &in.resolved, in.Bucket, in.Key, in.ExpectedBucketOwner)
	if err != nil {
		return nil, err
	}
	owner, grants := aclOutput(o.Owner, o.ACL)
	return &GetObjectAclOutput{Owner: owner, Grants: grants}, nil
}

// object reads a bucket and one of its objects: NoSuchBucket, NoSuchKey.
// A read that authorization already resolved (r) serves the records it
// decided on.
func (s *Service) object(ctx context.Context, r *resolved, bucket, key, expectedOwner string) (*bucketRec, *objectRec, error) {
	var b *bucketRec
	var o *objectRec
	if r != nil && r.loaded && r.bucket != nil && r.bucket.Name == bucket && r.key == key {
		b, o = r.bucket, r.object
	} else {
		var err error
		if b, err = s.bucket(ctx, bucket); err != nil {
			return nil, nil, err
		}
		if o, err = s.cachedObject(ctx, bucket, key); err != nil {
			return nil, nil, err
		}
	}
	if err := expectOwner(b, expectedOwner); err != nil {
		return nil, nil, err
	}
	if o == nil {
		return nil, nil, noSuchKey()
	}
	return b, o, nil
}

// expectOwner enforces x-amz-expected-bucket-owner.
func expectOwner(b *bucketRec, expected string) error {
	if expected != "" && expected != b.Owner {
		return accessDenied()
	}
	return nil
}

// ownedBucket returns the bucket (from the cache) once it exists and is
// owned by expected (x-amz-expected-bucket-owner), if given.
func (s *Service) ownedBucket(ctx context.Context, name, expected string) (*bucketRec, error) {
	b, err := s.bucket(ctx, name)
	if err != nil {
		return nil, err
	}
	return b, expectOwner(b, expected)
}

// loadOwnedBucket is ownedBucket inside a transaction.
func loadOwnedBucket(tx store.Tx, name, expected string) (*bucketRec, error) {
	b, err := loadBucket(tx, name)
	if err != nil {
		return nil, err
	}
	return b, expectOwner(b, expected)
}

// checkVersion accepts only the version IDs of an unversioned bucket.
func checkVersion(v string) error {
	if v != "" && v != "null" {
		return invalidArgument("Invalid version id specified")
	}
	return nil
}
