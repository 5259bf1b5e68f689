package s3_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/cairnhq/cairn/blob"
	"github.com/cairnhq/cairn/service/s3"
)

// The sweep deletes a blob no record refers to (what a crash between a
// blob's Put and its record's commit leaves) once it is older than the
// cutoff, and keeps the blobs of objects and of parts of an upload in
// progress, and orphans newer than the cutoff.
func TestSweepOrphanBlobs(t *testing.T) {
	f := newFixture(t, nil)
	s, blobs := f.svc, f.blobs
	ctx, c := context.Background(), rootCall()
	if _, err := s.CreateBucket(ctx, c, &s3.CreateBucketInput{Bucket: "sweep"}); err != nil {
		t.Fatal(err)
	}
	object := bytes.Repeat([]byte("object "), 3<<10) // > 8 KiB: a blob, not inline
	if _, err := s.PutObject(ctx, c, &s3.PutObjectInput{Bucket: "sweep", Key: "obj", Body: bytes.NewReader(object)}); err != nil {
		t.Fatal(err)
	}
	mu, err := s.CreateMultipartUpload(ctx, c, &s3.CreateMultipartUploadInput{Bucket: "sweep", Key: "mp"})
	if err != nil {
		t.Fatal(err)
	}
	part := bytes.Repeat([]byte("part "), 4<<10)
	one := int32(1)
	up, err := s.UploadPart(ctx, c, &s3.UploadPartInput{Bucket: "sweep", Key: "mp", UploadId: mu.UploadId, PartNumber: one,
		Body: bytes.NewReader(part)})
	if err != nil {
		t.Fatal(err)
	}
	orphan := func(k string) {
		t.Helper()
		if _, err := blobs.Put(ctx, k, strings.NewReader("sealed bytes whose record never committed")); err != nil {
			t.Fatal(err)
		}
	}
	orphan("o/0123456789abcdef0123456789abcdef")
	orphan("p/fedcba9876543210fedcba9876543210")

	// Every blob is newer than a cutoff in the past: nothing goes.
	if n, err := s.SweepOrphanBlobs(ctx, time.Unix(0, 0)); err != nil || n != 0 {
		t.Fatalf("sweep with a cutoff before every blob = %d, %v; want 0", n, err)
	}
	if n, err := s.SweepOrphanBlobs(ctx, time.Now().Add(time.Hour)); err != nil || n != 2 {
		t.Fatalf("sweep = %d, %v; want the 2 orphans", n, err)
	}
	for _, k := range []string{"o/0123456789abcdef0123456789abcdef", "p/fedcba9876543210fedcba9876543210"} {
		if _, err := blobs.Size(ctx, k); !errors.Is(err, blob.ErrNotFound) {
			t.Errorf("orphan %s after the sweep: %v, want ErrNotFound", k, err)
		}
	}
	if n := countBlobs(t, blobs); n != 2 {
		t.Errorf("%d blobs left, want 2 (the object's and the part's)", n)
	}

	// The object reads back; the upload completes from its part.
	mustRead(t, s, "obj", object)
	if _, err := s.CompleteMultipartUpload(ctx, c, &s3.CompleteMultipartUploadInput{Bucket: "sweep", Key: "mp", UploadId: mu.UploadId,
		MultipartUpload: &s3.CompletedMultipartUpload{Parts: []s3.CompletedPart{{ETag: up.ETag, PartNumber: &one}}}}); err != nil {
		t.Fatal(err)
	}
	mustRead(t, s, "mp", part)

	// An orphan newer than the cutoff stays: it may be a PUT in flight.
	orphan("o/00000000000000000000000000000000")
	if n, err := s.SweepOrphanBlobs(ctx, time.Unix(0, 0)); err != nil || n != 0 {
		t.Fatalf("sweep with a cutoff before the fresh orphan = %d, %v; want 0", n, err)
	}
	if _, err := blobs.Size(ctx, "o/00000000000000000000000000000000"); err != nil {
		t.Errorf("a fresh orphan after the sweep: %v, want it kept", err)
	}
	mustRead(t, s, "obj", object)
	mustRead(t, s, "mp", part)
}

func countBlobs(t *testing.T, b blob.Store) int {
	t.Helper()
	n := 0
	if err := b.Walk(context.Background(), func(string, time.Time) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

func mustRead(t *testing.T, s *s3.Service, key string, want []byte) {
	t.Helper()
	out, err := s.GetObject(context.Background(), rootCall(), &s3.GetObjectInput{Bucket: "sweep", Key: key})
	if err != nil {
		t.Fatalf("GetObject(%s): %v", key, err)
	}
	defer out.Body.Close()
	got, err := io.ReadAll(out.Body)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("GetObject(%s): %d bytes, %v; want the %d put", key, len(got), err, len(want))
	}
}
