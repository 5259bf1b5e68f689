package sealstream_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/cairnhq/cairn/blob/diskblob"
	"github.com/cairnhq/cairn/sealstream"
)

// How the S3 service stores an object: a fresh data key per object (kept
// wrapped by the root key or KMS in the object's metadata, with the
// plaintext size), the object's identity as aad, and only ciphertext in the
// blob store.
func Example() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	blobs, _ := diskblob.Open(dir)
	defer blobs.Close()
	ctx := context.Background()

	body := strings.NewReader("2026-01-01T00:00:00Z CreateTrail ok\n")
	size := body.Size()
	dataKey := make([]byte, sealstream.KeySize)
	rand.Read(dataKey)
	aad := []byte("my-bucket\x00AWSLogs/123456789012/log.json")

	sealed, _ := sealstream.NewSealingReader(body, dataKey, aad)
	stored, err := blobs.Put(ctx, "blob-id-1", sealed)
	fmt.Println(stored == sealstream.CiphertextSize(size), err)

	// GET with Range: bytes=21-31
	open := func(off, n int64) (io.ReadCloser, error) { return blobs.Open(ctx, "blob-id-1", off, n) }
	r, err := sealstream.NewReader(open, dataKey, aad, size, 21, 11)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	fmt.Printf("%q %v\n", b, err)
	// Output:
	// true <nil>
	// "CreateTrail" <nil>
}
