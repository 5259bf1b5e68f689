package awsjson

import (
	"net/http"
	"strings"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/server"
)

// Service configures AWS JSON 1.1 for one service.
type Service struct {
	// TargetPrefix is the X-Amz-Target prefix before the operation name,
	// e.g. com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.
	TargetPrefix string
	Naming       Naming
	// Rename maps generic error codes to the service's own
	// (AccessDenied → AccessDeniedException).
	Rename map[string]string
}

// Protocol serves one JSON 1.1 service; it implements server.Protocol.
type Protocol struct {
	svc   Service
	codec *Codec
}

var _ server.Protocol = (*Protocol)(nil)

// New returns the JSON 1.1 protocol for svc.
func New(svc Service) *Protocol {
	return &Protocol{svc: svc, codec: &Codec{}}
}

// OperationName reads X-Amz-Target.
func (p *Protocol) OperationName(r *http.Request, _ []byte) (string, error) {
	target := r.Header.Get("X-Amz-Target")
	i := strings.LastIndexByte(target, '.')
	if i < 0 || r.Method != http.MethodPost || !server.MatchTarget(p.svc.TargetPrefix, target[:i]) || i == len(target)-1 {
		return "", cairn.Errorf(400, "UnknownOperationException", "")
	}
	op := target[i+1:]
	return op, nil
}

// Decode binds the JSON body to a new input of op.
func (p *Protocol) Decode(_ *http.Request, body []byte, op *cairn.Operation) (any, error) {
	in := op.New()
	if err := p.codec.Decode(body, in, p.svc.Naming); err != nil {
		return nil, err
	}
	return in, nil
}

// Encode renders the output object.
func (p *Protocol) Encode(requestID string, _ *cairn.Operation, out any) (*server.Response, error) {
	body, err := p.codec.Encode(out, p.svc.Naming)
	if err != nil {
		return nil, err
	}
	return &server.Response{Status: 200, Header: header(requestID), Body: body}, nil
}

// Normalize applies the service's renames of generic codes.
func (p *Protocol) Normalize(e *cairn.Error) *cairn.Error {
	code, ok := p.svc.Rename[e.Code]
	if !ok {
		return e
	}
	renamed := *e
	renamed.Code = code
	if renamed.Status == 403 {
		renamed.Status = 400 // JSON services answer client errors with 400
	}
	return &renamed
}

// EncodeError renders {"__type": …, "message": …}.
func (p *Protocol) EncodeError(requestID string, e *cairn.Error) *server.Response {
	return &server.Response{Status: e.Status, Header: header(requestID), Body: EncodeError(e)}
}

func header(requestID string) http.Header {
	h := http.Header{}
	h.Set("Content-Type", "application/x-amz-json-1.1")
	h.Set("X-Amzn-Requestid", requestID)
	return h
}

// Authentication failures as the JSON 1.1 services name them.
var authErrors = server.AuthErrors{
	server.AuthMissing:      {Code: "MissingAuthenticationTokenException", Status: 400, Message: "Missing Authentication Token"},
	server.AuthIncomplete:   {Code: "IncompleteSignatureException", Status: 400},
	server.AuthUnknownKey:   {Code: "UnrecognizedClientException", Status: 400, Message: "The security token included in the request is invalid."},
	server.AuthMismatch:     {Code: "InvalidSignatureException", Status: 400},
	server.AuthSkew:         {Code: "InvalidSignatureException", Status: 400},
	server.AuthExpiredToken: {Code: "ExpiredTokenException", Status: 400, Message: "The security token included in the request is expired"},
	server.AuthInvalidToken: {Code: "UnrecognizedClientException", Status: 400, Message: "The security token included in the request is invalid."},
	server.AuthExpiredURL:   {Code: "InvalidSignatureException", Status: 400, Message: "Signature expired."},
}

// AuthError names an authentication failure.
func (p *Protocol) AuthError(f server.AuthFailure, message string) *cairn.Error {
	return authErrors.Error(f, message)
}

// UnknownOperation is UnknownOperationException.
func (p *Protocol) UnknownOperation(string) *cairn.Error {
	return cairn.Errorf(400, "UnknownOperationException", "")
}
