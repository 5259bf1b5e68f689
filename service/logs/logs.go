// Package logs is Amazon CloudWatch Logs: log groups and streams, event
// ingestion (PutLogEvents, and Append for CloudTrail's delivery), reading
// (GetLogEvents) and searching (FilterLogEvents) with the filter pattern
// language of package filterpattern, retention, tags, and metric filters
// whose metrics are aggregated per minute.
//
// Guarantees:
//
//   - Everything is durable in the store: a PutLogEvents that returned is on
//     disk, with the metric data its events produced, in one transaction. A
//     request refused with an error changed nothing.
//   - PutLogEvents applies AWS's batch rules: at most 10,000 events and
//     1,048,576 bytes (26 bytes per event plus the UTF-8 message), events in
//     chronological order, no more than 24 hours between the first and last
//     accepted event; events older than 14 days or than the group's
//     retention, or more than 2 hours in the future, are rejected one by
//     one (rejectedLogEventsInfo) while the rest are stored. Sequence tokens
//     are accepted and ignored, as AWS does now.
//   - GetLogEvents and FilterLogEvents return events in the order AWS
//     documents: timestamp, then ingestion time, then the PutLogEvents
//     request; paging tokens are opaque and stable under concurrent writes.
//   - Retention is enforced: events older than the retention are never
//     returned, and Sweep (run in the background by Run) deletes them, as
//     well as the data of deleted groups and streams.
//   - Metric filters are applied to every ingested event, exactly once: the
//     metric values are added in the ingesting transaction.
//
// The clock and ID source are injected; the service keeps no mutable
// package-level state.
package logs

import (
	"context"
	"sync"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/filterpattern"
	"github.com/cairnhq/cairn/store"
)

// Config is what the service is built from.
type Config struct {
	Store store.Store
	Clock cairn.Clock
	IDs   cairn.IDs
	// Workers is how many goroutines match events in FilterLogEvents
	// (0: one per CPU).
	Workers int
}

// Service serves CloudWatch Logs.
type Service struct {
	cfg      Config
	desc     *cairn.Service
	patterns patternCache
}

// New builds the service.
func New(cfg Config) *Service {
	if cfg.Clock == nil {
		cfg.Clock = cairn.SystemClock{}
	}
	if cfg.IDs == nil {
		cfg.IDs = cairn.RandomIDs{}
	}
	s := &Service{cfg: cfg}
	s.patterns.m = map[string]*filterpattern.Pattern{}
	s.desc = s.descriptor()
	return s
}

// Descriptor is CloudWatch Logs' operation table.
func (s *Service) Descriptor() *cairn.Service { return s.desc }

// now is the call's time, or the clock's for calls from the wiring.
func (s *Service) now(c *cairn.Call) time.Time {
	if c == nil || c.Time.IsZero() {
		return s.cfg.Clock.Now().UTC()
	}
	return c.Time.UTC()
}

// patternCache keeps parsed filter patterns by text: patterns are immutable,
// so a cached one never goes stale. It is bounded by clearing.
type patternCache struct {
	mu sync.Mutex
	m  map[string]*filterpattern.Pattern
}

const maxCachedPatterns = 1024

// parse returns the parsed pattern, or filterpattern's error.
func (c *patternCache) parse(text string) (*filterpattern.Pattern, error) {
	c.mu.Lock()
	p, ok := c.m[text]
	c.mu.Unlock()
	if ok {
		return p, nil
	}
	p, err := filterpattern.Parse(text)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if len(c.m) >= maxCachedPatterns {
		clear(c.m)
	}
	c.m[text] = p
	c.mu.Unlock()
	return p, nil
}

func (s *Service) view(ctx context.Context, fn func(store.Tx) error) error {
	return s.cfg.Store.View(ctx, fn)
}

func (s *Service) update(ctx context.Context, fn func(store.Tx) error) error {
	return s.cfg.Store.Update(ctx, fn)
}
