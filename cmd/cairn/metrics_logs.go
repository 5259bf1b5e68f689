package main

import (
	"context"
	"log/slog"
	"sort"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cairnhq/cairn/service/logs"
)

// logMetrics exposes the values CloudWatch Logs metric filters emitted as
// cairn_log_metric{account,region,namespace,name,dimensions}: the sum of
// every value emitted since the metric began (a running total, as a
// Prometheus counter is; rate() gives its change). Dimensions are one
// label, "Key=Value" pairs sorted and joined by commas, since each metric
// may name its own dimension keys and one family must keep one label set.
type logMetrics struct {
	logs *logs.Service
	log  *slog.Logger
}

var logMetricDesc = prometheus.NewDesc("cairn_log_metric",
	"CloudWatch Logs metric filter values: the running sum of the values matching log events emitted.",
	[]string{"account", "region", "namespace", "name", "dimensions"}, nil)

var logMetricCountDesc = prometheus.NewDesc("cairn_log_metric_values",
	"CloudWatch Logs metric filters: how many values were emitted.",
	[]string{"account", "region", "namespace", "name", "dimensions"}, nil)

func (m logMetrics) Describe(ch chan<- *prometheus.Desc) {
	ch <- logMetricDesc
	ch <- logMetricCountDesc
}

func (m logMetrics) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	series, err := m.logs.MetricSeries(ctx)
	if err != nil {
		m.log.Error("read log metrics", "error", err)
		return
	}
	for _, s := range series {
		labels := []string{s.Account, s.Region, s.Namespace, s.Name, dimensionsLabel(s.Dimensions)}
		ch <- prometheus.MustNewConstMetric(logMetricDesc, prometheus.GaugeValue, s.Value, labels...)
		ch <- prometheus.MustNewConstMetric(logMetricCountDesc, prometheus.CounterValue, float64(s.Count), labels...)
	}
}

func dimensionsLabel(dims map[string]string) string {
	pairs := make([]string, 0, len(dims))
	for k, v := range dims {
		pairs = append(pairs, k+"="+v)
	}
	sort.Strings(pairs)
	return strings.Join(pairs, ",")
}
