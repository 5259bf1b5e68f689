package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestInteropAWSCLILogs drives CloudWatch Logs with the real AWS CLI, as
// its user guide shows: create-log-group, create-log-stream,
// put-log-events from a file, filter-log-events with a JSON pattern (the
// CLI pages through every result), get-log-events, and metric filters.
func TestInteropAWSCLILogs(t *testing.T) {
	requireTool(t, "aws")
	b := startBinary(t)
	run := func(args ...string) map[string]any { t.Helper(); return b.rootJSON(t, args...) }
	group, stream := "CloudTrail/DefaultLogGroup", testAccount+"_CloudTrail_us-east-1"
	run("logs", "create-log-group", "--log-group-name", group, "--tags", "team=security")
	run("logs", "create-log-stream", "--log-group-name", group, "--log-stream-name", stream)
	_, errOut, err := b.aws(t, testRootKey, testRootSec, "logs", "create-log-group", "--log-group-name", group)
	if err == nil || !strings.Contains(errOut, "ResourceAlreadyExistsException") {
		t.Fatalf("second create-log-group: err=%v stderr=%s", err, errOut)
	}

	// 120 CloudTrail records, every twentieth denied.
	now := time.Now().Add(-time.Minute).UnixMilli()
	var events []map[string]any
	for i := 0; i < 120; i++ {
		code := "null"
		if i%20 == 7 {
			code = `"AccessDenied"`
		}
		events = append(events, map[string]any{"timestamp": now - 120 + int64(i),
			"message": fmt.Sprintf(`{"eventName":"GetObject","n":%d,"errorCode":%s}`, i, code)})
	}
	raw, _ := json.Marshal(events)
	file := filepath.Join(t.TempDir(), "events.json")
	if err := os.WriteFile(file, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	put := run("logs", "put-log-events", "--log-group-name", group, "--log-stream-name", stream, "--log-events", "file://"+file)
	if tok, _ := put["nextSequenceToken"].(string); len(tok) != 56 {
		t.Fatalf("put-log-events: %v", put)
	}
	// --page-size makes the CLI page with small limits and follow every
	// nextToken.
	f := run("logs", "filter-log-events", "--log-group-name", group, "--filter-pattern", `{ $.errorCode = "AccessDenied*" }`, "--page-size", "2")
	found, _ := f["events"].([]any)
	if len(found) != 6 {
		t.Fatalf("filter-log-events: %d events: %v", len(found), f)
	}
	for _, e := range found {
		m := e.(map[string]any)
		if m["logStreamName"] != stream || !strings.Contains(m["message"].(string), `"errorCode":"AccessDenied"`) {
			t.Fatalf("event %v", m)
		}
	}
	g := run("logs", "get-log-events", "--log-group-name", group, "--log-stream-name", stream, "--start-from-head", "--limit", "5")
	if evs, _ := g["events"].([]any); len(evs) != 5 || !strings.HasPrefix(g["nextForwardToken"].(string), "f/") {
		t.Fatalf("get-log-events: %v", g)
	}

	// Metric filters.
	run("logs", "put-metric-filter", "--log-group-name", group, "--filter-name", "UnauthorizedAPICalls",
		"--filter-pattern", `{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }`,
		"--metric-transformations", "metricName=UnauthorizedAPICalls,metricNamespace=CISBenchmark,metricValue=1,defaultValue=0")
	d := run("logs", "describe-metric-filters", "--log-group-name", group)
	filters, _ := d["metricFilters"].([]any)
	if len(filters) != 1 {
		t.Fatalf("describe-metric-filters: %v", d)
	}
	mf := filters[0].(map[string]any)
	mt := mf["metricTransformations"].([]any)[0].(map[string]any)
	if mf["filterName"] != "UnauthorizedAPICalls" || mf["logGroupName"] != group || mt["metricNamespace"] != "CISBenchmark" ||
		mt["metricValue"] != "1" || mt["defaultValue"] != 0.0 {
		t.Fatalf("metric filter %v", mf)
	}
	tm := run("logs", "test-metric-filter", "--filter-pattern", "ERROR",
		"--log-event-messages", "[ERROR] 400 BAD REQUEST", "[ERROR] 400 BAD REQUEST", "[INFO] 200 OK")
	if matches, _ := tm["matches"].([]any); len(matches) != 2 || matches[1].(map[string]any)["eventNumber"] != 2.0 {
		t.Fatalf("test-metric-filter: %v", tm)
	}
	lg := run("logs", "describe-log-groups", "--log-group-name-prefix", "CloudTrail/")
	groups, _ := lg["logGroups"].([]any)
	if len(groups) != 1 || groups[0].(map[string]any)["metricFilterCount"] != 1.0 || groups[0].(map[string]any)["storedBytes"].(float64) == 0 {
		t.Fatalf("describe-log-groups: %v", lg)
	}
}
