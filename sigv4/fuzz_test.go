package sigv4

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

// Seed corpora live in testdata/fuzz/<target>/; plain `go test` runs them
// and the f.Add seeds below.

func FuzzParseAuthorization(f *testing.F) {
	d := s3DocExamples[0]
	f.Add(d.authz())
	f.Add(strings.ReplaceAll(d.authz(), ",", ", "))
	f.Add("AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=host, Signature=00")
	f.Add("AWS AKID:c2lnbmF0dXJl")
	f.Add("AWS4-HMAC-SHA256 ,,,  ,")
	f.Add("AWS4-HMAC-SHA256 Credential==, SignedHeaders=;;, Signature==")
	f.Fuzz(func(t *testing.T, h string) {
		a, perr := parseAuthorization(h)
		if perr != nil {
			if perr.Kind != KindIncomplete && perr.Kind != KindUnsupported || perr.Message == "" {
				t.Fatalf("parse error %v", perr)
			}
		} else {
			for _, part := range []string{a.credential, a.signedHeaders, a.signature} {
				if !strings.Contains(h, part) {
					t.Fatalf("component %q is not in the header", part)
				}
			}
		}

		r := d.request(h)
		auth, err := docVerifier().Verify(r, "")
		if err == nil {
			// Only the genuine signature over this request can verify.
			if perr != nil || a.signature != d.sig || a.signedHeaders != d.signed || auth.AccessKeyID != docAKID {
				t.Fatalf("verified a forged header: %q", h)
			}
			return
		}
		var e *Error
		if !errors.As(err, &e) || e.Message == "" {
			t.Fatalf("Verify returned %v", err)
		}
		if strings.Contains(e.Message, docSecret) || strings.Contains(e.Message, d.sig) {
			t.Fatalf("message leaks: %q", e.Message)
		}
		if _, _, _, _, ok := Scope(r); ok && (perr != nil || !a.hasCredential) {
			t.Fatalf("Scope found a credential that parsing did not")
		}
	})
}

// fuzzChunkAuth returns the Auth of the S3 documentation's streaming
// examples for the given mode.
func fuzzChunkAuth(mode uint8) (*Auth, http.Header) {
	a := &Auth{
		AccessKeyID: docAKID, Date: "20130524", Region: "us-east-1", Service: "s3", RequestTime: docTime,
		SigningKey: deriveKeyForTest(docSecret, "20130524", "us-east-1", "s3"),
	}
	h := http.Header{}
	switch mode % 3 {
	case 0:
		a.PayloadHash, a.Signature = StreamingSigned, "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"
	case 1:
		a.PayloadHash, a.Signature = StreamingSignedTrailer, "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e"
		h.Set("X-Amz-Trailer", "x-amz-checksum-crc32c")
	case 2:
		a.PayloadHash = StreamingUnsignedTrailer
		h.Set("X-Amz-Trailer", "x-amz-checksum-crc32c")
	}
	return a, h
}

func FuzzChunkedReader(f *testing.F) {
	f.Add(uint8(0), docSigned.body())
	f.Add(uint8(1), docSignedTrailer.body())
	f.Add(uint8(2), []byte("b\r\nhello world\r\n0\r\nx-amz-checksum-crc32c:yZRlqg==\r\n\r\n"))
	f.Add(uint8(2), []byte("5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32c:yZRlqg==\r\n"))
	f.Add(uint8(0), []byte("ffffffffffffffff;chunk-signature=00\r\n"))
	f.Add(uint8(1), []byte("0;chunk-signature=2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992\r\nx-amz-trailer-signature:\r\n\r\n"))
	f.Fuzz(func(t *testing.T, mode uint8, body []byte) {
		a, h := fuzzChunkAuth(mode)
		cr, err := NewChunkedReader(bytes.NewReader(body), a, h)
		if err != nil {
			t.Fatal(err)
		}
		out, err := io.ReadAll(cr)
		if int64(len(out)) != cr.Decoded() || len(out) > len(body) {
			t.Fatalf("decoded %d bytes, Decoded() %d, body %d", len(out), cr.Decoded(), len(body))
		}
		if err != nil {
			switch KindOf(err) {
			case KindBadChunk, KindMismatch, KindBadDigest:
			default:
				t.Fatalf("error %v", err)
			}
			return
		}
		// A body that decodes is one the documentation signed, or an
		// unsigned one whose checksum is right.
		if mode%3 != 2 && !bytes.Equal(out, bytes.Repeat([]byte("a"), 66560)) {
			t.Fatalf("forged signed body decoded to %q", out)
		}
		if mode%3 == 2 && cr.Trailers().Get("x-amz-checksum-crc32c") == "" {
			t.Fatal("unsigned body decoded without its declared checksum")
		}
	})
}
