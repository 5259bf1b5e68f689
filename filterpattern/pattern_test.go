package filterpattern_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/cairnhq/cairn/filterpattern"
)

func fixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

type matchCase struct {
	pattern string
	message string
	want    bool
}

func runMatches(t *testing.T, cases []matchCase) {
	t.Helper()
	for _, tc := range cases {
		p, err := filterpattern.Parse(tc.pattern)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.pattern, err)
			continue
		}
		if got := p.Match(tc.message); got != tc.want {
			t.Errorf("Parse(%q).Match(%.80q) = %v, want %v", tc.pattern, tc.message, got, tc.want)
		}
		// The batch prefilter must never drop a match.
		may := []bool{false}
		p.Candidates([]byte(tc.message), []int{len(tc.message)}, may)
		if tc.want && !may[0] {
			t.Errorf("Parse(%q).Candidates dropped a matching message %.80q", tc.pattern, tc.message)
		}
	}
}

// AWS's examples for unstructured log events.
func TestTerms(t *testing.T) {
	runMatches(t, []matchCase{
		{"", "anything at all", true},
		{"   ", "anything", true},
		{`""`, "anything", true},
		{"ERROR", "[ERROR] A fatal exception has occurred", true},
		{"ERROR", "Exiting with ERRORCODE: -1", true},
		{"ERROR", "[error] lower case", false},
		{`"ERROR"`, "Exiting with ERRORCODE: -1", true},
		{`ERROR -Exiting`, "Exiting with ERRORCODE: -1", false},
		{`"ERROR" -"Exiting"`, "[ERROR] A fatal exception has occurred", true},
		{"ERROR Exception", "[ERROR] Caught IllegalArgumentException", true},
		{"ERROR Exception", "[ERROR] Unhandled Exception", true},
		{"ERROR Exception", "[ERROR] Unhandled failure", false},
		{"Failed to process the request", "[WARN] Failed to process the request", true},
		{"Failed to process the request", "[ERROR] Unable to continue: Failed to process the request", true},
		{"Failed to process the request", "[WARN] the request Failed to process", true},  // all words, any order
		{"Failed to process the request", "[WARN] the request failed to process", false}, // case-sensitive
		{`"Failed to process the request"`, "[WARN] the request failed to process", false},
		{`"Failed to process the request"`, "x Failed to process the request y", true},
		// OR terms: ?ERROR ?WARN matches all three of AWS's examples.
		{"?ERROR ?WARN", "ERROR WARN message", true},
		{"?ERROR ?WARN", "ERROR message", true},
		{"?ERROR ?WARN", "WARN message", true},
		{"?ERROR ?WARN", "INFO message", false},
		{"ERROR WARN", "ERROR WARN message", true},
		{"ERROR WARN", "ERROR message", false},
		{"ERROR -WARN", "ERROR message", true},
		{"ERROR -WARN", "ERROR WARN message", false},
		// Term groups, as the AWS CDK's anyTermGroup writes them.
		{`?"ERROR" "MainThread" ?"WARN" "Deadlock"`, "ERROR in MainThread", true},
		{`?"ERROR" "MainThread" ?"WARN" "Deadlock"`, "WARN Deadlock detected", true},
		{`?"ERROR" "MainThread" ?"WARN" "Deadlock"`, "ERROR Deadlock", false},
		{`-DEBUG`, "INFO started", true},
		{`-DEBUG`, "DEBUG started", false},
		{`"say \"hi\""`, `they say "hi" loudly`, true},
		{`"back\\slash"`, `a back\slash here`, true},
		{`"[ERROR 401]"`, "[ERROR 401] UNAUTHORIZED REQUEST", true},
		{"user@example.com", "login user@example.com ok", true},
		// Regexes.
		{"%AUTHORIZED%", "[ERROR 401] UNAUTHORIZED REQUEST", true},
		{"%AUTHORIZED%", "[SUCCESS 200] AUTHORIZED REQUEST", true},
		{"%AUTHORIZED%", "[SUCCESS 200] authorized", false},
		{`%\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}%`, "from 10.0.12.7 port 22", true},
		{`%\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}%`, "from localhost port 22", false},
		{`%[Ee]rror|[Ff]ail%`, "a failure", true},
		{`%^[hc]at%`, "hat trick", true},
		{`%^[hc]at%`, "that", false},
		{`%colou?r%`, "the color red", true},
		{`%a{3,5}%`, "baaab", true},
		{`%a{3,5}%`, "baab", false},
		{`ERROR %4\d\d%`, "ERROR 404 page", true},
		{`ERROR %4\d\d%`, "ERROR 500 page", false},
	})
}

// AWS's examples for space-delimited log events.
func TestDelimited(t *testing.T) {
	apache := []string{
		`127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534`,
		`127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /apache_pb.gif HTTP/1.0" 500 5324`,
		`127.0.0.1 - frank [10/Oct/2000:13:50:35 -0700] "GET /index.html HTTP/1.0" 404 4355`,
	}
	runMatches(t, []matchCase{
		{"[ip, user, username, timestamp, request, status_code, bytes]", apache[0], true},
		{"[ip, user, username, timestamp, request, status_code]", apache[0], false}, // 7 fields, 6 named
		{"[..., status_code, bytes]", apache[0], true},
		{"[ip, user, ..., status_code, bytes]", apache[0], true},
		{"[ip, user, ...]", apache[0], true},
		{"[...]", "", true},
		{"[ip, user, username, timestamp, request, status_code, bytes > 1000]", apache[0], true},
		{"[ip, user, username, timestamp, request, status_code, bytes > 5000]", apache[0], false},
		{"[ip, user, username, timestamp, request, status_code = 200, bytes]", apache[0], true},
		{"[ip, user, username, timestamp, request, status_code = 200, bytes]", apache[1], false},
		{"[ip, user, username, timestamp, request, status_code = 4*, bytes]", apache[2], true},
		{"[ip, user, username, timestamp, request, status_code = 4*, bytes]", apache[1], false},
		{"[ip, user, username, timestamp, request = *html*, status_code = 4*, bytes]", apache[2], true},
		{"[ip, user, username, timestamp, request = *html*, status_code = 4*, bytes]", apache[0], false},
		{`[ip, user, username, timestamp, request = "GET /index.html HTTP/1.0", status_code, bytes]`, apache[2], true},
		{"[ip, user, username, timestamp, request, status_code = 4* && status_code != 403, bytes]", apache[2], true},
		{"[ip, user, username, timestamp, request, status_code = 5* || status_code = 4*, bytes]", apache[1], true},
		{"[ip, user, username, timestamp, request, status_code = 5* || status_code = 4*, bytes]", apache[0], false},
		{"[ip, user, username, timestamp, request, status_code >= 400 && status_code < 500, bytes]", apache[2], true},
		{"[ip, user, username, timestamp, request, status_code >= 400 && status_code < 500, bytes]", apache[1], false},
		{"[ip, user, username, timestamp = *2000:13:25*, ...]", apache[0], true},
		{"[..., request = *.html*, status_code = 4*,]", apache[2], true},
		{"[ip = %^127\\.%, ...]", apache[0], true},
		{"[ip != 127.0.0.1, ...]", apache[0], false},
		{"[ip != 10.*, ...]", apache[0], true},
		// AWS's OR example: exact field counts decide.
		{"[w1=ERROR, w2]", "ERROR WARN message", false},
		{"[w1=ERROR, w2]", "ERROR message", true},
		{"[w1=ERROR, w2]", "WARN message", false},
		{"[w1=ERROR || w1=WARN, w2]", "ERROR message", true},
		{"[w1=ERROR || w1=WARN, w2]", "WARN message", true},
		{"[w1=ERROR || w1=WARN, w2]", "INFO message", false},
		{"[level, (code = 1 || code = 2) && code != 3]", "x 2", true},
		// Numbers compare as numbers.
		{"[a, b = 200]", "x 200.0", true},
		{"[a, b > 1e3]", "x 1500", true},
		{"[a, b > 1e3]", "x abc", false},
		// Lambda's REPORT line, as users write metric filters for it.
		{"[type = REPORT, a, b, c, duration, ...]", "REPORT RequestId: 5002d846 Duration: 741.17 ms", true},
	})
}

// AWS's JSON examples from the filter pattern syntax page.
func TestJSONDocumented(t *testing.T) {
	doc := `{"eventType":"UpdateTrail","sourceIPAddress":"111.111.111.111","arrayKey":["value","another value"],` +
		`"objectList":[{"name":"a","id":1},{"name":"b","id":2}],"SomeObject":null,"ThisFlag":true}`
	users := `{"user":{"id":1,"email":"John.Stiles@example.com"},"users":[{"id":2,"email":"John.Doe@example.com"},` +
		`{"id":3,"email":"Jane.Doe@example.com"}],"actions":["GET","PUT","DELETE"],"coordinates":[[0,1,2],[4,5,6],[7,8,9]]}`
	runMatches(t, []matchCase{
		{`{ $.eventType = "UpdateTrail" }`, doc, true},
		{`{ $.eventType = UpdateTrail }`, doc, true},
		{`{ $.eventType = "Update" }`, doc, false},
		{`{ $.sourceIPAddress != 123.123.* }`, doc, true},
		{`{ $.sourceIPAddress != 111.111.* }`, doc, false},
		{`{ $.arrayKey[0] = "value" }`, doc, true},
		{`{ $.arrayKey[1] = "another value" }`, doc, true},
		{`{ $.arrayKey[2] = "value" }`, doc, false},
		{`{ $.objectList[1].id = 2 }`, doc, true},
		{`{ $.objectList[1].id = 1 }`, doc, false},
		{`{ $.objectList[0].name = a }`, doc, true},
		{`{ $.SomeObject IS NULL }`, doc, true},
		{`{ $.ThisFlag IS NULL }`, doc, false},
		{`{ $.SomeOtherObject NOT EXISTS }`, doc, true},
		{`{ $.SomeObject NOT EXISTS }`, doc, false},
		{`{ $.ThisFlag IS TRUE }`, doc, true},
		{`{ $.ThisFlag IS FALSE }`, doc, false},
		{`{ $.eventType IS TRUE }`, doc, false},
		// A selector that reaches an array or object matches neither = nor !=.
		{`{ $.arrayKey = "value" }`, doc, false},
		{`{ $.arrayKey != "value" }`, doc, false},
		{`{ $.objectList = * }`, doc, false},
		{`{ $.eventType = * }`, doc, true},
		{`{ $.missing = * }`, doc, false},
		{`{ $.missing != "x" }`, doc, false},
		// Compound conditions.
		{`{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }`, users, true},
		{`{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }`, users, false},
		{`{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch && $.actions[2] = nomatch }`, users, true},
		{`{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch) && $.actions[2] = nomatch }`, users, false},
		{`{ $.coordinates[2][0] = 7 }`, users, true},
		{`{ $.coordinates[1][2] >= 6 }`, users, true},
		// OR in JSON filters.
		{`{$.foo = bar}`, `{"foo": "bar"}`, true},
		{`{$.foo = baz }`, `{"foo": "bar"}`, false},
		{`{$.foo = bar || $.foo = baz }`, `{"foo": "baz"}`, true},
		// Numbers: every documented form.
		{`{ $.latency >= 500 }`, `{"latency": 500}`, true},
		{`{ $.latency >= 500 }`, `{"latency": 499.9}`, false},
		{`{ $.numbers[0] < 10e3 }`, `{"numbers": [9999]}`, true},
		{`{ $.numbers[0] < 10e-3 }`, `{"numbers": [0.001]}`, true},
		{`{ $.numbers[0] < 10e-3 }`, `{"numbers": [0.01]}`, false},
		{`{ $.processes[4].averageRuntime <= 55.5 }`, `{"processes":[{},{},{},{},{"averageRuntime":55.5}]}`, true},
		{`{ $.errorCode = 400 }`, `{"errorCode": 400}`, true},
		{`{ $.errorCode = 400 }`, `{"errorCode": 4e2}`, true},
		{`{ $.errorCode = 400 }`, `{"errorCode": "400"}`, true},
		{`{ $.errorCode != 500 }`, `{"errorCode": 400}`, true},
		{`{ $.errorCode != 500 }`, `{"errorCode": 500.0}`, false},
		{`{ $.latency > +1000 }`, `{"latency": 1001}`, true},
		{`{ $.latency > -1 }`, `{"latency": 0}`, true},
		{`{ $.latency > 1 }`, `{"latency": "slow"}`, false},
		{`{ $.latency > 1 }`, `{"latency": [2]}`, false},
		// Wildcards at the ends only; a * in the middle is literal.
		{`{ $.e = "*Event" }`, `{"e": "PutEvent"}`, true},
		{`{ $.e = "Event*" }`, `{"e": "EventName"}`, true},
		{`{ $.e = "*vent*" }`, `{"e": "EventName"}`, true},
		{`{ $.e = "Ev*ent" }`, `{"e": "EventName"}`, false},
		{`{ $.e = "Ev*ent" }`, `{"e": "Ev*ent"}`, true},
		// Regexes in JSON.
		{`{ $.eventName = %^Delete% }`, `{"eventName": "DeleteTrail"}`, true},
		{`{ $.eventName = %^Delete% }`, `{"eventName": "UndeleteTrail"}`, false},
		{`{ $.eventName != %^Delete% }`, `{"eventName": "CreateTrail"}`, true},
		// Escaped JSON text decodes before comparing.
		{`{ $.path = "/a/b" }`, `{"path": "\/a\/b"}`, true},
		{`{ $.name = "Root" }`, `{"name": "\u0052oot"}`, true},
		{`{ $.q = "say \"hi\"" }`, `{"q": "say \"hi\""}`, true},
		{`{ $.k = "v" }`, `{"\u006b": "v"}`, true},
		{`{ $.k = "é" }`, `{"k": "\u00e9"}`, true},
		{`{ $.k = "😀" }`, `{"k": "\ud83d\ude00"}`, true},
		// Keys with other characters.
		{`{ $.@timestamp = * }`, `{"@timestamp": "2024"}`, true},
		{`{ $.a-b_c = 1 }`, `{"a-b_c": 1}`, true},
		// Not JSON, or not an object, or broken: nothing matches, not even NOT EXISTS.
		{`{ $.x NOT EXISTS }`, `plain text`, false},
		{`{ $.x NOT EXISTS }`, `[1, 2]`, false},
		{`{ $.x NOT EXISTS }`, `{"y": 1`, false},
		{`{ $.x NOT EXISTS }`, `{"y": 1} trailing`, false},
		{`{ $.x NOT EXISTS }`, `  {"y": 1}  `, true},
		{`{ $.y = 1 }`, `{"y": 1,}`, false},
		{`{ $.y = 1 }`, `{"y" 1}`, false},
		// Duplicate keys: the last one counts.
		{`{ $.y = 2 }`, `{"y": 1, "y": 2}`, true},
		// Booleans and null compare as text too.
		{`{ $.f = true }`, `{"f": true}`, true},
		{`{ $.f = "false" }`, `{"f": false}`, true},
		{`{ $.f = null }`, `{"f": null}`, true},
	})
}

// The CIS AWS Foundations Benchmark monitoring patterns, on CloudTrail
// records.
func TestCISBenchmark(t *testing.T) {
	denied := fixture(t, "cloudtrail_access_denied.json")
	root := fixture(t, "cloudtrail_root_login.json")
	kms := fixture(t, "cloudtrail_kms_disable.json")
	unauthorized := `{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }`
	// CIS 3.1 (v1.5): the same, minus log delivery and HeadBucket; &&
	// binds tighter than ||.
	unauthorized15 := `{($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket")}`
	rootUsage := `{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }`
	iamPolicy := `{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||` +
		`($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||` +
		`($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||` +
		`($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||` +
		`($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}`
	trailChanges := `{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }`
	kmsDisable := `{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }`
	consoleNoMFA := `{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }`
	signinFailures := `{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }`

	setEvent := func(rec, name string) string {
		return strings.Replace(rec, `"eventName":"DisableKey"`, `"eventName":"`+name+`"`, 1)
	}
	setErr := func(code string) string {
		return strings.Replace(denied, `"errorCode":"AccessDenied"`, `"errorCode":"`+code+`"`, 1)
	}
	runMatches(t, []matchCase{
		{unauthorized, denied, true},
		{unauthorized, setErr("AccessDeniedException"), true},
		{unauthorized, setErr("Client.UnauthorizedOperation"), true},
		{unauthorized, setErr("UnauthorizedOperationX"), false},
		{unauthorized, setErr("NoSuchEntity"), false},
		{unauthorized, root, false},
		{unauthorized, kms, false},
		{unauthorized15, denied, true},
		{unauthorized15, strings.Replace(denied, `"eventName":"ListUsers"`, `"eventName":"HeadBucket"`, 1), false},
		{unauthorized15, strings.Replace(setErr("Client.UnauthorizedOperation"), `"eventName":"ListUsers"`, `"eventName":"HeadBucket"`, 1), true},
		{rootUsage, root, true},
		{rootUsage, strings.Replace(root, `"type":"Root",`, `"type":"Root","invokedBy":"support.amazonaws.com",`, 1), false},
		{rootUsage, strings.Replace(root, `"AwsConsoleSignIn"`, `"AwsServiceEvent"`, 1), false},
		{rootUsage, denied, false},
		{iamPolicy, denied, false},
		{iamPolicy, setEvent(kms, "PutRolePolicy"), true},
		{iamPolicy, setEvent(kms, "DetachGroupPolicy"), true},
		{iamPolicy, setEvent(kms, "DetachGroupPolicyX"), false},
		{trailChanges, setEvent(kms, "StopLogging"), true},
		{trailChanges, setEvent(kms, "CreateTrail"), true},
		{trailChanges, setEvent(kms, "DescribeTrails"), false},
		{kmsDisable, kms, true},
		{kmsDisable, setEvent(kms, "ScheduleKeyDeletion"), true},
		{kmsDisable, setEvent(kms, "EnableKey"), false},
		{kmsDisable, strings.Replace(kms, `"kms.amazonaws.com"`, `"iam.amazonaws.com"`, 1), false},
		{consoleNoMFA, root, true},
		{consoleNoMFA, strings.Replace(root, `"MFAUsed":"No"`, `"MFAUsed":"Yes"`, 1), false},
		{signinFailures, root, false},
		{`{ $.resources[0].ARN = "arn:aws:kms:eu-west-1:*" }`, kms, true},
		{`{ $.resources[0].type = "AWS::KMS::Key" }`, kms, true},
		{`{ $.resources[1].ARN = * }`, kms, false},
		{`{ $.userIdentity.sessionContext.sessionIssuer.userName = Admin }`, kms, true},
		{`{ $.latency > 500 && $.score < -20 }`, kms, true},
		{`{ $.latency > 733 }`, kms, false},
		{`{ $.readOnly IS TRUE }`, denied, true},
		{`{ $.readOnly IS FALSE }`, kms, true},
		{`{ $.requestParameters IS NULL }`, denied, true},
		{`{ $.requestParameters IS NULL }`, kms, false},
		{`AccessDenied`, denied, true},
		{`"iam:ListUsers" -root`, denied, true},
	})
}

func TestInvalidPatterns(t *testing.T) {
	for _, p := range []string{
		`{`,
		`{ }`,
		`{ $.a = }`,
		`{ $.a = 1`,
		`{ $.a = 1 } x`,
		`{ $.a = 1 && }`,
		`{ ($.a = 1 }`,
		`{ $.a > abc }`,
		`{ $.a > "5" }`,
		`{ $.a >= %x% }`,
		`{ $. = 1 }`,
		`{ $.a[x] = 1 }`,
		`{ $.a[-1] = 1 }`,
		`{ $[0] = 1 }`,
		`{ $.a[0 = 1 }`,
		`{ a = 1 }`,
		`{ $.a IS MAYBE }`,
		`{ $.a NOT THERE }`,
		`{ $.a ! 1 }`,
		`{ $.a = "unterminated }`,
		`{ $.a = %unterminated }`,
		`{ $.a = %a(b)% }`,
		`{ $.a = %a b% }`,
		`{ $.a = %% }`,
		`{ $.a = %x% || $.b = %y% || $.c = %z% }`,
		`{ $.a[*] = 1 }`,
		`[`,
		`[a, b`,
		`[]`,
		`[a, ..., b, ...]`,
		`[a, a]`,
		`[a = ]`,
		`[a > x]`,
		`[a, b] c`,
		`[a, (b = 1]`,
		`[w1=(ERROR), w2]`,
		`[w1=!ERROR, w2]`,
		`"unterminated`,
		`-`,
		`?`,
		`ERROR ?`,
		`%unterminated`,
		`%bad(group)%`,
		`%a% %b% %c%`,
		`"a"b`,
		`ab"c`,
		`{ ` + strings.Repeat("(", 100) + `$.a = 1` + strings.Repeat(")", 100) + ` }`,
	} {
		_, err := filterpattern.Parse(p)
		var se *filterpattern.SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) = %v, want a *SyntaxError", p, err)
		}
	}
}

func TestKinds(t *testing.T) {
	for pattern, want := range map[string]filterpattern.Kind{
		"":                 filterpattern.Terms,
		"ERROR":            filterpattern.Terms,
		" [a, b]":          filterpattern.Delimited,
		" { $.a = 1 } ":    filterpattern.JSON,
		`"{ $.a = 1 }"`:    filterpattern.Terms,
		"%^[a-z]+$%":       filterpattern.Terms,
		"[...]":            filterpattern.Delimited,
		"{$.a NOT EXISTS}": filterpattern.JSON,
	} {
		p, err := filterpattern.Parse(pattern)
		if err != nil {
			t.Fatalf("Parse(%q): %v", pattern, err)
		}
		if p.Kind() != want || p.String() != pattern {
			t.Errorf("Parse(%q): kind %v, string %q", pattern, p.Kind(), p.String())
		}
	}
}
