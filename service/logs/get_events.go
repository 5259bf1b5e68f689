package logs

import (
	"container/heap"
	"context"
	"fmt"
	"math"
	"strconv"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// GetLogEvents reads a stream's events, oldest first within a page: from
// the head forward (startFromHead, or a forward token), or the latest ones
// before the end (the default, or a backward token). Tokens are never
// empty; a token that reached the end comes back unchanged.
func (s *Service) GetLogEvents(ctx context.Context, c *cairn.Call, in *GetLogEventsInput) (*GetLogEventsOutput, error) {
	ref, err := identify(c, in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	if err := validateName("logStreamName", in.LogStreamName); err != nil {
		return nil, err
	}
	limit, err := limitOf("limit", in.Limit, maxPageEvents, maxPageEvents)
	if err != nil {
		return nil, err
	}
	sel := newSelection()
	if err := timeRange(&sel, in.StartTime, in.EndTime, false); err != nil {
		return nil, err
	}
	forward := in.StartFromHead != nil && *in.StartFromHead
	var tok *getToken
	if in.NextToken != nil {
		t, err := parseGetToken(*in.NextToken)
		if err != nil {
			return nil, err
		}
		tok, forward = &t, t.forward
		if forward {
			sel.after = &t.key
		} else {
			sel.before = &t.key
		}
	}
	pg := &page{limit: limit}
	err = s.view(ctx, func(tx store.Tx) error {
		g, err := getGroup(tx, ref)
		if err != nil {
			return err
		}
		st, err := getStream(tx, g, in.LogStreamName)
		if err != nil {
			return err
		}
		if g.Retention > 0 {
			sel.from = max(sel.from, retentionCutoff(s.now(c), g.Retention))
		}
		entries, err := streamChunks(tx, g.ID, st.ID, &sel)
		if err != nil {
			return err
		}
		if forward {
			return readForward(ctx, tx, g.ID, entries, &sel, pg)
		}
		return readBackward(tx, g.ID, entries, &sel, pg)
	})
	if err != nil {
		return nil, wrap("get log events", err)
	}
	out := &GetLogEventsOutput{Events: make([]OutputLogEvent, 0, len(pg.hits))}
	for _, h := range pg.hits {
		out.Events = append(out.Events, OutputLogEvent{Timestamp: h.key.ts, Message: h.msg, IngestionTime: h.key.ing})
	}
	var fwd, back string
	switch {
	case len(pg.hits) > 0:
		fwd = getToken{forward: true, key: pg.hits[len(pg.hits)-1].key}.String()
		back = getToken{key: pg.hits[0].key}.String()
	case tok != nil:
		// The end in the direction asked: the same token comes back.
		fwd = getToken{forward: true, key: tok.key}.String()
		back = getToken{key: tok.key}.String()
	default:
		fwd = getToken{forward: true}.String()
		back = getToken{}.String()
	}
	out.NextForwardToken, out.NextBackwardToken = &fwd, &back
	return out, nil
}

// streamChunks lists the index entries of a stream's chunks that may hold
// events the selection keeps, in key order.
func streamChunks(tx store.Tx, gid string, sid uint32, sel *selection) ([]indexEntry, error) {
	var out []indexEntry
	err := tx.Scan(tblIndex, indexPrefix(gid, sid), "", 0, func(_ string, v []byte) error {
		e, err := decodeIndexEntry(v)
		if err != nil {
			return err
		}
		switch {
		case e.MinTS > sel.to:
			return store.ErrStop
		case e.MaxTS < sel.from,
			sel.after != nil && e.MaxTS < sel.after.ts,
			sel.before != nil && e.MinTS > sel.before.ts:
			return nil
		}
		out = append(out, e)
		return nil
	})
	return out, err
}

func readChunk(tx store.Tx, gid string, e indexEntry, sel *selection, c *chunk, may []bool) ([]hit, error) {
	key := chunkKey(gid, e.MinTS, e.Seq)
	v, err := tx.Get(tblChunks, key)
	if err != nil {
		return nil, fmt.Errorf("chunk %s: %w", key, err)
	}
	if err := decodeChunk(v, c); err != nil {
		return nil, err
	}
	return sel.hits(c, key, e.Seq, may), nil
}

func readForward(ctx context.Context, tx store.Tx, gid string, entries []indexEntry, sel *selection, pg *page) error {
	m := &merger{page: *pg}
	err := readEntries(ctx, tx, gid, entries, sel, m)
	*pg = m.page
	return err
}

// readBackward collects the latest events first: chunks in reverse key
// order, releasing an event once no chunk left to read can hold a later
// one (none ends after it).
func readBackward(tx store.Tx, gid string, entries []indexEntry, sel *selection, pg *page) error {
	// endsBy[i] is the latest timestamp in entries[0..i].
	endsBy := make([]int64, len(entries))
	for i, e := range entries {
		endsBy[i] = e.MaxTS
		if i > 0 {
			endsBy[i] = max(endsBy[i], endsBy[i-1])
		}
	}
	h := &latestFirst{}
	var c chunk
	may := make([]bool, maxBatchEvents)
	full := false
	release := func(bound int64) {
		for !full && h.Len() > 0 && h.hitHeap[0].key.ts > bound {
			if !pg.add(h.hitHeap[0]) {
				full = true
				return
			}
			heap.Pop(h)
		}
	}
	for i := len(entries) - 1; i >= 0 && !full; i-- {
		hits, err := readChunk(tx, gid, entries[i], sel, &c, may)
		if err != nil {
			return err
		}
		for _, x := range hits {
			heap.Push(h, x)
		}
		bound := int64(math.MinInt64)
		if i > 0 {
			bound = endsBy[i-1]
		}
		release(bound)
	}
	release(math.MinInt64)
	// Collected latest first; a page reads oldest first.
	for i, j := 0, len(pg.hits)-1; i < j; i, j = i+1, j-1 {
		pg.hits[i], pg.hits[j] = pg.hits[j], pg.hits[i]
	}
	return nil
}

// latestFirst is a max-heap of hits.
type latestFirst struct{ hitHeap }

func (h latestFirst) Less(i, j int) bool { return h.hitHeap[i].key.cmp(h.hitHeap[j].key) > 0 }

// getToken is a GetLogEvents token: f/ (forward: events after key) or b/
// (backward: events before key) and 56 digits, the shape of AWS's tokens.
type getToken struct {
	forward bool
	key     evKey
}

func (t getToken) String() string {
	d := "b"
	if t.forward {
		d = "f"
	}
	return fmt.Sprintf("%s/%014d%014d%023d%05d", d, t.key.ts, t.key.ing, t.key.seq, t.key.idx)
}

func parseGetToken(s string) (getToken, error) {
	if len(s) != 58 || (s[0] != 'f' && s[0] != 'b') || s[1] != '/' {
		return getToken{}, invalidToken()
	}
	d := s[2:]
	for i := 0; i < len(d); i++ {
		if d[i] < '0' || d[i] > '9' {
			return getToken{}, invalidToken()
		}
	}
	ts, err1 := strconv.ParseInt(d[:14], 10, 64)
	ing, err2 := strconv.ParseInt(d[14:28], 10, 64)
	seq, err3 := strconv.ParseUint(d[28:51], 10, 64)
	idx, err4 := strconv.ParseInt(d[51:], 10, 32)
	if err1 != nil || err2 != nil || err3 != nil || err4 != nil {
		return getToken{}, invalidToken()
	}
	return getToken{forward: s[0] == 'f', key: evKey{ts: ts, ing: ing, seq: seq, idx: int32(idx)}}, nil
}
