package sealstream

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"io"
	"math/rand/v2"
	"testing"
)

const benchSize = 64 << 20

var benchPT []byte // made by the first benchmark that needs it, not at init

func benchPlaintext() []byte {
	if benchPT == nil {
		benchPT = plaintext(9, benchSize)
	}
	return benchPT
}

func BenchmarkWriter(b *testing.B) {
	b.SetBytes(benchSize)
	benchPlaintext()
	for b.Loop() {
		w, _ := NewWriter(io.Discard, key1, aad1)
		for p := benchPT; len(p) > 0; p = p[1<<20:] {
			w.Write(p[:1<<20])
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriterReadFrom(b *testing.B) {
	b.SetBytes(benchSize)
	benchPlaintext()
	for b.Loop() {
		w, _ := NewWriter(io.Discard, key1, aad1)
		if _, err := io.Copy(w, struct{ io.Reader }{bytes.NewReader(benchPT)}); err != nil {
			b.Fatal(err)
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSealingReader(b *testing.B) {
	b.SetBytes(benchSize)
	benchPlaintext()
	for b.Loop() {
		sr, _ := NewSealingReader(bytes.NewReader(benchPT), key1, aad1)
		if _, err := io.Copy(io.Discard, sr); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReader(b *testing.B) {
	s := &store{ct: seal(b, benchPlaintext(), DefaultSegmentSize, key1, aad1)}
	b.SetBytes(benchSize)
	for b.Loop() {
		r, err := NewReader(s.open, key1, aad1, benchSize, 0, -1)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, r); err != nil {
			b.Fatal(err)
		}
		r.Close()
	}
}

// BenchmarkReaderRange4KiB: random 4 KiB ranges of a 64 MiB object (one or
// two segments each).
func BenchmarkReaderRange4KiB(b *testing.B) {
	s := &store{ct: seal(b, benchPlaintext(), DefaultSegmentSize, key1, aad1)}
	r := rand.New(rand.NewPCG(1, 2))
	buf := make([]byte, 4096)
	b.SetBytes(4096)
	for b.Loop() {
		rd, err := NewReader(s.open, key1, aad1, benchSize, r.Int64N(benchSize-4096), 4096)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadFull(rd, buf); err != nil {
			b.Fatal(err)
		}
		rd.Close()
	}
}

// BenchmarkSmallObject: seal and read back a 4 KiB object.
func BenchmarkSmallObject(b *testing.B) {
	pt := benchPlaintext()[:4096]
	var buf bytes.Buffer
	b.SetBytes(4096)
	b.ReportAllocs()
	out := make([]byte, 4096)
	for b.Loop() {
		buf.Reset()
		w, _ := NewWriter(&buf, key1, aad1)
		w.Write(pt)
		w.Close()
		s := &store{ct: buf.Bytes()}
		r, err := NewReader(s.open, key1, aad1, 4096, 0, -1)
		if err != nil {
			b.Fatal(err)
		}
		io.ReadFull(r, out)
		r.Close()
	}
}

// BenchmarkGCM is the ceiling: AES-256-GCM on 64 KiB buffers.
func BenchmarkGCM(b *testing.B) {
	block, _ := aes.NewCipher(key1)
	gcm, _ := cipher.NewGCM(block)
	buf := make([]byte, DefaultSegmentSize+TagSize)
	nonce := make([]byte, 12)
	b.SetBytes(DefaultSegmentSize)
	for b.Loop() {
		gcm.Seal(buf[:0], nonce, buf[:DefaultSegmentSize], aad1)
	}
}
