package cloudtrail_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/service/cloudtrail"
	"github.com/cairnhq/cairn/store/sqlite"
)

const (
	acct  = "123456789012"
	other = "210987654321"
	east  = "us-east-1"
	west  = "eu-west-1"
)

// fakeDest is a small Destinations: buckets and keys it knows, with the
// outcome each check gives, and a record of the checks made.
type fakeDest struct {
	mu      sync.Mutex
	buckets map[string]error  // bucket → CheckBucket's error (nil: allowed)
	region  map[string]string // bucket → region (default us-east-1)
	keys    map[string]error  // key ID → CheckKey's error
	topics  map[string]error  // topic → CheckTopic's error; nil map: no TopicChecker behaviour
	groups  map[string]error  // log group ARN → CheckLogGroup's error
	calls   []string
}

func newDest() *fakeDest {
	return &fakeDest{buckets: map[string]error{}, region: map[string]string{}, keys: map[string]error{}, topics: map[string]error{}, groups: map[string]error{}}
}

func (d *fakeDest) log(format string, args ...any) {
	d.mu.Lock()
	d.calls = append(d.calls, fmt.Sprintf(format, args...))
	d.mu.Unlock()
}

func (d *fakeDest) CheckBucket(_ context.Context, bucket, prefix, trailARN, account string) (string, error) {
	d.log("bucket %s %s %s %s", bucket, prefix, trailARN, account)
	err, ok := d.buckets[bucket]
	if !ok {
		return "", fmt.Errorf("no %s: %w", bucket, cloudtrail.ErrBucketNotFound)
	}
	if err != nil {
		return "", err
	}
	if r := d.region[bucket]; r != "" {
		return r, nil
	}
	return east, nil
}

func (d *fakeDest) CheckKey(_ context.Context, keyID, bucketRegion, trailARN, account string) (string, error) {
	d.log("key %s %s %s %s", keyID, bucketRegion, trailARN, account)
	err, ok := d.keys[keyID]
	if !ok {
		return "", cloudtrail.ErrKeyNotFound
	}
	arn := keyID
	if !strings.HasPrefix(keyID, "arn:") {
		arn = "arn:aws:kms:" + bucketRegion + ":" + account + ":key/" + keyID
	}
	if err != nil {
		return arn, err
	}
	return arn, nil
}

// destWithTopics adds the optional checkers.
type destWithTopics struct{ *fakeDest }

func (d destWithTopics) CheckTopic(_ context.Context, topic, region, trailARN, account string) (string, error) {
	d.log("topic %s %s %s", topic, region, trailARN)
	err, ok := d.topics[topic]
	if !ok {
		return "", cloudtrail.ErrTopicNotFound
	}
	if strings.HasPrefix(topic, "arn:") {
		return topic, err
	}
	return "arn:aws:sns:" + region + ":" + account + ":" + topic, err
}

func (d destWithTopics) CheckLogGroup(_ context.Context, group, role, _, account string) error {
	d.log("logs %s %s", group, role)
	err, ok := d.groups[group]
	if !ok {
		return cloudtrail.ErrLogGroupNotFound
	}
	return err
}

// fakeOrgs puts accounts in organizations.
type fakeOrgs map[string][2]string // account → {org ID, management}

func (o fakeOrgs) OrganizationOf(_ context.Context, account string) (string, string, error) {
	v := o[account]
	return v[0], v[1], nil
}

// env is a CloudTrail service on a real SQLite store.
type env struct {
	t     testing.TB
	svc   *cloudtrail.Service
	clock *cairn.ManualClock
	dest  *fakeDest
	desc  *cairn.Service
}

type envOption func(*cloudtrail.Config, *fakeDest)

// withTopics makes the fake implement TopicChecker and LogGroupChecker.
func withTopics() envOption {
	return func(c *cloudtrail.Config, d *fakeDest) { c.Destinations = destWithTopics{d} }
}

func withoutDestinations() envOption {
	return func(c *cloudtrail.Config, _ *fakeDest) { c.Destinations = nil }
}

func withOrgs(o fakeOrgs) envOption {
	return func(c *cloudtrail.Config, _ *fakeDest) { c.Organizations = o }
}

func newEnv(t *testing.T, opts ...envOption) *env {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "cairn.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	clock := cairn.NewManualClock(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
	dest := newDest()
	dest.buckets["logs"] = nil
	cfg := cloudtrail.Config{Store: st, Clock: clock, Destinations: dest}
	for _, o := range opts {
		o(&cfg, dest)
	}
	svc := cloudtrail.New(cfg)
	return &env{t: t, svc: svc, clock: clock, dest: dest, desc: svc.Descriptor()}
}

func rootOf(account string) cairn.Principal {
	return cairn.Principal{Type: cairn.PrincipalRoot, AccountID: account, ARN: cairn.RootARN(account), ID: account}
}

// call is who calls from where.
type call struct {
	account, region string
}

var home = call{acct, east}

func (e *env) invokeIn(who call, name string, in any) (any, error) {
	e.t.Helper()
	op := e.desc.Op(name)
	if op == nil {
		e.t.Fatalf("no operation %s", name)
	}
	c := &cairn.Call{RequestID: "req", Time: e.clock.Now(), Region: who.region, Service: "cloudtrail", Operation: name, Principal: rootOf(who.account)}
	return op.Invoke(context.Background(), c, in)
}

func (e *env) invoke(name string, in any) (any, error) {
	e.t.Helper()
	return e.invokeIn(home, name, in)
}

func mustIn[O any](e *env, who call, name string, in any) *O {
	e.t.Helper()
	out, err := e.invokeIn(who, name, in)
	if err != nil {
		e.t.Fatalf("%s in %s/%s: %v", name, who.account, who.region, err)
	}
	o, ok := out.(*O)
	if !ok {
		e.t.Fatalf("%s returned %T", name, out)
	}
	return o
}

func must[O any](e *env, name string, in any) *O {
	e.t.Helper()
	return mustIn[O](e, home, name, in)
}

func wantErr(t testing.TB, err error, code, msg string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want %s, got success", code)
	}
	var ce *cairn.Error
	if !errors.As(err, &ce) {
		t.Fatalf("want *cairn.Error %s, got %T: %v", code, err, err)
	}
	if ce.Code != code || ce.Status != 400 {
		t.Fatalf("got %s/%d (%q), want %s/400", ce.Code, ce.Status, ce.Message, code)
	}
	if msg != "" && ce.Message != msg {
		t.Fatalf("message %q, want %q", ce.Message, msg)
	}
}

func (e *env) failIn(who call, name string, in any, code, msg string) {
	e.t.Helper()
	_, err := e.invokeIn(who, name, in)
	wantErr(e.t, err, code, msg)
}

func (e *env) fail(name string, in any, code, msg string) {
	e.t.Helper()
	e.failIn(home, name, in, code, msg)
}

func sp(s string) *string { return &s }
func bp(b bool) *bool     { return &b }

// create makes a trail in who's region delivering to the bucket "logs".
func (e *env) create(who call, name string, multi bool) *cloudtrail.CreateTrailOutput {
	e.t.Helper()
	return mustIn[cloudtrail.CreateTrailOutput](e, who, "CreateTrail", &cloudtrail.CreateTrailInput{
		Name: name, S3BucketName: "logs", IsMultiRegionTrail: bp(multi),
	})
}

func arnOf(region, account, name string) string { return cloudtrail.TrailARN(region, account, name) }
