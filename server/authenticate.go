package server

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"io"
	"net/http"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/sigv4"
)

type scope struct {
	accessKeyID, region, service string
}

func parseScope(r *http.Request) (scope, bool) {
	ak, _, region, service, ok := sigv4.Scope(r)
	return scope{accessKeyID: ak, region: region, service: service}, ok
}

// authenticate verifies the request's signature over its whole body and
// its credentials, and sets the call's principal.
func (s *Server) authenticate(x *exchange, r *http.Request, body []byte) error {
	sum := sha256.Sum256(body)
	auth, verr := s.verifier.Verify(r, hex.EncodeToString(sum[:]))
	return s.identify(x, r, auth, verr)
}

// authenticateStream authenticates a request of a Stream binding: the
// signature covers x-amz-content-sha256, and the body is verified as it is
// read. A request with no signature at all is the anonymous principal's
// when the binding serves anonymous callers. It returns the body read
// whole (capped by MaxBody) for operations that do not stream; for those
// that do, it replaces r.Body with the verified payload reader and returns
// nil.
func (s *Server) authenticateStream(x *exchange, r *http.Request) ([]byte, error) {
	p := x.binding.Protocol
	auth, verr := s.verifier.Verify(r, "")
	var payload io.Reader
	switch {
	case verr != nil && sigv4.KindOf(verr) == sigv4.KindMissing && x.binding.Anonymous:
		// Anonymous: nothing was signed, so there is nothing to verify.
		if r.Body != nil {
			payload = r.Body
		}
	default:
		if err := s.identify(x, r, auth, verr); err != nil {
			return nil, err
		}
		x.call.PayloadHash = auth.PayloadHash
		body := r.Body
		if body == nil {
			body = http.NoBody
		}
		pr, err := sigv4.NewPayloadReader(body, auth, r.Header)
		if err != nil {
			return nil, s.authError(p, r, err)
		}
		payload = &verifiedBody{r: pr, s: s, p: p, req: r}
	}
	if payload == nil {
		payload = http.NoBody
	}
	if st, ok := p.(Streamer); ok && st.StreamsBody(x.opName) {
		closer := io.Closer(http.NoBody)
		if r.Body != nil {
			closer = r.Body
		}
		r.Body = struct {
			io.Reader
			io.Closer
		}{payload, closer}
		return nil, nil
	}
	return readBody(&http.Request{Body: io.NopCloser(payload), ContentLength: -1}, s.cfg.MaxBody)
}

// identify resolves the access key a verification named and sets the
// call's principal. From the moment the access key is found the exchange
// is marked known, so that failures after that point (bad signature,
// inactive key, expired token) are recorded in its account.
func (s *Server) identify(x *exchange, r *http.Request, auth *sigv4.Auth, verr error) error {
	p := x.binding.Protocol
	ak := ""
	if auth != nil {
		ak = auth.AccessKeyID
	} else if sc, ok := parseScope(r); ok {
		ak = sc.accessKeyID
	}
	if ak == "" && verr != nil {
		// Nothing names a key: the request is malformed or unsigned.
		return s.authError(p, r, verr)
	}
	cred, err := s.cfg.Credentials.LookupAccessKey(ak)
	switch {
	case errors.Is(err, cairn.ErrNotFound):
		return p.AuthError(AuthUnknownKey, "")
	case err != nil:
		return err
	}
	x.known = true
	x.call.Principal = cred.Principal
	x.call.Principal.AccessKeyID = cred.AccessKeyID
	if verr != nil {
		return s.authError(p, r, verr)
	}
	if auth.Region != "" {
		x.call.Region = auth.Region
	}
	if !cred.Active {
		return p.AuthError(AuthUnknownKey, "")
	}
	if cred.SessionToken != "" || auth.SecurityToken != "" {
		if subtle.ConstantTimeCompare([]byte(cred.SessionToken), []byte(auth.SecurityToken)) != 1 {
			return p.AuthError(AuthInvalidToken, "")
		}
	}
	if !cred.Expires.IsZero() && !x.call.Time.Before(cred.Expires) {
		return p.AuthError(AuthExpiredToken, "")
	}
	x.call.AuthType = cairn.AuthHeader
	if auth.Presigned {
		x.call.AuthType = cairn.AuthQueryString
	}
	if s.cfg.KeyUsed != nil {
		s.cfg.KeyUsed(cred.AccessKeyID, x.binding.Service.Name, x.call.Region, x.call.Time)
	}
	return nil
}

// authError renders a verification error in the protocol's words. Errors
// that are not *sigv4.Error (a failing key lookup) pass through.
func (s *Server) authError(p Protocol, r *http.Request, err error) error {
	var se *sigv4.Error
	if !errors.As(err, &se) {
		return err
	}
	f := authFailure(se.Kind)
	if f == AuthIncomplete && presigned(r) {
		f = AuthPresignIncomplete
	}
	e := p.AuthError(f, se.Message)
	if e == nil || e.Code == "" {
		e = p.AuthError(f.Coarse(), se.Message)
	}
	return e
}

func presigned(r *http.Request) bool {
	q := r.URL.Query()
	return q.Has("X-Amz-Algorithm") || q.Has("X-Amz-Credential") || q.Has("X-Amz-Signature")
}

func authFailure(k sigv4.Kind) AuthFailure {
	switch k {
	case sigv4.KindMissing:
		return AuthMissing
	case sigv4.KindUnknownKey:
		return AuthUnknownKey
	case sigv4.KindMismatch:
		return AuthMismatch
	case sigv4.KindContentHashMismatch:
		return AuthContentMismatch
	case sigv4.KindSkew:
		return AuthSkew
	case sigv4.KindExpired:
		return AuthExpiredURL
	case sigv4.KindUnsupported:
		return AuthUnsupported
	case sigv4.KindInvalidExpires:
		return AuthInvalidExpires
	case sigv4.KindScopeMismatch:
		return AuthScopeMismatch
	case sigv4.KindBadDigest:
		return AuthBadDigest
	case sigv4.KindBadChunk:
		return AuthBadChunk
	default:
		return AuthIncomplete
	}
}

// verifiedBody is a payload reader whose verification failures are
// rendered in the protocol's words, so that an operation that stores the
// stream fails with the right error (BadDigest, XAmzContentSHA256Mismatch,
// IncompleteBody…) whatever wraps it on the way.
type verifiedBody struct {
	r   io.Reader
	s   *Server
	p   Protocol
	req *http.Request
}

func (b *verifiedBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err != nil && err != io.EOF {
		var se *sigv4.Error
		if errors.As(err, &se) {
			err = b.s.authError(b.p, b.req, se)
		} else {
			err = cairn.Errorf(400, "IncompleteBody", "The request body could not be read: %v", err)
		}
	}
	return n, err
}
