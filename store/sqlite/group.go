package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// Group commit. SQLite has one writer and synchronous=FULL makes every
// commit wait for an fsync, so commits, not statements, bound how many
// writes per second the store takes. Writes that arrive while a
// transaction is committing are therefore queued and run together in the
// next transaction, each in a savepoint of its own: a write that fails is
// rolled back to its savepoint alone, the others commit, and one fsync
// makes the whole group durable. Metadata updates and event appends share
// groups, so that a call's write and the events of other calls are made
// durable by the same commit.

// groupWrite is one queued write.
type groupWrite struct {
	ctx context.Context
	fn  func(*sql.Tx) error
	// abort, if set, undoes fn's effects on memory when its writes were
	// rolled back (AppendEvents hands back the sequence numbers).
	abort func()
	err   error
	// panicked holds what fn panicked with, re-raised on the caller's
	// goroutine, where the server's recovery turns it into InternalFailure
	// (a panic on the group's goroutine would end the process).
	panicked any
	done     chan struct{}
}

// writeQueue is the queue of writes waiting for the next group.
type writeQueue struct {
	mu      sync.Mutex
	queue   []*groupWrite
	running bool
}

// commitWrite runs fn in the next group transaction and returns once that
// transaction has committed (nil) or fn or the commit failed.
func (s *Store) commitWrite(ctx context.Context, fn func(*sql.Tx) error, abort func()) error {
	w := &groupWrite{ctx: ctx, fn: fn, abort: abort, done: make(chan struct{})}
	q := &s.writes
	q.mu.Lock()
	q.queue = append(q.queue, w)
	if !q.running {
		q.running = true
		go s.drainWrites()
	}
	q.mu.Unlock()
	<-w.done
	if w.panicked != nil {
		panic(w.panicked)
	}
	return w.err
}

// run calls fn, turning a panic into an error for the group and keeping
// its value for the caller.
func (w *groupWrite) run(tx *sql.Tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			w.panicked = p
			err = fmt.Errorf("write panicked: %v", p)
		}
	}()
	return w.fn(tx)
}

func (s *Store) drainWrites() {
	q := &s.writes
	for {
		q.mu.Lock()
		batch := q.queue
		q.queue = nil
		if len(batch) == 0 {
			q.running = false
			q.mu.Unlock()
			return
		}
		q.mu.Unlock()
		s.commitGroup(batch)
		for _, w := range batch {
			close(w.done)
		}
	}
}

// commitGroup runs the writes of batch in one transaction.
func (s *Store) commitGroup(batch []*groupWrite) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fail := func(err error) {
		for _, w := range batch {
			if w.err == nil {
				w.err = err
				if w.abort != nil {
					w.abort()
				}
			}
		}
	}
	ctx := context.Background()
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		fail(fmt.Errorf("begin: %w", err))
		return
	}
	t := &txn{ctx: ctx, tx: tx, stmts: s.writeStmts} // for the savepoints
	for _, w := range batch {
		if err := w.ctx.Err(); err != nil {
			w.err = err
			continue
		}
		if _, err := t.exec(qSavepoint); err != nil {
			_ = tx.Rollback()
			fail(fmt.Errorf("savepoint: %w", err))
			return
		}
		if werr := w.run(tx); werr != nil {
			w.err = werr
			if w.abort != nil {
				w.abort()
			}
			if _, err := t.exec(qRollbackTo); err != nil {
				_ = tx.Rollback()
				fail(fmt.Errorf("roll back to savepoint: %w", err))
				return
			}
		}
		if _, err := t.exec(qRelease); err != nil {
			_ = tx.Rollback()
			fail(fmt.Errorf("release savepoint: %w", err))
			return
		}
	}
	if err := tx.Commit(); err != nil {
		fail(fmt.Errorf("commit: %w", err))
	}
}
