package logs

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/binary"
	"hash/fnv"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

const maxFilterStreams = 100

// FilterLogEvents searches a log group's events, optionally within a time
// range, in some streams, and by a filter pattern. Events come in AWS's
// order across streams; a page holds up to limit events (10,000 by
// default) and 1 MB.
func (s *Service) FilterLogEvents(ctx context.Context, c *cairn.Call, in *FilterLogEventsInput) (*FilterLogEventsOutput, error) {
	ref, err := identify(c, in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	if in.LogStreamNames != nil && in.LogStreamNamePrefix != nil {
		return nil, invalidParameter("logStreamNames and logStreamNamePrefix are mutually exclusive parameters.")
	}
	if in.LogStreamNames != nil {
		if n := len(in.LogStreamNames); n == 0 || n > maxFilterStreams {
			return nil, validation("logStreamNames", "[…]", "Member must have length between 1 and 100")
		}
		for _, n := range in.LogStreamNames {
			if err := validateName("logStreamNames.member", n); err != nil {
				return nil, err
			}
		}
	}
	if in.LogStreamNamePrefix != nil {
		if err := validateName("logStreamNamePrefix", *in.LogStreamNamePrefix); err != nil {
			return nil, err
		}
	}
	limit, err := limitOf("limit", in.Limit, maxPageEvents, maxPageEvents)
	if err != nil {
		return nil, err
	}
	sel := newSelection()
	if err := timeRange(&sel, in.StartTime, in.EndTime, true); err != nil {
		return nil, err
	}
	if in.FilterPattern != nil {
		text, err := validatePattern(in.FilterPattern)
		if err != nil {
			return nil, err
		}
		if sel.pattern, err = s.patterns.parse(text); err != nil {
			return nil, invalidFilterPattern()
		}
	}
	var g *groupRec
	sids := map[uint32]bool{}
	streams := 0 // in the group
	err = s.view(ctx, func(tx store.Tx) error {
		var err error
		if g, err = getGroup(tx, ref); err != nil {
			return err
		}
		// The live streams the search covers: chunks of deleted streams
		// (and of streams deleted and created again) are passed over.
		return tx.Scan(tblStreams, streamKey(g.ID, ""), "", 0, func(_ string, v []byte) error {
			var st streamRec
			if err := decodeJSON(v, &st); err != nil {
				return err
			}
			streams++
			switch {
			case in.LogStreamNames != nil && !slices.Contains(in.LogStreamNames, st.Name),
				in.LogStreamNamePrefix != nil && !strings.HasPrefix(st.Name, *in.LogStreamNamePrefix):
				return nil
			}
			sids[st.ID] = true
			return nil
		})
	})
	if err != nil {
		return nil, wrap("filter log events", err)
	}
	sel.sids = func(id uint32) bool { return sids[id] }
	if g.Retention > 0 {
		sel.from = max(sel.from, retentionCutoff(s.now(c), g.Retention))
	}
	from := sel.from - maxSpan.Milliseconds() // the earliest chunk that may reach sel.from
	if in.NextToken != nil {
		tok, err := decodeFilterToken(*in.NextToken, g.ID)
		if err != nil {
			return nil, err
		}
		sel.after = &tok.last
		from = tok.resumeTS // the resume chunk and any with its timestamp
	}
	m := &merger{page: page{limit: limit}}
	switch {
	case len(sids) == 0:
	case len(sids) < streams && len(sids) <= maxFilterStreams:
		// Some streams of many: their chunks, through the stream index.
		ids := make([]uint32, 0, len(sids))
		for id := range sids {
			ids = append(ids, id)
		}
		err = s.readStreams(ctx, g.ID, ids, from, &sel, m)
	default:
		err = s.scanChunks(ctx, g.ID, chunkKeyFrom(g.ID, from), &sel, m)
	}
	if err != nil {
		return nil, wrap("filter log events", err)
	}
	out := &FilterLogEventsOutput{Events: make([]FilteredLogEvent, 0, len(m.page.hits)), SearchedLogStreams: []SearchedLogStream{}}
	for _, h := range m.page.hits {
		out.Events = append(out.Events, FilteredLogEvent{
			LogStreamName: h.stream, Timestamp: h.key.ts, Message: h.msg, IngestionTime: h.key.ing, EventId: h.key.eventID(),
		})
	}
	if m.full {
		last := m.page.hits[len(m.page.hits)-1].key
		resumeTS, _, _ := parseChunkKey(g.ID, m.resume)
		out.NextToken = encodeFilterToken(filterToken{last: last, resumeTS: resumeTS}, g.ID)
	}
	return out, nil
}

// timeRange applies startTime and endTime; endInclusive says whether an
// event at endTime is kept (FilterLogEvents) or not (GetLogEvents).
func timeRange(sel *selection, start, end *int64, endInclusive bool) error {
	if start != nil {
		if *start < 0 {
			return validation("startTime", "", "Member must have value greater than or equal to 0")
		}
		sel.from = *start
	}
	if end != nil {
		if *end < 0 {
			return validation("endTime", "", "Member must have value greater than or equal to 0")
		}
		sel.to = *end
		if !endInclusive {
			sel.to--
		}
	}
	if start != nil && end != nil && *start > *end {
		return invalidParameter("startTime must be less than or equal to endTime.")
	}
	return nil
}

// merger releases hits in AWS's order as chunks are read in key order.
type merger struct {
	heap hitHeap
	page page
	// full is set when the page filled; resume is then the key of the
	// first chunk a next page must read again.
	full   bool
	resume string
}

// chunk takes the hits of the next chunk, whose earliest timestamp is
// minTS; it reports false when the page is full and reading should stop.
func (m *merger) chunk(key string, minTS int64, hits []hit) bool {
	// Nothing in this chunk or after it is earlier than minTS.
	m.release(minTS)
	if m.full {
		m.resumeFrom(key)
		return false
	}
	for _, h := range hits {
		m.heap.push(h)
	}
	return true
}

// finish releases what is left once every chunk has been read.
func (m *merger) finish() {
	m.release(math.MaxInt64)
	if m.full {
		m.resumeFrom(m.heap[0].chunk)
	}
}

// resumeFrom sets resume to the earliest of key and the chunks of the hits
// not yet released.
func (m *merger) resumeFrom(key string) {
	m.resume = key
	for i := range m.heap {
		m.resume = min(m.resume, m.heap[i].chunk)
	}
}

// release moves hits earlier than ts to the page until it is full.
func (m *merger) release(ts int64) {
	for len(m.heap) > 0 && m.heap[0].key.ts < ts {
		if !m.page.add(m.heap[0]) {
			m.full = true
			return
		}
		m.heap.pop()
	}
}

// scanChunks reads a group's chunks from start in key order, stopping past
// the selection's last timestamp or when the page is full. One goroutine
// reads the store while the workers decode and match chunks; the merger
// takes their results in key order.
func (s *Service) scanChunks(ctx context.Context, gid, start string, sel *selection, m *merger) error {
	type result struct {
		hits []hit
		err  error
	}
	type job struct {
		key   string
		minTS int64
		seq   uint64
		val   []byte
		done  chan result // buffered: a worker never waits on it
	}
	workers := s.cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	jobs := make(chan *job, workers)
	order := make(chan *job, 2*workers) // jobs in key order, for the merger
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var c chunk
			may := make([]bool, maxBatchEvents)
			for j := range jobs {
				select {
				case <-stop:
					j.done <- result{}
					continue
				default:
				}
				if err := decodeChunk(j.val, &c); err != nil {
					j.done <- result{err: err}
					continue
				}
				j.done <- result{hits: sel.hits(&c, j.key, j.seq, may)}
			}
		}()
	}
	scanned := make(chan error, 1)
	go func() {
		defer close(order)
		defer close(jobs)
		scanned <- s.view(ctx, func(tx store.Tx) error {
			return tx.Scan(tblChunks, gid+"/", start, 0, func(k string, v []byte) error {
				minTS, seq, ok := parseChunkKey(gid, k)
				if !ok {
					return errorf("chunk key %q", k)
				}
				if minTS > sel.to {
					return store.ErrStop
				}
				j := &job{key: k, minTS: minTS, seq: seq, val: v, done: make(chan result, 1)}
				select {
				case order <- j:
				case <-stop:
					return store.ErrStop
				}
				select {
				case jobs <- j:
				case <-stop:
					return store.ErrStop
				}
				return ctx.Err()
			})
		})
	}()
	var err error
	stopped := false
	for j := range order {
		if stopped {
			continue // drain until the reader sees stop
		}
		r := <-j.done
		switch {
		case r.err != nil:
			err = r.err
		case m.chunk(j.key, j.minTS, r.hits):
			continue
		}
		stopped = true
		close(stop)
	}
	wg.Wait()
	if serr := <-scanned; err == nil {
		err = serr
	}
	if err != nil {
		return err
	}
	if !m.full {
		m.finish()
	}
	return nil
}

// readStreams reads the chunks of some streams whose earliest timestamp is
// at least from, in key order, as scanChunks reads a whole group's.
func (s *Service) readStreams(ctx context.Context, gid string, sids []uint32, from int64, sel *selection, m *merger) error {
	return s.view(ctx, func(tx store.Tx) error {
		var entries []indexEntry
		for _, sid := range sids {
			es, err := streamChunks(tx, gid, sid, sel)
			if err != nil {
				return err
			}
			for _, e := range es {
				if e.MinTS >= from {
					entries = append(entries, e)
				}
			}
		}
		slices.SortFunc(entries, func(a, b indexEntry) int {
			if c := cmp.Compare(a.MinTS, b.MinTS); c != 0 {
				return c
			}
			return cmp.Compare(a.Seq, b.Seq)
		})
		return readEntries(ctx, tx, gid, entries, sel, m)
	})
}

// readEntries reads the chunks of entries, which are in key order, into m
// until the page is full.
func readEntries(ctx context.Context, tx store.Tx, gid string, entries []indexEntry, sel *selection, m *merger) error {
	var c chunk
	may := make([]bool, maxBatchEvents)
	for _, e := range entries {
		hits, err := readChunk(tx, gid, e, sel, &c, may)
		if err != nil {
			return err
		}
		if !m.chunk(chunkKey(gid, e.MinTS, e.Seq), e.MinTS, hits) {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	m.finish()
	return nil
}

// filterToken is where a FilterLogEvents page ended: the last event it
// returned, and the earliest timestamp of the chunks to read again.
type filterToken struct {
	last     evKey
	resumeTS int64
}

const filterTokenVersion = 1

// encodeFilterToken binds the token to its group, so that a token of
// another group is refused rather than misread.
func encodeFilterToken(t filterToken, gid string) *string {
	b := []byte{filterTokenVersion}
	b = binary.BigEndian.AppendUint32(b, groupTag(gid))
	b = binary.BigEndian.AppendUint64(b, uint64(t.last.ts))
	b = binary.BigEndian.AppendUint64(b, uint64(t.last.ing))
	b = binary.BigEndian.AppendUint64(b, t.last.seq)
	b = binary.BigEndian.AppendUint32(b, uint32(t.last.idx))
	b = binary.BigEndian.AppendUint64(b, uint64(t.resumeTS))
	s := base64.RawURLEncoding.EncodeToString(b)
	return &s
}

func decodeFilterToken(s, gid string) (filterToken, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) != 41 || b[0] != filterTokenVersion || binary.BigEndian.Uint32(b[1:]) != groupTag(gid) {
		return filterToken{}, invalidToken()
	}
	t := filterToken{
		last: evKey{
			ts:  int64(binary.BigEndian.Uint64(b[5:])),
			ing: int64(binary.BigEndian.Uint64(b[13:])),
			seq: binary.BigEndian.Uint64(b[21:]),
			idx: int32(binary.BigEndian.Uint32(b[29:])),
		},
		resumeTS: int64(binary.BigEndian.Uint64(b[33:])),
	}
	if t.last.ts < 0 || t.resumeTS < 0 {
		return filterToken{}, invalidToken()
	}
	return t, nil
}

func groupTag(gid string) uint32 {
	h := fnv.New32a()
	_, _ = h.Write([]byte(gid))
	return h.Sum32()
}
