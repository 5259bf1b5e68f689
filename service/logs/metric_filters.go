package logs

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

const (
	maxFiltersPerGroup = 100
	maxPatternLen      = 1024
	maxDimensions      = 3
)

var units = []string{"Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes",
	"Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second",
	"Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second",
	"Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None"}

func validatePattern(p *string) (string, error) {
	if p == nil {
		return "", validationNull("filterPattern")
	}
	if utf8.RuneCountInString(*p) > maxPatternLen {
		return "", validation("filterPattern", "", "Member must have length less than or equal to 1024")
	}
	return *p, nil
}

// validateMetricName checks metricName and metricNamespace: 1 to 255
// characters, none of : * $.
func validateMetricName(member, v string) error {
	switch {
	case v == "":
		return validation(member, v, "Member must have length greater than or equal to 1")
	case utf8.RuneCountInString(v) > 255:
		return validation(member, v, "Member must have length less than or equal to 255")
	case strings.ContainsAny(v, ":*$"):
		return validation(member, v, "Member must satisfy regular expression pattern: [^:*$]*")
	}
	return nil
}

func validateTransformation(t *MetricTransformation) error {
	const m = "metricTransformations.1.member."
	if err := validateMetricName(m+"metricName", t.MetricName); err != nil {
		return err
	}
	if err := validateMetricName(m+"metricNamespace", t.MetricNamespace); err != nil {
		return err
	}
	switch {
	case t.MetricValue == "":
		return validation(m+"metricValue", "", "Member must have length greater than or equal to 1")
	case len(t.MetricValue) > 100:
		return validation(m+"metricValue", t.MetricValue, "Member must have length less than or equal to 100")
	case t.Unit != nil && !slices.Contains(units, *t.Unit):
		return validation(m+"unit", *t.Unit, "Member must satisfy enum value set: ["+strings.Join(units, ", ")+"]")
	case len(t.Dimensions) > maxDimensions:
		return invalidParameter("A metric filter can have at most %d dimensions.", maxDimensions)
	case len(t.Dimensions) > 0 && t.DefaultValue != nil:
		return invalidParameter("A metric filter with dimensions cannot have a default value.")
	}
	return nil
}

// PutMetricFilter creates or replaces a metric filter of a log group.
func (s *Service) PutMetricFilter(ctx context.Context, c *cairn.Call, in *PutMetricFilterInput) (*Empty, error) {
	ref, err := ownGroup(c, in.LogGroupName)
	if err != nil {
		return nil, err
	}
	if err := validateName("filterName", in.FilterName); err != nil {
		return nil, err
	}
	pattern, err := validatePattern(in.FilterPattern)
	if err != nil {
		return nil, err
	}
	switch n := len(in.MetricTransformations); {
	case in.MetricTransformations == nil:
		return nil, validationNull("metricTransformations")
	case n != 1:
		return nil, validation("metricTransformations", strconv.Itoa(n)+" items", "Member must have length equal to 1")
	}
	t := in.MetricTransformations[0]
	if err := validateTransformation(&t); err != nil {
		return nil, err
	}
	if in.ApplyOnTransformedLogs != nil && *in.ApplyOnTransformedLogs {
		return nil, invalidParameter("applyOnTransformedLogs is valid only for log groups with a log transformer; Cairn has none.")
	}
	if in.FieldSelectionCriteria != nil && *in.FieldSelectionCriteria != "" || len(in.EmitSystemFieldDimensions) > 0 {
		return nil, invalidParameter("fieldSelectionCriteria and emitSystemFieldDimensions are not supported.")
	}
	if _, err := s.compileFilter(pattern, t); err != nil {
		return nil, err
	}
	err = s.update(ctx, func(tx store.Tx) error {
		g, err := getGroup(tx, ref)
		if err != nil {
			return err
		}
		rec := filterRec{Name: in.FilterName, Pattern: pattern, Transformations: []MetricTransformation{t}, Created: s.now(c).UnixMilli()}
		var old filterRec
		switch err := store.GetJSON(tx, tblFilters, filterKey(g.ID, in.FilterName), &old); {
		case err == nil:
			rec.Created = old.Created
		case !isNotFound(err):
			return err
		case g.MetricFilters >= maxFiltersPerGroup:
			return limitExceeded("Resource limit exceeded.")
		default:
			g.MetricFilters++
			if err := store.PutJSON(tx, tblGroups, g.key(), g); err != nil {
				return err
			}
		}
		return store.PutJSON(tx, tblFilters, filterKey(g.ID, in.FilterName), &rec)
	})
	if err != nil {
		return nil, wrap("put metric filter", err)
	}
	return &Empty{}, nil
}

// DeleteMetricFilter deletes a metric filter. The metric data it produced
// stays.
func (s *Service) DeleteMetricFilter(ctx context.Context, c *cairn.Call, in *DeleteMetricFilterInput) (*Empty, error) {
	ref, err := ownGroup(c, in.LogGroupName)
	if err != nil {
		return nil, err
	}
	if err := validateName("filterName", in.FilterName); err != nil {
		return nil, err
	}
	err = s.update(ctx, func(tx store.Tx) error {
		g, err := getGroup(tx, ref)
		if err != nil {
			return err
		}
		if err := tx.Delete(tblFilters, filterKey(g.ID, in.FilterName)); isNotFound(err) {
			return filterNotFound()
		} else if err != nil {
			return err
		}
		g.MetricFilters--
		return store.PutJSON(tx, tblGroups, g.key(), g)
	})
	if err != nil {
		return nil, wrap("delete metric filter", err)
	}
	return &Empty{}, nil
}

// DescribeMetricFilters lists metric filters, sorted by filter name: of one
// group (with an optional name prefix), or of every group of the caller's
// account and region; optionally only those emitting one metric.
func (s *Service) DescribeMetricFilters(ctx context.Context, c *cairn.Call, in *DescribeMetricFiltersInput) (*DescribeMetricFiltersOutput, error) {
	limit, err := limitOf("limit", in.Limit, maxDescribe, maxDescribe)
	if err != nil {
		return nil, err
	}
	if (in.MetricName == nil) != (in.MetricNamespace == nil) {
		return nil, invalidParameter("metricName and metricNamespace must be specified together.")
	}
	after, err := decodeNameToken(in.NextToken, "f")
	if err != nil {
		return nil, err
	}
	var groups []groupRec
	prefix := ""
	err = s.view(ctx, func(tx store.Tx) error {
		if in.LogGroupName != nil {
			ref, err := ownGroup(c, *in.LogGroupName)
			if err != nil {
				return err
			}
			g, err := getGroup(tx, ref)
			if err != nil {
				return err
			}
			groups = []groupRec{*g}
			if in.FilterNamePrefix != nil {
				prefix = *in.FilterNamePrefix
			}
			return nil
		}
		return tx.Scan(tblGroups, groupKey(c.Account(), c.Region, ""), "", 0, func(_ string, v []byte) error {
			var g groupRec
			if err := decodeJSON(v, &g); err != nil {
				return err
			}
			if g.MetricFilters > 0 {
				groups = append(groups, g)
			}
			return nil
		})
	})
	if err != nil {
		return nil, wrap("describe metric filters", err)
	}
	var all []MetricFilter
	err = s.view(ctx, func(tx store.Tx) error {
		for i := range groups {
			g := &groups[i]
			err := tx.Scan(tblFilters, filterKey(g.ID, prefix), "", 0, func(_ string, v []byte) error {
				var f filterRec
				if err := decodeJSON(v, &f); err != nil {
					return err
				}
				if in.MetricName != nil && !emits(&f, *in.MetricNamespace, *in.MetricName) {
					return nil
				}
				all = append(all, f.describe(g.Name))
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, wrap("describe metric filters", err)
	}
	// By filter name, then group name: a total order for the token.
	pos := func(f *MetricFilter) string { return f.FilterName + "\x00" + f.LogGroupName }
	slices.SortFunc(all, func(a, b MetricFilter) int { return strings.Compare(pos(&a), pos(&b)) })
	out := &DescribeMetricFiltersOutput{MetricFilters: []MetricFilter{}}
	for i := range all {
		if after != "" && pos(&all[i]) <= after {
			continue
		}
		if len(out.MetricFilters) == limit {
			out.NextToken = encodeNameToken("f", pos(&all[i-1]))
			break
		}
		out.MetricFilters = append(out.MetricFilters, all[i])
	}
	return out, nil
}

func emits(f *filterRec, namespace, name string) bool {
	for _, t := range f.Transformations {
		if t.MetricNamespace == namespace && t.MetricName == name {
			return true
		}
	}
	return false
}

func (f *filterRec) describe(group string) MetricFilter {
	return MetricFilter{
		FilterName: f.Name, FilterPattern: &f.Pattern, MetricTransformations: f.Transformations,
		CreationTime: f.Created, LogGroupName: group,
	}
}

const maxTestMessages = 50

// TestMetricFilter reports which sample messages a pattern matches, with
// the values a space-delimited pattern extracts from each.
func (s *Service) TestMetricFilter(_ context.Context, _ *cairn.Call, in *TestMetricFilterInput) (*TestMetricFilterOutput, error) {
	pattern, err := validatePattern(in.FilterPattern)
	if err != nil {
		return nil, err
	}
	switch n := len(in.LogEventMessages); {
	case in.LogEventMessages == nil:
		return nil, validationNull("logEventMessages")
	case n == 0:
		return nil, validation("logEventMessages", "[]", "Member must have length greater than or equal to 1")
	case n > maxTestMessages:
		return nil, validation("logEventMessages", "[…]", "Member must have length less than or equal to 50")
	}
	p, err := s.patterns.parse(pattern)
	if err != nil {
		return nil, invalidMetricPattern()
	}
	out := &TestMetricFilterOutput{Matches: []MetricFilterMatchRecord{}}
	for i, m := range in.LogEventMessages {
		if m == "" {
			return nil, validation("logEventMessages."+strconv.Itoa(i+1)+".member", "", "Member must have length greater than or equal to 1")
		}
		if vals := p.Extracted(m); vals != nil {
			out.Matches = append(out.Matches, MetricFilterMatchRecord{EventNumber: int64(i + 1), EventMessage: m, ExtractedValues: vals})
		}
	}
	return out, nil
}
