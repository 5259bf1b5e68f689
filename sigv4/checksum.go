package sigv4

import (
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"hash"
	"hash/crc32"
	"hash/crc64"
)

// crc64NVME is the CRC-64/NVME polynomial 0xad93d23594c93659 bit-reversed,
// the form hash/crc64.MakeTable takes (as in aws-sdk-go-v2's
// service/internal/checksum).
const crc64NVME = 0x9a6c9329ac4bc9b5

// newChecksum returns the hash a trailing checksum header names, and the
// algorithm's name as S3 spells it in its BadDigest message. The digest is
// sent base64-encoded, big-endian for the CRCs.
func newChecksum(header string) (name string, h hash.Hash, ok bool) {
	switch header {
	case "x-amz-checksum-crc32":
		return "CRC32", crc32.NewIEEE(), true
	case "x-amz-checksum-crc32c":
		return "CRC32C", crc32.New(crc32.MakeTable(crc32.Castagnoli)), true
	case "x-amz-checksum-crc64nvme":
		return "CRC64NVME", crc64.New(crc64.MakeTable(crc64NVME)), true
	case "x-amz-checksum-sha1":
		return "SHA1", sha1.New(), true
	case "x-amz-checksum-sha256":
		return "SHA256", sha256.New(), true
	case "x-amz-checksum-sha512":
		return "SHA512", sha512.New(), true
	}
	return "", nil, false
}
