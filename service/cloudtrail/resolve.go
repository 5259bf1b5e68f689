package cloudtrail

import (
	"context"
	"sort"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// caller is who asks, from which region, and the organization their
// account belongs to.
type caller struct {
	account, region string
	orgID           string // "" when the account is in no organization
	management      string // the organization's management account
}

// member reports whether the caller's account is a member (not the
// management account) of an organization, whose organization trails it
// sees.
func (cl caller) member() bool {
	return cl.orgID != "" && cl.management != "" && cl.management != cl.account
}

func (s *Service) callerOf(ctx context.Context, c *cairn.Call) (caller, error) {
	cl := caller{account: c.Account(), region: c.Region}
	if s.cfg.Organizations != nil {
		org, mgmt, err := s.cfg.Organizations.OrganizationOf(ctx, cl.account)
		if err != nil {
			return caller{}, errorf("organization of %s: %w", cl.account, err)
		}
		cl.orgID, cl.management = org, mgmt
	}
	return cl, nil
}

// seenFrom reports whether the caller sees r from its region: its own
// trails homed there or multi-region, and the organization trails of its
// organization that cover the region.
func (cl caller) sees(r *trailRec) bool {
	if !r.covers(cl.region) {
		return false
	}
	if r.Account == cl.account {
		return true
	}
	return cl.member() && r.Account == cl.management && r.Organization && r.OrgID == cl.orgID
}

// shadow reports whether r is, from the caller's region, a shadow trail: a
// trail homed in another region or another account.
func (cl caller) shadow(r *trailRec) bool { return r.Region != cl.region || r.Account != cl.account }

// visibleTrails returns every trail the caller sees from its region, its
// own trails homed in the region first (by name), then the shadow trails
// (by ARN).
func visibleTrails(tx store.Tx, cl caller) ([]*trailRec, error) {
	own, err := accountTrails(tx, cl.account)
	if err != nil {
		return nil, err
	}
	var home, shadows []*trailRec
	for _, r := range own {
		if !cl.sees(r) {
			continue
		}
		if cl.shadow(r) {
			shadows = append(shadows, r)
		} else {
			home = append(home, r)
		}
	}
	if cl.member() {
		org, err := accountTrails(tx, cl.management)
		if err != nil {
			return nil, err
		}
		for _, r := range org {
			if cl.sees(r) {
				shadows = append(shadows, r)
			}
		}
	}
	sort.Slice(home, func(i, j int) bool { return home[i].Name < home[j].Name })
	sortByARN(shadows)
	return append(home, shadows...), nil
}

// access is what a call does to the trail it names.
type access int

const (
	read  access = iota // Get*, DescribeTrails: shadow trails too, by ARN
	write               // changes the trail: home region only
)

// resolve finds the trail ref names as the caller sees it (spec §1.6): a
// name names a trail homed in the caller's region; an ARN may name a
// shadow trail, which only read calls may act on. notFound builds the
// error for a trail that does not exist.
func resolve(tx store.Tx, cl caller, ref trailRef, mode access, notFound func() error) (*trailRec, error) {
	if !ref.IsARN {
		r, err := loadTrail(tx, cl.account, cl.region, ref.Name)
		if err != nil {
			return nil, err
		}
		if r == nil {
			return nil, notFound()
		}
		return r, nil
	}
	if ref.Account != cl.account {
		if mode == read && cl.member() && ref.Account == cl.management {
			r, err := loadTrail(tx, ref.Account, ref.Region, ref.Name)
			if err != nil {
				return nil, err
			}
			if r == nil || !cl.sees(r) {
				return nil, notFound()
			}
			return r, nil
		}
		return nil, wrongAccountARN(cl.account)
	}
	r, err := loadTrail(tx, ref.Account, ref.Region, ref.Name)
	if err != nil {
		return nil, err
	}
	if r == nil || !cl.sees(r) {
		return nil, notFound()
	}
	if mode == write && r.Region != cl.region {
		return nil, notHomeRegion(r.arn(), r.Region)
	}
	return r, nil
}

// notFoundAs is TrailNotFoundException naming the input as given.
func notFoundAs(ref trailRef, account string) func() error {
	return func() error { return trailNotFound(ref.Input, account) }
}

// notFoundARN is TrailNotFoundException naming the trail by ARN, as
// GetTrailStatus and GetEventSelectors do: a name becomes the ARN it would
// have in the caller's region.
func notFoundARN(ref trailRef, cl caller) func() error {
	return func() error {
		if ref.IsARN {
			return trailNotFound(ref.Input, cl.account)
		}
		return trailNotFound(TrailARN(cl.region, cl.account, ref.Name), cl.account)
	}
}

// lookup resolves a name-or-ARN parameter in one read transaction.
func (s *Service) lookup(ctx context.Context, c *cairn.Call, nameOrARN string, mode access, byARN bool) (*trailRec, caller, error) {
	ref, err := parseRef(nameOrARN)
	if err != nil {
		return nil, caller{}, err
	}
	cl, err := s.callerOf(ctx, c)
	if err != nil {
		return nil, caller{}, err
	}
	nf := notFoundAs(ref, cl.account)
	if byARN {
		nf = notFoundARN(ref, cl)
	}
	var r *trailRec
	err = s.view(ctx, func(tx store.Tx) error {
		var err error
		r, err = resolve(tx, cl, ref, mode, nf)
		return err
	})
	if err != nil {
		return nil, caller{}, err
	}
	return r, cl, nil
}

// trailTarget gives authorization the tags of the trail a call names, or
// nil when it cannot be found.
func (s *Service) trailTarget(ctx context.Context, c *cairn.Call, nameOrARN string) (*cairn.Target, error) {
	if nameOrARN == "" {
		return nil, nil
	}
	r, _, err := s.lookup(ctx, c, nameOrARN, read, false)
	if err != nil {
		if cairn.AsError(err) != nil {
			return nil, nil // the handler reports it
		}
		return nil, err
	}
	if len(r.Tags) == 0 {
		return nil, nil
	}
	t := &cairn.Target{Tags: map[string]string{}}
	for _, tag := range r.Tags {
		t.Tags[tag.Key] = str(tag.Value)
	}
	return t, nil
}
