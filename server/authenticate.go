package server

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
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

// authenticate verifies the request's signature and credentials and sets
// the call's principal. From the moment the access key is found the
// exchange is marked known, so that failures after that point (bad
// signature, inactive key, expired token) are recorded in its account.
func (s *Server) authenticate(x *exchange, r *http.Request, body []byte) error {
	p := x.binding.Protocol
	sum := sha256.Sum256(body)
	auth, verr := s.verifier.Verify(r, hex.EncodeToString(sum[:]))
	ak := ""
	if auth != nil {
		ak = auth.AccessKeyID
	} else if sc, ok := parseScope(r); ok {
		ak = sc.accessKeyID
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
		var se *sigv4.Error
		if !errors.As(verr, &se) {
			return verr
		}
		return p.AuthError(authFailure(se.Kind), se.Message)
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
	if s.cfg.KeyUsed != nil {
		s.cfg.KeyUsed(cred.AccessKeyID, x.binding.Service.Name, x.call.Region, x.call.Time)
	}
	return nil
}

func authFailure(k sigv4.Kind) AuthFailure {
	switch k {
	case sigv4.KindMissing:
		return AuthMissing
	case sigv4.KindUnknownKey:
		return AuthUnknownKey
	case sigv4.KindMismatch, sigv4.KindContentHashMismatch:
		return AuthMismatch
	case sigv4.KindSkew:
		return AuthSkew
	case sigv4.KindExpired:
		return AuthExpiredURL
	default:
		return AuthIncomplete
	}
}
