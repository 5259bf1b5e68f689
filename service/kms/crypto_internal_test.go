package kms

import (
	"bytes"
	"testing"
)

func TestBlobIsSelfDescribingAndTamperProof(t *testing.T) {
	material := bytes.Repeat([]byte{7}, materialLen)
	aead, err := newAEAD(material)
	if err != nil {
		t.Fatal(err)
	}
	keyID := "1234abcd-12ab-34cd-56ef-1234567890ab"
	nonce := bytes.Repeat([]byte{1}, nonceLen)
	ec := map[string]string{"a": "1", "b": "2"}
	blob, err := encryptBlob(aead, "123456789012", keyID, 3, nonce, []byte("hello"), ec)
	if err != nil {
		t.Fatal(err)
	}
	h, ok := parseBlob(blob)
	if !ok || h.account != "123456789012" || h.keyID != keyID || h.version != 3 {
		t.Fatalf("header %+v %v", h, ok)
	}
	if len(blob) != blobHeaderLen+len("hello")+tagLen {
		t.Fatalf("blob length %d", len(blob))
	}
	if pt, ok := decryptBlob(aead, blob, map[string]string{"b": "2", "a": "1"}); !ok || string(pt) != "hello" {
		t.Fatalf("round trip %q %v", pt, ok)
	}
	// Every byte is authenticated, the header included.
	for i := range blob {
		bad := bytes.Clone(blob)
		bad[i] ^= 0x20
		if _, ok := decryptBlob(aead, bad, ec); ok {
			t.Fatalf("flipping byte %d went unnoticed", i)
		}
	}
	// Contexts that differ only in how pairs split do not collide.
	for _, other := range []map[string]string{nil, {"a": "1"}, {"a": "1b", "": "2"}, {"a": "1", "b": "2", "c": ""}} {
		if _, ok := decryptBlob(aead, blob, other); ok {
			t.Fatalf("context %v accepted", other)
		}
	}
	if _, ok := parseBlob(blob[:blobHeaderLen+tagLen-1]); ok {
		t.Fatal("short blob parsed")
	}
	wrong := bytes.Clone(blob)
	wrong[0] = 2
	if _, ok := parseBlob(wrong); ok {
		t.Fatal("unknown format parsed")
	}
}

func TestKeyIDBytes(t *testing.T) {
	for _, id := range []string{"1234abcd-12ab-34cd-56ef-1234567890ab", "1234ABCD-12AB-34CD-56EF-1234567890AB"} {
		b, ok := keyIDBytes(id)
		if !ok || formatKeyID(b[:]) != "1234abcd-12ab-34cd-56ef-1234567890ab" {
			t.Fatalf("%s: %v", id, ok)
		}
	}
	for _, id := range []string{"", "alias/x", "1234abcd12ab34cd56ef1234567890ab", "1234abcd-12ab-34cd-56ef-1234567890az"} {
		if _, ok := keyIDBytes(id); ok {
			t.Fatalf("%q accepted", id)
		}
	}
}
