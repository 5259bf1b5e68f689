package sns_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/service/sns"
)

const publishAll = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sns:*","Resource":"*"}]}`

// Within the account, identity policies decide: the default topic policy
// grants IAM principals nothing on its own (its AWS:SourceOwner condition
// holds only for AWS services acting for the account), as on AWS.
func TestIdentityPoliciesDecideAtHome(t *testing.T) {
	e := newEnv(t)
	arn := e.createTopic(rootOf(acct), "t")
	alice := user(acct, "alice")
	pub := &sns.PublishInput{TopicArn: &arn, Message: "hi"}
	_, err := e.do(alice, "Publish", pub)
	ce := wantCode(t, err, "AccessDenied")
	want := "User: " + alice.ARN + " is not authorized to perform: sns:Publish on resource: " + arn +
		" because no identity-based policy allows the sns:Publish action"
	if ce.Message != want {
		t.Fatalf("denial\n got %q\nwant %q", ce.Message, want)
	}
	e.ids[alice.ARN] = []string{publishAll}
	must[sns.PublishOutput](e, alice, "Publish", pub)
	// An explicit deny in the topic policy wins over her identity policy.
	deny := `{"Version":"2012-10-17","Statement":[{"Sid":"no","Effect":"Deny","Principal":{"AWS":"` + alice.ARN + `"},"Action":"SNS:Publish","Resource":"` + arn + `"}]}`
	must[sns.SetTopicAttributesOutput](e, rootOf(acct), "SetTopicAttributes", &sns.SetTopicAttributesInput{TopicArn: arn, AttributeName: "Policy", AttributeValue: &deny})
	_, err = e.do(alice, "Publish", pub)
	if ce := wantCode(t, err, "AccessDenied"); !strings.Contains(ce.Message, "with an explicit deny in a resource-based policy") {
		t.Fatalf("explicit deny %q", ce.Message)
	}
	// A topic in the account that does not exist: NotFound for a caller
	// whose identity policy allows.
	missing := "arn:aws:sns:us-east-1:" + acct + ":missing"
	_, err = e.do(alice, "Publish", &sns.PublishInput{TopicArn: &missing, Message: "hi"})
	wantCode(t, err, "NotFound")
}

// Across accounts the topic policy must allow: AddPermission grants as AWS
// writes it, RemovePermission takes it back.
func TestCrossAccountThroughTopicPolicy(t *testing.T) {
	e := newEnv(t)
	root := rootOf(acct)
	arn := e.createTopic(root, "shared")
	guest := rootOf(other)
	pub := &sns.PublishInput{TopicArn: &arn, Message: "hello"}
	_, err := e.do(guest, "Publish", pub)
	ce := wantCode(t, err, "AccessDenied")
	if want := "User: " + guest.ARN + " is not authorized to perform: sns:Publish on resource: " + arn +
		" because no resource-based policy allows the sns:Publish action"; ce.Message != want {
		t.Fatalf("denial\n got %q\nwant %q", ce.Message, want)
	}
	// Nothing about a topic of another account leaks: one that does not
	// exist is denied the same way.
	missing := "arn:aws:sns:us-east-1:" + acct + ":missing"
	_, err = e.do(guest, "Publish", &sns.PublishInput{TopicArn: &missing, Message: "x"})
	wantCode(t, err, "AccessDenied")

	must[sns.AddPermissionOutput](e, root, "AddPermission", &sns.AddPermissionInput{TopicArn: arn, Label: "guest-publish",
		AWSAccountId: []string{other}, ActionName: []string{"Publish"}})
	stmt := `{"Sid":"guest-publish","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + other + `:root"},"Action":"SNS:Publish","Resource":"` + arn + `"}`
	if pol := e.attributes(arn)["Policy"]; !strings.HasSuffix(pol, ","+stmt+"]}") || !strings.Contains(pol, "__default_statement_ID") {
		t.Fatalf("policy after AddPermission: %s", pol)
	}
	out := must[sns.PublishOutput](e, guest, "Publish", pub)
	if len(out.MessageId) != 36 {
		t.Fatalf("MessageId %q", out.MessageId)
	}
	// Only what was granted, and the guest account's users still need
	// their own identity policies.
	_, err = e.do(guest, "GetTopicAttributes", &sns.GetTopicAttributesInput{TopicArn: arn})
	wantCode(t, err, "AccessDenied")
	bob := user(other, "bob")
	_, err = e.do(bob, "Publish", pub)
	if ce := wantCode(t, err, "AccessDenied"); !strings.Contains(ce.Message, "because no identity-based policy allows") {
		t.Fatalf("guest user without identity policy: %q", ce.Message)
	}
	e.ids[bob.ARN] = []string{publishAll}
	must[sns.PublishOutput](e, bob, "Publish", pub)

	// Several accounts and actions: lists, as AWS writes them.
	third := "333333333333"
	must[sns.AddPermissionOutput](e, root, "AddPermission", &sns.AddPermissionInput{TopicArn: arn, Label: "two",
		AWSAccountId: []string{other, third}, ActionName: []string{"Publish", "Subscribe"}})
	if pol := e.attributes(arn)["Policy"]; !strings.Contains(pol, `"Principal":{"AWS":["arn:aws:iam::`+other+`:root","arn:aws:iam::`+third+`:root"]},"Action":["SNS:Publish","SNS:Subscribe"]`) {
		t.Fatalf("policy with lists: %s", pol)
	}
	_, err = e.do(root, "AddPermission", &sns.AddPermissionInput{TopicArn: arn, Label: "two", AWSAccountId: []string{third}, ActionName: []string{"Publish"}})
	if ce := wantCode(t, err, "InvalidParameter"); ce.Message != "Invalid parameter: Statement already exists" {
		t.Fatalf("duplicate label %q", ce.Message)
	}
	_, err = e.do(root, "AddPermission", &sns.AddPermissionInput{TopicArn: arn, Label: "x", AWSAccountId: []string{third}, ActionName: []string{"CreateTopic"}})
	if ce := wantCode(t, err, "InvalidParameter"); ce.Message != "Invalid parameter: Policy statement action out of service scope!" {
		t.Fatalf("bad action %q", ce.Message)
	}

	must[sns.RemovePermissionOutput](e, root, "RemovePermission", &sns.RemovePermissionInput{TopicArn: arn, Label: "guest-publish"})
	must[sns.RemovePermissionOutput](e, root, "RemovePermission", &sns.RemovePermissionInput{TopicArn: arn, Label: "two"})
	_, err = e.do(guest, "Publish", pub)
	wantCode(t, err, "AccessDenied")
	// With every statement removed the topic has no policy left to
	// evaluate; its account's root is unaffected.
	must[sns.RemovePermissionOutput](e, root, "RemovePermission", &sns.RemovePermissionInput{TopicArn: arn, Label: "__default_statement_ID"})
	if pol := e.attributes(arn)["Policy"]; pol != `{"Version":"2008-10-17","Id":"__default_policy_ID","Statement":[]}` {
		t.Fatalf("emptied policy %s", pol)
	}
	must[sns.PublishOutput](e, root, "Publish", pub)
}

// The successful cross-account call names the topic owner's account as a
// recipient of its event; a denied one does not.
func TestCrossAccountRecipients(t *testing.T) {
	e := newEnv(t)
	arn := e.createTopic(rootOf(acct), "t")
	op := e.svc.Descriptor().Op("Publish")
	denied := &sns.PublishInput{TopicArn: &arn, Message: "x"}
	_, err := e.do(rootOf(other), "Publish", denied)
	wantCode(t, err, "AccessDenied")
	if got := op.Recipients(e.call(rootOf(other), "Publish"), denied); len(got) != 0 {
		t.Fatalf("a denied call is copied to %v", got)
	}
	must[sns.AddPermissionOutput](e, rootOf(acct), "AddPermission", &sns.AddPermissionInput{TopicArn: arn, Label: "g",
		AWSAccountId: []string{other}, ActionName: []string{"Publish"}})
	ok := &sns.PublishInput{TopicArn: &arn, Message: "x"}
	must[sns.PublishOutput](e, rootOf(other), "Publish", ok)
	if got := op.Recipients(e.call(rootOf(other), "Publish"), ok); len(got) != 1 || got[0] != acct {
		t.Fatalf("recipients %v", got)
	}
}

// AWS services are decided by the topic policy alone: the default policy
// does not let CloudTrail publish; a statement naming it with
// aws:SourceArn does, for that trail only.
func TestServicePrincipal(t *testing.T) {
	e := newEnv(t)
	arn := e.createTopic(rootOf(acct), "trail-events")
	trail := "arn:aws:cloudtrail:us-east-1:" + acct + ":trail/main"
	ct := sns.ServicePrincipal{Service: "cloudtrail.amazonaws.com", SourceARN: trail, SourceAccount: acct}
	ctx := context.Background()
	if _, err := e.svc.CheckPublish(ctx, "trail-events", region, acct, ct); !errors.Is(err, sns.ErrAccessDenied) {
		t.Fatalf("default policy: %v", err)
	}
	if _, err := e.svc.CheckPublish(ctx, "nope", region, acct, ct); !errors.Is(err, sns.ErrNotFound) {
		t.Fatalf("missing topic: %v", err)
	}
	pol := `{"Version":"2012-10-17","Statement":[{"Sid":"AWSCloudTrailSNSPolicy","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},` +
		`"Action":"SNS:Publish","Resource":"` + arn + `","Condition":{"StringEquals":{"aws:SourceArn":"` + trail + `"}}}]}`
	must[sns.SetTopicAttributesOutput](e, rootOf(acct), "SetTopicAttributes", &sns.SetTopicAttributesInput{TopicArn: arn, AttributeName: "Policy", AttributeValue: &pol})
	for _, ref := range []string{"trail-events", arn} {
		got, err := e.svc.CheckPublish(ctx, ref, region, acct, ct)
		if err != nil || got != arn {
			t.Fatalf("CheckPublish %s: %s %v", ref, got, err)
		}
	}
	otherTrail := ct
	otherTrail.SourceARN = "arn:aws:cloudtrail:us-east-1:" + acct + ":trail/other"
	if _, err := e.svc.CheckPublish(ctx, arn, region, acct, otherTrail); !errors.Is(err, sns.ErrAccessDenied) {
		t.Fatalf("another trail: %v", err)
	}

	e.run()
	url := "http://hook.test/ct"
	e.subscribeConfirmed(arn, url, nil)
	id, err := e.svc.PublishAs(ctx, arn, ct, "", `{"s3Bucket":"logs","s3ObjectKey":["k"]}`)
	if err != nil || len(id) != 36 {
		t.Fatalf("PublishAs: %q %v", id, err)
	}
	got := decode(t, e.poster.next(t).Body)
	if got.str("MessageId") != id || got.str("Message") != `{"s3Bucket":"logs","s3ObjectKey":["k"]}` || got.str("TopicArn") != arn {
		t.Fatalf("delivered %v", got)
	}
	if _, err := e.svc.PublishAs(ctx, arn, otherTrail, "", "x"); !errors.Is(err, sns.ErrAccessDenied) {
		t.Fatalf("PublishAs for another trail: %v", err)
	}
	e.events.mu.Lock()
	evs := append([]*sns.Event(nil), e.events.got...)
	e.events.mu.Unlock()
	if len(evs) != 2 {
		t.Fatalf("%d events, want 2", len(evs))
	}
	ok, no := evs[0], evs[1]
	if ok.Err != nil || ok.Recipient != acct || ok.Call.Principal.Type != cairn.PrincipalAWSService || ok.Call.Principal.Service != "cloudtrail.amazonaws.com" ||
		ok.Op.Name != "Publish" || !ok.Op.Data || ok.Output == nil {
		t.Fatalf("PublishAs event %+v", ok)
	}
	if no.Err == nil || no.Err.Code != "AccessDenied" || no.Output != nil || no.Recipient != acct {
		t.Fatalf("denied PublishAs event %+v", no)
	}
}

// A confirmation token is a capability: whoever holds it confirms, signed
// or not, unless the topic policy denies explicitly; a wrong token is
// InvalidParameter. Unsubscribe links work unsigned unless the
// subscription was confirmed with AuthenticateOnUnsubscribe.
func TestTokensAndLinksAreCapabilities(t *testing.T) {
	e := newEnv(t)
	e.run()
	root := rootOf(acct)
	arn := e.createTopic(root, "t")
	url := "http://hook.test/a"
	must[sns.SubscribeOutput](e, root, "Subscribe", &sns.SubscribeInput{TopicArn: arn, Protocol: "http", Endpoint: &url})
	token := decode(t, e.poster.next(t).Body).str("Token")
	if len(token) != 288 {
		t.Fatalf("token of %d characters", len(token))
	}
	_, err := e.do(anonymous, "ConfirmSubscription", &sns.ConfirmSubscriptionInput{TopicArn: arn, Token: strings.Repeat("0", 288)})
	if ce := wantCode(t, err, "InvalidParameter"); ce.Message != "Invalid parameter: Token" {
		t.Fatalf("wrong token: %q", ce.Message)
	}
	other := e.createTopic(root, "other")
	_, err = e.do(anonymous, "ConfirmSubscription", &sns.ConfirmSubscriptionInput{TopicArn: other, Token: token})
	wantCode(t, err, "InvalidParameter")

	deny := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"SNS:ConfirmSubscription","Resource":"` + arn + `"}]}`
	must[sns.SetTopicAttributesOutput](e, root, "SetTopicAttributes", &sns.SetTopicAttributesInput{TopicArn: arn, AttributeName: "Policy", AttributeValue: &deny})
	_, err = e.do(anonymous, "ConfirmSubscription", &sns.ConfirmSubscriptionInput{TopicArn: arn, Token: token})
	wantCode(t, err, "AccessDenied")
	allow := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acct + `:root"},"Action":"SNS:Publish","Resource":"` + arn + `"}]}`
	must[sns.SetTopicAttributesOutput](e, root, "SetTopicAttributes", &sns.SetTopicAttributesInput{TopicArn: arn, AttributeName: "Policy", AttributeValue: &allow})

	in := &sns.ConfirmSubscriptionInput{TopicArn: arn, Token: token, AuthenticateOnUnsubscribe: str("true")}
	subARN := must[sns.ConfirmSubscriptionOutput](e, anonymous, "ConfirmSubscription", in).SubscriptionArn
	if !strings.HasPrefix(subARN, arn+":") {
		t.Fatalf("subscription ARN %s", subARN)
	}
	// The unsigned confirmation is recorded in the topic owner's account.
	if got := e.svc.Descriptor().Op("ConfirmSubscription").Recipients(e.call(anonymous, "ConfirmSubscription"), in); len(got) != 1 || got[0] != acct {
		t.Fatalf("recipients of the unsigned confirmation: %v", got)
	}
	// Idempotent.
	if again := must[sns.ConfirmSubscriptionOutput](e, anonymous, "ConfirmSubscription", &sns.ConfirmSubscriptionInput{TopicArn: arn, Token: token}); again.SubscriptionArn != subARN {
		t.Fatalf("second confirmation: %s", again.SubscriptionArn)
	}
	attrs := must[sns.GetSubscriptionAttributesOutput](e, root, "GetSubscriptionAttributes", &sns.GetSubscriptionAttributesInput{SubscriptionArn: subARN}).Attributes
	// AuthenticateOnUnsubscribe counts only on a signed confirmation.
	if attrs["PendingConfirmation"] != "false" || attrs["ConfirmationWasAuthenticated"] != "false" {
		t.Fatalf("attributes %v", attrs)
	}
	// So the link unsubscribes, unsigned.
	must[sns.UnsubscribeOutput](e, anonymous, "Unsubscribe", &sns.UnsubscribeInput{SubscriptionArn: subARN})
	unsub := decode(t, e.poster.next(t).Body)
	if unsub.str("Type") != "UnsubscribeConfirmation" || !strings.HasPrefix(unsub.str("Message"), "You have chosen to deactivate subscription "+subARN+".") {
		t.Fatalf("unsubscribe confirmation %v", unsub)
	}
	// Its token restores the subscription.
	restored := must[sns.ConfirmSubscriptionOutput](e, root, "ConfirmSubscription", &sns.ConfirmSubscriptionInput{
		TopicArn: arn, Token: unsub.str("Token"), AuthenticateOnUnsubscribe: str("true")}).SubscriptionArn
	if restored != subARN {
		t.Fatalf("restored %s, want %s", restored, subARN)
	}
	// Confirmed signed with AuthenticateOnUnsubscribe: the link no longer
	// works, the owner's signed call does.
	_, err = e.do(anonymous, "Unsubscribe", &sns.UnsubscribeInput{SubscriptionArn: subARN})
	wantCode(t, err, "AccessDenied")
	stranger := rootOf(other)
	e.ids[stranger.ARN] = []string{publishAll}
	_, err = e.do(stranger, "Unsubscribe", &sns.UnsubscribeInput{SubscriptionArn: subARN})
	wantCode(t, err, "AccessDenied")
	waitFor(t, "an empty queue", func() bool { due, _ := e.svc.QueuedDue(context.Background()); return len(due) == 0 })
	must[sns.UnsubscribeOutput](e, root, "Unsubscribe", &sns.UnsubscribeInput{SubscriptionArn: subARN})
	// The owner unsubscribed: no UnsubscribeConfirmation for that.
	subs := must[sns.ListSubscriptionsByTopicOutput](e, root, "ListSubscriptionsByTopic", &sns.ListSubscriptionsByTopicInput{TopicArn: arn}).Subscriptions
	if len(subs) != 0 {
		t.Fatalf("subscriptions left: %v", subs)
	}
	// Messages are queued in the call's transaction and leave the queue
	// only after they were posted: neither queued nor posted means none
	// was sent.
	if due, err := e.svc.QueuedDue(context.Background()); err != nil || len(due) != 0 {
		t.Fatalf("queued after the owner's Unsubscribe: %v %v", due, err)
	}
	e.poster.none(t)
	// Unsubscribing again is not an error.
	must[sns.UnsubscribeOutput](e, root, "Unsubscribe", &sns.UnsubscribeInput{SubscriptionArn: subARN})
	_, err = e.do(root, "Unsubscribe", &sns.UnsubscribeInput{SubscriptionArn: arn})
	if ce := wantCode(t, err, "InvalidParameter"); ce.Message != "Invalid parameter: SubscriptionId" {
		t.Fatalf("topic ARN as subscription: %q", ce.Message)
	}
	if got := e.attributes(arn)["SubscriptionsDeleted"]; got != "2" {
		t.Fatalf("SubscriptionsDeleted %s", got)
	}
}
