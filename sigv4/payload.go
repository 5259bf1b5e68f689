package sigv4

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"net/http"
	"strings"
)

// NewPayloadReader returns a reader of the payload of a request that Verify
// accepted, which checks the payload against what was signed, a.PayloadHash:
//
//   - a SHA-256 digest: the body must hash to it; reading it to the end
//     returns an *Error of KindContentHashMismatch instead of io.EOF if not;
//   - UNSIGNED-PAYLOAD: the body is returned as it is, unverified;
//   - a STREAMING-* mode: the body is decoded by NewChunkedReader.
//
// As with NewChunkedReader, the payload is verified only once io.EOF is
// returned; a consumer must discard what it read on any other error.
func NewPayloadReader(body io.Reader, a *Auth, h http.Header) (io.Reader, error) {
	switch p := a.PayloadHash; {
	case p == UnsignedPayload:
		return body, nil
	case isStreaming(p):
		cr, err := NewChunkedReader(body, a, h)
		if err != nil {
			return nil, err
		}
		return cr, nil
	case isHexSHA256(p):
		return &hashReader{r: body, h: sha256.New(), want: strings.ToLower(p)}, nil
	}
	return nil, newError(KindUnsupported, msgBadContentSHA)
}

// hashReader passes a body through and compares its SHA-256 with want at
// EOF.
type hashReader struct {
	r    io.Reader
	h    hash.Hash
	want string
	err  error
}

func (r *hashReader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	n, err := r.r.Read(p)
	r.h.Write(p[:n])
	if err == io.EOF {
		var sum [sha256.Size]byte
		if hex.EncodeToString(r.h.Sum(sum[:0])) != r.want {
			err = newError(KindContentHashMismatch, msgContentHash)
		}
	}
	if err != nil {
		r.err = err
	}
	return n, err
}
