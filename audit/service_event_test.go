package audit_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/cairnhq/cairn/audit"
)

func TestServiceEventRecord(t *testing.T) {
	at := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	arn := "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	ev, err := audit.BuildServiceEvent(&audit.ServiceEvent{Source: "kms.amazonaws.com", Name: "DeleteKey",
		Account: "111122223333", Region: "us-east-1", Time: at, EventID: "e1", RequestID: "r1",
		AdditionalEventData: map[string]any{"keyId": arn},
		Resources:           []audit.Resource{{ARN: arn, AccountID: "111122223333", Type: "AWS::KMS::Key"}}})
	if err != nil {
		t.Fatal(err)
	}
	var rec map[string]any
	if err := json.Unmarshal(ev.Record, &rec); err != nil {
		t.Fatal(err)
	}
	id := rec["userIdentity"].(map[string]any)
	if rec["eventType"] != "AwsServiceEvent" || id["invokedBy"] != "kms.amazonaws.com" || id["accountId"] != "111122223333" ||
		id["type"] != nil || rec["requestParameters"] != nil || rec["sourceIPAddress"] != "kms.amazonaws.com" ||
		rec["recipientAccountId"] != "111122223333" || rec["managementEvent"] != true || rec["readOnly"] != false {
		t.Fatalf("record %v", rec)
	}
	if ev.Account != "111122223333" || ev.Name != "DeleteKey" || !ev.Management || len(ev.Resources) != 1 {
		t.Fatalf("indexed attributes %+v", ev)
	}
}
