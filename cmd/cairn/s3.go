package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/cairnhq/cairn/service/cloudtrail"
	"github.com/cairnhq/cairn/service/kms"
	"github.com/cairnhq/cairn/service/s3"
	"github.com/cairnhq/cairn/service/sns"
)

// destinations answers CloudTrail's checks at CreateTrail and UpdateTrail
// (cloudtrail.Destinations): the bucket with S3, as the service principal
// cloudtrail.amazonaws.com through S3's own authorization, and the key
// with KMS. It is filled in once both services exist.
type destinations struct {
	s3   *s3.Service
	keys kmsKeys
	sns  *sns.Service
	logs *trailLogs
}

func (d *destinations) CheckBucket(ctx context.Context, bucket, prefix, trailARN, account string) (string, error) {
	if d.s3 == nil {
		return "", fmt.Errorf("%w: S3 is not served", cloudtrail.ErrBucketNotFound)
	}
	p := s3.ServicePrincipal{Service: "cloudtrail.amazonaws.com", SourceARN: trailARN, SourceAccount: account}
	region, err := d.s3.CheckDelivery(ctx, p, bucket, prefix, account)
	switch {
	case errors.Is(err, s3.ErrNoSuchBucket):
		return "", fmt.Errorf("%w: %w", cloudtrail.ErrBucketNotFound, err)
	case errors.Is(err, s3.ErrAccessDenied):
		return "", fmt.Errorf("%w: %w", cloudtrail.ErrBucketPolicy, err)
	}
	return region, err
}

func (d *destinations) CheckKey(ctx context.Context, keyID, bucketRegion, trailARN, account string) (string, error) {
	if d.keys.svc == nil {
		return "", fmt.Errorf("%w: KMS is not served", cloudtrail.ErrKeyNotFound)
	}
	return d.keys.CheckKey(ctx, keyID, bucketRegion, trailARN, account)
}

// kmsDataKeys gives S3 its SSE-KMS data keys: KMS's GenerateDataKey and
// Decrypt, called on the caller's behalf via s3.amazonaws.com in the
// bucket's region, with the encryption context aws:s3:arn = the object's
// ARN (and the caller's own context, if any).
type kmsDataKeys struct{ svc *kms.Service }

func (k kmsDataKeys) context(r s3.KeyRequest) map[string]string {
	ec := map[string]string{"aws:s3:arn": r.ObjectARN}
	for key, v := range r.Context {
		if key != "aws:s3:arn" {
			ec[key] = v
		}
	}
	return ec
}

func (k kmsDataKeys) Generate(ctx context.Context, r s3.KeyRequest) (s3.DataKey, error) {
	keyID := r.KMSKeyID
	if keyID == "" {
		keyID = "alias/aws/s3"
	}
	plain, blob, arn, err := k.svc.GenerateDataKeyFor(ctx, r.Call, r.Region, keyID, k.context(r), "s3.amazonaws.com")
	if err != nil {
		return s3.DataKey{}, err
	}
	return s3.DataKey{Plain: plain, Wrapped: blob, KeyID: arn}, nil
}

func (k kmsDataKeys) Open(ctx context.Context, r s3.KeyRequest, wrapped []byte) ([]byte, error) {
	plain, _, err := k.svc.DecryptFor(ctx, r.Call, r.Region, r.KMSKeyID, wrapped, k.context(r), "s3.amazonaws.com")
	return plain, err
}
