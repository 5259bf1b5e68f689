package sqlite

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// BenchmarkAppendEvents appends batches of ten management events shaped
// like KMS Encrypt events (1 KB records, one resource) from one writer:
// each op is one durable group commit.
func BenchmarkAppendEvents(b *testing.B) {
	s, err := Open(b.TempDir() + "/cairn.db")
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ids := cairn.RandomIDs{}
	record := []byte(strings.Repeat("x", 1000))
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		batch := make([]*store.Event, 10)
		for j := range batch {
			now := time.Now()
			batch[j] = &store.Event{Account: "123456789012", Region: "us-east-1", ID: cairn.NewEventID(ids, now), Time: now,
				Name: "Encrypt", Source: "kms.amazonaws.com", ReadOnly: true, Management: true,
				Username: "alice", AccessKeyID: "AKIAIOSFODNN7EXAMPLE", Record: record,
				Resources: []store.EventResource{{Type: "AWS::KMS::Key",
					Name: "arn:aws:kms:us-east-1:123456789012:key/0d2a3b5c-1111-2222-3333-444455556666"}}}
		}
		if err := s.AppendEvents(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*10)/b.Elapsed().Seconds(), "events/s")
}
