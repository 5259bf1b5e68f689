package sqlite

import (
	"context"
	"database/sql"
	"fmt"
)

// indexSQL adds the lookup attributes of every event past the cursor to
// event_index, in one statement: bulk inserts touch each index page once
// per batch instead of once per event.
const indexSQL = `INSERT INTO event_index (account, region, attr, value, seq)
    SELECT account, region, 'EventId', id, seq FROM events WHERE rowid > ?1
    UNION ALL SELECT account, region, 'EventName', name, seq FROM events WHERE rowid > ?1
    UNION ALL SELECT account, region, 'Username', username, seq FROM events WHERE rowid > ?1 AND username != ''
    UNION ALL SELECT account, region, 'AccessKeyId', access_key_id, seq FROM events WHERE rowid > ?1 AND access_key_id != ''
    UNION ALL SELECT account, region, 'EventSource', source, seq FROM events WHERE rowid > ?1
    UNION ALL SELECT r.account, r.region, 'ResourceType', r.type, r.seq FROM event_resources r
        JOIN events e ON e.account = r.account AND e.region = r.region AND e.seq = r.seq WHERE e.rowid > ?1
    UNION ALL SELECT r.account, r.region, 'ResourceName', r.name, r.seq FROM event_resources r
        JOIN events e ON e.account = r.account AND e.region = r.region AND e.seq = r.seq WHERE e.rowid > ?1
    ON CONFLICT DO NOTHING`

// catchUp indexes every event appended since the last catch-up. Attribute
// lookups call it first, so they always see every committed event; the
// background loop calls it so that the work stays small.
func (s *Store) catchUp(ctx context.Context) error {
	if s.appended.Load() == s.indexed.Load() {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	target := s.appended.Load()
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin index: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	if err := indexPending(ctx, tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit index: %w", err)
	}
	s.indexed.Store(target)
	return nil
}

func indexPending(ctx context.Context, tx *sql.Tx) error {
	var cursor, last int64
	if err := tx.QueryRowContext(ctx, `SELECT last_rowid FROM event_index_cursor WHERE id = 1`).Scan(&cursor); err != nil {
		return fmt.Errorf("read index cursor: %w", err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(rowid), 0) FROM events`).Scan(&last); err != nil {
		return fmt.Errorf("read last event: %w", err)
	}
	if last == cursor {
		return nil
	}
	if last < cursor {
		// Every event was purged and rowids started over.
		cursor = 0
	}
	if _, err := tx.ExecContext(ctx, indexSQL, cursor); err != nil {
		return fmt.Errorf("index events: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE event_index_cursor SET last_rowid = ? WHERE id = 1`, last); err != nil {
		return fmt.Errorf("advance index cursor: %w", err)
	}
	return nil
}
