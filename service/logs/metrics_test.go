package logs_test

import (
	"errors"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/service/logs"
)

func filter(group, name, pattern string, t logs.MetricTransformation) *logs.PutMetricFilterInput {
	return &logs.PutMetricFilterInput{LogGroupName: group, FilterName: name, FilterPattern: &pattern,
		MetricTransformations: []logs.MetricTransformation{t}}
}

func TestMetricFilterValidation(t *testing.T) {
	e := newEnv(t)
	e.group("g")
	ok := logs.MetricTransformation{MetricName: "Errors", MetricNamespace: "App", MetricValue: "1"}
	e.fails("ResourceNotFoundException", "PutMetricFilter", filter("nope", "f", "ERROR", ok))
	msg := e.fails("InvalidParameterException", "PutMetricFilter", filter("g", "f", "{ $.a = ", ok))
	if msg != "Invalid metric filter pattern" {
		t.Fatalf("message %q", msg)
	}
	e.fails("InvalidParameterException", "PutMetricFilter", filter("g", "f:x", "ERROR", ok))
	e.fails("InvalidParameterException", "PutMetricFilter", filter("g", "f", strings.Repeat("a", 1025), ok))
	e.fails("InvalidParameterException", "PutMetricFilter", &logs.PutMetricFilterInput{LogGroupName: "g", FilterName: "f", FilterPattern: ptr("")})
	bad := []logs.MetricTransformation{
		{MetricName: "", MetricNamespace: "App", MetricValue: "1"},
		{MetricName: "a:b", MetricNamespace: "App", MetricValue: "1"},
		{MetricName: "E", MetricNamespace: "A$", MetricValue: "1"},
		{MetricName: "E", MetricNamespace: "App", MetricValue: "one"},
		{MetricName: "E", MetricNamespace: "App", MetricValue: "$size"}, // not a space-delimited pattern
		{MetricName: "E", MetricNamespace: "App", MetricValue: "1", Unit: ptr("Parsecs")},
		{MetricName: "E", MetricNamespace: "App", MetricValue: "1", Dimensions: map[string]string{"a": "$.a", "b": "$.b", "c": "$.c", "d": "$.d"}},
		{MetricName: "E", MetricNamespace: "App", MetricValue: "1", Dimensions: map[string]string{"a": "$.a"}, DefaultValue: ptr(0.0)},
		{MetricName: "E", MetricNamespace: "App", MetricValue: "1", Dimensions: map[string]string{"a": "literal"}},
	}
	for _, b := range bad {
		e.fails("InvalidParameterException", "PutMetricFilter", filter("g", "f", "ERROR", b))
	}
	two := filter("g", "f", "ERROR", ok)
	two.MetricTransformations = append(two.MetricTransformations, ok)
	e.fails("InvalidParameterException", "PutMetricFilter", two)
	// The limit: 100 filters per group.
	for i := 0; i < 100; i++ {
		must[logs.Empty](e, "PutMetricFilter", filter("g", "f"+strings.Repeat("x", i), "ERROR", ok))
	}
	e.fails("LimitExceededException", "PutMetricFilter", filter("g", "one-too-many", "ERROR", ok))
	must[logs.Empty](e, "PutMetricFilter", filter("g", "f", "WARN", ok)) // replacing one is fine
	g := must[logs.DescribeLogGroupsOutput](e, "DescribeLogGroups", &logs.DescribeLogGroupsInput{}).LogGroups[0]
	if g.MetricFilterCount != 100 {
		t.Fatalf("metricFilterCount %d", g.MetricFilterCount)
	}
}

func TestDescribeAndDeleteMetricFilters(t *testing.T) {
	e := newEnv(t)
	e.group("g1")
	e.group("g2")
	m := func(ns, name string) logs.MetricTransformation {
		return logs.MetricTransformation{MetricName: name, MetricNamespace: ns, MetricValue: "1", Unit: ptr("Count"), DefaultValue: ptr(0.0)}
	}
	must[logs.Empty](e, "PutMetricFilter", filter("g1", "errors", "ERROR", m("App", "Errors")))
	must[logs.Empty](e, "PutMetricFilter", filter("g1", "warnings", "WARN", m("App", "Warnings")))
	must[logs.Empty](e, "PutMetricFilter", filter("g2", "errors", `{ $.level = "error" }`, m("Db", "Errors")))
	names := func(in *logs.DescribeMetricFiltersInput) string {
		var got []string
		for {
			out := must[logs.DescribeMetricFiltersOutput](e, "DescribeMetricFilters", in)
			for _, f := range out.MetricFilters {
				got = append(got, f.LogGroupName+":"+f.FilterName)
			}
			if out.NextToken == nil {
				return strings.Join(got, ",")
			}
			in.NextToken = out.NextToken
		}
	}
	if got := names(&logs.DescribeMetricFiltersInput{Limit: ptr(int32(1))}); got != "g1:errors,g2:errors,g1:warnings" {
		t.Fatalf("all %s", got)
	}
	if got := names(&logs.DescribeMetricFiltersInput{LogGroupName: ptr("g1"), FilterNamePrefix: ptr("warn")}); got != "g1:warnings" {
		t.Fatalf("prefix %s", got)
	}
	if got := names(&logs.DescribeMetricFiltersInput{MetricNamespace: ptr("Db"), MetricName: ptr("Errors")}); got != "g2:errors" {
		t.Fatalf("by metric %s", got)
	}
	e.fails("InvalidParameterException", "DescribeMetricFilters", &logs.DescribeMetricFiltersInput{MetricName: ptr("Errors")})
	e.fails("ResourceNotFoundException", "DescribeMetricFilters", &logs.DescribeMetricFiltersInput{LogGroupName: ptr("nope")})
	one := must[logs.DescribeMetricFiltersOutput](e, "DescribeMetricFilters", &logs.DescribeMetricFiltersInput{LogGroupName: ptr("g2")}).MetricFilters[0]
	mt := one.MetricTransformations[0]
	if *one.FilterPattern != `{ $.level = "error" }` || one.CreationTime != e.ms(0) || mt.MetricNamespace != "Db" ||
		*mt.Unit != "Count" || *mt.DefaultValue != 0 || mt.MetricValue != "1" {
		t.Fatalf("filter %+v %+v", one, mt)
	}
	must[logs.Empty](e, "DeleteMetricFilter", &logs.DeleteMetricFilterInput{LogGroupName: "g1", FilterName: "errors"})
	msg := e.fails("ResourceNotFoundException", "DeleteMetricFilter", &logs.DeleteMetricFilterInput{LogGroupName: "g1", FilterName: "errors"})
	if msg != "The specified metric filter does not exist." {
		t.Fatalf("message %q", msg)
	}
	if got := names(&logs.DescribeMetricFiltersInput{}); got != "g2:errors,g1:warnings" {
		t.Fatalf("after delete %s", got)
	}
}

func TestTestMetricFilter(t *testing.T) {
	e := newEnv(t)
	// The AWS CLI's example.
	out := must[logs.TestMetricFilterOutput](e, "TestMetricFilter", &logs.TestMetricFilterInput{FilterPattern: ptr("ERROR"),
		LogEventMessages: []string{"[ERROR] 400 BAD REQUEST", "[ERROR] 400 BAD REQUEST", "[INFO] 200 OK"}})
	if len(out.Matches) != 2 || out.Matches[0].EventNumber != 1 || out.Matches[1].EventNumber != 2 ||
		out.Matches[0].EventMessage != "[ERROR] 400 BAD REQUEST" || out.Matches[0].ExtractedValues == nil || len(out.Matches[0].ExtractedValues) != 0 {
		t.Fatalf("matches %+v", out.Matches)
	}
	line := `127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534`
	out = must[logs.TestMetricFilterOutput](e, "TestMetricFilter", &logs.TestMetricFilterInput{
		FilterPattern: ptr("[ip, identity, user_id, timestamp, request, status_code = 200, size]"), LogEventMessages: []string{"x", line}})
	want := map[string]string{"$ip": "127.0.0.1", "$identity": "-", "$user_id": "frank", "$timestamp": "10/Oct/2000:13:25:15 -0700",
		"$request": "GET /apache_pb.gif HTTP/1.0", "$status_code": "200", "$size": "1534"}
	if len(out.Matches) != 1 || out.Matches[0].EventNumber != 2 || !maps.Equal(out.Matches[0].ExtractedValues, want) {
		t.Fatalf("matches %+v", out.Matches)
	}
	none := must[logs.TestMetricFilterOutput](e, "TestMetricFilter", &logs.TestMetricFilterInput{FilterPattern: ptr("NOPE"), LogEventMessages: []string{"a"}})
	if none.Matches == nil || len(none.Matches) != 0 {
		t.Fatalf("no matches %+v", none)
	}
	e.fails("InvalidParameterException", "TestMetricFilter", &logs.TestMetricFilterInput{FilterPattern: ptr("[a"), LogEventMessages: []string{"a"}})
	e.fails("InvalidParameterException", "TestMetricFilter", &logs.TestMetricFilterInput{FilterPattern: ptr("a"), LogEventMessages: []string{}})
	e.fails("InvalidParameterException", "TestMetricFilter", &logs.TestMetricFilterInput{FilterPattern: ptr("a"), LogEventMessages: make([]string, 51)})
}

// Metric filters count what PutLogEvents and Append ingest, per minute of
// the events' timestamps: values, defaults, dimensions.
func TestMetricFiltersCountIngestedEvents(t *testing.T) {
	e := newEnv(t)
	e.group("trail")
	e.stream("trail", "s")
	minute := e.clock.Now().Truncate(time.Minute).Add(-10 * time.Minute)
	at := func(m, s int) int64 {
		return minute.Add(time.Duration(m)*time.Minute + time.Duration(s)*time.Second).UnixMilli()
	}
	unauthorized := `{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }`
	must[logs.Empty](e, "PutMetricFilter", filter("trail", "unauthorized", unauthorized,
		logs.MetricTransformation{MetricName: "UnauthorizedAttemptCount", MetricNamespace: "CISBenchmark", MetricValue: "1", DefaultValue: ptr(0.0)}))
	must[logs.Empty](e, "PutMetricFilter", filter("trail", "latency", `{ $.latency = * }`,
		logs.MetricTransformation{MetricName: "Latency", MetricNamespace: "App/Web", MetricValue: "$.latency", Dimensions: map[string]string{"Op": "$.eventName"}}))
	rec := func(name, code string, latency int) string {
		return `{"eventName":"` + name + `","errorCode":"` + code + `","latency":` + itoa(latency) + `}`
	}
	e.put("trail", "s",
		ev(at(0, 1), rec("ListUsers", "AccessDenied", 10)),
		ev(at(0, 2), rec("ListUsers", "", 30)),
		ev(at(0, 3), rec("RunInstances", "Client.UnauthorizedOperation", 5)),
		ev(at(1, 0), rec("ListUsers", "", 1)), // minute 1: no match, the default
	)
	if err := e.svc.Append(ctx, acct, region, "trail", "s", []logs.InputEvent{
		ev(at(2, 5), rec("GetObject", "AccessDeniedException", 7)),
		ev(at(2, 1), rec("GetObject", "", 3)),
	}); err != nil {
		t.Fatal(err)
	}
	points, err := e.svc.MetricData(ctx, acct, region, "CISBenchmark", "UnauthorizedAttemptCount", minute, minute.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	type pt struct {
		sum   float64
		count int64
	}
	got := map[int]pt{}
	for _, p := range points {
		got[int(p.Time.Sub(minute)/time.Minute)] = pt{p.Sum, p.SampleCount}
		if len(p.Dimensions) != 0 {
			t.Fatalf("dimensions %v", p.Dimensions)
		}
	}
	// Minute 0: two matches and one default; minute 1: the default only;
	// minute 2: one match and one default.
	if want := map[int]pt{0: {2, 3}, 1: {0, 1}, 2: {1, 2}}; !maps.Equal(got, want) {
		t.Fatalf("unauthorized points %v, want %v", got, want)
	}
	lat, err := e.svc.MetricData(ctx, acct, region, "App/Web", "Latency", minute, minute.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	byOp := map[string]float64{}
	for _, p := range lat {
		byOp[p.Dimensions["Op"]] += p.Sum
		if p.Dimensions["Op"] == "ListUsers" && p.Time.Equal(minute) && (p.Minimum != 10 || p.Maximum != 30 || p.SampleCount != 2) {
			t.Fatalf("ListUsers minute 0: %+v", p)
		}
	}
	if want := map[string]float64{"ListUsers": 41, "RunInstances": 5, "GetObject": 10}; !maps.Equal(byOp, want) {
		t.Fatalf("latency by op %v", byOp)
	}
	series, err := e.svc.MetricSeries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	totals := map[string]logs.MetricSeries{}
	for _, s := range series {
		totals[s.Namespace+"/"+s.Name+"/"+s.Dimensions["Op"]] = s
	}
	u := totals["CISBenchmark/UnauthorizedAttemptCount/"]
	if u.Value != 3 || u.Count != 6 || u.Account != acct || u.Region != region {
		t.Fatalf("unauthorized series %+v", u)
	}
	if l := totals["App/Web/Latency/GetObject"]; l.Value != 10 || l.Count != 2 {
		t.Fatalf("latency series %+v", l)
	}
	// Nothing outside the window.
	if p, _ := e.svc.MetricData(ctx, acct, region, "CISBenchmark", "UnauthorizedAttemptCount", minute.Add(time.Hour), minute.Add(2*time.Hour)); len(p) != 0 {
		t.Fatalf("points outside the window %v", p)
	}
	// Rejected events emit nothing.
	out := e.put("trail", "s", ev(e.ms(3*time.Hour), rec("X", "AccessDenied", 1)))
	if out.RejectedLogEventsInfo == nil {
		t.Fatal("not rejected")
	}
	series, _ = e.svc.MetricSeries(ctx)
	for _, s := range series {
		if s.Name == "UnauthorizedAttemptCount" && s.Value != 3 {
			t.Fatalf("a rejected event counted: %+v", s)
		}
	}
}

func itoa(n int) string {
	const digits = "0123456789"
	if n < 10 {
		return digits[n : n+1]
	}
	return itoa(n/10) + digits[n%10:n%10+1]
}

func TestDeliveryAPI(t *testing.T) {
	e := newEnv(t)
	if err := e.svc.LogGroupExists(ctx, acct, region, "ct"); !errors.Is(err, cairn.ErrNotFound) {
		t.Fatalf("LogGroupExists of a missing group: %v", err)
	}
	if err := e.svc.EnsureStream(ctx, acct, region, "ct", "s"); !errors.Is(err, cairn.ErrNotFound) {
		t.Fatalf("EnsureStream in a missing group: %v", err)
	}
	e.group("ct")
	if err := e.svc.LogGroupExists(ctx, acct, region, "ct"); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.LogGroupExists(ctx, acct, "eu-west-1", "ct"); !errors.Is(err, cairn.ErrNotFound) {
		t.Fatalf("another region: %v", err)
	}
	if err := e.svc.Append(ctx, acct, region, "ct", "s", []logs.InputEvent{ev(e.ms(0), "x")}); !errors.Is(err, cairn.ErrNotFound) {
		t.Fatalf("Append to a missing stream: %v", err)
	}
	for i := 0; i < 2; i++ {
		if err := e.svc.EnsureStream(ctx, acct, region, "ct", "123456789012_CloudTrail_us-east-1"); err != nil {
			t.Fatal(err)
		}
	}
	// Append takes unsorted events, more than one batch's worth, and drops
	// what PutLogEvents would reject.
	var events []logs.InputEvent
	for i := 0; i < 12000; i++ {
		events = append(events, ev(e.ms(-time.Duration(i)*time.Millisecond), `{"n":`+itoa(i)+`}`))
	}
	events = append(events, ev(e.ms(-20*24*time.Hour), "too old"), ev(e.ms(0), ""))
	if err := e.svc.Append(ctx, acct, region, "ct", "123456789012_CloudTrail_us-east-1", events); err != nil {
		t.Fatal(err)
	}
	n := 0
	in := &logs.FilterLogEventsInput{LogGroupName: ptr("ct")}
	prev := int64(0)
	for {
		out := must[logs.FilterLogEventsOutput](e, "FilterLogEvents", in)
		for _, x := range out.Events {
			if x.Timestamp < prev {
				t.Fatal("out of order")
			}
			prev = x.Timestamp
			n++
		}
		if out.NextToken == nil {
			break
		}
		in.NextToken = out.NextToken
	}
	if n != 12000 {
		t.Fatalf("%d events appended, want 12000", n)
	}
	streams := must[logs.DescribeLogStreamsOutput](e, "DescribeLogStreams", &logs.DescribeLogStreamsInput{LogGroupName: ptr("ct")})
	if len(streams.LogStreams) != 1 {
		t.Fatalf("streams %+v", streams)
	}
}
