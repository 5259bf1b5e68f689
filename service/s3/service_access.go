package s3

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/cairnhq/cairn"
)

// What AWS services (CloudTrail's delivery) do to buckets: the same
// operations, authorized by the same authorizer with the same composed
// bucket policy, as the service principal with aws:SourceArn and
// aws:SourceAccount set. A bucket policy that does not allow it stops it.

// Errors of CheckDelivery and Deliver.
var (
	// ErrNoSuchBucket: the bucket does not exist.
	ErrNoSuchBucket = errors.New("s3: the bucket does not exist")
	// ErrAccessDenied: the bucket policy does not allow the service.
	ErrAccessDenied = errors.New("s3: the bucket policy does not allow the service principal")
)

// ServicePrincipal is an AWS service acting on behalf of a resource of an
// account (aws:SourceArn, aws:SourceAccount).
type ServicePrincipal struct {
	Service       string // e.g. cloudtrail.amazonaws.com
	SourceARN     string // e.g. the trail ARN
	SourceAccount string
}

// call is the Call of a service principal's request.
func (s *Service) servicePrincipalCall(p ServicePrincipal, op, region string) *cairn.Call {
	return &cairn.Call{
		RequestID: s.cfg.IDs.UUID(), Time: s.cfg.Clock.Now().UTC(), Region: region, Service: "s3", Operation: op,
		Principal:     cairn.Principal{Type: cairn.PrincipalAWSService, Service: p.Service},
		SourceARN:     p.SourceARN,
		SourceAccount: p.SourceAccount,
		SourceIP:      p.Service, UserAgent: p.Service, SecureTransport: true,
		AuthType: cairn.AuthHeader,
	}
}

// denied converts an authorization failure into ErrAccessDenied.
func denied(err error) error {
	if e := cairn.AsError(err); e != nil && e.Code == "AccessDenied" {
		return fmt.Errorf("%w: %s", ErrAccessDenied, e.Message)
	}
	return err
}

// CheckDelivery answers whether the service principal may deliver log
// files into bucket, as CloudTrail checks at CreateTrail: s3:GetBucketAcl
// on the bucket and s3:PutObject on [prefix/]AWSLogs/<account>/* with
// s3:x-amz-acl = bucket-owner-full-control. It returns the bucket's
// region; ErrNoSuchBucket or ErrAccessDenied (wrapped) when it may not.
func (s *Service) CheckDelivery(ctx context.Context, p ServicePrincipal, bucket, prefix, account string) (string, error) {
	b, err := s.bucket(ctx, bucket)
	if err != nil {
		if e := cairn.AsError(err); e != nil && e.Code == "NoSuchBucket" {
			return "", fmt.Errorf("%w: %s", ErrNoSuchBucket, bucket)
		}
		return "", err
	}
	c := s.servicePrincipalCall(p, "GetBucketAcl", b.Region)
	if err := s.authorize(ctx, c, "GetBucketAcl", &GetBucketAclInput{Bucket: bucket}); err != nil {
		return "", denied(err)
	}
	key := deliveryPrefix(prefix) + "AWSLogs/" + account + "/*"
	c = s.servicePrincipalCall(p, "PutObject", b.Region)
	if err := s.authorize(ctx, c, "PutObject", &PutObjectInput{Bucket: bucket, Key: key, ACL: "bucket-owner-full-control"}); err != nil {
		return "", denied(err)
	}
	return b.Region, nil
}

// deliveryPrefix is a trail's key prefix joined to what follows with one
// slash, as CloudTrail lays keys out.
func deliveryPrefix(prefix string) string {
	if prefix == "" {
		return ""
	}
	return prefix + "/"
}

// Delivery is an object a service principal writes.
type Delivery struct {
	Principal       ServicePrincipal
	Bucket, Key     string
	Body            io.Reader
	Size            int64 // -1 when unknown
	ContentType     string
	ContentEncoding string
	Metadata        map[string]string
	// ACL is the canned ACL; CloudTrail writes bucket-owner-full-control.
	ACL string
	// ServerSideEncryption and KMSKeyID choose SSE-KMS; empty for the
	// bucket's default.
	ServerSideEncryption, KMSKeyID string
}

// Deliver writes an object as the service principal, through the same
// authorization as any PutObject (the bucket policy must allow it). It
// returns the object's ETag. The write is not recorded as an event here:
// the caller decides how its own deliveries are audited.
func (s *Service) Deliver(ctx context.Context, d Delivery) (string, error) {
	b, err := s.bucket(ctx, d.Bucket)
	if err != nil {
		if e := cairn.AsError(err); e != nil && e.Code == "NoSuchBucket" {
			return "", fmt.Errorf("%w: %s", ErrNoSuchBucket, d.Bucket)
		}
		return "", err
	}
	c := s.servicePrincipalCall(d.Principal, "PutObject", b.Region)
	in := &PutObjectInput{
		Bucket: d.Bucket, Key: strings.TrimPrefix(d.Key, "/"), Body: d.Body, ContentType: d.ContentType,
		ContentEncoding: d.ContentEncoding, Metadata: d.Metadata, ACL: d.ACL,
		ServerSideEncryption: d.ServerSideEncryption, SSEKMSKeyId: d.KMSKeyID,
	}
	if d.Size >= 0 {
		n := d.Size
		in.ContentLength = &n
	}
	if err := s.authorize(ctx, c, "PutObject", in); err != nil {
		return "", denied(err)
	}
	out, err := s.PutObject(ctx, c, in)
	if err != nil {
		return "", err
	}
	return out.ETag, nil
}
