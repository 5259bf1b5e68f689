// Package sqlite implements store.Store on an embedded SQLite database
// (pure Go driver, no cgo): the default for a single machine.
//
// Guarantees: write transactions are serialized through one connection and
// committed with journal_mode=WAL and synchronous=FULL, so a transaction
// that returned is on disk; readers see committed snapshots and never block
// the writer.
package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"runtime"
	"strconv"
	"sync"

	"github.com/cairnhq/cairn/store"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Store is a SQLite-backed store.Store.
type Store struct {
	write *sql.DB // one connection: SQLite has one writer
	read  *sql.DB
	// mu serializes write transactions in this process so that writers
	// queue here instead of spinning on SQLITE_BUSY.
	mu sync.Mutex
	// writes queues Update and AppendEvents for group commit (group.go).
	writes writeQueue
	// writeStmts and readStmts are the prepared statements of each pool.
	writeStmts, readStmts *stmtCache
	// stop ends the checkpointer; done is closed when it has returned.
	stop chan struct{}
	done chan struct{}
}

var _ store.Store = (*Store)(nil)

// mmapSize is how much of the database file readers map: SQLite's
// compile-time maximum on Linux (SQLITE_MAX_MMAP_SIZE, just under 2 GiB);
// pages past it are read with read(2) as before. Address space costs
// nothing until pages are touched.
const mmapSize = 0x7fff0000

// Open opens (creating if needed) the database file at path and applies
// pending migrations.
func Open(path string) (*Store, error) {
	dsn := func(txlock string) string {
		q := url.Values{}
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(FULL)")
		q.Add("_pragma", "busy_timeout(10000)")
		q.Add("_pragma", "foreign_keys(1)")
		q.Add("_pragma", "cache_size(-65536)") // 64 MiB per connection, for index inserts
		// Each group write runs in a savepoint (group.go), whose journal
		// of the pages it touches spilled to a temporary file past 64 KiB:
		// a write(2) per page, a tenth of the writer's time under load.
		q.Add("_pragma", "temp_store(MEMORY)")
		// Checkpoints run in the background (checkpointer), not inside
		// the commits of callers waiting for their events.
		q.Add("_pragma", "wal_autocheckpoint(0)")
		if txlock == "deferred" {
			// Readers map the database file: large scans (CloudWatch
			// Logs reads its event chunks at hundreds of MB/s) then copy
			// pages from memory instead of issuing a read(2) per page,
			// which halves their cost. Writes and the WAL are unaffected.
			q.Add("_pragma", "mmap_size("+strconv.FormatInt(mmapSize, 10)+")")
		}
		q.Set("_txlock", txlock)
		return "file:" + path + "?" + q.Encode()
	}
	write, err := sql.Open("sqlite", dsn("immediate"))
	if err != nil {
		return nil, fmt.Errorf("open sqlite writer: %w", err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	if err := migrate(write); err != nil {
		write.Close()
		return nil, fmt.Errorf("migrate %s: %w", path, err)
	}
	read, err := sql.Open("sqlite", dsn("deferred"))
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open sqlite reader: %w", err)
	}
	n := runtime.GOMAXPROCS(0) * 2
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	writeStmts, err := newStmtCache(context.Background(), write, append(append(kvReads(), kvWrites()...), eventWrites()...))
	if err != nil {
		write.Close()
		read.Close()
		return nil, fmt.Errorf("open sqlite writer: %w", err)
	}
	readStmts, err := newStmtCache(context.Background(), read, kvReads())
	if err != nil {
		writeStmts.close()
		write.Close()
		read.Close()
		return nil, fmt.Errorf("open sqlite reader: %w", err)
	}
	s := &Store{write: write, read: read, stop: make(chan struct{}), done: make(chan struct{}),
		writeStmts: writeStmts, readStmts: readStmts}
	go s.checkpointer(checkpointInterval)
	return s, nil
}

// Close stops the checkpointer and closes both connection pools.
func (s *Store) Close() error {
	close(s.stop)
	<-s.done
	s.writeStmts.close()
	s.readStmts.close()
	errR := s.read.Close()
	errW := s.write.Close()
	if errW != nil {
		return fmt.Errorf("close sqlite: %w", errW)
	}
	if errR != nil {
		return fmt.Errorf("close sqlite: %w", errR)
	}
	return nil
}

// Update runs fn in a write transaction, group-committed with the writes
// queued with it (group.go): fn's writes are durable when Update returns
// nil, and rolled back alone when fn fails. Its statements are not
// interrupted by ctx once fn has started, since they share the group's
// transaction; a ctx done before that fails the write with ctx.Err().
func (s *Store) Update(ctx context.Context, fn func(store.Tx) error) error {
	return s.commitWrite(ctx, func(tx *sql.Tx) error {
		return fn(&txn{ctx: context.WithoutCancel(ctx), tx: tx, stmts: s.writeStmts})
	}, nil)
}

// View runs fn in a read-only snapshot.
func (s *Store) View(ctx context.Context, fn func(store.Tx) error) error {
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("begin read: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only: nothing to keep
	return fn(&txn{ctx: ctx, tx: tx, readOnly: true, stmts: s.readStmts})
}
