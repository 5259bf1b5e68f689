package s3

import (
	"context"
	"errors"
	"strings"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/policy"
	"github.com/cairnhq/cairn/store"
)

// maxPolicySize is S3's limit on a bucket policy: 20 KB.
const maxPolicySize = 20 << 10

// validatePolicy parses a bucket policy with the policy package and
// applies S3's own rules: only s3 actions, only resources of this bucket.
func validatePolicy(bucket, doc string) (*policy.Policy, error) {
	if len(doc) > maxPolicySize {
		return nil, malformedPolicy("Policies must be less than 20 KB")
	}
	p, err := policy.Parse(doc, policy.Resource)
	if err != nil {
		var ve *policy.ValidationError
		if errors.As(err, &ve) {
			return nil, malformedPolicy(ve.Message)
		}
		return nil, malformedPolicy("This policy contains invalid Json")
	}
	for _, st := range p.Statements {
		for _, a := range append(append([]string{}, st.Action...), st.NotAction...) {
			if a != "*" && !strings.HasPrefix(strings.ToLower(a), "s3:") {
				return nil, malformedPolicy("Policy has invalid action")
			}
		}
		for _, r := range append(append([]string{}, st.Resource...), st.NotResource...) {
			if !resourceOfBucket(r, bucket) {
				return nil, malformedPolicy("Policy has invalid resource")
			}
		}
	}
	return p, nil
}

// resourceOfBucket reports whether a policy resource can name the bucket
// or objects in it.
func resourceOfBucket(r, bucket string) bool {
	if r == "*" {
		return true
	}
	return globMatch(r, "arn:aws:s3:::"+bucket) || globMatch(r, "arn:aws:s3:::"+bucket+"/x") ||
		strings.HasPrefix(r, "arn:aws:s3:::"+bucket+"/")
}

// globMatch matches s against a pattern with * and ? wildcards.
func globMatch(p, s string) bool {
	star, mark := -1, 0
	i, j := 0, 0
	for j < len(s) {
		switch {
		case i < len(p) && (p[i] == '?' || p[i] == s[j]):
			i++
			j++
		case i < len(p) && p[i] == '*':
			star, mark = i, j
			i++
		case star >= 0:
			i = star + 1
			mark++
			j = mark
		default:
			return false
		}
	}
	for i < len(p) && p[i] == '*' {
		i++
	}
	return i == len(p)
}

// PutBucketPolicy sets the bucket policy. With BlockPublicPolicy on, a
// public policy is refused with AccessDenied.
func (s *Service) PutBucketPolicy(ctx context.Context, c *cairn.Call, in *PutBucketPolicyInput) (*PutBucketPolicyOutput, error) {
	if strings.TrimSpace(in.Policy) == "" {
		return nil, malformedPolicy("Policies must be valid JSON and the first byte must be '{'")
	}
	p, err := validatePolicy(in.Bucket, in.Policy)
	if err != nil {
		return nil, err
	}
	public := isPublicPolicy(p)
	err = s.updateBucket(ctx, in.Bucket, func(tx store.Tx) error {
		b, err := loadOwnedBucket(tx, in.Bucket, in.ExpectedBucketOwner)
		if err != nil {
			return err
		}
		if public && b.PAB != nil && b.PAB.BlockPublicPolicy {
			return accessDenied()
		}
		b.Policy = in.Policy
		return saveBucket(tx, b)
	})
	if err != nil {
		return nil, err
	}
	return &PutBucketPolicyOutput{}, nil
}

// GetBucketPolicy returns the bucket policy as it was put.
func (s *Service) GetBucketPolicy(ctx context.Context, c *cairn.Call, in *GetBucketPolicyInput) (*GetBucketPolicyOutput, error) {
	b, err := s.ownedBucket(ctx, in.Bucket, in.ExpectedBucketOwner)
	if err != nil {
		return nil, err
	}
	if b.Policy == "" {
		return nil, s3err(statusNotFound, "NoSuchBucketPolicy", "The bucket policy does not exist")
	}
	return &GetBucketPolicyOutput{Policy: b.Policy}, nil
}

// DeleteBucketPolicy removes the bucket policy.
func (s *Service) DeleteBucketPolicy(ctx context.Context, c *cairn.Call, in *DeleteBucketPolicyInput) (*DeleteBucketPolicyOutput, error) {
	err := s.updateBucket(ctx, in.Bucket, func(tx store.Tx) error {
		b, err := loadOwnedBucket(tx, in.Bucket, in.ExpectedBucketOwner)
		if err != nil {
			return err
		}
		b.Policy = ""
		return saveBucket(tx, b)
	})
	if err != nil {
		return nil, err
	}
	return &DeleteBucketPolicyOutput{}, nil
}

// GetBucketPolicyStatus says whether the bucket policy is public.
func (s *Service) GetBucketPolicyStatus(ctx context.Context, c *cairn.Call, in *GetBucketPolicyStatusInput) (*GetBucketPolicyStatusOutput, error) {
	b, err := s.ownedBucket(ctx, in.Bucket, in.ExpectedBucketOwner)
	if err != nil {
		return nil, err
	}
	if b.Policy == "" {
		return nil, s3err(statusNotFound, "NoSuchBucketPolicy", "The bucket policy does not exist")
	}
	public, err := s.policyPublic(b.Policy)
	if err != nil {
		return nil, err
	}
	return &GetBucketPolicyStatusOutput{PolicyStatus: &PolicyStatus{IsPublic: public}}, nil
}
