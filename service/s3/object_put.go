package s3

import (
	"context"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// PutObject stores an object, streamed: its bytes are sealed under a new
// data key into a new blob as they arrive, and the object record that
// points at the blob is written only once the whole body was read and
// verified. A failed or interrupted upload leaves the previous object (or
// none) in place.
func (s *Service) PutObject(ctx context.Context, c *cairn.Call, in *PutObjectInput) (*PutObjectOutput, error) {
	if len(in.Key) > maxKeyLength {
		return nil, s3err(statusBadRequest, "KeyTooLongError", "Your key is too long")
	}
	if !validKey(in.Key) {
		return nil, invalidArgument("Object key is not valid UTF-8")
	}
	b, err := s.ownedBucket(ctx, in.Bucket, in.ExpectedBucketOwner)
	if err != nil {
		return nil, err
	}
	o, st, err := s.sealObject(ctx, c, b, in)
	if err != nil {
		return nil, err
	}
	blobKey := o.Blobs[0].Key
	replaced, err := s.commitObject(ctx, in.Bucket, in.Key, o, in.IfMatch, in.IfNoneMatch, st.inline)
	if err != nil {
		if st.inline == nil {
			s.deleteBlobs(blobKey)
		}
		return nil, err
	}
	s.deleteBlobs(replaced...)
	if st.inline != nil {
		s.inline.put(blobKey, st.inline)
	}
	out := &PutObjectOutput{ETag: o.ETag}
	out.ServerSideEncryption, out.SSEKMSKeyId, out.BucketKeyEnabled = sseOutput(o.SSE.encryptionRec)
	out.SSEKMSEncryptionContext = contextOutput(o.SSE)
	if o.Checksum != nil {
		out.ChecksumType = "FULL_OBJECT"
		checksumFields(o.Checksum, &out.ChecksumCRC32, &out.ChecksumCRC32C, &out.ChecksumCRC64NVME,
			&out.ChecksumSHA1, &out.ChecksumSHA256, &out.ChecksumSHA512)
	}
	return out, nil
}

// commitObject makes o the object under key, if the bucket still exists
// and the write's conditions hold, and returns the blobs of the object it
// replaced. Concurrent commits share the store's group commit.
func (s *Service) commitObject(ctx context.Context, bucket, key string, o *objectRec, ifMatch, ifNoneMatch string, inline []byte) ([]string, error) {
	var replaced []string
	defer s.writingObjects(bucket, key)()
	err := s.update(ctx, func(tx store.Tx) error {
		replaced = nil
		if _, err := loadBucket(tx, bucket); err != nil {
			return err
		}
		prev, err := loadObject(tx, bucket, key)
		if err != nil {
			return err
		}
		if err := writeConditions(ifMatch, ifNoneMatch, prev); err != nil {
			return err
		}
		if replaced, err = prev.release(tx); err != nil {
			return err
		}
		if inline != nil {
			if err := tx.Put(tblInline, o.Blobs[0].Key, inline); err != nil {
				return err
			}
		}
		return store.PutJSON(tx, tblObjects, objectKey(bucket, key), o)
	})
	return replaced, err
}

// sealObject reads and seals a single PUT's body into a new blob (inline
// when small enough, else in the blob store) and returns the object record
// that would point at it, for the caller to commit.
func (s *Service) sealObject(ctx context.Context, c *cairn.Call, b *bucketRec, in *PutObjectInput) (*objectRec, stored, error) {
	spec := writeSpec{
		acl: aclRequest{canned: in.ACL, fullControl: in.GrantFullControl, read: in.GrantRead,
			readACP: in.GrantReadACP, writeACP: in.GrantWriteACP},
		tagging: in.Tagging, sse: in.ServerSideEncryption, kmsKey: in.SSEKMSKeyId, bucketKey: in.BucketKeyEnabled,
		storage: in.StorageClass,
	}
	plan, err := s.planWrite(c, b, spec)
	if err != nil {
		return nil, stored{}, err
	}
	blobKey := s.newBlobKey("o")
	dataKey, sealed, err := s.newDataKey(ctx, c, b, plan.enc, in.SSEKMSEncryptionContext, in.Key, blobKey)
	if err != nil {
		return nil, stored{}, err
	}
	defer clear(dataKey)
	alg := declaredChecksum(in.ChecksumAlgorithm, map[string]string{
		"CRC32": in.ChecksumCRC32, "CRC32C": in.ChecksumCRC32C, "CRC64NVME": in.ChecksumCRC64NVME,
		"SHA1": in.ChecksumSHA1, "SHA256": in.ChecksumSHA256, "SHA512": in.ChecksumSHA512,
	})
	st, err := s.writeBlob(ctx, blobKey, in.Body, dataKey, in.ContentLength, alg, true)
	if err != nil {
		return nil, stored{}, err
	}
	o := &objectRec{
		Size: st.size, ETag: etag(st.md5), Modified: s.now(c).Truncate(1e9), Owner: plan.owner,
		Headers: contentHeaders{
			ContentType: in.ContentType, ContentEncoding: contentEncoding(in.ContentEncoding),
			ContentDisposition: in.ContentDisposition, ContentLanguage: in.ContentLanguage,
			CacheControl: in.CacheControl, Expires: in.Expires, WebsiteRedirectLocation: in.WebsiteRedirectLocation,
		},
		Metadata: in.Metadata, Storage: storedClass(in.StorageClass), ACL: plan.grants, Tags: plan.tags,
		SSE: sealed, Blobs: []blobRec{{Key: blobKey, Size: st.size, Inline: st.inline != nil}}, Checksum: st.checksum,
	}
	return o, st, nil
}
