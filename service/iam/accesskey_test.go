package iam_test

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/service/iam"
)

func TestAccessKeyLifecycle(t *testing.T) {
	e := newEnv(t)
	u := e.createUser("alice")
	k1 := e.createKey("alice")
	if !keyIDRe.MatchString(k1.AccessKeyId) || len(k1.SecretAccessKey) != 40 || k1.Status != "Active" ||
		k1.UserName != "alice" || !k1.CreateDate.Equal(e.clock.Now()) {
		t.Fatalf("key %+v", k1)
	}
	k2 := e.createKey("ALICE")
	e.fail("CreateAccessKey", &iam.CreateAccessKeyInput{UserName: sp("alice")}, "LimitExceeded", 409, "Cannot exceed quota for AccessKeysPerUser: 2")
	e.fail("CreateAccessKey", &iam.CreateAccessKeyInput{UserName: sp("nobody")}, "NoSuchEntity", 404, "The user with name nobody cannot be found.")

	list := must[iam.ListAccessKeysOutput](e, "ListAccessKeys", &iam.ListAccessKeysInput{UserName: sp("alice")})
	if len(list.AccessKeyMetadata) != 2 || list.IsTruncated {
		t.Fatalf("list %+v", list)
	}
	ids := map[string]bool{k1.AccessKeyId: true, k2.AccessKeyId: true}
	for _, m := range list.AccessKeyMetadata {
		if !ids[m.AccessKeyId] || m.Status != "Active" || m.UserName != "alice" {
			t.Fatalf("metadata %+v", m)
		}
	}
	page := must[iam.ListAccessKeysOutput](e, "ListAccessKeys", &iam.ListAccessKeysInput{UserName: sp("alice"), MaxItems: i32(1)})
	if len(page.AccessKeyMetadata) != 1 || !page.IsTruncated || page.Marker == nil {
		t.Fatalf("page 1 %+v", page)
	}
	page2 := must[iam.ListAccessKeysOutput](e, "ListAccessKeys", &iam.ListAccessKeysInput{UserName: sp("alice"), MaxItems: i32(1), Marker: page.Marker})
	if len(page2.AccessKeyMetadata) != 1 || page2.IsTruncated || page2.AccessKeyMetadata[0].AccessKeyId == page.AccessKeyMetadata[0].AccessKeyId {
		t.Fatalf("page 2 %+v", page2)
	}

	// Without UserName an IAM user acts on itself.
	self := e.userPrincipal(u)
	own := mustAs[iam.ListAccessKeysOutput](e, self, "ListAccessKeys", &iam.ListAccessKeysInput{})
	if len(own.AccessKeyMetadata) != 2 {
		t.Fatalf("self list %+v", own)
	}
	mustAs[iam.UpdateAccessKeyOutput](e, self, "UpdateAccessKey", &iam.UpdateAccessKeyInput{AccessKeyId: k1.AccessKeyId, Status: "Inactive"})
	list = must[iam.ListAccessKeysOutput](e, "ListAccessKeys", &iam.ListAccessKeysInput{UserName: sp("alice")})
	for _, m := range list.AccessKeyMetadata {
		if want := map[bool]string{true: "Inactive", false: "Active"}[m.AccessKeyId == k1.AccessKeyId]; m.Status != want {
			t.Fatalf("%s status %s, want %s", m.AccessKeyId, m.Status, want)
		}
	}
	e.fail("UpdateAccessKey", &iam.UpdateAccessKeyInput{UserName: sp("alice"), AccessKeyId: k1.AccessKeyId, Status: "Paused"}, "ValidationError", 400,
		"1 validation error detected: Value 'Paused' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Expired, Inactive]")

	// A key of another user is not found under this one.
	e.createUser("bob")
	e.fail("DeleteAccessKey", &iam.DeleteAccessKeyInput{UserName: sp("bob"), AccessKeyId: k1.AccessKeyId}, "NoSuchEntity", 404,
		"The Access Key with id "+k1.AccessKeyId+" cannot be found.")
	must[iam.DeleteAccessKeyOutput](e, "DeleteAccessKey", &iam.DeleteAccessKeyInput{UserName: sp("alice"), AccessKeyId: k1.AccessKeyId})
	e.fail("DeleteAccessKey", &iam.DeleteAccessKeyInput{UserName: sp("alice"), AccessKeyId: k1.AccessKeyId}, "NoSuchEntity", 404, "")
	// A third key fits again.
	e.createKey("alice")
}

// readDB returns the bytes of the database and its write-ahead log.
func readDB(t *testing.T, e *env) []byte {
	t.Helper()
	var all []byte
	for _, p := range []string{e.dbPath, e.dbPath + "-wal"} {
		b, err := os.ReadFile(p)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	return all
}

func TestSecretsAreNotStoredInPlaintext(t *testing.T) {
	e := newEnv(t)
	e.createUser("alice")
	k := e.createKey("alice")
	id, secret, token, err := e.svc.IssueSessionCredentials(t.Context(), root(), e.clock.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	db := readDB(t, e)
	// The files are the right ones: the key IDs are there.
	if !bytes.Contains(db, []byte(k.AccessKeyId)) || !bytes.Contains(db, []byte(id)) {
		t.Fatal("key IDs not found in the database files")
	}
	for what, s := range map[string]string{"secret": k.SecretAccessKey, "session secret": secret, "session token": token} {
		if bytes.Contains(db, []byte(s)) {
			t.Errorf("%s stored in plaintext", what)
		}
	}
}

func TestLookupAccessKey(t *testing.T) {
	e := newEnv(t)
	u := must[iam.CreateUserOutput](e, "CreateUser", &iam.CreateUserInput{UserName: "alice", Path: sp("/eng/"), Tags: []iam.Tag{{Key: "team", Value: "core"}}}).User
	k := e.createKey("alice")
	cred, err := e.svc.LookupAccessKey(k.AccessKeyId)
	if err != nil {
		t.Fatal(err)
	}
	want := cairn.Principal{Type: cairn.PrincipalIAMUser, AccountID: acct, ARN: u.Arn, ID: u.UserId, UserName: "alice"}
	p := cred.Principal
	if cred.AccessKeyID != k.AccessKeyId || cred.Secret != k.SecretAccessKey || !cred.Active || cred.SessionToken != "" || !cred.Expires.IsZero() ||
		p.Type != want.Type || p.AccountID != want.AccountID || p.ARN != want.ARN || p.ID != want.ID || p.UserName != want.UserName ||
		p.Tags["team"] != "core" || len(p.Tags) != 1 {
		t.Fatalf("credential %+v", cred)
	}
	// The caller may not alias the cache.
	cred.Principal.Tags["team"] = "mutated"
	again, _ := e.svc.LookupAccessKey(k.AccessKeyId)
	if again.Principal.Tags["team"] != "core" {
		t.Fatal("cache aliased by a caller")
	}
	if _, err := e.svc.LookupAccessKey("AKIAUNKNOWNKEY000000"); !errors.Is(err, cairn.ErrNotFound) {
		t.Fatalf("unknown key: %v", err)
	}
	if _, err := e.svc.LookupAccessKey(""); !errors.Is(err, cairn.ErrNotFound) {
		t.Fatalf("empty key: %v", err)
	}
}

// Writes by this process invalidate cached credentials at once.
func TestLookupCacheInvalidation(t *testing.T) {
	e := newEnv(t)
	e.createUser("alice")
	k := e.createKey("alice")
	lookup := func() *cairn.Credential {
		t.Helper()
		c, err := e.svc.LookupAccessKey(k.AccessKeyId)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if !lookup().Active {
		t.Fatal("new key inactive")
	}
	must[iam.UpdateAccessKeyOutput](e, "UpdateAccessKey", &iam.UpdateAccessKeyInput{UserName: sp("alice"), AccessKeyId: k.AccessKeyId, Status: "Inactive"})
	if lookup().Active {
		t.Fatal("cached key still active after UpdateAccessKey Inactive")
	}
	must[iam.UpdateAccessKeyOutput](e, "UpdateAccessKey", &iam.UpdateAccessKeyInput{UserName: sp("alice"), AccessKeyId: k.AccessKeyId, Status: "Active"})
	if !lookup().Active {
		t.Fatal("key inactive after reactivation")
	}
	must[iam.TagUserOutput](e, "TagUser", &iam.TagUserInput{UserName: "alice", Tags: []iam.Tag{{Key: "env", Value: "prod"}}})
	if lookup().Principal.Tags["env"] != "prod" {
		t.Fatal("cached principal misses the new tag")
	}
	must[iam.UntagUserOutput](e, "UntagUser", &iam.UntagUserInput{UserName: "alice", TagKeys: []string{"ENV"}})
	if _, ok := lookup().Principal.Tags["env"]; ok {
		t.Fatal("cached principal keeps a removed tag")
	}
	must[iam.DeleteAccessKeyOutput](e, "DeleteAccessKey", &iam.DeleteAccessKeyInput{UserName: sp("alice"), AccessKeyId: k.AccessKeyId})
	if _, err := e.svc.LookupAccessKey(k.AccessKeyId); !errors.Is(err, cairn.ErrNotFound) {
		t.Fatalf("deleted key: %v", err)
	}
}

// A cached credential is served without the store; it ages out.
func TestLookupIsCached(t *testing.T) {
	e := newEnv(t)
	e.createUser("alice")
	k := e.createKey("alice")
	if _, err := e.svc.LookupAccessKey(k.AccessKeyId); err != nil {
		t.Fatal(err)
	}
	if err := e.closeStore(); err != nil {
		t.Fatal(err)
	}
	cred, err := e.svc.LookupAccessKey(k.AccessKeyId)
	if err != nil || cred.Secret != k.SecretAccessKey {
		t.Fatalf("cached lookup with the store closed: %v", err)
	}
	e.clock.Advance(2 * time.Minute)
	if _, err := e.svc.LookupAccessKey(k.AccessKeyId); err == nil || errors.Is(err, cairn.ErrNotFound) {
		t.Fatalf("an aged entry must be reloaded from the (closed) store, got %v", err)
	}
}

// Lookups racing with updates never resurrect a stale credential.
func TestLookupConcurrentWithUpdates(t *testing.T) {
	e := newEnv(t)
	e.createUser("alice")
	k := e.createKey("alice")
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := e.svc.LookupAccessKey(k.AccessKeyId); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	for i := 0; i < 20; i++ {
		status := []string{"Inactive", "Active"}[i%2]
		must[iam.UpdateAccessKeyOutput](e, "UpdateAccessKey", &iam.UpdateAccessKeyInput{UserName: sp("alice"), AccessKeyId: k.AccessKeyId, Status: status})
	}
	close(stop)
	wg.Wait()
	// The last write set Active; after all lookups the cache agrees.
	must[iam.UpdateAccessKeyOutput](e, "UpdateAccessKey", &iam.UpdateAccessKeyInput{UserName: sp("alice"), AccessKeyId: k.AccessKeyId, Status: "Inactive"})
	c, err := e.svc.LookupAccessKey(k.AccessKeyId)
	if err != nil || c.Active {
		t.Fatalf("after final Inactive: %+v, %v", c, err)
	}
}

func TestBootstrap(t *testing.T) {
	e := newEnv(t)
	const id, secret = "AKIAROOTEXAMPLE00001", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	for i := 0; i < 2; i++ { // idempotent
		if err := e.svc.Bootstrap(t.Context(), acct, id, secret); err != nil {
			t.Fatalf("bootstrap %d: %v", i, err)
		}
	}
	cred, err := e.svc.LookupAccessKey(id)
	if err != nil {
		t.Fatal(err)
	}
	if cred.Secret != secret || !cred.Active || cred.Principal.Type != cairn.PrincipalRoot || cred.Principal.AccountID != acct ||
		cred.Principal.ARN != "arn:aws:iam::"+acct+":root" || cred.Principal.ID != acct {
		t.Fatalf("root credential %+v", cred)
	}
	if err := e.svc.Bootstrap(t.Context(), acct, id, strings.Repeat("x", 40)); err == nil {
		t.Fatal("bootstrap accepted another secret for the same key")
	}
	if err := e.svc.Bootstrap(t.Context(), "210987654321", id, secret); err == nil {
		t.Fatal("bootstrap gave one key to two accounts")
	}
	if err := e.svc.Bootstrap(t.Context(), "12345", "AKIAROOTEXAMPLE00002", secret); err == nil {
		t.Fatal("bootstrap accepted a bad account ID")
	}
	if bytes.Contains(readDB(t, e), []byte(secret)) {
		t.Fatal("root secret stored in plaintext")
	}
	// The root user lists and creates its own keys.
	keys := must[iam.ListAccessKeysOutput](e, "ListAccessKeys", &iam.ListAccessKeysInput{}).AccessKeyMetadata
	if len(keys) != 1 || keys[0].AccessKeyId != id {
		t.Fatalf("root keys %+v", keys)
	}
	k2 := must[iam.CreateAccessKeyOutput](e, "CreateAccessKey", &iam.CreateAccessKeyInput{}).AccessKey
	c2, err := e.svc.LookupAccessKey(k2.AccessKeyId)
	if err != nil || c2.Principal.Type != cairn.PrincipalRoot {
		t.Fatalf("second root key %+v, %v", c2, err)
	}
	e.fail("CreateAccessKey", &iam.CreateAccessKeyInput{}, "LimitExceeded", 409, "Cannot exceed quota for AccessKeysPerUser: 2")
	if err := e.svc.Bootstrap(t.Context(), acct, "AKIAROOTEXAMPLE00003", secret); err == nil {
		t.Fatal("bootstrap added a third root key")
	}
}

func TestSessionCredentials(t *testing.T) {
	e := newEnv(t)
	u := e.createUser("alice")
	p := e.userPrincipal(u)
	now := e.clock.Now()
	p.Session = &cairn.Session{Issuer: cairn.Issuer{Type: cairn.PrincipalIAMUser, ID: u.UserId, ARN: u.Arn, AccountID: acct, UserName: "alice"}, CreatedAt: now, Expires: now.Add(time.Hour)}
	id, secret, token, err := e.svc.IssueSessionCredentials(t.Context(), p, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(id, "ASIA") || len(id) != 20 || len(secret) != 40 || len(token) < 100 {
		t.Fatalf("session credentials %s %d %d", id, len(secret), len(token))
	}
	cred, err := e.svc.LookupAccessKey(id)
	if err != nil {
		t.Fatal(err)
	}
	if cred.Secret != secret || cred.SessionToken != token || !cred.Active || !cred.Expires.Equal(now.Add(time.Hour)) ||
		cred.Principal.ARN != u.Arn || cred.Principal.Session == nil || cred.Principal.Session.Issuer.UserName != "alice" {
		t.Fatalf("session credential %+v", cred)
	}
	// Session keys are not IAM access keys.
	e.fail("DeleteAccessKey", &iam.DeleteAccessKeyInput{UserName: sp("alice"), AccessKeyId: id}, "NoSuchEntity", 404, "")

	// Expired keys stay resolvable for a day (ExpiredToken, not an unknown
	// key), then the next issue purges them.
	e.clock.Advance(2 * time.Hour)
	if c, err := e.svc.LookupAccessKey(id); err != nil || !c.Expires.Before(e.clock.Now()) {
		t.Fatalf("expired session: %+v, %v", c, err)
	}
	e.clock.Advance(24 * time.Hour)
	if _, _, _, err := e.svc.IssueSessionCredentials(t.Context(), p, e.clock.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.LookupAccessKey(id); !errors.Is(err, cairn.ErrNotFound) {
		t.Fatalf("purged session: %v", err)
	}
}

func TestAccessKeyLastUsed(t *testing.T) {
	e := newEnv(t)
	e.createUser("alice")
	k := e.createKey("alice")
	get := func() *iam.GetAccessKeyLastUsedOutput {
		return must[iam.GetAccessKeyLastUsedOutput](e, "GetAccessKeyLastUsed", &iam.GetAccessKeyLastUsedInput{AccessKeyId: k.AccessKeyId})
	}
	out := get()
	if out.UserName != "alice" || out.AccessKeyLastUsed.LastUsedDate != nil || out.AccessKeyLastUsed.ServiceName != "N/A" || out.AccessKeyLastUsed.Region != "N/A" {
		t.Fatalf("never used: %+v %+v", out, out.AccessKeyLastUsed)
	}
	t0 := e.clock.Now()
	e.svc.MarkUsed(k.AccessKeyId, "s3", "eu-west-1", t0)
	e.svc.MarkUsed(k.AccessKeyId, "sts", "us-east-1", t0.Add(30*time.Second)) // within the minute: dropped
	e.svc.MarkUsed("AKIAUNKNOWNKEY000000", "iam", "us-east-1", t0)            // ignored
	if err := e.svc.Close(); err != nil {                                     // flushes
		t.Fatal(err)
	}
	out = get()
	lu := out.AccessKeyLastUsed
	if lu.LastUsedDate == nil || !lu.LastUsedDate.Equal(t0) || lu.ServiceName != "s3" || lu.Region != "eu-west-1" {
		t.Fatalf("last used %+v", lu)
	}
	e.fail("GetAccessKeyLastUsed", &iam.GetAccessKeyLastUsedInput{AccessKeyId: "AKIAUNKNOWNKEY000000"}, "NoSuchEntity", 404, "")
	other := cairn.Principal{Type: cairn.PrincipalRoot, AccountID: "210987654321", ARN: cairn.RootARN("210987654321")}
	_, err := e.invokeAs(other, "GetAccessKeyLastUsed", &iam.GetAccessKeyLastUsedInput{AccessKeyId: k.AccessKeyId})
	wantErr(t, err, "NoSuchEntity", 404, "")
}

func TestMarkUsedThrottlesPerMinute(t *testing.T) {
	e := newEnv(t)
	e.createUser("alice")
	k := e.createKey("alice")
	t0 := e.clock.Now()
	e.svc.MarkUsed(k.AccessKeyId, "s3", "eu-west-1", t0)
	e.svc.MarkUsed(k.AccessKeyId, "iam", "us-east-1", t0.Add(61*time.Second)) // a minute later: recorded
	if err := e.svc.Close(); err != nil {
		t.Fatal(err)
	}
	lu := must[iam.GetAccessKeyLastUsedOutput](e, "GetAccessKeyLastUsed", &iam.GetAccessKeyLastUsedInput{AccessKeyId: k.AccessKeyId}).AccessKeyLastUsed
	if lu.ServiceName != "iam" || !lu.LastUsedDate.Equal(t0.Add(61*time.Second)) {
		t.Fatalf("last used %+v", lu)
	}
}
