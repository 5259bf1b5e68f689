package s3

import (
	"context"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// maxDeleteObjects is the most keys one DeleteObjects may name.
const maxDeleteObjects = 1000

// DeleteObject deletes an object; deleting one that does not exist
// succeeds, as in S3. The object's blobs are deleted after the record.
func (s *Service) DeleteObject(ctx context.Context, c *cairn.Call, in *DeleteObjectInput) (*DeleteObjectOutput, error) {
	if err := checkVersion(in.VersionId); err != nil {
		return nil, err
	}
	var blobs []string
	written := s.writingObjects(in.Bucket, in.Key)
	err := s.update(ctx, func(tx store.Tx) error {
		_, err := loadOwnedBucket(tx, in.Bucket, in.ExpectedBucketOwner)
		if err != nil {
			return err
		}
		o, err := loadObject(tx, in.Bucket, in.Key)
		if err != nil {
			return err
		}
		if err := deleteConditions(in, o); err != nil {
			return err
		}
		if o == nil {
			return nil
		}
		if blobs, err = o.release(tx); err != nil {
			return err
		}
		return tx.Delete(tblObjects, objectKey(in.Bucket, in.Key))
	})
	written()
	if err != nil {
		return nil, err
	}
	s.deleteBlobs(blobs...)
	return &DeleteObjectOutput{}, nil
}

// deleteConditions applies the conditional-delete headers.
func deleteConditions(in *DeleteObjectInput, o *objectRec) error {
	if in.IfMatch == "" && in.IfMatchLastModifiedTime == nil && in.IfMatchSize == nil {
		return nil
	}
	if o == nil {
		return noSuchKey()
	}
	if in.IfMatch != "" && !etagMatches(in.IfMatch, o.ETag) ||
		in.IfMatchLastModifiedTime != nil && !o.Modified.Equal(in.IfMatchLastModifiedTime.Truncate(time.Second)) ||
		in.IfMatchSize != nil && *in.IfMatchSize != o.Size {
		return preconditionFailed()
	}
	return nil
}

// DeleteObjects deletes up to 1,000 keys in one transaction and reports
// each; Quiet reports only the failures.
func (s *Service) DeleteObjects(ctx context.Context, c *cairn.Call, in *DeleteObjectsInput) (*DeleteObjectsOutput, error) {
	if in.Delete == nil || len(in.Delete.Objects) == 0 || len(in.Delete.Objects) > maxDeleteObjects {
		return nil, malformedXML()
	}
	quiet := in.Delete.Quiet != nil && *in.Delete.Quiet
	out := &DeleteObjectsOutput{}
	var blobs []string
	keys := make([]string, len(in.Delete.Objects))
	for i, id := range in.Delete.Objects {
		keys[i] = id.Key
	}
	// Each key is decided as its own s3:DeleteObject, as S3 does: a denied
	// key is an AccessDenied entry of the result, the others are deleted.
	denied := map[int]bool{}
	for i, id := range in.Delete.Objects {
		err := s.authorize(ctx, c, "DeleteObject", &DeleteObjectInput{Bucket: in.Bucket, Key: id.Key, ExpectedBucketOwner: in.ExpectedBucketOwner})
		if e := cairn.AsError(err); e != nil && e.Code == "AccessDenied" {
			denied[i] = true
			continue
		}
		if err != nil {
			return nil, err
		}
	}
	written := s.writingObjects(in.Bucket, keys...)
	err := s.update(ctx, func(tx store.Tx) error {
		out.Deleted, out.Errors, blobs = nil, nil, nil
		_, err := loadOwnedBucket(tx, in.Bucket, in.ExpectedBucketOwner)
		if err != nil {
			return err
		}
		for i, id := range in.Delete.Objects {
			if denied[i] {
				out.Errors = append(out.Errors, DeleteError{Key: id.Key, VersionId: id.VersionId, Code: "AccessDenied", Message: "Access Denied"})
				continue
			}
			if id.VersionId != "" && id.VersionId != "null" {
				out.Errors = append(out.Errors, DeleteError{Key: id.Key, VersionId: id.VersionId, Code: "NoSuchVersion",
					Message: "The specified version does not exist."})
				continue
			}
			o, err := loadObject(tx, in.Bucket, id.Key)
			if err != nil {
				return err
			}
			if o != nil {
				if id.ETag != "" && !etagMatches(id.ETag, o.ETag) {
					out.Errors = append(out.Errors, DeleteError{Key: id.Key, Code: "PreconditionFailed",
						Message: "At least one of the pre-conditions you specified did not hold"})
					continue
				}
				keys, err := o.release(tx)
				if err != nil {
					return err
				}
				blobs = append(blobs, keys...)
				if err := tx.Delete(tblObjects, objectKey(in.Bucket, id.Key)); err != nil {
					return err
				}
			}
			if !quiet {
				out.Deleted = append(out.Deleted, DeletedObject{Key: id.Key, VersionId: id.VersionId})
			}
		}
		return nil
	})
	written()
	if err != nil {
		return nil, err
	}
	s.deleteBlobs(blobs...)
	return out, nil
}
