package diskblob_test

import (
	"path/filepath"
	"testing"

	"github.com/cairnhq/cairn/blob"
	"github.com/cairnhq/cairn/blob/blobtest"
	"github.com/cairnhq/cairn/blob/diskblob"
)

func open(t *testing.T, dir string) blob.Store {
	t.Helper()
	s, err := diskblob.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestConformance(t *testing.T) {
	blobtest.Run(t, func(t *testing.T) blob.Store { return open(t, filepath.Join(t.TempDir(), "blobs")) })
}

func TestDurable(t *testing.T) {
	blobtest.RunDurable(t, open)
}
