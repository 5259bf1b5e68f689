package s3

import (
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// Multipart uploads. An upload has one data key, drawn at
// CreateMultipartUpload and bound to the upload ID; each part is sealed
// under it into a blob of its own (with its own random nonce prefix), and
// CompleteMultipartUpload makes an object whose blobs are the parts it
// names, in order, without copying a byte.

// CreateMultipartUpload starts an upload.
func (s *Service) CreateMultipartUpload(ctx context.Context, c *cairn.Call, in *CreateMultipartUploadInput) (*CreateMultipartUploadOutput, error) {
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
	plan, err := s.planWrite(c, b, writeSpec{
		acl: aclRequest{canned: in.ACL, fullControl: in.GrantFullControl, read: in.GrantRead,
			readACP: in.GrantReadACP, writeACP: in.GrantWriteACP},
		tagging: in.Tagging, sse: in.ServerSideEncryption, kmsKey: in.SSEKMSKeyId, bucketKey: in.BucketKeyEnabled,
		storage: in.StorageClass,
	})
	if err != nil {
		return nil, err
	}
	if in.ChecksumAlgorithm != "" {
		if _, ok := newChecksum(in.ChecksumAlgorithm); !ok {
			return nil, invalidRequest("Checksum algorithm provided is unsupported.")
		}
	}
	id := base64.RawURLEncoding.EncodeToString(s.cfg.IDs.Token(33))
	plain, sealed, err := s.newDataKey(ctx, c, b, plan.enc, in.SSEKMSEncryptionContext, in.Key, "upload/"+id)
	clear(plain) // the parts unwrap it again, each in its own call
	if err != nil {
		return nil, err
	}
	u := &uploadRec{
		Bucket: in.Bucket, Key: in.Key, UploadID: id, Initiated: s.now(c).Truncate(1e9), Owner: plan.owner,
		Initiator: c.Principal.ARN,
		Headers: contentHeaders{
			ContentType: in.ContentType, ContentEncoding: contentEncoding(in.ContentEncoding),
			ContentDisposition: in.ContentDisposition, ContentLanguage: in.ContentLanguage,
			CacheControl: in.CacheControl, Expires: in.Expires, WebsiteRedirectLocation: in.WebsiteRedirectLocation,
		},
		Metadata: in.Metadata, Storage: storedClass(in.StorageClass), ACL: plan.grants, Tags: plan.tags, SSE: sealed,
		Checksum: normalizeChecksum(in.ChecksumAlgorithm),
	}
	err = s.update(ctx, func(tx store.Tx) error {
		if _, err := loadBucket(tx, in.Bucket); err != nil {
			return err
		}
		return store.InsertJSON(tx, tblUploads, uploadKey(in.Bucket, in.Key, id), u)
	})
	if err != nil {
		return nil, err
	}
	out := &CreateMultipartUploadOutput{Bucket: in.Bucket, Key: in.Key, UploadId: id}
	out.ServerSideEncryption, out.SSEKMSKeyId, out.BucketKeyEnabled = sseOutput(sealed.encryptionRec)
	out.SSEKMSEncryptionContext = contextOutput(sealed)
	return out, nil
}

func checkPartNumber(n int32) error {
	if n < 1 || n > maxParts {
		return invalidArgument("Part number must be an integer between 1 and 10000, inclusive")
	}
	return nil
}

// UploadPart stores one part, streamed and sealed like an object. A part
// uploaded again under the same number replaces the earlier one.
func (s *Service) UploadPart(ctx context.Context, c *cairn.Call, in *UploadPartInput) (*UploadPartOutput, error) {
	if err := checkPartNumber(in.PartNumber); err != nil {
		return nil, err
	}
	var b *bucketRec
	var u *uploadRec
	err := s.view(ctx, func(tx store.Tx) error {
		var err error
		if b, err = loadOwnedBucket(tx, in.Bucket, in.ExpectedBucketOwner); err != nil {
			return err
		}
		u, err = loadUpload(tx, in.Bucket, in.Key, in.UploadId)
		return err
	})
	if err != nil {
		return nil, err
	}
	// Unwrapping the upload's data key is a KMS Decrypt for SSE-KMS: AWS
	// requires kms:Decrypt of every caller that uploads a part.
	dataKey, err := s.openDataKey(ctx, c, b, u.SSE, in.Key)
	if err != nil {
		return nil, err
	}
	defer clear(dataKey)
	alg := declaredChecksum(in.ChecksumAlgorithm, map[string]string{
		"CRC32": in.ChecksumCRC32, "CRC32C": in.ChecksumCRC32C, "CRC64NVME": in.ChecksumCRC64NVME,
		"SHA1": in.ChecksumSHA1, "SHA256": in.ChecksumSHA256, "SHA512": in.ChecksumSHA512,
	})
	blobKey := s.newBlobKey("p")
	st, err := s.writeBlob(ctx, blobKey, in.Body, dataKey, in.ContentLength, alg, false)
	if err != nil {
		return nil, err
	}
	p := &partRec{Number: in.PartNumber, ETag: etag(st.md5), Size: st.size, Modified: s.now(c).Truncate(1e9), Blob: blobKey, MD5: st.md5}
	replaced, err := s.commitPart(ctx, in.Bucket, in.Key, in.UploadId, p)
	if err != nil {
		s.deleteBlobs(blobKey)
		return nil, err
	}
	s.deleteBlobs(replaced)
	out := &UploadPartOutput{ETag: p.ETag}
	out.ServerSideEncryption, out.SSEKMSKeyId, out.BucketKeyEnabled = sseOutput(u.SSE.encryptionRec)
	checksumFields(st.checksum, &out.ChecksumCRC32, &out.ChecksumCRC32C, &out.ChecksumCRC64NVME,
		&out.ChecksumSHA1, &out.ChecksumSHA256, &out.ChecksumSHA512)
	return out, nil
}

// commitPart records a part if its upload still exists, and returns the
// blob of the part it replaced.
func (s *Service) commitPart(ctx context.Context, bucket, key, uploadID string, p *partRec) (string, error) {
	replaced := ""
	err := s.update(ctx, func(tx store.Tx) error {
		replaced = ""
		if _, err := loadUpload(tx, bucket, key, uploadID); err != nil {
			return err
		}
		var old partRec
		switch err := store.GetJSON(tx, tblParts, partKey(uploadID, p.Number), &old); {
		case err == nil:
			replaced = old.Blob
		case !isNotFound(err):
			return err
		}
		return store.PutJSON(tx, tblParts, partKey(uploadID, p.Number), p)
	})
	return replaced, err
}

// parts returns an upload's parts in order.
func parts(tx store.Tx, uploadID string) ([]partRec, error) {
	var out []partRec
	err := tx.Scan(tblParts, uploadID+"/", "", 0, func(_ string, v []byte) error {
		var p partRec
		if err := json.Unmarshal(v, &p); err != nil {
			return err
		}
		out = append(out, p)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("scan parts: %w", err)
	}
	return out, nil
}

// dropUpload deletes an upload and its parts' records and returns the
// parts' blobs, for the caller to delete once the transaction commits.
func dropUpload(tx store.Tx, u *uploadRec) ([]string, error) {
	ps, err := parts(tx, u.UploadID)
	if err != nil {
		return nil, err
	}
	var blobs []string
	for _, p := range ps {
		blobs = append(blobs, p.Blob)
		if err := tx.Delete(tblParts, partKey(u.UploadID, p.Number)); err != nil {
			return nil, err
		}
	}
	if err := tx.Delete(tblUploads, uploadKey(u.Bucket, u.Key, u.UploadID)); err != nil {
		return nil, err
	}
	return blobs, nil
}

// CompleteMultipartUpload assembles the parts it names into the object.
// The ETag is the MD5 of the parts' MD5s followed by -N.
func (s *Service) CompleteMultipartUpload(ctx context.Context, c *cairn.Call, in *CompleteMultipartUploadInput) (*CompleteMultipartUploadOutput, error) {
	if in.MultipartUpload == nil || len(in.MultipartUpload.Parts) == 0 {
		return nil, malformedXML()
	}
	var o *objectRec
	var drop, replaced []string
	written := s.writingObjects(in.Bucket, in.Key)
	err := s.update(ctx, func(tx store.Tx) error {
		drop, replaced = nil, nil
		_, err := loadOwnedBucket(tx, in.Bucket, in.ExpectedBucketOwner)
		if err != nil {
			return err
		}
		u, err := loadUpload(tx, in.Bucket, in.Key, in.UploadId)
		if err != nil {
			return err
		}
		have, err := parts(tx, u.UploadID)
		if err != nil {
			return err
		}
		byNumber := make(map[int32]partRec, len(have))
		for _, p := range have {
			byNumber[p.Number] = p
		}
		prev := int32(0)
		for _, cp := range in.MultipartUpload.Parts {
			if cp.PartNumber == nil {
				return malformedXML()
			}
			if *cp.PartNumber <= prev {
				return s3err(statusBadRequest, "InvalidPartOrder",
					"The list of parts was not in ascending order. Parts must be ordered by part number.")
			}
			prev = *cp.PartNumber
		}
		var sums []byte
		var blobs []blobRec
		var size int64
		used := map[int32]bool{}
		for _, cp := range in.MultipartUpload.Parts {
			p, ok := byNumber[*cp.PartNumber]
			if !ok || !etagMatches(cp.ETag, p.ETag) {
				return s3err(statusBadRequest, "InvalidPart",
					"One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.")
			}
			used[p.Number] = true
			sums = append(sums, p.MD5...)
			blobs = append(blobs, blobRec{Key: p.Blob, Size: p.Size})
			size += p.Size
		}
		for i := 0; i < len(blobs)-1; i++ {
			if blobs[i].Size < s.cfg.MinPartSize {
				return s3err(statusBadRequest, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.")
			}
		}
		if in.MpuObjectSize != nil && *in.MpuObjectSize != size {
			return invalidRequest("The provided 'x-amz-mp-object-size' header does not match the object size")
		}
		sum := md5.Sum(sums)
		o = &objectRec{
			Size: size, ETag: `"` + strings.Trim(etag(sum[:]), `"`) + "-" + strconv.Itoa(len(blobs)) + `"`,
			Modified: s.now(c).Truncate(1e9), Owner: u.Owner, Headers: u.Headers, Metadata: u.Metadata,
			Storage: u.Storage, ACL: u.ACL, Tags: u.Tags, SSE: u.SSE, Blobs: blobs,
		}
		prevObj, err := loadObject(tx, in.Bucket, in.Key)
		if err != nil {
			return err
		}
		if err := writeConditions(in.IfMatch, in.IfNoneMatch, prevObj); err != nil {
			return err
		}
		if replaced, err = prevObj.release(tx); err != nil {
			return err
		}
		for _, p := range have {
			if !used[p.Number] {
				drop = append(drop, p.Blob)
			}
		}
		if _, err := dropUpload(tx, u); err != nil {
			return err
		}
		return store.PutJSON(tx, tblObjects, objectKey(in.Bucket, in.Key), o)
	})
	written()
	if err != nil {
		return nil, err
	}
	s.deleteBlobs(drop...)
	s.deleteBlobs(replaced...)
	out := &CompleteMultipartUploadOutput{Location: "/" + in.Bucket + "/" + in.Key, Bucket: in.Bucket, Key: in.Key, ETag: o.ETag}
	out.ServerSideEncryption, out.SSEKMSKeyId, out.BucketKeyEnabled = sseOutput(o.SSE.encryptionRec)
	return out, nil
}

// AbortMultipartUpload discards an upload and its parts.
func (s *Service) AbortMultipartUpload(ctx context.Context, c *cairn.Call, in *AbortMultipartUploadInput) (*AbortMultipartUploadOutput, error) {
	var blobs []string
	err := s.update(ctx, func(tx store.Tx) error {
		_, err := loadOwnedBucket(tx, in.Bucket, in.ExpectedBucketOwner)
		if err != nil {
			return err
		}
		u, err := loadUpload(tx, in.Bucket, in.Key, in.UploadId)
		if err != nil {
			return err
		}
		if in.IfMatchInitiatedTime != nil && !u.Initiated.Equal(in.IfMatchInitiatedTime.Truncate(1e9)) {
			return preconditionFailed()
		}
		blobs, err = dropUpload(tx, u)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.deleteBlobs(blobs...)
	return &AbortMultipartUploadOutput{}, nil
}

// ListParts lists an upload's parts from after PartNumberMarker.
func (s *Service) ListParts(ctx context.Context, c *cairn.Call, in *ListPartsInput) (*ListPartsOutput, error) {
	max := int32(1000)
	if in.MaxParts != nil {
		if *in.MaxParts < 0 {
			return nil, invalidArgument("max-parts cannot be negative")
		}
		max = min(*in.MaxParts, 1000)
	}
	marker := int32(0)
	if in.PartNumberMarker != nil {
		marker = *in.PartNumberMarker
	}
	out := &ListPartsOutput{Bucket: in.Bucket, Key: in.Key, UploadId: in.UploadId, MaxParts: max, StorageClass: "STANDARD"}
	if in.PartNumberMarker != nil {
		out.PartNumberMarker = &marker
	}
	err := s.view(ctx, func(tx store.Tx) error {
		_, err := loadOwnedBucket(tx, in.Bucket, in.ExpectedBucketOwner)
		if err != nil {
			return err
		}
		u, err := loadUpload(tx, in.Bucket, in.Key, in.UploadId)
		if err != nil {
			return err
		}
		out.Initiator = &Initiator{ID: u.Initiator}
		out.Owner = &Owner{ID: CanonicalID(u.Owner)}
		out.StorageClass = storageOf(u.Storage)
		after := ""
		if marker > 0 {
			after = partKey(u.UploadID, marker)
		}
		return tx.Scan(tblParts, u.UploadID+"/", after, 0, func(_ string, v []byte) error {
			var p partRec
			if err := json.Unmarshal(v, &p); err != nil {
				return err
			}
			if int32(len(out.Parts)) == max {
				out.IsTruncated = true
				return store.ErrStop
			}
			out.Parts = append(out.Parts, Part{PartNumber: p.Number, LastModified: p.Modified, ETag: p.ETag, Size: p.Size})
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	if out.IsTruncated && len(out.Parts) > 0 {
		next := out.Parts[len(out.Parts)-1].PartNumber
		out.NextPartNumberMarker = &next
	}
	return out, nil
}

// ListMultipartUploads lists the uploads in progress by key, then upload
// ID, from after KeyMarker/UploadIdMarker.
func (s *Service) ListMultipartUploads(ctx context.Context, c *cairn.Call, in *ListMultipartUploadsInput) (*ListMultipartUploadsOutput, error) {
	if err := checkEncoding(in.EncodingType); err != nil {
		return nil, err
	}
	max := 1000
	if in.MaxUploads != nil {
		if *in.MaxUploads < 0 {
			return nil, invalidArgument("max-uploads cannot be negative")
		}
		max = min(int(*in.MaxUploads), 1000)
	}
	enc := func(v string) string { return v }
	if in.EncodingType == "url" {
		enc = urlEncode
	}
	out := &ListMultipartUploadsOutput{Bucket: in.Bucket, KeyMarker: enc(in.KeyMarker), UploadIdMarker: in.UploadIdMarker,
		Prefix: enc(in.Prefix), Delimiter: enc(in.Delimiter), MaxUploads: int32(max), EncodingType: in.EncodingType}
	err := s.view(ctx, func(tx store.Tx) error {
		_, err := loadOwnedBucket(tx, in.Bucket, in.ExpectedBucketOwner)
		if err != nil {
			return err
		}
		base := in.Bucket + "/"
		after := ""
		if in.KeyMarker != "" {
			if in.UploadIdMarker != "" {
				after = uploadKey(in.Bucket, in.KeyMarker, in.UploadIdMarker)
			} else {
				after = base + in.KeyMarker + "\x00\xff"
			}
		}
		lastPrefix := ""
		return tx.Scan(tblUploads, base+in.Prefix, after, 0, func(_ string, v []byte) error {
			var u uploadRec
			if err := json.Unmarshal(v, &u); err != nil {
				return err
			}
			if in.Delimiter != "" {
				if i := strings.Index(u.Key[len(in.Prefix):], in.Delimiter); i >= 0 {
					cp := u.Key[:len(in.Prefix)+i+len(in.Delimiter)]
					if cp == lastPrefix || in.KeyMarker != "" && cp <= in.KeyMarker {
						return nil
					}
					if len(out.Uploads)+len(out.CommonPrefixes) == max {
						out.IsTruncated = true
						return store.ErrStop
					}
					lastPrefix = cp
					out.CommonPrefixes = append(out.CommonPrefixes, CommonPrefix{Prefix: enc(cp)})
					out.NextKeyMarker, out.NextUploadIdMarker = enc(cp), ""
					return nil
				}
			}
			if len(out.Uploads)+len(out.CommonPrefixes) == max {
				out.IsTruncated = true
				return store.ErrStop
			}
			out.Uploads = append(out.Uploads, MultipartUpload{
				UploadId: u.UploadID, Key: enc(u.Key), Initiated: u.Initiated, StorageClass: storageOf(u.Storage),
				Owner: &Owner{ID: CanonicalID(u.Owner)}, Initiator: &Initiator{ID: u.Initiator},
			})
			out.NextKeyMarker, out.NextUploadIdMarker = enc(u.Key), u.UploadID
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	if !out.IsTruncated {
		out.NextKeyMarker, out.NextUploadIdMarker = "", ""
	}
	return out, nil
}
