package cairn

import "encoding/base64"

// base32 alphabet used by AWS unique IDs and access key IDs.
const awsIDAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

// NewAWSID returns prefix followed by enough random base32 characters to make
// an AWS-shaped identifier of length n: NewAWSID(ids, "AIDA", 21) for a user
// ID, NewAWSID(ids, "AKIA", 20) for an access key ID.
func NewAWSID(ids IDs, prefix string, n int) string {
	b := ids.Token(n - len(prefix))
	out := make([]byte, 0, n)
	out = append(out, prefix...)
	for _, c := range b {
		out = append(out, awsIDAlphabet[c&31])
	}
	return string(out)
}

// NewSecretAccessKey returns a 40-character secret access key in AWS's
// alphabet (base64 of 30 random bytes).
func NewSecretAccessKey(ids IDs) string {
	return base64.StdEncoding.EncodeToString(ids.Token(SecretAccessKeyLength * 3 / 4))
}

// Unique-ID prefixes, as IAM documents them.
const (
	PrefixUser            = "AIDA"
	PrefixGroup           = "AGPA"
	PrefixRole            = "AROA"
	PrefixManagedPolicy   = "ANPA"
	PrefixAccessKey       = "AKIA"
	PrefixTemporaryKey    = "ASIA"
	PrefixServerCert      = "ASCA"
	IDLength              = 21
	AccessKeyIDLength     = 20
	SecretAccessKeyLength = 40
)
