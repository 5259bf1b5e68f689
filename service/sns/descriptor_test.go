package sns_test

import (
	"os/exec"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/audit"
	"github.com/cairnhq/cairn/botocoretest"
	"github.com/cairnhq/cairn/service/sns"
)

// opTypes returns the input and output types of a row: New gives the
// input; the output type comes from the handler's method.
func opTypes(t *testing.T, svc *sns.Service, op *cairn.Operation) (in, out reflect.Type) {
	t.Helper()
	in = reflect.TypeOf(op.New()).Elem()
	m := reflect.ValueOf(svc).MethodByName(op.Name)
	if !m.IsValid() {
		t.Fatalf("%s: no handler method", op.Name)
	}
	return in, m.Type().Out(0).Elem()
}

// listings are authorized on "*" (AWS: no resource type).
var listings = []string{"ListTopics", "ListSubscriptions"}

// secrets are members never to be recorded: the confirmation token (a
// credential) and message content (customer data).
var secrets = []string{"Token", "Message", "Subject", "MessageAttributes"}

func TestDescriptorRowsAreComplete(t *testing.T) {
	e := newEnv(t)
	d := e.svc.Descriptor()
	if d.Name != "sns" || d.EventSource != "sns.amazonaws.com" || d.Global {
		t.Fatalf("service header %+v", d)
	}
	if len(d.Operations) != 18 {
		t.Fatalf("%d operations", len(d.Operations))
	}
	seen := map[string]bool{}
	for i := range d.Operations {
		op := &d.Operations[i]
		t.Run(op.Name, func(t *testing.T) {
			if seen[op.Name] {
				t.Fatal("duplicate row")
			}
			seen[op.Name] = true
			if op.Action != "sns:"+op.Name {
				t.Errorf("Action %q", op.Action)
			}
			if op.New == nil || op.Invoke == nil {
				t.Fatal("not bound with cairn.Define")
			}
			readOnly := strings.HasPrefix(op.Name, "Get") || strings.HasPrefix(op.Name, "List")
			if op.ReadOnly != readOnly || op.AlwaysAllowed || op.Data != (op.Name == "Publish") {
				t.Errorf("ReadOnly %v AlwaysAllowed %v Data %v", op.ReadOnly, op.AlwaysAllowed, op.Data)
			}
			if (op.Resources == nil) != slices.Contains(listings, op.Name) {
				t.Errorf("Resources set: %v", op.Resources != nil)
			}
			in, out := opTypes(t, e.svc, op)
			if in.NumField() > 0 && len(op.Request) == 0 && op.Parameters == nil {
				t.Error("no Request allow-list")
			}
			for _, p := range op.Request {
				if slices.Contains(secrets, strings.Split(p, ".")[0]) {
					t.Errorf("Request records %s", p)
				}
				if _, ok := in.FieldByName(strings.Split(p, ".")[0]); !ok {
					t.Errorf("Request names %s, which %s lacks", p, in.Name())
				}
			}
			switch {
			case op.ReadOnly && len(op.Response) > 0:
				t.Error("read-only call records response elements")
			case !op.ReadOnly && exported(out) > 0 && len(op.Response) == 0:
				t.Error("no Response allow-list")
			}
		})
	}
}

func exported(t reflect.Type) int {
	n := 0
	for i := 0; i < t.NumField(); i++ {
		if t.Field(i).IsExported() {
			n++
		}
	}
	return n
}

// Publish's event names the topic, never the message, subject or
// attribute values; Subscribe's masks an endpoint's password;
// ConfirmSubscription's leaves the token out.
func TestEventsRecordNoSecrets(t *testing.T) {
	e := newEnv(t)
	d := e.svc.Descriptor()
	c := e.call(rootOf(acct), "Publish")
	arn := "arn:aws:sns:us-east-1:" + acct + ":t"
	entry := func(name string, in, out any) string {
		t.Helper()
		ev, err := audit.Build(&audit.Entry{Call: c, Service: d, Op: d.Op(name), OpName: name, Input: in, Output: out, EventID: "e", Region: region})
		if err != nil {
			t.Fatal(err)
		}
		return string(ev.Record)
	}
	rec := entry("Publish", &sns.PublishInput{TopicArn: &arn, Message: "card 4111-1111", Subject: str("secret subject"),
		MessageAttributes: map[string]sns.MessageAttributeValue{"pin": {DataType: "String", StringValue: str("pin-77x31")}}},
		&sns.PublishOutput{MessageId: "mid"})
	for _, secret := range []string{"4111", "secret subject", "pin-77x31"} {
		if strings.Contains(rec, secret) {
			t.Fatalf("Publish event holds %q: %s", secret, rec)
		}
	}
	if !strings.Contains(rec, `"topicArn":"`+arn+`"`) || !strings.Contains(rec, `"message":"HIDDEN_DUE_TO_SECURITY_REASONS"`) ||
		!strings.Contains(rec, `"responseElements":{"messageId":"mid"}`) || !strings.Contains(rec, `"eventCategory":"Data"`) {
		t.Fatalf("Publish event %s", rec)
	}
	ep := "https://user:hunter2@hook.test/x"
	rec = entry("Subscribe", &sns.SubscribeInput{TopicArn: arn, Protocol: "https", Endpoint: &ep}, &sns.SubscribeOutput{SubscriptionArn: "pending confirmation"})
	if strings.Contains(rec, "hunter2") || !strings.Contains(rec, `"endpoint":"https://user:****@hook.test/x"`) {
		t.Fatalf("Subscribe event %s", rec)
	}
	token := strings.Repeat("ab", 144)
	rec = entry("ConfirmSubscription", &sns.ConfirmSubscriptionInput{TopicArn: arn, Token: token}, &sns.ConfirmSubscriptionOutput{SubscriptionArn: arn + ":x"})
	if strings.Contains(rec, token) {
		t.Fatalf("ConfirmSubscription event holds the token: %s", rec)
	}
}

// The service knows no wire: it imports neither net/http, encoding/xml
// nor an adapter.
func TestImports(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		switch {
		case dep == "net/http", dep == "encoding/xml",
			strings.HasPrefix(dep, "github.com/cairnhq/cairn/") && (strings.HasSuffix(dep, "/restxml") || strings.HasSuffix(dep, "/server") ||
				strings.HasSuffix(dep, "/awsjson") || strings.HasSuffix(dep, "/awsquery") || strings.HasSuffix(dep, "/sigv4")):
			t.Errorf("service/sns depends on %s", dep)
		}
	}
}

// TestShapesMatchBotocore checks every exported field of every input and
// output against the botocore SNS model: the member exists and the Go
// type fits its shape; inputs carry every member, so that no parameter a
// client sends is dropped.
func TestShapesMatchBotocore(t *testing.T) {
	m := botocoretest.Load(t, "sns", "2010-03-31")
	e := newEnv(t)
	m.CheckOperations(t, e.svc.Descriptor(), func(op *cairn.Operation) (reflect.Type, reflect.Type) { return opTypes(t, e.svc, op) }, false)
}
