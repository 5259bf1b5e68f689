package logs

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/cairnhq/cairn"
)

// Stored aggregates, in the store's KV tables. Storage, not wire.
//
// A log group is one JSON value under its name; everything else it owns is
// keyed by its group ID, a random 64-bit hex string chosen at creation, so
// that group names (which contain /) never need escaping and a group
// created again under a deleted group's name never sees the old group's
// data, which the sweep deletes in the background.
//
// Log events are stored in chunks: one binary value per ingested batch (at
// most 10,000 events, about 1 MB, spanning at most 24 hours), keyed by the
// group, the batch's earliest timestamp and a per-group sequence number.
// A scan of a group's chunks in key order therefore reads big values in
// timestamp order, which is what FilterLogEvents needs; a small per-stream
// index locates a stream's chunks for GetLogEvents, retention and stream
// deletion.
const (
	tblGroups  = "logs_groups"         // <account>/<region>/<group name> → groupRec
	tblStreams = "logs_streams"        // <gid>/<stream name> → streamRec
	tblFilters = "logs_metric_filters" // <gid>/<filter name> → filterRec
	tblChunks  = "logs_chunks"         // <gid>/<min ts>/<seq> → chunk (chunk.go)
	tblIndex   = "logs_stream_chunks"  // <gid>/<sid>/<min ts>/<seq> → indexEntry
	tblTrash   = "logs_trash"          // <gid> or <gid>/<sid> → deleted, data to purge
	tblPoints  = "logs_metric_points"  // <account>/<region>/<series>/<minute> → pointRec
	tblSeries  = "logs_metric_series"  // <account>/<region>/<series> → seriesRec
)

// groupRec is a stored log group.
type groupRec struct {
	ID                 string            `json:"id"`
	Account            string            `json:"account"`
	Region             string            `json:"region"`
	Name               string            `json:"name"`
	Created            int64             `json:"created"` // ms
	Retention          int32             `json:"retention,omitempty"`
	Tags               map[string]string `json:"tags,omitempty"`
	DeletionProtection bool              `json:"deletionProtection,omitempty"`
	StoredBytes        int64             `json:"storedBytes"`
	MetricFilters      int32             `json:"metricFilters"`
	// NextStream and NextChunk number the group's streams and chunks.
	NextStream uint32 `json:"nextStream"`
	NextChunk  uint64 `json:"nextChunk"`
}

func groupKey(account, region, name string) string { return account + "/" + region + "/" + name }

func (g *groupRec) key() string { return groupKey(g.Account, g.Region, g.Name) }

// arn is the log group's ARN without AWS's trailing :* (logGroupArn).
func (g *groupRec) arn() string { return GroupARN(g.Region, g.Account, g.Name) }

// GroupARN is a log group's ARN, without the trailing :*.
func GroupARN(region, account, name string) string {
	return "arn:aws:logs:" + region + ":" + account + ":log-group:" + name
}

// StreamARN is a log stream's ARN.
func StreamARN(region, account, group, stream string) string {
	return GroupARN(region, account, group) + ":log-stream:" + stream
}

// streamRec is a stored log stream.
type streamRec struct {
	ID            uint32 `json:"id"`
	Name          string `json:"name"`
	Created       int64  `json:"created"`
	FirstEvent    int64  `json:"firstEvent,omitempty"`
	LastEvent     int64  `json:"lastEvent,omitempty"`
	LastIngestion int64  `json:"lastIngestion,omitempty"`
	StoredBytes   int64  `json:"storedBytes"`
	// Token is the last uploadSequenceToken handed out, "" before any.
	Token string `json:"token,omitempty"`
}

func streamKey(gid, name string) string { return gid + "/" + name }

// filterRec is a stored metric filter.
type filterRec struct {
	Name            string                 `json:"name"`
	Pattern         string                 `json:"pattern"`
	Transformations []MetricTransformation `json:"transformations"`
	Created         int64                  `json:"created"`
}

func filterKey(gid, name string) string { return gid + "/" + name }

// Chunk keys: fixed-width hex so that key order is (min ts, seq) order.

func chunkKey(gid string, minTS int64, seq uint64) string {
	return fmt.Sprintf("%s/%016x/%016x", gid, uint64(minTS), seq)
}

// chunkKeyFrom is a key sorting just before every chunk key with a min ts
// of at least ts, for Scan's exclusive after.
func chunkKeyFrom(gid string, ts int64) string {
	if ts < 0 {
		ts = 0
	}
	k := chunkKey(gid, ts, 0)
	return k[:len(k)-1] // a strict prefix sorts before the key; no hex key sorts between
}

// parseChunkKey returns the min ts and seq of a chunk key.
func parseChunkKey(gid, key string) (int64, uint64, bool) {
	rest := key[len(gid)+1:]
	if len(rest) != 33 || rest[16] != '/' {
		return 0, 0, false
	}
	ts, err1 := strconv.ParseUint(rest[:16], 16, 64)
	seq, err2 := strconv.ParseUint(rest[17:], 16, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	return int64(ts), seq, true
}

func indexPrefix(gid string, sid uint32) string { return fmt.Sprintf("%s/%08x/", gid, sid) }

func indexKey(gid string, sid uint32, minTS int64, seq uint64) string {
	return fmt.Sprintf("%s%016x/%016x", indexPrefix(gid, sid), uint64(minTS), seq)
}

// indexEntry is what the stream index knows of a chunk.
type indexEntry struct {
	MinTS, MaxTS int64
	Seq          uint64
	Count        int32
	Bytes        int64 // message bytes
}

func (e indexEntry) encode() []byte {
	b := make([]byte, 0, 36)
	b = binary.BigEndian.AppendUint64(b, uint64(e.MinTS))
	b = binary.BigEndian.AppendUint64(b, uint64(e.MaxTS))
	b = binary.BigEndian.AppendUint64(b, e.Seq)
	b = binary.BigEndian.AppendUint32(b, uint32(e.Count))
	b = binary.BigEndian.AppendUint64(b, uint64(e.Bytes))
	return b
}

func decodeIndexEntry(b []byte) (indexEntry, error) {
	if len(b) != 36 {
		return indexEntry{}, errorf("index entry of %d bytes", len(b))
	}
	return indexEntry{
		MinTS: int64(binary.BigEndian.Uint64(b[0:])),
		MaxTS: int64(binary.BigEndian.Uint64(b[8:])),
		Seq:   binary.BigEndian.Uint64(b[16:]),
		Count: int32(binary.BigEndian.Uint32(b[24:])),
		Bytes: int64(binary.BigEndian.Uint64(b[28:])),
	}, nil
}

func isNotFound(err error) bool { return errors.Is(err, cairn.ErrNotFound) }

func decodeJSON(b []byte, v any) error {
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("decode: %w", err)
	}
	return nil
}
