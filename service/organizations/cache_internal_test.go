package organizations

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
	"github.com/cairnhq/cairn/store/sqlite"
)

// A lookup that read the store before an invalidation must not fill the
// cache with what it read.
func TestCacheRefusesFillsAcrossInvalidation(t *testing.T) {
	c := newMemberCache(10)
	_, gen, ok := c.get("111122223333")
	if ok {
		t.Fatal("hit in an empty cache")
	}
	stale := &snapshot{orgID: "o-stale"}
	c.invalidate() // a write committed while the lookup read
	c.put("111122223333", stale, gen)
	if _, _, ok := c.get("111122223333"); ok {
		t.Fatal("stale snapshot cached after an invalidation")
	}
	_, gen, _ = c.get("111122223333")
	c.put("111122223333", stale, gen)
	if s, _, ok := c.get("111122223333"); !ok || s != stale {
		t.Fatal("fresh snapshot not cached")
	}
}

func TestCacheBound(t *testing.T) {
	c := newMemberCache(3)
	for i := range 10 {
		_, gen, _ := c.get("x")
		c.put(string(rune('a'+i)), &snapshot{}, gen)
	}
	if n := len(c.snap); n != 3 {
		t.Fatalf("%d entries in a cache of 3", n)
	}
}

type nullAccounts struct{}

func (nullAccounts) CreateMemberAccount(context.Context, string, string, string) error { return nil }

// SCPsFor is served from memory: a change made behind the service's back
// (another process) is not seen until this service writes.
func TestSCPsForServedFromMemory(t *testing.T) {
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "cairn.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := New(Config{Store: st, Accounts: nullAccounts{}})
	const mgmt = "111122223333"
	call := &cairn.Call{Principal: cairn.Principal{Type: cairn.PrincipalRoot, AccountID: mgmt}}
	ctx := context.Background()
	org, err := s.CreateOrganization(ctx, call, &CreateOrganizationInput{})
	if err != nil {
		t.Fatal(err)
	}
	if id, _ := s.OrgIDOf(ctx, mgmt); id != org.Organization.Id {
		t.Fatalf("OrgIDOf %q", id)
	}
	// Another process deletes the membership.
	if err := st.Update(ctx, func(tx store.Tx) error { return tx.Delete(tblMembers, mgmt) }); err != nil {
		t.Fatal(err)
	}
	if id, _ := s.OrgIDOf(ctx, mgmt); id != org.Organization.Id {
		t.Fatalf("cached OrgIDOf %q", id)
	}
	// Any write of this service drops the cache, even one that fails.
	if _, err := s.CreatePolicy(ctx, call, &CreatePolicyInput{Name: "x", Description: new(string), Type: TypeSCP, Content: fullAccessContent}); err == nil {
		t.Fatal("CreatePolicy outside an organization succeeded")
	}
	if id, _ := s.OrgIDOf(ctx, mgmt); id != "" {
		t.Fatalf("OrgIDOf after a write: %q", id)
	}
}
