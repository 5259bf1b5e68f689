package rootkey

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestSealOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "root.key")
	k, err := LoadOrCreate(path)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(path)
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, want 0600", st.Mode().Perm())
	}
	secret := []byte("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	sealed, err := k.Seal(secret, []byte("AKIA1"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, secret) {
		t.Fatal("sealed bytes contain the plaintext")
	}
	k2, err := LoadOrCreate(path) // reload the same key
	if err != nil {
		t.Fatal(err)
	}
	got, err := k2.Open(sealed, []byte("AKIA1"))
	if err != nil || !bytes.Equal(got, secret) {
		t.Fatalf("open = %q, %v", got, err)
	}
	if _, err := k2.Open(sealed, []byte("AKIA2")); !errors.Is(err, ErrOpen) {
		t.Fatalf("open with other additional data: %v, want ErrOpen", err)
	}
	sealed[len(sealed)-1] ^= 1
	if _, err := k2.Open(sealed, []byte("AKIA1")); !errors.Is(err, ErrOpen) {
		t.Fatalf("open tampered: %v, want ErrOpen", err)
	}
}

func TestRefusesWorldReadableKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "root.key")
	if err := os.WriteFile(path, make([]byte, 32), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreate(path); err == nil {
		t.Fatal("a 0644 root key was accepted")
	}
}
