package s3

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/cairnhq/cairn"
)

// GetObject streams an object, or a range or part of it, decrypting only
// the segments that hold the bytes asked for.
//
// An object replaced or deleted between reading its record and opening
// its bytes is read again: a GET racing an overwrite returns the old or
// the new object, whole.
func (s *Service) GetObject(ctx context.Context, c *cairn.Call, in *GetObjectInput) (*GetObjectOutput, error) {
	for attempt := 0; ; attempt++ {
		b, o, rng, err := s.readObject(ctx, c, in)
		if err != nil {
			return nil, err
		}
		body, err := s.openObject(ctx, c, b, in.Key, o, rng.off, rng.n)
		if errors.Is(err, cairn.ErrNotFound) && attempt < 3 {
			// The record authorization decided on is stale: decide again
			// on the current object before serving it.
			in.resolved.loaded = false
			if err := s.authorize(ctx, c, "GetObject", in); err != nil {
				return nil, err
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		out := objectOutput(o, in, rng)
		out.Body = body
		return out, nil
	}
}

// HeadObject returns what GetObject would, without the body. For an
// SSE-KMS object it unwraps the data key all the same, a KMS Decrypt on
// the caller's behalf recorded like GET's: a caller who could not read the
// object (no kms:Decrypt, a disabled key) learns no more from HEAD.
func (s *Service) HeadObject(ctx context.Context, c *cairn.Call, in *HeadObjectInput) (*HeadObjectOutput, error) {
	g := (*GetObjectInput)(in)
	b, o, rng, err := s.readObject(ctx, c, g)
	if err != nil {
		return nil, err
	}
	if o.SSE.algorithm() != sseS3 {
		key, err := s.openDataKey(ctx, c, b, o.SSE, in.Key)
		if err != nil {
			return nil, err
		}
		clear(key)
	}
	out := objectOutput(o, g, rng)
	return &HeadObjectOutput{
		AcceptRanges: out.AcceptRanges, LastModified: out.LastModified, ContentLength: out.ContentLength, ETag: out.ETag,
		ChecksumCRC32: out.ChecksumCRC32, ChecksumCRC32C: out.ChecksumCRC32C, ChecksumCRC64NVME: out.ChecksumCRC64NVME,
		ChecksumSHA1: out.ChecksumSHA1, ChecksumSHA256: out.ChecksumSHA256, ChecksumSHA512: out.ChecksumSHA512,
		ChecksumType: out.ChecksumType, CacheControl: out.CacheControl, ContentDisposition: out.ContentDisposition,
		ContentEncoding: out.ContentEncoding, ContentLanguage: out.ContentLanguage, ContentRange: out.ContentRange,
		ContentType: out.ContentType, Expires: out.Expires, WebsiteRedirectLocation: out.WebsiteRedirectLocation,
		ServerSideEncryption: out.ServerSideEncryption, Metadata: out.Metadata, SSEKMSKeyId: out.SSEKMSKeyId,
		BucketKeyEnabled: out.BucketKeyEnabled, StorageClass: out.StorageClass, PartsCount: out.PartsCount, TagCount: out.TagCount,
	}, nil
}

// span is the part of an object a read returns.
type span struct {
	off, n  int64
	partial bool  // a Range or a part: 206 with Content-Range
	part    int32 // the part asked for, if any
}

// readObject loads the bucket and object and decides what a GET or HEAD
// returns: conditional headers first (412, 304), then the range or part.
func (s *Service) readObject(ctx context.Context, c *cairn.Call, in *GetObjectInput) (*bucketRec, *objectRec, span, error) {
	if err := checkVersion(in.VersionId); err != nil {
		return nil, nil, span{}, err
	}
	if c.Principal.Type == cairn.PrincipalAnonymous && (in.ResponseCacheControl != "" || in.ResponseContentDisposition != "" ||
		in.ResponseContentEncoding != "" || in.ResponseContentLanguage != "" || in.ResponseContentType != "" || in.ResponseExpires != nil) {
		return nil, nil, span{}, invalidRequest("Request specific response headers cannot be used for anonymous GET requests.")
	}
	b, o, err := s.object(ctx, &in.resolved, in.Bucket, in.Key, in.ExpectedBucketOwner)
	if e := cairn.AsError(err); e != nil && e.Code == "NoSuchKey" && s.cfg.Authorizer != nil {
		// S3 tells a missing key only to callers who may list the bucket;
		// the others get AccessDenied, so that reads do not reveal which
		// keys exist.
		if aerr := s.authorize(ctx, c, "ListObjects", &ListObjectsInput{Bucket: in.Bucket}); aerr != nil {
			return nil, nil, span{}, aerr
		}
	}
	if err != nil {
		return nil, nil, span{}, err
	}
	if err := readConditions(in, o); err != nil {
		return nil, nil, span{}, err
	}
	rng := span{off: 0, n: o.Size}
	switch {
	case in.PartNumber != nil:
		if in.Range != "" {
			return nil, nil, span{}, invalidRequest("Cannot specify both Range header and partNumber query parameter")
		}
		p := *in.PartNumber
		if p < 1 || p > maxParts {
			return nil, nil, span{}, invalidArgument("Part number must be an integer between 1 and 10000, inclusive")
		}
		if int(p) > len(o.Blobs) {
			return nil, nil, span{}, invalidRange()
		}
		var off int64
		for _, b := range o.Blobs[:p-1] {
			off += b.Size
		}
		rng = span{off: off, n: o.Blobs[p-1].Size, partial: len(o.Blobs) > 1, part: p}
	case in.Range != "":
		r, ok, err := parseRange(in.Range, o.Size)
		if err != nil {
			return nil, nil, span{}, err
		}
		if ok {
			rng = r
		}
	}
	return b, o, rng, nil
}

// readConditions applies If-Match, If-Unmodified-Since, If-None-Match and
// If-Modified-Since with RFC 7232's precedence, as S3 does.
func readConditions(in *GetObjectInput, o *objectRec) error {
	if in.IfMatch != "" {
		if !etagMatches(in.IfMatch, o.ETag) {
			return preconditionFailed()
		}
	} else if in.IfUnmodifiedSince != nil && o.Modified.After(in.IfUnmodifiedSince.Truncate(time.Second)) {
		return preconditionFailed()
	}
	if in.IfNoneMatch != "" {
		if etagMatches(in.IfNoneMatch, o.ETag) {
			return notModified()
		}
	} else if in.IfModifiedSince != nil && !o.Modified.After(in.IfModifiedSince.Truncate(time.Second)) {
		return notModified()
	}
	return nil
}

// parseRange reads a Range header: bytes=a-b, bytes=a- or bytes=-n. A
// header S3 would ignore (another unit, several ranges, bad syntax) gives
// ok false; a range that starts past the end is InvalidRange.
func parseRange(h string, size int64) (span, bool, error) {
	spec, ok := strings.CutPrefix(strings.TrimSpace(h), "bytes=")
	if !ok || strings.Contains(spec, ",") {
		return span{}, false, nil
	}
	first, last, ok := strings.Cut(strings.TrimSpace(spec), "-")
	if !ok {
		return span{}, false, nil
	}
	if first == "" {
		n, err := strconv.ParseInt(last, 10, 64)
		if err != nil || n < 0 {
			return span{}, false, nil
		}
		if n == 0 || size == 0 {
			return span{}, false, invalidRange()
		}
		n = min(n, size)
		return span{off: size - n, n: n, partial: true}, true, nil
	}
	a, err := strconv.ParseInt(first, 10, 64)
	if err != nil || a < 0 {
		return span{}, false, nil
	}
	end := size - 1
	if last != "" {
		b, err := strconv.ParseInt(last, 10, 64)
		if err != nil || b < a {
			return span{}, false, nil
		}
		end = min(b, size-1)
	}
	if a >= size {
		return span{}, false, invalidRange()
	}
	return span{off: a, n: end - a + 1, partial: true}, true, nil
}

// objectOutput renders an object's headers for a read of rng.
func objectOutput(o *objectRec, in *GetObjectInput, rng span) *GetObjectOutput {
	mod := o.Modified
	n := rng.n
	out := &GetObjectOutput{
		AcceptRanges: "bytes", LastModified: &mod, ContentLength: &n, ETag: o.ETag,
		CacheControl: o.Headers.CacheControl, ContentDisposition: o.Headers.ContentDisposition,
		ContentEncoding: o.Headers.ContentEncoding, ContentLanguage: o.Headers.ContentLanguage,
		ContentType: o.Headers.ContentType, Expires: o.Headers.Expires,
		WebsiteRedirectLocation: o.Headers.WebsiteRedirectLocation,
		Metadata:                o.Metadata, StorageClass: o.Storage,
	}
	if out.ContentType == "" {
		out.ContentType = "binary/octet-stream"
	}
	out.ServerSideEncryption, out.SSEKMSKeyId, out.BucketKeyEnabled = sseOutput(o.SSE.encryptionRec)
	if rng.partial {
		out.ContentRange = "bytes " + strconv.FormatInt(rng.off, 10) + "-" + strconv.FormatInt(rng.off+rng.n-1, 10) +
			"/" + strconv.FormatInt(o.Size, 10)
	}
	if rng.part > 0 {
		pc := int32(len(o.Blobs))
		out.PartsCount = &pc
	}
	if len(o.Tags) > 0 {
		tc := int32(len(o.Tags))
		out.TagCount = &tc
	}
	if strings.EqualFold(in.ChecksumMode, "ENABLED") && !rng.partial && o.Checksum != nil {
		out.ChecksumType = "FULL_OBJECT"
		checksumFields(o.Checksum, &out.ChecksumCRC32, &out.ChecksumCRC32C, &out.ChecksumCRC64NVME,
			&out.ChecksumSHA1, &out.ChecksumSHA256, &out.ChecksumSHA512)
	}
	// response-* parameters override the stored headers.
	if in.ResponseCacheControl != "" {
		out.CacheControl = in.ResponseCacheControl
	}
	if in.ResponseContentDisposition != "" {
		out.ContentDisposition = in.ResponseContentDisposition
	}
	if in.ResponseContentEncoding != "" {
		out.ContentEncoding = in.ResponseContentEncoding
	}
	if in.ResponseContentLanguage != "" {
		out.ContentLanguage = in.ResponseContentLanguage
	}
	if in.ResponseContentType != "" {
		out.ContentType = in.ResponseContentType
	}
	if in.ResponseExpires != nil {
		out.Expires = in.ResponseExpires.UTC().Format("Mon, 02 Jan 2006 15:04:05 GMT")
	}
	return out
}
