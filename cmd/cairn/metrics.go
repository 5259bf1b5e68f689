package main

import (
	"net/http"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/cairnhq/cairn/audit"
	"github.com/cairnhq/cairn/server"
)

// metrics are Cairn's own counters, served in the Prometheus text format
// at GET /_cairn/metrics. They live in a registry of their own (no global
// state) and never carry a request's parameters: only service, operation
// and error code names, which are bounded sets.
type metrics struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	files     *prometheus.CounterVec
	internal  *prometheus.CounterVec
	notifies  *prometheus.CounterVec
	logWrites *prometheus.CounterVec
}

func newMetrics(recorder *audit.Recorder) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cairn_requests_total", Help: "API requests answered, by service, operation, HTTP status and AWS error code.",
	}, []string{"service", "operation", "status", "error_code"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "cairn_request_duration_seconds", Help: "Time from a request's arrival to its response, event commit included.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
	}, []string{"service"})
	m.files = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cairn_trail_files_written_total", Help: "CloudTrail log and digest files written to buckets, by outcome.",
	}, []string{"kind", "outcome"})
	m.internal = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cairn_internal_errors_total", Help: "Failures inside Cairn (InternalFailure answers, failed background work), by component.",
	}, []string{"component"})
	m.notifies = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cairn_trail_notifications_total", Help: "SNS notifications CloudTrail published for delivered log files, by outcome.",
	}, []string{"outcome"})
	m.logWrites = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cairn_trail_cloudwatch_logs_events_total", Help: "Events CloudTrail streamed to CloudWatch Logs log groups, by outcome.",
	}, []string{"outcome"})
	m.reg.MustRegister(m.requests, m.latency, m.files, m.internal, m.notifies, m.logWrites,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	stat := func(name, help string, f func(audit.RecorderStats) uint64) {
		m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help},
			func() float64 { return float64(f(recorder.Stats())) }))
	}
	stat("cairn_events_recorded_total", "CloudTrail events made durable.", func(s audit.RecorderStats) uint64 { return s.Events })
	stat("cairn_event_commits_total", "Store commits that made events durable (group commits).", func(s audit.RecorderStats) uint64 { return s.Batches })
	stat("cairn_event_commit_failures_total", "Event commits that failed; their calls were answered InternalFailure.",
		func(s audit.RecorderStats) uint64 { return s.Failures })
	return m
}

// observe counts one answered request (server.Config.Observe).
func (m *metrics) observe(o server.Observation) {
	m.requests.WithLabelValues(o.Service, o.Operation, strconv.Itoa(o.Status), o.ErrorCode).Inc()
	m.latency.WithLabelValues(o.Service).Observe(o.Duration.Seconds())
	if o.Status >= 500 {
		m.internal.WithLabelValues("api").Inc()
	}
}

// outcome is the label value of a background step's result.
func outcome(err error) string {
	if err != nil {
		return "error"
	}
	return "ok"
}

// handler serves the registry.
func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}
