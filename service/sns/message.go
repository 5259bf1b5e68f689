package sns

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"
)

// The messages SNS posts to HTTP/S endpoints, as the developer guide's
// "Parsing message formats" pages show them: a JSON document (unless the
// subscription asks for raw delivery of notifications), signed over AWS's
// canonical string, with the x-amz-sns-* headers.

// Message types (the Type member and x-amz-sns-message-type).
const (
	typeNotification             = "Notification"
	typeSubscriptionConfirmation = "SubscriptionConfirmation"
	typeUnsubscribeConfirmation  = "UnsubscribeConfirmation"
)

// timestampLayout is the Timestamp of messages: UTC with milliseconds.
const timestampLayout = "2006-01-02T15:04:05.000Z"

// userAgent is the User-Agent of SNS's deliveries.
const userAgent = "Amazon Simple Notification Service Agent"

// envelope is a message document. Field order is AWS's.
type envelope struct {
	Type              string
	MessageId         string
	Token             string `json:",omitempty"`
	TopicArn          string
	Subject           string `json:",omitempty"`
	Message           string
	SubscribeURL      string `json:",omitempty"`
	Timestamp         string
	SignatureVersion  string
	Signature         string
	SigningCertURL    string
	UnsubscribeURL    string                 `json:",omitempty"`
	MessageAttributes map[string]messageAttr `json:",omitempty"`
}

// messageAttr is a message attribute as notifications carry it.
type messageAttr struct {
	Type  string
	Value string
}

// canonical is the string SNS signs [aws]: each member's name and value
// on lines of their own, in this order; a notification's Subject only when
// it has one.
func canonical(e *envelope) string {
	var b strings.Builder
	add := func(name, value string) {
		b.WriteString(name)
		b.WriteByte('\n')
		b.WriteString(value)
		b.WriteByte('\n')
	}
	add("Message", e.Message)
	add("MessageId", e.MessageId)
	if e.Type == typeNotification {
		if e.Subject != "" {
			add("Subject", e.Subject)
		}
		add("Timestamp", e.Timestamp)
		add("TopicArn", e.TopicArn)
		add("Type", e.Type)
		return b.String()
	}
	add("SubscribeURL", e.SubscribeURL)
	add("Timestamp", e.Timestamp)
	add("Token", e.Token)
	add("TopicArn", e.TopicArn)
	add("Type", e.Type)
	return b.String()
}

// payload is what one queued delivery posts.
type payload struct {
	Header map[string]string
	Body   []byte
}

// subscribeURL is a confirmation's SubscribeURL: the unsigned
// ConfirmSubscription call Cairn serves, as AWS's link is.
func (s *Service) subscribeURL(topicARN, token string) string {
	return s.cfg.Endpoint + "/?Action=ConfirmSubscription&TopicArn=" + topicARN + "&Token=" + token
}

// unsubscribeURL is a notification's UnsubscribeURL.
func (s *Service) unsubscribeURL(subARN string) string {
	return s.cfg.Endpoint + "/?Action=Unsubscribe&SubscriptionArn=" + subARN
}

// signed signs e with k and renders the delivery: the JSON document and
// the headers of its type.
func signed(k *signer, e *envelope, subARN, contentType string) (payload, error) {
	sig, err := k.sign(e.SignatureVersion, canonical(e))
	if err != nil {
		return payload{}, err
	}
	e.Signature = sig
	body, err := marshalCompact(e)
	if err != nil {
		return payload{}, errorf("render a message: %w", err)
	}
	h := messageHeaders(e.Type, e.MessageId, e.TopicArn, contentType)
	if e.Type != typeSubscriptionConfirmation {
		h["x-amz-sns-subscription-arn"] = subARN
	}
	return payload{Header: h, Body: body}, nil
}

func messageHeaders(typ, id, topicARN, contentType string) map[string]string {
	return map[string]string{
		"Content-Type":           contentType,
		"User-Agent":             userAgent,
		"x-amz-sns-message-type": typ,
		"x-amz-sns-message-id":   id,
		"x-amz-sns-topic-arn":    topicARN,
	}
}

// notificationAttributes renders message attributes for a notification
// document: binary values in base64.
func notificationAttributes(attrs map[string]MessageAttributeValue) map[string]messageAttr {
	if len(attrs) == 0 {
		return nil
	}
	out := make(map[string]messageAttr, len(attrs))
	for name, a := range attrs {
		v := ""
		if strings.HasPrefix(a.DataType, "Binary") {
			v = base64.StdEncoding.EncodeToString(a.BinaryValue)
		} else if a.StringValue != nil {
			v = *a.StringValue
		}
		out[name] = messageAttr{Type: a.DataType, Value: v}
	}
	return out
}

// contentFor is the message a subscriber of protocol receives: with
// MessageStructure json, the member named by the protocol, else
// "default".
func contentFor(message string, structured map[string]string, protocol string) string {
	if structured == nil {
		return message
	}
	if m, ok := structured[protocol]; ok {
		return m
	}
	return structured["default"]
}

// parseStructure reads a MessageStructure json message [aws]: a JSON
// object with a "default" string; members that are not strings are
// ignored.
func parseStructure(message string) (map[string]string, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(message), &raw); err != nil || raw == nil {
		return nil, invalid("Message Structure - JSON message body failed to parse")
	}
	out := make(map[string]string, len(raw))
	for k, v := range raw {
		var s string
		if json.Unmarshal(v, &s) == nil {
			out[k] = s
		}
	}
	if _, ok := out["default"]; !ok {
		return nil, invalid("Message Structure - No default entry in JSON message body")
	}
	return out, nil
}

func timestamp(t time.Time) string { return t.UTC().Format(timestampLayout) }
