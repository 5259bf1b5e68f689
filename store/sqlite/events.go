package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/cairnhq/cairn/store"
)

// AppendEvents assigns sequence numbers per stream and inserts the batch in
// one durable transaction.
func (s *Store) AppendEvents(ctx context.Context, events []*store.Event) error {
	if len(events) == 0 {
		return nil
	}
	err := s.commitWrite(ctx, func(tx *sql.Tx) error {
		return s.appendEvents(context.WithoutCancel(ctx), tx, events)
	}, func() {
		// The sequence numbers were not taken after all.
		for _, e := range events {
			e.Seq = 0
		}
	})
	if err != nil {
		return fmt.Errorf("append events: %w", err)
	}
	return nil
}

type stream struct{ account, region string }

// The statements AppendEvents runs, prepared once on the writer
// (stmtCache): parsing them anew for every batch cost more than inserting.
const (
	qReserveSeq = `INSERT INTO event_seq (account, region, seq) VALUES (?, ?, ?)
		ON CONFLICT (account, region) DO UPDATE SET seq = seq + excluded.seq RETURNING seq`
	qInsertEvent = `INSERT INTO events (account, region, seq, id, time, name, source,
		read_only, management, username, access_key_id, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	qInsertResource = `INSERT INTO event_resources (account, region, seq, type, name)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`
)

func eventWrites() []string { return []string{qReserveSeq, qInsertEvent, qInsertResource} }

func (s *Store) appendEvents(ctx context.Context, tx *sql.Tx, events []*store.Event) error {
	counts := map[stream]int64{}
	for _, e := range events {
		counts[stream{e.Account, e.Region}]++
	}
	next := make(map[stream]int64, len(counts))
	reserve := s.writeStmts.in(ctx, tx, qReserveSeq)
	for st, n := range counts {
		var last int64
		if err := reserve.QueryRowContext(ctx, st.account, st.region, n).Scan(&last); err != nil {
			return fmt.Errorf("reserve sequence: %w", err)
		}
		next[st] = last - n + 1
	}
	ins := s.writeStmts.in(ctx, tx, qInsertEvent)
	var res *sql.Stmt
	for _, e := range events {
		st := stream{e.Account, e.Region}
		e.Seq = next[st]
		next[st]++
		if _, err := ins.ExecContext(ctx, e.Account, e.Region, e.Seq, e.ID, e.Time.Unix(), e.Name, e.Source,
			e.ReadOnly, e.Management, e.Username, e.AccessKeyID, e.Record); err != nil {
			return fmt.Errorf("insert event: %w", err)
		}
		if !e.Management {
			continue // resources serve lookups, which find management events only
		}
		for _, r := range e.Resources {
			if res == nil {
				res = s.writeStmts.in(ctx, tx, qInsertResource)
			}
			if _, err := res.ExecContext(ctx, e.Account, e.Region, e.Seq, r.Type, r.Name); err != nil {
				return fmt.Errorf("insert event resource: %w", err)
			}
		}
	}
	return nil
}

// LookupEvents answers one LookupEvents page.
func (s *Store) LookupEvents(ctx context.Context, q store.EventQuery) ([]*store.Event, error) {
	where := []string{"e.account = ?", "e.region = ?"}
	args := []any{q.Account, q.Region}
	from := "events e"
	order := "e.seq"
	switch q.AttrKey {
	case "":
	case store.AttrEventID:
		where = append(where, "e.id = ?")
		args = append(args, q.AttrValue)
	case store.AttrEventName:
		where = append(where, "e.name = ?")
		args = append(args, q.AttrValue)
	case store.AttrUsername:
		where = append(where, "e.username = ?")
		args = append(args, q.AttrValue)
	case store.AttrAccessKeyID:
		where = append(where, "e.access_key_id = ?")
		args = append(args, q.AttrValue)
	case store.AttrEventSource:
		where = append(where, "e.source = ?")
		args = append(args, q.AttrValue)
	case store.AttrReadOnly:
		where = append(where, "e.read_only = ?")
		args = append(args, q.AttrValue == "true")
	case store.AttrResourceType, store.AttrResourceName:
		col := "type"
		if q.AttrKey == store.AttrResourceName {
			col = "name"
		}
		where = append(where, "EXISTS (SELECT 1 FROM event_resources r WHERE r.account = e.account AND r.region = e.region AND r.seq = e.seq AND r."+col+" = ?)")
		args = append(args, q.AttrValue)
	default:
		return nil, fmt.Errorf("lookup events: unknown attribute %q", q.AttrKey)
	}
	if !q.Start.IsZero() {
		where = append(where, "e.time >= ?")
		args = append(args, q.Start.Unix())
	}
	if !q.End.IsZero() {
		where = append(where, "e.time <= ?")
		args = append(args, q.End.Unix())
	}
	if q.ManagementOnly || q.AttrKey != "" {
		// Attribute lookups cover management events only: their indexes
		// are partial (migration 0003), and the planner uses them only
		// when the query says so.
		where = append(where, "e.management = 1")
	}
	if q.Before > 0 {
		where = append(where, order+" < ?")
		args = append(args, q.Before)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	query := "SELECT " + eventColumns + " FROM " + from + " WHERE " + strings.Join(where, " AND ") +
		" ORDER BY " + order + " DESC LIMIT ?"
	args = append(args, limit)
	return s.queryEvents(ctx, query, args...)
}

// EventsAfter reads one stream forward from a cursor.
func (s *Store) EventsAfter(ctx context.Context, account, region string, after int64, limit int) ([]*store.Event, error) {
	if limit <= 0 {
		limit = 1000
	}
	return s.queryEvents(ctx, "SELECT "+eventColumns+` FROM events e WHERE e.account = ? AND e.region = ? AND e.seq > ?
		ORDER BY e.seq LIMIT ?`, account, region, after, limit)
}

// purgeChunk bounds how many events one purge transaction deletes, so that
// callers waiting to record events never wait long behind a purge.
const purgeChunk = 10000

// PurgeEvents deletes events recorded before the given time, stream by
// stream and chunk by chunk.
func (s *Store) PurgeEvents(ctx context.Context, before time.Time) (int64, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT account, region, max(seq) FROM events WHERE time < ? GROUP BY account, region`, before.Unix())
	if err != nil {
		return 0, fmt.Errorf("find events to purge: %w", err)
	}
	type cut struct {
		account, region string
		upTo            int64
	}
	var cuts []cut
	for rows.Next() {
		var c cut
		if err := rows.Scan(&c.account, &c.region, &c.upTo); err != nil {
			rows.Close()
			return 0, fmt.Errorf("scan purge stream: %w", err)
		}
		cuts = append(cuts, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("find events to purge: %w", err)
	}
	var total int64
	for _, c := range cuts {
		for {
			n, err := s.purgeStreamChunk(ctx, c.account, c.region, c.upTo, before.Unix())
			total += n
			if err != nil {
				return total, err
			}
			if n < purgeChunk {
				break
			}
		}
	}
	return total, nil
}

// purgeStreamChunk deletes up to purgeChunk of the oldest events of one
// stream with seq <= upTo and time < cut, with their index and resource rows.
func (s *Store) purgeStreamChunk(ctx context.Context, account, region string, upTo, cut int64) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("begin purge: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	var last sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT max(seq) FROM (SELECT seq FROM events WHERE account = ? AND region = ?
		AND seq <= ? AND time < ? ORDER BY seq LIMIT ?)`, account, region, upTo, cut, purgeChunk).Scan(&last); err != nil {
		return 0, fmt.Errorf("find purge chunk: %w", err)
	}
	if !last.Valid {
		return 0, nil
	}
	for _, q := range []string{
		`DELETE FROM event_resources WHERE account = ? AND region = ? AND seq <= ?`,
	} {
		if _, err := tx.ExecContext(ctx, q, account, region, last.Int64); err != nil {
			return 0, fmt.Errorf("purge: %w", err)
		}
	}
	r, err := tx.ExecContext(ctx, `DELETE FROM events WHERE account = ? AND region = ? AND seq <= ?`, account, region, last.Int64)
	if err != nil {
		return 0, fmt.Errorf("purge events: %w", err)
	}
	n, _ := r.RowsAffected()
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("commit purge: %w", err)
	}
	return n, nil
}

const eventColumns = `e.account, e.region, e.seq, e.id, e.time, e.name, e.source, e.read_only, e.management,
	e.username, e.access_key_id, e.record`

func (s *Store) queryEvents(ctx context.Context, query string, args ...any) ([]*store.Event, error) {
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("query events: %w", err)
	}
	defer rows.Close()
	var out []*store.Event
	for rows.Next() {
		e := &store.Event{}
		var t int64
		if err := rows.Scan(&e.Account, &e.Region, &e.Seq, &e.ID, &t, &e.Name, &e.Source, &e.ReadOnly,
			&e.Management, &e.Username, &e.AccessKeyID, &e.Record); err != nil {
			return nil, fmt.Errorf("scan event: %w", err)
		}
		e.Time = time.Unix(t, 0).UTC()
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read events: %w", err)
	}
	if err := s.loadResources(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// loadResources fills in the events' resources: with one range query when
// the events are one stream's and dense in it (EventsAfter's), else one
// query per event.
func (s *Store) loadResources(ctx context.Context, events []*store.Event) error {
	if len(events) > 1 {
		lo, hi := events[0].Seq, events[0].Seq
		one := true
		for _, e := range events {
			lo, hi = min(lo, e.Seq), max(hi, e.Seq)
			one = one && e.Account == events[0].Account && e.Region == events[0].Region
		}
		if one && hi-lo < 4*int64(len(events)) {
			return s.loadResourceRange(ctx, events, lo, hi)
		}
	}
	for _, e := range events {
		rows, err := s.read.QueryContext(ctx, `SELECT type, name FROM event_resources
			WHERE account = ? AND region = ? AND seq = ? ORDER BY type, name`, e.Account, e.Region, e.Seq)
		if err != nil {
			return fmt.Errorf("query event resources: %w", err)
		}
		for rows.Next() {
			var r store.EventResource
			if err := rows.Scan(&r.Type, &r.Name); err != nil {
				rows.Close()
				return fmt.Errorf("scan event resource: %w", err)
			}
			e.Resources = append(e.Resources, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("read event resources: %w", err)
		}
	}
	return nil
}

func (s *Store) loadResourceRange(ctx context.Context, events []*store.Event, lo, hi int64) error {
	bySeq := make(map[int64]*store.Event, len(events))
	for _, e := range events {
		bySeq[e.Seq] = e
	}
	rows, err := s.read.QueryContext(ctx, `SELECT seq, type, name FROM event_resources
		WHERE account = ? AND region = ? AND seq BETWEEN ? AND ? ORDER BY seq, type, name`,
		events[0].Account, events[0].Region, lo, hi)
	if err != nil {
		return fmt.Errorf("query event resources: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var seq int64
		var r store.EventResource
		if err := rows.Scan(&seq, &r.Type, &r.Name); err != nil {
			return fmt.Errorf("scan event resource: %w", err)
		}
		if e := bySeq[seq]; e != nil {
			e.Resources = append(e.Resources, r)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read event resources: %w", err)
	}
	return nil
}
