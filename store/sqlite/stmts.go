package sqlite

import (
	"context"
	"database/sql"
	"fmt"
)

// stmtCache holds the key-value statements prepared once per pool: the
// pure-Go SQLite spends a fifth of a write-heavy load parsing SQL when
// every call prepares its statements anew. database/sql keeps a prepared
// statement per connection and prepares it on another connection of the
// pool inside Tx.StmtContext, on the transaction's own connection. The set
// is fixed and prepared at Open: preparing on the pool later could wait
// for the writer's only connection, held by the transaction asking.
type stmtCache struct {
	m map[string]*sql.Stmt // read-only after newStmtCache
}

func newStmtCache(ctx context.Context, db *sql.DB, queries []string) (*stmtCache, error) {
	c := &stmtCache{m: map[string]*sql.Stmt{}}
	for _, q := range queries {
		st, err := db.PrepareContext(ctx, q)
		if err != nil {
			c.close()
			return nil, fmt.Errorf("prepare %q: %w", q, err)
		}
		c.m[q] = st
	}
	return c, nil
}

// in returns q prepared for use in tx, a transaction of the cache's pool,
// or nil when q is not one of the cached statements.
func (c *stmtCache) in(ctx context.Context, tx *sql.Tx, q string) *sql.Stmt {
	st, ok := c.m[q]
	if !ok {
		return nil
	}
	return tx.StmtContext(ctx, st)
}

// close closes every prepared statement.
func (c *stmtCache) close() {
	for _, st := range c.m {
		_ = st.Close()
	}
}
