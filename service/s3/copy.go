package s3

import (
	"context"
	"errors"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/cairnhq/cairn"
)

// copySource is a parsed x-amz-copy-source: bucket/key, URL-encoded, with
// an optional ?versionId=.
type copySource struct{ bucket, key, version string }

func parseCopySource(v string) (copySource, error) {
	bad := invalidArgument("Invalid copy source object key")
	path, query, _ := strings.Cut(v, "?")
	path, err := url.PathUnescape(path)
	if err != nil {
		return copySource{}, bad
	}
	path = strings.TrimPrefix(path, "/")
	bucket, key, ok := strings.Cut(path, "/")
	if !ok || bucket == "" || key == "" {
		return copySource{}, bad
	}
	cs := copySource{bucket: bucket, key: key}
	if query != "" {
		q, err := url.ParseQuery(query)
		if err != nil {
			return copySource{}, bad
		}
		cs.version = q.Get("versionId")
	}
	return cs, checkVersion(cs.version)
}

// copyConditions are the x-amz-copy-source-if-* headers.
type copyConditions struct {
	ifMatch, ifNoneMatch               string
	ifModifiedSince, ifUnmodifiedSince *time.Time
}

// source is a copy source as read: where it is and its record.
type source struct {
	copySource
	bucketRec *bucketRec
	object    *objectRec
}

// readSource authorizes the caller to read the copy source (s3:GetObject
// on its ARN, decided with the source bucket's policy, by the same
// authorizer as the funnel's), loads it and applies the copy conditions.
func (s *Service) readSource(ctx context.Context, c *cairn.Call, raw, expectedOwner string, cond copyConditions) (*source, error) {
	src, err := parseCopySource(raw)
	if err != nil {
		return nil, err
	}
	get := &GetObjectInput{Bucket: src.bucket, Key: src.key}
	if err := s.authorize(ctx, c, "GetObject", get); err != nil {
		return nil, err
	}
	b, o, err := s.object(ctx, &get.resolved, src.bucket, src.key, expectedOwner)
	if err != nil {
		return nil, err
	}
	g := &GetObjectInput{IfMatch: cond.ifMatch, IfNoneMatch: cond.ifNoneMatch, IfModifiedSince: cond.ifModifiedSince, IfUnmodifiedSince: cond.ifUnmodifiedSince}
	if err := readConditions(g, o); err != nil {
		// A copy whose source conditions fail is a failed precondition,
		// never Not Modified.
		return nil, preconditionFailed()
	}
	return &source{copySource: src, bucketRec: b, object: o}, nil
}

// openSource opens a copy source's bytes (the span of it that span
// gives; all of it when span is nil), reading the source again, authorized
// and checked again, if it was replaced since src was read (src may be
// nil). Its data key is unwrapped in the source bucket's region: for
// SSE-KMS, a KMS Decrypt of the source's key on the caller's behalf.
func (s *Service) openSource(ctx context.Context, c *cairn.Call, raw, expectedOwner string, cond copyConditions, src *source,
	span func(*objectRec) (int64, int64, error)) (io.ReadCloser, *source, error) {
	for attempt := 0; ; attempt++ {
		var err error
		if src == nil {
			if src, err = s.readSource(ctx, c, raw, expectedOwner, cond); err != nil {
				return nil, nil, err
			}
		}
		off, n := int64(0), src.object.Size
		if span != nil {
			if off, n, err = span(src.object); err != nil {
				return nil, nil, err
			}
		}
		body, err := s.openObject(ctx, c, src.bucketRec, src.key, src.object, off, n)
		if errors.Is(err, cairn.ErrNotFound) && attempt < 3 {
			src = nil
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		return body, src, nil
	}
}

// authorize asks the funnel's authorizer about an operation of this
// service that the service performs itself on the caller's behalf.
func (s *Service) authorize(ctx context.Context, c *cairn.Call, op string, in any) error {
	if s.cfg.Authorizer == nil {
		return accessDenied()
	}
	row := s.Descriptor().Op(op)
	if row == nil {
		return cairn.InternalFailure()
	}
	saved := c.Context
	defer func() { c.Context = saved }()
	return s.cfg.Authorizer.Authorize(ctx, c, row, in)
}

// CopyObject copies an object, re-encrypting it under a new data key. The
// copy's metadata comes from the source (MetadataDirective COPY, the
// default) or the request (REPLACE); so do its tags (TaggingDirective).
func (s *Service) CopyObject(ctx context.Context, c *cairn.Call, in *CopyObjectInput) (*CopyObjectOutput, error) {
	if len(in.Key) > maxKeyLength {
		return nil, s3err(statusBadRequest, "KeyTooLongError", "Your key is too long")
	}
	md, td := strings.ToUpper(in.MetadataDirective), strings.ToUpper(in.TaggingDirective)
	if md != "" && md != "COPY" && md != "REPLACE" {
		return nil, invalidArgument("Unknown metadata directive.")
	}
	if td != "" && td != "COPY" && td != "REPLACE" {
		return nil, invalidArgument("Unknown tagging directive.")
	}
	cond := copyConditions{in.CopySourceIfMatch, in.CopySourceIfNoneMatch, in.CopySourceIfModifiedSince, in.CopySourceIfUnmodifiedSince}
	src, err := s.readSource(ctx, c, in.CopySource, in.ExpectedSourceBucketOwner, cond)
	if err != nil {
		return nil, err
	}
	if src.bucket == in.Bucket && src.key == in.Key && md != "REPLACE" && in.ServerSideEncryption == "" &&
		in.StorageClass == "" && in.WebsiteRedirectLocation == "" {
		return nil, invalidRequest("This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.")
	}
	b, err := s.ownedBucket(ctx, in.Bucket, in.ExpectedBucketOwner)
	if err != nil {
		return nil, err
	}
	tagging := in.Tagging
	if td != "REPLACE" {
		tagging = ""
	}
	plan, err := s.planWrite(c, b, writeSpec{
		acl: aclRequest{canned: in.ACL, fullControl: in.GrantFullControl, read: in.GrantRead,
			readACP: in.GrantReadACP, writeACP: in.GrantWriteACP},
		tagging: tagging, sse: in.ServerSideEncryption, kmsKey: in.SSEKMSKeyId, bucketKey: in.BucketKeyEnabled,
		storage: in.StorageClass,
	})
	if err != nil {
		return nil, err
	}
	body, src, err := s.openSource(ctx, c, in.CopySource, in.ExpectedSourceBucketOwner, cond, src, nil)
	if err != nil {
		return nil, err
	}
	defer body.Close()
	so := src.object
	if td != "REPLACE" {
		plan.tags = so.Tags
	}
	headers, metadata, storage := so.Headers, so.Metadata, so.Storage
	if md == "REPLACE" {
		headers = contentHeaders{
			ContentType: in.ContentType, ContentEncoding: contentEncoding(in.ContentEncoding),
			ContentDisposition: in.ContentDisposition, ContentLanguage: in.ContentLanguage,
			CacheControl: in.CacheControl, Expires: in.Expires, WebsiteRedirectLocation: in.WebsiteRedirectLocation,
		}
		metadata = in.Metadata
	}
	if in.StorageClass != "" {
		storage = storedClass(in.StorageClass)
	}
	blobKey := s.newBlobKey("o")
	dataKey, sealed, err := s.newDataKey(ctx, c, b, plan.enc, in.SSEKMSEncryptionContext, in.Key, blobKey)
	if err != nil {
		return nil, err
	}
	defer clear(dataKey)
	size := so.Size
	st, err := s.writeBlob(ctx, blobKey, body, dataKey, &size, in.ChecksumAlgorithm, false)
	if err != nil {
		return nil, err
	}
	o := &objectRec{
		Size: st.size, ETag: etag(st.md5), Modified: s.now(c).Truncate(1e9), Owner: plan.owner, Headers: headers,
		Metadata: metadata, Storage: storage, ACL: plan.grants, Tags: plan.tags, SSE: sealed,
		Blobs: []blobRec{{Key: blobKey, Size: st.size}}, Checksum: st.checksum,
	}
	replaced, err := s.commitObject(ctx, in.Bucket, in.Key, o, in.IfMatch, in.IfNoneMatch, nil)
	if err != nil {
		s.deleteBlobs(blobKey)
		return nil, err
	}
	s.deleteBlobs(replaced...)
	out := &CopyObjectOutput{CopyObjectResult: &CopyObjectResult{ETag: o.ETag, LastModified: o.Modified}}
	out.ServerSideEncryption, out.SSEKMSKeyId, out.BucketKeyEnabled = sseOutput(o.SSE.encryptionRec)
	out.SSEKMSEncryptionContext = contextOutput(o.SSE)
	return out, nil
}

// UploadPartCopy uploads a part from (a range of) an existing object.
func (s *Service) UploadPartCopy(ctx context.Context, c *cairn.Call, in *UploadPartCopyInput) (*UploadPartCopyOutput, error) {
	if err := checkPartNumber(in.PartNumber); err != nil {
		return nil, err
	}
	cond := copyConditions{in.CopySourceIfMatch, in.CopySourceIfNoneMatch, in.CopySourceIfModifiedSince, in.CopySourceIfUnmodifiedSince}
	var n int64
	span := func(o *objectRec) (int64, int64, error) {
		if in.CopySourceRange == "" {
			return 0, o.Size, nil
		}
		r, ok, err := parseRange(in.CopySourceRange, o.Size)
		if err != nil || !ok || r.off+r.n > o.Size {
			return 0, 0, invalidArgument("The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy")
		}
		return r.off, r.n, nil
	}
	body, src, err := s.openSource(ctx, c, in.CopySource, in.ExpectedSourceBucketOwner, cond, nil, span)
	if err != nil {
		return nil, err
	}
	defer body.Close()
	if _, n, err = span(src.object); err != nil {
		return nil, err
	}
	out, err := s.UploadPart(ctx, c, &UploadPartInput{Bucket: in.Bucket, Key: in.Key, UploadId: in.UploadId,
		PartNumber: in.PartNumber, Body: body, ContentLength: &n, ExpectedBucketOwner: in.ExpectedBucketOwner})
	if err != nil {
		return nil, err
	}
	return &UploadPartCopyOutput{CopyPartResult: &CopyPartResult{ETag: out.ETag, LastModified: s.now(c).Truncate(1e9)},
		ServerSideEncryption: out.ServerSideEncryption, SSEKMSKeyId: out.SSEKMSKeyId, BucketKeyEnabled: out.BucketKeyEnabled}, nil
}
