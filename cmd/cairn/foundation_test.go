package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

var ctx = context.Background()

func apiError(t *testing.T, err error) (code, message string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("want an API error, got %v", err)
	}
	return ae.ErrorCode(), ae.ErrorMessage()
}

func wantCode(t *testing.T, err error, code string) string {
	t.Helper()
	if err == nil {
		t.Fatalf("want %s, got success", code)
	}
	got, msg := apiError(t, err)
	if got != code {
		t.Fatalf("error code %s (%s), want %s", got, msg, code)
	}
	return msg
}

// record is a parsed CloudTrail record.
type record map[string]any

func (r record) str(path string) string {
	var v any = map[string]any(r)
	for _, p := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = m[p]
	}
	s, _ := v.(string)
	return s
}

// lookup returns the records matching one attribute, newest first.
func lookup(t *testing.T, ct *cloudtrail.Client, key cttypes.LookupAttributeKey, value string) []record {
	t.Helper()
	out, err := ct.LookupEvents(ctx, &cloudtrail.LookupEventsInput{
		LookupAttributes: []cttypes.LookupAttribute{{AttributeKey: key, AttributeValue: aws.String(value)}},
	})
	if err != nil {
		t.Fatalf("LookupEvents %s=%s: %v", key, value, err)
	}
	var recs []record
	for _, e := range out.Events {
		var r record
		if err := json.Unmarshal([]byte(aws.ToString(e.CloudTrailEvent)), &r); err != nil {
			t.Fatalf("CloudTrailEvent is not JSON: %v", err)
		}
		if aws.ToString(e.EventId) != r.str("eventID") || aws.ToString(e.EventName) != r.str("eventName") {
			t.Fatalf("event summary %s/%s disagrees with record %s/%s", aws.ToString(e.EventId), aws.ToString(e.EventName), r.str("eventID"), r.str("eventName"))
		}
		recs = append(recs, r)
	}
	return recs
}

func TestHealth(t *testing.T) {
	s := startCairn(t)
	resp, err := http.Get(s.endpoint + "/_cairn/health")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != 200 || body["status"] != "ok" || body["version"] == "" {
		t.Fatalf("health: %d %v %v", resp.StatusCode, body, err)
	}
}

// The story of issue 2: create a user and a key, call as that user, and see
// every call, the denied one included, in the event history.
func TestUserCallsAreRecorded(t *testing.T) {
	s := startCairn(t)
	rootIAM := s.iam(s.root())
	ct := s.cloudtrail(s.root())

	created, err := rootIAM.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice"), Path: aws.String("/eng/")})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(created.User.Arn); got != "arn:aws:iam::"+testAccount+":user/eng/alice" {
		t.Fatalf("user ARN %s", got)
	}
	if id := aws.ToString(created.User.UserId); !strings.HasPrefix(id, "AIDA") || len(id) != 21 {
		t.Fatalf("user ID %s", id)
	}
	key, err := rootIAM.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alice")})
	if err != nil {
		t.Fatal(err)
	}
	ak, secret := aws.ToString(key.AccessKey.AccessKeyId), aws.ToString(key.AccessKey.SecretAccessKey)
	if !strings.HasPrefix(ak, "AKIA") || len(ak) != 20 || len(secret) != 40 {
		t.Fatalf("access key %s / secret of %d chars", ak, len(secret))
	}

	alice := s.config(ak, secret, "")
	who, err := s.sts(alice).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(who.Arn) != aws.ToString(created.User.Arn) || aws.ToString(who.Account) != testAccount ||
		aws.ToString(who.UserId) != aws.ToString(created.User.UserId) {
		t.Fatalf("GetCallerIdentity = %+v", who)
	}
	_, err = s.iam(alice).ListUsers(ctx, &iam.ListUsersInput{})
	msg := wantCode(t, err, "AccessDenied")
	wantMsg := "User: arn:aws:iam::" + testAccount + ":user/eng/alice is not authorized to perform: iam:ListUsers"
	if !strings.HasPrefix(msg, wantMsg) {
		t.Fatalf("denial message %q, want prefix %q", msg, wantMsg)
	}

	// Every call is visible as soon as its response is out: no waiting.
	recs := lookup(t, ct, cttypes.LookupAttributeKeyUsername, "alice")
	if len(recs) != 2 {
		t.Fatalf("alice has %d events, want 2 (GetCallerIdentity, denied ListUsers)", len(recs))
	}
	denied, gci := recs[0], recs[1]
	if denied.str("eventName") != "ListUsers" || denied.str("errorCode") != "AccessDenied" || !strings.HasPrefix(denied.str("errorMessage"), wantMsg) {
		t.Fatalf("denied record: %v", denied)
	}
	if gci.str("eventName") != "GetCallerIdentity" || gci.str("eventSource") != "sts.amazonaws.com" || gci.str("errorCode") != "" {
		t.Fatalf("GetCallerIdentity record: %v", gci)
	}
	for _, r := range recs {
		checkRecordShape(t, r)
		if r.str("userIdentity.type") != "IAMUser" || r.str("userIdentity.userName") != "alice" ||
			r.str("userIdentity.accessKeyId") != ak || r.str("userIdentity.arn") != aws.ToString(created.User.Arn) ||
			r.str("userIdentity.principalId") != aws.ToString(created.User.UserId) || r.str("awsRegion") != "us-east-1" {
			t.Fatalf("identity of %s: %v", r.str("eventName"), r["userIdentity"])
		}
	}

	// The root user's CreateAccessKey: recorded without the secret.
	keys := lookup(t, ct, cttypes.LookupAttributeKeyEventName, "CreateAccessKey")
	if len(keys) != 1 {
		t.Fatalf("%d CreateAccessKey events", len(keys))
	}
	raw, _ := json.Marshal(keys[0])
	if strings.Contains(string(raw), secret) || strings.Contains(strings.ToLower(string(raw)), "secretaccesskey") {
		t.Fatalf("CreateAccessKey record leaks the secret: %s", raw)
	}
	if keys[0].str("userIdentity.type") != "Root" || keys[0].str("userIdentity.arn") != "arn:aws:iam::"+testAccount+":root" ||
		keys[0].str("responseElements.accessKey.accessKeyId") != ak || keys[0].str("requestParameters.userName") != "alice" {
		t.Fatalf("CreateAccessKey record: %s", raw)
	}
	users := lookup(t, ct, cttypes.LookupAttributeKeyResourceName, "alice")
	if len(users) < 2 {
		t.Fatalf("ResourceName=alice finds %d events, want CreateUser and CreateAccessKey", len(users))
	}
}

// checkRecordShape checks the fields every CloudTrail record carries.
func checkRecordShape(t *testing.T, r record) {
	t.Helper()
	for _, f := range []string{"eventVersion", "eventTime", "eventSource", "eventName", "awsRegion", "sourceIPAddress",
		"userAgent", "requestID", "eventID", "eventType", "recipientAccountId", "eventCategory"} {
		if r.str(f) == "" {
			t.Errorf("record lacks %s: %v", f, r)
		}
	}
	if r.str("eventVersion") != "1.11" || r.str("eventType") != "AwsApiCall" || r.str("eventCategory") != "Management" ||
		r.str("recipientAccountId") != testAccount {
		t.Errorf("record header: %v", r)
	}
	if _, err := time.Parse("2006-01-02T15:04:05Z", r.str("eventTime")); err != nil {
		t.Errorf("eventTime %q: %v", r.str("eventTime"), err)
	}
	if _, ok := r["readOnly"].(bool); !ok {
		t.Errorf("readOnly is not a boolean: %v", r["readOnly"])
	}
	if _, ok := r["managementEvent"].(bool); !ok {
		t.Errorf("managementEvent is not a boolean")
	}
	if _, ok := r["requestParameters"]; !ok {
		t.Errorf("requestParameters missing (must be null or an object)")
	}
}

func TestAuthenticationFailures(t *testing.T) {
	s := startCairn(t)
	rootIAM := s.iam(s.root())
	if _, err := rootIAM.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob")}); err != nil {
		t.Fatal(err)
	}
	key, err := rootIAM.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("bob")})
	if err != nil {
		t.Fatal(err)
	}
	ak, secret := aws.ToString(key.AccessKey.AccessKeyId), aws.ToString(key.AccessKey.SecretAccessKey)
	last := "x"
	if secret[39:] == last {
		last = "y" // else one secret in 64 would be "wrong" and right
	}
	wrong := s.config(ak, secret[:39]+last, "")
	unknown := s.config("AKIAUNKNOWNKEY000000", secret, "")

	wantCode(t, err2(s.sts(wrong).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})), "SignatureDoesNotMatch")
	wantCode(t, err2(s.cloudtrail(wrong).LookupEvents(ctx, &cloudtrail.LookupEventsInput{})), "InvalidSignatureException")
	wantCode(t, err2(s.sts(unknown).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})), "InvalidClientTokenId")
	wantCode(t, err2(s.cloudtrail(unknown).LookupEvents(ctx, &cloudtrail.LookupEventsInput{})), "UnrecognizedClientException")

	// Clock skew beyond 15 minutes.
	s.clock.Advance(16 * time.Minute)
	wantCode(t, err2(s.sts(s.root()).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})), "RequestExpired")
	wantCode(t, err2(s.cloudtrail(s.root()).LookupEvents(ctx, &cloudtrail.LookupEventsInput{})), "InvalidSignatureException")
	s.clock.Advance(-16 * time.Minute)

	// An inactive key is refused.
	if _, err := rootIAM.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("bob"), AccessKeyId: aws.String(ak), Status: iamtypes.StatusTypeInactive}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, err2(s.sts(s.config(ak, secret, "")).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})), "InvalidClientTokenId")

	// Failed authentication with a known key is recorded, so brute force
	// is visible; an unknown key has no account to record in.
	recs := lookup(t, s.cloudtrail(s.root()), cttypes.LookupAttributeKeyAccessKeyId, ak)
	codes := map[string]int{}
	for _, r := range recs {
		codes[r.str("errorCode")]++
	}
	if codes["SignatureDoesNotMatch"] != 1 || codes["InvalidSignatureException"] != 1 || codes["InvalidClientTokenId"] != 1 {
		t.Fatalf("recorded failures for bob's key: %v", codes)
	}
	if n := len(lookup(t, s.cloudtrail(s.root()), cttypes.LookupAttributeKeyAccessKeyId, "AKIAUNKNOWNKEY000000")); n != 0 {
		t.Fatalf("%d events for an unknown key", n)
	}
}

func err2[T any](_ T, err error) error { return err }

func TestUnsignedAndMalformedRequests(t *testing.T) {
	s := startCairn(t)
	post := func(header map[string]string, body string) (int, string) {
		req, _ := http.NewRequest("POST", s.endpoint+"/", strings.NewReader(body))
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	status, body := post(map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, "Action=ListUsers&Version=2010-05-08")
	if status != 403 || !strings.Contains(body, "<Code>MissingAuthenticationToken</Code>") {
		t.Fatalf("unsigned Query: %d %s", status, body)
	}
	status, body = post(map[string]string{"X-Amz-Target": "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents",
		"Content-Type": "application/x-amz-json-1.1"}, "{}")
	if status != 400 || !strings.Contains(body, `"MissingAuthenticationTokenException"`) {
		t.Fatalf("unsigned JSON: %d %s", status, body)
	}
}

func TestSessionTokens(t *testing.T) {
	s := startCairn(t)
	out, err := s.sts(s.root()).GetSessionToken(ctx, &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(900)})
	if err != nil {
		t.Fatal(err)
	}
	c := out.Credentials
	if !strings.HasPrefix(aws.ToString(c.AccessKeyId), "ASIA") || aws.ToString(c.SessionToken) == "" {
		t.Fatalf("session credentials %+v", c)
	}
	session := s.config(aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken))
	who, err := s.sts(session).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(who.Arn) != "arn:aws:iam::"+testAccount+":root" {
		t.Fatalf("session caller %s", aws.ToString(who.Arn))
	}
	// Without or with a wrong token the key is refused.
	wantCode(t, err2(s.sts(s.config(aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), "")).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})), "InvalidClientTokenId")
	wantCode(t, err2(s.sts(s.config(aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), "bogus")).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})), "InvalidClientTokenId")

	recs := lookup(t, s.cloudtrail(s.root()), cttypes.LookupAttributeKeyAccessKeyId, aws.ToString(c.AccessKeyId))
	if len(recs) == 0 || recs[len(recs)-1].str("userIdentity.sessionContext.attributes.mfaAuthenticated") != "false" ||
		recs[len(recs)-1].str("userIdentity.sessionContext.attributes.creationDate") == "" {
		t.Fatalf("session records: %v", recs)
	}
	gst := lookup(t, s.cloudtrail(s.root()), cttypes.LookupAttributeKeyEventName, "GetSessionToken")
	raw, _ := json.Marshal(gst)
	if len(gst) != 1 || strings.Contains(string(raw), aws.ToString(c.SessionToken)) || strings.Contains(string(raw), aws.ToString(c.SecretAccessKey)) {
		t.Fatalf("GetSessionToken record leaks a secret or is missing: %s", raw)
	}
	// Once expired, refused with ExpiredToken. The request is signed at
	// the server's (advanced) time so that clock skew is not the reason.
	s.clock.Advance(901 * time.Second)
	status, body := s.signedQuery(t, c, "sts", "Action=GetCallerIdentity&Version=2011-06-15", s.clock.Now())
	if status != 403 || !strings.Contains(body, "<Code>ExpiredToken</Code>") {
		t.Fatalf("expired session: %d %s", status, body)
	}
}

func TestLookupEventsValidationAndPaging(t *testing.T) {
	s := startCairn(t)
	ct := s.cloudtrail(s.root())
	for i := 0; i < 60; i++ {
		if _, err := s.sts(s.root()).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
			t.Fatal(err)
		}
	}
	bad := []struct {
		in   *cloudtrail.LookupEventsInput
		code string
	}{
		{&cloudtrail.LookupEventsInput{MaxResults: aws.Int32(0)}, "InvalidMaxResultsException"},
		{&cloudtrail.LookupEventsInput{MaxResults: aws.Int32(51)}, "InvalidMaxResultsException"},
		{&cloudtrail.LookupEventsInput{StartTime: aws.Time(time.Now()), EndTime: aws.Time(time.Now().Add(-time.Hour))}, "InvalidTimeRangeException"},
		{&cloudtrail.LookupEventsInput{NextToken: aws.String("bogus")}, "InvalidNextTokenException"},
		{&cloudtrail.LookupEventsInput{LookupAttributes: []cttypes.LookupAttribute{
			{AttributeKey: "EventName", AttributeValue: aws.String("a")}, {AttributeKey: "Username", AttributeValue: aws.String("b")}}}, "InvalidLookupAttributesException"},
		{&cloudtrail.LookupEventsInput{LookupAttributes: []cttypes.LookupAttribute{{AttributeKey: "Bogus", AttributeValue: aws.String("a")}}}, "InvalidLookupAttributesException"},
		{&cloudtrail.LookupEventsInput{LookupAttributes: []cttypes.LookupAttribute{{AttributeKey: "ReadOnly", AttributeValue: aws.String("maybe")}}}, "InvalidLookupAttributesException"},
	}
	for _, b := range bad {
		wantCode(t, err2(ct.LookupEvents(ctx, b.in)), b.code)
	}
	in := &cloudtrail.LookupEventsInput{
		LookupAttributes: []cttypes.LookupAttribute{{AttributeKey: "EventName", AttributeValue: aws.String("GetCallerIdentity")}},
		MaxResults:       aws.Int32(25),
	}
	seen := map[string]bool{}
	pages := 0
	var last time.Time
	for p := cloudtrail.NewLookupEventsPaginator(ct, in); p.HasMorePages(); {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, e := range page.Events {
			if seen[aws.ToString(e.EventId)] {
				t.Fatalf("event %s returned twice", aws.ToString(e.EventId))
			}
			seen[aws.ToString(e.EventId)] = true
			if !last.IsZero() && e.EventTime.After(last) {
				t.Fatal("events are not newest first")
			}
			last = *e.EventTime
			if aws.ToString(e.ReadOnly) != "true" || aws.ToString(e.Username) != "root" {
				t.Fatalf("event summary %+v", e)
			}
		}
	}
	if len(seen) != 60 || pages != 3 {
		t.Fatalf("paged %d events in %d pages, want 60 in 3", len(seen), pages)
	}
	// A token only works with the parameters it was issued for.
	first, err := ct.LookupEvents(ctx, in)
	if err != nil || first.NextToken == nil {
		t.Fatalf("first page: %v", err)
	}
	other := *in
	other.LookupAttributes = []cttypes.LookupAttribute{{AttributeKey: "EventName", AttributeValue: aws.String("LookupEvents")}}
	other.NextToken = first.NextToken
	wantCode(t, err2(ct.LookupEvents(ctx, &other)), "InvalidNextTokenException")
	// Events of another region are not returned.
	west := s.root()
	west.Region = "eu-west-1"
	out, err := s.cloudtrail(west).LookupEvents(ctx, &cloudtrail.LookupEventsInput{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range out.Events {
		if aws.ToString(e.EventName) != "LookupEvents" {
			t.Fatalf("eu-west-1 history holds %s", aws.ToString(e.EventName))
		}
	}
}

// Secrets never reach the database or the records in plaintext.
func TestNoSecretsAtRest(t *testing.T) {
	s := startCairn(t)
	rootIAM := s.iam(s.root())
	if _, err := rootIAM.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("carol")}); err != nil {
		t.Fatal(err)
	}
	key, err := rootIAM.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("carol")})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := s.sts(s.config(aws.ToString(key.AccessKey.AccessKeyId), aws.ToString(key.AccessKey.SecretAccessKey), "")).
		GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	if err != nil {
		t.Fatal(err)
	}
	s.stop()
	secrets := []string{testRootSec, aws.ToString(key.AccessKey.SecretAccessKey),
		aws.ToString(tok.Credentials.SecretAccessKey), aws.ToString(tok.Credentials.SessionToken)}
	err = filepath.Walk(s.data, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || filepath.Base(path) == "root-credentials" {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, sec := range secrets {
			if strings.Contains(string(b), sec) {
				t.Errorf("%s holds a secret in plaintext", path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestRestartKeepsAccountAndCredentials(t *testing.T) {
	data := t.TempDir()
	s := startCairnIn(t, data)
	if _, err := s.iam(s.root()).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("dave")}); err != nil {
		t.Fatal(err)
	}
	s.stop()
	b, err := os.ReadFile(filepath.Join(data, "root-credentials"))
	if err != nil || !strings.Contains(string(b), "[cairn]") || !strings.Contains(string(b), testRootKey) {
		t.Fatalf("root-credentials: %q, %v", b, err)
	}
	if st, _ := os.Stat(filepath.Join(data, "root-credentials")); st.Mode().Perm() != 0o600 {
		t.Fatalf("root-credentials mode %v", st.Mode().Perm())
	}
	s = startCairnIn(t, data)
	u, err := s.iam(s.root()).GetUser(ctx, &iam.GetUserInput{UserName: aws.String("dave")})
	if err != nil || aws.ToString(u.User.Arn) != "arn:aws:iam::"+testAccount+":user/dave" {
		t.Fatalf("after restart: %v %v", u, err)
	}
	if n := len(lookup(t, s.cloudtrail(s.root()), cttypes.LookupAttributeKeyEventName, "CreateUser")); n != 1 {
		t.Fatalf("%d CreateUser events after restart", n)
	}
}
