package s3_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sync/atomic"
	"testing"

	"github.com/cairnhq/cairn/service/s3"
)

// The service alone (no HTTP, no signature, no event), 4 KiB objects, 32
// goroutines: what the metadata store, the blob store and the sealing
// cost per object. `cairn bench` measures the whole path.
func BenchmarkSmallObjects(b *testing.B) {
	body := bytes.Repeat([]byte("x"), 4096)
	for _, op := range []string{"Put", "Get"} {
		b.Run(op, func(b *testing.B) {
			s := newService(b)
			ctx := context.Background()
			if _, err := s.CreateBucket(ctx, rootCall(), &s3.CreateBucketInput{Bucket: "bench"}); err != nil {
				b.Fatal(err)
			}
			const keys = 1000
			if op == "Get" {
				for i := range keys {
					if _, err := s.PutObject(ctx, rootCall(), &s3.PutObjectInput{Bucket: "bench", Key: fmt.Sprint(i), Body: bytes.NewReader(body)}); err != nil {
						b.Fatal(err)
					}
				}
			}
			var next atomic.Int64
			b.SetBytes(4096)
			b.SetParallelism(16) // 16 × GOMAXPROCS(2) = 32 goroutines
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				c := rootCall()
				for pb.Next() {
					key := fmt.Sprint(next.Add(1) % keys)
					if op == "Put" {
						if _, err := s.PutObject(ctx, c, &s3.PutObjectInput{Bucket: "bench", Key: key, Body: bytes.NewReader(body)}); err != nil {
							b.Error(err)
							return
						}
						continue
					}
					out, err := s.GetObject(ctx, c, &s3.GetObjectInput{Bucket: "bench", Key: key})
					if err != nil {
						b.Error(err)
						return
					}
					if n, err := io.Copy(io.Discard, out.Body); err != nil || n != 4096 {
						b.Error(n, err)
					}
					out.Body.Close()
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "objects/s")
		})
	}
}
