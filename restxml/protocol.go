// Package restxml is the REST-XML protocol adapter (S3): it names the
// operation a request addresses from its method, host, path and query,
// binds URI labels, headers, query parameters and the payload to untagged
// domain shapes and back, and renders errors in S3's <Error> document.
//
// The binding is driven by the botocore model (model/s3.json, extracted
// by model/s3.py): a Go field is the model member of the same name, and
// the model says where the member travels (uri, header, headers,
// querystring, payload, body element or attribute) and how it is written.
//
// Guarantees:
//
//   - Request bodies of streaming members (object uploads) are never read
//     into memory: the member receives the funnel's verified payload
//     reader, wrapped to check Content-MD5 and x-amz-checksum-* headers at
//     its end (a mismatch is returned instead of io.EOF). Other bodies
//     arrive read and capped by the funnel, and are checked before they
//     are decoded.
//   - A header or query member the model defines but the domain shape does
//     not carry is refused with NotImplemented rather than ignored, except
//     for members that do not change what a request means (who pays, the
//     SDKs' checksum bookkeeping).
//   - Response streams (object downloads) are handed to the funnel, which
//     copies them after the call's event is durable.
package restxml

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/server"
)

//go:embed model/s3.json
var s3Model []byte

// Service configures the REST-XML protocol for one service.
type Service struct {
	// Model is the extracted botocore model (model/s3.json for S3).
	Model []byte
	// Domains are host names under which a bucket is addressed
	// virtual-hosted style (bucket.<domain>), besides *.localhost and
	// *.s3.<anything>.
	Domains []string
	// Roots names the root element of each operation's XML response
	// document where the model does not (S3's output shapes have none).
	Roots map[string]string
}

// S3 is the REST-XML binding of Amazon S3 (2006-03-01). domains are the
// configured host names for virtual-hosted-style requests.
func S3(domains ...string) Service {
	return Service{Model: s3Model, Domains: domains, Roots: map[string]string{
		"ListBuckets":             "ListAllMyBucketsResult",
		"GetBucketLocation":       "LocationConstraint",
		"ListObjects":             "ListBucketResult",
		"ListObjectsV2":           "ListBucketResult",
		"CreateMultipartUpload":   "InitiateMultipartUploadResult",
		"CompleteMultipartUpload": "CompleteMultipartUploadResult",
		"ListParts":               "ListPartsResult",
		"ListMultipartUploads":    "ListMultipartUploadsResult",
		"DeleteObjects":           "DeleteResult",
		"GetBucketAcl":            "AccessControlPolicy",
		"GetObjectAcl":            "AccessControlPolicy",
		"GetBucketTagging":        "Tagging",
		"GetObjectTagging":        "Tagging",
	}}
}

// Protocol serves one REST-XML service; it implements server.Protocol.
type Protocol struct {
	svc    Service
	model  *model
	routes []route
	plans  *plans
}

var (
	_ server.Protocol      = (*Protocol)(nil)
	_ server.Streamer      = (*Protocol)(nil)
	_ server.RequestErrors = (*Protocol)(nil)
)

// New returns the protocol for svc. It fails when the model is not one
// the adapter can bind.
func New(svc Service) (*Protocol, error) {
	m, err := parseModel(svc.Model)
	if err != nil {
		return nil, err
	}
	p := &Protocol{svc: svc, model: m, plans: &plans{m: m}}
	for _, r := range m.Routes {
		rt, err := parseRoute(r[0], r[1], r[2])
		if err != nil {
			continue // an addressing form S3 keeps for other endpoints
		}
		p.routes = append(p.routes, rt)
	}
	return p, nil
}

// Check verifies that every operation of a descriptor table is in the
// model and that its input type binds to the model's input shape; cmd/cairn
// calls it once at start, tests call it for every row.
func (p *Protocol) Check(svc *cairn.Service) error {
	for i := range svc.Operations {
		op := &svc.Operations[i]
		mop := p.model.Operations[op.Name]
		if mop == nil {
			return fmt.Errorf("restxml: %s is not in the model", op.Name)
		}
		if op.New == nil || mop.Input == "" {
			continue
		}
		if _, err := p.plans.get(reflect.TypeOf(op.New()).Elem(), mop.Input); err != nil {
			return err
		}
	}
	return nil
}

// OperationName names the operation the request addresses.
func (p *Protocol) OperationName(r *http.Request, _ []byte) (string, error) {
	t := p.locate(r)
	return p.identify(r, t, r.URL.Query())
}

// StreamsBody reports whether op takes its request body as a stream.
func (p *Protocol) StreamsBody(op string) bool {
	mop := p.model.Operations[op]
	if mop == nil || mop.Input == "" {
		return false
	}
	in := p.model.Shapes[mop.Input]
	if in.Payload == "" {
		return false
	}
	pm := in.Members[in.Payload]
	return pm.Streaming || p.model.Shapes[pm.Shape].Streaming
}

// Decode binds the request to a new input of op. For streaming operations
// body is nil and r.Body is the verified payload reader.
func (p *Protocol) Decode(r *http.Request, body []byte, op *cairn.Operation) (any, error) {
	mop := p.model.Operations[op.Name]
	if mop == nil {
		return nil, p.UnknownOperation(op.Name)
	}
	in := op.New()
	if mop.Input == "" {
		return in, nil
	}
	v := reflect.ValueOf(in).Elem()
	pl, err := p.plans.get(v.Type(), mop.Input)
	if err != nil {
		return nil, err
	}
	ds, err := digests(r.Header)
	if err != nil {
		return nil, err
	}
	if p.StreamsBody(op.Name) {
		if len(ds) > 0 && r.Body != nil {
			r.Body = io.NopCloser(&checkedReader{r: r.Body, ds: ds})
		}
	} else if err := checkBody(ds, body); err != nil {
		return nil, err
	}
	if err := p.bind(r, p.locate(r), r.URL.Query(), body, pl, v); err != nil {
		return nil, err
	}
	if alg := trailerAlgorithm(r.Header); alg != "" {
		// The checksum of an aws-chunked body travels as a trailer: its
		// algorithm is the one the body declares.
		if f := pl.field("ChecksumAlgorithm"); f != nil && f.typ.Kind() == reflect.String && v.Field(f.index).String() == "" {
			v.Field(f.index).SetString(alg)
		}
	}
	if f := contentLength(pl); f != nil {
		if n, ok := decodedLength(r); ok {
			fv := v.Field(f.index)
			if fv.Kind() == reflect.Pointer {
				fv.Set(reflect.New(fv.Type().Elem()))
				fv = fv.Elem()
			}
			fv.SetInt(n)
		}
	}
	return in, nil
}

// trailerAlgorithm is the checksum algorithm an x-amz-trailer declares.
func trailerAlgorithm(h http.Header) string {
	for _, v := range h.Values("X-Amz-Trailer") {
		for _, n := range strings.Split(v, ",") {
			if alg, ok := strings.CutPrefix(strings.ToLower(strings.TrimSpace(n)), "x-amz-checksum-"); ok {
				return strings.ToUpper(alg)
			}
		}
	}
	return ""
}

// field finds a Go field by name.
func (pl *plan) field(name string) *fieldPlan {
	for i := range pl.fields {
		if pl.fields[i].name == name {
			return &pl.fields[i]
		}
	}
	return nil
}

// contentLength finds the member bound to the Content-Length header.
func contentLength(pl *plan) *fieldPlan {
	for i := range pl.fields {
		if f := &pl.fields[i]; f.mem.Location == "header" && strings.EqualFold(f.wire, "Content-Length") {
			return f
		}
	}
	return nil
}

// decodedLength is the length of the payload as the service sees it:
// x-amz-decoded-content-length for aws-chunked bodies, else the request's
// Content-Length.
func decodedLength(r *http.Request) (int64, bool) {
	if v := r.Header.Get("X-Amz-Decoded-Content-Length"); v != "" {
		var n int64
		if _, err := fmt.Sscan(v, &n); err == nil && n >= 0 {
			return n, true
		}
	}
	if r.ContentLength >= 0 {
		return r.ContentLength, true
	}
	return 0, false
}

// Encode renders a successful output: headers, the status the model
// gives (206 when a range was served), and the payload or XML document.
func (p *Protocol) Encode(requestID string, op *cairn.Operation, out any) (*server.Response, error) {
	mop := p.model.Operations[op.Name]
	if mop == nil {
		return nil, fmt.Errorf("restxml: %s is not in the model", op.Name)
	}
	resp := &server.Response{Status: http.StatusOK, Header: p.header(requestID)}
	if mop.HTTP.ResponseCode != 0 {
		resp.Status = mop.HTTP.ResponseCode
	}
	v := reflect.ValueOf(out)
	if mop.Output == "" || !v.IsValid() || v.Kind() == reflect.Pointer && v.IsNil() {
		return resp, nil
	}
	v = reflect.Indirect(v)
	pl, err := p.plans.get(v.Type(), mop.Output)
	if err != nil {
		return nil, err
	}
	hasBody := false
	for i := range pl.fields {
		f := &pl.fields[i]
		fv := v.Field(f.index)
		switch {
		case f == pl.payload:
			if err := p.encodePayload(resp, f, fv); err != nil {
				return nil, err
			}
		case f.mem.Location == "header":
			if unset(fv) {
				continue
			}
			resp.Header.Set(f.wire, scalarText(fv, p.model.timestampFormat(f.mem)))
			if strings.EqualFold(f.wire, "Content-Range") {
				resp.Status = http.StatusPartialContent
			}
		case f.mem.Location == "headers":
			iter := fv.MapRange()
			for iter.Next() {
				// As S3 answers: user metadata names in lower case (botocore
				// keeps the case it receives; Header.Set would capitalize).
				resp.Header[strings.ToLower(f.wire+iter.Key().String())] = []string{iter.Value().String()}
			}
		case f.mem.Location == "" && !unset(fv):
			hasBody = true
		}
	}
	// GetBucketLocation always has a document: an empty
	// LocationConstraint (us-east-1) is an empty element, not an empty body.
	if pl.payload == nil && (hasBody || op.Name == "GetBucketLocation") {
		var b bytes.Buffer
		e := encoder{b: &b, m: p.model}
		root := p.svc.Roots[op.Name]
		if root == "" {
			root = strings.TrimSuffix(mop.Output, "Output") + "Result"
		}
		if op.Name == "GetBucketLocation" {
			locationDocument(&b, v)
		} else {
			e.document(root, pl, v)
		}
		resp.Body = b.Bytes()
		resp.Header.Set("Content-Type", "application/xml")
	}
	return resp, nil
}

// locationDocument writes GetBucketLocation's document, whose root
// element holds the region itself (empty for us-east-1).
func locationDocument(b *bytes.Buffer, v reflect.Value) {
	lc := v.FieldByName("LocationConstraint")
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<LocationConstraint xmlns="` + xmlns + `">`)
	if lc.IsValid() {
		xmlEscape(b, scalarText(lc, ""))
	}
	b.WriteString(`</LocationConstraint>`)
}

func (p *Protocol) encodePayload(resp *server.Response, f *fieldPlan, fv reflect.Value) error {
	if unset(fv) {
		return nil
	}
	switch {
	case f.typ == readCloserType:
		resp.Stream = fv.Interface().(io.ReadCloser)
	case f.typ == readerType:
		resp.Stream = io.NopCloser(fv.Interface().(io.Reader))
	case f.shape.Type == "string":
		resp.Body = []byte(scalarText(fv, ""))
	case f.shape.Type == "structure":
		var b bytes.Buffer
		e := encoder{b: &b, m: p.model}
		e.document(f.wire, f.elem, reflect.Indirect(fv))
		resp.Body = b.Bytes()
		resp.Header.Set("Content-Type", "application/xml")
	}
	return nil
}

// Normalize keeps codes as they are (S3 uses the generic spellings); an
// anonymous caller's denial says only "Access Denied", as S3's does, since
// there is no principal to name.
func (p *Protocol) Normalize(e *cairn.Error) *cairn.Error {
	if e.Code == "AccessDenied" && strings.HasPrefix(e.Message, "User:  ") {
		n := *e
		n.Message = "Access Denied"
		return &n
	}
	return e
}

// EncodeError renders S3's <Error> document.
func (p *Protocol) EncodeError(requestID string, e *cairn.Error) *server.Response {
	return p.errorResponse(requestID, e, nil)
}

// EncodeRequestError renders S3's <Error> document naming the request's
// resource: <Resource>, and <BucketName> or <Key> where S3 gives them.
func (p *Protocol) EncodeRequestError(r *http.Request, requestID string, e *cairn.Error) *server.Response {
	t := p.locate(r)
	return p.errorResponse(requestID, e, &t)
}

func (p *Protocol) errorResponse(requestID string, e *cairn.Error, t *target) *server.Response {
	h := p.header(requestID)
	if e.Status == http.StatusNotModified {
		return &server.Response{Status: e.Status, Header: h}
	}
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<Error><Code>")
	xmlEscape(&b, e.Code)
	b.WriteString("</Code><Message>")
	xmlEscape(&b, e.Message)
	b.WriteString("</Message>")
	if t != nil {
		switch e.Code {
		case "NoSuchBucket", "BucketAlreadyExists", "BucketAlreadyOwnedByYou", "BucketNotEmpty",
			"NoSuchBucketPolicy", "NoSuchTagSet", "NoSuchPublicAccessBlockConfiguration",
			"OwnershipControlsNotFoundError", "ServerSideEncryptionConfigurationNotFoundError":
			if t.bucket != "" {
				b.WriteString("<BucketName>")
				xmlEscape(&b, t.bucket)
				b.WriteString("</BucketName>")
			}
		case "NoSuchKey":
			b.WriteString("<Key>")
			xmlEscape(&b, t.key)
			b.WriteString("</Key>")
		}
		b.WriteString("<Resource>")
		xmlEscape(&b, t.resource())
		b.WriteString("</Resource>")
	}
	b.WriteString("<RequestId>")
	xmlEscape(&b, requestID)
	b.WriteString("</RequestId><HostId>")
	b.WriteString(h.Get("X-Amz-Id-2"))
	b.WriteString("</HostId></Error>")
	h.Set("Content-Type", "application/xml")
	return &server.Response{Status: e.Status, Header: h, Body: b.Bytes()}
}

// header holds S3's request identifiers: x-amz-request-id, and x-amz-id-2
// (the "host ID"), which Cairn derives from the request ID.
func (p *Protocol) header(requestID string) http.Header {
	h := http.Header{}
	h.Set("X-Amz-Request-Id", requestID)
	sum := sha256.Sum256([]byte("cairn host id " + requestID))
	h.Set("X-Amz-Id-2", base64.StdEncoding.EncodeToString(sum[:]))
	return h
}

// Authentication failures as S3 names them.
var authErrors = map[server.AuthFailure]cairn.Error{
	server.AuthMissing:           {Code: "AccessDenied", Status: 403, Message: "Access Denied"},
	server.AuthIncomplete:        {Code: "AuthorizationHeaderMalformed", Status: 400},
	server.AuthUnknownKey:        {Code: "InvalidAccessKeyId", Status: 403, Message: "The AWS Access Key Id you provided does not exist in our records."},
	server.AuthMismatch:          {Code: "SignatureDoesNotMatch", Status: 403},
	server.AuthSkew:              {Code: "RequestTimeTooSkewed", Status: 403, Message: "The difference between the request time and the current time is too large."},
	server.AuthExpiredToken:      {Code: "ExpiredToken", Status: 400, Message: "The provided token has expired."},
	server.AuthInvalidToken:      {Code: "InvalidToken", Status: 400, Message: "The provided token is malformed or otherwise invalid."},
	server.AuthExpiredURL:        {Code: "AccessDenied", Status: 403, Message: "Request has expired"},
	server.AuthUnsupported:       {Code: "InvalidArgument", Status: 400},
	server.AuthInvalidExpires:    {Code: "AuthorizationQueryParametersError", Status: 400},
	server.AuthScopeMismatch:     {Code: "AuthorizationHeaderMalformed", Status: 400},
	server.AuthContentMismatch:   {Code: "XAmzContentSHA256Mismatch", Status: 400, Message: "The provided 'x-amz-content-sha256' header does not match what was computed."},
	server.AuthBadDigest:         {Code: "BadDigest", Status: 400},
	server.AuthBadChunk:          {Code: "IncompleteBody", Status: 400},
	server.AuthPresignIncomplete: {Code: "AuthorizationQueryParametersError", Status: 400},
}

// AuthError names an authentication failure.
func (p *Protocol) AuthError(f server.AuthFailure, message string) *cairn.Error {
	e, ok := authErrors[f]
	if !ok {
		e = authErrors[server.AuthIncomplete]
	}
	if e.Message == "" || message != "" && f != server.AuthUnknownKey && f != server.AuthInvalidToken && f != server.AuthMissing {
		e.Message = message
	}
	if e.Code == "IncompleteBody" && strings.Contains(message, "trailing data") {
		e.Code = "MalformedTrailerError"
	}
	return &e
}

// UnknownOperation is S3's NotImplemented: Cairn knows the operation but
// does not serve it.
func (p *Protocol) UnknownOperation(name string) *cairn.Error {
	return &cairn.Error{Code: "NotImplemented", Status: http.StatusNotImplemented,
		Message: "A header you provided implies functionality that is not implemented"}
}
