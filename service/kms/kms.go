// Package kms is AWS Key Management Service for symmetric encryption keys:
// keys, aliases (including AWS managed aliases created on first use), key
// policies with the default policy and the lockout safety check, envelope
// encryption (Encrypt, Decrypt, ReEncrypt, GenerateDataKey*), rotation,
// grants, tags and scheduled deletion.
//
// Guarantees:
//
//   - Key material (256 bits per key version) exists in plaintext only in
//     memory; at rest it is sealed under the deployment's root key
//     (cairn.Sealer) with the key ARN and version as additional data. It is
//     never logged and never part of an event or an error.
//   - Ciphertext blobs are opaque, versioned and self-describing (format,
//     key owner, key ID, key version, nonce, ciphertext, tag): Decrypt needs
//     no KeyId, and ciphertexts made before a rotation still decrypt. The
//     encryption context is bound as AES-256-GCM additional data, so a
//     wrong or missing context fails with InvalidCiphertextException.
//   - Authorization is the funnel's, the KMS way: every key operation names
//     the key as its Target with the key policy required to allow on its
//     own (an identity policy counts only where the key policy delegates to
//     the account), grants as a further allow source, and the KMS condition
//     keys. Calls that AWS services make on a caller's behalf
//     (GenerateDataKeyFor, DecryptFor) are authorized as the original
//     caller through the same Authorizer, with kms:ViaService and
//     aws:CalledVia, and recorded with invokedBy.
//   - Keys pending deletion are deleted for real when due by Sweep, which
//     the wiring runs in the background (Run); the clock is injected.
//
// Key records are cached in memory (the service is the only writer of its
// tables); every write empties the cache after it commits, and a read that
// raced a write never refills it with what it read.
package kms

import (
	"context"
	"sync"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// Authorizer decides a call as the funnel's authorize step does
// (authz.Authorizer): KMS asks it for the checks it makes itself (the
// destination key of ReEncrypt, the lockout safety check, calls made on a
// caller's behalf, CloudTrail's key check).
type Authorizer interface {
	Authorize(ctx context.Context, c *cairn.Call, op *cairn.Operation, in any) error
}

// Event is a call KMS served outside the funnel (a call made on a
// caller's behalf by another service), for the Recorder.
type Event struct {
	Call    *cairn.Call
	Service *cairn.Service
	Op      *cairn.Operation
	Input   any
	Output  any // nil on error
	Err     *cairn.Error
	// InvokedBy names the service that made the call on the caller's
	// behalf (s3.amazonaws.com): userIdentity.invokedBy, sourceIPAddress
	// and userAgent, as CloudTrail records such calls.
	InvokedBy string
}

// Recorder makes the events of calls served outside the funnel durable:
// inside a call to Cairn (S3 serving an SSE-KMS object) together with
// that call's own event, before its response goes out; otherwise before
// RecordEvent returns.
type Recorder interface {
	RecordEvent(ctx context.Context, e *Event) error
}

// ServiceEventRecorder is implemented by Recorders that also record what
// KMS does on its own, as CloudTrail's AwsServiceEvent records: DeleteKey
// when a key's waiting period ends, RotateKey for automatic rotation.
type ServiceEventRecorder interface {
	RecordServiceEvent(ctx context.Context, name, account, region, keyARN string, at time.Time) error
}

// Config is what the service is built from.
type Config struct {
	Store  store.Store
	Sealer cairn.Sealer
	Clock  cairn.Clock
	IDs    cairn.IDs
	// Authorizer decides the checks KMS makes itself. Nil allows them all,
	// for tests of the service alone; the wiring always sets it.
	Authorizer Authorizer
	// Recorder records calls made on a caller's behalf; nil records none.
	Recorder Recorder
}

// Service serves KMS.
type Service struct {
	cfg   Config
	cache keyCache
	desc  *cairn.Service
}

// New builds the KMS service.
func New(cfg Config) *Service {
	if cfg.Clock == nil {
		cfg.Clock = cairn.SystemClock{}
	}
	if cfg.IDs == nil {
		cfg.IDs = cairn.RandomIDs{}
	}
	s := &Service{cfg: cfg}
	s.cache.init()
	s.desc = s.descriptor()
	return s
}

// Descriptor is KMS's operation table.
func (s *Service) Descriptor() *cairn.Service { return s.desc }

func (s *Service) view(ctx context.Context, fn func(store.Tx) error) error {
	return s.cfg.Store.View(ctx, fn)
}

// update runs fn in a write transaction and empties the key cache after
// it commits.
func (s *Service) update(ctx context.Context, fn func(store.Tx) error) error {
	err := s.cfg.Store.Update(ctx, fn)
	s.cache.invalidate()
	return err
}

// now is the call's time.
func (s *Service) now(c *cairn.Call) time.Time {
	if c == nil || c.Time.IsZero() {
		return s.cfg.Clock.Now().UTC()
	}
	return c.Time.UTC()
}

// keyCache holds resolved keys and aliases. gen counts writes: a fill
// that began under another generation is dropped.
type keyCache struct {
	mu      sync.RWMutex
	gen     uint64
	keys    map[string]*keyEntry // scopeKey(account, region, key id)
	aliases map[string]string    // scopeKey(account, region, alias) → key id
}

const maxCached = 10000

func (c *keyCache) init() {
	c.keys = make(map[string]*keyEntry)
	c.aliases = make(map[string]string)
}

func (c *keyCache) invalidate() {
	c.mu.Lock()
	c.gen++
	clear(c.keys)
	clear(c.aliases)
	c.mu.Unlock()
}

func (c *keyCache) generation() uint64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.gen
}

func (c *keyCache) key(k string) *keyEntry {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.keys[k]
}

func (c *keyCache) alias(k string) (string, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	id, ok := c.aliases[k]
	return id, ok
}

func (c *keyCache) putKey(gen uint64, k string, e *keyEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return
	}
	if len(c.keys) >= maxCached {
		clear(c.keys)
	}
	c.keys[k] = e
}

func (c *keyCache) putAlias(gen uint64, k, id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return
	}
	if len(c.aliases) >= maxCached {
		clear(c.aliases)
	}
	c.aliases[k] = id
}
