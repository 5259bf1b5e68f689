package iam_test

import (
	"context"
	"crypto/rand"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/rootkey"
	"github.com/cairnhq/cairn/service/iam"
	"github.com/cairnhq/cairn/store/sqlite"
)

const acct = "123456789012"

// env is a service on a real SQLite store and a real root-key sealer.
type env struct {
	t      testing.TB
	svc    *iam.Service
	st     *sqlite.Store
	dbPath string
	clock  *cairn.ManualClock
	desc   *cairn.Service

	closeStore func() error // closes st once; the cleanup calls it too
}

func newEnv(t testing.TB) *env {
	t.Helper()
	dbPath := filepath.Join(t.TempDir(), "cairn.db")
	st, err := sqlite.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		t.Fatal(err)
	}
	key, err := rootkey.New(raw)
	if err != nil {
		t.Fatal(err)
	}
	clock := cairn.NewManualClock(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
	svc := iam.New(iam.Config{Store: st, Sealer: key, Clock: clock, IDs: cairn.RandomIDs{}})
	e := &env{t: t, svc: svc, st: st, dbPath: dbPath, clock: clock, desc: svc.Descriptor()}
	var once sync.Once
	var closeErr error
	e.closeStore = func() error {
		once.Do(func() { closeErr = st.Close() })
		return closeErr
	}
	t.Cleanup(func() {
		_ = svc.Close()
		_ = e.closeStore()
	})
	return e
}

func root() cairn.Principal { return iam.RootPrincipal(acct) }

func (e *env) callAs(p cairn.Principal) *cairn.Call {
	return &cairn.Call{RequestID: "req", Time: e.clock.Now(), Region: "us-east-1", Service: "iam", Principal: p}
}

// invokeAs runs the named operation through its descriptor row.
func (e *env) invokeAs(p cairn.Principal, name string, in any) (any, error) {
	e.t.Helper()
	op := e.desc.Op(name)
	if op == nil {
		e.t.Fatalf("no operation %s", name)
	}
	c := e.callAs(p)
	c.Operation = name
	return op.Invoke(context.Background(), c, in)
}

func (e *env) invoke(name string, in any) (any, error) {
	e.t.Helper()
	return e.invokeAs(root(), name, in)
}

// must runs an operation that has to succeed and returns its typed output.
func must[O any](e *env, name string, in any) *O {
	e.t.Helper()
	out, err := e.invoke(name, in)
	if err != nil {
		e.t.Fatalf("%s: %v", name, err)
	}
	o, ok := out.(*O)
	if !ok {
		e.t.Fatalf("%s returned %T", name, out)
	}
	return o
}

func mustAs[O any](e *env, p cairn.Principal, name string, in any) *O {
	e.t.Helper()
	out, err := e.invokeAs(p, name, in)
	if err != nil {
		e.t.Fatalf("%s as %s: %v", name, p.ARN, err)
	}
	return out.(*O)
}

// wantErr checks a call failed with an IAM error; msg "" skips the
// message.
func wantErr(t testing.TB, err error, code string, status int, msg string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want %s error, got success", code)
	}
	var ce *cairn.Error
	if !errors.As(err, &ce) {
		t.Fatalf("want *cairn.Error %s, got %T: %v", code, err, err)
	}
	if ce.Code != code || ce.Status != status {
		t.Fatalf("got %s/%d (%q), want %s/%d", ce.Code, ce.Status, ce.Message, code, status)
	}
	if msg != "" && ce.Message != msg {
		t.Fatalf("message %q, want %q", ce.Message, msg)
	}
}

func (e *env) fail(name string, in any, code string, status int, msg string) {
	e.t.Helper()
	_, err := e.invoke(name, in)
	wantErr(e.t, err, code, status, msg)
}

func sp(s string) *string { return &s }
func i32(n int32) *int32  { return &n }

func (e *env) createUser(name string) *iam.User {
	e.t.Helper()
	return must[iam.CreateUserOutput](e, "CreateUser", &iam.CreateUserInput{UserName: name}).User
}

func (e *env) createKey(user string) *iam.AccessKey {
	e.t.Helper()
	return must[iam.CreateAccessKeyOutput](e, "CreateAccessKey", &iam.CreateAccessKeyInput{UserName: sp(user)}).AccessKey
}

func (e *env) createPolicy(name, doc string) *iam.Policy {
	e.t.Helper()
	return must[iam.CreatePolicyOutput](e, "CreatePolicy", &iam.CreatePolicyInput{PolicyName: name, PolicyDocument: doc}).Policy
}

// userPrincipal is the principal LookupAccessKey resolves for a user's key.
func (e *env) userPrincipal(u *iam.User) cairn.Principal {
	return cairn.Principal{Type: cairn.PrincipalIAMUser, AccountID: acct, ARN: u.Arn, ID: u.UserId, UserName: u.UserName}
}

const (
	allowS3   = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	allowIAM  = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"}]}`
	trustEC2  = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	trustRoot = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`
)
