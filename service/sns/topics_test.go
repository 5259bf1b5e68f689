package sns_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cairnhq/cairn/service/sns"
)

// The default topic policy, exactly as AWS creates it.
func TestDefaultTopicPolicy(t *testing.T) {
	e := newEnv(t)
	arn := e.createTopic(rootOf(acct), "orders")
	if arn != "arn:aws:sns:us-east-1:"+acct+":orders" {
		t.Fatalf("ARN %s", arn)
	}
	want := `{"Version":"2008-10-17","Id":"__default_policy_ID","Statement":[{"Sid":"__default_statement_ID","Effect":"Allow",` +
		`"Principal":{"AWS":"*"},"Action":["SNS:GetTopicAttributes","SNS:SetTopicAttributes","SNS:AddPermission",` +
		`"SNS:RemovePermission","SNS:DeleteTopic","SNS:Subscribe","SNS:ListSubscriptionsByTopic","SNS:Publish"],` +
		`"Resource":"` + arn + `","Condition":{"StringEquals":{"AWS:SourceOwner":"` + acct + `"}}}]}`
	attrs := e.attributes(arn)
	if attrs["Policy"] != want {
		t.Fatalf("default policy\n got %s\nwant %s", attrs["Policy"], want)
	}
	wantAttrs := map[string]string{
		"TopicArn": arn, "Owner": acct, "DisplayName": "", "SubscriptionsConfirmed": "0", "SubscriptionsPending": "0",
		"SubscriptionsDeleted": "0", "SignatureVersion": "1",
		"EffectiveDeliveryPolicy": `{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,` +
			`"numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},` +
			`"disableSubscriptionOverrides":false,"defaultRequestPolicy":{"headerContentType":"text/plain; charset=UTF-8"}}}`,
	}
	for k, v := range wantAttrs {
		if attrs[k] != v {
			t.Errorf("%s = %q, want %q", k, attrs[k], v)
		}
	}
	if _, ok := attrs["DeliveryPolicy"]; ok {
		t.Error("DeliveryPolicy shown though never set")
	}
}

// CreateTopic is idempotent for the same name and attributes, and refuses
// other attributes or tags with AWS's messages.
func TestCreateTopicIdempotence(t *testing.T) {
	e := newEnv(t)
	root := rootOf(acct)
	in := &sns.CreateTopicInput{Name: "t", Attributes: map[string]string{"DisplayName": "Shop"}, Tags: []sns.Tag{{Key: "team", Value: "blue"}}}
	a := must[sns.CreateTopicOutput](e, root, "CreateTopic", in).TopicArn
	b := must[sns.CreateTopicOutput](e, root, "CreateTopic", in).TopicArn
	if a != b {
		t.Fatalf("second CreateTopic made %s, first %s", b, a)
	}
	// Fewer attributes is the same topic too.
	must[sns.CreateTopicOutput](e, root, "CreateTopic", &sns.CreateTopicInput{Name: "t"})
	_, err := e.do(root, "CreateTopic", &sns.CreateTopicInput{Name: "t", Attributes: map[string]string{"DisplayName": "Other"}})
	if ce := wantCode(t, err, "InvalidParameter"); ce.Message != "Invalid parameter: Attributes Reason: Topic already exists with different attributes" {
		t.Fatalf("message %q", ce.Message)
	}
	_, err = e.do(root, "CreateTopic", &sns.CreateTopicInput{Name: "t", Tags: []sns.Tag{{Key: "team", Value: "red"}}})
	if ce := wantCode(t, err, "InvalidParameter"); ce.Message != "Invalid parameter: Tags Reason: Topic already exists with different tags" {
		t.Fatalf("message %q", ce.Message)
	}
	if got := e.attributes(a)["DisplayName"]; got != "Shop" {
		t.Fatalf("DisplayName %q after refused creates", got)
	}
	for _, bad := range []string{"has space", "dot.name", strings.Repeat("x", 257), "ünï"} {
		_, err := e.do(root, "CreateTopic", &sns.CreateTopicInput{Name: bad})
		if ce := wantCode(t, err, "InvalidParameter"); ce.Message != "Invalid parameter: Topic Name" {
			t.Fatalf("%q: %q", bad, ce.Message)
		}
	}
	_, err = e.do(root, "CreateTopic", &sns.CreateTopicInput{Name: "f", Attributes: map[string]string{"FifoTopic": "true"}})
	wantCode(t, err, "InvalidParameter")
	_, err = e.do(root, "CreateTopic", &sns.CreateTopicInput{Name: "u", Attributes: map[string]string{"Nope": "1"}})
	if ce := wantCode(t, err, "InvalidParameter"); ce.Message != "Invalid parameter: AttributeName" {
		t.Fatalf("unknown attribute: %q", ce.Message)
	}
	if got := must[sns.ListTopicsOutput](e, root, "ListTopics", &sns.ListTopicsInput{}).Topics; len(got) != 1 {
		t.Fatalf("refused creates left topics: %v", got)
	}
}

// SetTopicAttributes validates each attribute; a refused value changes
// nothing.
func TestSetTopicAttributes(t *testing.T) {
	e := newEnv(t)
	root := rootOf(acct)
	arn := e.createTopic(root, "t")
	set := func(name, value string) error {
		_, err := e.do(root, "SetTopicAttributes", &sns.SetTopicAttributesInput{TopicArn: arn, AttributeName: name, AttributeValue: &value})
		return err
	}
	before := e.attributes(arn)
	for _, c := range []struct{ name, value, msg string }{
		{"Policy", `{"Version":"2012-10-17"`, ""},
		{"Policy", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}`,
			"Invalid parameter: Policy Error: Policy statement action out of service scope!"},
		{"Policy", "", "Invalid parameter: Policy Error: null"},
		{"DeliveryPolicy", `{"http":{"defaultHealthyRetryPolicy":{"numRetries":101}}}`,
			"Invalid parameter: DeliveryPolicy: http.defaultHealthyRetryPolicy.numRetries must be less than or equal to 100"},
		{"DeliveryPolicy", `{"http":{"throttlePolicy":{}}}`, "Invalid parameter: DeliveryPolicy: Unexpected JSON member: throttlePolicy"},
		{"DeliveryPolicy", `not json`, "Invalid parameter: DeliveryPolicy: failed to parse JSON"},
		{"SignatureVersion", "3", "Invalid parameter: SignatureVersion"},
		{"FifoTopic", "true", "Invalid parameter: AttributeName"},
		{"Bogus", "x", "Invalid parameter: AttributeName"},
	} {
		ce := wantCode(t, set(c.name, c.value), "InvalidParameter")
		if c.msg != "" && ce.Message != c.msg {
			t.Errorf("%s=%s: %q, want %q", c.name, c.value, ce.Message, c.msg)
		}
	}
	if after := e.attributes(arn); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Fatalf("refused values changed the topic:\n%v\n%v", before, after)
	}
	policy := `{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":1,"maxDelayTarget":5,"numRetries":4,"backoffFunction":"exponential"},"disableSubscriptionOverrides":true}}`
	for _, kv := range [][2]string{{"DisplayName", "Shop"}, {"SignatureVersion", "2"}, {"DeliveryPolicy", policy}} {
		if err := set(kv[0], kv[1]); err != nil {
			t.Fatalf("%s: %v", kv[0], err)
		}
	}
	attrs := e.attributes(arn)
	if attrs["DisplayName"] != "Shop" || attrs["SignatureVersion"] != "2" || attrs["DeliveryPolicy"] != policy ||
		!strings.Contains(attrs["EffectiveDeliveryPolicy"], `"minDelayTarget":1,"maxDelayTarget":5,"numRetries":4,"numMaxDelayRetries":0,`+
			`"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"exponential"},"disableSubscriptionOverrides":true`) {
		t.Fatalf("attributes %v", attrs)
	}
	_, err := e.do(root, "GetTopicAttributes", &sns.GetTopicAttributesInput{TopicArn: "arn:aws:sns:us-east-1:" + acct + ":nope"})
	if ce := wantCode(t, err, "NotFound"); ce.Message != "Topic does not exist" || ce.Status != 404 {
		t.Fatalf("NotFound %+v", ce)
	}
	_, err = e.do(root, "GetTopicAttributes", &sns.GetTopicAttributesInput{TopicArn: "arn:aws:sns:eu-west-1:" + acct + ":t"})
	if ce := wantCode(t, err, "InvalidParameter"); ce.Message != "Invalid parameter: TopicArn" {
		t.Fatalf("another region: %q", ce.Message)
	}
	_, err = e.do(root, "GetTopicAttributes", &sns.GetTopicAttributesInput{})
	wantCode(t, err, "ValidationError")
}

// ListTopics pages by 100; DeleteTopic is idempotent and takes the
// topic's subscriptions with it.
func TestListAndDeleteTopics(t *testing.T) {
	e := newEnv(t)
	root := rootOf(acct)
	for i := 0; i < 105; i++ {
		e.createTopic(root, fmt.Sprintf("t%03d", i))
	}
	e.createTopic(rootOf(other), "elsewhere")
	page := must[sns.ListTopicsOutput](e, root, "ListTopics", &sns.ListTopicsInput{})
	if len(page.Topics) != 100 || page.NextToken == nil || page.Topics[0].TopicArn != "arn:aws:sns:us-east-1:"+acct+":t000" {
		t.Fatalf("page 1: %d topics, token %v", len(page.Topics), page.NextToken)
	}
	page2 := must[sns.ListTopicsOutput](e, root, "ListTopics", &sns.ListTopicsInput{NextToken: page.NextToken})
	if len(page2.Topics) != 5 || page2.NextToken != nil || page2.Topics[4].TopicArn != "arn:aws:sns:us-east-1:"+acct+":t104" {
		t.Fatalf("page 2: %v %v", page2.Topics, page2.NextToken)
	}
	_, err := e.do(root, "ListTopics", &sns.ListTopicsInput{NextToken: str("garbage!")})
	wantCode(t, err, "InvalidParameter")

	arn := "arn:aws:sns:us-east-1:" + acct + ":t000"
	url := "http://sub.test/x"
	must[sns.SubscribeOutput](e, root, "Subscribe", &sns.SubscribeInput{TopicArn: arn, Protocol: "http", Endpoint: &url})
	must[sns.DeleteTopicOutput](e, root, "DeleteTopic", &sns.DeleteTopicInput{TopicArn: arn})
	must[sns.DeleteTopicOutput](e, root, "DeleteTopic", &sns.DeleteTopicInput{TopicArn: arn})
	if subs := must[sns.ListSubscriptionsOutput](e, root, "ListSubscriptions", &sns.ListSubscriptionsInput{}).Subscriptions; len(subs) != 0 {
		t.Fatalf("subscriptions of a deleted topic: %v", subs)
	}
	_, err = e.do(root, "GetTopicAttributes", &sns.GetTopicAttributesInput{TopicArn: arn})
	wantCode(t, err, "NotFound")
}

func TestTags(t *testing.T) {
	e := newEnv(t)
	root := rootOf(acct)
	arn := e.createTopic(root, "t")
	must[sns.TagResourceOutput](e, root, "TagResource", &sns.TagResourceInput{ResourceArn: arn, Tags: []sns.Tag{{Key: "a", Value: "1"}, {Key: "b", Value: "2"}}})
	must[sns.TagResourceOutput](e, root, "TagResource", &sns.TagResourceInput{ResourceArn: arn, Tags: []sns.Tag{{Key: "a", Value: "3"}}})
	must[sns.UntagResourceOutput](e, root, "UntagResource", &sns.UntagResourceInput{ResourceArn: arn, TagKeys: []string{"b", "zz"}})
	tags := must[sns.ListTagsForResourceOutput](e, root, "ListTagsForResource", &sns.ListTagsForResourceInput{ResourceArn: arn}).Tags
	if len(tags) != 1 || tags[0] != (sns.Tag{Key: "a", Value: "3"}) {
		t.Fatalf("tags %v", tags)
	}
	_, err := e.do(root, "TagResource", &sns.TagResourceInput{ResourceArn: arn, Tags: []sns.Tag{{Key: "x", Value: "1"}, {Key: "x", Value: "2"}}})
	if ce := wantCode(t, err, "InvalidParameter"); ce.Message != "Invalid parameter: Duplicated keys are not allowed." {
		t.Fatalf("duplicates: %q", ce.Message)
	}
	many := make([]sns.Tag, 50)
	for i := range many {
		many[i] = sns.Tag{Key: fmt.Sprint("k", i), Value: "v"}
	}
	_, err = e.do(root, "TagResource", &sns.TagResourceInput{ResourceArn: arn, Tags: many})
	wantCode(t, err, "TagLimitExceeded")
	_, err = e.do(root, "ListTagsForResource", &sns.ListTagsForResourceInput{ResourceArn: "arn:aws:sns:us-east-1:" + acct + ":gone"})
	wantCode(t, err, "ResourceNotFound")
	if tags := must[sns.ListTagsForResourceOutput](e, root, "ListTagsForResource", &sns.ListTagsForResourceInput{ResourceArn: arn}).Tags; len(tags) != 1 {
		t.Fatalf("a refused TagResource changed the tags: %v", tags)
	}
}
