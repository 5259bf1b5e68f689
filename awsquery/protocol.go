package awsquery

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/server"
)

// Service configures the Query protocol for one service.
type Service struct {
	XMLNS   string // response namespace, e.g. https://iam.amazonaws.com/doc/2010-05-08/
	Version string // API version, e.g. 2010-05-08
	Naming  Naming
	// Errors, when set, renames generic errors to the service's own
	// spelling (SNS answers AccessDenied as AuthorizationError), so that
	// the response and the event carry the same code.
	Errors func(*cairn.Error) *cairn.Error
	// EmptyResults names operations whose model gives them an output
	// without members: they answer with an empty <OpResult/>, which SDKs
	// expect (SNS's TagResource and UntagResource), where other outputs
	// without members leave the element out (IAM's DeleteUser).
	EmptyResults []string
}

// Protocol serves one Query service; it implements server.Protocol.
type Protocol struct {
	svc   Service
	codec *Codec
}

var _ server.Protocol = (*Protocol)(nil)

// New returns the Query protocol for svc.
func New(svc Service) *Protocol {
	return &Protocol{svc: svc, codec: &Codec{}}
}

func form(r *http.Request, body []byte) (url.Values, error) {
	if r.Method == http.MethodGet {
		return r.URL.Query(), nil
	}
	v, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, cairn.Errorf(400, "MalformedQueryString", "The query string is malformed: %v", err)
	}
	return v, nil
}

// OperationName reads the Action parameter.
func (p *Protocol) OperationName(r *http.Request, body []byte) (string, error) {
	v, err := form(r, body)
	if err != nil {
		return "", err
	}
	action := v.Get("Action")
	if action == "" {
		return "", cairn.Errorf(400, "MissingAction", "Missing Action")
	}
	return action, nil
}

// Decode binds the form parameters to a new input of op.
func (p *Protocol) Decode(r *http.Request, body []byte, op *cairn.Operation) (any, error) {
	v, err := form(r, body)
	if err != nil {
		return nil, err
	}
	in := op.New()
	if err := p.codec.Decode(v, in, p.svc.Naming); err != nil {
		return nil, err
	}
	return in, nil
}

// Encode renders <OpResponse><OpResult>…</OpResult><ResponseMetadata>.
func (p *Protocol) Encode(requestID string, op *cairn.Operation, out any) (*server.Response, error) {
	if slices.Contains(p.svc.EmptyResults, op.Name) {
		return &server.Response{Status: 200, Header: p.header(requestID), Body: emptyResult(op.Name, p.svc.XMLNS, requestID)}, nil
	}
	var buf bytes.Buffer
	if err := p.codec.EncodeResponse(&buf, op.Name, p.svc.XMLNS, requestID, out, p.svc.Naming); err != nil {
		return nil, err
	}
	return &server.Response{Status: 200, Header: p.header(requestID), Body: buf.Bytes()}, nil
}

// Normalize keeps codes as they are (IAM and STS use the generic
// spellings, AccessDenied) unless the service renames them.
func (p *Protocol) Normalize(e *cairn.Error) *cairn.Error {
	if p.svc.Errors != nil {
		return p.svc.Errors(e)
	}
	return e
}

// EncodeError renders <ErrorResponse>.
func (p *Protocol) EncodeError(requestID string, e *cairn.Error) *server.Response {
	var buf bytes.Buffer
	EncodeError(&buf, p.svc.XMLNS, e, requestID)
	return &server.Response{Status: e.Status, Header: p.header(requestID), Body: buf.Bytes()}
}

func (p *Protocol) header(requestID string) http.Header {
	h := http.Header{}
	h.Set("Content-Type", "text/xml")
	h.Set("X-Amzn-Requestid", requestID)
	return h
}

// Authentication failures as the Query services (IAM, STS, SNS) name them.
var authErrors = server.AuthErrors{
	server.AuthMissing:      {Code: "MissingAuthenticationToken", Status: 403, Message: "Request is missing Authentication Token"},
	server.AuthIncomplete:   {Code: "IncompleteSignature", Status: 400},
	server.AuthUnknownKey:   {Code: "InvalidClientTokenId", Status: 403, Message: "The security token included in the request is invalid."},
	server.AuthMismatch:     {Code: "SignatureDoesNotMatch", Status: 403},
	server.AuthSkew:         {Code: "RequestExpired", Status: 400},
	server.AuthExpiredToken: {Code: "ExpiredToken", Status: 403, Message: "The security token included in the request is expired"},
	server.AuthInvalidToken: {Code: "InvalidClientTokenId", Status: 403, Message: "The security token included in the request is invalid."},
	server.AuthExpiredURL:   {Code: "RequestExpired", Status: 400, Message: "Request has expired."},
}

// AuthError names an authentication failure.
func (p *Protocol) AuthError(f server.AuthFailure, message string) *cairn.Error {
	return authErrors.Error(f, message)
}

// UnknownOperation is InvalidAction.
func (p *Protocol) UnknownOperation(name string) *cairn.Error {
	return cairn.Errorf(400, "InvalidAction", "Could not find operation %s for version %s", name, p.svc.Version)
}

// emptyResult is the response of an operation in EmptyResults.
func emptyResult(action, xmlns, requestID string) []byte {
	b := append([]byte("<"), action...)
	b = append(b, `Response xmlns="`...)
	b = appendEscaped(b, xmlns, true)
	b = append(b, `"><`...)
	b = append(b, action...)
	b = append(b, "Result/><ResponseMetadata><RequestId>"...)
	b = appendEscaped(b, requestID, false)
	b = append(b, "</RequestId></ResponseMetadata></"...)
	b = append(b, action...)
	return append(b, "Response>"...)
}
