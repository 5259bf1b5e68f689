// Package store defines Cairn's durable metadata and event storage.
//
// Metadata is kept as opaque values under (table, key) pairs inside
// serializable transactions; services own the encoding of their aggregates.
// Events are appended in batches that are durable when AppendEvents returns,
// each with a sequence number that is strictly increasing within its
// (account, region) stream and never reused.
//
// Every implementation passes the conformance suite in store/storetest.
package store

import (
	"context"
	"time"
)

// Store is the metadata and event storage of one Cairn deployment.
type Store interface {
	// Update runs fn in a read-write transaction, serializable with every
	// other transaction, and commits durably when fn returns nil. If fn
	// returns an error the transaction is rolled back and that error is
	// returned unchanged.
	Update(ctx context.Context, fn func(Tx) error) error
	// View runs fn in a read-only transaction with a consistent snapshot.
	View(ctx context.Context, fn func(Tx) error) error

	// AppendEvents assigns each event its Seq and stores the batch
	// atomically and durably: all of it or none of it.
	AppendEvents(ctx context.Context, events []*Event) error
	// LookupEvents returns events newest first (descending Seq) that
	// match q, at most q.Limit of them.
	LookupEvents(ctx context.Context, q EventQuery) ([]*Event, error)
	// EventsAfter returns up to limit events of one stream with Seq >
	// after, in ascending Seq order.
	EventsAfter(ctx context.Context, account, region string, after int64, limit int) ([]*Event, error)
	// PurgeEvents deletes events older than before and returns how many
	// it deleted.
	PurgeEvents(ctx context.Context, before time.Time) (int64, error)

	// Close releases the store; calls after Close fail.
	Close() error
}

// Tx is one transaction. Keys are compared bytewise; Scan returns keys in
// ascending order.
type Tx interface {
	// Get returns the value under key, or cairn.ErrNotFound.
	Get(table, key string) ([]byte, error)
	// Insert stores a new value, or returns cairn.ErrExists when key is taken.
	Insert(table, key string, value []byte) error
	// Put stores value under key, replacing any previous value.
	Put(table, key string, value []byte) error
	// Delete removes key, or returns cairn.ErrNotFound.
	Delete(table, key string) error
	// Scan calls fn for each key with the given prefix that sorts after
	// the key after ("" = from the start), in ascending key order, until
	// fn returns an error, limit keys were visited (limit <= 0: no limit)
	// or the keys run out. An error from fn other than ErrStop is returned.
	// fn may keep value after it returns (and hand it to other
	// goroutines); it must not modify it.
	Scan(table, prefix, after string, limit int, fn func(key string, value []byte) error) error
}

// ErrStop ends a Scan early without error.
var ErrStop = stopError{}

type stopError struct{}

func (stopError) Error() string { return "stop scan" }
