package logs

import (
	"encoding/binary"
)

// A chunk is one stored batch of a stream's events, sorted by timestamp:
//
//	version (1 byte, 1)
//	stream ID (uvarint), stream name (uvarint length, bytes)
//	ingestion time (varint, ms)
//	event count (uvarint)
//	per event: timestamp minus the previous one (varint), message length (uvarint)
//	the messages, back to back
//
// Messages are contiguous so that the filter pattern prefilter searches a
// whole chunk at once (filterpattern.Pattern.Candidates), and a header
// decodes without touching them.
type chunk struct {
	sid       uint32
	stream    string
	ingestion int64
	ts        []int64
	ends      []int // ends[i] is the end of message i in data
	data      []byte
}

const chunkVersion = 1

func encodeChunk(sid uint32, stream string, ingestion int64, events []InputLogEvent) []byte {
	size := 32 + len(stream) + len(events)*8
	for i := range events {
		size += len(events[i].Message)
	}
	b := make([]byte, 0, size)
	b = append(b, chunkVersion)
	b = binary.AppendUvarint(b, uint64(sid))
	b = binary.AppendUvarint(b, uint64(len(stream)))
	b = append(b, stream...)
	b = binary.AppendVarint(b, ingestion)
	b = binary.AppendUvarint(b, uint64(len(events)))
	prev := int64(0)
	for i := range events {
		b = binary.AppendVarint(b, events[i].Timestamp-prev)
		prev = events[i].Timestamp
		b = binary.AppendUvarint(b, uint64(len(events[i].Message)))
	}
	for i := range events {
		b = append(b, events[i].Message...)
	}
	return b
}

// decodeChunk decodes b into c, reusing c's slices. c.data aliases b.
func decodeChunk(b []byte, c *chunk) error {
	if len(b) == 0 || b[0] != chunkVersion {
		return errorf("chunk: unknown version")
	}
	i := 1
	uv := func() (uint64, bool) {
		v, n := binary.Uvarint(b[i:])
		if n <= 0 {
			return 0, false
		}
		i += n
		return v, true
	}
	sv := func() (int64, bool) {
		v, n := binary.Varint(b[i:])
		if n <= 0 {
			return 0, false
		}
		i += n
		return v, true
	}
	sid, ok := uv()
	if !ok {
		return errorf("chunk: bad header")
	}
	nameLen, ok := uv()
	if !ok || nameLen > uint64(len(b)-i) {
		return errorf("chunk: bad header")
	}
	c.sid = uint32(sid)
	c.stream = string(b[i : i+int(nameLen)])
	i += int(nameLen)
	if c.ingestion, ok = sv(); !ok {
		return errorf("chunk: bad header")
	}
	count, ok := uv()
	if !ok || count > uint64(len(b)) {
		return errorf("chunk: bad header")
	}
	c.ts = c.ts[:0]
	c.ends = c.ends[:0]
	prev, end := int64(0), 0
	for k := uint64(0); k < count; k++ {
		d, ok1 := sv()
		n, ok2 := uv()
		if !ok1 || !ok2 {
			return errorf("chunk: bad event header")
		}
		prev += d
		end += int(n)
		c.ts = append(c.ts, prev)
		c.ends = append(c.ends, end)
	}
	if end != len(b)-i {
		return errorf("chunk: %d message bytes, header says %d", len(b)-i, end)
	}
	c.data = b[i:]
	return nil
}

// start is where message k begins in c.data.
func (c *chunk) start(k int) int {
	if k == 0 {
		return 0
	}
	return c.ends[k-1]
}

func (c *chunk) message(k int) []byte { return c.data[c.start(k):c.ends[k]] }

func (c *chunk) minTS() int64 { return c.ts[0] }
func (c *chunk) maxTS() int64 { return c.ts[len(c.ts)-1] }
