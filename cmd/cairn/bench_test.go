package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestBenchKMSRoundTrips drives `cairn bench --op kms:EncryptDecrypt` briefly
// against a live server with both clients (the SDK's, and requests the load
// generator signs itself), each with the echo baseline: every round trip
// must decrypt to its plaintext and every acknowledged call must have its
// event. Rates are not asserted; they are for the benchmark's readers.
func TestBenchKMSRoundTrips(t *testing.T) {
	s := startCairn(t)
	t.Setenv("AWS_ACCESS_KEY_ID", testRootKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", testRootSec)
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_CONFIG_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", t.TempDir()+"/none")
	for _, signedHTTP := range []bool{false, true} {
		o := &benchOptions{endpoint: s.endpoint, duration: 500 * time.Millisecond, concurrency: 4,
			op: "kms:EncryptDecrypt", region: "us-east-1", baseline: true, signedHTTP: signedHTTP}
		var out bytes.Buffer
		if err := runBench(ctx, o, &out); err != nil {
			t.Fatalf("signed-http %v: %v\n%s", signedHTTP, err, out.String())
		}
		report := out.String()
		for _, want := range []string{"cairn: kms:EncryptDecrypt, 4 workers", "baseline: kms:EncryptDecrypt", "ratio: cairn reaches", " 0 missing events"} {
			if !strings.Contains(report, want) {
				t.Errorf("signed-http %v: report lacks %q:\n%s", signedHTTP, want, report)
			}
		}
		if strings.Count(report, " 0 errors") != 2 || strings.Contains(report, " 0 calls,") {
			t.Errorf("signed-http %v: want calls and no errors in both runs:\n%s", signedHTTP, report)
		}
	}

	o := &benchOptions{endpoint: s.endpoint, duration: time.Second, concurrency: 1, op: "sts:GetCallerIdentity",
		region: "us-east-1", signedHTTP: true}
	if err := runBench(ctx, o, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "--signed-http applies to kms:EncryptDecrypt") {
		t.Errorf("--signed-http with sts:GetCallerIdentity: %v", err)
	}
}
