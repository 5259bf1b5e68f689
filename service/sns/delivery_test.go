package sns_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/service/sns"
)

// queued returns the due times of the queued deliveries.
func (e *env) queued() []time.Time {
	e.t.Helper()
	due, err := e.svc.QueuedDue(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return due
}

func (e *env) publish(arn, message string) string {
	e.t.Helper()
	return must[sns.PublishOutput](e, rootOf(acct), "Publish", &sns.PublishInput{TopicArn: &arn, Message: message}).MessageId
}

// A failing endpoint is retried on AWS's default schedule (three retries,
// 20 seconds apart) with the original message, then given up on; another
// subscriber of the topic got the message at once.
func TestRetriesOnTheDefaultSchedule(t *testing.T) {
	e := newEnv(t)
	e.run()
	arn := e.createTopic(rootOf(acct), "t")
	bad, good := "http://hook.test/bad", "http://hook.test/good"
	e.subscribeConfirmed(arn, bad, nil)
	e.subscribeConfirmed(arn, good, nil)
	e.poster.answer(bad, 500)
	t0 := e.clock.Now()
	id := e.publish(arn, "m1")
	got := map[string]post{}
	for range 2 {
		p := e.poster.next(t)
		got[p.URL] = p
	}
	if decode(t, got[good].Body).str("MessageId") != id || !got[bad].At.Equal(t0) {
		t.Fatalf("first attempts %v", got)
	}
	for retry := 1; retry <= 3; retry++ {
		// The failure moved the delivery 20 s on; the clock stands still
		// until the test moves it, so nothing is attempted before.
		want := t0.Add(time.Duration(retry) * 20 * time.Second)
		waitFor(t, "the retry to be scheduled", func() bool { q := e.queued(); return len(q) == 1 && q[0].Equal(want) })
		e.poster.none(t)
		e.clock.Advance(20 * time.Second)
		p := e.poster.next(t)
		m := decode(t, p.Body)
		if p.URL != bad || !p.At.Equal(want) || m.str("MessageId") != id || m.str("Timestamp") != "2025-03-01T12:00:00.000Z" {
			t.Fatalf("retry %d: %s at %v (want %v): %s", retry, p.URL, p.At, want, p.Body)
		}
	}
	waitFor(t, "an empty queue after the last retry", func() bool { return len(e.queued()) == 0 })
	e.clock.Advance(time.Hour)
	e.poster.none(t)
}

// A subscription's delivery policy replaces the topic's, unless the topic
// disables overrides; the queue follows the effective schedule.
func TestSubscriptionDeliveryPolicy(t *testing.T) {
	e := newEnv(t)
	e.run()
	root := rootOf(acct)
	arn := e.createTopic(root, "t")
	url := "http://hook.test/p"
	subPolicy := `{"healthyRetryPolicy":{"minDelayTarget":2,"maxDelayTarget":10,"numRetries":3,"numNoDelayRetries":1,"backoffFunction":"linear"}}`
	subARN := e.subscribeConfirmed(arn, url, map[string]string{"DeliveryPolicy": subPolicy})
	attrs := must[sns.GetSubscriptionAttributesOutput](e, root, "GetSubscriptionAttributes", &sns.GetSubscriptionAttributesInput{SubscriptionArn: subARN}).Attributes
	if attrs["DeliveryPolicy"] != subPolicy || !strings.Contains(attrs["EffectiveDeliveryPolicy"],
		`"healthyRetryPolicy":{"minDelayTarget":2,"maxDelayTarget":10,"numRetries":3,"numMaxDelayRetries":0,"numNoDelayRetries":1,"numMinDelayRetries":0,"backoffFunction":"linear"}`) {
		t.Fatalf("attributes %v", attrs)
	}
	e.poster.answer(url, 503)
	t0 := e.clock.Now()
	e.publish(arn, "m")
	// Retry 1 has no delay; then the backoff phase: 2 retries from 2 s
	// to 10 s, linear: 6 s and 10 s.
	for i, at := range []time.Duration{0, 0, 6 * time.Second, 10 * time.Second} {
		if at > 0 {
			want := e.clock.Now().Add(at)
			waitFor(t, "the retry to be scheduled", func() bool { q := e.queued(); return len(q) == 1 && q[0].Equal(want) })
			e.clock.Advance(at)
		}
		if p := e.poster.next(t); !p.At.Equal(e.clock.Now()) {
			t.Fatalf("attempt %d at %v", i+1, p.At.Sub(t0))
		}
	}
	waitFor(t, "an empty queue", func() bool { return len(e.queued()) == 0 })

	// The topic disables overrides: its own policy (one retry, 30 s on).
	topicPolicy := `{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":30,"maxDelayTarget":30,"numRetries":1},"disableSubscriptionOverrides":true}}`
	must[sns.SetTopicAttributesOutput](e, root, "SetTopicAttributes", &sns.SetTopicAttributesInput{TopicArn: arn, AttributeName: "DeliveryPolicy", AttributeValue: &topicPolicy})
	e.publish(arn, "m2")
	e.poster.next(t)
	want := e.clock.Now().Add(30 * time.Second)
	waitFor(t, "the topic's schedule", func() bool { q := e.queued(); return len(q) == 1 && q[0].Equal(want) })
}

// The documented phases and Cairn's backoff curves.
func TestRetrySchedules(t *testing.T) {
	policy := func(backoff string) string {
		return `{"healthyRetryPolicy":{"minDelayTarget":1,"maxDelayTarget":60,"numRetries":7,"numNoDelayRetries":1,` +
			`"numMinDelayRetries":1,"numMaxDelayRetries":1,"backoffFunction":"` + backoff + `"}}`
	}
	ms := time.Millisecond
	for _, c := range []struct {
		backoff string
		want    []time.Duration // retries 1..7
	}{
		// no delay, min, 4 backoff retries from 1 s to 60 s, max.
		{"linear", []time.Duration{0, time.Second, 15750 * ms, 30500 * ms, 45250 * ms, 60 * time.Second, 60 * time.Second}},
		{"arithmetic", []time.Duration{0, time.Second, 6900 * ms, 18700 * ms, 36400 * ms, 60 * time.Second, 60 * time.Second}},
		{"exponential", []time.Duration{0, time.Second, 4933 * ms, 12800 * ms, 28533 * ms, 60 * time.Second, 60 * time.Second}},
		{"geometric", []time.Duration{0, time.Second, 2783 * ms, 7746 * ms, 21558 * ms, 60 * time.Second, 60 * time.Second}},
	} {
		for r, want := range c.want {
			got, ok, err := sns.RetryDelay(policy(c.backoff), r+1)
			if err != nil || !ok || got != want {
				t.Errorf("%s retry %d: %v %v %v, want %v", c.backoff, r+1, got, ok, err, want)
			}
		}
		if _, ok, _ := sns.RetryDelay(policy(c.backoff), 8); ok {
			t.Errorf("%s: an eighth retry", c.backoff)
		}
	}
	// AWS's default: three retries, 20 s apart.
	for r := 1; r <= 3; r++ {
		if got, ok, err := sns.RetryDelay("", r); err != nil || !ok || got != 20*time.Second {
			t.Fatalf("default retry %d: %v %v %v", r, got, ok, err)
		}
	}
	if _, ok, _ := sns.RetryDelay("", 4); ok {
		t.Fatal("a fourth default retry")
	}
	for _, c := range []struct{ doc, msg string }{
		{`{"healthyRetryPolicy":{"numRetries":101}}`, "healthyRetryPolicy.numRetries must be less than or equal to 100"},
		{`{"healthyRetryPolicy":{"minDelayTarget":0}}`, "healthyRetryPolicy.minDelayTarget must be greater than or equal to 1"},
		{`{"healthyRetryPolicy":{"minDelayTarget":30,"maxDelayTarget":10}}`, "healthyRetryPolicy.maxDelayTarget must be greater than or equal to minDelayTarget"},
		{`{"healthyRetryPolicy":{"maxDelayTarget":3601}}`, "healthyRetryPolicy.maxDelayTarget must be less than or equal to 3600"},
		{`{"healthyRetryPolicy":{"numRetries":2,"numNoDelayRetries":3}}`, "numNoDelayRetries + numMinDelayRetries + numMaxDelayRetries must be less than or equal to numRetries"},
		{`{"healthyRetryPolicy":{"backoffFunction":"cubic"}}`, "healthyRetryPolicy.backoffFunction must be one of: linear, arithmetic, geometric, exponential"},
		{`{"healthyRetryPolicy":{"minDelayTarget":3600,"maxDelayTarget":3600,"numRetries":2}}`, "the total retry time must be less than or equal to 3600 seconds"},
		{`{"healthyRetryPolicy":{"numRetries":1.5}}`, "healthyRetryPolicy.numRetries must be an integer"},
		{`{"throttlePolicy":{"maxReceivesPerSecond":0}}`, "throttlePolicy.maxReceivesPerSecond must be greater than or equal to 1"},
		{`{"requestPolicy":{"headerContentType":"text/plain\r\nX-Evil: 1"}}`, "requestPolicy.headerContentType is not a valid content type"},
		{`{"retryPolicy":{}}`, "Unexpected JSON member: retryPolicy"},
	} {
		_, _, err := sns.RetryDelay(c.doc, 1)
		if ce := wantCode(t, err, "InvalidParameter"); ce.Message != "Invalid parameter: DeliveryPolicy: "+c.msg && !strings.HasSuffix(ce.Message, c.msg) {
			t.Errorf("%s: %q", c.doc, ce.Message)
		}
	}
}

// At most a quarter of the workers serve one endpoint: a hanging endpoint
// holds them, and another subscriber is served by the rest.
func TestSlowEndpointBlocksNoOneElse(t *testing.T) {
	e := newEnv(t)
	e.run()
	arn := e.createTopic(rootOf(acct), "t")
	slow, fast := "http://hook.test/slow", "http://hook.test/fast"
	e.subscribeConfirmed(arn, slow, nil)
	e.subscribeConfirmed(arn, fast, nil)
	release := make(chan struct{})
	var mu sync.Mutex
	inside, most := 0, 0
	e.poster.mu.Lock()
	e.poster.block[slow] = release
	e.poster.mu.Unlock()
	e.poster.mu.Lock()
	e.poster.enter = func(url string, delta int) {
		if url != slow {
			return
		}
		mu.Lock()
		inside += delta
		most = max(most, inside)
		mu.Unlock()
	}
	e.poster.mu.Unlock()
	var ids []string
	for i := 0; i < 6; i++ {
		ids = append(ids, e.publish(arn, "m"))
	}
	for i := range ids {
		p := e.poster.next(t)
		if p.URL != fast {
			t.Fatalf("message %d: a post to %s while the slow endpoint hangs", i, p.URL)
		}
	}
	waitFor(t, "two attempts to the slow endpoint", func() bool { mu.Lock(); defer mu.Unlock(); return most >= 2 })
	mu.Lock()
	got := most
	mu.Unlock()
	if got != 2 {
		t.Fatalf("%d attempts to the slow endpoint at once, want 2 (8 workers / 4)", got)
	}
	close(release)
	for range ids {
		if p := e.poster.next(t); p.URL != slow {
			t.Fatalf("post to %s", p.URL)
		}
	}
}

// maxReceivesPerSecond spaces the attempts to a subscription.
func TestThrottlePolicy(t *testing.T) {
	e := newEnv(t)
	e.run()
	arn := e.createTopic(rootOf(acct), "t")
	url := "http://hook.test/throttled"
	e.subscribeConfirmed(arn, url, map[string]string{"DeliveryPolicy": `{"throttlePolicy":{"maxReceivesPerSecond":1}}`})
	// The confirmation was the subscription's receive of this second.
	t0 := e.clock.Now()
	e.publish(arn, "a")
	e.publish(arn, "b")
	e.publish(arn, "c")
	for i := 1; i <= 3; i++ {
		e.clock.Advance(time.Second)
		p := e.poster.next(t)
		if want := t0.Add(time.Duration(i) * time.Second); !p.At.Equal(want) {
			t.Fatalf("post %d at +%v, want +%v", i, p.At.Sub(t0), want.Sub(t0))
		}
		waitFor(t, "the post to leave the queue", func() bool { return len(e.queued()) == 3-i })
	}
}

// Deliveries queued before a restart are made after it, signed with the
// same key.
func TestQueueSurvivesRestart(t *testing.T) {
	data := t.TempDir()
	clock := cairn.NewManualClock(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
	e := newEnvIn(t, data, clock)
	stop := e.run()
	arn := e.createTopic(rootOf(acct), "t")
	url := "http://hook.test/durable"
	e.subscribeConfirmed(arn, url, nil)
	stop()
	id := e.publish(arn, "queued before the restart")
	if len(e.queued()) != 1 {
		t.Fatalf("queue %v", e.queued())
	}
	e.closeStore()

	e2 := newEnvIn(t, data, clock)
	e2.run()
	p := e2.poster.next(t)
	m := decode(t, p.Body)
	if p.URL != url || m.str("MessageId") != id || m.str("Message") != "queued before the restart" {
		t.Fatalf("after the restart: %s %s", p.URL, p.Body)
	}
	if err := verify(t, e2, m); err != nil {
		t.Fatalf("signature after the restart: %v", err)
	}
	waitFor(t, "an empty queue", func() bool { return len(e2.queued()) == 0 })
}

// Refused publishes queue nothing.
func TestPublishValidation(t *testing.T) {
	e := newEnv(t)
	e.run()
	root := rootOf(acct)
	arn := e.createTopic(root, "t")
	e.subscribeConfirmed(arn, "http://hook.test/v", nil)
	waitFor(t, "an empty queue", func() bool { return len(e.queued()) == 0 })
	big := strings.Repeat("x", 256<<10)
	for i, c := range []struct {
		in        sns.PublishInput
		code, msg string
	}{
		{sns.PublishInput{TopicArn: &arn}, "InvalidParameter", "Invalid parameter: Empty message"},
		{sns.PublishInput{TopicArn: &arn, Message: "m", Subject: str("")}, "InvalidParameter", "Invalid parameter: Subject"},
		{sns.PublishInput{TopicArn: &arn, Message: "m", Subject: str("two\nlines")}, "InvalidParameter", "Invalid parameter: Subject"},
		{sns.PublishInput{TopicArn: &arn, Message: "m", Subject: str(strings.Repeat("s", 100))}, "InvalidParameter", "Invalid parameter: Subject"},
		{sns.PublishInput{TopicArn: &arn, Message: big + "x"}, "InvalidParameter", "Invalid parameter: Message too long"},
		{sns.PublishInput{TopicArn: &arn, Message: big[:256<<10-4], MessageAttributes: map[string]sns.MessageAttributeValue{
			"a": {DataType: "String", StringValue: str("x")}}}, "InvalidParameter", "Invalid parameter: Message too long"},
		{sns.PublishInput{TopicArn: &arn, Message: "m", MessageGroupId: str("g")}, "InvalidParameter",
			"Invalid parameter: MessageGroupId Reason: The request includes MessageGroupId parameter that is not valid for this topic type"},
		{sns.PublishInput{TopicArn: &arn, Message: "m", MessageAttributes: map[string]sns.MessageAttributeValue{
			"a": {DataType: "Blob", StringValue: str("x")}}}, "ParameterValueInvalid",
			"The message attribute 'a' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String."},
		{sns.PublishInput{TopicArn: &arn, Message: "m", MessageAttributes: map[string]sns.MessageAttributeValue{
			"a": {DataType: "String", StringValue: str("")}}}, "ParameterValueInvalid",
			"The message attribute 'a' must contain non-empty message attribute value for message attribute type 'String'."},
		{sns.PublishInput{TopicArn: &arn, Message: "m", MessageAttributes: map[string]sns.MessageAttributeValue{
			"a": {DataType: "Binary", StringValue: str("x")}}}, "ParameterValueInvalid", "The message attribute 'a' with type 'Binary' must use field 'Binary'."},
		{sns.PublishInput{TopicArn: &arn, Message: "m", MessageAttributes: map[string]sns.MessageAttributeValue{
			"a..b": {DataType: "String", StringValue: str("x")}}}, "ParameterValueInvalid", "Message attribute name can not have successive '.' character."},
		{sns.PublishInput{TopicArn: &arn, Message: "m", MessageAttributes: map[string]sns.MessageAttributeValue{
			"a b": {DataType: "String", StringValue: str("x")}}}, "ParameterValueInvalid",
			"Invalid non-alphanumeric character '#x20' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots."},
		{sns.PublishInput{Message: "m"}, "InvalidParameter", "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter"},
		{sns.PublishInput{TopicArn: str("arn:aws:sns:us-east-1:" + acct + ":gone"), Message: "m"}, "NotFound", "Topic does not exist"},
		{sns.PublishInput{TopicArn: str("not-an-arn"), Message: "m"}, "InvalidParameter", "Invalid parameter: TopicArn"},
		{sns.PublishInput{PhoneNumber: str("+15555550100"), Message: "m"}, "InvalidParameter", ""},
	} {
		in := c.in
		_, err := e.do(root, "Publish", &in)
		if ce := cairn.AsError(err); ce == nil || ce.Code != c.code || c.msg != "" && ce.Message != c.msg {
			t.Errorf("case %d: %v, want %s %q", i, err, c.code, c.msg)
		}
	}
	if q := e.queued(); len(q) != 0 {
		t.Fatalf("refused publishes queued %d deliveries", len(q))
	}
	e.poster.none(t)
	// 256 KiB exactly is within the limit.
	if id := e.publish(arn, big); decode(t, e.poster.next(t).Body).str("MessageId") != id {
		t.Fatal("the 256 KiB message was not delivered")
	}
	// TargetArn names a topic too.
	id := must[sns.PublishOutput](e, root, "Publish", &sns.PublishInput{TargetArn: &arn, Message: "via TargetArn"}).MessageId
	if m := decode(t, e.poster.next(t).Body); m.str("MessageId") != id {
		t.Fatalf("TargetArn publish %v", m)
	}
}

// Message bodies and tokens never reach the disk in plaintext: queued
// payloads are sealed, tokens stored as hashes.
func TestNothingInPlaintextAtRest(t *testing.T) {
	e := newEnv(t)
	stop := e.run()
	arn := e.createTopic(rootOf(acct), "t")
	ep := "http://hook.test/rest"
	must[sns.SubscribeOutput](e, rootOf(acct), "Subscribe", &sns.SubscribeInput{TopicArn: arn, Protocol: "http", Endpoint: &ep})
	token := decode(t, e.poster.next(t).Body).str("Token")
	stop()
	secret := "BODY-MUST-NOT-BE-ON-DISK-7f3a"
	if _, err := e.do(rootOf(acct), "ConfirmSubscription", &sns.ConfirmSubscriptionInput{TopicArn: arn, Token: token}); err != nil {
		t.Fatal(err)
	}
	e.publish(arn, secret)
	if len(e.queued()) == 0 {
		t.Fatal("nothing queued")
	}
	e.closeStore()
	files, err := os.ReadDir(e.data)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(e.data, f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		checked += len(b)
		for _, s := range []string{secret, token} {
			for _, needle := range plainForms(s) {
				if bytes.Contains(b, []byte(needle)) {
					t.Fatalf("%s holds %.20s… in plaintext", f.Name(), s)
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no data files")
	}
}

// plainForms are the ways s shows in stored bytes unless encrypted: as
// is, and base64 at any alignment (JSON encodes []byte in base64), less
// the characters that depend on its neighbours.
func plainForms(s string) []string {
	forms := []string{s}
	for pad := 0; pad < 3; pad++ {
		enc := base64.StdEncoding.EncodeToString(append(make([]byte, pad), s...))
		forms = append(forms, enc[4:len(enc)-4])
	}
	return forms
}
