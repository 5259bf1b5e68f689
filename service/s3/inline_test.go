package s3_test

import (
	"bytes"
	"context"
	"io"
	"sync/atomic"
	"testing"

	"github.com/cairnhq/cairn/blob"
	"github.com/cairnhq/cairn/service/s3"
	"github.com/cairnhq/cairn/store"
)

// countingBlobs counts the blobs written to the blob store.
type countingBlobs struct {
	blob.Store
	puts atomic.Int64
}

func (c *countingBlobs) Put(ctx context.Context, key string, r io.Reader) (int64, error) {
	c.puts.Add(1)
	return c.Store.Put(ctx, key, r)
}

// Small single-PUT objects live sealed in the metadata store: no file is
// written for them, they read back whole and by range, and replacing or
// deleting them drops their bytes in the same transaction.
func TestSmallObjectsAreInline(t *testing.T) {
	var blobs *countingBlobs
	f := newFixture(t, func(c *s3.Config) { blobs = &countingBlobs{Store: c.Blobs}; c.Blobs = blobs })
	s, st := f.svc, f.store
	ctx, c := context.Background(), rootCall()
	if _, err := s.CreateBucket(ctx, c, &s3.CreateBucketInput{Bucket: "small"}); err != nil {
		t.Fatal(err)
	}
	put := func(k string, body []byte) {
		t.Helper()
		n := int64(len(body))
		if _, err := s.PutObject(ctx, c, &s3.PutObjectInput{Bucket: "small", Key: k, Body: bytes.NewReader(body), ContentLength: &n}); err != nil {
			t.Fatal(err)
		}
	}
	get := func(k, rng string) []byte {
		t.Helper()
		out, err := s.GetObject(ctx, c, &s3.GetObjectInput{Bucket: "small", Key: k, Range: rng})
		if err != nil {
			t.Fatal(err)
		}
		defer out.Body.Close()
		b, err := io.ReadAll(out.Body)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	inlineRows := func() int {
		t.Helper()
		n := 0
		err := st.View(ctx, func(tx store.Tx) error {
			return tx.Scan("s3_inline", "", "", 0, func(string, []byte) error { n++; return nil })
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	small := bytes.Repeat([]byte("0123456789abcdef"), 256) // 4 KiB
	put("a", small)
	if blobs.puts.Load() != 0 || inlineRows() != 1 {
		t.Fatalf("a 4 KiB object wrote %d blobs, %d inline rows", blobs.puts.Load(), inlineRows())
	}
	if !bytes.Equal(get("a", ""), small) || !bytes.Equal(get("a", "bytes=100-199"), small[100:200]) {
		t.Fatal("the inline object did not read back")
	}
	put("a", []byte("replaced"))
	if string(get("a", "")) != "replaced" || inlineRows() != 1 {
		t.Fatalf("after the overwrite: %q, %d inline rows", get("a", ""), inlineRows())
	}
	big := bytes.Repeat([]byte("x"), 9<<10)
	put("a", big)
	if blobs.puts.Load() != 1 || inlineRows() != 0 || !bytes.Equal(get("a", ""), big) {
		t.Fatalf("a 9 KiB object: %d blobs, %d inline rows", blobs.puts.Load(), inlineRows())
	}
	put("b", small)
	if _, err := s.DeleteObject(ctx, c, &s3.DeleteObjectInput{Bucket: "small", Key: "b"}); err != nil {
		t.Fatal(err)
	}
	if inlineRows() != 0 {
		t.Fatal("the deleted object's bytes stayed")
	}
	// The bytes at rest are sealed: the plaintext appears nowhere in the row.
	put("c", small)
	_ = st.View(ctx, func(tx store.Tx) error {
		return tx.Scan("s3_inline", "", "", 0, func(_ string, v []byte) error {
			if bytes.Contains(v, small[:64]) {
				t.Error("an inline object is stored in plaintext")
			}
			return nil
		})
	})
}
