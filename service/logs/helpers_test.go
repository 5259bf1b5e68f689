package logs_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/service/logs"
	"github.com/cairnhq/cairn/store"
	"github.com/cairnhq/cairn/store/sqlite"
)

const (
	acct   = "123456789012"
	region = "us-east-1"
)

var ctx = context.Background()

type env struct {
	t     testing.TB
	svc   *logs.Service
	clock *cairn.ManualClock
	store store.Store
}

func newEnv(t testing.TB) *env {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "cairn.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	clock := cairn.NewManualClock(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
	return &env{t: t, svc: logs.New(logs.Config{Store: st, Clock: clock}), clock: clock, store: st}
}

func (e *env) call(op string) *cairn.Call {
	p := cairn.Principal{Type: cairn.PrincipalRoot, AccountID: acct, ARN: cairn.RootARN(acct), ID: acct}
	return &cairn.Call{RequestID: "req", Time: e.clock.Now(), Region: region, Service: "logs", Operation: op, Principal: p}
}

// do invokes an operation's handler through its descriptor row.
func (e *env) do(name string, in any) (any, error) {
	e.t.Helper()
	op := e.svc.Descriptor().Op(name)
	if op == nil {
		e.t.Fatalf("no operation %s", name)
	}
	return op.Invoke(ctx, e.call(name), in)
}

func must[O any](e *env, name string, in any) *O {
	e.t.Helper()
	out, err := e.do(name, in)
	if err != nil {
		e.t.Fatalf("%s: %v", name, err)
	}
	return out.(*O)
}

// fails checks that an operation fails with code and returns the message.
func (e *env) fails(code, name string, in any) string {
	e.t.Helper()
	_, err := e.do(name, in)
	ce := cairn.AsError(err)
	if ce == nil || ce.Code != code || ce.Status != 400 {
		e.t.Fatalf("%s: got %v, want %s", name, err, code)
	}
	return ce.Message
}

func (e *env) group(name string) {
	e.t.Helper()
	must[logs.Empty](e, "CreateLogGroup", &logs.CreateLogGroupInput{LogGroupName: name})
}

func (e *env) stream(group, name string) {
	e.t.Helper()
	must[logs.Empty](e, "CreateLogStream", &logs.CreateLogStreamInput{LogGroupName: group, LogStreamName: name})
}

func (e *env) put(group, stream string, events ...logs.InputLogEvent) *logs.PutLogEventsOutput {
	e.t.Helper()
	return must[logs.PutLogEventsOutput](e, "PutLogEvents", &logs.PutLogEventsInput{LogGroupName: group, LogStreamName: stream, LogEvents: events})
}

// ms is the fake clock's time plus d, in milliseconds.
func (e *env) ms(d time.Duration) int64 { return e.clock.Now().Add(d).UnixMilli() }

func ptr[T any](v T) *T { return &v }
