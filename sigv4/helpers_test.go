package sigv4

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cairnhq/cairn"
)

// keys is a Lookup over a fixed map.
func keys(m map[string]string) Lookup {
	return func(id string) (string, error) {
		if s, ok := m[id]; ok {
			return s, nil
		}
		return "", fmt.Errorf("access key %q: %w", id, cairn.ErrNotFound)
	}
}

func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// wantKind fails t unless err is an *Error of kind k.
func wantKind(t *testing.T, err error, k Kind, what string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: verified, want %v", what, k)
		return
	}
	if got := KindOf(err); got != k {
		t.Errorf("%s: got %v (%v), want %v", what, got, err, k)
	}
}

// serverRequest turns a client request into the request a Go HTTP server
// would hand its handler, by writing it to the wire and reading it back.
func serverRequest(t testing.TB, r *http.Request) *http.Request {
	t.Helper()
	var buf bytes.Buffer
	if err := r.Write(&buf); err != nil {
		t.Fatal(err)
	}
	sr, err := http.ReadRequest(bufio.NewReader(&buf))
	if err != nil {
		t.Fatalf("reading back %q: %v", buf.String(), err)
	}
	return sr
}

// parseRawRequest parses a request in the format of the aws-c-auth suite:
// a request line whose target may hold bytes HTTP forbids (a space, raw
// UTF-8), LF line endings, folded header lines, a body after a blank line.
// The request line target becomes r.RequestURI, the bytes "on the wire".
func parseRawRequest(t testing.TB, raw []byte) (*http.Request, []byte) {
	t.Helper()
	line, rest, _ := bytes.Cut(raw, []byte("\n"))
	l := strings.TrimSuffix(string(line), "\r")
	sp1 := strings.IndexByte(l, ' ')
	sp2 := strings.LastIndexByte(l, ' ')
	if sp1 < 0 || sp2 <= sp1 {
		t.Fatalf("bad request line %q", l)
	}
	method, target := l[:sp1], l[sp1+1:sp2]
	tp := textproto.NewReader(bufio.NewReader(bytes.NewReader(rest)))
	hdr, err := tp.ReadMIMEHeader()
	if err != nil && err != io.EOF {
		t.Fatalf("headers: %v", err)
	}
	body, _ := io.ReadAll(tp.R)
	path, rawQuery, _ := strings.Cut(target, "?")
	r := &http.Request{
		Method:     method,
		RequestURI: target,
		URL:        &url.URL{Path: path, RawQuery: rawQuery},
		Proto:      "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        http.Header(hdr),
		Host:          hdr.Get("Host"),
		Body:          io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)),
	}
	delete(r.Header, "Host")
	return r, body
}

func bufioReader(s string) *bufio.Reader { return bufio.NewReader(strings.NewReader(s)) }

func errNotFound(id string) error { return fmt.Errorf("access key %q: %w", id, cairn.ErrNotFound) }
