package sns_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cairnhq/cairn/service/sns"
)

func TestSubscribeValidation(t *testing.T) {
	e := newEnv(t)
	root := rootOf(acct)
	arn := e.createTopic(root, "t")
	for _, c := range []struct {
		protocol, endpoint string
		attrs              map[string]string
		msg                string
	}{
		{"carrier-pigeon", "x", nil, "Invalid parameter: Amazon SNS does not support this protocol string: carrier-pigeon"},
		{"sqs", "arn:aws:sqs:us-east-1:" + acct + ":q", nil, "Invalid parameter: Protocol Reason: Cairn delivers to http and https endpoints only"},
		{"http", "https://hook.test/x", nil, "Invalid parameter: Endpoint must match the specified protocol"},
		{"https", "http://hook.test/x", nil, "Invalid parameter: Endpoint must match the specified protocol"},
		{"http", "", nil, "Invalid parameter: Endpoint"},
		{"http", "http://", nil, "Invalid parameter: Endpoint"},
		{"http", "http://hook.test/x", map[string]string{"RawMessageDelivery": "yes"},
			"Invalid parameter: Attributes Reason: RawMessageDelivery: Invalid value [yes]. Must be true or false."},
		{"http", "http://hook.test/x", map[string]string{"FilterPolicy": `{"a":["b"]}`}, "Invalid parameter: FilterPolicy Reason: Cairn does not support this attribute"},
		{"http", "http://hook.test/x", map[string]string{"Color": "red"}, "Invalid parameter: AttributeName"},
		{"http", "http://hook.test/x", map[string]string{"DeliveryPolicy": `{"healthyRetryPolicy":{"numRetries":-1}}`},
			"Invalid parameter: DeliveryPolicy: healthyRetryPolicy.numRetries must be greater than or equal to 0"},
	} {
		ep := c.endpoint
		_, err := e.do(root, "Subscribe", &sns.SubscribeInput{TopicArn: arn, Protocol: c.protocol, Endpoint: &ep, Attributes: c.attrs})
		if ce := wantCode(t, err, "InvalidParameter"); ce.Message != c.msg {
			t.Errorf("%s %s %v: %q, want %q", c.protocol, c.endpoint, c.attrs, ce.Message, c.msg)
		}
	}
	ep := "http://hook.test/x"
	_, err := e.do(root, "Subscribe", &sns.SubscribeInput{TopicArn: "arn:aws:sns:us-east-1:" + acct + ":gone", Protocol: "http", Endpoint: &ep})
	wantCode(t, err, "NotFound")
	if q := e.queued(); len(q) != 0 {
		t.Fatalf("refused subscriptions queued %d messages", len(q))
	}
	if subs := must[sns.ListSubscriptionsOutput](e, root, "ListSubscriptions", &sns.ListSubscriptionsInput{}).Subscriptions; len(subs) != 0 {
		t.Fatalf("refused subscriptions exist: %v", subs)
	}
}

// Subscribe answers "pending confirmation" unless asked for the ARN;
// subscribing the endpoint again is the same subscription (with a new
// confirmation while pending), with other attributes an error.
func TestSubscribeLifecycle(t *testing.T) {
	e := newEnv(t)
	e.run()
	root := rootOf(acct)
	arn := e.createTopic(root, "t")
	ep := "https://user:hunter2@hook.test/x"
	out := must[sns.SubscribeOutput](e, root, "Subscribe", &sns.SubscribeInput{TopicArn: arn, Protocol: "https", Endpoint: &ep})
	if out.SubscriptionArn != "pending confirmation" {
		t.Fatalf("Subscribe answered %q", out.SubscriptionArn)
	}
	first := decode(t, e.poster.next(t).Body)
	subARN := must[sns.SubscribeOutput](e, root, "Subscribe", &sns.SubscribeInput{TopicArn: arn, Protocol: "https", Endpoint: &ep, ReturnSubscriptionArn: true}).SubscriptionArn
	if !strings.HasPrefix(subARN, arn+":") || len(subARN) != len(arn)+37 {
		t.Fatalf("ReturnSubscriptionArn: %q", subARN)
	}
	second := decode(t, e.poster.next(t).Body)
	if first.str("Token") == second.str("Token") {
		t.Fatal("a repeated Subscribe sent the same token")
	}
	subs := must[sns.ListSubscriptionsByTopicOutput](e, root, "ListSubscriptionsByTopic", &sns.ListSubscriptionsByTopicInput{TopicArn: arn}).Subscriptions
	if len(subs) != 1 || subs[0] != (sns.Subscription{SubscriptionArn: "PendingConfirmation", Owner: acct, Protocol: "https",
		Endpoint: "https://user:****@hook.test/x", TopicArn: arn}) {
		t.Fatalf("pending listing %+v", subs)
	}
	attrs := e.attributes(arn)
	if attrs["SubscriptionsPending"] != "1" || attrs["SubscriptionsConfirmed"] != "0" {
		t.Fatalf("counts %v", attrs)
	}
	// Either token confirms.
	must[sns.ConfirmSubscriptionOutput](e, root, "ConfirmSubscription", &sns.ConfirmSubscriptionInput{TopicArn: arn, Token: first.str("Token"), AuthenticateOnUnsubscribe: str("true")})
	got := must[sns.GetSubscriptionAttributesOutput](e, root, "GetSubscriptionAttributes", &sns.GetSubscriptionAttributesInput{SubscriptionArn: subARN}).Attributes
	want := map[string]string{"SubscriptionArn": subARN, "TopicArn": arn, "Owner": acct, "Protocol": "https", "Endpoint": "https://user:****@hook.test/x",
		"PendingConfirmation": "false", "ConfirmationWasAuthenticated": "true", "RawMessageDelivery": "false", "SubscriptionPrincipal": rootOf(acct).ARN,
		"EffectiveDeliveryPolicy": `{"healthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,"numMaxDelayRetries":0,` +
			`"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},"sicklyRetryPolicy":null,"throttlePolicy":null,` +
			`"requestPolicy":{"headerContentType":"text/plain; charset=UTF-8"},"guaranteed":false}`}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	// Confirmed: a repeated Subscribe returns the ARN and sends nothing.
	waitFor(t, "an empty queue", func() bool { return len(e.queued()) == 0 })
	again := must[sns.SubscribeOutput](e, root, "Subscribe", &sns.SubscribeInput{TopicArn: arn, Protocol: "https", Endpoint: &ep})
	if again.SubscriptionArn != subARN {
		t.Fatalf("Subscribe of a confirmed endpoint: %q", again.SubscriptionArn)
	}
	if q := e.queued(); len(q) != 0 {
		t.Fatalf("a Subscribe of a confirmed endpoint queued %d messages", len(q))
	}
	e.poster.none(t)
	_, err := e.do(root, "Subscribe", &sns.SubscribeInput{TopicArn: arn, Protocol: "https", Endpoint: &ep, Attributes: map[string]string{"RawMessageDelivery": "true"}})
	if ce := wantCode(t, err, "InvalidParameter"); ce.Message != "Invalid parameter: Attributes Reason: Subscription already exists with different attributes" {
		t.Fatalf("other attributes: %q", ce.Message)
	}
	must[sns.SetSubscriptionAttributesOutput](e, root, "SetSubscriptionAttributes", &sns.SetSubscriptionAttributesInput{SubscriptionArn: subARN,
		AttributeName: "RawMessageDelivery", AttributeValue: str("True")})
	_, err = e.do(root, "SetSubscriptionAttributes", &sns.SetSubscriptionAttributesInput{SubscriptionArn: subARN, AttributeName: "Endpoint", AttributeValue: str("x")})
	wantCode(t, err, "InvalidParameter")
	got = must[sns.GetSubscriptionAttributesOutput](e, root, "GetSubscriptionAttributes", &sns.GetSubscriptionAttributesInput{SubscriptionArn: subARN}).Attributes
	if got["RawMessageDelivery"] != "true" || got["Endpoint"] != "https://user:****@hook.test/x" {
		t.Fatalf("after SetSubscriptionAttributes: %v", got)
	}
	if attrs := e.attributes(arn); attrs["SubscriptionsPending"] != "0" || attrs["SubscriptionsConfirmed"] != "1" {
		t.Fatalf("counts %v", attrs)
	}
	// Another account sees nothing of it.
	stranger := rootOf(other)
	_, err = e.do(stranger, "GetSubscriptionAttributes", &sns.GetSubscriptionAttributesInput{SubscriptionArn: subARN})
	wantCode(t, err, "AccessDenied")
	_, err = e.do(root, "GetSubscriptionAttributes", &sns.GetSubscriptionAttributesInput{SubscriptionArn: arn + ":00000000-0000-0000-0000-000000000000"})
	if ce := wantCode(t, err, "NotFound"); ce.Message != "Subscription does not exist" {
		t.Fatalf("unknown subscription: %q", ce.Message)
	}
}

// A subscription nobody confirms is deleted once its tokens expired
// (three days), and so are the tokens.
func TestUnconfirmedSubscriptionsExpire(t *testing.T) {
	e := newEnv(t)
	e.run()
	root := rootOf(acct)
	arn := e.createTopic(root, "t")
	ep := "http://hook.test/never"
	must[sns.SubscribeOutput](e, root, "Subscribe", &sns.SubscribeInput{TopicArn: arn, Protocol: "http", Endpoint: &ep})
	token := decode(t, e.poster.next(t).Body).str("Token")
	e.clock.Advance(3*24*time.Hour + time.Minute)
	waitFor(t, "the pending subscription to be deleted", func() bool {
		return e.attributes(arn)["SubscriptionsPending"] == "0"
	})
	_, err := e.do(root, "ConfirmSubscription", &sns.ConfirmSubscriptionInput{TopicArn: arn, Token: token})
	wantCode(t, err, "InvalidParameter")
	if due, err := e.svc.QueuedDue(context.Background()); err != nil || len(due) != 0 {
		t.Fatalf("queue %v %v", due, err)
	}
}
