package s3

import (
	"fmt"
	"time"

	"github.com/cairnhq/cairn/store"
)

// bucketRec is a bucket and its configuration: one store value.
type bucketRec struct {
	Name    string
	Owner   string // account ID
	Region  string
	Created time.Time
	// Policy is the bucket policy as given ("" = none).
	Policy string `json:",omitempty"`
	// PAB is the Block Public Access configuration; nil = none.
	PAB *PublicAccessBlockConfiguration `json:",omitempty"`
	// Ownership is the Object Ownership setting; "" = no ownership
	// controls (ACLs enabled, the writer owns its objects).
	Ownership string `json:",omitempty"`
	ACL       []grantRec
	Tags      []Tag `json:",omitempty"` // nil = no tag set
	// Encryption is the default encryption.
	Encryption encryptionRec
}

// Object Ownership settings.
const (
	ownerEnforced  = "BucketOwnerEnforced"
	ownerPreferred = "BucketOwnerPreferred"
	objectWriter   = "ObjectWriter"
)

// aclsEnabled reports whether the bucket's ACLs (and its objects') take
// part in authorization: not when ownership is BucketOwnerEnforced.
func (b *bucketRec) aclsEnabled() bool { return b.Ownership != ownerEnforced }

// encryptionRec is a default encryption setting or an object's encryption.
type encryptionRec struct {
	Algorithm string `json:",omitempty"` // AES256 (also for ""), aws:kms, aws:kms:dsse
	KMSKeyID  string `json:",omitempty"`
	BucketKey bool   `json:",omitempty"`
}

func (e encryptionRec) algorithm() string {
	if e.Algorithm == "" {
		return sseS3
	}
	return e.Algorithm
}

// Server-side encryption algorithms.
const (
	sseS3      = "AES256"
	sseKMS     = "aws:kms"
	sseKMSDSSE = "aws:kms:dsse"
)

// objectRec is an object: its metadata and where its ciphertext lives.
type objectRec struct {
	Size     int64
	ETag     string // quoted
	Modified time.Time
	Owner    string // account ID
	Headers  contentHeaders
	Metadata map[string]string `json:",omitempty"`
	Storage  string            `json:",omitempty"` // storage class; "" = STANDARD
	ACL      []grantRec        `json:",omitempty"`
	Tags     []Tag             `json:",omitempty"`
	SSE      sealedKey
	// Blobs hold the ciphertext: one for a simple upload, one per part
	// for a multipart upload, in order.
	Blobs    []blobRec
	Checksum *checksumRec `json:",omitempty"`
}

// contentHeaders are the standard headers S3 stores with an object.
type contentHeaders struct {
	ContentType             string `json:",omitempty"`
	ContentEncoding         string `json:",omitempty"`
	ContentDisposition      string `json:",omitempty"`
	ContentLanguage         string `json:",omitempty"`
	CacheControl            string `json:",omitempty"`
	Expires                 string `json:",omitempty"`
	WebsiteRedirectLocation string `json:",omitempty"`
}

// blobRec is one blob of an object: plaintext size and opaque key.
// Inline blobs (small single-PUT objects) are kept sealed in the metadata
// store, table tblInline under the same key, instead of the blob store.
type blobRec struct {
	Key    string
	Size   int64
	Inline bool `json:",omitempty"`
}

// sealedKey is an object's (or an upload's) data key, wrapped.
type sealedKey struct {
	encryptionRec
	Sealed []byte
	// Binding is what the wrapped key is bound to (the additional data
	// of its sealing): the object's first blob key, or the upload ID.
	Binding string
	// Context is the caller's SSE-KMS encryption context, if any.
	Context map[string]string `json:",omitempty"`
}

// checksumRec is the full-object checksum an upload declared.
type checksumRec struct {
	Algorithm string // CRC32, CRC32C, CRC64NVME, SHA1, SHA256, SHA512
	Value     string // base64
}

// uploadRec is a multipart upload in progress.
type uploadRec struct {
	Bucket    string
	Key       string
	UploadID  string
	Initiated time.Time
	Owner     string // account ID of the initiator
	Initiator string // principal ARN of the initiator
	Headers   contentHeaders
	Metadata  map[string]string `json:",omitempty"`
	Storage   string            `json:",omitempty"`
	ACL       []grantRec        `json:",omitempty"`
	Tags      []Tag             `json:",omitempty"`
	SSE       sealedKey
	Checksum  string `json:",omitempty"` // the checksum algorithm parts use
}

// partRec is an uploaded part.
type partRec struct {
	Number   int32
	ETag     string // quoted
	Size     int64
	Modified time.Time
	Blob     string
	MD5      []byte
}

func loadBucket(tx store.Tx, name string) (*bucketRec, error) {
	var b bucketRec
	if err := store.GetJSON(tx, tblBuckets, name, &b); err != nil {
		if isNotFound(err) {
			return nil, noSuchBucket()
		}
		return nil, fmt.Errorf("load bucket %s: %w", name, err)
	}
	return &b, nil
}

func saveBucket(tx store.Tx, b *bucketRec) error {
	return store.PutJSON(tx, tblBuckets, b.Name, b)
}

// loadObject returns the object, or nil when there is none.
func loadObject(tx store.Tx, bucket, key string) (*objectRec, error) {
	var o objectRec
	if err := store.GetJSON(tx, tblObjects, objectKey(bucket, key), &o); err != nil {
		if isNotFound(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("load object: %w", err)
	}
	return &o, nil
}

func loadUpload(tx store.Tx, bucket, key, uploadID string) (*uploadRec, error) {
	var u uploadRec
	if err := store.GetJSON(tx, tblUploads, uploadKey(bucket, key, uploadID), &u); err != nil {
		if isNotFound(err) {
			return nil, noSuchUpload()
		}
		return nil, fmt.Errorf("load upload: %w", err)
	}
	return &u, nil
}

// release drops, in tx, the inline blobs of an object that tx replaces or
// deletes, and returns the keys of its blobs in the blob store, for the
// caller to delete once tx has committed.
func (o *objectRec) release(tx store.Tx) ([]string, error) {
	if o == nil {
		return nil, nil
	}
	var keys []string
	for _, b := range o.Blobs {
		if !b.Inline {
			keys = append(keys, b.Key)
			continue
		}
		if err := tx.Delete(tblInline, b.Key); err != nil && !isNotFound(err) {
			return nil, fmt.Errorf("drop inline blob: %w", err)
		}
	}
	return keys, nil
}
