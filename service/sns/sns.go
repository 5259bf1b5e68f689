// Package sns is Amazon Simple Notification Service for standard topics
// with HTTP and HTTPS subscribers: topics, topic policies (the default
// policy AWS creates, AddPermission and RemovePermission), subscriptions
// confirmed by token or by their SubscribeURL, Publish with message
// attributes and JSON message structures, tags, delivery policies, and
// signed delivery with durable retries.
//
// Guarantees:
//
//   - Authorization is the funnel's: every operation on a topic names the
//     topic's policy as its Target, so cross-account access is exactly what
//     the topic policy grants; confirmation tokens and unsubscribe links
//     are capabilities (Target.Grant) that lift an implicit deny, never an
//     explicit one. Checks the service makes for AWS service principals
//     (CheckPublish, PublishAs) go through the same Authorizer.
//   - A Publish, Subscribe or Unsubscribe returns only once the messages it
//     sends are durably queued in the store, in the same transaction as the
//     change itself: a restart loses no delivery. Deliveries are attempted
//     at least once; a failing endpoint is retried per its effective
//     delivery policy, then the message is discarded, as AWS does.
//   - Delivery never blocks the API or other subscribers: Run's workers
//     attempt deliveries with a per-attempt timeout and at most a few at a
//     time per endpoint.
//   - Messages are signed as AWS signs them (SignatureVersion 1,
//     SHA1withRSA, or 2, SHA256withRSA) with an RSA-2048 key made on first
//     use, sealed under the root key at rest; its self-signed certificate is
//     served at SigningCertURL. Message bodies are customer data and
//     confirmation tokens secrets: queued deliveries are sealed at rest,
//     tokens are stored as SHA-256 hashes, and neither appears in a log line
//     or an event.
//
// The service knows no wire: HTTP delivery goes through the injected
// Poster, and the wiring serves the signing certificate.
package sns

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// Poster sends one HTTP POST to a subscriber's endpoint and returns the
// response's status code, or an error when no response arrived (refused,
// reset, timed out: ctx carries the attempt's deadline). It must not follow
// redirects: a delivery succeeds on a 2xx status only.
type Poster interface {
	Post(ctx context.Context, url string, header map[string]string, body []byte) (status int, err error)
}

// Authorizer decides a call as the funnel's authorize step does
// (authz.Authorizer); SNS asks it for the calls AWS service principals
// make (CheckPublish, PublishAs).
type Authorizer interface {
	Authorize(ctx context.Context, c *cairn.Call, op *cairn.Operation, in any) error
}

// Event is a call SNS served outside the funnel (a Publish an AWS service
// made), for the Recorder.
type Event struct {
	Call    *cairn.Call
	Service *cairn.Service
	Op      *cairn.Operation
	Input   any
	Output  any // nil on error
	Err     *cairn.Error
	// Recipient is the account the event belongs to: the topic owner's.
	Recipient string
}

// Recorder makes the events of calls served outside the funnel durable.
type Recorder interface {
	RecordEvent(ctx context.Context, e *Event) error
}

// Config is what the service is built from.
type Config struct {
	Store  store.Store
	Sealer cairn.Sealer
	Clock  cairn.Clock
	IDs    cairn.IDs
	// Endpoint is Cairn's public base URL (http://127.0.0.1:4566): the
	// SubscribeURL, UnsubscribeURL and SigningCertURL of every message are
	// built on it.
	Endpoint string
	// Poster delivers to HTTP and HTTPS endpoints; nil leaves deliveries
	// queued (tests of the API alone).
	Poster Poster
	// Authorizer decides the calls of AWS service principals; nil allows
	// them all (tests of the service alone). The wiring always sets it.
	Authorizer Authorizer
	// Recorder records PublishAs calls; nil records none.
	Recorder Recorder
	Log      *slog.Logger
	// Workers is the number of deliveries attempted at once (default 8).
	Workers int
	// DeliveryTimeout bounds one delivery attempt (default 15 s, as AWS
	// waits for an HTTP endpoint).
	DeliveryTimeout time.Duration
	// PollInterval is how often Run looks at the queue when nothing wakes
	// it (default 1 s); it also notices a clock that jumped.
	PollInterval time.Duration
}

// Service serves SNS.
type Service struct {
	cfg  Config
	desc *cairn.Service
	keys signingKeys
	q    queueState
}

// New builds the SNS service.
func New(cfg Config) *Service {
	if cfg.Clock == nil {
		cfg.Clock = cairn.SystemClock{}
	}
	if cfg.IDs == nil {
		cfg.IDs = cairn.RandomIDs{}
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 8
	}
	if cfg.DeliveryTimeout <= 0 {
		cfg.DeliveryTimeout = 15 * time.Second
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = time.Second
	}
	s := &Service{cfg: cfg}
	s.q.init()
	s.desc = s.descriptor()
	return s
}

// Descriptor is SNS's operation table.
func (s *Service) Descriptor() *cairn.Service { return s.desc }

// UnsignedOperations are the operations SNS serves to requests without a
// signature: the SubscribeURL and UnsubscribeURL of delivered messages
// (server.Binding.Unsigned).
func UnsignedOperations() []string { return []string{"ConfirmSubscription", "Unsubscribe"} }

func (s *Service) view(ctx context.Context, fn func(store.Tx) error) error {
	return s.cfg.Store.View(ctx, fn)
}

func (s *Service) update(ctx context.Context, fn func(store.Tx) error) error {
	return s.cfg.Store.Update(ctx, fn)
}

// now is the call's time, or the clock's for work outside a call.
func (s *Service) now(c *cairn.Call) time.Time {
	if c == nil || c.Time.IsZero() {
		return s.cfg.Clock.Now().UTC()
	}
	return c.Time.UTC()
}

// queueState is the in-memory side of the delivery queue: which queued
// deliveries are being attempted, and the wake-up signal of Run.
type queueState struct {
	wake     chan struct{}
	mu       sync.Mutex
	inflight map[string]string    // delivery ID → endpoint
	perEP    map[string]int       // endpoint → attempts in flight
	nextOK   map[string]time.Time // subscription ARN → earliest next attempt (throttle policy)
}

func (q *queueState) init() {
	q.wake = make(chan struct{}, 1)
	q.inflight = map[string]string{}
	q.perEP = map[string]int{}
	q.nextOK = map[string]time.Time{}
}

// notify wakes Run after deliveries were queued; it never blocks.
func (q *queueState) notify() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}
