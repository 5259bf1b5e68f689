package sns_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/authz"
	"github.com/cairnhq/cairn/rootkey"
	"github.com/cairnhq/cairn/service/sns"
	"github.com/cairnhq/cairn/store"
	"github.com/cairnhq/cairn/store/sqlite"
)

const (
	acct     = "123456789012"
	other    = "210987654321"
	region   = "us-east-1"
	endpoint = "http://cairn.test:4566"
)

// identities is a fake IAM: identity policies by principal ARN.
type identities map[string][]string

func (m identities) PoliciesFor(_ context.Context, p cairn.Principal) ([]string, string, error) {
	return m[p.ARN], "", nil
}

// post is one HTTP POST the service made.
type post struct {
	URL    string
	Header map[string]string
	Body   []byte
	At     time.Time // the service's clock when it posted
}

// poster is a fake HTTP client: it answers each POST with what status says
// for its URL (200 by default) and reports every POST on posts.
type poster struct {
	clock  *cairn.ManualClock
	posts  chan post
	mu     sync.Mutex
	status map[string]int
	block  map[string]chan struct{} // a POST to the URL waits for this channel to close
	// enter, if set, is told when a POST to a URL starts (+1) and ends (-1).
	enter func(url string, delta int)
}

func newPoster(clock *cairn.ManualClock) *poster {
	return &poster{clock: clock, posts: make(chan post, 1000), status: map[string]int{}, block: map[string]chan struct{}{}}
}

func (p *poster) Post(ctx context.Context, url string, header map[string]string, body []byte) (int, error) {
	p.mu.Lock()
	code, ok := p.status[url]
	wait := p.block[url]
	enter := p.enter
	p.mu.Unlock()
	if enter != nil {
		enter(url, 1)
		defer enter(url, -1)
	}
	if wait != nil {
		select {
		case <-wait:
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
	p.posts <- post{URL: url, Header: header, Body: body, At: p.clock.Now()}
	if !ok {
		code = 200
	}
	return code, nil
}

func (p *poster) answer(url string, status int) {
	p.mu.Lock()
	p.status[url] = status
	p.mu.Unlock()
}

// next waits for the next POST (a test that waits in vain fails after a
// generous deadline: it asserts that the POST happens, not when).
func (p *poster) next(t *testing.T) post {
	t.Helper()
	select {
	case got := <-p.posts:
		return got
	case <-time.After(20 * time.Second):
		t.Fatal("no delivery was attempted")
		return post{}
	}
}

// none checks that no POST was made so far.
func (p *poster) none(t *testing.T) {
	t.Helper()
	select {
	case got := <-p.posts:
		t.Fatalf("unexpected delivery to %s: %s", got.URL, got.Body)
	default:
	}
}

// recorded captures the events of PublishAs.
type recorded struct {
	mu  sync.Mutex
	got []*sns.Event
}

func (r *recorded) RecordEvent(_ context.Context, ev *sns.Event) error {
	r.mu.Lock()
	r.got = append(r.got, ev)
	r.mu.Unlock()
	return nil
}

type env struct {
	t      *testing.T
	svc    *sns.Service
	clock  *cairn.ManualClock
	ids    identities
	authz  *authz.Authorizer
	poster *poster
	events *recorded
	data   string
	store  store.Store
	sealer cairn.Sealer
	// closeStore closes the store once (a restart closes it early).
	closeStore func()
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvIn(t, t.TempDir(), cairn.NewManualClock(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)))
}

// newEnvIn builds the service on the store in data (a restart when data
// was used before).
func newEnvIn(t *testing.T, data string, clock *cairn.ManualClock) *env {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(data, "cairn.db"))
	if err != nil {
		t.Fatal(err)
	}
	key, err := rootkey.LoadOrCreate(filepath.Join(data, "root.key"))
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, clock: clock, ids: identities{}, events: &recorded{}, data: data, store: st, sealer: key}
	e.poster = newPoster(clock)
	e.authz = authz.New(e.ids, nil)
	e.svc = sns.New(sns.Config{Store: st, Sealer: key, Clock: clock, IDs: cairn.RandomIDs{}, Endpoint: endpoint,
		Poster: e.poster, Authorizer: e.authz, Recorder: e.events, PollInterval: 5 * time.Millisecond})
	var once sync.Once
	e.closeStore = func() { once.Do(func() { _ = st.Close() }) }
	t.Cleanup(e.closeStore)
	return e
}

// run starts delivery; it stops when the test ends (before the store
// closes) or when the returned function is called.
func (e *env) run() (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); e.svc.Run(ctx) }()
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); <-done }) }
	e.t.Cleanup(stop)
	return stop
}

func rootOf(account string) cairn.Principal {
	return cairn.Principal{Type: cairn.PrincipalRoot, AccountID: account, ARN: cairn.RootARN(account), ID: account}
}

func user(account, name string) cairn.Principal {
	return cairn.Principal{Type: cairn.PrincipalIAMUser, AccountID: account, ARN: "arn:aws:iam::" + account + ":user/" + name,
		ID: "AIDA" + strings.ToUpper(name), UserName: name}
}

var anonymous = cairn.Principal{Type: cairn.PrincipalAnonymous}

func (e *env) call(p cairn.Principal, op string) *cairn.Call {
	c := &cairn.Call{RequestID: "req-" + op, Time: e.clock.Now(), Region: region, Service: "sns", Operation: op,
		Principal: p, SourceIP: "192.0.2.1", UserAgent: "test"}
	if p.Type == cairn.PrincipalAnonymous {
		c.Region = "" // unsigned: no credential scope
	}
	return c
}

// do runs an operation through authorization and the handler, as the
// funnel does.
func (e *env) do(p cairn.Principal, name string, in any) (any, error) {
	e.t.Helper()
	op := e.svc.Descriptor().Op(name)
	if op == nil {
		e.t.Fatalf("no operation %s", name)
	}
	c := e.call(p, name)
	if err := e.authz.Authorize(context.Background(), c, op, in); err != nil {
		return nil, err
	}
	return op.Invoke(context.Background(), c, in)
}

func must[O any](e *env, p cairn.Principal, name string, in any) *O {
	e.t.Helper()
	out, err := e.do(p, name, in)
	if err != nil {
		e.t.Fatalf("%s: %v", name, err)
	}
	return out.(*O)
}

func wantCode(t *testing.T, err error, code string) *cairn.Error {
	t.Helper()
	ce := cairn.AsError(err)
	if ce == nil || ce.Code != code {
		t.Fatalf("want %s, got %v", code, err)
	}
	return ce
}

func str(s string) *string { return &s }

func (e *env) createTopic(p cairn.Principal, name string) string {
	e.t.Helper()
	return must[sns.CreateTopicOutput](e, p, "CreateTopic", &sns.CreateTopicInput{Name: name}).TopicArn
}

func (e *env) attributes(topicARN string) map[string]string {
	e.t.Helper()
	return must[sns.GetTopicAttributesOutput](e, rootOf(acct), "GetTopicAttributes", &sns.GetTopicAttributesInput{TopicArn: topicARN}).Attributes
}

// message is a delivered JSON document.
type message map[string]any

func (m message) str(k string) string { s, _ := m[k].(string); return s }

func decode(t *testing.T, body []byte) message {
	t.Helper()
	var m message
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("delivered body is not JSON: %v: %s", err, body)
	}
	return m
}

// subscribeConfirmed subscribes url and confirms it with the token the
// endpoint received; it returns the subscription ARN.
func (e *env) subscribeConfirmed(topicARN, url string, attrs map[string]string) string {
	e.t.Helper()
	must[sns.SubscribeOutput](e, rootOf(acct), "Subscribe", &sns.SubscribeInput{TopicArn: topicARN, Protocol: "http", Endpoint: &url, Attributes: attrs})
	conf := e.poster.next(e.t)
	m := decode(e.t, conf.Body)
	if m.str("Type") != "SubscriptionConfirmation" || conf.URL != url {
		e.t.Fatalf("expected a confirmation for %s, got %s: %s", url, conf.URL, conf.Body)
	}
	return must[sns.ConfirmSubscriptionOutput](e, rootOf(acct), "ConfirmSubscription",
		&sns.ConfirmSubscriptionInput{TopicArn: topicARN, Token: m.str("Token")}).SubscriptionArn
}

// waitFor waits until cond holds; it asserts that it eventually does.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s never happened", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}
