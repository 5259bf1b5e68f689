package s3_test

import (
	"context"
	"io"
	"sync"
	"testing"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/service/s3"
)

// AWS-owned buckets: the first request creates the bucket with all its
// objects; a tenant cannot take the name with CreateBucket; other names
// are not affected.
func TestBuiltinBuckets(t *testing.T) {
	builtin := func(name string) (s3.BuiltinBucket, bool) {
		if name != "aws-owned-templates" {
			return s3.BuiltinBucket{}, false
		}
		return s3.BuiltinBucket{Owner: "000000000000", Region: "us-east-1",
			Objects: map[string][]byte{"policy/a.json": []byte(`{"a":1}`), "policy/b.json": []byte(`{"b":2}`)}}, true
	}
	s := newFixture(t, func(c *s3.Config) { c.Builtin = builtin }).svc
	ctx, c := context.Background(), rootCall()
	var err error

	// A tenant's CreateBucket of the name, before anyone read it.
	_, err = s.CreateBucket(ctx, c, &s3.CreateBucketInput{Bucket: "aws-owned-templates"})
	if e := cairn.AsError(err); e == nil || e.Code != "BucketAlreadyExists" {
		t.Fatalf("CreateBucket of an AWS-owned name: %v", err)
	}
	// Concurrent first reads all see the objects.
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := s.GetObject(ctx, c, &s3.GetObjectInput{Bucket: "aws-owned-templates", Key: "policy/b.json"})
			if err != nil {
				t.Error(err)
				return
			}
			b, _ := io.ReadAll(out.Body)
			out.Body.Close()
			if string(b) != `{"b":2}` {
				t.Errorf("read %q", b)
			}
		}()
	}
	wg.Wait()
	list, err := s.ListObjectsV2(ctx, c, &s3.ListObjectsV2Input{Bucket: "aws-owned-templates"})
	if err != nil || len(list.Contents) != 2 {
		t.Fatalf("the builtin bucket holds %d objects (%v)", len(list.Contents), err)
	}
	// Other names are ordinary.
	if _, err := s.CreateBucket(ctx, c, &s3.CreateBucketInput{Bucket: "aws-owned-templates-2"}); err != nil {
		t.Fatal(err)
	}
	_, err = s.GetObject(ctx, c, &s3.GetObjectInput{Bucket: "not-builtin", Key: "x"})
	if e := cairn.AsError(err); e == nil || e.Code != "NoSuchBucket" {
		t.Fatalf("an unknown bucket: %v", err)
	}
}
