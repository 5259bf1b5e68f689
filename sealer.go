package cairn

// Sealer encrypts secrets at rest (secret access keys, key material, data
// keys, signing keys) under the deployment's root key. Open returns an
// error for any ciphertext that was not produced by Seal with the same
// additional data, so a secret cannot be moved to another record.
type Sealer interface {
	Seal(plaintext, additionalData []byte) ([]byte, error)
	Open(ciphertext, additionalData []byte) ([]byte, error)
}
