package logs

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// CreateLogStream creates a log stream in a log group.
func (s *Service) CreateLogStream(ctx context.Context, c *cairn.Call, in *CreateLogStreamInput) (*Empty, error) {
	ref, err := ownGroup(c, in.LogGroupName)
	if err != nil {
		return nil, err
	}
	if err := validateName("logStreamName", in.LogStreamName); err != nil {
		return nil, err
	}
	err = s.update(ctx, func(tx store.Tx) error {
		g, err := getGroup(tx, ref)
		if err != nil {
			return err
		}
		_, err = createStream(tx, g, in.LogStreamName, s.now(c).UnixMilli())
		return err
	})
	if err != nil {
		return nil, wrap("create log stream", err)
	}
	return &Empty{}, nil
}

// createStream inserts a stream and numbers it; it returns streamExists
// when the name is taken.
func createStream(tx store.Tx, g *groupRec, name string, now int64) (*streamRec, error) {
	g.NextStream++
	st := &streamRec{ID: g.NextStream, Name: name, Created: now}
	err := store.InsertJSON(tx, tblStreams, streamKey(g.ID, name), st)
	if err == cairn.ErrExists {
		return nil, streamExists()
	}
	if err != nil {
		return nil, err
	}
	return st, store.PutJSON(tx, tblGroups, g.key(), g)
}

// getStream reads a stream, or returns streamNotFound.
func getStream(tx store.Tx, g *groupRec, name string) (*streamRec, error) {
	var st streamRec
	err := store.GetJSON(tx, tblStreams, streamKey(g.ID, name), &st)
	if isNotFound(err) {
		return nil, streamNotFound()
	}
	if err != nil {
		return nil, err
	}
	return &st, nil
}

// DeleteLogStream deletes a stream at once; its events are deleted by the
// sweep and are unreachable meanwhile.
func (s *Service) DeleteLogStream(ctx context.Context, c *cairn.Call, in *DeleteLogStreamInput) (*Empty, error) {
	ref, err := ownGroup(c, in.LogGroupName)
	if err != nil {
		return nil, err
	}
	if err := validateName("logStreamName", in.LogStreamName); err != nil {
		return nil, err
	}
	err = s.update(ctx, func(tx store.Tx) error {
		g, err := getGroup(tx, ref)
		if err != nil {
			return err
		}
		if g.DeletionProtection {
			return deletionProtected()
		}
		st, err := getStream(tx, g, in.LogStreamName)
		if err != nil {
			return err
		}
		if err := tx.Delete(tblStreams, streamKey(g.ID, st.Name)); err != nil {
			return err
		}
		g.StoredBytes -= st.StoredBytes
		if err := store.PutJSON(tx, tblGroups, g.key(), g); err != nil {
			return err
		}
		return tx.Put(tblTrash, strings.TrimSuffix(indexPrefix(g.ID, st.ID), "/"), []byte(st.Name))
	})
	if err != nil {
		return nil, wrap("delete log stream", err)
	}
	return &Empty{}, nil
}

const (
	orderByName      = "LogStreamName"
	orderByEventTime = "LastEventTime"
)

// DescribeLogStreams lists a group's streams by name (with an optional
// prefix) or by the time of their last event, either way round.
func (s *Service) DescribeLogStreams(ctx context.Context, c *cairn.Call, in *DescribeLogStreamsInput) (*DescribeLogStreamsOutput, error) {
	ref, err := identify(c, in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	limit, err := limitOf("limit", in.Limit, maxDescribe, maxDescribe)
	if err != nil {
		return nil, err
	}
	order := orderByName
	if in.OrderBy != nil {
		order = *in.OrderBy
	}
	if order != orderByName && order != orderByEventTime {
		return nil, validation("orderBy", order, "Member must satisfy enum value set: [LogStreamName, LastEventTime]")
	}
	prefix := ""
	if in.LogStreamNamePrefix != nil {
		if order == orderByEventTime {
			return nil, invalidParameter("Cannot order by LastEventTime with a logStreamNamePrefix.")
		}
		if err := validateName("logStreamNamePrefix", *in.LogStreamNamePrefix); err != nil {
			return nil, err
		}
		prefix = *in.LogStreamNamePrefix
	}
	desc := in.Descending != nil && *in.Descending
	after, err := decodeNameToken(in.NextToken, "s")
	if err != nil {
		return nil, err
	}
	var g *groupRec
	var streams []streamRec
	err = s.view(ctx, func(tx store.Tx) error {
		var err error
		if g, err = getGroup(tx, ref); err != nil {
			return err
		}
		return tx.Scan(tblStreams, streamKey(g.ID, prefix), "", 0, func(_ string, v []byte) error {
			var st streamRec
			if err := decodeJSON(v, &st); err != nil {
				return err
			}
			streams = append(streams, st)
			return nil
		})
	})
	if err != nil {
		return nil, wrap("describe log streams", err)
	}
	// A total order on (sort key, name) so that a page resumes after the
	// last stream it returned, whatever changed meanwhile.
	sortKey := func(st *streamRec) string {
		if order == orderByEventTime {
			return eventTimeKey(st.LastEvent) + st.Name
		}
		return st.Name
	}
	slices.SortFunc(streams, func(a, b streamRec) int {
		r := strings.Compare(sortKey(&a), sortKey(&b))
		if desc {
			r = -r
		}
		return r
	})
	out := &DescribeLogStreamsOutput{LogStreams: []LogStream{}}
	for i := range streams {
		k := sortKey(&streams[i])
		if after != "" && (!desc && k <= after || desc && k >= after) {
			continue
		}
		if len(out.LogStreams) == limit {
			out.NextToken = encodeNameToken("s", sortKey(&streams[i-1]))
			break
		}
		out.LogStreams = append(out.LogStreams, streams[i].describe(g))
	}
	return out, nil
}

// eventTimeKey makes last-event times sort as strings; streams without
// events sort first.
func eventTimeKey(ms int64) string {
	s := strconv.FormatInt(ms, 10)
	return strings.Repeat("0", 20-len(s)) + s + "/"
}

func (st *streamRec) describe(g *groupRec) LogStream {
	ls := LogStream{
		LogStreamName: st.Name,
		CreationTime:  st.Created,
		Arn:           StreamARN(g.Region, g.Account, g.Name, st.Name),
	}
	if st.LastIngestion != 0 {
		first, last, ing := st.FirstEvent, st.LastEvent, st.LastIngestion
		ls.FirstEventTimestamp, ls.LastEventTimestamp, ls.LastIngestionTime = &first, &last, &ing
	}
	if st.Token != "" {
		tok := st.Token
		ls.UploadSequenceToken = &tok
	}
	return ls
}
