package s3

import (
	"context"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// PutBucketOwnershipControls sets Object Ownership. BucketOwnerEnforced
// disables ACLs, so it is refused while the bucket's ACL grants anyone
// but its owner.
func (s *Service) PutBucketOwnershipControls(ctx context.Context, c *cairn.Call, in *PutBucketOwnershipControlsInput) (*PutBucketOwnershipControlsOutput, error) {
	oc := in.OwnershipControls
	if oc == nil || len(oc.Rules) != 1 {
		return nil, malformedXML()
	}
	v := oc.Rules[0].ObjectOwnership
	if !validOwnership(v) {
		return nil, malformedXML()
	}
	err := s.updateBucket(ctx, in.Bucket, func(tx store.Tx) error {
		b, err := loadOwnedBucket(tx, in.Bucket, in.ExpectedBucketOwner)
		if err != nil {
			return err
		}
		if v == ownerEnforced && !ownerOnly(b.ACL, b.Owner) {
			return s3err(statusBadRequest, "InvalidBucketAclWithObjectOwnership",
				"Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting")
		}
		b.Ownership = v
		return saveBucket(tx, b)
	})
	if err != nil {
		return nil, err
	}
	return &PutBucketOwnershipControlsOutput{}, nil
}

// GetBucketOwnershipControls returns the Object Ownership setting.
func (s *Service) GetBucketOwnershipControls(ctx context.Context, c *cairn.Call, in *GetBucketOwnershipControlsInput) (*GetBucketOwnershipControlsOutput, error) {
	b, err := s.ownedBucket(ctx, in.Bucket, in.ExpectedBucketOwner)
	if err != nil {
		return nil, err
	}
	if b.Ownership == "" {
		return nil, s3err(statusNotFound, "OwnershipControlsNotFoundError", "The bucket ownership controls were not found")
	}
	return &GetBucketOwnershipControlsOutput{OwnershipControls: &OwnershipControls{
		Rules: []OwnershipControlsRule{{ObjectOwnership: b.Ownership}}}}, nil
}

// DeleteBucketOwnershipControls removes the setting: ACLs count and each
// writer owns its objects, as ObjectWriter.
func (s *Service) DeleteBucketOwnershipControls(ctx context.Context, c *cairn.Call, in *DeleteBucketOwnershipControlsInput) (*DeleteBucketOwnershipControlsOutput, error) {
	err := s.updateBucket(ctx, in.Bucket, func(tx store.Tx) error {
		b, err := loadOwnedBucket(tx, in.Bucket, in.ExpectedBucketOwner)
		if err != nil {
			return err
		}
		b.Ownership = ""
		return saveBucket(tx, b)
	})
	if err != nil {
		return nil, err
	}
	return &DeleteBucketOwnershipControlsOutput{}, nil
}
