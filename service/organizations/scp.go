package organizations

import (
	"context"
	"fmt"
	"sync"

	"github.com/cairnhq/cairn/policy"
	"github.com/cairnhq/cairn/store"
)

// snapshot is what the authorizer needs to know about one account: its
// organization and, for a member account of an organization with SCPs
// enabled, the SCPs on its path from the root down, one level each.
type snapshot struct {
	orgID      string
	mgmt       string // management account of orgID
	rootID     string
	management bool
	docs       [][]string
	parsed     [][]*policy.Policy
}

// SCPsFor returns the SCP documents that bind accountID, one level per
// node on its path: the root's first, then the account's own. levels is
// nil when the account is in no organization, when SCPs are not enabled in
// its root, and for the management account, which SCPs never bind
// (management is then true). orgID is the account's organization, ""
// when it is in none; it is set whenever the account is a member, SCPs
// enabled or not, so that a caller may use it for aws:PrincipalOrgID.
//
// It is served from memory after the first call for an account, until
// this service next writes; it allocates nothing on a hit. Callers must not
// modify the returned slices.
func (s *Service) SCPsFor(ctx context.Context, accountID string) (levels [][]string, orgID string, management bool, err error) {
	snap, err := s.snapshot(ctx, accountID)
	if err != nil {
		return nil, "", false, err
	}
	if snap.management {
		return nil, snap.orgID, true, nil
	}
	return snap.docs, snap.orgID, false, nil
}

// SCPPolicies is SCPsFor with each document already parsed as a
// policy.SCP, named by its policy ARN: the form policy.Input.SCPs takes.
// The policies are shared and immutable.
func (s *Service) SCPPolicies(ctx context.Context, accountID string) (levels [][]*policy.Policy, orgID string, management bool, err error) {
	snap, err := s.snapshot(ctx, accountID)
	if err != nil {
		return nil, "", false, err
	}
	if snap.management {
		return nil, snap.orgID, true, nil
	}
	return snap.parsed, snap.orgID, false, nil
}

// OrgIDOf returns the ID of the organization accountID belongs to, or ""
// when it belongs to none: the value of aws:PrincipalOrgID.
func (s *Service) OrgIDOf(ctx context.Context, accountID string) (string, error) {
	snap, err := s.snapshot(ctx, accountID)
	if err != nil {
		return "", err
	}
	return snap.orgID, nil
}

// snapshot returns the cached snapshot of account, reading the store on a
// miss. The hit path allocates nothing.
func (s *Service) snapshot(ctx context.Context, account string) (*snapshot, error) {
	snap, gen, ok := s.cache.get(account)
	if ok {
		return snap, nil
	}
	return s.fill(ctx, account, gen)
}

// fill reads an account's snapshot and caches it unless the cache was
// invalidated since generation gen.
func (s *Service) fill(ctx context.Context, account string, gen uint64) (*snapshot, error) {
	var snap *snapshot
	err := s.view(ctx, func(tx store.Tx) error {
		var err error
		snap, err = readSnapshot(tx, account)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("organizations: SCPs of %s: %w", account, err)
	}
	s.cache.put(account, snap, gen)
	return snap, nil
}

// readSnapshot computes an account's snapshot from the store.
func readSnapshot(tx store.Tx, account string) (*snapshot, error) {
	o, err := membership(tx, account)
	if err != nil {
		return nil, err
	}
	if o == nil {
		return &snapshot{}, nil
	}
	snap := &snapshot{orgID: o.ID, mgmt: o.Management, rootID: o.RootID, management: o.Management == account}
	if snap.management || !o.SCPEnabled {
		return snap, nil
	}
	a, err := loadAccount(tx, o, account)
	if err != nil {
		return nil, err
	}
	var own []string
	if a != nil {
		own = a.Policies
	}
	// An account still being created has no record yet: its level is
	// empty, which allows nothing.
	for _, ids := range [][]string{o.RootPolicies, own} {
		docs := make([]string, 0, len(ids))
		parsed := make([]*policy.Policy, 0, len(ids))
		for _, id := range ids {
			p, err := loadPolicy(tx, o, id)
			if err != nil {
				return nil, err
			}
			pp, err := policy.Parse(p.Content, policy.SCP)
			if err != nil {
				return nil, fmt.Errorf("stored SCP %s does not parse: %w", p.ID, err)
			}
			pp.Name = policyARN(o.Management, o.ID, p.ID)
			docs = append(docs, p.Content)
			parsed = append(parsed, pp)
		}
		snap.docs = append(snap.docs, docs)
		snap.parsed = append(snap.parsed, parsed)
	}
	return snap, nil
}

// memberCache holds snapshots by account ID. invalidate drops them all and
// bumps the generation; put refuses a snapshot read under an older
// generation, so a lookup that raced a write never caches what it read.
// When full, put evicts an arbitrary entry.
type memberCache struct {
	mu   sync.RWMutex
	gen  uint64
	max  int
	snap map[string]*snapshot
}

const defaultCacheSize = 10000

func newMemberCache(max int) *memberCache {
	return &memberCache{max: max, snap: map[string]*snapshot{}}
}

func (c *memberCache) get(account string) (*snapshot, uint64, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	s, ok := c.snap[account]
	return s, c.gen, ok
}

func (c *memberCache) put(account string, s *snapshot, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if _, ok := c.snap[account]; !ok && len(c.snap) >= c.max {
		for k := range c.snap {
			delete(c.snap, k)
			break
		}
	}
	c.snap[account] = s
}

func (c *memberCache) invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.snap)
}
