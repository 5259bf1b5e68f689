package sigv4

import (
	"bufio"
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Limits of the aws-chunked decoder. Memory use is fixed whatever the size
// of the body or of its chunks: data is passed through, never buffered.
const (
	// MaxChunkSize is the largest chunk accepted: 5 GiB, S3's largest single
	// PUT, since an SDK may send a whole known-length stream as one chunk.
	MaxChunkSize = 5 << 30
	// maxLine bounds a chunk-size line or a trailer line.
	maxLine = 1024
	// maxTrailerLines bounds the trailer section.
	maxTrailerLines = 16
	chunkBufSize    = 16 << 10
)

type chunkState uint8

const (
	stSize     chunkState = iota // expecting a chunk-size line
	stData                       // inside chunk data
	stDataEnd                    // expecting the CRLF after chunk data
	stTrailers                   // after the final chunk
	stDone                       // EOF returned
)

// trailerSum is a declared trailing checksum, computed while reading.
type trailerSum struct {
	header, name string
	h            hash.Hash
}

// ChunkedReader reads the decoded payload of an aws-chunked body,
// verifying it as it goes: chunk signatures (each chained to the previous
// one, from the seed signature of the request), the signed trailer, the
// trailing checksums, and the decoded length. Data is returned before its
// chunk's signature is checked; the payload is verified only when Read
// returns io.EOF, and a consumer must discard everything it read if Read
// returns any other error. Errors are *Error, or the body's own read errors.
type ChunkedReader struct {
	br      *bufio.Reader
	signed  bool
	trailer bool

	mac       hash.Hash // HMAC-SHA256 under the signing key
	chunkHash hash.Hash // SHA-256 of the current chunk's data
	iso       string
	scope     string
	prevSig   [64]byte // hex signature of the previous chunk (the seed first)
	chunkSig  [64]byte // hex signature claimed for the current chunk

	remaining int64 // data bytes left in the current chunk
	decoded   int64
	want      int64 // x-amz-decoded-content-length, -1 if absent
	sums      []trailerSum
	declared  []string
	trailers  http.Header

	state chunkState
	err   error
}

// NewChunkedReader returns a reader of the decoded payload of an aws-chunked
// body. The mode comes from a.PayloadHash (the x-amz-content-sha256 value a
// successful Verify returned):
//
//   - STREAMING-AWS4-HMAC-SHA256-PAYLOAD: every chunk signature is verified,
//     chained from the seed signature a.Signature;
//   - STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER: signed chunks, then signed
//     trailing headers;
//   - STREAMING-UNSIGNED-PAYLOAD-TRAILER: plain chunks, then trailing
//     headers.
//
// h is the request's header: x-amz-trailer names the trailing headers,
// which must be checksums (x-amz-checksum-crc32, -crc32c, -crc64nvme, -sha1,
// -sha256, -sha512) and are verified against the decoded bytes at the end
// (KindBadDigest); x-amz-decoded-content-length, if present, must equal the
// decoded length (KindBadChunk).
func NewChunkedReader(body io.Reader, a *Auth, h http.Header) (*ChunkedReader, error) {
	c := &ChunkedReader{want: -1}
	switch a.PayloadHash {
	case StreamingSigned:
		c.signed = true
	case StreamingSignedTrailer:
		c.signed, c.trailer = true, true
	case StreamingUnsignedTrailer:
		c.trailer = true
	default:
		return nil, newError(KindUnsupported, "x-amz-content-sha256 "+echo(a.PayloadHash)+" is not an aws-chunked mode.")
	}
	if c.signed {
		if len(a.Signature) != 64 || len(a.SigningKey) == 0 {
			return nil, newError(KindIncomplete, "a signed aws-chunked body needs the seed signature and signing key of a verified request.")
		}
		copy(c.prevSig[:], a.Signature)
		c.mac = hmac.New(sha256.New, a.SigningKey)
		c.chunkHash = sha256.New()
		c.iso = a.RequestTime.UTC().Format(amzDateFormat)
		c.scope = a.Date + "/" + a.Region + "/" + a.Service + "/" + terminator
	}
	for _, v := range h.Values("X-Amz-Trailer") {
		for _, n := range strings.Split(v, ",") {
			n = strings.ToLower(strings.TrimSpace(n))
			if n == "" {
				continue
			}
			name, sum, ok := newChecksum(n)
			if !ok {
				return nil, newError(KindUnsupported, "The value specified in the x-amz-trailer header is not supported: "+echo(n))
			}
			if slices.Contains(c.declared, n) {
				return nil, newError(KindUnsupported, "x-amz-trailer names "+n+" twice.")
			}
			c.declared = append(c.declared, n)
			c.sums = append(c.sums, trailerSum{header: n, name: name, h: sum})
		}
	}
	if len(c.declared) > 0 && !c.trailer {
		return nil, newError(KindUnsupported, "x-amz-trailer requires x-amz-content-sha256 "+StreamingSignedTrailer+" or "+StreamingUnsignedTrailer+".")
	}
	if v := h.Get("X-Amz-Decoded-Content-Length"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return nil, newError(KindBadChunk, "x-amz-decoded-content-length is not a valid length: "+echo(v))
		}
		c.want = n
	}
	c.br = bufio.NewReaderSize(body, chunkBufSize)
	return c, nil
}

// Decoded returns the number of payload bytes returned so far.
func (c *ChunkedReader) Decoded() int64 { return c.decoded }

// Trailers returns the trailing headers received, once Read has returned
// io.EOF.
func (c *ChunkedReader) Trailers() http.Header { return c.trailers }

func badChunk(msg string) *Error { return newError(KindBadChunk, msg) }

// Read reads decoded payload.
func (c *ChunkedReader) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.read(p)
	if err != nil {
		c.err = err
	}
	return n, err
}

func (c *ChunkedReader) read(p []byte) (int, error) {
	for {
		switch c.state {
		case stSize:
			if err := c.readSize(); err != nil {
				return 0, err
			}
		case stData:
			if len(p) == 0 {
				return 0, nil
			}
			if int64(len(p)) > c.remaining {
				p = p[:c.remaining]
			}
			n, err := c.br.Read(p)
			if n > 0 {
				c.remaining -= int64(n)
				c.decoded += int64(n)
				if c.signed {
					c.chunkHash.Write(p[:n])
				}
				for _, s := range c.sums {
					s.h.Write(p[:n])
				}
				if c.remaining == 0 {
					c.state = stDataEnd
				}
				return n, nil
			}
			if err == io.EOF {
				return 0, badChunk("The aws-chunked body ended inside a chunk.")
			}
			if err != nil {
				return 0, err
			}
		case stDataEnd:
			if err := c.expectCRLF(); err != nil {
				return 0, err
			}
			if c.signed {
				if err := c.verifyChunk(); err != nil {
					return 0, err
				}
			}
			c.state = stSize
		case stTrailers:
			if err := c.finish(); err != nil {
				return 0, err
			}
			c.state = stDone
			return 0, io.EOF
		case stDone:
			return 0, io.EOF
		}
	}
}

// readLine reads one line, without its CRLF (or LF). At EOF before any byte
// it returns io.EOF.
func (c *ChunkedReader) readLine() ([]byte, error) {
	line, err := c.br.ReadSlice('\n')
	switch {
	case errors.Is(err, bufio.ErrBufferFull), len(line) > maxLine:
		return nil, badChunk("An aws-chunked line is too long.")
	case err == io.EOF && len(line) == 0:
		return nil, io.EOF
	case err == io.EOF:
		return nil, badChunk("The aws-chunked body ended inside a line.")
	case err != nil:
		return nil, err
	}
	line = line[:len(line)-1]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, nil
}

const chunkSigPrefix = "chunk-signature="

// readSize reads a chunk-size line: hex-size[;chunk-signature=sig].
func (c *ChunkedReader) readSize() error {
	line, err := c.readLine()
	if err == io.EOF {
		return badChunk("The aws-chunked body ended before its final chunk.")
	}
	if err != nil {
		return err
	}
	sizeHex, ext, hasExt := bytes.Cut(line, []byte{';'})
	if len(sizeHex) == 0 || len(sizeHex) > 16 {
		return badChunk("Invalid aws-chunked chunk size.")
	}
	var size uint64
	for _, b := range sizeHex {
		d, ok := unhex(b)
		if !ok {
			return badChunk("Invalid aws-chunked chunk size.")
		}
		size = size<<4 | uint64(d)
	}
	if size > MaxChunkSize {
		return badChunk("An aws-chunked chunk is larger than 5 GiB.")
	}
	if c.want >= 0 && c.decoded+int64(size) > c.want {
		return badChunk("The aws-chunked body is longer than x-amz-decoded-content-length.")
	}
	if c.signed {
		if !hasExt || len(ext) != len(chunkSigPrefix)+64 || string(ext[:len(chunkSigPrefix)]) != chunkSigPrefix {
			return badChunk("A signed aws-chunked chunk needs a chunk-signature of 64 hex digits.")
		}
		copy(c.chunkSig[:], ext[len(chunkSigPrefix):])
		c.chunkHash.Reset()
	}
	if size == 0 {
		if c.signed {
			// The final chunk is signed over empty data.
			if err := c.verifyChunk(); err != nil {
				return err
			}
		}
		c.state = stTrailers
		return nil
	}
	c.remaining = int64(size)
	c.state = stData
	return nil
}

func (c *ChunkedReader) expectCRLF() error {
	b1, err1 := c.br.ReadByte()
	b2, err2 := c.br.ReadByte()
	if err1 != nil || err2 != nil || b1 != '\r' || b2 != '\n' {
		if err := errors.Join(err1, err2); err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		return badChunk("An aws-chunked chunk's data is not followed by CRLF.")
	}
	return nil
}

// verifyChunk checks the current chunk's signature:
// HMAC(key, "AWS4-HMAC-SHA256-PAYLOAD\n" + time + "\n" + scope + "\n" +
// previous signature + "\n" + SHA256("") + "\n" + SHA256(data)).
func (c *ChunkedReader) verifyChunk() error {
	var sum [sha256.Size]byte
	c.mac.Reset()
	c.writeSigPrefix("AWS4-HMAC-SHA256-PAYLOAD")
	c.mac.Write([]byte(EmptyPayloadHash + "\n"))
	var hx [64]byte
	hex.Encode(hx[:], c.chunkHash.Sum(sum[:0]))
	c.mac.Write(hx[:])
	return c.compareSig(c.chunkSig[:])
}

func (c *ChunkedReader) writeSigPrefix(alg string) {
	var b [256]byte
	p := append(b[:0], alg...)
	p = append(p, '\n')
	p = append(p, c.iso...)
	p = append(p, '\n')
	p = append(p, c.scope...)
	p = append(p, '\n')
	p = append(p, c.prevSig[:]...)
	p = append(p, '\n')
	c.mac.Write(p)
}

// compareSig compares the MAC just computed with claimed, and chains it.
func (c *ChunkedReader) compareSig(claimed []byte) error {
	var sum [sha256.Size]byte
	var got [64]byte
	hex.Encode(got[:], c.mac.Sum(sum[:0]))
	if subtle.ConstantTimeCompare(got[:], claimed) != 1 {
		return newError(KindMismatch, msgMismatch)
	}
	c.prevSig = got
	return nil
}

// finish reads what follows the final chunk and runs the end-of-body
// checks.
func (c *ChunkedReader) finish() error {
	c.trailers = http.Header{}
	var canon []byte // "name:value\n" of each trailer, for the trailer signature
	var trailerSig []byte
	for lines := 0; ; lines++ {
		line, err := c.readLine()
		if err == io.EOF || err == nil && len(line) == 0 {
			break // the final CRLF (a missing one at EOF is tolerated)
		}
		if err != nil {
			return err
		}
		if !c.trailer || lines >= maxTrailerLines || trailerSig != nil {
			return badChunk(msgMalformedTrailer)
		}
		name, value, ok := bytes.Cut(line, []byte{':'})
		if !ok {
			return badChunk(msgMalformedTrailer)
		}
		n := strings.ToLower(string(bytes.TrimSpace(name)))
		v := string(bytes.TrimSpace(value))
		if c.signed && n == "x-amz-trailer-signature" {
			if len(v) != 64 {
				return newError(KindMismatch, msgMismatch)
			}
			trailerSig = []byte(v)
			continue
		}
		if !slices.Contains(c.declared, n) || c.trailers.Get(n) != "" {
			return badChunk(msgMalformedTrailer)
		}
		c.trailers.Set(n, v)
		canon = append(canon, n...)
		canon = append(canon, ':')
		canon = append(canon, v...)
		canon = append(canon, '\n')
	}
	for _, n := range c.declared {
		if c.trailers.Get(n) == "" {
			return badChunk(msgMalformedTrailer)
		}
	}
	if c.signed && c.trailer {
		if trailerSig == nil {
			return newError(KindMismatch, msgMismatch)
		}
		// HMAC(key, "AWS4-HMAC-SHA256-TRAILER\n" + time + "\n" + scope +
		// "\n" + previous signature + "\n" + SHA256(trailers)).
		c.mac.Reset()
		c.writeSigPrefix("AWS4-HMAC-SHA256-TRAILER")
		sum := sha256.Sum256(canon)
		var hx [64]byte
		hex.Encode(hx[:], sum[:])
		c.mac.Write(hx[:])
		if err := c.compareSig(trailerSig); err != nil {
			return err
		}
	}
	if _, err := c.br.ReadByte(); err != io.EOF {
		if err != nil {
			return err
		}
		return badChunk("The aws-chunked body has data after its end.")
	}
	if c.want >= 0 && c.decoded != c.want {
		return badChunk("The aws-chunked body is shorter than x-amz-decoded-content-length.")
	}
	for _, s := range c.sums {
		want := c.trailers.Get(s.header)
		got := base64.StdEncoding.EncodeToString(s.h.Sum(nil))
		if want != got {
			return newError(KindBadDigest, "The "+s.name+" you specified did not match the calculated checksum.")
		}
	}
	return nil
}
