// Package s3 is Amazon S3 for Cairn: buckets with their policies, ACLs,
// ownership controls, public access blocks, tags and default encryption,
// and objects (simple and multipart uploads, copies, listings, ACLs,
// tags), every one encrypted at rest.
//
// Metadata lives in the store, one JSON value per bucket, object, upload
// and part; object bytes live in the blob store under opaque keys the
// service generates (never the object's key), as sealstream ciphertext
// under a per-object data key that the root key (SSE-S3) or KMS (SSE-KMS,
// through DataKeys) wraps. Uploads are streamed: memory does not grow with
// object size. A blob becomes part of an object only in the metadata
// transaction that follows its durable write, so an upload that fails or
// is interrupted leaves nothing visible.
//
// Authorization is the funnel's: every operation row names its IAM action,
// its resources and S3's condition keys, and its Target gives the policy
// engine the bucket policy with the ACL grants that ownership controls let
// count, translated into equivalent resource-policy statements (see
// authz.go and docs/design.md). Calls the service makes itself on a
// caller's behalf (reading a copy source) or for an AWS service principal
// (CloudTrail's delivery) go through the same Authorizer.
package s3

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/blob"
	"github.com/cairnhq/cairn/store"
)

// Authorizer decides whether a call may perform an operation on its input;
// it is the funnel's authorize step (package authz), which the service
// calls again for the second resource of a copy and for service
// principals. It returns nil to allow, or a *cairn.Error to deny.
type Authorizer interface {
	Authorize(ctx context.Context, c *cairn.Call, op *cairn.Operation, in any) error
}

// Config is what the service is built from.
type Config struct {
	Store store.Store
	Blobs blob.Store
	// Sealer is the root key: it wraps the data keys of SSE-S3 objects.
	Sealer cairn.Sealer
	// KMS supplies the data keys of SSE-KMS objects; nil refuses SSE-KMS
	// with NotImplemented (KMS is not served).
	KMS DataKeys
	// Authorizer decides copy sources and service-principal calls.
	Authorizer Authorizer
	Clock      cairn.Clock
	IDs        cairn.IDs
	// MinPartSize is the smallest size of a multipart upload's parts but
	// the last: 5 MiB, as S3. Tests may lower it.
	MinPartSize int64
	// MaxObjectSize bounds a single PUT: 5 GiB, as S3.
	MaxObjectSize int64
	// Builtin, if set, names the buckets AWS owns (BuiltinBucket): a
	// request for a missing bucket it knows creates that bucket first.
	Builtin func(bucket string) (BuiltinBucket, bool)
}

// Service serves S3.
type Service struct {
	cfg      Config
	sse      DataKeys
	policies *composedCache
	buckets  *recordCache[bucketRec]
	objects  *recordCache[objectRec]
	desc     *cairn.Service
	descOnce sync.Once
	// inline caches inline blobs (sealed): a GET of a small object then
	// needs no read transaction for its bytes.
	inline *inlineCache
}

// Limits S3 documents.
const (
	DefaultMinPartSize   = 5 << 20
	DefaultMaxObjectSize = 5 << 30
	maxParts             = 10000
	maxKeyLength         = 1024
)

// New builds the S3 service.
func New(cfg Config) *Service {
	if cfg.Clock == nil {
		cfg.Clock = cairn.SystemClock{}
	}
	if cfg.IDs == nil {
		cfg.IDs = cairn.RandomIDs{}
	}
	if cfg.MinPartSize == 0 {
		cfg.MinPartSize = DefaultMinPartSize
	}
	if cfg.MaxObjectSize == 0 {
		cfg.MaxObjectSize = DefaultMaxObjectSize
	}
	return &Service{cfg: cfg, sse: RootKeys{Sealer: cfg.Sealer, IDs: cfg.IDs}, policies: newComposedCache(1024),
		buckets: newRecordCache[bucketRec](4096), objects: newRecordCache[objectRec](16384),
		inline: newInlineCache(inlineCacheBytes)}
}

// Store tables.
const (
	tblBuckets = "s3_buckets" // bucket name -> bucketRec
	tblOwned   = "s3_owned"   // account "/" bucket name -> "" (ListBuckets)
	tblObjects = "s3_objects" // bucket "/" object key -> objectRec
	tblUploads = "s3_uploads" // bucket "/" object key "\x00" upload ID -> uploadRec
	tblParts   = "s3_parts"   // upload ID "/" %05d part number -> partRec
	tblInline  = "s3_inline"  // blob key -> sealed bytes of an inline blob
)

// inlineMax is the largest object a single PUT stores inline, sealed in
// the metadata store next to its record, rather than as a file of the
// blob store: creating, syncing and renaming a file per small object
// cost more than the object itself, and an inline object commits with
// its record in one transaction.
const inlineMax = 8 << 10

// inlineCacheBytes bounds the memory that cached inline blobs take.
const inlineCacheBytes = 32 << 20

func objectKey(bucket, key string) string { return bucket + "/" + key }

func uploadKey(bucket, key, uploadID string) string {
	return bucket + "/" + key + "\x00" + uploadID
}

func partKey(uploadID string, n int32) string { return fmt.Sprintf("%s/%05d", uploadID, n) }

func (s *Service) now(c *cairn.Call) time.Time {
	if c != nil && !c.Time.IsZero() {
		return c.Time.UTC()
	}
	return s.cfg.Clock.Now().UTC()
}

func (s *Service) view(ctx context.Context, fn func(store.Tx) error) error {
	return s.cfg.Store.View(ctx, fn)
}

func (s *Service) update(ctx context.Context, fn func(store.Tx) error) error {
	return s.cfg.Store.Update(ctx, fn)
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

func isNotFound(err error) bool { return errors.Is(err, cairn.ErrNotFound) }

// deleteBlobs removes blobs no record refers to any more. A failure
// leaves an unreferenced blob behind (it is never read again); it is not
// the caller's failure.
func (s *Service) deleteBlobs(keys ...string) {
	for _, k := range keys {
		if k == "" {
			continue
		}
		_ = s.cfg.Blobs.Delete(context.Background(), k)
	}
}

// newBlobKey returns an opaque, unique blob key: kind "o" for objects, "p"
// for parts.
func (s *Service) newBlobKey(kind string) string {
	return kind + "/" + hexString(s.cfg.IDs.Token(16))
}

const hexDigits = "0123456789abcdef"

func hexString(b []byte) string {
	out := make([]byte, len(b)*2)
	for i, c := range b {
		out[2*i], out[2*i+1] = hexDigits[c>>4], hexDigits[c&15]
	}
	return string(out)
}
