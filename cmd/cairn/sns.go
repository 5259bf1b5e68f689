package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/audit"
	"github.com/cairnhq/cairn/service/sns"
)

// snsPoster delivers SNS messages over HTTP and HTTPS (sns.Poster): one
// POST, no redirects followed (a 3xx is a failed delivery, as only 2xx
// succeeds), the response body drained up to a limit so that connections
// are reused. The attempt's deadline is the context's. Link-local and
// unspecified addresses are never dialled: a subscriber could otherwise
// make Cairn post to a cloud metadata service (169.254.169.254).
// Loopback and private addresses are allowed, since subscribers on the
// same machine or network are what a self-hosted Cairn serves.
type snsPoster struct{ client *http.Client }

func newSNSPoster() snsPoster {
	t := http.DefaultTransport.(*http.Transport).Clone()
	d := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second, Control: refuseLinkLocal}
	t.DialContext = d.DialContext
	return snsPoster{client: &http.Client{
		Transport:     t,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// errForbiddenEndpoint refuses a delivery to an address SNS never posts to.
var errForbiddenEndpoint = errors.New("sns: endpoint address is link-local or unspecified")

// refuseLinkLocal checks the address actually dialled, after resolution,
// so that a host name cannot point around the rule.
func refuseLinkLocal(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return err
	}
	ip = ip.Unmap()
	if ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsUnspecified() || ip.IsMulticast() {
		return fmt.Errorf("%w: %s", errForbiddenEndpoint, ip)
	}
	return nil
}

func (p snsPoster) Post(ctx context.Context, url string, header map[string]string, body []byte) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, nil
}

// snsRecorder records the Publish calls AWS services make to SNS
// (sns.PublishAs) as the funnel records calls: the same record builder
// and recorder, in the topic owner's account.
type snsRecorder struct {
	recorder *audit.Recorder
	ids      cairn.IDs
}

func (r snsRecorder) RecordEvent(ctx context.Context, e *sns.Event) error {
	ev, err := audit.Build(&audit.Entry{
		Call: e.Call, Service: e.Service, Op: e.Op, OpName: e.Op.Name, Input: e.Input, Output: e.Output, Err: e.Err,
		EventID: cairn.NewEventID(r.ids, e.Call.Time), Region: e.Call.Region, Recipient: e.Recipient,
	})
	if err != nil {
		return fmt.Errorf("build %s event: %w", e.Op.Name, err)
	}
	return r.recorder.Record(ctx, ev)
}

// snsRoutes serves the certificate SNS messages are signed under at their
// SigningCertURL, unauthenticated, as AWS serves its own.
func snsRoutes(svc *sns.Service, log *slog.Logger) map[string]http.Handler {
	return map[string]http.Handler{
		"GET /_cairn/sns/{file}": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			name, pem, err := svc.SigningCertificate(r.Context())
			if err != nil {
				log.Error("sns signing certificate", "error", err)
				http.Error(w, "internal error", http.StatusInternalServerError)
				return
			}
			if r.PathValue("file") != name {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "application/x-pem-file")
			_, _ = w.Write(pem)
		}),
	}
}
