package logs_test

import (
	"fmt"
	"maps"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cairnhq/cairn/service/logs"
)

func TestLogGroupLifecycle(t *testing.T) {
	e := newEnv(t)
	must[logs.Empty](e, "CreateLogGroup", &logs.CreateLogGroupInput{LogGroupName: "/app/web", Tags: map[string]string{"team": "blue"}})
	msg := e.fails("ResourceAlreadyExistsException", "CreateLogGroup", &logs.CreateLogGroupInput{LogGroupName: "/app/web"})
	if msg != "The specified log group already exists" {
		t.Fatalf("message %q", msg)
	}
	for _, bad := range []string{"", "has space", "colon:", strings.Repeat("a", 513)} {
		e.fails("InvalidParameterException", "CreateLogGroup", &logs.CreateLogGroupInput{LogGroupName: bad})
	}
	e.fails("InvalidParameterException", "CreateLogGroup", &logs.CreateLogGroupInput{LogGroupName: "aws/reserved"})
	e.fails("InvalidParameterException", "CreateLogGroup", &logs.CreateLogGroupInput{LogGroupName: "k", KmsKeyId: ptr("arn:aws:kms:us-east-1:123456789012:key/x")})
	e.fails("InvalidParameterException", "CreateLogGroup", &logs.CreateLogGroupInput{LogGroupName: "c", LogGroupClass: ptr("INFREQUENT_ACCESS")})
	e.fails("InvalidParameterException", "CreateLogGroup", &logs.CreateLogGroupInput{LogGroupName: "t", Tags: map[string]string{"aws:x": "y"}})
	many := map[string]string{}
	for i := 0; i < 51; i++ {
		many[fmt.Sprint("k", i)] = "v"
	}
	e.fails("TooManyTagsException", "CreateLogGroup", &logs.CreateLogGroupInput{LogGroupName: "t", Tags: many})

	d := must[logs.DescribeLogGroupsOutput](e, "DescribeLogGroups", &logs.DescribeLogGroupsInput{})
	if len(d.LogGroups) != 1 || d.NextToken != nil {
		t.Fatalf("describe %+v", d)
	}
	g := d.LogGroups[0]
	if g.LogGroupName != "/app/web" || g.Arn != "arn:aws:logs:us-east-1:123456789012:log-group:/app/web:*" ||
		g.LogGroupArn != "arn:aws:logs:us-east-1:123456789012:log-group:/app/web" || g.CreationTime != e.ms(0) ||
		g.RetentionInDays != nil || g.StoredBytes != 0 || g.MetricFilterCount != 0 || g.LogGroupClass != "STANDARD" {
		t.Fatalf("group %+v", g)
	}

	// Retention.
	msg = e.fails("InvalidParameterException", "PutRetentionPolicy", &logs.PutRetentionPolicyInput{LogGroupName: "/app/web", RetentionInDays: ptr(int32(2))})
	if !strings.Contains(msg, "Member must satisfy enum value set: [1, 3, 5, 7, 14, 30,") {
		t.Fatalf("retention message %q", msg)
	}
	e.fails("ResourceNotFoundException", "PutRetentionPolicy", &logs.PutRetentionPolicyInput{LogGroupName: "/nope", RetentionInDays: ptr(int32(7))})
	must[logs.Empty](e, "PutRetentionPolicy", &logs.PutRetentionPolicyInput{LogGroupName: "/app/web", RetentionInDays: ptr(int32(7))})
	d = must[logs.DescribeLogGroupsOutput](e, "DescribeLogGroups", &logs.DescribeLogGroupsInput{})
	if r := d.LogGroups[0].RetentionInDays; r == nil || *r != 7 {
		t.Fatalf("retention %v", r)
	}
	must[logs.Empty](e, "DeleteRetentionPolicy", &logs.DeleteRetentionPolicyInput{LogGroupName: "/app/web"})
	d = must[logs.DescribeLogGroupsOutput](e, "DescribeLogGroups", &logs.DescribeLogGroupsInput{})
	if d.LogGroups[0].RetentionInDays != nil {
		t.Fatal("retention still set")
	}

	// Deletion, and creation again under the same name starts empty.
	e.stream("/app/web", "s")
	e.put("/app/web", "s", logs.InputLogEvent{Timestamp: e.ms(0), Message: "before"})
	must[logs.Empty](e, "DeleteLogGroup", &logs.DeleteLogGroupInput{LogGroupName: "/app/web"})
	msg = e.fails("ResourceNotFoundException", "DeleteLogGroup", &logs.DeleteLogGroupInput{LogGroupName: "/app/web"})
	if msg != "The specified log group does not exist." {
		t.Fatalf("message %q", msg)
	}
	e.group("/app/web")
	e.fails("ResourceNotFoundException", "PutLogEvents", &logs.PutLogEventsInput{LogGroupName: "/app/web", LogStreamName: "s",
		LogEvents: []logs.InputLogEvent{{Timestamp: e.ms(0), Message: "x"}}})
	e.stream("/app/web", "s")
	f := must[logs.FilterLogEventsOutput](e, "FilterLogEvents", &logs.FilterLogEventsInput{LogGroupName: ptr("/app/web")})
	if len(f.Events) != 0 {
		t.Fatalf("a new group sees the deleted group's events: %+v", f.Events)
	}

	// Deletion protection.
	must[logs.Empty](e, "CreateLogGroup", &logs.CreateLogGroupInput{LogGroupName: "kept", DeletionProtectionEnabled: ptr(true)})
	e.fails("ValidationException", "DeleteLogGroup", &logs.DeleteLogGroupInput{LogGroupName: "kept"})
}

func TestDescribeLogGroupsFiltersAndPaging(t *testing.T) {
	e := newEnv(t)
	names := []string{"/app/a", "/app/b", "/app/c", "/db/main", "DataLogs", "aws-DataLogs", "GroupDataLogs", "datalogs"}
	for _, n := range names {
		e.group(n)
	}
	list := func(in *logs.DescribeLogGroupsInput) []string {
		var got []string
		for {
			out := must[logs.DescribeLogGroupsOutput](e, "DescribeLogGroups", in)
			for _, g := range out.LogGroups {
				got = append(got, g.LogGroupName)
			}
			if out.NextToken == nil {
				return got
			}
			in.NextToken = out.NextToken
		}
	}
	if got := list(&logs.DescribeLogGroupsInput{Limit: ptr(int32(3))}); strings.Join(got, ",") != "/app/a,/app/b,/app/c,/db/main,DataLogs,GroupDataLogs,aws-DataLogs,datalogs" {
		t.Fatalf("paged list %v", got)
	}
	if got := list(&logs.DescribeLogGroupsInput{LogGroupNamePrefix: ptr("/app/"), Limit: ptr(int32(2))}); strings.Join(got, ",") != "/app/a,/app/b,/app/c" {
		t.Fatalf("prefix %v", got)
	}
	// AWS's example: DataLogs matches DataLogs, aws-DataLogs and GroupDataLogs, not datalogs.
	if got := list(&logs.DescribeLogGroupsInput{LogGroupNamePattern: ptr("DataLogs")}); strings.Join(got, ",") != "DataLogs,GroupDataLogs,aws-DataLogs" {
		t.Fatalf("pattern %v", got)
	}
	if got := list(&logs.DescribeLogGroupsInput{LogGroupIdentifiers: []string{"/db/main", "arn:aws:logs:us-east-1:123456789012:log-group:/app/b:*"}}); strings.Join(got, ",") != "/app/b,/db/main" {
		t.Fatalf("identifiers %v", got)
	}
	e.fails("InvalidParameterException", "DescribeLogGroups", &logs.DescribeLogGroupsInput{LogGroupNamePrefix: ptr("a"), LogGroupNamePattern: ptr("b")})
	e.fails("InvalidParameterException", "DescribeLogGroups", &logs.DescribeLogGroupsInput{Limit: ptr(int32(51))})
	e.fails("InvalidParameterException", "DescribeLogGroups", &logs.DescribeLogGroupsInput{Limit: ptr(int32(0))})
	e.fails("InvalidParameterException", "DescribeLogGroups", &logs.DescribeLogGroupsInput{NextToken: ptr("garbage!")})
}

func TestLogStreams(t *testing.T) {
	e := newEnv(t)
	e.group("g")
	e.fails("ResourceNotFoundException", "CreateLogStream", &logs.CreateLogStreamInput{LogGroupName: "nope", LogStreamName: "s"})
	for _, n := range []string{"web-1", "web-2", "db-1", "a/b"} {
		e.stream("g", n)
	}
	msg := e.fails("ResourceAlreadyExistsException", "CreateLogStream", &logs.CreateLogStreamInput{LogGroupName: "g", LogStreamName: "web-1"})
	if msg != "The specified log stream already exists" {
		t.Fatalf("message %q", msg)
	}
	e.fails("InvalidParameterException", "CreateLogStream", &logs.CreateLogStreamInput{LogGroupName: "g", LogStreamName: "bad:name"})
	e.fails("InvalidParameterException", "CreateLogStream", &logs.CreateLogStreamInput{LogGroupName: "g", LogStreamName: "bad*name"})
	// Events make web-2 the latest, then db-1.
	e.put("g", "db-1", logs.InputLogEvent{Timestamp: e.ms(-time.Hour), Message: "x"})
	e.put("g", "web-2", logs.InputLogEvent{Timestamp: e.ms(-2 * time.Hour), Message: "y"}, logs.InputLogEvent{Timestamp: e.ms(-time.Minute), Message: "z"})

	names := func(in *logs.DescribeLogStreamsInput) string {
		var got []string
		for {
			out := must[logs.DescribeLogStreamsOutput](e, "DescribeLogStreams", in)
			for _, s := range out.LogStreams {
				got = append(got, s.LogStreamName)
			}
			if out.NextToken == nil {
				return strings.Join(got, ",")
			}
			in.NextToken = out.NextToken
		}
	}
	if got := names(&logs.DescribeLogStreamsInput{LogGroupName: ptr("g"), Limit: ptr(int32(1))}); got != "a/b,db-1,web-1,web-2" {
		t.Fatalf("by name %s", got)
	}
	if got := names(&logs.DescribeLogStreamsInput{LogGroupName: ptr("g"), LogStreamNamePrefix: ptr("web"), Descending: ptr(true)}); got != "web-2,web-1" {
		t.Fatalf("prefix, descending %s", got)
	}
	if got := names(&logs.DescribeLogStreamsInput{LogGroupIdentifier: ptr("arn:aws:logs:us-east-1:123456789012:log-group:g"),
		OrderBy: ptr("LastEventTime"), Descending: ptr(true), Limit: ptr(int32(1))}); got != "web-2,db-1,web-1,a/b" {
		t.Fatalf("by last event, descending %s", got)
	}
	e.fails("InvalidParameterException", "DescribeLogStreams", &logs.DescribeLogStreamsInput{LogGroupName: ptr("g"), OrderBy: ptr("LastEventTime"), LogStreamNamePrefix: ptr("w")})
	e.fails("InvalidParameterException", "DescribeLogStreams", &logs.DescribeLogStreamsInput{LogGroupName: ptr("g"), LogGroupIdentifier: ptr("g")})
	e.fails("InvalidParameterException", "DescribeLogStreams", &logs.DescribeLogStreamsInput{})
	e.fails("ResourceNotFoundException", "DescribeLogStreams", &logs.DescribeLogStreamsInput{LogGroupIdentifier: ptr("arn:aws:logs:us-east-1:999999999999:log-group:g")})

	out := must[logs.DescribeLogStreamsOutput](e, "DescribeLogStreams", &logs.DescribeLogStreamsInput{LogGroupName: ptr("g"), LogStreamNamePrefix: ptr("web-2")})
	s := out.LogStreams[0]
	if s.Arn != "arn:aws:logs:us-east-1:123456789012:log-group:g:log-stream:web-2" || s.CreationTime != e.ms(0) ||
		*s.FirstEventTimestamp != e.ms(-2*time.Hour) || *s.LastEventTimestamp != e.ms(-time.Minute) ||
		*s.LastIngestionTime != e.ms(0) || s.UploadSequenceToken == nil || s.StoredBytes != 0 {
		t.Fatalf("stream %+v", s)
	}
	empty := must[logs.DescribeLogStreamsOutput](e, "DescribeLogStreams", &logs.DescribeLogStreamsInput{LogGroupName: ptr("g"), LogStreamNamePrefix: ptr("web-1")})
	if st := empty.LogStreams[0]; st.FirstEventTimestamp != nil || st.LastEventTimestamp != nil || st.UploadSequenceToken != nil {
		t.Fatalf("stream without events %+v", st)
	}

	// Deleting a stream takes its bytes off the group and hides its events,
	// also from a stream created again under its name.
	before := must[logs.DescribeLogGroupsOutput](e, "DescribeLogGroups", &logs.DescribeLogGroupsInput{}).LogGroups[0].StoredBytes
	if before != 3 {
		t.Fatalf("stored bytes %d", before)
	}
	must[logs.Empty](e, "DeleteLogStream", &logs.DeleteLogStreamInput{LogGroupName: "g", LogStreamName: "web-2"})
	e.fails("ResourceNotFoundException", "DeleteLogStream", &logs.DeleteLogStreamInput{LogGroupName: "g", LogStreamName: "web-2"})
	if after := must[logs.DescribeLogGroupsOutput](e, "DescribeLogGroups", &logs.DescribeLogGroupsInput{}).LogGroups[0].StoredBytes; after != 1 {
		t.Fatalf("stored bytes after delete %d", after)
	}
	e.stream("g", "web-2")
	f := must[logs.FilterLogEventsOutput](e, "FilterLogEvents", &logs.FilterLogEventsInput{LogGroupName: ptr("g")})
	if len(f.Events) != 1 || f.Events[0].LogStreamName != "db-1" {
		t.Fatalf("events after stream delete %+v", f.Events)
	}
}

func TestTags(t *testing.T) {
	e := newEnv(t)
	must[logs.Empty](e, "CreateLogGroup", &logs.CreateLogGroupInput{LogGroupName: "/t", Tags: map[string]string{"a": "1"}})
	arn := "arn:aws:logs:us-east-1:123456789012:log-group:/t"
	must[logs.Empty](e, "TagResource", &logs.TagResourceInput{ResourceArn: arn, Tags: map[string]string{"b": "2", "a": "3"}})
	must[logs.Empty](e, "UntagResource", &logs.UntagResourceInput{ResourceArn: arn, TagKeys: []string{"b", "zz"}})
	got := must[logs.ListTagsForResourceOutput](e, "ListTagsForResource", &logs.ListTagsForResourceInput{ResourceArn: arn}).Tags
	if !maps.Equal(got, map[string]string{"a": "3"}) {
		t.Fatalf("tags %v", got)
	}
	e.fails("InvalidParameterException", "TagResource", &logs.TagResourceInput{ResourceArn: arn + ":*", Tags: map[string]string{"x": "y"}})
	e.fails("ResourceNotFoundException", "ListTagsForResource", &logs.ListTagsForResourceInput{ResourceArn: arn + "x"})
	// The deprecated forms.
	must[logs.Empty](e, "TagLogGroup", &logs.TagLogGroupInput{LogGroupName: "/t", Tags: map[string]string{"c": "4"}})
	must[logs.Empty](e, "UntagLogGroup", &logs.UntagLogGroupInput{LogGroupName: "/t", Tags: []string{"a"}})
	got = must[logs.ListTagsLogGroupOutput](e, "ListTagsLogGroup", &logs.ListTagsLogGroupInput{LogGroupName: "/t"}).Tags
	if !maps.Equal(got, map[string]string{"c": "4"}) {
		t.Fatalf("tags %v", got)
	}
	tags := map[string]string{}
	for i := 0; i < 50; i++ {
		tags[fmt.Sprint("k", i)] = "v"
	}
	e.fails("TooManyTagsException", "TagResource", &logs.TagResourceInput{ResourceArn: arn, Tags: tags})
	got = must[logs.ListTagsForResourceOutput](e, "ListTagsForResource", &logs.ListTagsForResourceInput{ResourceArn: arn}).Tags
	if len(got) != 1 {
		t.Fatalf("a refused TagResource changed the tags: %v", got)
	}
}

// TestDescriptor checks every row: a logs: action, the operations served,
// the data events, and allow-lists that never record log messages.
func TestDescriptor(t *testing.T) {
	e := newEnv(t)
	d := e.svc.Descriptor()
	if d.Name != "logs" || d.EventSource != "logs.amazonaws.com" || d.Global {
		t.Fatalf("service %+v", d)
	}
	want := strings.Fields(`CreateLogGroup DeleteLogGroup DescribeLogGroups PutRetentionPolicy DeleteRetentionPolicy
		CreateLogStream DeleteLogStream DescribeLogStreams PutLogEvents GetLogEvents FilterLogEvents TagResource
		UntagResource ListTagsForResource TagLogGroup UntagLogGroup ListTagsLogGroup PutMetricFilter
		DescribeMetricFilters DeleteMetricFilter TestMetricFilter`)
	if len(d.Operations) != len(want) {
		t.Fatalf("%d operations, want %d", len(d.Operations), len(want))
	}
	data := map[string]bool{"PutLogEvents": true, "GetLogEvents": true, "FilterLogEvents": true}
	for _, name := range want {
		op := d.Op(name)
		if op == nil {
			t.Fatalf("missing %s", name)
		}
		if op.Action != "logs:"+name || op.New == nil || op.Invoke == nil {
			t.Errorf("%s: incomplete row", name)
		}
		if op.Data != data[name] {
			t.Errorf("%s: data event %v", name, op.Data)
		}
		isRead := strings.HasPrefix(name, "Describe") || strings.HasPrefix(name, "List") || strings.HasPrefix(name, "Get") ||
			name == "FilterLogEvents" || name == "TestMetricFilter"
		if op.ReadOnly != isRead {
			t.Errorf("%s: read-only %v", name, op.ReadOnly)
		}
		for _, m := range append(append([]string(nil), op.Request...), op.Response...) {
			if m == "LogEvents" || m == "LogEventMessages" || m == "Events" || m == "Message" || m == "SequenceToken" {
				t.Errorf("%s records %s", name, m)
			}
		}
		// Every allow-listed request member is a member of the input.
		in := reflect.TypeOf(op.New()).Elem()
		for _, m := range op.Request {
			if _, ok := in.FieldByName(m); !ok {
				t.Errorf("%s allow-lists %s, which %s does not have", name, m, in.Name())
			}
		}
	}
}

// The service knows no wire: it imports neither net/http nor an adapter.
func TestImports(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		switch {
		case dep == "net/http", dep == "encoding/xml",
			strings.HasPrefix(dep, "github.com/cairnhq/cairn/") && (strings.HasSuffix(dep, "/server") ||
				strings.HasSuffix(dep, "/awsjson") || strings.HasSuffix(dep, "/awsquery") || strings.HasSuffix(dep, "/sigv4")):
			t.Errorf("service/logs depends on %s", dep)
		}
	}
}
