package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/audit"
	"github.com/cairnhq/cairn/authz"
	"github.com/cairnhq/cairn/awsjson"
	"github.com/cairnhq/cairn/awsquery"
	"github.com/cairnhq/cairn/blob/diskblob"
	"github.com/cairnhq/cairn/restxml"
	"github.com/cairnhq/cairn/rootkey"
	"github.com/cairnhq/cairn/server"
	"github.com/cairnhq/cairn/service/cloudtrail"
	"github.com/cairnhq/cairn/service/iam"
	"github.com/cairnhq/cairn/service/kms"
	"github.com/cairnhq/cairn/service/logs"
	"github.com/cairnhq/cairn/service/organizations"
	"github.com/cairnhq/cairn/service/s3"
	"github.com/cairnhq/cairn/service/sns"
	"github.com/cairnhq/cairn/service/sts"
	"github.com/cairnhq/cairn/store"
	"github.com/cairnhq/cairn/store/sqlite"
)

type serveOptions struct {
	listen    string
	data      string
	accountID string
	logLevel  string
	pprof     string
	// s3Domains are host names under which buckets are addressed
	// virtual-hosted style (bucket.<domain>).
	s3Domains []string
	// Root credentials for a first start, from CAIRN_ROOT_ACCESS_KEY_ID and
	// CAIRN_ROOT_SECRET_ACCESS_KEY (never flags: secrets stay out of ps).
	rootAccessKeyID, rootSecretAccessKey string
	// clock replaces the wall clock in tests.
	clock cairn.Clock
	// deliveryInterval and digestInterval pace CloudTrail's log files and
	// digests (5 min and 1 h, as AWS; tests use seconds).
	deliveryInterval, digestInterval time.Duration
	// logsInterval paces CloudTrail's streaming to CloudWatch Logs.
	logsInterval time.Duration
}

func serveCommand() *cobra.Command {
	o := &serveOptions{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run Cairn (SQLite and the local disk in the data folder)",
		Long: `Run Cairn. Every flag can also be set with an environment variable
CAIRN_<FLAG> (for example CAIRN_LISTEN). On first start with an empty data
folder Cairn creates the first account and its root credentials
(CAIRN_ROOT_ACCESS_KEY_ID and CAIRN_ROOT_SECRET_ACCESS_KEY, when set, are
used as those credentials) and prints them once.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := bindEnv(cmd, os.Getenv); err != nil {
				return err
			}
			o.rootAccessKeyID = os.Getenv("CAIRN_ROOT_ACCESS_KEY_ID")
			o.rootSecretAccessKey = os.Getenv("CAIRN_ROOT_SECRET_ACCESS_KEY")
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return runServe(ctx, o, cmd.OutOrStdout(), cmd.ErrOrStderr(), nil)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.listen, "listen", "127.0.0.1:4566", "address to listen on")
	f.StringVar(&o.data, "data", "./cairn-data", "data folder")
	f.StringVar(&o.accountID, "account-id", "", "12-digit ID of the first account (default: random, chosen at first start and kept)")
	f.StringVar(&o.logLevel, "log-level", "info", "log level: debug, info, warn, error")
	f.StringVar(&o.pprof, "pprof-listen", "", "serve Go's net/http/pprof profiles on this address (empty: off)")
	f.DurationVar(&o.deliveryInterval, "delivery-interval", cloudtrail.DefaultDeliveryInterval, "how often trails deliver log files")
	f.DurationVar(&o.digestInterval, "digest-interval", cloudtrail.DefaultDigestInterval, "how often trails with log file validation deliver digest files")
	f.DurationVar(&o.logsInterval, "cloudwatch-logs-interval", cloudtrail.DefaultLogsInterval, "how often trails stream their events to CloudWatch Logs log groups")
	f.StringSliceVar(&o.s3Domains, "s3-domain", nil, "host name under which S3 buckets are addressed virtual-hosted style (bucket.<domain>); *.localhost and *.s3.* always are")
	return cmd
}

// runServe runs until ctx is done. ready, if not nil, receives the bound
// address once the listener accepts connections.
func runServe(ctx context.Context, o *serveOptions, stdout, stderr io.Writer, ready chan<- string) error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(o.logLevel)); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	if err := os.MkdirAll(o.data, 0o700); err != nil {
		return fmt.Errorf("create data folder: %w", err)
	}
	key, err := rootkey.LoadOrCreate(filepath.Join(o.data, "root.key"))
	if err != nil {
		return fmt.Errorf("root key: %w", err)
	}
	st, err := sqlite.Open(filepath.Join(o.data, "cairn.db"))
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	defer st.Close()

	var clock cairn.Clock = cairn.SystemClock{}
	if o.clock != nil {
		clock = o.clock
	}
	ids := cairn.RandomIDs{}
	iamSvc := iam.New(iam.Config{Store: st, Sealer: key, Clock: clock, IDs: ids})
	stsSvc := sts.New(sts.Config{Sessions: iamSvc, Roles: stsRoles{iamSvc}, Clock: clock})
	orgSvc := organizations.New(organizations.Config{Store: st, Accounts: iamSvc, Clock: clock, IDs: ids, Log: log})
	iamSvc.SetSCPSource(orgSvc) // the simulator evaluates SCPs too
	dests := &destinations{}    // S3 and KMS, filled in once they exist
	ctSvc := cloudtrail.New(cloudtrail.Config{Store: st, Clock: clock, Organizations: orgSvc, Destinations: dests, Sealer: key})
	blobs, err := diskblob.Open(filepath.Join(o.data, "blobs"))
	if err != nil {
		return fmt.Errorf("open blob store: %w", err)
	}
	defer blobs.Close()

	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	endpoint := "http://" + ln.Addr().String()
	if err := bootstrap(ctx, o, iamSvc, ids, endpoint, stdout); err != nil {
		ln.Close()
		return err
	}

	recorder := audit.NewRecorder(st)
	mx := newMetrics(recorder)
	authorizer := authz.New(iamSvc, orgSvc)
	kmsSvc := kms.New(kms.Config{Store: st, Sealer: key, Clock: clock, IDs: ids,
		Authorizer: authorizer, Recorder: kmsRecorder{recorder, ids}})
	s3Svc := s3.New(s3.Config{Store: st, Blobs: blobs, Sealer: key, KMS: kmsDataKeys{kmsSvc},
		Authorizer: authorizer, Clock: clock, IDs: ids, Builtin: builtinBuckets})
	dests.s3, dests.keys = s3Svc, kmsKeys{kmsSvc}
	snsSvc := sns.New(sns.Config{Store: st, Sealer: key, Clock: clock, IDs: ids, Endpoint: endpoint,
		Poster: newSNSPoster(), Authorizer: authorizer, Recorder: snsRecorder{recorder, ids}, Log: log})
	dests.sns = snsSvc
	logsSvc := logs.New(logs.Config{Store: st, Clock: clock, IDs: ids})
	ctLogs := &trailLogs{logs: logsSvc, sts: stsSvc, authz: authorizer, clock: clock, ids: ids, metrics: mx, streams: &sync.Map{}}
	dests.logs = ctLogs
	mx.reg.MustRegister(logMetrics{logs: logsSvc, log: log})
	s3Proto, err := restxml.New(restxml.S3(o.s3Domains...))
	if err == nil {
		err = s3Proto.Check(s3Svc.Descriptor())
	}
	if err != nil {
		return fmt.Errorf("s3 binding: %w", err)
	}
	srv := server.New(server.Config{
		Bindings: []server.Binding{
			{Service: iamSvc.Descriptor(), Protocol: awsquery.New(awsquery.IAM())},
			{Service: stsSvc.Descriptor(), Protocol: awsquery.New(awsquery.STS())},
			{Service: ctSvc.Descriptor(), Protocol: awsjson.New(awsjson.CloudTrail()),
				TargetPrefix: awsjson.CloudTrail().TargetPrefix},
			{Service: orgSvc.Descriptor(), Protocol: awsjson.New(awsjson.Organizations()),
				TargetPrefix: awsjson.Organizations().TargetPrefix},
			{Service: kmsSvc.Descriptor(), Protocol: awsjson.New(awsjson.KMS()),
				TargetPrefix: awsjson.KMS().TargetPrefix},
			{Service: s3Svc.Descriptor(), Protocol: s3Proto, Stream: true, Anonymous: true},
			{Service: snsSvc.Descriptor(), Protocol: awsquery.New(awsquery.SNS()), Unsigned: sns.UnsignedOperations()},
			{Service: logsSvc.Descriptor(), Protocol: awsjson.New(awsjson.Logs()),
				TargetPrefix: awsjson.Logs().TargetPrefix},
		},
		Credentials: iamSvc,
		Authorizer:  authorizer,
		Recorder:    recorder,
		Clock:       clock,
		IDs:         ids,
		Log:         log,
		Version:     version,
		KeyUsed:     iamSvc.MarkUsed,
		Observe:     mx.observe,
		Routes:      routes(snsRoutes(snsSvc, log), map[string]http.Handler{"GET /_cairn/metrics": mx.handler()}),
	})
	httpSrv := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 30 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- httpSrv.Serve(ln) }()
	log.Info("cairn listening", "endpoint", endpoint, "data", o.data, "version", version)
	if ready != nil {
		ready <- ln.Addr().String()
	}
	go purgeEvents(ctx, st, clock, log)
	// Background work that records events ends before the recorder closes.
	var sweeps sync.WaitGroup
	sweeps.Go(func() { kmsSvc.Run(ctx, time.Minute, log) }) // deletes keys when due, rotates
	// Enforces log retention, purges deleted log groups and streams.
	sweeps.Go(func() { logsSvc.Run(ctx, time.Minute, log) }) // retention
	sweeps.Go(func() { sweepBlobs(ctx, s3Svc, clock, log) }) // blobs a crash left unreferenced
	deliverer := cloudtrail.NewDeliverer(cloudtrail.DeliveryConfig{
		Service: ctSvc, Store: st, Clock: clock, Log: log,
		Writer:   trailWriter{s3: s3Svc, desc: s3Svc.Descriptor(), recorder: recorder, ids: ids, metrics: mx},
		Interval: o.deliveryInterval, DigestInterval: o.digestInterval,
		Notifier: trailNotifier{sns: snsSvc, metrics: mx},
		Logs:     ctLogs, LogsInterval: o.logsInterval,
	})
	delivered := make(chan struct{})
	go func() { defer close(delivered); deliverer.Run(ctx) }()
	streamed := make(chan struct{})
	go func() { defer close(streamed); deliverer.RunLogs(ctx) }() // events to CloudWatch Logs
	snsDone := make(chan struct{})
	go func() { defer close(snsDone); snsSvc.Run(ctx) }() // SNS deliveries and retries
	if o.pprof != "" {
		go servePprof(o.pprof, log)
	}

	select {
	case err := <-serveErr:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing in-flight calls")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := httpSrv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Warn("shutdown", "error", err)
	}
	<-delivered // a delivery pass in progress commits before the store closes
	<-streamed
	<-snsDone // so do SNS delivery attempts in flight
	sweeps.Wait()
	srv.Close(shutdownCtx)
	if err := iamSvc.Close(); err != nil {
		log.Warn("close iam", "error", err)
	}
	log.Info("stopped")
	return nil
}

// purgeEvents drops events past the 90-day event history, hourly.
func purgeEvents(ctx context.Context, st store.Store, clock cairn.Clock, log *slog.Logger) {
	hourly(ctx, func() {
		n, err := st.PurgeEvents(ctx, clock.Now().Add(-cloudtrail.DefaultRetention))
		if err != nil && ctx.Err() == nil {
			log.Error("purge events", "error", err)
		} else if n > 0 {
			log.Info("purged events past retention", "count", n)
		}
	})
}

// hourly runs f at once and then every hour until ctx is done.
func hourly(ctx context.Context, f func()) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		f()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// routes joins the route tables of Cairn's own endpoints.
func routes(tables ...map[string]http.Handler) map[string]http.Handler {
	all := map[string]http.Handler{}
	for _, t := range tables {
		for pattern, h := range t {
			all[pattern] = h
		}
	}
	return all
}
