package sigv4

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"
)

// The example of the S3 documentation, "Signature Calculations for the
// Authorization Header: Transferring Payload in Multiple Chunks (Chunked
// Upload)" and its trailer variant ("Signature calculations for trailing
// headers"): 65536 + 1024 bytes of 'a', credentials AKIAIOSFODNN7EXAMPLE,
// 20130524T000000Z, us-east-1, with the signatures AWS publishes.
const (
	docAKID   = "AKIAIOSFODNN7EXAMPLE"
	docSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
)

var docTime = time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC)

type docExample struct {
	header     map[string]string
	authz      string
	chunkSigs  [3]string
	trailer    string // trailer lines after the final chunk, before the final CRLF
	contentLen int64
}

var docSigned = docExample{
	header: map[string]string{
		"X-Amz-Date":                   "20130524T000000Z",
		"X-Amz-Storage-Class":          "REDUCED_REDUNDANCY",
		"X-Amz-Content-Sha256":         StreamingSigned,
		"Content-Encoding":             "aws-chunked",
		"X-Amz-Decoded-Content-Length": "66560",
		"Content-Length":               "66824",
	},
	authz: "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9",
	chunkSigs: [3]string{
		"ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
		"0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
		"b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9",
	},
	contentLen: 66824,
}

var docSignedTrailer = docExample{
	header: map[string]string{
		"X-Amz-Date":                   "20130524T000000Z",
		"X-Amz-Storage-Class":          "REDUCED_REDUNDANCY",
		"X-Amz-Content-Sha256":         StreamingSignedTrailer,
		"Content-Encoding":             "aws-chunked",
		"X-Amz-Decoded-Content-Length": "66560",
		"X-Amz-Trailer":                "x-amz-checksum-crc32c",
	},
	authz: "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer,Signature=106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e",
	chunkSigs: [3]string{
		"b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2",
		"1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7",
		"2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992",
	},
	trailer: "x-amz-checksum-crc32c:sOO8/Q==\r\nx-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n",
}

func (d docExample) body() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "10000;chunk-signature=%s\r\n%s\r\n", d.chunkSigs[0], strings.Repeat("a", 65536))
	fmt.Fprintf(&b, "400;chunk-signature=%s\r\n%s\r\n", d.chunkSigs[1], strings.Repeat("a", 1024))
	fmt.Fprintf(&b, "0;chunk-signature=%s\r\n%s\r\n", d.chunkSigs[2], d.trailer)
	return b.Bytes()
}

func (d docExample) request(body []byte) *http.Request {
	r, _ := http.NewRequest("PUT", "http://s3.amazonaws.com/examplebucket/chunkObject.txt", bytes.NewReader(body))
	r.RequestURI = "/examplebucket/chunkObject.txt"
	r.ContentLength = int64(len(body))
	for k, v := range d.header {
		r.Header.Set(k, v)
	}
	r.Header.Set("Authorization", d.authz)
	return r
}

func docVerifier() *Verifier {
	return &Verifier{Now: fixedClock(docTime.Add(time.Minute)), Lookup: keys(map[string]string{docAKID: docSecret})}
}

// decodeDoc verifies the request and decodes body as its payload.
func decodeDoc(t *testing.T, d docExample, body []byte, mutate func(*http.Request)) ([]byte, *ChunkedReader, error) {
	t.Helper()
	r := d.request(body)
	if mutate != nil {
		mutate(r)
	}
	a, err := docVerifier().Verify(r, "")
	if err != nil {
		t.Fatalf("seed request rejected: %v", err)
	}
	cr, err := NewChunkedReader(r.Body, a, r.Header)
	if err != nil {
		return nil, nil, err
	}
	out, err := io.ReadAll(cr)
	return out, cr, err
}

func TestChunkedAWSExamples(t *testing.T) {
	for name, d := range map[string]docExample{"signed": docSigned, "signed trailer": docSignedTrailer} {
		t.Run(name, func(t *testing.T) {
			body := d.body()
			if d.contentLen != 0 && int64(len(body)) != d.contentLen {
				t.Fatalf("body is %d bytes, the example says %d", len(body), d.contentLen)
			}
			out, cr, err := decodeDoc(t, d, body, nil)
			if err != nil {
				t.Fatalf("decoding: %v", err)
			}
			if !bytes.Equal(out, bytes.Repeat([]byte("a"), 66560)) || cr.Decoded() != 66560 {
				t.Fatalf("decoded %d bytes", len(out))
			}
			if d.trailer != "" && cr.Trailers().Get("x-amz-checksum-crc32c") != "sOO8/Q==" {
				t.Errorf("trailers = %v", cr.Trailers())
			}

			// One byte of data flipped, in each chunk.
			for _, at := range []int{200, 65536 + 100} {
				b := bytes.Clone(body)
				i := bytes.Index(b, []byte("\r\naaaa")) + 2 + at
				if at > 65536 {
					i = bytes.LastIndex(b, []byte("\r\naaaa")) + 2 + 100
				}
				b[i] = 'b'
				_, _, err := decodeDoc(t, d, b, nil)
				wantKind(t, err, KindMismatch, fmt.Sprintf("byte flipped at %d", i))
			}
			// A chunk signature changed, chunks swapped, the last chunk dropped.
			b := bytes.Replace(body, []byte(d.chunkSigs[1]), []byte(d.chunkSigs[0]), 1)
			_, _, err = decodeDoc(t, d, b, nil)
			wantKind(t, err, KindMismatch, "wrong chunk signature")
			b = bytes.Replace(body, []byte(d.chunkSigs[2]), []byte(strings.Repeat("0", 64)), 1)
			_, _, err = decodeDoc(t, d, b, nil)
			wantKind(t, err, KindMismatch, "wrong final chunk signature")
			_, _, err = decodeDoc(t, d, body[:len(body)-len(d.trailer)-len("0;chunk-signature=")-64-4], nil)
			wantKind(t, err, KindBadChunk, "final chunk missing")
			_, _, err = decodeDoc(t, d, body[:1000], nil)
			wantKind(t, err, KindBadChunk, "truncated")
			_, _, err = decodeDoc(t, d, append(bytes.Clone(body), "extra"...), nil)
			wantKind(t, err, KindBadChunk, "data after the end")
			if d.trailer != "" {
				b := bytes.Replace(body, []byte("sOO8/Q=="), []byte("sOO8/Q=0"), 1)
				_, _, err = decodeDoc(t, d, b, nil)
				wantKind(t, err, KindMismatch, "signed trailer changed")
				b = bytes.Replace(body, []byte("d81f82fc"), []byte("d81f82fd"), 1)
				_, _, err = decodeDoc(t, d, b, nil)
				wantKind(t, err, KindMismatch, "trailer signature changed")
				b = bytes.Replace(body, []byte("x-amz-trailer-signature:"), []byte("x-amz-checksum-sha1:2jmj7l5rSw0yVb/vlWAYkK/YBwk=\r\nx-amz-trailer-signature:"), 1)
				_, _, err = decodeDoc(t, d, b, nil)
				wantKind(t, err, KindBadChunk, "undeclared trailer")
			}
		})
	}
}

// TestChunkedDecodedLength checks x-amz-decoded-content-length against an
// unsigned body (where the header may differ from the payload without
// breaking a signature).
func TestChunkedDecodedLength(t *testing.T) {
	a := &Auth{PayloadHash: StreamingUnsignedTrailer}
	body := "b\r\nhello world\r\n0\r\n\r\n"
	for _, c := range []struct {
		length string
		want   Kind
	}{{"11", 0}, {"", 0}, {"12", KindBadChunk}, {"10", KindBadChunk}, {"-1", KindBadChunk}, {"x", KindBadChunk}} {
		h := http.Header{}
		if c.length != "" {
			h.Set("X-Amz-Decoded-Content-Length", c.length)
		}
		cr, err := NewChunkedReader(strings.NewReader(body), a, h)
		if err == nil {
			_, err = io.ReadAll(cr)
		}
		if c.want == 0 && err != nil {
			t.Errorf("length %q: %v", c.length, err)
		} else if c.want != 0 {
			wantKind(t, err, c.want, "length "+c.length)
		}
	}
}

// The checksums of "hello world" in aws-sdk-go-v2's
// service/internal/checksum tests, and its aws-chunked framing
// ("b\r\nhello world\r\n0\r\nx-amz-checksum-crc64nvme:jSnVw/bqjr4=\r\n\r\n").
var sdkHelloChecksums = map[string]string{
	"x-amz-checksum-crc32":     "DUoRhQ==",
	"x-amz-checksum-crc32c":    "yZRlqg==",
	"x-amz-checksum-crc64nvme": "jSnVw/bqjr4=",
	"x-amz-checksum-sha1":      "Kq5sNclPz7QV2+lfQIuc6R7oRu0=",
	"x-amz-checksum-sha256":    "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=",
	"x-amz-checksum-sha512":    "MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33FVC6TrpzXbw==",
}

func TestChunkedUnsignedTrailerChecksums(t *testing.T) {
	a := &Auth{PayloadHash: StreamingUnsignedTrailer}
	read := func(trailerHeader, body string) (string, error) {
		h := http.Header{"X-Amz-Trailer": {trailerHeader}, "X-Amz-Decoded-Content-Length": {"11"}}
		cr, err := NewChunkedReader(strings.NewReader(body), a, h)
		if err != nil {
			return "", err
		}
		out, err := io.ReadAll(cr)
		return string(out), err
	}
	for name, sum := range sdkHelloChecksums {
		body := "b\r\nhello world\r\n0\r\n" + name + ":" + sum + "\r\n\r\n"
		if out, err := read(name, body); err != nil || out != "hello world" {
			t.Errorf("%s: %q, %v", name, out, err)
		}
		// Header names are case-insensitive; a missing final CRLF at EOF is
		// tolerated.
		if _, err := read(strings.ToUpper(name), strings.TrimSuffix(body, "\r\n")); err != nil {
			t.Errorf("%s upper case: %v", name, err)
		}
		// One payload byte changed.
		_, err := read(name, strings.Replace(body, "hello", "jello", 1))
		wantKind(t, err, KindBadDigest, name+" payload changed")
		// Another algorithm's value.
		other := sdkHelloChecksums["x-amz-checksum-crc32"]
		if name == "x-amz-checksum-crc32" {
			other = sdkHelloChecksums["x-amz-checksum-crc32c"]
		}
		_, err = read(name, strings.Replace(body, sum, other, 1))
		wantKind(t, err, KindBadDigest, name+" wrong value")
		// Declared but not sent; sent but not declared.
		_, err = read(name, "b\r\nhello world\r\n0\r\n\r\n")
		wantKind(t, err, KindBadChunk, name+" missing")
		_, err = read("x-amz-checksum-crc32c", body)
		if name != "x-amz-checksum-crc32c" {
			wantKind(t, err, KindBadChunk, name+" undeclared")
		}
	}
	// Several chunks, split anywhere.
	body := "5\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n"
	if out, err := read("x-amz-checksum-crc32", body); err != nil || out != "hello world" {
		t.Errorf("three chunks: %q, %v", out, err)
	}
	if _, err := read("x-amz-checksum-md5", body); KindOf(err) != KindUnsupported {
		t.Errorf("unknown trailer accepted: %v", err)
	}
}

func TestChunkedMalformed(t *testing.T) {
	a := &Auth{PayloadHash: StreamingUnsignedTrailer}
	for name, body := range map[string]string{
		"17 hex digits":        "00000000000000001\r\nx\r\n0\r\n\r\n",
		"over 5 GiB":           "140000001\r\n",
		"not hex":              "zz\r\nx\r\n0\r\n\r\n",
		"empty size":           "\r\n",
		"huge line":            strings.Repeat("1", 5000) + "\r\n",
		"no CRLF after data":   "5\r\nhelloX\r\n0\r\n\r\n",
		"truncated data":       "5\r\nhel",
		"empty body":           "",
		"no final chunk":       "5\r\nhello\r\n",
		"trailer without ':'":  "5\r\nhello\r\n0\r\nnonsense\r\n\r\n",
		"too many trailers":    "0\r\n" + strings.Repeat("a:b\r\n", 20) + "\r\n",
		"trailing garbage":     "0\r\n\r\ngarbage",
		"signature unexpected": "0\r\nx-amz-trailer-signature:" + strings.Repeat("0", 64) + "\r\n\r\n",
	} {
		cr, err := NewChunkedReader(strings.NewReader(body), a, http.Header{})
		if err != nil {
			t.Fatal(err)
		}
		_, err = io.ReadAll(cr)
		wantKind(t, err, KindBadChunk, name)
		// The error sticks.
		if _, err2 := cr.Read(make([]byte, 1)); err2 != err {
			t.Errorf("%s: second Read returned %v", name, err2)
		}
	}
	// Modes and declarations that cannot be decoded.
	for name, c := range map[string]struct {
		payload, trailer string
	}{
		"not streaming":           {EmptyPayloadHash, ""},
		"trailer without mode":    {StreamingSigned, "x-amz-checksum-crc32"},
		"trailer twice":           {StreamingUnsignedTrailer, "x-amz-checksum-crc32, x-amz-checksum-crc32"},
		"signed without a key":    {StreamingSignedTrailer, ""},
		"unsupported trailer":     {StreamingUnsignedTrailer, "content-md5"},
		"ecdsa streaming payload": {"STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD", ""},
	} {
		h := http.Header{}
		if c.trailer != "" {
			h.Set("X-Amz-Trailer", c.trailer)
		}
		if _, err := NewChunkedReader(strings.NewReader(""), &Auth{PayloadHash: c.payload}, h); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// chunkSigner builds signed aws-chunked bodies the way the S3 documentation
// describes (and TestChunkSignerMatchesAWS proves it against the published
// signatures).
type chunkSigner struct {
	mac        hash.Hash
	iso, scope string
	prev       string
}

func newChunkSigner(secret string, at time.Time, region, seed string) *chunkSigner {
	key := deriveKeyForTest(secret, at.Format("20060102"), region, "s3")
	return &chunkSigner{
		mac: hmac.New(sha256.New, key), iso: at.Format(amzDateFormat),
		scope: at.Format("20060102") + "/" + region + "/s3/aws4_request", prev: seed,
	}
}

// deriveKeyForTest is the documented key derivation, written out again so
// that the test does not lean on the code under test.
func deriveKeyForTest(secret, date, region, service string) []byte {
	k := []byte("AWS4" + secret)
	for _, s := range []string{date, region, service, "aws4_request"} {
		m := hmac.New(sha256.New, k)
		m.Write([]byte(s))
		k = m.Sum(nil)
	}
	return k
}

func (s *chunkSigner) sign(alg, last string) string {
	s.mac.Reset()
	fmt.Fprintf(s.mac, "%s\n%s\n%s\n%s\n%s", alg, s.iso, s.scope, s.prev, last)
	s.prev = hex.EncodeToString(s.mac.Sum(nil))
	return s.prev
}

func (s *chunkSigner) chunk(data []byte) string {
	sum := sha256.Sum256(data)
	return s.sign("AWS4-HMAC-SHA256-PAYLOAD", EmptyPayloadHash+"\n"+hex.EncodeToString(sum[:]))
}

func (s *chunkSigner) trailer(canon string) string {
	sum := sha256.Sum256([]byte(canon))
	return s.sign("AWS4-HMAC-SHA256-TRAILER", hex.EncodeToString(sum[:]))
}

func TestChunkSignerMatchesAWS(t *testing.T) {
	s := newChunkSigner(docSecret, docTime, "us-east-1", "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9")
	got := [3]string{s.chunk(bytes.Repeat([]byte("a"), 65536)), s.chunk(bytes.Repeat([]byte("a"), 1024)), s.chunk(nil)}
	if got != docSigned.chunkSigs {
		t.Fatalf("test signer disagrees with AWS: %v", got)
	}
	s = newChunkSigner(docSecret, docTime, "us-east-1", "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e")
	s.chunk(bytes.Repeat([]byte("a"), 65536))
	s.chunk(bytes.Repeat([]byte("a"), 1024))
	s.chunk(nil)
	if sig := s.trailer("x-amz-checksum-crc32c:sOO8/Q==\n"); sig != "d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435" {
		t.Fatalf("test signer's trailer signature disagrees with AWS: %s", sig)
	}
}

// chunkStream generates a signed aws-chunked body of n chunks of size bytes
// on the fly, so that neither side holds the body in memory.
type chunkStream struct {
	s       *chunkSigner
	data    []byte
	n       int
	buf     []byte // reused for every chunk
	pending []byte // what is left of buf to return
	final   bool
}

func (c *chunkStream) Read(p []byte) (int, error) {
	for len(c.pending) == 0 {
		switch {
		case c.n > 0:
			c.n--
			sig := c.s.chunk(c.data)
			c.buf = append(c.buf[:0], fmt.Sprintf("%x;chunk-signature=%s\r\n", len(c.data), sig)...)
			c.buf = append(c.buf, c.data...)
			c.pending = append(c.buf, "\r\n"...)
		case !c.final:
			c.final = true
			c.pending = append(c.buf[:0], "0;chunk-signature="+c.s.chunk(nil)+"\r\n\r\n"...)
		default:
			return 0, io.EOF
		}
	}
	n := copy(p, c.pending)
	c.pending = c.pending[n:]
	return n, nil
}

func TestChunkedBoundedMemory(t *testing.T) {
	const chunk, chunks = 1 << 20, 64 // 64 MiB
	seed := strings.Repeat("ab", 32)
	a := &Auth{
		AccessKeyID: docAKID, Date: "20130524", Region: "us-east-1", Service: "s3",
		Signature: seed, RequestTime: docTime, PayloadHash: StreamingSigned,
		SigningKey: deriveKeyForTest(docSecret, "20130524", "us-east-1", "s3"),
	}
	data := bytes.Repeat([]byte("0123456789abcdef"), chunk/16)
	src := &chunkStream{s: newChunkSigner(docSecret, docTime, "us-east-1", seed), data: data, n: chunks,
		buf: make([]byte, 0, chunk+200)}
	h := http.Header{"X-Amz-Decoded-Content-Length": {fmt.Sprint(chunk * chunks)}}

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	cr, err := NewChunkedReader(src, a, h)
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.CopyBuffer(io.Discard, cr, make([]byte, 32<<10))
	runtime.ReadMemStats(&after)
	if err != nil || n != chunk*chunks {
		t.Fatalf("decoded %d bytes: %v", n, err)
	}
	// The generator allocates a little per chunk; the reader nothing per
	// byte. 64 MiB through it must cost far less than one chunk.
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("decoding 64 MiB allocated %d bytes in all", alloc)
	if alloc > 512<<10 {
		t.Errorf("decoding 64 MiB allocated %d bytes", alloc)
	}

	// The same stream with one chunk corrupted in flight fails.
	src = &chunkStream{s: newChunkSigner(docSecret, docTime, "us-east-1", seed), data: data, n: 3}
	cr, _ = NewChunkedReader(&corrupt{r: src, at: chunk + 500}, a, http.Header{})
	_, err = io.Copy(io.Discard, cr)
	wantKind(t, err, KindMismatch, "corrupted stream")
}

// corrupt flips the byte at offset at of r.
type corrupt struct {
	r   io.Reader
	off int
	at  int
}

func (c *corrupt) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if c.at >= c.off && c.at < c.off+n {
		p[c.at-c.off] ^= 1
	}
	c.off += n
	return n, err
}

func TestPayloadReader(t *testing.T) {
	body := []byte("payload")
	for _, c := range []struct {
		hash string
		body []byte
		want Kind
	}{
		{sha256Hex(body), body, 0},
		{strings.ToUpper(sha256Hex(body)), body, 0},
		{sha256Hex(body), []byte("payloaD"), KindContentHashMismatch},
		{sha256Hex(body), body[:3], KindContentHashMismatch},
		{UnsignedPayload, []byte("anything"), 0},
	} {
		pr, err := NewPayloadReader(bytes.NewReader(c.body), &Auth{PayloadHash: c.hash}, http.Header{})
		if err != nil {
			t.Fatal(err)
		}
		_, err = io.ReadAll(pr)
		if c.want == 0 && err != nil {
			t.Errorf("%s: %v", c.hash, err)
		} else if c.want != 0 {
			wantKind(t, err, c.want, c.hash)
		}
	}
	if _, err := NewPayloadReader(nil, &Auth{PayloadHash: "nonsense"}, nil); KindOf(err) != KindUnsupported {
		t.Errorf("nonsense payload hash: %v", err)
	}
}
