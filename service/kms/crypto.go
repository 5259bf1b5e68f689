package kms

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"encoding/hex"
	"sort"
	"strings"
)

// Ciphertext blob, format 1. Every field before the ciphertext is bound as
// AES-256-GCM additional data together with the canonical encryption
// context, so that no part of the header can be changed undetected:
//
//	offset size
//	0      1    format (1)
//	1      12   key owner account ID, ASCII digits
//	13     16   key ID (the UUID's 16 bytes)
//	29     4    key version, big endian (1 = the key's first material)
//	33     12   nonce
//	45     n    ciphertext
//	45+n   16   GCM tag
const (
	blobFormat    = 1
	blobHeaderLen = 45
	nonceLen      = 12
	tagLen        = 16
	materialLen   = 32
)

// blobHeader is what a ciphertext says about itself.
type blobHeader struct {
	account string
	keyID   string
	version uint32
}

// parseBlob reads a ciphertext's header; ok is false for anything that is
// not a format-1 blob with room for a tag.
func parseBlob(b []byte) (h blobHeader, ok bool) {
	if len(b) < blobHeaderLen+tagLen || b[0] != blobFormat {
		return h, false
	}
	acct := b[1:13]
	for _, c := range acct {
		if c < '0' || c > '9' {
			return h, false
		}
	}
	h.account = string(acct)
	h.keyID = formatKeyID(b[13:29])
	h.version = binary.BigEndian.Uint32(b[29:33])
	return h, h.version > 0
}

// formatKeyID renders 16 bytes as a UUID.
func formatKeyID(b []byte) string {
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:36], b[10:16])
	return string(s[:])
}

// keyIDBytes parses a UUID key ID; ok is false when id is not one.
func keyIDBytes(id string) (b [16]byte, ok bool) {
	if len(id) != 36 || id[8] != '-' || id[13] != '-' || id[18] != '-' || id[23] != '-' {
		return b, false
	}
	h := id[0:8] + id[9:13] + id[14:18] + id[19:23] + id[24:36]
	n, err := hex.Decode(b[:], []byte(strings.ToLower(h)))
	return b, err == nil && n == 16
}

// isKeyID reports whether s has the form of a key ID.
func isKeyID(s string) bool {
	_, ok := keyIDBytes(s)
	return ok
}

// newAEAD builds AES-256-GCM over one version's material.
func newAEAD(material []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(material)
	if err != nil {
		return nil, errorf("key material: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, errorf("key material: %w", err)
	}
	return aead, nil
}

// encryptBlob seals plaintext under one key version.
func encryptBlob(aead cipher.AEAD, account, keyID string, version uint32, nonce, plaintext []byte, ec map[string]string) ([]byte, error) {
	id, ok := keyIDBytes(keyID)
	if !ok || len(account) != 12 || len(nonce) != nonceLen {
		return nil, errorf("encrypt: malformed key reference %s/%s", account, keyID)
	}
	out := make([]byte, blobHeaderLen, blobHeaderLen+len(plaintext)+tagLen)
	out[0] = blobFormat
	copy(out[1:13], account)
	copy(out[13:29], id[:])
	binary.BigEndian.PutUint32(out[29:33], version)
	copy(out[33:45], nonce)
	return aead.Seal(out, nonce, plaintext, additionalData(out[:33], ec)), nil
}

// decryptBlob opens a blob whose header was parsed; ok is false when the
// blob, its header or the encryption context do not authenticate.
func decryptBlob(aead cipher.AEAD, blob []byte, ec map[string]string) ([]byte, bool) {
	if len(blob) < blobHeaderLen+tagLen {
		return nil, false
	}
	pt, err := aead.Open(nil, blob[33:45], blob[blobHeaderLen:], additionalData(blob[:33], ec))
	return pt, err == nil
}

// additionalData is the header followed by the canonical encryption
// context: pairs sorted by key, each part length-prefixed, so that no two
// contexts encode alike.
func additionalData(header []byte, ec map[string]string) []byte {
	n := len(header)
	keys := make([]string, 0, len(ec))
	for k, v := range ec {
		keys = append(keys, k)
		n += 8 + len(k) + len(v)
	}
	sort.Strings(keys)
	ad := make([]byte, 0, n)
	ad = append(ad, header...)
	for _, k := range keys {
		ad = binary.BigEndian.AppendUint32(ad, uint32(len(k)))
		ad = append(ad, k...)
		v := ec[k]
		ad = binary.BigEndian.AppendUint32(ad, uint32(len(v)))
		ad = append(ad, v...)
	}
	return ad
}

// materialAD binds sealed material to its key and version, so that sealed
// material cannot be moved to another key or version.
func materialAD(keyARN, materialID string) []byte {
	return []byte("cairn/kms/material\x00" + keyARN + "\x00" + materialID)
}

// newMaterial draws a version's material and seals it.
func (s *Service) newMaterial(keyARN string) (materialRec, error) {
	m := materialRec{ID: hex.EncodeToString(s.cfg.IDs.Token(32))}
	material := s.cfg.IDs.Token(materialLen)
	defer clear(material)
	sealed, err := s.cfg.Sealer.Seal(material, materialAD(keyARN, m.ID))
	if err != nil {
		return m, errorf("seal key material: %w", err)
	}
	m.Sealed = sealed
	return m, nil
}

// openMaterial unseals every version of k into AEADs, index = version-1.
func (s *Service) openMaterial(k *keyRec) ([]cipher.AEAD, error) {
	out := make([]cipher.AEAD, len(k.Versions))
	arn := k.arn()
	for i, v := range k.Versions {
		material, err := s.cfg.Sealer.Open(v.Sealed, materialAD(arn, v.ID))
		if err != nil {
			return nil, errorf("open key material of %s version %d: %w", arn, i+1, err)
		}
		aead, err := newAEAD(material)
		clear(material)
		if err != nil {
			return nil, err
		}
		out[i] = aead
	}
	return out, nil
}
