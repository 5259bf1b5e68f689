package kms_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/audit"
	"github.com/cairnhq/cairn/authz"
	"github.com/cairnhq/cairn/rootkey"
	"github.com/cairnhq/cairn/service/kms"
	"github.com/cairnhq/cairn/store"
	"github.com/cairnhq/cairn/store/sqlite"
)

const (
	acct   = "123456789012"
	other  = "210987654321"
	region = "us-east-1"
)

// identities is a fake IAM: identity policies by principal ARN.
type identities map[string][]string

func (m identities) PoliciesFor(_ context.Context, p cairn.Principal) ([]string, string, error) {
	return m[p.ARN], "", nil
}

// events captures what KMS records for calls made on a caller's behalf.
type events struct {
	mu      sync.Mutex
	got     []*kms.Event
	service []string // service events: "<name> <key ARN>"
	failing bool     // RecordServiceEvent fails (the recorder is down)
}

func (e *events) RecordServiceEvent(_ context.Context, name, account, region, keyARN string, _ time.Time) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.failing {
		return errors.New("recorder down")
	}
	e.service = append(e.service, name+" "+keyARN)
	return nil
}

func (e *events) RecordEvent(_ context.Context, ev *kms.Event) error {
	e.mu.Lock()
	e.got = append(e.got, ev)
	e.mu.Unlock()
	return nil
}

type env struct {
	t      *testing.T
	svc    *kms.Service
	clock  *cairn.ManualClock
	ids    identities
	events *events
	authz  *authz.Authorizer
	data   string
	store  store.Store
	close  func()
}

func newEnv(t *testing.T) *env {
	t.Helper()
	data := t.TempDir()
	st, err := sqlite.Open(filepath.Join(data, "cairn.db"))
	if err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	closeStore := func() { once.Do(func() { _ = st.Close() }) }
	t.Cleanup(closeStore)
	key, err := rootkey.LoadOrCreate(filepath.Join(data, "root.key"))
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, clock: cairn.NewManualClock(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)), ids: identities{}, events: &events{}, data: data, store: st, close: closeStore}
	e.authz = authz.New(e.ids, nil)
	e.svc = kms.New(kms.Config{Store: st, Sealer: key, Clock: e.clock, IDs: cairn.RandomIDs{}, Authorizer: e.authz, Recorder: e.events})
	return e
}

func rootOf(account string) cairn.Principal {
	return cairn.Principal{Type: cairn.PrincipalRoot, AccountID: account, ARN: cairn.RootARN(account), ID: account}
}

func user(account, name string) cairn.Principal {
	return cairn.Principal{Type: cairn.PrincipalIAMUser, AccountID: account, ARN: "arn:aws:iam::" + account + ":user/" + name, ID: "AIDA" + strings.ToUpper(name), UserName: name}
}

func (e *env) call(p cairn.Principal, op string) *cairn.Call {
	return &cairn.Call{RequestID: "req-" + op, Time: e.clock.Now(), Region: region, Service: "kms", Operation: op, Principal: p, SourceIP: "192.0.2.1", UserAgent: "test"}
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
	if !op.AlwaysAllowed {
		if err := e.authz.Authorize(context.Background(), c, op, in); err != nil {
			return nil, err
		}
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

func (e *env) createKey(policy string) *kms.KeyMetadata {
	e.t.Helper()
	in := &kms.CreateKeyInput{}
	if policy != "" {
		in.Policy = &policy
	}
	return must[kms.CreateKeyOutput](e, rootOf(acct), "CreateKey", in).KeyMetadata
}

func str(s string) *string { return &s }

func TestOnBehalfOfCallerViaS3(t *testing.T) {
	e := newEnv(t)
	alice, bob := user(acct, "alice"), user(acct, "bob")
	e.ids[alice.ARN] = []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}`}
	// Alice may use the key through S3 only.
	pol := `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acct + `:root"},"Action":"kms:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalType":"Account"}}},
		{"Effect":"Allow","Principal":{"AWS":"` + alice.ARN + `"},"Action":["kms:GenerateDataKey","kms:Decrypt"],"Resource":"*",
		 "Condition":{"StringEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"},"ForAnyValue:StringEquals":{"aws:CalledVia":"s3.amazonaws.com"}}}]}`
	key := e.createKey(pol)
	objectARN := "arn:aws:s3:::bucket/report.csv"
	ec := map[string]string{"aws:s3:arn": objectARN}
	_, err := e.do(alice, "GenerateDataKey", &kms.GenerateDataKeyInput{KeyId: key.KeyId, KeySpec: str("AES_256"), EncryptionContext: ec})
	wantCode(t, err, "AccessDenied") // directly: no kms:ViaService

	s3call := e.call(alice, "PutObject")
	s3call.Service = "s3"
	pt, blob, keyARN, err := e.svc.GenerateDataKeyFor(context.Background(), s3call, region, key.Arn, ec, "s3.amazonaws.com")
	if err != nil || len(pt) != 32 || keyARN != key.Arn {
		t.Fatalf("GenerateDataKeyFor: %v %d %s", err, len(pt), keyARN)
	}
	got, arn2, err := e.svc.DecryptFor(context.Background(), s3call, region, "", blob, ec, "s3.amazonaws.com")
	if err != nil || !bytes.Equal(got, pt) || arn2 != key.Arn {
		t.Fatalf("DecryptFor: %v", err)
	}
	_, _, err = e.svc.DecryptFor(context.Background(), s3call, region, "", blob, map[string]string{"aws:s3:arn": "arn:aws:s3:::bucket/other"}, "s3.amazonaws.com")
	wantCode(t, err, "InvalidCiphertextException")
	// Bob has neither an IAM policy nor a place in the key policy.
	bobCall := e.call(bob, "GetObject")
	_, _, err = e.svc.DecryptFor(context.Background(), bobCall, region, "", blob, ec, "s3.amazonaws.com")
	ce := wantCode(t, err, "AccessDenied")
	if !strings.Contains(ce.Message, bob.ARN+" is not authorized to perform: kms:Decrypt on resource: "+key.Arn) {
		t.Fatalf("denial %q", ce.Message)
	}

	// Every call was recorded as a call S3 made on the caller's behalf.
	e.events.mu.Lock()
	evs := e.events.got
	e.events.mu.Unlock()
	if len(evs) != 4 {
		t.Fatalf("%d events, want 4", len(evs))
	}
	for i, ev := range evs {
		if ev.InvokedBy != "s3.amazonaws.com" || len(ev.Call.CalledVia) != 1 || ev.Call.CalledVia[0] != "s3.amazonaws.com" || ev.Call.SourceIP != "" {
			t.Fatalf("event %d: %+v", i, ev)
		}
		rec := build(t, ev)
		if rec.UserIdentity.InvokedBy != "s3.amazonaws.com" || rec.SourceIPAddress != "s3.amazonaws.com" || rec.UserAgent != "s3.amazonaws.com" ||
			rec.EventSource != "kms.amazonaws.com" || rec.AWSRegion != region {
			t.Fatalf("record %d: %+v", i, rec)
		}
		raw, _ := json.Marshal(rec)
		if bytes.Contains(raw, []byte(base64.StdEncoding.EncodeToString(pt))) || bytes.Contains(raw, []byte(base64.StdEncoding.EncodeToString(blob))) {
			t.Fatalf("record %d holds the data key: %s", i, raw)
		}
		var params map[string]any
		_ = json.Unmarshal(rec.RequestParameters, &params)
		if ctx, _ := params["encryptionContext"].(map[string]any); ctx["aws:s3:arn"] == nil {
			t.Fatalf("record %d lacks the aws:s3:arn context: %s", i, rec.RequestParameters)
		}
	}
	first := build(t, evs[0])
	if first.EventName != "GenerateDataKey" || first.UserIdentity.ARN != alice.ARN || !strings.Contains(string(first.RequestParameters), `"keySpec":"AES_256"`) ||
		first.ErrorCode != "" || !first.ReadOnly {
		t.Fatalf("GenerateDataKey record %+v %s", first, first.RequestParameters)
	}
	if last := build(t, evs[3]); last.EventName != "Decrypt" || last.ErrorCode != "AccessDenied" || last.UserIdentity.ARN != bob.ARN {
		t.Fatalf("denied Decrypt record %+v", last)
	}
}

func build(t *testing.T, ev *kms.Event) *audit.Record {
	t.Helper()
	se, err := audit.Build(&audit.Entry{Call: ev.Call, Service: ev.Service, Op: ev.Op, OpName: ev.Op.Name, Input: ev.Input, Output: ev.Output,
		Err: ev.Err, EventID: "ev", Region: ev.Call.Region, InvokedBy: ev.InvokedBy})
	if err != nil {
		t.Fatal(err)
	}
	var rec audit.Record
	if err := json.Unmarshal(se.Record, &rec); err != nil {
		t.Fatal(err)
	}
	return &rec
}

// The AWS managed key of S3 is created on first use and serves every
// principal of the account through S3, and nobody directly.
func TestManagedS3Key(t *testing.T) {
	e := newEnv(t)
	bob := user(acct, "bob") // no IAM policy at all
	ec := map[string]string{"aws:s3:arn": "arn:aws:s3:::b/k"}
	s3call := e.call(bob, "PutObject")
	pt, blob, arn, err := e.svc.GenerateDataKeyFor(context.Background(), s3call, region, "alias/aws/s3", ec, "s3.amazonaws.com")
	if err != nil {
		t.Fatalf("GenerateDataKeyFor alias/aws/s3: %v", err)
	}
	managed, err := e.svc.ManagedKey(context.Background(), acct, region, "alias/aws/s3")
	if err != nil || managed != arn {
		t.Fatalf("ManagedKey %s %v, data key under %s", managed, err, arn)
	}
	if got, _, err := e.svc.DecryptFor(context.Background(), s3call, region, arn, blob, ec, "s3.amazonaws.com"); err != nil || !bytes.Equal(got, pt) {
		t.Fatalf("DecryptFor: %v", err)
	}
	_, err = e.do(rootOf(acct), "Encrypt", &kms.EncryptInput{KeyId: "alias/aws/s3", Plaintext: []byte("x")})
	wantCode(t, err, "AccessDenied")
	d := must[kms.DescribeKeyOutput](e, rootOf(acct), "DescribeKey", &kms.DescribeKeyInput{KeyId: "alias/aws/s3"})
	if d.KeyMetadata.KeyManager != "AWS" || d.KeyMetadata.Arn != arn {
		t.Fatalf("managed key metadata %+v", d.KeyMetadata)
	}
	// Another account's principal gets nothing from it.
	_, _, err = e.svc.DecryptFor(context.Background(), e.call(user(other, "eve"), "GetObject"), region, arn, blob, ec, "s3.amazonaws.com")
	wantCode(t, err, "AccessDenied")
}

func TestCheckKeyForCloudTrail(t *testing.T) {
	e := newEnv(t)
	trail := "arn:aws:cloudtrail:us-east-1:" + acct + ":trail/main"
	ctPolicy := `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acct + `:root"},"Action":"kms:*","Resource":"*"},
		{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"kms:GenerateDataKey*","Resource":"*",
		 "Condition":{"StringLike":{"kms:EncryptionContext:aws:cloudtrail:arn":"arn:aws:cloudtrail:*:` + acct + `:trail/*"},"StringEquals":{"aws:SourceArn":"` + trail + `"}}},
		{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"kms:DescribeKey","Resource":"*"}]}`
	good := e.createKey(ctPolicy)
	must[kms.Empty](e, rootOf(acct), "CreateAlias", &kms.CreateAliasInput{AliasName: "alias/trail", TargetKeyId: good.KeyId})
	for _, ref := range []string{good.KeyId, good.Arn, "alias/trail", "arn:aws:kms:us-east-1:" + acct + ":alias/trail"} {
		arn, err := e.svc.CheckKey(context.Background(), ref, region, trail, acct)
		if err != nil || arn != good.Arn {
			t.Fatalf("CheckKey %s: %s %v", ref, arn, err)
		}
	}
	if _, err := e.svc.CheckKey(context.Background(), good.Arn, region, "arn:aws:cloudtrail:us-east-1:"+acct+":trail/other", acct); !errors.Is(err, kms.ErrKeyPolicy) {
		t.Fatalf("another trail: %v", err)
	}
	plain := e.createKey("")
	if _, err := e.svc.CheckKey(context.Background(), plain.KeyId, region, trail, acct); !errors.Is(err, kms.ErrKeyPolicy) {
		t.Fatalf("default policy: %v", err)
	}
	if _, err := e.svc.CheckKey(context.Background(), good.KeyId, "eu-west-1", trail, acct); !errors.Is(err, kms.ErrKeyNotFound) {
		t.Fatalf("other region: %v", err)
	}
	if _, err := e.svc.CheckKey(context.Background(), good.Arn, "eu-west-1", trail, acct); !errors.Is(err, kms.ErrKeyNotFound) {
		t.Fatalf("ARN of another region: %v", err)
	}
	if _, err := e.svc.CheckKey(context.Background(), "alias/none", region, trail, acct); !errors.Is(err, kms.ErrKeyNotFound) {
		t.Fatalf("missing alias: %v", err)
	}
	must[kms.Empty](e, rootOf(acct), "DisableKey", &kms.DisableKeyInput{KeyId: good.KeyId})
	if _, err := e.svc.CheckKey(context.Background(), good.KeyId, region, trail, acct); !errors.Is(err, kms.ErrKeyUnusable) {
		t.Fatalf("disabled: %v", err)
	}
}

func TestSweepDeletesKeysWhenDue(t *testing.T) {
	e := newEnv(t)
	root := rootOf(acct)
	key := e.createKey("")
	must[kms.Empty](e, root, "CreateAlias", &kms.CreateAliasInput{AliasName: "alias/doomed", TargetKeyId: key.KeyId})
	must[kms.CreateGrantOutput](e, root, "CreateGrant", &kms.CreateGrantInput{KeyId: key.KeyId, GranteePrincipal: user(acct, "x").ARN, Operations: []string{"Decrypt"}})
	enc := must[kms.EncryptOutput](e, root, "Encrypt", &kms.EncryptInput{KeyId: key.KeyId, Plaintext: []byte("bye")})
	kept := e.createKey("")
	must[kms.ScheduleKeyDeletionOutput](e, root, "ScheduleKeyDeletion", &kms.ScheduleKeyDeletionInput{KeyId: key.KeyId, PendingWindowInDays: ptr(int32(7))})
	must[kms.ScheduleKeyDeletionOutput](e, root, "ScheduleKeyDeletion", &kms.ScheduleKeyDeletionInput{KeyId: kept.KeyId, PendingWindowInDays: ptr(int32(7))})
	must[kms.CancelKeyDeletionOutput](e, root, "CancelKeyDeletion", &kms.CancelKeyDeletionInput{KeyId: kept.KeyId})

	e.clock.Advance(6 * 24 * time.Hour)
	res, err := e.svc.Sweep(context.Background())
	if err != nil || len(res.Deleted) != 0 {
		t.Fatalf("sweep before the date: %+v %v", res, err)
	}
	must[kms.DescribeKeyOutput](e, root, "DescribeKey", &kms.DescribeKeyInput{KeyId: key.KeyId})
	e.clock.Advance(25 * time.Hour)
	res, err = e.svc.Sweep(context.Background())
	if err != nil || len(res.Deleted) != 1 || res.Deleted[0] != key.Arn {
		t.Fatalf("sweep after the date: %+v %v", res, err)
	}
	if got := strings.Join(e.events.service, ","); got != "DeleteKey "+key.Arn {
		t.Fatalf("service events %q, want the DeleteKey of %s", got, key.Arn)
	}
	_, err = e.do(root, "DescribeKey", &kms.DescribeKeyInput{KeyId: key.KeyId})
	wantCode(t, err, "NotFoundException")
	_, err = e.do(root, "DescribeKey", &kms.DescribeKeyInput{KeyId: "alias/doomed"})
	wantCode(t, err, "NotFoundException")
	_, err = e.do(root, "Decrypt", &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob})
	wantCode(t, err, "InvalidCiphertextException")
	// Nothing of the key is left in the store.
	err = e.store.View(context.Background(), func(tx store.Tx) error {
		for _, tbl := range []string{"kms_keys", "kms_aliases", "kms_grants"} {
			err := tx.Scan(tbl, "", "", 0, func(k string, _ []byte) error {
				if strings.Contains(k, key.KeyId) || strings.Contains(k, "doomed") {
					t.Errorf("%s still holds %s", tbl, k)
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The cancelled key stays, disabled.
	d := must[kms.DescribeKeyOutput](e, root, "DescribeKey", &kms.DescribeKeyInput{KeyId: kept.KeyId})
	if d.KeyMetadata.KeyState != "Disabled" {
		t.Fatalf("kept key %+v", d.KeyMetadata)
	}
}

func TestAutomaticRotation(t *testing.T) {
	e := newEnv(t)
	root := rootOf(acct)
	key := e.createKey("")
	old := must[kms.EncryptOutput](e, root, "Encrypt", &kms.EncryptInput{KeyId: key.KeyId, Plaintext: []byte("v1")})
	must[kms.Empty](e, root, "EnableKeyRotation", &kms.EnableKeyRotationInput{KeyId: key.KeyId, RotationPeriodInDays: ptr(int32(90))})
	e.clock.Advance(89 * 24 * time.Hour)
	if res, _ := e.svc.Sweep(context.Background()); len(res.Rotated) != 0 {
		t.Fatalf("rotated early: %+v", res)
	}
	e.clock.Advance(2 * 24 * time.Hour)
	if res, err := e.svc.Sweep(context.Background()); err != nil || len(res.Rotated) != 1 {
		t.Fatalf("not rotated when due: %+v %v", res, err)
	}
	if got := strings.Join(e.events.service, ","); got != "RotateKey "+key.Arn {
		t.Fatalf("service events %q, want the RotateKey of %s", got, key.Arn)
	}
	rots := must[kms.ListKeyRotationsOutput](e, root, "ListKeyRotations", &kms.ListKeyRotationsInput{KeyId: key.KeyId})
	if len(rots.Rotations) != 1 || rots.Rotations[0].RotationType != "AUTOMATIC" || rots.Rotations[0].KeyMaterialState != "CURRENT" {
		t.Fatalf("rotations %+v", rots.Rotations)
	}
	st := must[kms.GetKeyRotationStatusOutput](e, root, "GetKeyRotationStatus", &kms.GetKeyRotationStatusInput{KeyId: key.KeyId})
	if st.NextRotationDate == nil || !st.NextRotationDate.After(e.clock.Now()) {
		t.Fatalf("next rotation %v", st.NextRotationDate)
	}
	dec := must[kms.DecryptOutput](e, root, "Decrypt", &kms.DecryptInput{CiphertextBlob: old.CiphertextBlob})
	if string(dec.Plaintext) != "v1" || dec.KeyMaterialId == rots.Rotations[0].KeyMaterialId {
		t.Fatalf("old ciphertext after rotation: %q %s", dec.Plaintext, dec.KeyMaterialId)
	}
	fresh := must[kms.EncryptOutput](e, root, "Encrypt", &kms.EncryptInput{KeyId: key.KeyId, Plaintext: []byte("v2")})
	if d := must[kms.DecryptOutput](e, root, "Decrypt", &kms.DecryptInput{CiphertextBlob: fresh.CiphertextBlob}); d.KeyMaterialId != rots.Rotations[0].KeyMaterialId {
		t.Fatalf("new ciphertext not under the new material: %s", d.KeyMaterialId)
	}
}

// TestKeyMaterialNeverAtRest greps the data folder for a key's material,
// raw, hex and base64.
func TestKeyMaterialNeverAtRest(t *testing.T) {
	e := newEnv(t)
	root := rootOf(acct)
	key := e.createKey("")
	must[kms.RotateKeyOnDemandOutput](e, root, "RotateKeyOnDemand", &kms.RotateKeyOnDemandInput{KeyId: key.KeyId})
	plaintext := []byte("plaintext-that-is-never-stored-9c2e")
	must[kms.EncryptOutput](e, root, "Encrypt", &kms.EncryptInput{KeyId: key.KeyId, Plaintext: plaintext})
	material, err := e.svc.MaterialForTest(context.Background(), acct, region, key.KeyId)
	if err != nil || len(material) != 2 || len(material[0]) != 32 {
		t.Fatalf("material: %d versions, %v", len(material), err)
	}
	e.close()
	needles := [][]byte{plaintext}
	for _, m := range material {
		needles = append(needles, m, []byte(hex.EncodeToString(m)), []byte(base64.StdEncoding.EncodeToString(m)))
	}
	err = filepath.Walk(e.data, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, n := range needles {
			if bytes.Contains(b, n) {
				t.Errorf("needle %d found in %s", i, path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestDescriptor checks every row: a kms: action, an event allow-list
// that never names a secret, and the operations of the issue.
func TestDescriptor(t *testing.T) {
	e := newEnv(t)
	d := e.svc.Descriptor()
	if d.Name != "kms" || d.EventSource != "kms.amazonaws.com" || d.Global {
		t.Fatalf("service %+v", d)
	}
	want := strings.Fields(`CreateKey DescribeKey ListKeys EnableKey DisableKey ScheduleKeyDeletion CancelKeyDeletion
		UpdateKeyDescription CreateAlias UpdateAlias DeleteAlias ListAliases GetKeyPolicy PutKeyPolicy ListKeyPolicies
		Encrypt Decrypt ReEncrypt GenerateDataKey GenerateDataKeyWithoutPlaintext GenerateRandom EnableKeyRotation
		DisableKeyRotation GetKeyRotationStatus RotateKeyOnDemand ListKeyRotations CreateGrant ListGrants RetireGrant
		RevokeGrant ListRetirableGrants TagResource UntagResource ListResourceTags`)
	if len(d.Operations) != len(want) {
		t.Fatalf("%d operations, want %d", len(d.Operations), len(want))
	}
	readOnly := map[string]bool{"DescribeKey": true, "Encrypt": true, "Decrypt": true, "ReEncrypt": true, "GenerateDataKey": true,
		"GenerateDataKeyWithoutPlaintext": true, "GenerateRandom": true}
	for _, name := range want {
		op := d.Op(name)
		if op == nil {
			t.Fatalf("missing %s", name)
		}
		if !strings.HasPrefix(op.Action, "kms:") || op.New == nil || op.Invoke == nil {
			t.Errorf("%s: incomplete row", name)
		}
		if readOnly[name] && !op.ReadOnly {
			t.Errorf("%s must be read-only", name)
		}
		for _, m := range append(append([]string(nil), op.Request...), op.Response...) {
			for _, secret := range []string{"Plaintext", "CiphertextBlob", "GrantToken", "GrantTokens"} {
				if m == secret || strings.HasSuffix(m, "."+secret) {
					t.Errorf("%s records %s", name, m)
				}
			}
		}
	}
}

func ptr[T any](v T) *T { return &v }

// A deletion whose event cannot be recorded yet keeps the event queued
// with it; a later sweep records it, once.
func TestServiceEventsOutliveARecorderFailure(t *testing.T) {
	e := newEnv(t)
	root := rootOf(acct)
	key := e.createKey("")
	must[kms.ScheduleKeyDeletionOutput](e, root, "ScheduleKeyDeletion", &kms.ScheduleKeyDeletionInput{KeyId: key.KeyId, PendingWindowInDays: ptr(int32(7))})
	e.clock.Advance(8 * 24 * time.Hour)
	e.events.failing = true
	res, err := e.svc.Sweep(context.Background())
	if err == nil || len(res.Deleted) != 1 {
		t.Fatalf("sweep with the recorder down: %+v %v", res, err)
	}
	if len(e.events.service) != 0 {
		t.Fatal("an event was recorded by a failing recorder")
	}
	e.events.failing = false
	if _, err := e.svc.Sweep(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Sweep(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(e.events.service, ","); got != "DeleteKey "+key.Arn {
		t.Fatalf("service events %q, want the one DeleteKey of %s", got, key.Arn)
	}
}
