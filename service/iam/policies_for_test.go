package iam_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cairnhq/cairn/service/iam"
)

// PoliciesFor answers from its cache, and every write that changes a
// principal's policies is seen by the next call.
func TestPoliciesForSeesChanges(t *testing.T) {
	e := newEnv(t)
	u := e.createUser("u")
	p := e.userPrincipal(u)
	docs := func() string {
		t.Helper()
		d, b, err := e.svc.PoliciesFor(t.Context(), p)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(d, "\n") + "|boundary:" + b
	}
	if got := docs(); got != "|boundary:" {
		t.Fatalf("new user has %q", got)
	}
	steps := []struct {
		name string
		do   func()
		want string
	}{
		{"inline policy", func() {
			must[iam.PutUserPolicyOutput](e, "PutUserPolicy", &iam.PutUserPolicyInput{UserName: "u", PolicyName: "p", PolicyDocument: allowS3})
		}, "s3:GetObject"},
		{"inline policy replaced", func() {
			must[iam.PutUserPolicyOutput](e, "PutUserPolicy", &iam.PutUserPolicyInput{UserName: "u", PolicyName: "p", PolicyDocument: allowIAM})
		}, `"iam:*"`},
		{"managed policy attached", func() {
			pol := e.createPolicy("m", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sns:Publish","Resource":"*"}]}`)
			must[iam.AttachUserPolicyOutput](e, "AttachUserPolicy", &iam.AttachUserPolicyInput{UserName: "u", PolicyArn: pol.Arn})
		}, "sns:Publish"},
		{"new default version", func() {
			must[iam.CreatePolicyVersionOutput](e, "CreatePolicyVersion", &iam.CreatePolicyVersionInput{
				PolicyArn: "arn:aws:iam::" + acct + ":policy/m", SetAsDefault: true,
				PolicyDocument: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sns:Subscribe","Resource":"*"}]}`})
		}, "sns:Subscribe"},
		{"group membership", func() {
			must[iam.CreateGroupOutput](e, "CreateGroup", &iam.CreateGroupInput{GroupName: "g"})
			must[iam.PutGroupPolicyOutput](e, "PutGroupPolicy", &iam.PutGroupPolicyInput{GroupName: "g", PolicyName: "gp",
				PolicyDocument: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Encrypt","Resource":"*"}]}`})
			must[iam.AddUserToGroupOutput](e, "AddUserToGroup", &iam.AddUserToGroupInput{GroupName: "g", UserName: "u"})
		}, "kms:Encrypt"},
		{"group policy changed", func() {
			must[iam.PutGroupPolicyOutput](e, "PutGroupPolicy", &iam.PutGroupPolicyInput{GroupName: "g", PolicyName: "gp",
				PolicyDocument: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]}`})
		}, "kms:Decrypt"},
		{"boundary set", func() {
			must[iam.PutUserPermissionsBoundaryOutput](e, "PutUserPermissionsBoundary", &iam.PutUserPermissionsBoundaryInput{
				UserName: "u", PermissionsBoundary: awsARN("IAMReadOnlyAccess")})
		}, `|boundary:{`},
	}
	for _, st := range steps {
		before := docs() // fills the cache
		st.do()
		after := docs()
		if after == before || !strings.Contains(after, st.want) {
			t.Fatalf("%s: PoliciesFor still answers %q", st.name, after)
		}
	}
	must[iam.DeleteUserPermissionsBoundaryOutput](e, "DeleteUserPermissionsBoundary", &iam.DeleteUserPermissionsBoundaryInput{UserName: "u"})
	if got := docs(); !strings.HasSuffix(got, "|boundary:") {
		t.Fatalf("boundary removed, PoliciesFor answers %q", got)
	}
	must[iam.RemoveUserFromGroupOutput](e, "RemoveUserFromGroup", &iam.RemoveUserFromGroupInput{GroupName: "g", UserName: "u"})
	if got := docs(); strings.Contains(got, "kms:") {
		t.Fatalf("left the group, PoliciesFor answers %q", got)
	}
}

// A cached answer needs no store; it ages out after a minute.
func TestPoliciesForIsCached(t *testing.T) {
	e := newEnv(t)
	u := e.createUser("u")
	must[iam.PutUserPolicyOutput](e, "PutUserPolicy", &iam.PutUserPolicyInput{UserName: "u", PolicyName: "p", PolicyDocument: allowS3})
	if _, _, err := e.svc.PoliciesFor(t.Context(), e.userPrincipal(u)); err != nil {
		t.Fatal(err)
	}
	if err := e.closeStore(); err != nil {
		t.Fatal(err)
	}
	docs, _, err := e.svc.PoliciesFor(t.Context(), e.userPrincipal(u))
	if err != nil || len(docs) != 1 || docs[0] != allowS3 {
		t.Fatalf("cached PoliciesFor with the store closed: %v %v", docs, err)
	}
	docs[0] = "mutated by the caller"
	if again, _, _ := e.svc.PoliciesFor(t.Context(), e.userPrincipal(u)); again[0] != allowS3 {
		t.Fatal("a caller's change reached the cache")
	}
	e.clock.Advance(2 * time.Minute)
	if _, _, err := e.svc.PoliciesFor(t.Context(), e.userPrincipal(u)); err == nil {
		t.Fatal("an aged entry must be reloaded from the (closed) store")
	}
}

// Readers racing with writers never keep a stale answer once the writes
// are done (run with -race).
func TestPoliciesForConcurrentWithWrites(t *testing.T) {
	e := newEnv(t)
	u := e.createUser("u")
	p := e.userPrincipal(u)
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
				if _, _, err := e.svc.PoliciesFor(t.Context(), p); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	for i := 0; i < 20; i++ {
		doc := allowS3
		if i%2 == 1 {
			doc = allowIAM
		}
		must[iam.PutUserPolicyOutput](e, "PutUserPolicy", &iam.PutUserPolicyInput{UserName: "u", PolicyName: "p", PolicyDocument: doc})
	}
	close(stop)
	wg.Wait()
	docs, _, err := e.svc.PoliciesFor(t.Context(), p)
	if err != nil || len(docs) != 1 || docs[0] != allowIAM {
		t.Fatalf("after the writes PoliciesFor answers %v %v", docs, err)
	}
}

// BenchmarkPoliciesForCached is the cost PoliciesFor adds to an authorized
// request once the principal's policies are cached.
func BenchmarkPoliciesForCached(b *testing.B) {
	e := newEnv(b)
	u := must[iam.CreateUserOutput](e, "CreateUser", &iam.CreateUserInput{UserName: "u"}).User
	for i := 0; i < 5; i++ {
		must[iam.PutUserPolicyOutput](e, "PutUserPolicy", &iam.PutUserPolicyInput{UserName: "u", PolicyName: string(rune('a' + i)), PolicyDocument: allowS3})
	}
	p := e.userPrincipal(u)
	ctx := b.Context()
	if _, _, err := e.svc.PoliciesFor(ctx, p); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := e.svc.PoliciesFor(ctx, p); err != nil {
			b.Fatal(err)
		}
	}
}
