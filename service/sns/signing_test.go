package sns_test

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"strings"
	"testing"

	"github.com/cairnhq/cairn/service/sns"
)

// stringToSign builds the string AWS documents for verifying a message
// ("Verifying the signatures of Amazon SNS messages"), independently of
// the service's code: the listed members in order, "Name\nValue\n" each;
// Subject only when the message has one.
func stringToSign(m message) string {
	var names []string
	if m.str("Type") == "Notification" {
		names = []string{"Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"}
	} else {
		names = []string{"Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"}
	}
	var b strings.Builder
	for _, n := range names {
		v, ok := m[n].(string)
		if !ok {
			continue
		}
		b.WriteString(n + "\n" + v + "\n")
	}
	return b.String()
}

// verify checks a message as a subscriber does: the certificate named by
// SigningCertURL (served by the service), the algorithm its
// SignatureVersion names, the signature over the documented string.
func verify(t *testing.T, e *env, m message) error {
	t.Helper()
	name, certPEM, err := e.svc.SigningCertificate(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if m.str("SigningCertURL") != endpoint+"/_cairn/sns/"+name || !strings.HasPrefix(name, "SimpleNotificationService-") || !strings.HasSuffix(name, ".pem") {
		t.Fatalf("SigningCertURL %q, certificate %q", m.str("SigningCertURL"), name)
	}
	block, _ := pem.Decode(certPEM)
	if block == nil || block.Type != "CERTIFICATE" {
		t.Fatalf("certificate PEM %q", certPEM)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := base64.StdEncoding.DecodeString(m.str("Signature"))
	if err != nil {
		t.Fatalf("signature is not base64: %v", err)
	}
	alg := x509.SHA1WithRSA
	if m.str("SignatureVersion") == "2" {
		alg = x509.SHA256WithRSA
	}
	return cert.CheckSignature(alg, []byte(stringToSign(m)), sig)
}

func TestCanonicalStrings(t *testing.T) {
	got := sns.Canonical("Notification", "id-1", "", "hello\nworld", "2025-03-01T12:00:00.000Z", "arn:t", "", "")
	if want := "Message\nhello\nworld\nMessageId\nid-1\nTimestamp\n2025-03-01T12:00:00.000Z\nTopicArn\narn:t\nType\nNotification\n"; got != want {
		t.Fatalf("notification without subject:\n%q\n%q", got, want)
	}
	got = sns.Canonical("Notification", "id-1", "subj", "m", "ts", "arn:t", "", "")
	if want := "Message\nm\nMessageId\nid-1\nSubject\nsubj\nTimestamp\nts\nTopicArn\narn:t\nType\nNotification\n"; got != want {
		t.Fatalf("notification with subject:\n%q\n%q", got, want)
	}
	got = sns.Canonical("SubscriptionConfirmation", "id-2", "", "m", "ts", "arn:t", "tok", "https://x/?a")
	if want := "Message\nm\nMessageId\nid-2\nSubscribeURL\nhttps://x/?a\nTimestamp\nts\nToken\ntok\nTopicArn\narn:t\nType\nSubscriptionConfirmation\n"; got != want {
		t.Fatalf("confirmation:\n%q\n%q", got, want)
	}
}

// Confirmations and notifications carry AWS's headers and members and
// verify with crypto/x509 against the served certificate, SHA1withRSA for
// SignatureVersion 1 and SHA256withRSA for 2; a changed message does not.
func TestSignedMessages(t *testing.T) {
	e := newEnv(t)
	e.run()
	root := rootOf(acct)
	arn := e.createTopic(root, "signed")
	url := "http://hook.test/signed"
	must[sns.SubscribeOutput](e, root, "Subscribe", &sns.SubscribeInput{TopicArn: arn, Protocol: "http", Endpoint: &url})
	conf := e.poster.next(t)
	m := decode(t, conf.Body)
	wantHeaders := map[string]string{"x-amz-sns-message-type": "SubscriptionConfirmation", "x-amz-sns-message-id": m.str("MessageId"),
		"x-amz-sns-topic-arn": arn, "Content-Type": "text/plain; charset=UTF-8", "User-Agent": "Amazon Simple Notification Service Agent"}
	for k, v := range wantHeaders {
		if conf.Header[k] != v {
			t.Errorf("header %s = %q, want %q", k, conf.Header[k], v)
		}
	}
	if _, ok := conf.Header["x-amz-sns-subscription-arn"]; ok {
		t.Error("a confirmation names a subscription ARN")
	}
	token := m.str("Token")
	if m.str("Message") != "You have chosen to subscribe to the topic "+arn+".\nTo confirm the subscription, visit the SubscribeURL included in this message." ||
		m.str("SubscribeURL") != endpoint+"/?Action=ConfirmSubscription&TopicArn="+arn+"&Token="+token ||
		m.str("SignatureVersion") != "1" || m.str("Timestamp") != "2025-03-01T12:00:00.000Z" || m.str("TopicArn") != arn || len(m) != 10 {
		t.Fatalf("confirmation %v", m)
	}
	if err := verify(t, e, m); err != nil {
		t.Fatalf("confirmation signature: %v", err)
	}
	subARN := must[sns.ConfirmSubscriptionOutput](e, root, "ConfirmSubscription", &sns.ConfirmSubscriptionInput{TopicArn: arn, Token: token}).SubscriptionArn

	for _, version := range []string{"1", "2"} {
		must[sns.SetTopicAttributesOutput](e, root, "SetTopicAttributes", &sns.SetTopicAttributesInput{TopicArn: arn, AttributeName: "SignatureVersion", AttributeValue: str(version)})
		out := must[sns.PublishOutput](e, root, "Publish", &sns.PublishInput{TopicArn: &arn, Message: "order 42 shipped", Subject: str("Order update"),
			MessageAttributes: map[string]sns.MessageAttributeValue{
				"priority": {DataType: "Number", StringValue: str("7")},
				"blob":     {DataType: "Binary", BinaryValue: []byte{0, 1, 2}},
			}})
		got := e.poster.next(t)
		n := decode(t, got.Body)
		if got.Header["x-amz-sns-message-type"] != "Notification" || got.Header["x-amz-sns-subscription-arn"] != subARN ||
			got.Header["x-amz-sns-message-id"] != out.MessageId {
			t.Fatalf("notification headers %v", got.Header)
		}
		attrs, _ := n["MessageAttributes"].(map[string]any)
		prio, _ := attrs["priority"].(map[string]any)
		blob, _ := attrs["blob"].(map[string]any)
		if n.str("Type") != "Notification" || n.str("MessageId") != out.MessageId || n.str("Subject") != "Order update" ||
			n.str("Message") != "order 42 shipped" || n.str("SignatureVersion") != version ||
			n.str("UnsubscribeURL") != endpoint+"/?Action=Unsubscribe&SubscriptionArn="+subARN ||
			prio["Type"] != "Number" || prio["Value"] != "7" || blob["Type"] != "Binary" || blob["Value"] != "AAEC" {
			t.Fatalf("notification %v", n)
		}
		if err := verify(t, e, n); err != nil {
			t.Fatalf("SignatureVersion %s: %v", version, err)
		}
		n["Message"] = "order 43 shipped"
		if verify(t, e, n) == nil {
			t.Fatalf("SignatureVersion %s: a changed message verified", version)
		}
	}
	// Without a subject the string to sign leaves it out.
	must[sns.PublishOutput](e, root, "Publish", &sns.PublishInput{TopicArn: &arn, Message: "no subject"})
	n := decode(t, e.poster.next(t).Body)
	if _, has := n["Subject"]; has {
		t.Fatalf("Subject member without a subject: %v", n)
	}
	if err := verify(t, e, n); err != nil {
		t.Fatalf("notification without subject: %v", err)
	}
}

// Raw message delivery posts the message itself; MessageStructure json
// picks the protocol's message.
func TestRawDeliveryAndMessageStructure(t *testing.T) {
	e := newEnv(t)
	e.run()
	root := rootOf(acct)
	arn := e.createTopic(root, "raw")
	rawURL := "http://hook.test/raw"
	e.subscribeConfirmed(arn, rawURL, map[string]string{"RawMessageDelivery": "true"})
	must[sns.PublishOutput](e, root, "Publish", &sns.PublishInput{TopicArn: &arn, Message: `{"order":42}`})
	got := e.poster.next(t)
	if string(got.Body) != `{"order":42}` || got.Header["x-amz-sns-rawdelivery"] != "true" || got.Header["x-amz-sns-message-type"] != "Notification" {
		t.Fatalf("raw delivery %v %s", got.Header, got.Body)
	}
	structured := `{"default":"plain","http":"for http","email":"for email"}`
	must[sns.PublishOutput](e, root, "Publish", &sns.PublishInput{TopicArn: &arn, Message: structured, MessageStructure: str("json")})
	if got := e.poster.next(t); string(got.Body) != "for http" {
		t.Fatalf("structured message to http: %s", got.Body)
	}
	for _, c := range []struct{ msg, want string }{
		{`not json`, "Invalid parameter: Message Structure - JSON message body failed to parse"},
		{`{"http":"x"}`, "Invalid parameter: Message Structure - No default entry in JSON message body"},
	} {
		_, err := e.do(root, "Publish", &sns.PublishInput{TopicArn: &arn, Message: c.msg, MessageStructure: str("json")})
		if ce := wantCode(t, err, "InvalidParameter"); ce.Message != c.want {
			t.Fatalf("%s: %q", c.msg, ce.Message)
		}
	}
}
