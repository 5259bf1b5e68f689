package server

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/audit"
	"github.com/cairnhq/cairn/sigv4"
)

// Binding ties a service's descriptor table to the protocol that serves it.
type Binding struct {
	Service  *cairn.Service
	Protocol Protocol
	// TargetPrefix is the X-Amz-Target prefix of JSON services
	// ("CloudTrail_20131101"), used to route requests that carry no
	// credential scope.
	TargetPrefix string
	// Stream says request bodies are verified as they are read (S3): the
	// signature covers x-amz-content-sha256 (sigv4.Verify with payload
	// hash ""), and the body is read through sigv4.NewPayloadReader,
	// whole and capped by MaxBody for most operations, or handed to the
	// operation as a stream for those the protocol's Streamer names. The
	// funnel never holds a streamed body in memory.
	Stream bool
	// Anonymous says requests without any signature are served as the
	// anonymous principal, for authorization to decide (S3). Such a call
	// is recorded only in the accounts its operation's Recipients name
	// (the bucket owner's), and only when there is one. Unsigned requests
	// that do not look like Query API calls are routed to the one
	// anonymous binding.
	Anonymous bool
	// Unsigned names operations served to requests that carry no
	// signature at all, as the anonymous principal, for authorization to
	// decide: SNS's ConfirmSubscription and Unsubscribe, reached through
	// the links in the messages SNS delivers. Such a request is routed by
	// the Action parameter of its URL and recorded like an Anonymous
	// binding's calls: in the accounts its operation's Recipients name,
	// and not at all when there is none.
	Unsigned []string
}

// Config is everything the server is built from; cmd/cairn wires it.
type Config struct {
	Bindings    []Binding
	Credentials cairn.Credentials
	Authorizer  Authorizer
	Recorder    *audit.Recorder
	Clock       cairn.Clock
	IDs         cairn.IDs
	Log         *slog.Logger
	Version     string
	// MaxBody caps request bodies of non-streaming protocols.
	MaxBody int64
	// MaxSkew is the allowed clock skew of signed requests.
	MaxSkew time.Duration
	// KeyUsed, if set, is told of every successfully authenticated call
	// (GetAccessKeyLastUsed). It must not block.
	KeyUsed func(accessKeyID, service, region string, t time.Time)
	// Observe, if set, is told of every request the funnel answered, after
	// its response was written (metrics). It must not block.
	Observe func(Observation)
	// Routes are Cairn's own unauthenticated endpoints, keyed by
	// http.ServeMux pattern ("GET /_cairn/metrics"). Every pattern's path
	// must start with /_cairn/ (New panics otherwise: a wiring mistake),
	// so that no route can shadow an AWS API path.
	Routes map[string]http.Handler
}

// Server serves every bound service on one listener.
type Server struct {
	cfg       Config
	services  map[string]*Binding
	anonymous *Binding // the binding that takes unsigned requests, if any
	// unsigned maps the Action of an unsigned Query request to the binding
	// that serves it without a signature.
	unsigned map[string]*Binding
	verifier *sigv4.Verifier
}

// New builds a Server.
func New(cfg Config) *Server {
	if cfg.MaxBody == 0 {
		cfg.MaxBody = 4 << 20
	}
	if cfg.MaxSkew == 0 {
		cfg.MaxSkew = 15 * time.Minute
	}
	for pattern := range cfg.Routes {
		path := pattern
		if _, p, ok := strings.Cut(pattern, " "); ok {
			path = p
		}
		if !strings.HasPrefix(path, "/_cairn/") {
			panic("server: route " + pattern + " is outside /_cairn/")
		}
	}
	s := &Server{cfg: cfg, services: map[string]*Binding{}, unsigned: map[string]*Binding{}}
	for i := range cfg.Bindings {
		b := &cfg.Bindings[i]
		s.services[b.Service.Name] = b
		if b.Anonymous {
			s.anonymous = b
		}
		for _, op := range b.Unsigned {
			s.unsigned[op] = b
		}
	}
	s.verifier = &sigv4.Verifier{
		Now:     cfg.Clock.Now,
		MaxSkew: cfg.MaxSkew,
		Lookup: func(accessKeyID string) (string, error) {
			c, err := cfg.Credentials.LookupAccessKey(accessKeyID)
			if err != nil {
				return "", err
			}
			return c.Secret, nil
		},
	}
	return s
}

// Handler is the HTTP entry point: Cairn's own endpoints under /_cairn/,
// everything else through Dispatch.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /_cairn/health", s.health)
	for pattern, h := range s.cfg.Routes {
		mux.Handle(pattern, h)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/_cairn/") {
			mux.ServeHTTP(w, r)
			return
		}
		s.Dispatch(w, r)
	})
}

func (s *Server) health(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"status":"ok","version":"` + s.cfg.Version + `"}`))
}

// Close flushes the recorder. The caller shuts the HTTP server down first
// so that no call is in flight.
func (s *Server) Close(ctx context.Context) {
	done := make(chan struct{})
	go func() { s.cfg.Recorder.Close(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
}
