package server

import (
	"crypto/tls"
	"net/http"
	"time"
)

// logRequest writes one line per request. It never logs credentials,
// bodies or parameters.
func (s *Server) logRequest(r *http.Request, x *exchange, status int, d time.Duration) {
	service := ""
	if x.binding != nil {
		service = x.binding.Service.Name
	}
	attrs := []any{
		"method", r.Method, "service", service, "operation", x.opName,
		"status", status, "duration_ms", float64(d.Microseconds()) / 1000, "request_id", x.requestID,
	}
	if x.err != nil {
		attrs = append(attrs, "error", x.err.Code)
	}
	s.cfg.Log.Info("request", attrs...)
}

// Observation is what Config.Observe learns of one request. Operation is
// "" when the request named no operation the service has, so that a
// client cannot grow the set of label values.
type Observation struct {
	Service, Operation string
	Status             int
	// ErrorCode is the AWS error code of a failed call, "" on success.
	ErrorCode string
	Duration  time.Duration
}

func (s *Server) observe(x *exchange, status int, d time.Duration) {
	if s.cfg.Observe == nil {
		return
	}
	o := Observation{Status: status, Duration: d}
	if x.binding != nil {
		o.Service = x.binding.Service.Name
	}
	if x.op != nil {
		o.Operation = x.op.Name
	}
	if x.err != nil {
		o.ErrorCode = x.err.Code
	}
	s.cfg.Observe(o)
}

func tlsVersionName(v uint16) string {
	switch v {
	case tls.VersionTLS13:
		return "TLSv1.3"
	case tls.VersionTLS12:
		return "TLSv1.2"
	case tls.VersionTLS11:
		return "TLSv1.1"
	case tls.VersionTLS10:
		return "TLSv1"
	}
	return "unknown"
}

func cipherName(id uint16) string {
	return tls.CipherSuiteName(id)
}
