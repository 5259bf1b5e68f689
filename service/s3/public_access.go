package s3

import (
	"context"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// PutPublicAccessBlock sets the bucket's Block Public Access settings.
func (s *Service) PutPublicAccessBlock(ctx context.Context, c *cairn.Call, in *PutPublicAccessBlockInput) (*PutPublicAccessBlockOutput, error) {
	if in.PublicAccessBlockConfiguration == nil {
		return nil, malformedXML()
	}
	cfg := *in.PublicAccessBlockConfiguration
	err := s.updateBucket(ctx, in.Bucket, func(tx store.Tx) error {
		b, err := loadOwnedBucket(tx, in.Bucket, in.ExpectedBucketOwner)
		if err != nil {
			return err
		}
		b.PAB = &cfg
		return saveBucket(tx, b)
	})
	if err != nil {
		return nil, err
	}
	return &PutPublicAccessBlockOutput{}, nil
}

// GetPublicAccessBlock returns the bucket's Block Public Access settings.
func (s *Service) GetPublicAccessBlock(ctx context.Context, c *cairn.Call, in *GetPublicAccessBlockInput) (*GetPublicAccessBlockOutput, error) {
	b, err := s.ownedBucket(ctx, in.Bucket, in.ExpectedBucketOwner)
	if err != nil {
		return nil, err
	}
	if b.PAB == nil {
		return nil, s3err(statusNotFound, "NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found")
	}
	cfg := *b.PAB
	return &GetPublicAccessBlockOutput{PublicAccessBlockConfiguration: &cfg}, nil
}

// DeletePublicAccessBlock removes the bucket's Block Public Access
// settings.
func (s *Service) DeletePublicAccessBlock(ctx context.Context, c *cairn.Call, in *DeletePublicAccessBlockInput) (*DeletePublicAccessBlockOutput, error) {
	err := s.updateBucket(ctx, in.Bucket, func(tx store.Tx) error {
		b, err := loadOwnedBucket(tx, in.Bucket, in.ExpectedBucketOwner)
		if err != nil {
			return err
		}
		b.PAB = nil
		return saveBucket(tx, b)
	})
	if err != nil {
		return nil, err
	}
	return &DeletePublicAccessBlockOutput{}, nil
}
