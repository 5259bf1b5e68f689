package s3

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/cairnhq/cairn"
)

// Delivered is what a recorded delivery did: the PutObject call it was
// made as and its input and output, for the caller to record as an event
// (Call is nil when the bucket does not exist, Output when the write
// failed).
type Delivered struct {
	Call   *cairn.Call
	Input  *PutObjectInput
	Output *PutObjectOutput
}

// DeliverRecorded is Deliver with an SSE-KMS encryption context (as the
// x-amz-server-side-encryption-context header carries it; CloudTrail puts
// aws:cloudtrail:arn there), returning the call for the caller's event.
func (s *Service) DeliverRecorded(ctx context.Context, d Delivery, encryptionContext map[string]string) (Delivered, error) {
	b, err := s.bucket(ctx, d.Bucket)
	if err != nil {
		if e := cairn.AsError(err); e != nil && e.Code == "NoSuchBucket" {
			return Delivered{}, fmt.Errorf("%w: %s", ErrNoSuchBucket, d.Bucket)
		}
		return Delivered{}, err
	}
	c := s.servicePrincipalCall(d.Principal, "PutObject", b.Region)
	in := &PutObjectInput{
		Bucket: d.Bucket, Key: strings.TrimPrefix(d.Key, "/"), Body: d.Body, ContentType: d.ContentType,
		ContentEncoding: d.ContentEncoding, Metadata: d.Metadata, ACL: d.ACL,
		ServerSideEncryption: d.ServerSideEncryption, SSEKMSKeyId: d.KMSKeyID,
	}
	if len(encryptionContext) > 0 {
		raw, err := json.Marshal(encryptionContext)
		if err != nil {
			return Delivered{}, fmt.Errorf("s3: encryption context: %w", err)
		}
		in.SSEKMSEncryptionContext = base64.StdEncoding.EncodeToString(raw)
	}
	if d.Size >= 0 {
		n := d.Size
		in.ContentLength = &n
	}
	res := Delivered{Call: c, Input: in}
	if err := s.authorize(ctx, c, "PutObject", in); err != nil {
		return res, denied(err)
	}
	out, err := s.PutObject(ctx, c, in)
	if err != nil {
		return res, err
	}
	res.Output = out
	return res, nil
}
