package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/audit"
	"github.com/cairnhq/cairn/awsjson"
	"github.com/cairnhq/cairn/server"
	"github.com/cairnhq/cairn/store"
	"github.com/cairnhq/cairn/store/sqlite"
)

// keys is a fixed credential table: the seam the IAM service fills in
// production.
type keys map[string]*cairn.Credential

func (k keys) LookupAccessKey(id string) (*cairn.Credential, error) {
	if c, ok := k[id]; ok {
		return c, nil
	}
	return nil, cairn.ErrNotFound
}

type allowAll struct{}

func (allowAll) Authorize(context.Context, *cairn.Call, *cairn.Operation, any) error { return nil }

// failingStore fails AppendEvents on demand.
type failingStore struct {
	store.Store
	fail atomic.Bool
}

func (f *failingStore) AppendEvents(ctx context.Context, evs []*store.Event) error {
	if f.fail.Load() {
		return errors.New("disk full")
	}
	return f.Store.AppendEvents(ctx, evs)
}

type echoIn struct{ Value string }
type echoOut struct{ Value string }

type fixture struct {
	srv     *httptest.Server
	store   *failingStore
	mutated atomic.Int64
	logs    bytes.Buffer
}

const (
	account = "111122223333"
	keyID   = "AKIATESTKEY000000001"
	secret  = "testsecrettestsecrettestsecrettestsecret"
)

func newFixture(t *testing.T) *fixture {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{store: &failingStore{Store: st}}
	svc := &cairn.Service{Name: "cloudtrail", EventSource: "cloudtrail.amazonaws.com", Operations: []cairn.Operation{
		cairn.Define(cairn.Operation{Name: "Echo", Action: "cloudtrail:Echo", Request: []string{"Value"}, Response: []string{"Value"}},
			func(ctx context.Context, _ *cairn.Call, in *echoIn) (*echoOut, error) {
				f.mutated.Add(1)
				switch in.Value {
				case "defer", "defer-fail":
					// A call made on the caller's behalf (as KMS for S3).
					audit.DeferredFrom(ctx).Add(&store.Event{Account: account, Region: "us-east-1", ID: "on-behalf",
						Time: time.Now(), Name: "Decrypt", Source: "kms.amazonaws.com", Management: true, Record: []byte(`{"eventName":"Decrypt"}`)})
					if in.Value == "defer-fail" {
						return nil, cairn.Errorf(400, "TrailNotFoundException", "Unknown trail")
					}
				case "panic":
					panic("boom")
				case "internal":
					return nil, errors.New("secret detail: /var/lib/db is corrupt")
				case "domain":
					return nil, cairn.Errorf(400, "TrailNotFoundException", "Unknown trail: x for the user: %s", account)
				}
				return &echoOut{Value: in.Value}, nil
			}),
	}}
	rec := audit.NewRecorder(f.store)
	s := server.New(server.Config{
		Bindings: []server.Binding{{Service: svc, Protocol: awsjson.New(awsjson.CloudTrail()), TargetPrefix: awsjson.CloudTrail().TargetPrefix}},
		Credentials: keys{keyID: {AccessKeyID: keyID, Secret: secret, Active: true, Principal: cairn.Principal{
			Type: cairn.PrincipalRoot, AccountID: account, ARN: cairn.RootARN(account), ID: account}}},
		Authorizer: allowAll{}, Recorder: rec, Clock: cairn.SystemClock{}, IDs: cairn.RandomIDs{},
		Log: slog.New(slog.NewTextHandler(&f.logs, nil)), Version: "test", MaxBody: 1 << 10,
	})
	f.srv = httptest.NewServer(s.Handler())
	t.Cleanup(func() { f.srv.Close(); s.Close(context.Background()); st.Close() })
	return f
}

// call sends a signed JSON 1.1 request.
func (f *fixture) call(t *testing.T, op, body string) (int, map[string]any, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", f.srv.URL+"/", strings.NewReader(body))
	req.Header.Set("X-Amz-Target", "CloudTrail_20131101."+op)
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	sum := sha256.Sum256([]byte(body))
	if err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: keyID, SecretAccessKey: secret},
		req, hex.EncodeToString(sum[:]), "cloudtrail", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return resp.StatusCode, m, resp.Header.Get("X-Amzn-Requestid")
}

// events returns the records of the account's us-east-1 stream, newest first.
func (f *fixture) events(t *testing.T) []map[string]any {
	t.Helper()
	return records(t, f.store, store.EventQuery{Account: account, Region: "us-east-1", Limit: 50})
}

// records returns the records of the events q finds in st, decoded.
func records(t *testing.T, st store.Store, q store.EventQuery) []map[string]any {
	t.Helper()
	evs, err := st.LookupEvents(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, e := range evs {
		var m map[string]any
		if err := json.Unmarshal(e.Record, &m); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

func TestEventDurableBeforeResponse(t *testing.T) {
	f := newFixture(t)
	status, body, reqID := f.call(t, "Echo", `{"Value":"hello"}`)
	if status != 200 || body["Value"] != "hello" {
		t.Fatalf("Echo: %d %v", status, body)
	}
	// No waiting: the event was committed before the response was written.
	evs := f.events(t)
	if len(evs) != 1 || evs[0]["requestID"] != reqID || evs[0]["eventName"] != "Echo" {
		t.Fatalf("events after the response: %v", evs)
	}
	if p, _ := evs[0]["requestParameters"].(map[string]any); p["value"] != "hello" {
		t.Fatalf("requestParameters %v", evs[0]["requestParameters"])
	}
}

func TestFailClosedWhenEventsCannotBeWritten(t *testing.T) {
	f := newFixture(t)
	f.store.fail.Store(true)
	status, body, _ := f.call(t, "Echo", `{"Value":"hello"}`)
	if status != 500 || body["__type"] != "InternalFailure" {
		t.Fatalf("with a failing event store: %d %v", status, body)
	}
	if strings.Contains(f.logs.String(), secret) {
		t.Fatal("a secret reached the log")
	}
}

func TestEveryExitRecordsOneEvent(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		op, body   string
		status     int
		code       string
		leakFree   string
		wantMutate bool
	}{
		{"Echo", `{"Value":"panic"}`, 500, "InternalFailure", "boom", true},
		{"Echo", `{"Value":"internal"}`, 500, "InternalFailure", "/var/lib/db", true},
		{"Echo", `{"Value":"domain"}`, 400, "TrailNotFoundException", "", true},
		{"Echo", `{"Value":`, 400, "SerializationException", "", false},
		{"Echo", `{"Value":"` + strings.Repeat("x", 2000) + `"}`, 413, "RequestEntityTooLarge", "", false},
		{"Nope", `{}`, 400, "UnknownOperationException", "", false},
	}
	for i, c := range cases {
		before := f.mutated.Load()
		status, body, reqID := f.call(t, c.op, c.body)
		if status != c.status || body["__type"] != c.code {
			t.Fatalf("case %d: %d %v, want %d %s", i, status, body, c.status, c.code)
		}
		if msg, _ := body["message"].(string); c.leakFree != "" && strings.Contains(msg, c.leakFree) {
			t.Fatalf("case %d: internal detail on the wire: %q", i, msg)
		}
		if (f.mutated.Load() != before) != c.wantMutate {
			t.Fatalf("case %d: handler ran = %v", i, !c.wantMutate)
		}
		evs := f.events(t)
		if len(evs) != i+1 || evs[0]["requestID"] != reqID || evs[0]["errorCode"] != c.code {
			t.Fatalf("case %d: newest event %v (of %d)", i, evs[0], len(evs))
		}
	}
	if !strings.Contains(f.logs.String(), "/var/lib/db") {
		t.Fatal("the internal error's detail should be in the server log")
	}
}

// Events deferred by calls made on the caller's behalf are recorded with
// the caller's own, before the response, on success and on failure; if
// they cannot be written the call fails closed.
func TestDeferredEventsRecordedWithTheCall(t *testing.T) {
	f := newFixture(t)
	for _, v := range []string{"defer", "defer-fail"} {
		f.call(t, "Echo", `{"Value":"`+v+`"}`)
	}
	var names []string
	for _, e := range f.events(t) {
		names = append(names, e["eventName"].(string))
	}
	if strings.Join(names, ",") != "Echo,Decrypt,Echo,Decrypt" {
		t.Fatalf("events newest first: %v", names)
	}
	f.store.fail.Store(true)
	status, body, _ := f.call(t, "Echo", `{"Value":"defer"}`)
	if status != 500 || body["__type"] != "InternalFailure" {
		t.Fatalf("with a failing event store: %d %v", status, body)
	}
}
