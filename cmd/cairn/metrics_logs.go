package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cairnhq/cairn/service/logs"
)

// logMetrics exposes the values CloudWatch Logs metric filters emitted as
// cairn_log_metric{account,region,namespace,name}: the sum of every value
// emitted since the metric began (a running total; rate() gives its
// change), summed over the metric's dimensions. Dimension values come from
// log events (an ARN, an address) and /_cairn/metrics needs no signature,
// so they are left out: the series a scrape shows are bounded by the
// metric filters, not by what the logged calls carried.
type logMetrics struct {
	logs *logs.Service
	log  *slog.Logger
}

var (
	logMetricLabels    = []string{"account", "region", "namespace", "name"}
	logMetricDesc      = prometheus.NewDesc("cairn_log_metric", "CloudWatch Logs metric filter values: the running sum of the values matching log events emitted.", logMetricLabels, nil)
	logMetricCountDesc = prometheus.NewDesc("cairn_log_metric_values", "CloudWatch Logs metric filters: how many values were emitted.", logMetricLabels, nil)
)

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
	type metric struct{ account, region, namespace, name string }
	sums := map[metric]*logs.MetricSeries{}
	var order []metric
	for _, s := range series {
		k := metric{s.Account, s.Region, s.Namespace, s.Name}
		if sums[k] == nil {
			sums[k] = &logs.MetricSeries{}
			order = append(order, k)
		}
		sums[k].Value += s.Value
		sums[k].Count += s.Count
	}
	for _, k := range order {
		labels := []string{k.account, k.region, k.namespace, k.name}
		ch <- prometheus.MustNewConstMetric(logMetricDesc, prometheus.GaugeValue, sums[k].Value, labels...)
		ch <- prometheus.MustNewConstMetric(logMetricCountDesc, prometheus.CounterValue, float64(sums[k].Count), labels...)
	}
}
