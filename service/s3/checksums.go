package s3

import (
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"hash"
	"hash/crc32"
	"hash/crc64"
	"strings"
)

// crc64NVME is CRC-64/NVME, bit-reversed as hash/crc64 takes it.
const crc64NVME = 0x9a6c9329ac4bc9b5

// newChecksum returns the hash of a checksum algorithm as S3 names it
// (x-amz-sdk-checksum-algorithm, x-amz-checksum-algorithm).
func newChecksum(alg string) (hash.Hash, bool) {
	switch normalizeChecksum(alg) {
	case "CRC32":
		return crc32.NewIEEE(), true
	case "CRC32C":
		return crc32.New(crc32.MakeTable(crc32.Castagnoli)), true
	case "CRC64NVME":
		return crc64.New(crc64.MakeTable(crc64NVME)), true
	case "SHA1":
		return sha1.New(), true
	case "SHA256":
		return sha256.New(), true
	case "SHA512":
		return sha512.New(), true
	}
	return nil, false
}

func normalizeChecksum(alg string) string { return strings.ToUpper(strings.TrimSpace(alg)) }

// declaredChecksum is the algorithm whose value an upload carries: the
// x-amz-sdk-checksum-algorithm member, else the one checksum header set.
func declaredChecksum(alg string, values map[string]string) string {
	if alg != "" {
		return normalizeChecksum(alg)
	}
	for name, v := range values {
		if v != "" {
			return name
		}
	}
	return ""
}

// checksumFields spreads a stored checksum over the Checksum* members of
// a response.
func checksumFields(c *checksumRec, crc32, crc32c, crc64, sha1, sha256, sha512 *string) {
	if c == nil {
		return
	}
	switch c.Algorithm {
	case "CRC32":
		*crc32 = c.Value
	case "CRC32C":
		*crc32c = c.Value
	case "CRC64NVME":
		*crc64 = c.Value
	case "SHA1":
		*sha1 = c.Value
	case "SHA256":
		*sha256 = c.Value
	case "SHA512":
		*sha512 = c.Value
	}
}
