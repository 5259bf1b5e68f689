package s3

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/sealstream"
)

// DataKeys supplies the per-object data keys objects are sealed under.
// SSE-S3 uses RootKeys (the deployment's root key wraps each data key);
// SSE-KMS uses KMS, whose GenerateDataKey and Decrypt take the encryption
// context aws:s3:arn = the object's ARN, as AWS's do.
type DataKeys interface {
	// Generate returns a fresh 256-bit data key, its wrapped form and the
	// key that wrapped it (the KMS key ARN; "" for the root key).
	Generate(ctx context.Context, r KeyRequest) (DataKey, error)
	// Open unwraps a data key Generate returned for the same request.
	Open(ctx context.Context, r KeyRequest, wrapped []byte) ([]byte, error)
}

// DataKey is a new data key. Plain is secret: it is used to seal one
// object or upload and then dropped.
type DataKey struct {
	Plain, Wrapped []byte
	KeyID          string
}

// KeyRequest says what a data key is for.
type KeyRequest struct {
	// Algorithm is AES256 (SSE-S3), aws:kms or aws:kms:dsse.
	Algorithm string
	// KMSKeyID is the KMS key of SSE-KMS ("" = the account's aws/s3 key).
	KMSKeyID string
	// Context is the caller's SSE-KMS encryption context (the decoded
	// x-amz-server-side-encryption-context), if any.
	Context map[string]string
	// ObjectARN is the object's ARN: KMS's aws:s3:arn context.
	ObjectARN string
	// Region is the bucket's region. S3 calls KMS there whatever region
	// the request was signed for (Cairn serves any), so the key must be
	// in the bucket's region, as AWS requires.
	Region string
	// Binding is unique to the key: the wrapped key is bound to it and
	// cannot be opened for another object or upload.
	Binding string
	// Call is the call the key is for (KMS authorizes its caller).
	Call *cairn.Call
}

// RootKeys wraps data keys with the root key: SSE-S3.
type RootKeys struct {
	Sealer cairn.Sealer
	IDs    cairn.IDs
}

func (k RootKeys) ad(r KeyRequest) []byte {
	return []byte("cairn s3 data key\x00" + r.ObjectARN + "\x00" + r.Binding)
}

// Generate draws a key and seals it under the root key, bound to the
// object's ARN and the binding.
func (k RootKeys) Generate(_ context.Context, r KeyRequest) (DataKey, error) {
	ids := k.IDs
	if ids == nil {
		ids = cairn.RandomIDs{}
	}
	plain := ids.Token(sealstream.KeySize)
	wrapped, err := k.Sealer.Seal(plain, k.ad(r))
	if err != nil {
		return DataKey{}, fmt.Errorf("seal data key: %w", err)
	}
	return DataKey{Plain: plain, Wrapped: wrapped}, nil
}

// Open unseals a key Generate made for the same ARN and binding.
func (k RootKeys) Open(_ context.Context, r KeyRequest, wrapped []byte) ([]byte, error) {
	plain, err := k.Sealer.Open(wrapped, k.ad(r))
	if err != nil {
		return nil, fmt.Errorf("open data key: %w", err)
	}
	return plain, nil
}

// keys returns the key source for an encryption setting.
func (s *Service) keys(alg string) (DataKeys, error) {
	switch alg {
	case "", sseS3:
		return s.sse, nil
	case sseKMS, sseKMSDSSE:
		if s.cfg.KMS == nil {
			return nil, notImplemented("x-amz-server-side-encryption: " + alg + " (KMS is not served)")
		}
		return s.cfg.KMS, nil
	}
	return nil, invalidArgument("The encryption method specified is not supported")
}

// newDataKey makes the data key of a new object or upload of bucket b.
// ctxHeader is the request's x-amz-server-side-encryption-context (base64
// JSON).
func (s *Service) newDataKey(ctx context.Context, c *cairn.Call, b *bucketRec, enc encryptionRec, ctxHeader, key, binding string) ([]byte, sealedKey, error) {
	ks, err := s.keys(enc.Algorithm)
	if err != nil {
		return nil, sealedKey{}, err
	}
	ec, err := encryptionContext(ctxHeader)
	if err != nil {
		return nil, sealedKey{}, err
	}
	if ec != nil && enc.algorithm() == sseS3 {
		return nil, sealedKey{}, invalidArgument("x-amz-server-side-encryption-context requires SSE-KMS")
	}
	if _, ok := ec["aws:s3:arn"]; ok {
		// KMS is always asked with the object's own ARN there: keep and
		// answer the context it was asked with, not the caller's value.
		ec["aws:s3:arn"] = ObjectARN(b.Name, key)
	}
	req := KeyRequest{Algorithm: enc.algorithm(), KMSKeyID: enc.KMSKeyID, Context: ec, ObjectARN: ObjectARN(b.Name, key),
		Region: b.Region, Binding: binding, Call: c}
	dk, err := ks.Generate(ctx, req)
	if err != nil {
		return nil, sealedKey{}, keyError(req, err)
	}
	if dk.KeyID != "" {
		enc.KMSKeyID = dk.KeyID
	}
	return dk.Plain, sealedKey{encryptionRec: enc, Sealed: dk.Wrapped, Binding: binding, Context: ec}, nil
}

// encryptionContext decodes x-amz-server-side-encryption-context: base64
// of a JSON object of strings.
func encryptionContext(h string) (map[string]string, error) {
	if h == "" {
		return nil, nil
	}
	raw, err := base64.StdEncoding.DecodeString(h)
	var m map[string]string
	if err == nil {
		err = json.Unmarshal(raw, &m)
	}
	if err != nil {
		return nil, invalidArgument("The header 'x-amz-server-side-encryption-context' is not a base64-encoded UTF-8 string holding JSON with the encryption context key-value pairs.")
	}
	return m, nil
}

// openDataKey unwraps the data key of an object (or upload) of bucket b.
func (s *Service) openDataKey(ctx context.Context, c *cairn.Call, b *bucketRec, k sealedKey, key string) ([]byte, error) {
	ks, err := s.keys(k.Algorithm)
	if err != nil {
		return nil, err
	}
	req := KeyRequest{Algorithm: k.algorithm(), KMSKeyID: k.KMSKeyID, Context: k.Context, ObjectARN: ObjectARN(b.Name, key),
		Region: keyRegion(k.KMSKeyID, b.Region), Binding: k.Binding, Call: c}
	plain, err := ks.Open(ctx, req, k.Sealed)
	if err != nil {
		return nil, keyError(req, err)
	}
	return plain, nil
}

// keyRegion is the region to unwrap a stored data key in: the region of
// the KMS key that wrapped it. New objects name a key of their bucket's
// region; objects written before S3 called KMS in the bucket's region may
// name a key of the region their writer signed for, and stay readable.
func keyRegion(kmsKeyARN, bucketRegion string) string {
	if arn, err := cairn.ParseARN(kmsKeyARN); err == nil && arn.Service == "kms" && arn.Region != "" {
		return arn.Region
	}
	return bucketRegion
}

// contextOutput is the x-amz-server-side-encryption-context that
// PutObject, CopyObject and CreateMultipartUpload answer with: the
// caller's own context as stored, base64 JSON ("" when none was given).
// GetObject and HeadObject have no such member in S3's model.
func contextOutput(k sealedKey) string {
	if len(k.Context) == 0 {
		return ""
	}
	raw, err := json.Marshal(k.Context)
	if err != nil {
		return "" // a map of strings always marshals
	}
	return base64.StdEncoding.EncodeToString(raw)
}

// sseOutput is what responses say about an object's encryption.
func sseOutput(k encryptionRec) (alg, kmsKey string, bucketKey *bool) {
	alg = k.algorithm()
	if alg != sseS3 {
		kmsKey = k.KMSKeyID
		if k.BucketKey {
			t := true
			bucketKey = &t
		}
	}
	return alg, kmsKey, bucketKey
}
