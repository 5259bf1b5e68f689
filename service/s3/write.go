package s3

import (
	"encoding/hex"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/cairnhq/cairn"
)

// writeSpec is what a request that creates an object (PutObject,
// CopyObject, CreateMultipartUpload) says about the new object beyond its
// bytes.
type writeSpec struct {
	acl       aclRequest
	tagging   string // the x-amz-tagging header
	sse       string
	kmsKey    string
	bucketKey *bool
	storage   string
	headers   contentHeaders
	metadata  map[string]string
}

// writePlan is what the new object will be: its owner, ACL, tags and
// encryption.
type writePlan struct {
	owner  string
	grants []grantRec
	tags   []Tag
	enc    encryptionRec
}

// planWrite applies the bucket's Object Ownership, Block Public Access and
// default encryption to a write.
func (s *Service) planWrite(c *cairn.Call, b *bucketRec, spec writeSpec) (writePlan, error) {
	writer := c.Account()
	if writer == "" {
		writer = b.Owner // anonymous writes belong to the bucket owner
	}
	var p writePlan
	switch b.Ownership {
	case ownerEnforced:
		p.owner = b.Owner
	case ownerPreferred:
		p.owner = writer
		if spec.acl.canned == "bucket-owner-full-control" {
			p.owner = b.Owner
		}
	default:
		p.owner = writer
	}
	gs, err := spec.acl.grants(p.owner, b.Owner, false)
	if err != nil {
		return p, err
	}
	if !b.aclsEnabled() && !ownerOnly(gs, b.Owner) && !(spec.acl.canned == "bucket-owner-full-control") {
		return p, aclNotSupported()
	}
	if anyPublic(gs) && b.PAB != nil && b.PAB.BlockPublicAcls {
		return p, accessDenied()
	}
	p.grants = gs
	if p.tags, err = parseTagging(spec.tagging); err != nil {
		return p, err
	}
	if p.enc, err = s.encryptionFor(b, spec.sse, spec.kmsKey, spec.bucketKey); err != nil {
		return p, err
	}
	if err := validStorageClass(spec.storage); err != nil {
		return p, err
	}
	return p, nil
}

// encryptionFor resolves a write's server-side encryption: the request's
// x-amz-server-side-encryption, else the bucket's default.
func (s *Service) encryptionFor(b *bucketRec, sse, kmsKey string, bucketKey *bool) (encryptionRec, error) {
	kmsNeeded := invalidArgument("Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms")
	switch sse {
	case "":
		if kmsKey != "" {
			return encryptionRec{}, kmsNeeded
		}
		if _, err := s.keys(b.Encryption.Algorithm); err != nil {
			return encryptionRec{}, err
		}
		return b.Encryption, nil
	case sseS3:
		if kmsKey != "" {
			return encryptionRec{}, kmsNeeded
		}
		return encryptionRec{Algorithm: sseS3}, nil
	case sseKMS, sseKMSDSSE:
		if _, err := s.keys(sse); err != nil {
			return encryptionRec{}, err
		}
		e := encryptionRec{Algorithm: sse, KMSKeyID: kmsKey}
		if bucketKey != nil {
			e.BucketKey = *bucketKey
		} else if b.Encryption.Algorithm == sse {
			e.BucketKey = b.Encryption.BucketKey
		}
		return e, nil
	}
	return encryptionRec{}, invalidArgument("The encryption method specified is not supported")
}

var storageClasses = map[string]bool{
	"": true, "STANDARD": true, "REDUCED_REDUNDANCY": true, "STANDARD_IA": true, "ONEZONE_IA": true,
	"INTELLIGENT_TIERING": true, "GLACIER": true, "DEEP_ARCHIVE": true, "GLACIER_IR": true,
}

func validStorageClass(sc string) error {
	if !storageClasses[sc] {
		return s3err(statusBadRequest, "InvalidStorageClass", "The storage class you specified is not valid")
	}
	return nil
}

// storedClass is the storage class kept with an object: "" for STANDARD.
func storedClass(sc string) string {
	if sc == "STANDARD" {
		return ""
	}
	return sc
}

// Tag limits (S3 User Guide, "Categorizing your storage using tags").
const (
	maxObjectTags  = 10
	maxBucketTags  = 50
	maxTagKeyLen   = 128
	maxTagValueLen = 256
)

// parseTagging reads an x-amz-tagging header: a URL query of tags.
func parseTagging(h string) ([]Tag, error) {
	if h == "" {
		return nil, nil
	}
	q, err := url.ParseQuery(h)
	if err != nil {
		return nil, invalidArgument("The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.")
	}
	var tags []Tag
	for k, vs := range q {
		if len(vs) != 1 {
			return nil, invalidTag("Cannot provide multiple Tags with the same key")
		}
		tags = append(tags, Tag{Key: k, Value: vs[0]})
	}
	sortTags(tags)
	return tags, validTags(tags, maxObjectTags)
}

func validTags(tags []Tag, max int) error {
	if len(tags) > max {
		if max == maxObjectTags {
			return s3err(statusBadRequest, "BadRequest", "Object tags cannot be greater than 10")
		}
		return invalidTag("Bucket tag count cannot be greater than 50")
	}
	seen := map[string]bool{}
	for _, t := range tags {
		if t.Key == "" || utf8.RuneCountInString(t.Key) > maxTagKeyLen {
			return invalidTag("The TagKey you have provided is invalid")
		}
		if utf8.RuneCountInString(t.Value) > maxTagValueLen {
			return invalidTag("The TagValue you have provided is invalid")
		}
		if strings.HasPrefix(strings.ToLower(t.Key), "aws:") {
			return invalidTag("System tags cannot be added/updated by requester")
		}
		if seen[t.Key] {
			return invalidTag("Cannot provide multiple Tags with the same key")
		}
		seen[t.Key] = true
	}
	return nil
}

func sortTags(tags []Tag) {
	for i := 1; i < len(tags); i++ {
		for j := i; j > 0 && tags[j].Key < tags[j-1].Key; j-- {
			tags[j], tags[j-1] = tags[j-1], tags[j]
		}
	}
}

// etag renders an MD5 as a quoted ETag.
func etag(md5 []byte) string { return `"` + hex.EncodeToString(md5) + `"` }

// contentEncoding keeps the Content-Encoding an object is stored with:
// without aws-chunked, which only says how the upload was framed.
func contentEncoding(v string) string {
	if v == "" {
		return ""
	}
	var keep []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" && !strings.EqualFold(p, "aws-chunked") {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, ",")
}

// etagMatches reports whether an If-Match / If-None-Match list names an
// ETag ("*" matches any).
func etagMatches(list, tag string) bool {
	tag = strings.Trim(tag, `"`)
	for _, v := range strings.Split(list, ",") {
		v = strings.TrimSpace(v)
		v = strings.TrimPrefix(v, "W/")
		if v == "*" || strings.Trim(v, `"`) == tag {
			return true
		}
	}
	return false
}

// writeConditions applies If-Match / If-None-Match of a conditional write
// to the object it would replace (nil: none).
func writeConditions(ifMatch, ifNoneMatch string, prev *objectRec) error {
	if ifNoneMatch != "" {
		if strings.TrimSpace(ifNoneMatch) != "*" {
			return notImplemented("If-None-Match")
		}
		if prev != nil {
			return preconditionFailed()
		}
	}
	if ifMatch != "" {
		if prev == nil {
			return noSuchKey()
		}
		if !etagMatches(ifMatch, prev.ETag) {
			return preconditionFailed()
		}
	}
	return nil
}
