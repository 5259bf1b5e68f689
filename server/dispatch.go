package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/audit"
	"github.com/cairnhq/cairn/store"
)

// exchange is one request's passage through the funnel.
type exchange struct {
	requestID string
	req       *http.Request
	binding   *Binding
	opName    string
	op        *cairn.Operation
	call      *cairn.Call
	// known is true once the caller's access key was found: from then on
	// the call is recorded in that key's account, whatever happens.
	known bool
	// unsigned is true when the call is served without a signature, as
	// an operation its binding lists in Unsigned.
	unsigned bool
	input    any
	output   any
	err      *cairn.Error
}

// Dispatch is the only way into any operation.
func (s *Server) Dispatch(w http.ResponseWriter, r *http.Request) {
	now := s.cfg.Clock.Now()
	x := &exchange{requestID: s.cfg.IDs.UUID(), req: r}
	x.call = &cairn.Call{
		RequestID:       x.requestID,
		Time:            now,
		SourceIP:        sourceIP(r),
		UserAgent:       r.UserAgent(),
		SecureTransport: r.TLS != nil,
		Host:            r.Host,
		Principal:       cairn.Principal{Type: cairn.PrincipalAnonymous},
	}
	// A client that goes away must not stop a mutation half-recorded.
	// Calls served on the caller's behalf during the call defer their
	// events to its record step (audit.Deferred).
	ctx, _ := audit.WithDeferred(context.WithoutCancel(r.Context()))
	resp := s.serve(ctx, x, r)
	resp = s.record(ctx, x, r, resp)
	status := write(w, resp)
	d := s.cfg.Clock.Now().Sub(now)
	s.logRequest(r, x, status, d)
	s.observe(x, status, d)
}

// serve runs steps 2 to 7 and returns the encoded response.
func (s *Server) serve(ctx context.Context, x *exchange, r *http.Request) (resp *Response) {
	defer func() {
		if p := recover(); p != nil {
			s.cfg.Log.Error("panic", "request_id", x.requestID, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			x.output = nil
			resp = s.fail(x, cairn.InternalFailure())
		}
	}()

	// 2. identify
	scope, hasScope := parseScope(r)
	x.binding = s.route(r, scope.service)
	if x.binding == nil {
		return unroutable(x.requestID, scope.service)
	}
	x.call.Service = x.binding.Service.Name
	x.call.Region = scope.region
	var body []byte
	var err error
	if !x.binding.Stream {
		if body, err = readBody(r, s.cfg.MaxBody); err != nil {
			if hasScope {
				s.identifyUnverified(x, r, scope)
			}
			return s.fail(x, err)
		}
	}
	x.opName, err = x.binding.Protocol.OperationName(r, body)
	if err != nil {
		return s.fail(x, err)
	}
	x.call.Operation = x.opName
	x.op = x.binding.Service.Op(x.opName)

	// 3. authenticate
	if x.binding.Stream {
		if body, err = s.authenticateStream(x, r); err != nil {
			return s.fail(x, err)
		}
	} else {
		switch {
		case !hasScope && unsignedRequest(r) && slices.Contains(x.binding.Unsigned, x.opName):
			// Nothing was signed, so there is nothing to verify: the
			// anonymous principal, for authorization to decide.
			x.unsigned = true
		case !hasScope:
			return s.fail(x, x.binding.Protocol.AuthError(AuthMissing, ""))
		default:
			if err := s.authenticate(x, r, body); err != nil {
				return s.fail(x, err)
			}
		}
	}
	if x.op == nil {
		return s.fail(x, x.binding.Protocol.UnknownOperation(x.opName))
	}

	// 4. decode
	in, err := x.binding.Protocol.Decode(r, body, x.op)
	if err != nil {
		return s.fail(x, err)
	}
	x.input = in

	// 5. authorize
	if err := s.cfg.Authorizer.Authorize(ctx, x.call, x.op, in); err != nil {
		return s.fail(x, err)
	}

	// 6. invoke
	out, err := x.op.Invoke(ctx, x.call, in)
	if err != nil {
		return s.fail(x, err)
	}
	x.output = out

	// 7. encode
	resp, err = x.binding.Protocol.Encode(x.requestID, x.op, out)
	if err != nil {
		x.output = nil
		return s.fail(x, fmt.Errorf("encode %s: %w", x.opName, err))
	}
	return resp
}

// identifyUnverified attributes a request whose body could not be read
// (too large, cut off) to the access key it names, so that the failure is
// recorded in that key's account like any other failed call with a known
// key; the signature could not be checked, which the event's error shows.
func (s *Server) identifyUnverified(x *exchange, r *http.Request, sc scope) {
	cred, err := s.cfg.Credentials.LookupAccessKey(sc.accessKeyID)
	if err != nil {
		return
	}
	x.known = true
	x.call.Principal = cred.Principal
	x.call.Principal.AccessKeyID = cred.AccessKeyID
	if name, err := x.binding.Protocol.OperationName(r, nil); err == nil {
		x.opName = name
		x.call.Operation = name
		x.op = x.binding.Service.Op(name)
	}
}

// fail records err on the exchange and renders it. Errors that are not
// *cairn.Error are logged and become InternalFailure.
func (s *Server) fail(x *exchange, err error) *Response {
	e := cairn.AsError(err)
	if e == nil {
		s.cfg.Log.Error("internal error", "request_id", x.requestID, "operation", x.opName, "error", err)
		e = cairn.InternalFailure()
	}
	if x.binding == nil {
		x.err = e
		return unroutable(x.requestID, "")
	}
	x.err = x.binding.Protocol.Normalize(e)
	return s.encodeError(x)
}

// encodeError renders x.err in the binding's envelope.
func (s *Server) encodeError(x *exchange) *Response {
	if re, ok := x.binding.Protocol.(RequestErrors); ok && x.req != nil {
		return re.EncodeRequestError(x.req, x.requestID, x.err)
	}
	return x.binding.Protocol.EncodeError(x.requestID, x.err)
}

// record is step 8: the event is durable before the response goes out.
func (s *Server) record(ctx context.Context, x *exchange, r *http.Request, resp *Response) *Response {
	// Events of calls made on the caller's behalf, recorded with its own.
	deferred := audit.DeferredFrom(ctx).Take()
	if x.binding == nil {
		return s.recordEvents(ctx, x, resp, deferred)
	}
	recipients := x.recipients()
	owner := "" // the account the call's own event goes to: the caller's
	switch {
	case x.known:
	case (x.binding.Anonymous || x.unsigned) && x.call.Principal.Type == cairn.PrincipalAnonymous && len(recipients) > 0:
		// An anonymous call is recorded in the resource owner's account.
		owner, recipients = recipients[0], recipients[1:]
	default:
		return s.recordEvents(ctx, x, resp, deferred)
	}
	svc := x.binding.Service
	region := x.call.Region
	if svc.Global {
		region = cairn.GlobalRegion
	}
	entry := &audit.Entry{
		Call: x.call, Service: svc, Op: x.op, OpName: x.opName,
		Input: x.input, Output: x.output, Err: x.err,
		EventID: cairn.NewEventID(s.cfg.IDs, x.call.Time), Region: region, TLS: tlsDetails(r), Recipient: owner,
	}
	entries := []*audit.Entry{entry}
	for _, acct := range recipients {
		if entry.SharedEventID == "" {
			entry.SharedEventID = s.cfg.IDs.UUID()
		}
		cp := *entry
		cp.EventID, cp.Recipient = cairn.NewEventID(s.cfg.IDs, x.call.Time), acct
		entries = append(entries, &cp)
	}
	events := deferred
	for _, e := range entries {
		ev, err := audit.Build(e)
		if err != nil {
			return s.failRecord(x, resp, err)
		}
		events = append(events, ev)
	}
	return s.recordEvents(ctx, x, resp, events)
}

// recordEvents makes events durable before resp goes out; a failure
// replaces resp with InternalFailure (fail closed).
func (s *Server) recordEvents(ctx context.Context, x *exchange, resp *Response, events []*store.Event) *Response {
	if len(events) == 0 {
		return resp
	}
	if err := s.cfg.Recorder.Record(ctx, events...); err != nil {
		return s.failRecord(x, resp, err)
	}
	return resp
}

func (s *Server) failRecord(x *exchange, resp *Response, err error) *Response {
	s.cfg.Log.Error("record event", "request_id", x.requestID, "error", err)
	closeStream(resp)
	if x.binding == nil {
		return resp // no envelope to answer in; nothing of the call was served
	}
	x.err = x.binding.Protocol.Normalize(cairn.InternalFailure())
	return s.encodeError(x)
}

// recipients lists the accounts, other than the caller's, that receive a
// copy of the call's event, each once.
func (x *exchange) recipients() []string {
	if x.op == nil || x.op.Recipients == nil || x.input == nil {
		return nil
	}
	var out []string
	for _, acct := range x.op.Recipients(x.call, x.input) {
		if acct == "" || acct == x.call.Principal.AccountID || slices.Contains(out, acct) {
			continue
		}
		out = append(out, acct)
	}
	return out
}

func (s *Server) route(r *http.Request, service string) *Binding {
	if b := s.services[service]; b != nil {
		return b
	}
	if service != "" {
		return nil
	}
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		prefix := target
		if i := strings.LastIndexByte(target, '.'); i >= 0 {
			prefix = target[:i]
		}
		for _, b := range s.services {
			if b.TargetPrefix != "" && MatchTarget(b.TargetPrefix, prefix) {
				return b
			}
		}
	}
	// An unsigned request: route by host name (iam.amazonaws.com); a
	// Query call of an operation a binding serves unsigned goes to that
	// binding (SNS: GET /?Action=ConfirmSubscription&…); an unsigned
	// request that is not a Query API call goes to the binding that
	// serves anonymous callers (S3: GET /bucket/key); anything else to
	// STS, whose envelope fits any Query service's auth error.
	host := strings.ToLower(r.Host)
	for name, b := range s.services {
		if strings.HasPrefix(host, name+".") {
			return b
		}
	}
	if b := s.unsigned[r.URL.Query().Get("Action")]; b != nil && unsignedRequest(r) {
		return b
	}
	if s.anonymous != nil && !queryCall(r) {
		return s.anonymous
	}
	return s.services["sts"]
}

// queryCall reports whether an unsigned request looks like a Query API
// call: to the root path, with an Action parameter or a form body.
func queryCall(r *http.Request) bool {
	if r.URL.Path != "/" && r.URL.Path != "" {
		return false
	}
	if r.URL.Query().Has("Action") {
		return true
	}
	ct := strings.ToLower(r.Header.Get("Content-Type"))
	return r.Method == http.MethodPost && strings.HasPrefix(ct, "application/x-www-form-urlencoded")
}

// unsignedRequest reports whether r carries no trace of a signature: no
// Authorization header and no presigning parameters. A malformed
// signature is not an unsigned request: it fails authentication.
func unsignedRequest(r *http.Request) bool {
	return r.Header.Get("Authorization") == "" && !presigned(r)
}

func readBody(r *http.Request, max int64) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	if r.ContentLength > max {
		return nil, tooLarge(max)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, max+1))
	if err != nil {
		if e := cairn.AsError(err); e != nil {
			return nil, e // a verification failure of the payload reader
		}
		return nil, cairn.Errorf(400, "IncompleteBody", "The request body could not be read: %v", err)
	}
	if int64(len(body)) > max {
		return nil, tooLarge(max)
	}
	return body, nil
}

func tooLarge(max int64) *cairn.Error {
	return cairn.Errorf(413, "RequestEntityTooLarge", "Request body must be no longer than %d bytes.", max)
}

// unroutable answers a request for a service Cairn does not serve.
func unroutable(requestID, service string) *Response {
	msg := "Cairn does not serve this service"
	if service != "" {
		msg += ": " + service
	}
	body := `<?xml version="1.0" encoding="UTF-8"?><ErrorResponse><Error><Type>Sender</Type><Code>UnknownService</Code><Message>` +
		escapeXML(msg) + `</Message></Error><RequestId>` + requestID + `</RequestId></ErrorResponse>`
	h := http.Header{}
	h.Set("Content-Type", "text/xml")
	h.Set("x-amzn-RequestId", requestID)
	return &Response{Status: 400, Header: h, Body: []byte(body)}
}

func escapeXML(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func write(w http.ResponseWriter, resp *Response) int {
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	if resp.Stream == nil && resp.Header.Get("Content-Length") == "" {
		w.Header().Set("Content-Length", strconv.Itoa(len(resp.Body)))
	}
	w.WriteHeader(resp.Status)
	_, _ = w.Write(resp.Body)
	if resp.Stream != nil {
		_, _ = io.Copy(w, resp.Stream)
		_ = resp.Stream.Close()
	}
	return resp.Status
}

func closeStream(resp *Response) {
	if resp != nil && resp.Stream != nil {
		_ = resp.Stream.Close()
	}
}

func sourceIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func tlsDetails(r *http.Request) *audit.TLSDetails {
	if r.TLS == nil {
		return nil
	}
	return &audit.TLSDetails{
		TLSVersion:               tlsVersionName(r.TLS.Version),
		CipherSuite:              cipherName(r.TLS.CipherSuite),
		ClientProvidedHostHeader: r.Host,
	}
}

var errUnknownKey = errors.New("unknown access key")
