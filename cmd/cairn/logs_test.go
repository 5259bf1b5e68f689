package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logstypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/cairnhq/cairn/service/logs"
	"github.com/cairnhq/cairn/store/sqlite"
)

func (s *cairnServer) logs(cfg aws.Config) *cloudwatchlogs.Client {
	return cloudwatchlogs.NewFromConfig(cfg)
}

// nowMs is the server's clock in milliseconds.
func (s *cairnServer) nowMs(d time.Duration) int64 { return s.clock.Now().Add(d).UnixMilli() }

func logEvent(ts int64, msg string) logstypes.InputLogEvent {
	return logstypes.InputLogEvent{Timestamp: aws.Int64(ts), Message: aws.String(msg)}
}

func TestLogsGroupsAndStreams(t *testing.T) {
	s := startCairn(t)
	c := s.logs(s.root())
	if _, err := c.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("/app/web"),
		Tags: map[string]string{"team": "blue"}}); err != nil {
		t.Fatal(err)
	}
	msg := wantCode(t, err2(c.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("/app/web")})), "ResourceAlreadyExistsException")
	if msg != "The specified log group already exists" {
		t.Fatalf("message %q", msg)
	}
	var exists *logstypes.ResourceAlreadyExistsException
	if err := err2(c.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("/app/web")})); !errors.As(err, &exists) {
		t.Fatalf("the SDK does not see its modelled exception: %T", err)
	}
	wantCode(t, err2(c.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("bad name")})), "InvalidParameterException")
	for i := 0; i < 5; i++ {
		if _, err := c.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(fmt.Sprintf("/app/g%d", i))}); err != nil {
			t.Fatal(err)
		}
	}
	var names []string
	for p := cloudwatchlogs.NewDescribeLogGroupsPaginator(c, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/app/"), Limit: aws.Int32(2)}); p.HasMorePages(); {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range out.LogGroups {
			names = append(names, aws.ToString(g.LogGroupName))
		}
	}
	if strings.Join(names, ",") != "/app/g0,/app/g1,/app/g2,/app/g3,/app/g4,/app/web" {
		t.Fatalf("groups %v", names)
	}
	d, err := c.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePattern: aws.String("web")})
	if err != nil || len(d.LogGroups) != 1 {
		t.Fatalf("pattern: %+v %v", d, err)
	}
	g := d.LogGroups[0]
	if aws.ToString(g.Arn) != "arn:aws:logs:us-east-1:"+testAccount+":log-group:/app/web:*" ||
		aws.ToString(g.LogGroupArn) != "arn:aws:logs:us-east-1:"+testAccount+":log-group:/app/web" ||
		aws.ToInt64(g.CreationTime) == 0 || g.RetentionInDays != nil || g.LogGroupClass != logstypes.LogGroupClassStandard {
		t.Fatalf("group %+v", g)
	}
	if _, err := c.PutRetentionPolicy(ctx, &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String("/app/web"), RetentionInDays: aws.Int32(30)}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, err2(c.PutRetentionPolicy(ctx, &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String("/app/web"), RetentionInDays: aws.Int32(31)})), "InvalidParameterException")
	d, _ = c.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/app/web")})
	if aws.ToInt32(d.LogGroups[0].RetentionInDays) != 30 {
		t.Fatalf("retention %v", d.LogGroups[0].RetentionInDays)
	}
	if _, err := c.DeleteRetentionPolicy(ctx, &cloudwatchlogs.DeleteRetentionPolicyInput{LogGroupName: aws.String("/app/web")}); err != nil {
		t.Fatal(err)
	}

	// Tags.
	arn := "arn:aws:logs:us-east-1:" + testAccount + ":log-group:/app/web"
	if _, err := c.TagResource(ctx, &cloudwatchlogs.TagResourceInput{ResourceArn: aws.String(arn), Tags: map[string]string{"env": "prod"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UntagResource(ctx, &cloudwatchlogs.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"team"}}); err != nil {
		t.Fatal(err)
	}
	tags, err := c.ListTagsForResource(ctx, &cloudwatchlogs.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
	if err != nil || len(tags.Tags) != 1 || tags.Tags["env"] != "prod" {
		t.Fatalf("tags %v %v", tags, err)
	}
	old, err := c.ListTagsLogGroup(ctx, &cloudwatchlogs.ListTagsLogGroupInput{LogGroupName: aws.String("/app/web")})
	if err != nil || old.Tags["env"] != "prod" {
		t.Fatalf("ListTagsLogGroup %v %v", old, err)
	}

	// Streams.
	for _, n := range []string{"i-1", "i-2", "i-3"} {
		if _, err := c.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String("/app/web"), LogStreamName: aws.String(n)}); err != nil {
			t.Fatal(err)
		}
	}
	wantCode(t, err2(c.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String("/app/web"), LogStreamName: aws.String("i-1")})), "ResourceAlreadyExistsException")
	msg = wantCode(t, err2(c.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String("/nope"), LogStreamName: aws.String("i-1")})), "ResourceNotFoundException")
	if msg != "The specified log group does not exist." {
		t.Fatalf("message %q", msg)
	}
	if _, err := c.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String("/app/web"), LogStreamName: aws.String("i-2"),
		LogEvents: []logstypes.InputLogEvent{logEvent(s.nowMs(-time.Minute), "hello")}}); err != nil {
		t.Fatal(err)
	}
	var streams []string
	for p := cloudwatchlogs.NewDescribeLogStreamsPaginator(c, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String("/app/web"),
		OrderBy: logstypes.OrderByLastEventTime, Descending: aws.Bool(true), Limit: aws.Int32(1)}); p.HasMorePages(); {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range out.LogStreams {
			streams = append(streams, aws.ToString(st.LogStreamName))
		}
	}
	if strings.Join(streams, ",") != "i-2,i-3,i-1" {
		t.Fatalf("streams by last event %v", streams)
	}
	if _, err := c.DeleteLogStream(ctx, &cloudwatchlogs.DeleteLogStreamInput{LogGroupName: aws.String("/app/web"), LogStreamName: aws.String("i-2")}); err != nil {
		t.Fatal(err)
	}
	msg = wantCode(t, err2(c.DeleteLogStream(ctx, &cloudwatchlogs.DeleteLogStreamInput{LogGroupName: aws.String("/app/web"), LogStreamName: aws.String("i-2")})), "ResourceNotFoundException")
	if msg != "The specified log stream does not exist." {
		t.Fatalf("message %q", msg)
	}
	if _, err := c.DeleteLogGroup(ctx, &cloudwatchlogs.DeleteLogGroupInput{LogGroupName: aws.String("/app/web")}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, err2(c.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String("/app/web")})), "ResourceNotFoundException")
}

func TestLogsPutGetFilter(t *testing.T) {
	s := startCairn(t)
	c := s.logs(s.root())
	group, stream := "CloudTrail/DefaultLogGroup", testAccount+"_CloudTrail_us-east-1"
	if _, err := c.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(group)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream)}); err != nil {
		t.Fatal(err)
	}
	put := func(events ...logstypes.InputLogEvent) (*cloudwatchlogs.PutLogEventsOutput, error) {
		return c.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream), LogEvents: events})
	}
	// Batch rules.
	msg := wantCode(t, err2(put(logEvent(s.nowMs(0), "b"), logEvent(s.nowMs(-time.Second), "a"))), "InvalidParameterException")
	if msg != "Log events in a single PutLogEvents request must be in chronological order." {
		t.Fatalf("message %q", msg)
	}
	wantCode(t, err2(put(logEvent(s.nowMs(-25*time.Hour), "a"), logEvent(s.nowMs(0), "b"))), "InvalidParameterException")
	wantCode(t, err2(put(logEvent(s.nowMs(0), strings.Repeat("x", 1048576)))), "InvalidParameterException")
	wantCode(t, err2(c.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String("nope"),
		LogEvents: []logstypes.InputLogEvent{logEvent(s.nowMs(0), "x")}})), "ResourceNotFoundException")
	out, err := put(logEvent(s.nowMs(-15*24*time.Hour), "too old"), logEvent(s.nowMs(-time.Minute), "fine"), logEvent(s.nowMs(3*time.Hour), "too new"))
	if err != nil {
		t.Fatal(err)
	}
	r := out.RejectedLogEventsInfo
	if r == nil || aws.ToInt32(r.TooOldLogEventEndIndex) != 1 || aws.ToInt32(r.TooNewLogEventStartIndex) != 2 || r.ExpiredLogEventEndIndex != nil ||
		len(aws.ToString(out.NextSequenceToken)) != 56 {
		t.Fatalf("PutLogEvents %+v %+v", out, r)
	}

	// CloudTrail records: every tenth is an AccessDenied.
	var events []logstypes.InputLogEvent
	base := s.nowMs(-time.Hour)
	for i := 0; i < 300; i++ {
		code := ""
		if i%10 == 3 {
			code = `,"errorCode":"AccessDenied"`
		}
		events = append(events, logEvent(base+int64(i), fmt.Sprintf(`{"eventName":"GetObject","n":%d%s}`, i, code)))
	}
	if _, err := put(events...); err != nil {
		t.Fatal(err)
	}
	pattern := `{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }`
	var matched []string
	pages := 0
	for p := cloudwatchlogs.NewFilterLogEventsPaginator(c, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String(group),
		FilterPattern: aws.String(pattern), Limit: aws.Int32(7)}); p.HasMorePages(); {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, e := range page.Events {
			if aws.ToString(e.LogStreamName) != stream || len(aws.ToString(e.EventId)) != 56 || aws.ToInt64(e.IngestionTime) == 0 {
				t.Fatalf("event %+v", e)
			}
			matched = append(matched, aws.ToString(e.Message))
		}
	}
	if len(matched) != 30 || pages != 5 || !strings.Contains(matched[0], `"n":3,`) || !strings.Contains(matched[29], `"n":293,`) {
		t.Fatalf("%d matches in %d pages: %v", len(matched), pages, matched)
	}
	// By identifier, time range and stream prefix; terms.
	f, err := c.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{
		LogGroupIdentifier:  aws.String("arn:aws:logs:us-east-1:" + testAccount + ":log-group:" + group),
		LogStreamNamePrefix: aws.String(testAccount), StartTime: aws.Int64(base + 100), EndTime: aws.Int64(base + 199),
		FilterPattern: aws.String(`AccessDenied -"n\":113"`)})
	if err != nil || len(f.Events) != 9 || f.NextToken != nil || f.SearchedLogStreams == nil {
		t.Fatalf("filter %d events, %v", len(f.Events), err)
	}
	msg = wantCode(t, err2(c.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String(group), FilterPattern: aws.String(`{ $.x = `)})), "InvalidParameterException")
	if msg != "Invalid filter pattern" {
		t.Fatalf("message %q", msg)
	}
	wantCode(t, err2(c.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("nope")})), "ResourceNotFoundException")

	// GetLogEvents: the latest page, then backward, then forward until the
	// token comes back unchanged.
	g, err := c.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream), Limit: aws.Int32(100)})
	if err != nil || len(g.Events) != 100 || aws.ToString(g.Events[99].Message) != "fine" || !strings.Contains(aws.ToString(g.Events[98].Message), `"n":299`) {
		t.Fatalf("latest %d %v", len(g.Events), err)
	}
	seen := len(g.Events)
	back := g.NextBackwardToken
	for {
		g, err = c.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream), NextToken: back, Limit: aws.Int32(100)})
		if err != nil {
			t.Fatal(err)
		}
		seen += len(g.Events)
		if aws.ToString(g.NextBackwardToken) == aws.ToString(back) {
			break
		}
		back = g.NextBackwardToken
	}
	if seen != 301 { // 300 records and "fine"
		t.Fatalf("read %d events backward", seen)
	}
	fwd := aws.String("")
	seen = 0
	in := &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream), StartFromHead: aws.Bool(true), Limit: aws.Int32(128)}
	for {
		g, err = c.GetLogEvents(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		seen += len(g.Events)
		if aws.ToString(g.NextForwardToken) == aws.ToString(fwd) {
			break
		}
		fwd = g.NextForwardToken
		in.NextToken = fwd
	}
	if seen != 301 {
		t.Fatalf("read %d events forward", seen)
	}
	// A later event shows up from the last forward token.
	if _, err := put(logEvent(s.nowMs(0), "later")); err != nil {
		t.Fatal(err)
	}
	g, err = c.GetLogEvents(ctx, in)
	if err != nil || len(g.Events) != 1 || aws.ToString(g.Events[0].Message) != "later" {
		t.Fatalf("poll %+v %v", g, err)
	}

	// Retention refuses events past it, and hides stored events as they
	// pass it (the background sweep deletes them; the service tests check
	// that). The clock moves 10 minutes: within the signature's allowed skew.
	if _, err := c.PutRetentionPolicy(ctx, &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String(group), RetentionInDays: aws.Int32(1)}); err != nil {
		t.Fatal(err)
	}
	out, err = put(logEvent(s.nowMs(-25*time.Hour), "expired"), logEvent(s.nowMs(-24*time.Hour+5*time.Minute), "about to expire"))
	if err != nil || out.RejectedLogEventsInfo == nil || aws.ToInt32(out.RejectedLogEventsInfo.ExpiredLogEventEndIndex) != 1 {
		t.Fatalf("expired event %+v %v", out, err)
	}
	count := func() int {
		f, err := c.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String(group), FilterPattern: aws.String(`"about to expire"`)})
		if err != nil {
			t.Fatal(err)
		}
		return len(f.Events)
	}
	if n := count(); n != 1 {
		t.Fatalf("%d events before expiry", n)
	}
	s.clock.Advance(10 * time.Minute)
	defer s.clock.Advance(-10 * time.Minute)
	if n := count(); n != 0 {
		t.Fatalf("%d events after expiry", n)
	}
	// Data events: recorded, never with the messages.
	recs := dataEvents(t, s, testAccount, "PutLogEvents")
	if len(recs) == 0 {
		t.Fatal("no PutLogEvents events")
	}
	for _, r := range recs {
		if r.str("eventCategory") != "Data" || r.str("eventSource") != "logs.amazonaws.com" || r.str("requestParameters.logGroupName") != group {
			t.Fatalf("PutLogEvents record %v", r)
		}
		if strings.Contains(fmt.Sprint(r), "GetObject") || strings.Contains(fmt.Sprint(r), "too old") {
			t.Fatalf("a record holds log messages: %v", r)
		}
	}
}

func TestLogsMetricFilters(t *testing.T) {
	s := startCairn(t)
	c := s.logs(s.root())
	group := "CloudTrail/logs"
	if _, err := c.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(group)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String(group), LogStreamName: aws.String("s")}); err != nil {
		t.Fatal(err)
	}
	// The AWS CLI's TestMetricFilter example.
	tm, err := c.TestMetricFilter(ctx, &cloudwatchlogs.TestMetricFilterInput{FilterPattern: aws.String("ERROR"),
		LogEventMessages: []string{"[ERROR] 400 BAD REQUEST", "[ERROR] 400 BAD REQUEST", "[INFO] 200 OK"}})
	if err != nil || len(tm.Matches) != 2 || tm.Matches[0].EventNumber != 1 || tm.Matches[1].EventNumber != 2 {
		t.Fatalf("TestMetricFilter %+v %v", tm, err)
	}
	tm, err = c.TestMetricFilter(ctx, &cloudwatchlogs.TestMetricFilterInput{FilterPattern: aws.String("[ip, user, username, timestamp, request, status_code = 4*, bytes]"),
		LogEventMessages: []string{`127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 404 1534`}})
	if err != nil || len(tm.Matches) != 1 || tm.Matches[0].ExtractedValues["$request"] != "GET /apache_pb.gif HTTP/1.0" || tm.Matches[0].ExtractedValues["$bytes"] != "1534" {
		t.Fatalf("TestMetricFilter delimited %+v %v", tm, err)
	}
	msg := wantCode(t, err2(c.TestMetricFilter(ctx, &cloudwatchlogs.TestMetricFilterInput{FilterPattern: aws.String("{ $.a = "), LogEventMessages: []string{"x"}})), "InvalidParameterException")
	if msg != "Invalid metric filter pattern" {
		t.Fatalf("message %q", msg)
	}
	unauthorized := `{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }`
	if _, err := c.PutMetricFilter(ctx, &cloudwatchlogs.PutMetricFilterInput{LogGroupName: aws.String(group), FilterName: aws.String("UnauthorizedAPICalls"),
		FilterPattern: aws.String(unauthorized), MetricTransformations: []logstypes.MetricTransformation{{
			MetricName: aws.String("UnauthorizedAPICalls"), MetricNamespace: aws.String("CISBenchmark"), MetricValue: aws.String("1"), DefaultValue: aws.Float64(0)}}}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, err2(c.PutMetricFilter(ctx, &cloudwatchlogs.PutMetricFilterInput{LogGroupName: aws.String("nope"), FilterName: aws.String("f"),
		FilterPattern: aws.String("x"), MetricTransformations: []logstypes.MetricTransformation{{
			MetricName: aws.String("m"), MetricNamespace: aws.String("n"), MetricValue: aws.String("1")}}})), "ResourceNotFoundException")
	mf, err := c.DescribeMetricFilters(ctx, &cloudwatchlogs.DescribeMetricFiltersInput{LogGroupName: aws.String(group)})
	if err != nil || len(mf.MetricFilters) != 1 || aws.ToString(mf.MetricFilters[0].FilterPattern) != unauthorized ||
		aws.ToString(mf.MetricFilters[0].MetricTransformations[0].MetricNamespace) != "CISBenchmark" ||
		aws.ToFloat64(mf.MetricFilters[0].MetricTransformations[0].DefaultValue) != 0 {
		t.Fatalf("DescribeMetricFilters %+v %v", mf, err)
	}
	// Real ingestion: 3 matches and 2 misses in one minute.
	minute := s.clock.Now().Add(-5 * time.Minute).Truncate(time.Minute)
	var events []logstypes.InputLogEvent
	for i, code := range []string{"AccessDenied", "", "Client.UnauthorizedOperation", "NoSuchKey", "AccessDeniedException"} {
		events = append(events, logEvent(minute.Add(time.Duration(i)*time.Second).UnixMilli(), `{"errorCode":"`+code+`"}`))
	}
	if _, err := c.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String("s"), LogEvents: events}); err != nil {
		t.Fatal(err)
	}
	// The metric data is durable: a second store on the same database
	// reads it through the service's exported API.
	st, err := sqlite.Open(filepath.Join(s.data, "cairn.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	reader := logs.New(logs.Config{Store: st})
	points, err := reader.MetricData(ctx, testAccount, "us-east-1", "CISBenchmark", "UnauthorizedAPICalls", minute, minute.Add(time.Minute))
	if err != nil || len(points) != 1 || points[0].Sum != 3 || points[0].SampleCount != 5 {
		t.Fatalf("metric data %+v %v", points, err)
	}
	series, err := reader.MetricSeries(ctx)
	if err != nil || len(series) != 1 || series[0].Value != 3 || series[0].Count != 5 || series[0].Namespace != "CISBenchmark" {
		t.Fatalf("metric series %+v %v", series, err)
	}
	if _, err := c.DeleteMetricFilter(ctx, &cloudwatchlogs.DeleteMetricFilterInput{LogGroupName: aws.String(group), FilterName: aws.String("UnauthorizedAPICalls")}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, err2(c.DeleteMetricFilter(ctx, &cloudwatchlogs.DeleteMetricFilterInput{LogGroupName: aws.String(group), FilterName: aws.String("UnauthorizedAPICalls")})), "ResourceNotFoundException")
}

// A user without CloudWatch Logs permissions is denied with AWS's
// AccessDeniedException, and the denial is in the event history; a
// policy on log-group:<name>:* lets the same user in.
func TestLogsDeniedCallIsRecorded(t *testing.T) {
	s := startCairn(t)
	bob := s.newUser(t, s.root(), "bob")
	msg := wantCode(t, err2(s.logs(bob).CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("/bob")})), "AccessDeniedException")
	want := "User: arn:aws:iam::" + testAccount + ":user/bob is not authorized to perform: logs:CreateLogGroup on resource: arn:aws:logs:us-east-1:" +
		testAccount + ":log-group:/bob:log-stream: because no identity-based policy allows the logs:CreateLogGroup action"
	if msg != want {
		t.Fatalf("message\n%s\nwant\n%s", msg, want)
	}
	recs := lookup(t, s.cloudtrail(s.root()), cttypes.LookupAttributeKeyEventName, "CreateLogGroup")
	if len(recs) != 1 || recs[0].str("errorCode") != "AccessDeniedException" || recs[0].str("errorMessage") != want ||
		recs[0].str("userIdentity.userName") != "bob" || recs[0].str("eventSource") != "logs.amazonaws.com" ||
		recs[0].str("requestParameters.logGroupName") != "/bob" {
		t.Fatalf("records %v", recs)
	}
	s.putUserPolicy(t, s.root(), "bob", "logs", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Action":["logs:CreateLogGroup","logs:CreateLogStream","logs:PutLogEvents"],
		"Resource":"arn:aws:logs:us-east-1:`+testAccount+`:log-group:/bob:*"}]}`)
	c := s.logs(bob)
	if _, err := c.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("/bob")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String("/bob"), LogStreamName: aws.String("s")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String("/bob"), LogStreamName: aws.String("s"),
		LogEvents: []logstypes.InputLogEvent{logEvent(s.nowMs(0), "hi")}}); err != nil {
		t.Fatal(err)
	}
	// Tags at creation need logs:TagResource too.
	wantCode(t, err2(c.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("/bob"), Tags: map[string]string{"a": "b"}})), "AccessDeniedException")
	// Another group, and reading, stay denied.
	wantCode(t, err2(c.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("/alice")})), "AccessDeniedException")
	wantCode(t, err2(c.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("/bob")})), "AccessDeniedException")
}
