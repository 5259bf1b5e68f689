package s3

import (
	"context"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// PutBucketEncryption sets the bucket's default encryption: SSE-S3, or
// SSE-KMS when KMS is served.
func (s *Service) PutBucketEncryption(ctx context.Context, c *cairn.Call, in *PutBucketEncryptionInput) (*PutBucketEncryptionOutput, error) {
	cfg := in.ServerSideEncryptionConfiguration
	if cfg == nil || len(cfg.Rules) != 1 || cfg.Rules[0].ApplyServerSideEncryptionByDefault == nil {
		return nil, malformedXML()
	}
	rule := cfg.Rules[0]
	def := rule.ApplyServerSideEncryptionByDefault
	enc := encryptionRec{Algorithm: def.SSEAlgorithm}
	switch def.SSEAlgorithm {
	case sseS3:
		if def.KMSMasterKeyID != "" {
			return nil, invalidArgument("a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse")
		}
	case sseKMS, sseKMSDSSE:
		if _, err := s.keys(def.SSEAlgorithm); err != nil {
			return nil, err
		}
		enc.KMSKeyID = def.KMSMasterKeyID
		enc.BucketKey = rule.BucketKeyEnabled != nil && *rule.BucketKeyEnabled
	default:
		return nil, malformedXML()
	}
	err := s.updateBucket(ctx, in.Bucket, func(tx store.Tx) error {
		b, err := loadOwnedBucket(tx, in.Bucket, in.ExpectedBucketOwner)
		if err != nil {
			return err
		}
		b.Encryption = enc
		return saveBucket(tx, b)
	})
	if err != nil {
		return nil, err
	}
	return &PutBucketEncryptionOutput{}, nil
}

// GetBucketEncryption returns the default encryption; every bucket has
// one (SSE-S3 unless set otherwise).
func (s *Service) GetBucketEncryption(ctx context.Context, c *cairn.Call, in *GetBucketEncryptionInput) (*GetBucketEncryptionOutput, error) {
	b, err := s.ownedBucket(ctx, in.Bucket, in.ExpectedBucketOwner)
	if err != nil {
		return nil, err
	}
	e := b.Encryption
	def := &ServerSideEncryptionByDefault{SSEAlgorithm: e.algorithm(), KMSMasterKeyID: e.KMSKeyID}
	bk := e.BucketKey
	return &GetBucketEncryptionOutput{ServerSideEncryptionConfiguration: &ServerSideEncryptionConfiguration{
		Rules: []ServerSideEncryptionRule{{ApplyServerSideEncryptionByDefault: def, BucketKeyEnabled: &bk}}}}, nil
}

// DeleteBucketEncryption resets the default encryption to SSE-S3.
func (s *Service) DeleteBucketEncryption(ctx context.Context, c *cairn.Call, in *DeleteBucketEncryptionInput) (*DeleteBucketEncryptionOutput, error) {
	err := s.updateBucket(ctx, in.Bucket, func(tx store.Tx) error {
		b, err := loadOwnedBucket(tx, in.Bucket, in.ExpectedBucketOwner)
		if err != nil {
			return err
		}
		b.Encryption = encryptionRec{}
		return saveBucket(tx, b)
	})
	if err != nil {
		return nil, err
	}
	return &DeleteBucketEncryptionOutput{}, nil
}
