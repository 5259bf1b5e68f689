package sigv4

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
)

// BenchmarkVerifyHeader verifies a typical header-signed request: an IAM
// call signed by aws-sdk-go-v2, as a server receives it, with the body
// hash already computed (the server hashes the body as it reads it).
func BenchmarkVerifyHeader(b *testing.B) {
	t := &testing.T{}
	c := sdkCases()[0] // iam query protocol
	wire := c.sign(t, sdkTime)
	r, body := readWire(b, wire)
	payload := sha256Hex(body)
	v := sdkVerifier(sdkTime)
	if _, err := v.Verify(r, payload); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := v.Verify(r, payload); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyHeaderS3 is a header-signed S3 GET with a query.
func BenchmarkVerifyHeaderS3(b *testing.B) {
	t := &testing.T{}
	c := sdkCases()[6] // s3 list with awkward query
	wire := c.sign(t, sdkTime)
	r, _ := readWire(b, wire)
	v := sdkVerifier(sdkTime)
	if _, err := v.Verify(r, ""); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := v.Verify(r, ""); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyPresigned(b *testing.B) {
	t := &testing.T{}
	c := presignCase{sdkCase{service: "s3", region: "us-east-1", method: "GET", url: "https://bucket.s3.us-east-1.amazonaws.com/photos/a%20b.jpg"}, "900"}
	_, wire := c.presign(t, sdkTime)
	r, _ := readWire(b, wire)
	v := sdkVerifier(sdkTime)
	if _, err := v.Verify(r, ""); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := v.Verify(r, ""); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkChunkedReader decodes signed 64 KiB chunks.
func BenchmarkChunkedReader(b *testing.B) {
	body := docSigned.body()
	r := docSigned.request(body)
	a, err := docVerifier().Verify(r, "")
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, 32<<10)
	b.SetBytes(66560)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		cr, err := NewChunkedReader(bytes.NewReader(body), a, http.Header{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.CopyBuffer(io.Discard, cr, buf); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseAuthorization(b *testing.B) {
	h := strings.ReplaceAll(s3DocExamples[0].authz(), ",", ", ")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseAuthorization(h); err != nil {
			b.Fatal(err)
		}
	}
}
