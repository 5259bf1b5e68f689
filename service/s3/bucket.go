package s3

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// defaultRegion is where a bucket created without a location constraint
// lives.
const defaultRegion = "us-east-1"

var regionPattern = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)

// bucketRegion decides the region of a new bucket from the request's
// region and its LocationConstraint, as S3 does: us-east-1 takes no
// constraint, every other region must name itself.
func bucketRegion(requestRegion string, cfg *CreateBucketConfiguration) (string, error) {
	if requestRegion == "" {
		requestRegion = defaultRegion
	}
	lc := ""
	if cfg != nil {
		lc = cfg.LocationConstraint
	}
	switch {
	case lc == "" && requestRegion == defaultRegion:
		return defaultRegion, nil
	case lc == "":
		return "", s3err(statusBadRequest, "IllegalLocationConstraintException",
			"The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.")
	case lc == defaultRegion:
		return "", s3err(statusBadRequest, "InvalidLocationConstraint", "The specified location-constraint is not valid")
	}
	region := lc
	if lc == "EU" {
		region = "eu-west-1"
	}
	if !regionPattern.MatchString(region) {
		return "", s3err(statusBadRequest, "InvalidLocationConstraint", "The specified location-constraint is not valid")
	}
	if region != requestRegion {
		return "", s3err(statusBadRequest, "IllegalLocationConstraintException",
			"The "+lc+" location constraint is incompatible for the region specific endpoint this request was sent to.")
	}
	return region, nil
}

func validOwnership(o string) bool {
	return o == ownerEnforced || o == ownerPreferred || o == objectWriter
}

// CreateBucket creates a bucket. Names are global: a name taken by another
// account is BucketAlreadyExists; one the caller's account holds is
// BucketAlreadyOwnedByYou, except in us-east-1 where S3 answers 200 and
// resets the ACL (its legacy behaviour). New buckets enforce bucket-owner
// ownership (ACLs disabled), block all public access and encrypt with
// SSE-S3, as S3 has since 2023.
func (s *Service) CreateBucket(ctx context.Context, c *cairn.Call, in *CreateBucketInput) (*CreateBucketOutput, error) {
	if !validBucketName(in.Bucket) {
		return nil, invalidBucketName()
	}
	account := c.Account()
	if account == "" {
		return nil, accessDenied()
	}
	if in.ObjectLockEnabledForBucket != nil && *in.ObjectLockEnabledForBucket {
		return nil, notImplemented("x-amz-bucket-object-lock-enabled")
	}
	region, err := bucketRegion(c.Region, in.CreateBucketConfiguration)
	if err != nil {
		return nil, err
	}
	if s.isBuiltin(in.Bucket) {
		// AWS owns it, whether or not it was asked for yet.
		if _, err := s.bucket(ctx, in.Bucket); err != nil {
			return nil, err
		}
		return nil, bucketAlreadyExists()
	}
	ownership := in.ObjectOwnership
	if ownership == "" {
		ownership = ownerEnforced
	}
	if !validOwnership(ownership) {
		return nil, invalidArgument("Invalid x-amz-object-ownership header: " + in.ObjectOwnership)
	}
	req := aclRequest{canned: in.ACL, fullControl: in.GrantFullControl, read: in.GrantRead, write: in.GrantWrite,
		readACP: in.GrantReadACP, writeACP: in.GrantWriteACP}
	grants, err := req.grants(account, account, true)
	if err != nil {
		return nil, err
	}
	if ownership == ownerEnforced && !ownerOnly(grants, account) {
		return nil, s3err(statusBadRequest, "InvalidBucketAclWithObjectOwnership",
			"Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting")
	}
	if anyPublic(grants) {
		return nil, accessDenied() // new buckets block public ACLs
	}
	b := &bucketRec{
		Name: in.Bucket, Owner: account, Region: region, Created: s.now(c).Truncate(1e9),
		PAB:       &PublicAccessBlockConfiguration{true, true, true, true},
		Ownership: ownership, ACL: grants,
	}
	err = s.updateBucket(ctx, b.Name, func(tx store.Tx) error {
		err := store.InsertJSON(tx, tblBuckets, b.Name, b)
		if errors.Is(err, cairn.ErrExists) {
			old, lerr := loadBucket(tx, b.Name)
			if lerr != nil {
				return lerr
			}
			if old.Owner != account {
				return bucketAlreadyExists()
			}
			if old.Region == defaultRegion && region == defaultRegion {
				if old.aclsEnabled() {
					old.ACL = grants
				}
				return saveBucket(tx, old)
			}
			return bucketAlreadyOwnedByYou()
		}
		if err != nil {
			return fmt.Errorf("insert bucket: %w", err)
		}
		return tx.Put(tblOwned, account+"/"+b.Name, []byte{})
	})
	if err != nil {
		return nil, err
	}
	return &CreateBucketOutput{Location: "/" + in.Bucket}, nil
}

// HeadBucket tells whether the bucket exists and the caller may list it.
func (s *Service) HeadBucket(ctx context.Context, c *cairn.Call, in *HeadBucketInput) (*HeadBucketOutput, error) {
	b, err := s.ownedBucket(ctx, in.Bucket, in.ExpectedBucketOwner)
	if err != nil {
		return nil, err
	}
	return &HeadBucketOutput{BucketRegion: b.Region}, nil
}

// GetBucketLocation returns the bucket's region, empty for us-east-1.
func (s *Service) GetBucketLocation(ctx context.Context, c *cairn.Call, in *GetBucketLocationInput) (*GetBucketLocationOutput, error) {
	b, err := s.ownedBucket(ctx, in.Bucket, in.ExpectedBucketOwner)
	if err != nil {
		return nil, err
	}
	lc := b.Region
	if lc == defaultRegion {
		lc = ""
	}
	return &GetBucketLocationOutput{LocationConstraint: lc}, nil
}

// DeleteBucket deletes an empty bucket, aborting its multipart uploads.
func (s *Service) DeleteBucket(ctx context.Context, c *cairn.Call, in *DeleteBucketInput) (*DeleteBucketOutput, error) {
	var blobs []string
	err := s.updateBucket(ctx, in.Bucket, func(tx store.Tx) error {
		b, err := loadOwnedBucket(tx, in.Bucket, in.ExpectedBucketOwner)
		if err != nil {
			return err
		}
		empty := true
		if err := tx.Scan(tblObjects, b.Name+"/", "", 1, func(string, []byte) error {
			empty = false
			return store.ErrStop
		}); err != nil {
			return fmt.Errorf("scan objects: %w", err)
		}
		if !empty {
			return bucketNotEmpty()
		}
		var uploads []uploadRec
		if err := tx.Scan(tblUploads, b.Name+"/", "", 0, func(_ string, v []byte) error {
			var u uploadRec
			if err := jsonUnmarshal(v, &u); err != nil {
				return err
			}
			uploads = append(uploads, u)
			return nil
		}); err != nil {
			return fmt.Errorf("scan uploads: %w", err)
		}
		for _, u := range uploads {
			bs, err := dropUpload(tx, &u)
			if err != nil {
				return err
			}
			blobs = append(blobs, bs...)
		}
		if err := tx.Delete(tblBuckets, b.Name); err != nil {
			return fmt.Errorf("delete bucket: %w", err)
		}
		if err := tx.Delete(tblOwned, b.Owner+"/"+b.Name); err != nil && !isNotFound(err) {
			return fmt.Errorf("delete bucket index: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.deleteBlobs(blobs...)
	return &DeleteBucketOutput{}, nil
}

// ListBuckets lists the caller's account's buckets by name.
func (s *Service) ListBuckets(ctx context.Context, c *cairn.Call, in *ListBucketsInput) (*ListBucketsOutput, error) {
	account := c.Account()
	if account == "" {
		return nil, accessDenied()
	}
	limit := 0
	if in.MaxBuckets != nil {
		if *in.MaxBuckets < 1 || *in.MaxBuckets > 10000 {
			return nil, invalidArgument("max-buckets must be between 1 and 10000")
		}
		limit = int(*in.MaxBuckets)
	}
	after := ""
	if in.ContinuationToken != "" {
		raw, err := base64.RawURLEncoding.DecodeString(in.ContinuationToken)
		if err != nil {
			return nil, invalidArgument("The continuation token provided is incorrect")
		}
		after = account + "/" + string(raw)
	}
	out := &ListBucketsOutput{Owner: &Owner{ID: CanonicalID(account)}, Buckets: []Bucket{}, Prefix: in.Prefix}
	err := s.view(ctx, func(tx store.Tx) error {
		return tx.Scan(tblOwned, account+"/"+in.Prefix, after, 0, func(k string, _ []byte) error {
			name := strings.TrimPrefix(k, account+"/")
			b, err := loadBucket(tx, name)
			if err != nil {
				if cairn.AsError(err) != nil {
					return nil
				}
				return err
			}
			if in.BucketRegion != "" && b.Region != in.BucketRegion {
				return nil
			}
			if limit > 0 && len(out.Buckets) == limit {
				out.ContinuationToken = base64.RawURLEncoding.EncodeToString([]byte(out.Buckets[limit-1].Name))
				return store.ErrStop
			}
			out.Buckets = append(out.Buckets, Bucket{Name: b.Name, CreationDate: b.Created, BucketRegion: b.Region})
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
