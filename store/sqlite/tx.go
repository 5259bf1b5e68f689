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
	stmts    *stmtCache // of the pool tx belongs to
}

// exec, queryRow and query run a cached prepared statement in the
// transaction.
func (t *txn) exec(q string, args ...any) (sql.Result, error) {
	if st := t.stmts.in(t.ctx, t.tx, q); st != nil {
		return st.ExecContext(t.ctx, args...)
	}
	return t.tx.ExecContext(t.ctx, q, args...)
}

func (t *txn) queryRow(q string, args ...any) *sql.Row {
	if st := t.stmts.in(t.ctx, t.tx, q); st != nil {
		return st.QueryRowContext(t.ctx, args...)
	}
	return t.tx.QueryRowContext(t.ctx, q, args...)
}

func (t *txn) query(q string, args ...any) (*sql.Rows, error) {
	if st := t.stmts.in(t.ctx, t.tx, q); st != nil {
		return st.QueryContext(t.ctx, args...)
	}
	return t.tx.QueryContext(t.ctx, q, args...)
}

func (t *txn) Get(table, key string) ([]byte, error) {
	var v []byte
	err := t.queryRow(qGet, table, key).Scan(&v)
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
	if len(value) > largeValue {
		id, err := t.putLarge(value)
		if err != nil {
			return fmt.Errorf("insert %s/%s: %w", table, key, err)
		}
		res, err := t.exec(qInsertLarge, table, key, id)
		if err != nil {
			return fmt.Errorf("insert %s/%s: %w", table, key, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := t.exec(qDeleteLarge, id); err != nil {
				return fmt.Errorf("insert %s/%s: %w", table, key, err)
			}
			return cairn.ErrExists
		}
		return nil
	}
	res, err := t.exec(qInsert, table, key, value)
	if err != nil {
		return fmt.Errorf("insert %s/%s: %w", table, key, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return cairn.ErrExists
	}
	return nil
}

// largeValue is the size past which a value is stored in kv_large rather
// than in its kv row (see migrations/0002_kv_large.sql). Rows of a few KiB
// (S3's inline objects) overflow their pages in the WITHOUT ROWID kv table
// and make every insert near them split and copy pages: at 2 KiB, small
// PUTs went from about 2,400 to 3,000 per second.
const largeValue = 2 << 10

// The select list and join that read a value wherever it lives.
const (
	value     = `COALESCE(l.v, kv.v)`
	joinLarge = `LEFT JOIN kv_large l ON l.id = kv.large`
)

// The statements of the key-value store, prepared once per pool
// (stmtCache).
const (
	qGet         = `SELECT ` + value + ` FROM kv ` + joinLarge + ` WHERE kv.tbl = ? AND kv.k = ?`
	qInsert      = `INSERT INTO kv (tbl, k, v) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`
	qInsertLarge = `INSERT INTO kv (tbl, k, v, large) VALUES (?, ?, x'', ?) ON CONFLICT DO NOTHING`
	qPut         = `INSERT INTO kv (tbl, k, v) VALUES (?, ?, ?) ON CONFLICT (tbl, k) DO UPDATE SET v = excluded.v, large = excluded.large`
	qPutLargeRef = `INSERT INTO kv (tbl, k, v, large) VALUES (?, ?, x'', ?) ON CONFLICT (tbl, k) DO UPDATE SET v = excluded.v, large = excluded.large`
	qPutLarge    = `INSERT INTO kv_large (v) VALUES (?)`
	qDeleteLarge = `DELETE FROM kv_large WHERE id = ?`
	qDelete      = `DELETE FROM kv WHERE tbl = ? AND k = ?`
	qSavepoint   = `SAVEPOINT w`
	qRollbackTo  = `ROLLBACK TO w`
	qRelease     = `RELEASE w`
)

// scanQuery is Scan's statement: after a key, within a prefix's range or
// not, with a limit or not.
func scanQuery(prefix, limit bool) string {
	q := `SELECT kv.k, ` + value + ` FROM kv ` + joinLarge + ` WHERE kv.tbl = ? AND kv.k > ?`
	if prefix {
		q += ` AND kv.k >= ? AND kv.k < ?`
	}
	q += ` ORDER BY kv.k`
	if limit {
		q += ` LIMIT ?`
	}
	return q
}

// kvReads lists the statements readers run; kvWrites those only the
// writer runs.
func kvReads() []string {
	return []string{qGet, scanQuery(false, false), scanQuery(false, true), scanQuery(true, false), scanQuery(true, true)}
}

func kvWrites() []string {
	return []string{qInsert, qInsertLarge, qPut, qPutLargeRef, qPutLarge, qDeleteLarge, qDelete,
		qSavepoint, qRollbackTo, qRelease}
}

func (t *txn) putLarge(value []byte) (int64, error) {
	res, err := t.exec(qPutLarge, value)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

func (t *txn) Put(table, key string, value []byte) error {
	if t.readOnly {
		return errReadOnly
	}
	// A replaced large value is deleted by the kv_large_replaced trigger.
	var err error
	if len(value) > largeValue {
		var id int64
		if id, err = t.putLarge(value); err == nil {
			_, err = t.exec(qPutLargeRef, table, key, id)
		}
	} else {
		_, err = t.exec(qPut, table, key, value)
	}
	if err != nil {
		return fmt.Errorf("put %s/%s: %w", table, key, err)
	}
	return nil
}

func (t *txn) Delete(table, key string) error {
	if t.readOnly {
		return errReadOnly
	}
	res, err := t.exec(qDelete, table, key)
	if err != nil {
		return fmt.Errorf("delete %s/%s: %w", table, key, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return cairn.ErrNotFound
	}
	return nil
}

func (t *txn) Scan(table, prefix, after string, limit int, fn func(key string, value []byte) error) error {
	q := scanQuery(prefix != "", limit > 0)
	args := []any{table, after}
	if prefix != "" {
		// Keys with the prefix form the range [prefix, prefix+U+10FFFF):
		// a range scan on the primary key rather than LIKE, which would
		// treat % and _ in keys as wildcards.
		args = append(args, prefix, prefix+"\U0010FFFF")
	}
	if limit > 0 {
		args = append(args, limit)
	}
	rows, err := t.query(q, args...)
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
