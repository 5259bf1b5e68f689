package logs

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cairnhq/cairn/filterpattern"
	"github.com/cairnhq/cairn/store"
)

// Metric filters turn ingested events into CloudWatch metric data. Each
// event a filter's pattern matches adds the filter's metric value (a
// number, or a value selected from the event) to its metric in the minute
// of the event's timestamp; each event it does not match adds the default
// value, when the filter has one (so a minute with events but no match
// reports the default, as AWS documents). A metric is (namespace, name,
// dimensions); a filter with dimensions makes one metric per distinct set
// of dimension values.
//
// The sums are kept per minute (tblPoints) and in total per metric
// (tblSeries, for a Prometheus-style counter), and are updated in the
// transaction that stores the events: exactly once per event.

// MetricSeries is one metric's running total since it was first emitted.
type MetricSeries struct {
	Account, Region string
	Namespace, Name string
	Dimensions      map[string]string
	Value           float64 // the sum of every value emitted
	Count           int64   // how many values were emitted
}

// MetricPoint is one minute of a metric.
type MetricPoint struct {
	Dimensions  map[string]string
	Time        time.Time // the start of the minute
	Sum         float64
	SampleCount int64
	Minimum     float64
	Maximum     float64
}

type pointRec struct {
	Sum   float64 `json:"sum"`
	Count int64   `json:"count"`
	Min   float64 `json:"min"`
	Max   float64 `json:"max"`
}

type seriesRec struct {
	Account    string            `json:"account"`
	Region     string            `json:"region"`
	Namespace  string            `json:"namespace"`
	Name       string            `json:"name"`
	Dimensions map[string]string `json:"dimensions,omitempty"`
	Sum        float64           `json:"sum"`
	Count      int64             `json:"count"`
}

// escapeKey keeps metric names, namespaces and dimensions from breaking
// the key layout: % / , = are escaped.
var keyEscaper = strings.NewReplacer("%", "%25", "/", "%2F", ",", "%2C", "=", "%3D")

func metricPrefix(account, region, namespace, name string) string {
	return account + "/" + region + "/" + keyEscaper.Replace(namespace) + "/" + keyEscaper.Replace(name) + "/"
}

func seriesKey(account, region, namespace, name string, dims map[string]string) string {
	keys := make([]string, 0, len(dims))
	for k := range dims {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(metricPrefix(account, region, namespace, name))
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(keyEscaper.Replace(k))
		b.WriteByte('=')
		b.WriteString(keyEscaper.Replace(dims[k]))
	}
	return b.String()
}

func minuteKey(minute int64) string { return fmt.Sprintf("%012d", minute) }

// compiledFilter is a metric filter ready to apply.
type compiledFilter struct {
	pattern *filterpattern.Pattern
	t       MetricTransformation
	value   *filterpattern.Selector
	dims    map[string]*filterpattern.Selector
}

// compileFilter checks and compiles a filter's pattern and transformation;
// errors are the InvalidParameterException PutMetricFilter answers.
func (s *Service) compileFilter(pattern string, t MetricTransformation) (*compiledFilter, error) {
	p, err := s.patterns.parse(pattern)
	if err != nil {
		return nil, invalidMetricPattern()
	}
	cf := &compiledFilter{pattern: p, t: t}
	if cf.value, err = p.Selector(t.MetricValue); err != nil {
		return nil, invalidParameter("Invalid metric value: %s", t.MetricValue)
	}
	if len(t.Dimensions) > 0 {
		cf.dims = map[string]*filterpattern.Selector{}
		for k, expr := range t.Dimensions {
			sel, err := p.Selector(expr)
			if err != nil || !strings.HasPrefix(strings.TrimSpace(expr), "$") {
				return nil, invalidParameter("Invalid dimension value %s for dimension %s: a dimension value must be a field of the pattern", expr, k)
			}
			cf.dims[k] = sel
		}
	}
	return cf, nil
}

// metricBatch accumulates one ingestion's metric data before it is added
// to the stored sums.
type metricBatch struct {
	account, region string
	points          map[string]*pointRec  // series key + "/" + minute
	series          map[string]*seriesRec // series key
}

func newMetricBatch(account, region string) *metricBatch {
	return &metricBatch{account: account, region: region, points: map[string]*pointRec{}, series: map[string]*seriesRec{}}
}

func (b *metricBatch) add(namespace, name string, dims map[string]string, ts int64, v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return
	}
	sk := seriesKey(b.account, b.region, namespace, name, dims)
	sr := b.series[sk]
	if sr == nil {
		sr = &seriesRec{Account: b.account, Region: b.region, Namespace: namespace, Name: name, Dimensions: dims}
		b.series[sk] = sr
	}
	sr.Sum += v
	sr.Count++
	pk := sk + "/" + minuteKey(ts/60000)
	p := b.points[pk]
	if p == nil {
		b.points[pk] = &pointRec{Sum: v, Count: 1, Min: v, Max: v}
		return
	}
	p.Sum += v
	p.Count++
	p.Min = min(p.Min, v)
	p.Max = max(p.Max, v)
}

// flush adds the batch to the stored sums.
func (b *metricBatch) flush(tx store.Tx) error {
	for k, p := range b.points {
		var cur pointRec
		err := store.GetJSON(tx, tblPoints, k, &cur)
		switch {
		case isNotFound(err):
			cur = *p
		case err != nil:
			return err
		default:
			cur.Sum += p.Sum
			cur.Count += p.Count
			cur.Min = min(cur.Min, p.Min)
			cur.Max = max(cur.Max, p.Max)
		}
		if err := store.PutJSON(tx, tblPoints, k, &cur); err != nil {
			return err
		}
	}
	for k, sr := range b.series {
		var cur seriesRec
		err := store.GetJSON(tx, tblSeries, k, &cur)
		switch {
		case isNotFound(err):
			cur = *sr
		case err != nil:
			return err
		default:
			cur.Sum += sr.Sum
			cur.Count += sr.Count
		}
		if err := store.PutJSON(tx, tblSeries, k, &cur); err != nil {
			return err
		}
	}
	return nil
}

// applyMetricFilters runs the group's metric filters over a chunk's events
// (c is the chunk of events) and adds their metric data in tx.
func (s *Service) applyMetricFilters(tx store.Tx, g *groupRec, c *chunk, events []InputLogEvent) error {
	var filters []*compiledFilter
	err := tx.Scan(tblFilters, filterKey(g.ID, ""), "", 0, func(_ string, v []byte) error {
		var f filterRec
		if err := decodeJSON(v, &f); err != nil {
			return err
		}
		for _, t := range f.Transformations {
			cf, err := s.compileFilter(f.Pattern, t)
			if err != nil {
				return errorf("stored metric filter %s of %s: %v", f.Name, g.Name, err)
			}
			filters = append(filters, cf)
		}
		return nil
	})
	if err != nil || len(filters) == 0 {
		return err
	}
	b := newMetricBatch(g.Account, g.Region)
	may := make([]bool, len(events))
	for _, f := range filters {
		f.pattern.Candidates(c.data, c.ends, may)
		for i := range events {
			msg, ts := events[i].Message, events[i].Timestamp
			if !may[i] || !f.pattern.Match(msg) {
				if f.t.DefaultValue != nil {
					b.add(f.t.MetricNamespace, f.t.MetricName, nil, ts, *f.t.DefaultValue)
				}
				continue
			}
			v, ok := f.value.Value(msg)
			if !ok {
				continue // no numeric value to emit
			}
			var dims map[string]string
			if f.dims != nil {
				dims = make(map[string]string, len(f.dims))
				for k, sel := range f.dims {
					d, ok := sel.Field(msg)
					if !ok {
						dims = nil
						break
					}
					dims[k] = d
				}
				if dims == nil {
					continue // a dimension without a value: no metric
				}
			}
			b.add(f.t.MetricNamespace, f.t.MetricName, dims, ts, v)
		}
	}
	return b.flush(tx)
}

// MetricSeries returns every metric's running totals, in every account and
// region, for the metrics endpoint.
func (s *Service) MetricSeries(ctx context.Context) ([]MetricSeries, error) {
	var out []MetricSeries
	err := s.view(ctx, func(tx store.Tx) error {
		return tx.Scan(tblSeries, "", "", 0, func(_ string, v []byte) error {
			var r seriesRec
			if err := decodeJSON(v, &r); err != nil {
				return err
			}
			out = append(out, MetricSeries{Account: r.Account, Region: r.Region, Namespace: r.Namespace, Name: r.Name,
				Dimensions: r.Dimensions, Value: r.Sum, Count: r.Count})
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("metric series: %w", err)
	}
	return out, nil
}

// MetricData returns the per-minute points of one metric (every set of
// dimensions) whose minute starts in [from, to), by dimensions and then
// time.
func (s *Service) MetricData(ctx context.Context, account, region, namespace, name string, from, to time.Time) ([]MetricPoint, error) {
	prefix := metricPrefix(account, region, namespace, name)
	var out []MetricPoint
	err := s.view(ctx, func(tx store.Tx) error {
		var keys []string // each point's series key
		err := tx.Scan(tblPoints, prefix, "", 0, func(k string, v []byte) error {
			cut := strings.LastIndexByte(k, '/')
			minute, err := strconv.ParseInt(k[cut+1:], 10, 64)
			if err != nil {
				return errorf("metric point key %q", k)
			}
			t := time.UnixMilli(minute * 60000).UTC()
			if t.Before(from) || !t.Before(to) {
				return nil
			}
			var p pointRec
			if err := decodeJSON(v, &p); err != nil {
				return err
			}
			keys = append(keys, k[:cut])
			out = append(out, MetricPoint{Time: t, Sum: p.Sum, SampleCount: p.Count, Minimum: p.Min, Maximum: p.Max})
			return nil
		})
		if err != nil {
			return err
		}
		// The dimensions are kept once per series, not per point.
		dimsOf := map[string]map[string]string{}
		for i, sk := range keys {
			dims, ok := dimsOf[sk]
			if !ok {
				var sr seriesRec
				if err := store.GetJSON(tx, tblSeries, sk, &sr); err != nil {
					return err
				}
				dims = sr.Dimensions
				dimsOf[sk] = dims
			}
			out[i].Dimensions = dims
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("metric data: %w", err)
	}
	return out, nil
}
