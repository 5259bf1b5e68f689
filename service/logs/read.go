package logs

import (
	"cmp"
	"container/heap"
	"fmt"
	"math"
	"unsafe"

	"github.com/cairnhq/cairn/filterpattern"
)

// Reading events: GetLogEvents and FilterLogEvents both visit chunks in key
// order (earliest timestamp, then sequence) and merge the events they keep
// into AWS's order. A chunk spans at most maxSpan, and chunks of concurrent
// streams overlap in time, so an event is released only once every chunk
// that could hold an earlier event has been read: a min-heap holds the
// events read but not yet released.

// evKey is an event's place in AWS's order: timestamp, ingestion time,
// PutLogEvents request (the chunk's sequence number), position in it.
type evKey struct {
	ts, ing int64
	seq     uint64
	idx     int32
}

func (a evKey) cmp(b evKey) int {
	if c := cmp.Compare(a.ts, b.ts); c != 0 {
		return c
	}
	if c := cmp.Compare(a.ing, b.ing); c != 0 {
		return c
	}
	if c := cmp.Compare(a.seq, b.seq); c != 0 {
		return c
	}
	return cmp.Compare(a.idx, b.idx)
}

// eventID renders an event's key as a 56-digit ID, the shape of AWS's.
func (a evKey) eventID() string { return fmt.Sprintf("%040d%016d", a.seq, a.idx) }

// hit is an event kept by a read, not yet released.
type hit struct {
	key    evKey
	stream string
	msg    string
	chunk  string // the key of the chunk it came from
}

type hitHeap []hit

func (h hitHeap) Len() int           { return len(h) }
func (h hitHeap) Less(i, j int) bool { return h[i].key.cmp(h[j].key) < 0 }
func (h hitHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *hitHeap) Push(x any)        { *h = append(*h, x.(hit)) }
func (h *hitHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func (h *hitHeap) push(x hit) { heap.Push(h, x) }
func (h *hitHeap) pop() hit   { return heap.Pop(h).(hit) }

// selection is what a read keeps of a chunk.
type selection struct {
	from, to int64  // timestamps, both inclusive
	after    *evKey // only events after this one (a forward token)
	before   *evKey // only events before this one (a backward token)
	sids     func(uint32) bool
	pattern  *filterpattern.Pattern // nil: every event
}

func newSelection() selection { return selection{from: 0, to: math.MaxInt64} }

// hits returns the events of c (the chunk under key, number seq) that the
// selection keeps, in order. may is scratch space.
func (sel *selection) hits(c *chunk, key string, seq uint64, may []bool) []hit {
	if sel.sids != nil && !sel.sids(c.sid) {
		return nil
	}
	if c.maxTS() < sel.from || c.minTS() > sel.to {
		return nil
	}
	if sel.pattern != nil {
		may = may[:len(c.ts)]
		sel.pattern.Candidates(c.data, c.ends, may)
	}
	var out []hit
	for k, ts := range c.ts {
		if ts < sel.from || ts > sel.to || sel.pattern != nil && !may[k] {
			continue
		}
		ek := evKey{ts: ts, ing: c.ingestion, seq: seq, idx: int32(k)}
		if sel.after != nil && ek.cmp(*sel.after) <= 0 || sel.before != nil && ek.cmp(*sel.before) >= 0 {
			continue
		}
		m := c.message(k)
		if sel.pattern != nil && !sel.pattern.Match(view(m)) {
			continue
		}
		out = append(out, hit{key: ek, stream: c.stream, msg: string(m), chunk: key})
	}
	return out
}

// view is a string over b without copying. b must not change while the
// string is in use: chunk values are never written after they are read.
func view(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// Page limits of GetLogEvents and FilterLogEvents: 10,000 events or 1 MB.
const (
	maxPageEvents = 10000
	maxPageBytes  = 1048576
)

// page collects released events up to the page limits.
type page struct {
	limit int
	bytes int
	hits  []hit
}

// add appends h, or reports false when the page is full.
func (p *page) add(h hit) bool {
	n := len(h.msg) + eventOverhead
	if len(p.hits) >= p.limit || len(p.hits) > 0 && p.bytes+n > maxPageBytes {
		return false
	}
	p.hits = append(p.hits, h)
	p.bytes += n
	return true
}
