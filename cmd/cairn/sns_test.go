package main

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	snsapi "github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"
)

func (s *cairnServer) sns(cfg aws.Config) *snsapi.Client { return snsapi.NewFromConfig(cfg) }

// snsDelivery is one POST an SNS subscriber received.
type snsDelivery struct {
	Header http.Header
	Body   []byte
}

// json decodes a message document.
func (d snsDelivery) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(d.Body, &m); err != nil {
		t.Fatalf("delivery is not JSON: %v: %s", err, d.Body)
	}
	return m
}

// subscriber is an HTTP endpoint subscribed to a topic, as a test server:
// it answers every POST with status (200 unless set) and reports it.
type subscriber struct {
	*httptest.Server
	got    chan snsDelivery
	status atomic.Int32
}

func newSubscriber(t *testing.T) *subscriber {
	t.Helper()
	s := &subscriber{got: make(chan snsDelivery, 100)}
	s.status.Store(200)
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Method != http.MethodPost {
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		s.got <- snsDelivery{Header: r.Header.Clone(), Body: body}
		w.WriteHeader(int(s.status.Load()))
	}))
	t.Cleanup(s.Close)
	return s
}

// next waits for the next delivery; a test waiting in vain fails after a
// generous deadline (it asserts that the delivery comes, not when).
func (s *subscriber) next(t *testing.T) snsDelivery {
	t.Helper()
	select {
	case d := <-s.got:
		return d
	case <-time.After(30 * time.Second):
		t.Fatal("the subscriber received nothing")
		return snsDelivery{}
	}
}

// nextAdvancing moves clock by step until the next delivery comes. The
// server schedules a retry once it has read the failed attempt's answer,
// which can happen after the subscriber has handed the attempt to the test
// and the test has moved the clock: that retry is then due a step later.
func (s *subscriber) nextAdvancing(t *testing.T, clock *testClock, step time.Duration) snsDelivery {
	t.Helper()
	for range 5 {
		clock.Advance(step)
		select {
		case d := <-s.got:
			return d
		case <-time.After(5 * time.Second):
		}
	}
	t.Fatal("the subscriber received nothing")
	return snsDelivery{}
}

// verifySNSMessage checks a message exactly as an SNS subscriber does:
// fetch the certificate at SigningCertURL, build the string to sign the
// AWS documentation describes for the message's type, and check the
// signature with crypto/x509 (SHA1withRSA for SignatureVersion 1,
// SHA256withRSA for 2). certBase, when set, replaces the scheme and host
// of SigningCertURL (a restarted server listens elsewhere).
func verifySNSMessage(t *testing.T, m map[string]any, certBase string) error {
	t.Helper()
	str := func(k string) string { s, _ := m[k].(string); return s }
	certURL := str("SigningCertURL")
	if certBase != "" {
		certURL = certBase + certURL[strings.Index(certURL, "/_cairn/"):]
	}
	resp, err := http.Get(certURL)
	if err != nil {
		t.Fatalf("fetch SigningCertURL: %v", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	block, _ := pem.Decode(raw)
	if resp.StatusCode != 200 || block == nil {
		t.Fatalf("SigningCertURL %s: %d %s", certURL, resp.StatusCode, raw)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	fields := []string{"Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"}
	if str("Type") == "Notification" {
		fields = []string{"Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"}
	}
	var b strings.Builder
	for _, f := range fields {
		if v, ok := m[f].(string); ok {
			b.WriteString(f + "\n" + v + "\n")
		}
	}
	sig, err := base64.StdEncoding.DecodeString(str("Signature"))
	if err != nil {
		return err
	}
	alg := x509.SHA1WithRSA
	if str("SignatureVersion") == "2" {
		alg = x509.SHA256WithRSA
	}
	return cert.CheckSignature(alg, []byte(b.String()), sig)
}

// confirmByURL follows a confirmation's SubscribeURL, unsigned, as a
// subscriber does, and returns the subscription ARN from the response.
func confirmByURL(t *testing.T, m map[string]any) string {
	t.Helper()
	resp, err := http.Get(m["SubscribeURL"].(string))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	start, end := strings.Index(string(body), "<SubscriptionArn>"), strings.Index(string(body), "</SubscriptionArn>")
	if resp.StatusCode != 200 || start < 0 || end < start {
		t.Fatalf("GET SubscribeURL: %d %s", resp.StatusCode, body)
	}
	return string(body[start+len("<SubscriptionArn>") : end])
}

// subscribeHTTP subscribes sub to a topic and confirms through the
// SubscribeURL after checking the confirmation's signature.
func (s *cairnServer) subscribeHTTP(t *testing.T, c *snsapi.Client, topicARN string, sub *subscriber, attrs map[string]string) string {
	t.Helper()
	if _, err := c.Subscribe(ctx, &snsapi.SubscribeInput{TopicArn: aws.String(topicARN), Protocol: aws.String("http"),
		Endpoint: aws.String(sub.URL), Attributes: attrs}); err != nil {
		t.Fatalf("Subscribe: %v", err)
	}
	m := sub.next(t).json(t)
	if m["Type"] != "SubscriptionConfirmation" {
		t.Fatalf("first message %v", m)
	}
	if err := verifySNSMessage(t, m, ""); err != nil {
		t.Fatalf("confirmation signature: %v", err)
	}
	return confirmByURL(t, m)
}

// The whole story of an HTTP subscriber: confirmation signed and
// verified, confirmed by its SubscribeURL (unsigned, recorded in the
// topic owner's account), notifications signed with SignatureVersion 1
// and 2 and verified, raw delivery, and every call in the event history.
func TestSNSHTTPSubscriber(t *testing.T) {
	s := startCairn(t)
	c := s.sns(s.root())
	topic, err := c.CreateTopic(ctx, &snsapi.CreateTopicInput{Name: aws.String("orders"),
		Attributes: map[string]string{"DisplayName": "Orders"}, Tags: []snstypes.Tag{{Key: aws.String("team"), Value: aws.String("shop")}}})
	if err != nil {
		t.Fatal(err)
	}
	arn := aws.ToString(topic.TopicArn)
	if arn != "arn:aws:sns:us-east-1:"+testAccount+":orders" {
		t.Fatalf("TopicArn %s", arn)
	}
	sub := newSubscriber(t)
	out, err := c.Subscribe(ctx, &snsapi.SubscribeInput{TopicArn: aws.String(arn), Protocol: aws.String("http"), Endpoint: aws.String(sub.URL)})
	if err != nil || aws.ToString(out.SubscriptionArn) != "pending confirmation" {
		t.Fatalf("Subscribe: %v %v", out, err)
	}
	conf := sub.next(t)
	m := conf.json(t)
	if conf.Header.Get("x-amz-sns-message-type") != "SubscriptionConfirmation" || conf.Header.Get("x-amz-sns-topic-arn") != arn ||
		conf.Header.Get("x-amz-sns-message-id") != m["MessageId"] || conf.Header.Get("Content-Type") != "text/plain; charset=UTF-8" {
		t.Fatalf("confirmation headers %v", conf.Header)
	}
	if m["Message"] != "You have chosen to subscribe to the topic "+arn+".\nTo confirm the subscription, visit the SubscribeURL included in this message." ||
		!strings.HasPrefix(m["SubscribeURL"].(string), s.endpoint+"/?Action=ConfirmSubscription&TopicArn="+arn+"&Token=") {
		t.Fatalf("confirmation %v", m)
	}
	if err := verifySNSMessage(t, m, ""); err != nil {
		t.Fatalf("confirmation signature: %v", err)
	}
	subs, err := c.ListSubscriptionsByTopic(ctx, &snsapi.ListSubscriptionsByTopicInput{TopicArn: aws.String(arn)})
	if err != nil || len(subs.Subscriptions) != 1 || aws.ToString(subs.Subscriptions[0].SubscriptionArn) != "PendingConfirmation" {
		t.Fatalf("pending subscription %+v %v", subs, err)
	}
	subARN := confirmByURL(t, m)
	if !strings.HasPrefix(subARN, arn+":") {
		t.Fatalf("confirmed %q", subARN)
	}
	attrs, err := c.GetSubscriptionAttributes(ctx, &snsapi.GetSubscriptionAttributesInput{SubscriptionArn: aws.String(subARN)})
	if err != nil || attrs.Attributes["PendingConfirmation"] != "false" || attrs.Attributes["ConfirmationWasAuthenticated"] != "false" ||
		attrs.Attributes["Endpoint"] != sub.URL {
		t.Fatalf("subscription attributes %v %v", attrs, err)
	}

	for _, version := range []string{"1", "2"} {
		if _, err := c.SetTopicAttributes(ctx, &snsapi.SetTopicAttributesInput{TopicArn: aws.String(arn),
			AttributeName: aws.String("SignatureVersion"), AttributeValue: aws.String(version)}); err != nil {
			t.Fatal(err)
		}
		pub, err := c.Publish(ctx, &snsapi.PublishInput{TopicArn: aws.String(arn), Subject: aws.String("Order 42"), Message: aws.String("shipped, v" + version),
			MessageAttributes: map[string]snstypes.MessageAttributeValue{"kind": {DataType: aws.String("String"), StringValue: aws.String("shipping")}}})
		if err != nil {
			t.Fatal(err)
		}
		d := sub.next(t)
		n := d.json(t)
		kind, _ := n["MessageAttributes"].(map[string]any)["kind"].(map[string]any)
		if n["Type"] != "Notification" || n["MessageId"] != aws.ToString(pub.MessageId) || n["Message"] != "shipped, v"+version ||
			n["Subject"] != "Order 42" || n["SignatureVersion"] != version || kind["Value"] != "shipping" ||
			n["UnsubscribeURL"] != s.endpoint+"/?Action=Unsubscribe&SubscriptionArn="+subARN ||
			d.Header.Get("x-amz-sns-subscription-arn") != subARN {
			t.Fatalf("notification %v %v", n, d.Header)
		}
		if err := verifySNSMessage(t, n, ""); err != nil {
			t.Fatalf("SignatureVersion %s: %v", version, err)
		}
		n["Message"] = "tampered"
		if verifySNSMessage(t, n, "") == nil {
			t.Fatal("a tampered notification verified")
		}
	}

	// Raw delivery: the message itself.
	if _, err := c.SetSubscriptionAttributes(ctx, &snsapi.SetSubscriptionAttributesInput{SubscriptionArn: aws.String(subARN),
		AttributeName: aws.String("RawMessageDelivery"), AttributeValue: aws.String("true")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Publish(ctx, &snsapi.PublishInput{TopicArn: aws.String(arn), Message: aws.String(`{"raw":true}`)}); err != nil {
		t.Fatal(err)
	}
	if d := sub.next(t); string(d.Body) != `{"raw":true}` || d.Header.Get("x-amz-sns-rawdelivery") != "true" {
		t.Fatalf("raw delivery %v %s", d.Header, d.Body)
	}

	// The UnsubscribeURL works unsigned; the endpoint is told, and its
	// SubscribeURL restores the subscription.
	resp, err := http.Get(s.endpoint + "/?Action=Unsubscribe&SubscriptionArn=" + subARN)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET UnsubscribeURL: %d", resp.StatusCode)
	}
	bye := sub.next(t).json(t)
	if bye["Type"] != "UnsubscribeConfirmation" || bye["Message"] != "You have chosen to deactivate subscription "+subARN+
		".\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message." {
		t.Fatalf("UnsubscribeConfirmation %v", bye)
	}
	if err := verifySNSMessage(t, bye, ""); err != nil {
		t.Fatalf("UnsubscribeConfirmation signature: %v", err)
	}
	if list, err := c.ListSubscriptionsByTopic(ctx, &snsapi.ListSubscriptionsByTopicInput{TopicArn: aws.String(arn)}); err != nil || len(list.Subscriptions) != 0 {
		t.Fatalf("after unsubscribing: %v %v", list, err)
	}
	if restored := confirmByURL(t, bye); restored != subARN {
		t.Fatalf("restored %s, want %s", restored, subARN)
	}
	if _, err := c.Publish(ctx, &snsapi.PublishInput{TopicArn: aws.String(arn), Message: aws.String("back")}); err != nil {
		t.Fatal(err)
	}
	if d := sub.next(t); string(d.Body) != "back" {
		t.Fatalf("after restoring: %s", d.Body)
	}

	// The unsigned calls are in the topic owner's history.
	ct := s.cloudtrail(s.root())
	unsubs := lookup(t, ct, cttypes.LookupAttributeKeyEventName, "Unsubscribe")
	if len(unsubs) != 1 || unsubs[0].str("userIdentity.accountId") != "ANONYMOUS_PRINCIPAL" || unsubs[0].str("requestParameters.subscriptionArn") != subARN {
		t.Fatalf("Unsubscribe events %v", unsubs)
	}
	confirms := lookup(t, ct, cttypes.LookupAttributeKeyEventName, "ConfirmSubscription")
	if len(confirms) != 2 {
		t.Fatalf("%d ConfirmSubscription events, want 2 (the confirmation, the restoration)", len(confirms))
	}
	confirms = confirms[1:] // newest first: the first confirmation
	if confirms[0].str("userIdentity.type") != "AWSAccount" || confirms[0].str("userIdentity.accountId") != "ANONYMOUS_PRINCIPAL" ||
		confirms[0].str("recipientAccountId") != testAccount || confirms[0].str("awsRegion") != "us-east-1" ||
		confirms[0].str("responseElements.subscriptionArn") != subARN || strings.Contains(fmt.Sprint(confirms[0]), "Token") {
		t.Fatalf("ConfirmSubscription events %v", confirms)
	}
	for _, name := range []string{"CreateTopic", "Subscribe", "ListSubscriptionsByTopic", "GetSubscriptionAttributes", "SetTopicAttributes", "SetSubscriptionAttributes"} {
		recs := lookup(t, ct, cttypes.LookupAttributeKeyEventName, name)
		if len(recs) == 0 || recs[0].str("eventSource") != "sns.amazonaws.com" || recs[0].str("errorCode") != "" {
			t.Fatalf("%s events %v", name, recs)
		}
		checkRecordShape(t, recs[0])
	}
	pubs := dataEvents(t, s, testAccount, "Publish")
	if len(pubs) != 4 || pubs[0].str("requestParameters.message") != "HIDDEN_DUE_TO_SECURITY_REASONS" || pubs[0]["managementEvent"] != false ||
		pubs[0].str("requestParameters.topicArn") != arn {
		t.Fatalf("Publish data events %v", pubs)
	}
	raw, _ := json.Marshal(pubs)
	if strings.Contains(string(raw), "shipped") || strings.Contains(string(raw), "Order 42") {
		t.Fatalf("a message reached the events: %s", raw)
	}
}

// Every operation through the SDK, with SNS's errors.
func TestSNSOperations(t *testing.T) {
	s := startCairn(t)
	c := s.sns(s.root())
	arn := createSNSTopic(t, c, "ops")
	again, err := c.CreateTopic(ctx, &snsapi.CreateTopicInput{Name: aws.String("ops")})
	if err != nil || aws.ToString(again.TopicArn) != arn {
		t.Fatalf("CreateTopic again: %v %v", again, err)
	}
	_, err = c.CreateTopic(ctx, &snsapi.CreateTopicInput{Name: aws.String("ops"), Attributes: map[string]string{"DisplayName": "other"}})
	if msg := wantCode(t, err, "InvalidParameter"); msg != "Invalid parameter: Attributes Reason: Topic already exists with different attributes" {
		t.Fatalf("CreateTopic with other attributes: %q", msg)
	}
	topics, err := c.ListTopics(ctx, &snsapi.ListTopicsInput{})
	if err != nil || len(topics.Topics) != 1 || aws.ToString(topics.Topics[0].TopicArn) != arn {
		t.Fatalf("ListTopics %v %v", topics, err)
	}
	ga, err := c.GetTopicAttributes(ctx, &snsapi.GetTopicAttributesInput{TopicArn: aws.String(arn)})
	if err != nil || ga.Attributes["Owner"] != testAccount || !strings.Contains(ga.Attributes["Policy"], `"AWS:SourceOwner":"`+testAccount+`"`) ||
		ga.Attributes["SubscriptionsConfirmed"] != "0" || ga.Attributes["EffectiveDeliveryPolicy"] == "" {
		t.Fatalf("GetTopicAttributes %v %v", ga, err)
	}
	_, err = c.SetTopicAttributes(ctx, &snsapi.SetTopicAttributesInput{TopicArn: aws.String(arn), AttributeName: aws.String("DeliveryPolicy"),
		AttributeValue: aws.String(`{"http":{"defaultHealthyRetryPolicy":{"numRetries":500}}}`)})
	if msg := wantCode(t, err, "InvalidParameter"); msg != "Invalid parameter: DeliveryPolicy: http.defaultHealthyRetryPolicy.numRetries must be less than or equal to 100" {
		t.Fatalf("DeliveryPolicy: %q", msg)
	}
	missing := "arn:aws:sns:us-east-1:" + testAccount + ":missing"
	_, err = c.GetTopicAttributes(ctx, &snsapi.GetTopicAttributesInput{TopicArn: aws.String(missing)})
	if msg := wantCode(t, err, "NotFound"); msg != "Topic does not exist" {
		t.Fatalf("NotFound message %q", msg)
	}
	var nf *snstypes.NotFoundException
	if !errors.As(err, &nf) {
		t.Fatalf("the SDK does not see NotFoundException: %T", err)
	}
	_, err = c.Subscribe(ctx, &snsapi.SubscribeInput{TopicArn: aws.String(arn), Protocol: aws.String("smoke-signal"), Endpoint: aws.String("x")})
	if msg := wantCode(t, err, "InvalidParameter"); msg != "Invalid parameter: Amazon SNS does not support this protocol string: smoke-signal" {
		t.Fatalf("protocol %q", msg)
	}
	var ip *snstypes.InvalidParameterException
	if !errors.As(err, &ip) {
		t.Fatalf("the SDK does not see InvalidParameterException: %T", err)
	}
	_, err = c.Subscribe(ctx, &snsapi.SubscribeInput{TopicArn: aws.String(arn), Protocol: aws.String("https"), Endpoint: aws.String("http://x.test/")})
	if msg := wantCode(t, err, "InvalidParameter"); msg != "Invalid parameter: Endpoint must match the specified protocol" {
		t.Fatalf("endpoint %q", msg)
	}
	sub := newSubscriber(t)
	subOut, err := c.Subscribe(ctx, &snsapi.SubscribeInput{TopicArn: aws.String(arn), Protocol: aws.String("http"), Endpoint: aws.String(sub.URL),
		ReturnSubscriptionArn: true})
	if err != nil {
		t.Fatal(err)
	}
	token := sub.next(t).json(t)["Token"].(string)
	_, err = c.ConfirmSubscription(ctx, &snsapi.ConfirmSubscriptionInput{TopicArn: aws.String(arn), Token: aws.String("00" + token[2:])})
	if msg := wantCode(t, err, "InvalidParameter"); msg != "Invalid parameter: Token" {
		t.Fatalf("wrong token %q", msg)
	}
	conf, err := c.ConfirmSubscription(ctx, &snsapi.ConfirmSubscriptionInput{TopicArn: aws.String(arn), Token: aws.String(token),
		AuthenticateOnUnsubscribe: aws.String("true")})
	if err != nil || aws.ToString(conf.SubscriptionArn) != aws.ToString(subOut.SubscriptionArn) {
		t.Fatalf("ConfirmSubscription %v %v", conf, err)
	}
	subARN := aws.ToString(conf.SubscriptionArn)
	list, err := c.ListSubscriptions(ctx, &snsapi.ListSubscriptionsInput{})
	if err != nil || len(list.Subscriptions) != 1 || aws.ToString(list.Subscriptions[0].SubscriptionArn) != subARN ||
		aws.ToString(list.Subscriptions[0].Owner) != testAccount || aws.ToString(list.Subscriptions[0].Protocol) != "http" {
		t.Fatalf("ListSubscriptions %+v %v", list, err)
	}
	sa, err := c.GetSubscriptionAttributes(ctx, &snsapi.GetSubscriptionAttributesInput{SubscriptionArn: aws.String(subARN)})
	if err != nil || sa.Attributes["ConfirmationWasAuthenticated"] != "true" || sa.Attributes["TopicArn"] != arn {
		t.Fatalf("GetSubscriptionAttributes %v %v", sa, err)
	}
	if _, err := c.SetSubscriptionAttributes(ctx, &snsapi.SetSubscriptionAttributesInput{SubscriptionArn: aws.String(subARN),
		AttributeName: aws.String("DeliveryPolicy"), AttributeValue: aws.String(`{"healthyRetryPolicy":{"numRetries":5}}`)}); err != nil {
		t.Fatal(err)
	}
	pub, err := c.Publish(ctx, &snsapi.PublishInput{TopicArn: aws.String(arn), MessageStructure: aws.String("json"),
		Message: aws.String(`{"default":"fallback","http":"for http endpoints"}`)})
	if err != nil || len(aws.ToString(pub.MessageId)) != 36 {
		t.Fatalf("Publish %v %v", pub, err)
	}
	if got := sub.next(t).json(t); got["Message"] != "for http endpoints" {
		t.Fatalf("structured message %v", got)
	}
	_, err = c.Publish(ctx, &snsapi.PublishInput{TopicArn: aws.String(arn), Message: aws.String(strings.Repeat("x", 256<<10+1))})
	if msg := wantCode(t, err, "InvalidParameter"); msg != "Invalid parameter: Message too long" {
		t.Fatalf("too long %q", msg)
	}
	_, err = c.Publish(ctx, &snsapi.PublishInput{TopicArn: aws.String(missing), Message: aws.String("x")})
	wantCode(t, err, "NotFound")

	if _, err := c.TagResource(ctx, &snsapi.TagResourceInput{ResourceArn: aws.String(arn), Tags: []snstypes.Tag{
		{Key: aws.String("env"), Value: aws.String("prod")}, {Key: aws.String("tier"), Value: aws.String("1")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UntagResource(ctx, &snsapi.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"tier"}}); err != nil {
		t.Fatal(err)
	}
	tags, err := c.ListTagsForResource(ctx, &snsapi.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
	if err != nil || len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "env" {
		t.Fatalf("tags %v %v", tags, err)
	}
	_, err = c.ListTagsForResource(ctx, &snsapi.ListTagsForResourceInput{ResourceArn: aws.String(missing)})
	wantCode(t, err, "ResourceNotFound")

	if _, err := c.AddPermission(ctx, &snsapi.AddPermissionInput{TopicArn: aws.String(arn), Label: aws.String("partner"),
		AWSAccountId: []string{"444455556666"}, ActionName: []string{"Publish"}}); err != nil {
		t.Fatal(err)
	}
	_, err = c.AddPermission(ctx, &snsapi.AddPermissionInput{TopicArn: aws.String(arn), Label: aws.String("partner"),
		AWSAccountId: []string{"444455556666"}, ActionName: []string{"Publish"}})
	wantCode(t, err, "InvalidParameter")
	if _, err := c.RemovePermission(ctx, &snsapi.RemovePermissionInput{TopicArn: aws.String(arn), Label: aws.String("partner")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Unsubscribe(ctx, &snsapi.UnsubscribeInput{SubscriptionArn: aws.String(subARN)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteTopic(ctx, &snsapi.DeleteTopicInput{TopicArn: aws.String(arn)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteTopic(ctx, &snsapi.DeleteTopicInput{TopicArn: aws.String(arn)}); err != nil {
		t.Fatalf("DeleteTopic of a deleted topic: %v", err)
	}

	// Every management call is in the event history, the failed ones
	// with SNS's codes.
	ct := s.cloudtrail(s.root())
	for _, name := range []string{"CreateTopic", "ListTopics", "GetTopicAttributes", "SetTopicAttributes", "Subscribe", "ConfirmSubscription",
		"ListSubscriptions", "GetSubscriptionAttributes", "SetSubscriptionAttributes", "TagResource", "UntagResource",
		"ListTagsForResource", "AddPermission", "RemovePermission", "Unsubscribe", "DeleteTopic"} {
		recs := lookup(t, ct, cttypes.LookupAttributeKeyEventName, name)
		if len(recs) == 0 || recs[0].str("eventSource") != "sns.amazonaws.com" {
			t.Fatalf("no %s event", name)
		}
	}
	gets := lookup(t, ct, cttypes.LookupAttributeKeyEventName, "GetTopicAttributes")
	if len(gets) != 2 || gets[0].str("errorCode") != "NotFound" || gets[0].str("errorMessage") != "Topic does not exist" {
		t.Fatalf("GetTopicAttributes events %v", gets)
	}
	for _, r := range lookup(t, ct, cttypes.LookupAttributeKeyEventName, "ConfirmSubscription") {
		if r.str("requestParameters.topicArn") != arn || strings.Contains(fmt.Sprint(r), token[:40]) {
			t.Fatalf("ConfirmSubscription event %v", r)
		}
	}
	if pubs := dataEvents(t, s, testAccount, "Publish"); len(pubs) != 3 {
		t.Fatalf("%d Publish events, want 3", len(pubs))
	}
}

// An IAM user without permission and another account without a topic
// policy statement get AuthorizationError in SNS's words; AddPermission
// lets the other account publish.
func TestSNSAuthorization(t *testing.T) {
	s := startCairn(t)
	c := s.sns(s.root())
	arn := createSNSTopic(t, c, "guarded")
	alice := s.newUser(t, s.root(), "alice")
	_, err := s.sns(alice).Publish(ctx, &snsapi.PublishInput{TopicArn: aws.String(arn), Message: aws.String("hi")})
	msg := wantCode(t, err, "AuthorizationError")
	if want := "User: arn:aws:iam::" + testAccount + ":user/alice is not authorized to perform: SNS:Publish on resource: " + arn +
		" because no identity-based policy allows the SNS:Publish action"; msg != want {
		t.Fatalf("denial\n got %q\nwant %q", msg, want)
	}
	var ae *snstypes.AuthorizationErrorException
	if !errors.As(err, &ae) {
		t.Fatalf("the SDK does not see AuthorizationErrorException: %T", err)
	}
	s.putUserPolicy(t, s.root(), "alice", "publish", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sns:Publish","Resource":"`+arn+`"}]}`)
	if _, err := s.sns(alice).Publish(ctx, &snsapi.PublishInput{TopicArn: aws.String(arn), Message: aws.String("hi")}); err != nil {
		t.Fatalf("alice with a policy: %v", err)
	}

	member, memberAdmin := s.memberAccount(t)
	guest := s.sns(memberAdmin)
	_, err = guest.Publish(ctx, &snsapi.PublishInput{TopicArn: aws.String(arn), Message: aws.String("from the member")})
	msg = wantCode(t, err, "AuthorizationError")
	if !strings.HasSuffix(msg, "is not authorized to perform: SNS:Publish on resource: "+arn+" because no resource-based policy allows the SNS:Publish action") {
		t.Fatalf("cross-account denial %q", msg)
	}
	if _, err := c.AddPermission(ctx, &snsapi.AddPermissionInput{TopicArn: aws.String(arn), Label: aws.String("member-publish"),
		AWSAccountId: []string{member}, ActionName: []string{"Publish"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := guest.Publish(ctx, &snsapi.PublishInput{TopicArn: aws.String(arn), Message: aws.String("from the member")}); err != nil {
		t.Fatalf("member Publish after AddPermission: %v", err)
	}
	_, err = guest.GetTopicAttributes(ctx, &snsapi.GetTopicAttributesInput{TopicArn: aws.String(arn)})
	wantCode(t, err, "AuthorizationError")
	if _, err := c.RemovePermission(ctx, &snsapi.RemovePermissionInput{TopicArn: aws.String(arn), Label: aws.String("member-publish")}); err != nil {
		t.Fatal(err)
	}
	_, err = guest.Publish(ctx, &snsapi.PublishInput{TopicArn: aws.String(arn), Message: aws.String("again")})
	wantCode(t, err, "AuthorizationError")

	// The denied calls are recorded with SNS's code.
	denied := 0
	for _, r := range dataEvents(t, s, testAccount, "Publish") {
		if r.str("errorCode") == "AuthorizationError" {
			denied++
		}
	}
	if denied != 1 {
		t.Fatalf("%d denied Publish events in the owner's account (alice's), want 1", denied)
	}
	memberDenied := 0
	for _, r := range dataEvents(t, s, member, "Publish") {
		if r.str("errorCode") == "AuthorizationError" {
			memberDenied++
		}
	}
	if memberDenied != 2 {
		t.Fatalf("%d denied Publish events in the member account, want 2", memberDenied)
	}
}

// A failing endpoint is retried (AWS's default: 20 s later) while another
// subscriber is served at once; a delivery queued before a restart is
// made after it.
func TestSNSRetriesAndRestart(t *testing.T) {
	data := t.TempDir()
	s := startCairnIn(t, data)
	c := s.sns(s.root())
	arn := createSNSTopic(t, c, "retries")
	bad, good := newSubscriber(t), newSubscriber(t)
	s.subscribeHTTP(t, c, arn, bad, nil)
	s.subscribeHTTP(t, c, arn, good, nil)
	bad.status.Store(500)
	pub, err := c.Publish(ctx, &snsapi.PublishInput{TopicArn: aws.String(arn), Message: aws.String("first")})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(pub.MessageId)
	if m := good.next(t).json(t); m["MessageId"] != id {
		t.Fatalf("healthy subscriber got %v", m)
	}
	if m := bad.next(t).json(t); m["MessageId"] != id {
		t.Fatalf("failing subscriber got %v", m)
	}
	// The retry waits for the policy's 20 seconds: move the clock.
	retry := bad.nextAdvancing(t, s.clock, 21*time.Second).json(t)
	if retry["MessageId"] != id {
		t.Fatalf("retry %v", retry)
	}
	// It failed again: the next retry is queued. Restart with it queued.
	s.stop()
	bad.status.Store(200)
	s2 := startCairnIn(t, data)
	s2.clock.Advance(45 * time.Second)
	after := bad.next(t).json(t)
	if after["MessageId"] != id || after["Message"] != "first" {
		t.Fatalf("after the restart %v", after)
	}
	if err := verifySNSMessage(t, after, s2.endpoint); err != nil {
		t.Fatalf("signature after the restart: %v", err)
	}
	select {
	case d := <-good.got:
		t.Fatalf("the healthy subscriber got a second copy: %s", d.Body)
	default:
	}
}

func createSNSTopic(t *testing.T, c *snsapi.Client, name string) string {
	t.Helper()
	out, err := c.CreateTopic(ctx, &snsapi.CreateTopicInput{Name: aws.String(name)})
	if err != nil {
		t.Fatalf("CreateTopic %s: %v", name, err)
	}
	return aws.ToString(out.TopicArn)
}
