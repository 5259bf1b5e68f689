// Package rootkey keeps the deployment's root key, a 256-bit AES key in a
// file of the data folder readable by its owner only, and seals secrets
// under it with AES-256-GCM.
//
// Sealed format: version byte 1 | 12-byte random nonce | ciphertext+tag.
package rootkey

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/cairnhq/cairn"
)

const (
	keySize   = 32
	version   = 1
	nonceSize = 12
)

// Key is a loaded root key.
type Key struct {
	aead cipher.AEAD
}

var _ cairn.Sealer = (*Key)(nil)

// LoadOrCreate reads the key at path, creating it with mode 0600 when the
// file does not exist. A key file with wider permissions or the wrong size
// is refused.
func LoadOrCreate(path string) (*Key, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		raw = make([]byte, keySize)
		if _, err := rand.Read(raw); err != nil {
			return nil, fmt.Errorf("generate root key: %w", err)
		}
		if err := writeNew(path, raw); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, fmt.Errorf("read root key: %w", err)
	} else {
		st, err := os.Stat(path)
		if err != nil {
			return nil, fmt.Errorf("stat root key: %w", err)
		}
		if st.Mode().Perm()&0o077 != 0 {
			return nil, fmt.Errorf("root key %s: mode %v is readable by others; want 0600", path, st.Mode().Perm())
		}
	}
	if len(raw) != keySize {
		return nil, fmt.Errorf("root key %s: %d bytes, want %d", path, len(raw), keySize)
	}
	return New(raw)
}

// New wraps raw key bytes (32 bytes).
func New(raw []byte) (*Key, error) {
	block, err := aes.NewCipher(raw)
	if err != nil {
		return nil, fmt.Errorf("root key cipher: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("root key gcm: %w", err)
	}
	return &Key{aead: aead}, nil
}

func writeNew(path string, raw []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("create root key: %w", err)
	}
	if _, err := f.Write(raw); err != nil {
		f.Close()
		return fmt.Errorf("write root key: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("sync root key: %w", err)
	}
	return f.Close()
}

// Seal encrypts plaintext bound to additionalData.
func (k *Key) Seal(plaintext, additionalData []byte) ([]byte, error) {
	out := make([]byte, 1+nonceSize, 1+nonceSize+len(plaintext)+k.aead.Overhead())
	out[0] = version
	if _, err := rand.Read(out[1 : 1+nonceSize]); err != nil {
		return nil, fmt.Errorf("seal nonce: %w", err)
	}
	return k.aead.Seal(out, out[1:1+nonceSize], plaintext, additionalData), nil
}

// ErrOpen is returned for a ciphertext that does not authenticate.
var ErrOpen = errors.New("sealed secret does not authenticate")

// Open decrypts what Seal produced with the same additional data.
func (k *Key) Open(ciphertext, additionalData []byte) ([]byte, error) {
	if len(ciphertext) < 1+nonceSize+k.aead.Overhead() || ciphertext[0] != version {
		return nil, ErrOpen
	}
	pt, err := k.aead.Open(nil, ciphertext[1:1+nonceSize], ciphertext[1+nonceSize:], additionalData)
	if err != nil {
		return nil, ErrOpen
	}
	return pt, nil
}
