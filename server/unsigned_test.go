package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/audit"
	"github.com/cairnhq/cairn/awsquery"
	"github.com/cairnhq/cairn/server"
	"github.com/cairnhq/cairn/store"
	"github.com/cairnhq/cairn/store/sqlite"
)

type confirmIn struct{ Owner string }
type confirmOut struct{ Done string }

// An operation a binding lists in Unsigned is served to a request without
// any signature as the anonymous principal, and recorded in the account
// its Recipients name; other operations, and requests with a malformed
// signature, are not served that way.
func TestUnsignedOperations(t *testing.T) {
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	var served atomic.Int64
	var principal atomic.Value
	handler := func(_ context.Context, c *cairn.Call, in *confirmIn) (*confirmOut, error) {
		served.Add(1)
		principal.Store(c.Principal.Type)
		return &confirmOut{Done: "yes"}, nil
	}
	recipients := cairn.OnAccounts(func(_ *cairn.Call, in *confirmIn) []string { return []string{in.Owner} })
	svc := &cairn.Service{Name: "sns", EventSource: "sns.amazonaws.com", Operations: []cairn.Operation{
		cairn.Define(cairn.Operation{Name: "Confirm", Action: "sns:Confirm", Recipients: recipients, Request: []string{"Owner"}}, handler),
		cairn.Define(cairn.Operation{Name: "Other", Action: "sns:Other", Recipients: recipients}, handler),
	}}
	rec := audit.NewRecorder(st)
	s := server.New(server.Config{
		Bindings:    []server.Binding{{Service: svc, Protocol: awsquery.New(awsquery.SNS()), Unsigned: []string{"Confirm"}}},
		Credentials: keys{}, Authorizer: allowAll{}, Recorder: rec, Clock: cairn.SystemClock{}, IDs: cairn.RandomIDs{},
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test",
	})
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(func() { srv.Close(); s.Close(context.Background()); st.Close() })

	get := func(query string, header map[string]string) int {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL+"/?"+query, nil)
		for k, v := range header {
			if k == "Host" {
				req.Host = v
				continue
			}
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	events := func(acct string) []map[string]any {
		t.Helper()
		return records(t, st, store.EventQuery{Account: acct, Limit: 50})
	}

	if code := get("Action=Confirm&Owner="+account, nil); code != 200 || served.Load() != 1 {
		t.Fatalf("unsigned Confirm: %d, served %d", code, served.Load())
	}
	if p := principal.Load(); p != cairn.PrincipalAnonymous {
		t.Fatalf("unsigned Confirm ran as %v", p)
	}
	evs := events(account)
	if len(evs) != 1 || evs[0]["eventName"] != "Confirm" {
		t.Fatalf("events in the owner's account: %v", evs)
	}
	if id, _ := evs[0]["userIdentity"].(map[string]any); id["accountId"] != "ANONYMOUS_PRINCIPAL" || id["type"] != "AWSAccount" {
		t.Fatalf("userIdentity %v", evs[0]["userIdentity"])
	}

	// Not listed: never served without a signature.
	if code := get("Action=Other&Owner="+account, nil); code == 200 || served.Load() != 1 {
		t.Fatalf("unsigned Other: %d, served %d", code, served.Load())
	}
	// A malformed signature is not an unsigned request.
	if code := get("Action=Confirm&Owner="+account, map[string]string{"Authorization": "AWS4-HMAC-SHA256 garbage"}); code == 200 || served.Load() != 1 {
		t.Fatalf("Confirm with a malformed signature: %d, served %d", code, served.Load())
	}
	// Also when the host name routes it to the binding.
	if code := get("Action=Confirm&Owner="+account, map[string]string{"Authorization": "AWS4-HMAC-SHA256 garbage", "Host": "sns.localhost"}); code == 200 || served.Load() != 1 {
		t.Fatalf("Confirm with a malformed signature to sns.localhost: %d, served %d", code, served.Load())
	}
	if code := get("Action=Confirm&Owner="+account+"&X-Amz-Signature=00", nil); code == 200 || served.Load() != 1 {
		t.Fatalf("Confirm with a partial presigned query: %d, served %d", code, served.Load())
	}
	// Served, but recorded nowhere when no account is named.
	if code := get("Action=Confirm", nil); code != 200 || served.Load() != 2 {
		t.Fatalf("unsigned Confirm without an owner: %d, served %d", code, served.Load())
	}
	if evs := events(account); len(evs) != 1 {
		t.Fatalf("%d events in the owner's account, want 1", len(evs))
	}
}
