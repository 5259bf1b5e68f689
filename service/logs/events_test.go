package logs_test

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cairnhq/cairn/service/logs"
)

func ev(ts int64, msg string) logs.InputLogEvent {
	return logs.InputLogEvent{Timestamp: ts, Message: msg}
}

func TestPutLogEventsBatchRules(t *testing.T) {
	e := newEnv(t)
	e.group("g")
	e.stream("g", "s")
	put := func(events ...logs.InputLogEvent) *logs.PutLogEventsInput {
		return &logs.PutLogEventsInput{LogGroupName: "g", LogStreamName: "s", LogEvents: events}
	}
	now := e.ms(0)
	e.fails("ResourceNotFoundException", "PutLogEvents", &logs.PutLogEventsInput{LogGroupName: "nope", LogStreamName: "s", LogEvents: []logs.InputLogEvent{ev(now, "x")}})
	msg := e.fails("ResourceNotFoundException", "PutLogEvents", &logs.PutLogEventsInput{LogGroupName: "g", LogStreamName: "nope", LogEvents: []logs.InputLogEvent{ev(now, "x")}})
	if msg != "The specified log stream does not exist." {
		t.Fatalf("message %q", msg)
	}
	e.fails("InvalidParameterException", "PutLogEvents", put())
	e.fails("InvalidParameterException", "PutLogEvents", put(ev(now, "")))
	msg = e.fails("InvalidParameterException", "PutLogEvents", put(ev(now, "b"), ev(now-1, "a")))
	if msg != "Log events in a single PutLogEvents request must be in chronological order." {
		t.Fatalf("message %q", msg)
	}
	many := make([]logs.InputLogEvent, 10001)
	for i := range many {
		many[i] = ev(now, "x")
	}
	e.fails("InvalidParameterException", "PutLogEvents", put(many...))
	// 1,048,576 bytes counting 26 per event: exactly at the limit passes,
	// one byte more fails.
	big := strings.Repeat("x", 1048576-26-2*26-10)
	exact := []logs.InputLogEvent{ev(now, big), ev(now, "0123456789"), ev(now, "")}
	exact[2].Message = ""
	e.fails("InvalidParameterException", "PutLogEvents", put(exact...)) // empty message
	exact = []logs.InputLogEvent{ev(now, big), ev(now, "0123456789"), ev(now, "z")}
	msg = e.fails("InvalidParameterException", "PutLogEvents", put(exact...))
	if msg != "Upload too large: 1048577 bytes exceeds limit of 1048576" {
		t.Fatalf("message %q", msg)
	}
	e.put("g", "s", exact[:2]...)
	msg = e.fails("InvalidParameterException", "PutLogEvents", put(ev(now-25*3600*1000, "old"), ev(now, "new")))
	if msg != "The batch of log events in a single PutLogEvents request cannot span more than 24 hours." {
		t.Fatalf("message %q", msg)
	}

	// Too old, too new: rejected one by one, the rest stored.
	out := e.put("g", "s",
		ev(e.ms(-15*24*time.Hour), "too old 1"), ev(e.ms(-14*24*time.Hour-time.Minute), "too old 2"),
		ev(e.ms(-time.Hour), "ok 1"), ev(e.ms(time.Hour), "ok 2"),
		ev(e.ms(2*time.Hour+time.Minute), "too new"))
	r := out.RejectedLogEventsInfo
	if r == nil || r.TooOldLogEventEndIndex == nil || *r.TooOldLogEventEndIndex != 2 || r.TooNewLogEventStartIndex == nil ||
		*r.TooNewLogEventStartIndex != 4 || r.ExpiredLogEventEndIndex != nil || out.NextSequenceToken == nil {
		t.Fatalf("rejected %+v", r)
	}
	// The span rule counts accepted events only: 14 days apart is fine
	// when the old ones are rejected.
	got := must[logs.FilterLogEventsOutput](e, "FilterLogEvents", &logs.FilterLogEventsInput{LogGroupName: ptr("g"), FilterPattern: ptr(`"ok"`)})
	if len(got.Events) != 2 || got.Events[0].Message != "ok 1" || got.Events[1].Message != "ok 2" {
		t.Fatalf("stored %+v", got.Events)
	}
	// Past the retention: expired.
	must[logs.Empty](e, "PutRetentionPolicy", &logs.PutRetentionPolicyInput{LogGroupName: "g", RetentionInDays: ptr(int32(1))})
	out = e.put("g", "s", ev(e.ms(-30*time.Hour), "expired"), ev(e.ms(-time.Hour), "kept"))
	r = out.RejectedLogEventsInfo
	if r == nil || r.ExpiredLogEventEndIndex == nil || *r.ExpiredLogEventEndIndex != 1 || r.TooOldLogEventEndIndex != nil || r.TooNewLogEventStartIndex != nil {
		t.Fatalf("rejected %+v", r)
	}
	// Every event rejected: nothing stored, no error.
	out = e.put("g", "s", ev(e.ms(3*time.Hour), "too new"))
	if r := out.RejectedLogEventsInfo; r == nil || *r.TooNewLogEventStartIndex != 0 {
		t.Fatalf("all rejected %+v", r)
	}
	// The sequence token is accepted and ignored, even a wrong one.
	must[logs.PutLogEventsOutput](e, "PutLogEvents", &logs.PutLogEventsInput{LogGroupName: "g", LogStreamName: "s",
		SequenceToken: ptr("49999999999999999999"), LogEvents: []logs.InputLogEvent{ev(now, "with token")}})
}

// A refused batch changes nothing: no events, no stream or group update.
func TestRefusedBatchChangesNothing(t *testing.T) {
	e := newEnv(t)
	e.group("g")
	e.stream("g", "s")
	now := e.ms(0)
	e.fails("InvalidParameterException", "PutLogEvents", &logs.PutLogEventsInput{LogGroupName: "g", LogStreamName: "s",
		LogEvents: []logs.InputLogEvent{ev(now-25*3600*1000, "a"), ev(now, "b")}})
	st := must[logs.DescribeLogStreamsOutput](e, "DescribeLogStreams", &logs.DescribeLogStreamsInput{LogGroupName: ptr("g")}).LogStreams[0]
	g := must[logs.DescribeLogGroupsOutput](e, "DescribeLogGroups", &logs.DescribeLogGroupsInput{}).LogGroups[0]
	f := must[logs.FilterLogEventsOutput](e, "FilterLogEvents", &logs.FilterLogEventsInput{LogGroupName: ptr("g")})
	if st.LastIngestionTime != nil || st.UploadSequenceToken != nil || g.StoredBytes != 0 || len(f.Events) != 0 {
		t.Fatalf("refused batch left traces: %+v %+v %+v", st, g, f.Events)
	}
}

func TestGetLogEvents(t *testing.T) {
	e := newEnv(t)
	e.group("g")
	e.stream("g", "s")
	base := e.ms(-time.Hour)
	// 25 events in 3 batches; the second batch goes back in time.
	var want []string
	put := func(from, n int) {
		var batch []logs.InputLogEvent
		for i := from; i < from+n; i++ {
			batch = append(batch, ev(base+int64(i)*1000, fmt.Sprintf("event %02d", i)))
		}
		e.put("g", "s", batch...)
	}
	put(10, 10)
	put(0, 10)
	put(20, 5)
	for i := 0; i < 25; i++ {
		want = append(want, fmt.Sprintf("event %02d", i))
	}
	get := func(in *logs.GetLogEventsInput) *logs.GetLogEventsOutput {
		in.LogGroupName, in.LogStreamName = ptr("g"), "s"
		return must[logs.GetLogEventsOutput](e, "GetLogEvents", in)
	}
	msgs := func(out *logs.GetLogEventsOutput) []string {
		var m []string
		for _, x := range out.Events {
			m = append(m, x.Message)
		}
		return m
	}
	// From the head, forward, 7 at a time, until the token repeats.
	var got []string
	in := &logs.GetLogEventsInput{StartFromHead: ptr(true), Limit: ptr(int32(7))}
	for pages := 0; ; pages++ {
		out := get(in)
		got = append(got, msgs(out)...)
		if in.NextToken != nil && *out.NextForwardToken == *in.NextToken {
			if len(out.Events) != 0 {
				t.Fatal("events with a repeated token")
			}
			break
		}
		if !strings.HasPrefix(*out.NextForwardToken, "f/") || !strings.HasPrefix(*out.NextBackwardToken, "b/") {
			t.Fatalf("tokens %s %s", *out.NextForwardToken, *out.NextBackwardToken)
		}
		in.NextToken = out.NextForwardToken
		if pages > 10 {
			t.Fatal("no end")
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("forward:\n%v\nwant\n%v", got, want)
	}
	// The default: the latest events, then backward.
	out := get(&logs.GetLogEventsInput{Limit: ptr(int32(10))})
	if !slices.Equal(msgs(out), want[15:]) {
		t.Fatalf("latest %v", msgs(out))
	}
	if out.Events[0].IngestionTime != e.ms(0) || out.Events[0].Timestamp != base+15000 {
		t.Fatalf("event %+v", out.Events[0])
	}
	back := get(&logs.GetLogEventsInput{NextToken: out.NextBackwardToken, Limit: ptr(int32(10))})
	if !slices.Equal(msgs(back), want[5:15]) {
		t.Fatalf("backward %v", msgs(back))
	}
	back = get(&logs.GetLogEventsInput{NextToken: back.NextBackwardToken, Limit: ptr(int32(10))})
	if !slices.Equal(msgs(back), want[:5]) {
		t.Fatalf("backward 2 %v", msgs(back))
	}
	end := get(&logs.GetLogEventsInput{NextToken: back.NextBackwardToken})
	if len(end.Events) != 0 || *end.NextBackwardToken != *back.NextBackwardToken {
		t.Fatalf("at the head: %v %s", msgs(end), *end.NextBackwardToken)
	}
	// Forward from a backward page continues after it.
	fwd := get(&logs.GetLogEventsInput{NextToken: back.NextForwardToken, Limit: ptr(int32(3))})
	if !slices.Equal(msgs(fwd), want[5:8]) {
		t.Fatalf("forward after backward %v", msgs(fwd))
	}
	// Time range: start inclusive, end exclusive.
	r := get(&logs.GetLogEventsInput{StartTime: ptr(base + 3000), EndTime: ptr(base + 6000), StartFromHead: ptr(true)})
	if !slices.Equal(msgs(r), want[3:6]) {
		t.Fatalf("range %v", msgs(r))
	}
	// An empty stream still has tokens.
	e.stream("g", "empty")
	out = must[logs.GetLogEventsOutput](e, "GetLogEvents", &logs.GetLogEventsInput{LogGroupName: ptr("g"), LogStreamName: "empty"})
	if len(out.Events) != 0 || out.NextForwardToken == nil || out.NextBackwardToken == nil || out.Events == nil {
		t.Fatalf("empty stream %+v", out)
	}
	e.fails("ResourceNotFoundException", "GetLogEvents", &logs.GetLogEventsInput{LogGroupName: ptr("g"), LogStreamName: "nope"})
	e.fails("InvalidParameterException", "GetLogEvents", &logs.GetLogEventsInput{LogGroupName: ptr("g"), LogStreamName: "s", NextToken: ptr("f/123")})
	e.fails("InvalidParameterException", "GetLogEvents", &logs.GetLogEventsInput{LogGroupName: ptr("g"), LogStreamName: "s", Limit: ptr(int32(10001))})
}

// FilterLogEvents returns events of every stream in AWS's order
// (timestamp, ingestion time, request), page after page, whatever the
// page size: checked against a sort of everything that was put, on
// streams whose batches overlap in time and go back in time.
func TestFilterLogEventsOrderAndPaging(t *testing.T) {
	e := newEnv(t)
	e.group("g")
	rng := rand.New(rand.NewPCG(7, 9))
	type stored struct {
		ts, ing int64
		n       int // put order
		stream  string
		msg     string
	}
	var all []stored
	streams := []string{"a", "b", "c"}
	for _, s := range streams {
		e.stream("g", s)
	}
	n := 0
	base := e.ms(-10 * time.Hour)
	for b := 0; b < 40; b++ {
		s := streams[rng.IntN(len(streams))]
		start := base + rng.Int64N(8*3600*1000)
		var batch []logs.InputLogEvent
		for i := 0; i < 1+rng.IntN(30); i++ {
			ts := start + rng.Int64N(3600*1000)
			if i%5 == 0 && len(batch) > 0 {
				ts = batch[len(batch)-1].Timestamp // equal timestamps too
			}
			kind := "INFO"
			if rng.IntN(4) == 0 {
				kind = "ERROR"
			}
			batch = append(batch, ev(ts, fmt.Sprintf(`{"level":"%s","n":%d}`, kind, n)))
			n++
		}
		slices.SortStableFunc(batch, func(x, y logs.InputLogEvent) int { return cmp.Compare(x.Timestamp, y.Timestamp) })
		for _, x := range batch {
			all = append(all, stored{ts: x.Timestamp, ing: e.ms(0), n: len(all), stream: s, msg: x.Message})
		}
		e.put("g", s, batch...)
		e.clock.Advance(time.Second) // ingestion times differ
	}
	// AWS's order; events of one request keep their order.
	slices.SortStableFunc(all, func(x, y stored) int {
		if c := cmp.Compare(x.ts, y.ts); c != 0 {
			return c
		}
		return cmp.Compare(x.ing, y.ing)
	})
	expect := func(keep func(stored) bool) []string {
		var w []string
		for _, x := range all {
			if keep(x) {
				w = append(w, x.stream+" "+x.msg)
			}
		}
		return w
	}
	run := func(in *logs.FilterLogEventsInput) []string {
		var got []string
		ids := map[string]bool{}
		for pages := 0; ; pages++ {
			out := must[logs.FilterLogEventsOutput](e, "FilterLogEvents", in)
			for _, x := range out.Events {
				got = append(got, x.LogStreamName+" "+x.Message)
				if ids[x.EventId] || len(x.EventId) != 56 {
					t.Fatalf("event ID %q repeated or malformed", x.EventId)
				}
				ids[x.EventId] = true
			}
			if out.NextToken == nil {
				return got
			}
			if in.NextToken != nil && *in.NextToken == *out.NextToken {
				t.Fatal("the same next token twice")
			}
			in.NextToken = out.NextToken
			if pages > len(all) {
				t.Fatal("no end")
			}
		}
	}
	for _, limit := range []int32{1, 3, 17, 10000} {
		got := run(&logs.FilterLogEventsInput{LogGroupName: ptr("g"), Limit: ptr(limit)})
		if w := expect(func(stored) bool { return true }); !slices.Equal(got, w) {
			t.Fatalf("limit %d: %d events, want %d\n got %v\nwant %v", limit, len(got), len(w), got[:min(10, len(got))], w[:10])
		}
	}
	got := run(&logs.FilterLogEventsInput{LogGroupName: ptr("g"), Limit: ptr(int32(5)), FilterPattern: ptr(`{ $.level = "ERROR" }`)})
	if w := expect(func(x stored) bool { return strings.Contains(x.msg, "ERROR") }); !slices.Equal(got, w) || len(w) == 0 {
		t.Fatalf("pattern: %d events, want %d", len(got), len(w))
	}
	got = run(&logs.FilterLogEventsInput{LogGroupName: ptr("g"), Limit: ptr(int32(4)), LogStreamNames: []string{"a", "c", "missing"}})
	if w := expect(func(x stored) bool { return x.stream != "b" }); !slices.Equal(got, w) {
		t.Fatalf("streams: %d events, want %d", len(got), len(w))
	}
	from, to := base+2*3600*1000, base+5*3600*1000
	got = run(&logs.FilterLogEventsInput{LogGroupIdentifier: ptr("arn:aws:logs:us-east-1:123456789012:log-group:g:*"),
		Limit: ptr(int32(9)), StartTime: ptr(from), EndTime: ptr(to), LogStreamNamePrefix: ptr("b")})
	if w := expect(func(x stored) bool { return x.stream == "b" && x.ts >= from && x.ts <= to }); !slices.Equal(got, w) {
		t.Fatalf("range and prefix: %d events, want %d", len(got), len(w))
	}
	// A token is bound to its group.
	e.group("other")
	first := must[logs.FilterLogEventsOutput](e, "FilterLogEvents", &logs.FilterLogEventsInput{LogGroupName: ptr("g"), Limit: ptr(int32(1))})
	e.fails("InvalidParameterException", "FilterLogEvents", &logs.FilterLogEventsInput{LogGroupName: ptr("other"), NextToken: first.NextToken})
	e.fails("InvalidParameterException", "FilterLogEvents", &logs.FilterLogEventsInput{LogGroupName: ptr("g"), NextToken: ptr("nonsense")})
	msg := e.fails("InvalidParameterException", "FilterLogEvents", &logs.FilterLogEventsInput{LogGroupName: ptr("g"), FilterPattern: ptr(`{ $.x = }`)})
	if msg != "Invalid filter pattern" {
		t.Fatalf("message %q", msg)
	}
	e.fails("InvalidParameterException", "FilterLogEvents", &logs.FilterLogEventsInput{LogGroupName: ptr("g"), LogStreamNames: []string{"a"}, LogStreamNamePrefix: ptr("a")})
	e.fails("ResourceNotFoundException", "FilterLogEvents", &logs.FilterLogEventsInput{LogGroupName: ptr("nope")})
}

// Pages stop at 1 MB of messages.
func TestFilterLogEventsPageBytes(t *testing.T) {
	e := newEnv(t)
	e.group("g")
	e.stream("g", "s")
	msg := strings.Repeat("m", 100*1024)
	for b := 0; b < 3; b++ {
		var batch []logs.InputLogEvent
		for i := 0; i < 8; i++ {
			batch = append(batch, ev(e.ms(time.Duration(b*8+i)*time.Millisecond-time.Hour), msg))
		}
		e.put("g", "s", batch...)
	}
	out := must[logs.FilterLogEventsOutput](e, "FilterLogEvents", &logs.FilterLogEventsInput{LogGroupName: ptr("g")})
	if len(out.Events) != 10 || out.NextToken == nil {
		t.Fatalf("%d events in the first page, token %v", len(out.Events), out.NextToken)
	}
}

// Concurrent PutLogEvents share commits; a refused batch fails alone.
func TestConcurrentPutLogEvents(t *testing.T) {
	e := newEnv(t)
	e.group("g")
	for w := 0; w < 8; w++ {
		e.stream("g", fmt.Sprint("s", w))
	}
	errs := make(chan error, 8*50)
	done := make(chan struct{})
	for w := 0; w < 8; w++ {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := 0; i < 50; i++ {
				stream := fmt.Sprint("s", w)
				if i%10 == 9 {
					stream = "missing" // refused: ResourceNotFoundException
				}
				in := &logs.PutLogEventsInput{LogGroupName: "g", LogStreamName: stream,
					LogEvents: []logs.InputLogEvent{ev(e.ms(-time.Minute), fmt.Sprintf("w%d-%d", w, i))}}
				_, err := e.svc.Descriptor().Op("PutLogEvents").Invoke(ctx, e.call("PutLogEvents"), in)
				switch {
				case i%10 == 9 && (err == nil || !strings.Contains(err.Error(), "ResourceNotFoundException")):
					errs <- fmt.Errorf("put to a missing stream: %v", err)
				case i%10 != 9 && err != nil:
					errs <- err
				}
			}
		}()
	}
	for w := 0; w < 8; w++ {
		<-done
	}
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	n := 0
	in := &logs.FilterLogEventsInput{LogGroupName: ptr("g")}
	for {
		out := must[logs.FilterLogEventsOutput](e, "FilterLogEvents", in)
		n += len(out.Events)
		if out.NextToken == nil {
			break
		}
		in.NextToken = out.NextToken
	}
	g := must[logs.DescribeLogGroupsOutput](e, "DescribeLogGroups", &logs.DescribeLogGroupsInput{}).LogGroups[0]
	if n != 8*45 || g.StoredBytes == 0 {
		t.Fatalf("%d events stored, want %d; stored bytes %d", n, 8*45, g.StoredBytes)
	}
}
