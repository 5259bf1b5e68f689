package iam

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// PoliciesFor returns the identity-based policy documents that apply to a
// principal, and its permissions boundary document ("" when none): for an
// IAM user its inline policies, the default versions of its attached
// managed policies (AWS managed ones included), and the same for each of
// its groups; for an assumed role (a session whose issuer is a role) the
// role's. The root user and principals of other kinds get none: the root
// user is not governed by identity policies. Documents are returned as
// stored (JSON, not URL-encoded). A user or role that no longer exists has
// no policies.
//
// PoliciesFor runs on every authorized request, so its answers are cached
// per principal, in a bounded cache that every committed write of this
// process to users, groups, roles, policies, attachments or boundaries
// empties; entries also expire after a minute, which bounds how long a
// change made by another process sharing the store goes unseen. The
// simulator resolves principals with the same code (principalPolicies).
func (s *Service) PoliciesFor(ctx context.Context, p cairn.Principal) (identity []string, boundary string, err error) {
	key, ok := policyCacheKey(p)
	if !ok {
		return nil, "", nil
	}
	now := s.cfg.Clock.Now()
	e, gen, hit := s.policies.get(key, now)
	if hit {
		return cloneStrings(e.identity), e.boundary, nil
	}
	set, err := s.policiesOf(ctx, p)
	if err != nil {
		return nil, "", err
	}
	if set != nil {
		identity, boundary = set.documents()
	}
	s.policies.put(key, policyEntry{identity: identity, boundary: boundary}, gen, now)
	return cloneStrings(identity), boundary, nil
}

// policiesOf loads the policies of a user or of the role behind a session;
// nil when the principal has none or no longer exists.
func (s *Service) policiesOf(ctx context.Context, p cairn.Principal) (*policySet, error) {
	acct := p.AccountID
	var set *policySet
	var err error
	switch {
	case p.Type == cairn.PrincipalIAMUser && p.UserName != "":
		err = s.view(ctx, func(tx store.Tx) error {
			u, err := loadUser(tx, acct, p.UserName)
			if err != nil {
				return err
			}
			if p.ID != "" && u.ID != p.ID {
				return noSuchUser(p.UserName) // a new user under an old name
			}
			set, err = userPolicies(tx, acct, u)
			return err
		})
	case p.Type == cairn.PrincipalAssumedRole && p.Session != nil:
		name := roleNameOf(p.Session.Issuer)
		if name == "" {
			return nil, nil
		}
		err = s.view(ctx, func(tx store.Tx) error {
			r, err := loadRole(tx, acct, name)
			if err != nil {
				return err
			}
			if id := p.Session.Issuer.ID; id != "" && r.ID != id {
				return noSuchRole(name)
			}
			set, err = rolePolicies(tx, acct, r)
			return err
		})
	default:
		return nil, nil
	}
	if err != nil {
		if cairn.AsError(err) != nil { // the user or role is gone
			return nil, nil
		}
		return nil, err
	}
	return set, nil
}

// sourcePolicy is one policy document with what the simulator reports
// about it: its name and its PolicySourceType (user, group, role for
// inline policies; aws-managed, user-managed for managed ones).
type sourcePolicy struct {
	Document string
	ID       string
	Type     string
}

// policySet is what governs a user, group or role.
type policySet struct {
	Identity []sourcePolicy
	Boundary *sourcePolicy
}

func (ps *policySet) documents() ([]string, string) {
	var docs []string
	for _, p := range ps.Identity {
		docs = append(docs, p.Document)
	}
	if ps.Boundary == nil {
		return docs, ""
	}
	return docs, ps.Boundary.Document
}

// userPolicies are a user's inline and attached policies, its groups',
// and its boundary.
func userPolicies(tx store.Tx, account string, u *userRec) (*policySet, error) {
	set := &policySet{}
	var err error
	if set.Identity, err = collect(tx, account, kindUser, u.Inline, u.Attached, set.Identity); err != nil {
		return nil, err
	}
	for _, gname := range u.Groups {
		g, err := loadGroup(tx, account, gname)
		if err != nil {
			return nil, fmt.Errorf("group %s of user %s: %w", gname, u.Name, err)
		}
		if set.Identity, err = collect(tx, account, kindGroup, g.Inline, g.Attached, set.Identity); err != nil {
			return nil, err
		}
	}
	set.Boundary, err = boundaryPolicy(tx, account, u.Boundary)
	return set, err
}

// groupPolicies are a group's inline and attached policies.
func groupPolicies(tx store.Tx, account string, g *groupRec) (*policySet, error) {
	set := &policySet{}
	var err error
	set.Identity, err = collect(tx, account, kindGroup, g.Inline, g.Attached, nil)
	return set, err
}

// rolePolicies are a role's inline and attached policies and its boundary.
func rolePolicies(tx store.Tx, account string, r *roleRec) (*policySet, error) {
	set := &policySet{}
	var err error
	if set.Identity, err = collect(tx, account, kindRole, r.Inline, r.Attached, nil); err != nil {
		return nil, err
	}
	set.Boundary, err = boundaryPolicy(tx, account, r.Boundary)
	return set, err
}

// roleNameOf is the role behind a session issuer: its UserName, or the
// last segment of its ARN.
func roleNameOf(is cairn.Issuer) string {
	if is.UserName != "" {
		return is.UserName
	}
	if i := strings.LastIndex(is.ARN, "/"); i >= 0 && strings.Contains(is.ARN, ":role/") {
		return is.ARN[i+1:]
	}
	return ""
}

func collect(tx store.Tx, account string, kind entityKind, inline []inlinePolicy, attached []string, out []sourcePolicy) ([]sourcePolicy, error) {
	for _, p := range inline {
		out = append(out, sourcePolicy{Document: p.Document, ID: p.Name, Type: string(kind)})
	}
	for _, arn := range attached {
		p, err := loadPolicy(tx, account, arn)
		if err != nil {
			return nil, fmt.Errorf("attached policy %s: %w", arn, err)
		}
		if p != nil {
			out = append(out, sourcePolicy{Document: p.defaultDocument(), ID: p.Name, Type: p.sourceType()})
		}
	}
	return out, nil
}

func boundaryPolicy(tx store.Tx, account, arn string) (*sourcePolicy, error) {
	if arn == "" {
		return nil, nil
	}
	p, err := loadPolicy(tx, account, arn)
	if err != nil {
		return nil, fmt.Errorf("permissions boundary %s: %w", arn, err)
	}
	if p == nil {
		return nil, nil
	}
	return &sourcePolicy{Document: p.defaultDocument(), ID: p.Name, Type: p.sourceType()}, nil
}

// sourceType is the simulator's PolicySourceType of a managed policy.
func (p *policyRec) sourceType() string {
	if p.awsManaged {
		return "aws-managed"
	}
	return "user-managed"
}

func cloneStrings(s []string) []string {
	if s == nil {
		return nil
	}
	return append([]string(nil), s...)
}

// The policy cache.

// defaultPolicyCacheSize bounds the principals whose policies are cached.
const defaultPolicyCacheSize = 10000

type policyEntry struct {
	identity []string
	boundary string
	loaded   time.Time
}

type policyCache struct {
	mu  sync.RWMutex
	max int
	ttl time.Duration
	// gen counts invalidations: a lookup that read the store while a
	// write committed may hold stale data and must not fill the cache.
	gen uint64
	m   map[string]policyEntry
}

func newPolicyCache(max int, ttl time.Duration) *policyCache {
	return &policyCache{max: max, ttl: ttl, m: make(map[string]policyEntry)}
}

// get returns the entry for key if it is fresh, and the generation to
// pass to put after loading.
func (c *policyCache) get(key string, now time.Time) (policyEntry, uint64, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.m[key]
	if ok && now.Sub(e.loaded) < c.ttl && !now.Before(e.loaded) {
		return e, c.gen, true
	}
	return policyEntry{}, c.gen, false
}

// put stores e unless the cache was invalidated since gen was read.
func (c *policyCache) put(key string, e policyEntry, gen uint64, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if _, ok := c.m[key]; !ok && len(c.m) >= c.max {
		for k := range c.m { // evict an arbitrary entry
			delete(c.m, k)
			break
		}
	}
	e.loaded = now
	c.m[key] = e
}

// invalidate forgets every entry.
func (c *policyCache) invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	if len(c.m) > 0 {
		c.m = make(map[string]policyEntry)
	}
}

func (c *policyCache) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m)
}

// policyCacheKey identifies a principal whose policies IAM stores; false
// for principals without identity policies (root, services, anonymous).
func policyCacheKey(p cairn.Principal) (string, bool) {
	switch {
	case p.Type == cairn.PrincipalIAMUser && p.UserName != "":
		return "u\x00" + p.AccountID + "\x00" + lower(p.UserName) + "\x00" + p.ID, true
	case p.Type == cairn.PrincipalAssumedRole && p.Session != nil:
		name := roleNameOf(p.Session.Issuer)
		if name == "" {
			return "", false
		}
		return "r\x00" + p.AccountID + "\x00" + lower(name) + "\x00" + p.Session.Issuer.ID, true
	}
	return "", false
}
