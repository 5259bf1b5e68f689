package s3

import (
	"context"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// PutBucketTagging replaces the bucket's tag set.
func (s *Service) PutBucketTagging(ctx context.Context, c *cairn.Call, in *PutBucketTaggingInput) (*PutBucketTaggingOutput, error) {
	if in.Tagging == nil {
		return nil, malformedXML()
	}
	tags := append([]Tag{}, in.Tagging.TagSet...)
	if err := validTags(tags, maxBucketTags); err != nil {
		return nil, err
	}
	err := s.updateBucket(ctx, in.Bucket, func(tx store.Tx) error {
		b, err := loadOwnedBucket(tx, in.Bucket, in.ExpectedBucketOwner)
		if err != nil {
			return err
		}
		b.Tags = tags
		return saveBucket(tx, b)
	})
	if err != nil {
		return nil, err
	}
	return &PutBucketTaggingOutput{}, nil
}

// GetBucketTagging returns the bucket's tag set.
func (s *Service) GetBucketTagging(ctx context.Context, c *cairn.Call, in *GetBucketTaggingInput) (*GetBucketTaggingOutput, error) {
	b, err := s.ownedBucket(ctx, in.Bucket, in.ExpectedBucketOwner)
	if err != nil {
		return nil, err
	}
	if b.Tags == nil {
		return nil, s3err(statusNotFound, "NoSuchTagSet", "The TagSet does not exist")
	}
	return &GetBucketTaggingOutput{TagSet: b.Tags}, nil
}

// DeleteBucketTagging removes the bucket's tag set.
func (s *Service) DeleteBucketTagging(ctx context.Context, c *cairn.Call, in *DeleteBucketTaggingInput) (*DeleteBucketTaggingOutput, error) {
	err := s.updateBucket(ctx, in.Bucket, func(tx store.Tx) error {
		b, err := loadOwnedBucket(tx, in.Bucket, in.ExpectedBucketOwner)
		if err != nil {
			return err
		}
		b.Tags = nil
		return saveBucket(tx, b)
	})
	if err != nil {
		return nil, err
	}
	return &DeleteBucketTaggingOutput{}, nil
}

// updateObject changes an existing object's record in place.
func (s *Service) updateObject(ctx context.Context, bucket, key, version, expectedOwner string, fn func(*objectRec) error) error {
	if err := checkVersion(version); err != nil {
		return err
	}
	defer s.writingObjects(bucket, key)()
	return s.update(ctx, func(tx store.Tx) error {
		_, err := loadOwnedBucket(tx, bucket, expectedOwner)
		if err != nil {
			return err
		}
		o, err := loadObject(tx, bucket, key)
		if err != nil {
			return err
		}
		if o == nil {
			return noSuchKey()
		}
		if err := fn(o); err != nil {
			return err
		}
		return store.PutJSON(tx, tblObjects, objectKey(bucket, key), o)
	})
}

// PutObjectTagging replaces an object's tag set.
func (s *Service) PutObjectTagging(ctx context.Context, c *cairn.Call, in *PutObjectTaggingInput) (*PutObjectTaggingOutput, error) {
	if in.Tagging == nil {
		return nil, malformedXML()
	}
	tags := append([]Tag{}, in.Tagging.TagSet...)
	if err := validTags(tags, maxObjectTags); err != nil {
		return nil, err
	}
	err := s.updateObject(ctx, in.Bucket, in.Key, in.VersionId, in.ExpectedBucketOwner, func(o *objectRec) error {
		o.Tags = tags
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &PutObjectTaggingOutput{}, nil
}

// GetObjectTagging returns an object's tag set (empty when it has none).
func (s *Service) GetObjectTagging(ctx context.Context, c *cairn.Call, in *GetObjectTaggingInput) (*GetObjectTaggingOutput, error) {
	if err := checkVersion(in.VersionId); err != nil {
		return nil, err
	}
	_, o, err := s.object(ctx, &in.resolved, in.Bucket, in.Key, in.ExpectedBucketOwner)
	if err != nil {
		return nil, err
	}
	return &GetObjectTaggingOutput{TagSet: append([]Tag{}, o.Tags...)}, nil
}

// DeleteObjectTagging removes an object's tags.
func (s *Service) DeleteObjectTagging(ctx context.Context, c *cairn.Call, in *DeleteObjectTaggingInput) (*DeleteObjectTaggingOutput, error) {
	err := s.updateObject(ctx, in.Bucket, in.Key, in.VersionId, in.ExpectedBucketOwner, func(o *objectRec) error {
		o.Tags = nil
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &DeleteObjectTaggingOutput{}, nil
}
