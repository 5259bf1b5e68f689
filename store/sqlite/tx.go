package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

type txn struct {
	ctx      context.Context
	tx       *sql.Tx
	readOnly bool
}

func (t *txn) Get(table, key string) ([]byte, error) {
	var v []byte
	err := t.tx.QueryRowContext(t.ctx, `SELECT v FROM kv WHERE tbl = ? AND k = ?`, table, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, cairn.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("get %s/%s: %w", table, key, err)
	}
	return v, nil
}

func (t *txn) Insert(table, key string, value []byte) error {
	if t.readOnly {
		return errReadOnly
	}
	res, err := t.tx.ExecContext(t.ctx, `INSERT INTO kv (tbl, k, v) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, table, key, value)
	if err != nil {
		return fmt.Errorf("insert %s/%s: %w", table, key, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return cairn.ErrExists
	}
	return nil
}

func (t *txn) Put(table, key string, value []byte) error {
	if t.readOnly {
		return errReadOnly
	}
	_, err := t.tx.ExecContext(t.ctx, `INSERT INTO kv (tbl, k, v) VALUES (?, ?, ?) ON CONFLICT (tbl, k) DO UPDATE SET v = excluded.v`, table, key, value)
	if err != nil {
		return fmt.Errorf("put %s/%s: %w", table, key, err)
	}
	return nil
}

func (t *txn) Delete(table, key string) error {
	if t.readOnly {
		return errReadOnly
	}
	res, err := t.tx.ExecContext(t.ctx, `DELETE FROM kv WHERE tbl = ? AND k = ?`, table, key)
	if err != nil {
		return fmt.Errorf("delete %s/%s: %w", table, key, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return cairn.ErrNotFound
	}
	return nil
}

func (t *txn) Scan(table, prefix, after string, limit int, fn func(key string, value []byte) error) error {
	q := `SELECT k, v FROM kv WHERE tbl = ? AND k > ?`
	args := []any{table, after}
	if prefix != "" {
		// Keys with the prefix form the range [prefix, prefix+U+10FFFF):
		// a range scan on the primary key rather than LIKE, which would
		// treat % and _ in keys as wildcards.
		q += ` AND k >= ? AND k < ?`
		args = append(args, prefix, prefix+"\U0010FFFF")
	}
	q += ` ORDER BY k`
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	rows, err := t.tx.QueryContext(t.ctx, q, args...)
	if err != nil {
		return fmt.Errorf("scan %s/%s: %w", table, prefix, err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		// RawBytes skips database/sql's copy of every value: the driver
		// (modernc.org/sqlite, conn.columnBlob) already returns each blob
		// in a slice of its own that it never reuses, so the value stays
		// valid after the next row, as Scan promises (the conformance
		// suite checks it). Scans of large values read them once less.
		var v sql.RawBytes
		if err := rows.Scan(&k, &v); err != nil {
			return fmt.Errorf("scan %s row: %w", table, err)
		}
		if !strings.HasPrefix(k, prefix) {
			continue
		}
		if err := fn(k, v); err != nil {
			if errors.Is(err, store.ErrStop) {
				return nil
			}
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("scan %s: %w", table, err)
	}
	return nil
}

var errReadOnly = errors.New("write in a read-only transaction")
