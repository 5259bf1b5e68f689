package restxml

import (
	"bytes"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"hash"
	"hash/crc32"
	"hash/crc64"
	"io"
	"net/http"
	"strings"

	"github.com/cairnhq/cairn"
)

// A digest is one check a request declares on its body: Content-MD5, or an
// x-amz-checksum-<algorithm> header. Trailing checksums of aws-chunked
// bodies are checked by the sigv4 package as the body is decoded.
type digest struct {
	h    hash.Hash
	want []byte
	err  *cairn.Error // what a mismatch is
}

// crc64NVME is CRC-64/NVME, bit-reversed as hash/crc64 takes it.
const crc64NVME = 0x9a6c9329ac4bc9b5

var checksums = []struct {
	header, name string
	new          func() hash.Hash
}{
	{"X-Amz-Checksum-Crc32", "CRC32", func() hash.Hash { return crc32.NewIEEE() }},
	{"X-Amz-Checksum-Crc32c", "CRC32C", func() hash.Hash { return crc32.New(crc32.MakeTable(crc32.Castagnoli)) }},
	{"X-Amz-Checksum-Crc64nvme", "CRC64NVME", func() hash.Hash { return crc64.New(crc64.MakeTable(crc64NVME)) }},
	{"X-Amz-Checksum-Sha1", "SHA1", sha1.New},
	{"X-Amz-Checksum-Sha256", "SHA256", sha256.New},
	{"X-Amz-Checksum-Sha512", "SHA512", sha512.New},
}

// digests returns the checks the request's headers declare on its body.
// A Content-MD5 that is not a base64 MD5 is InvalidDigest; a checksum
// header that is not base64 of the right size is InvalidRequest.
func digests(h http.Header) ([]digest, error) {
	var ds []digest
	if v, ok := h["Content-Md5"]; ok {
		want, err := base64.StdEncoding.DecodeString(strings.TrimSpace(strings.Join(v, "")))
		if err != nil || len(want) != md5.Size {
			return nil, &cairn.Error{Code: "InvalidDigest", Status: 400, Message: "The Content-MD5 you specified was invalid."}
		}
		ds = append(ds, digest{h: md5.New(), want: want, err: &cairn.Error{Code: "BadDigest", Status: 400,
			Message: "The Content-MD5 you specified did not match what we received."}})
	}
	trailer := strings.ToLower(strings.Join(h.Values("X-Amz-Trailer"), ","))
	for _, c := range checksums {
		v := h.Get(c.header)
		if v == "" || strings.Contains(trailer, strings.ToLower(c.header)) {
			continue
		}
		hh := c.new()
		want, err := base64.StdEncoding.DecodeString(strings.TrimSpace(v))
		if err != nil || len(want) != hh.Size() {
			return nil, &cairn.Error{Code: "InvalidRequest", Status: 400,
				Message: "Value for " + strings.ToLower(c.header) + " header is invalid."}
		}
		ds = append(ds, digest{h: hh, want: want, err: &cairn.Error{Code: "BadDigest", Status: 400,
			Message: "The " + c.name + " you specified did not match the calculated checksum."}})
	}
	return ds, nil
}

// checkBody verifies a body held in memory.
func checkBody(ds []digest, body []byte) error {
	for _, d := range ds {
		d.h.Write(body)
		if !bytes.Equal(d.h.Sum(nil), d.want) {
			return d.err
		}
	}
	return nil
}

// checkedReader verifies a streamed body against its digests when it
// reaches io.EOF, returning the mismatch instead of io.EOF: a consumer
// that stores the body must discard it on any error, as it must for the
// sigv4 payload reader underneath.
type checkedReader struct {
	r   io.Reader
	ds  []digest
	err error
}

func (c *checkedReader) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.r.Read(p)
	for _, d := range c.ds {
		d.h.Write(p[:n])
	}
	if err == io.EOF {
		for _, d := range c.ds {
			if !bytes.Equal(d.h.Sum(nil), d.want) {
				err = d.err
				break
			}
		}
	}
	if err != nil {
		c.err = err
	}
	return n, err
}
