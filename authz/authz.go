// Package authz is the funnel's authorize step: it gathers every policy that
// bears on a call (identity policies, permissions boundary, session
// policies, service control policies, the resource's policy), fills the
// request context with the global condition keys, and asks the policy
// engine. It implements server.Authorizer.
//
// Guarantees: a call is allowed only when policy.Evaluate allows it for
// every resource the operation names; denials carry AWS's AccessDenied
// wording; the simulator in the IAM service uses the same engine and the
// same documents, so it cannot disagree. Parsed policies are cached by
// document text and never re-parsed per request.
package authz

import (
	"context"
	"fmt"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/policy"
)

// Identities supplies the identity-based policies of a principal.
type Identities interface {
	// PoliciesFor returns the identity policy documents and the
	// permissions boundary document ("" = none) of p.
	PoliciesFor(ctx context.Context, p cairn.Principal) (identity []string, boundary string, err error)
}

// Organizations supplies service control policies.
type Organizations interface {
	// SCPsFor returns, for an account, the SCP documents at each level from
	// the organization root down to the account, the organization ID, and
	// whether the account is the management account (never bound by SCPs).
	SCPsFor(ctx context.Context, accountID string) (levels [][]string, orgID string, management bool, err error)
}

// Authorizer decides calls with the policy engine.
type Authorizer struct {
	identities Identities
	orgs       Organizations
	cache      *Cache
}

// New builds an Authorizer. orgs may be nil when Organizations is not
// served.
func New(identities Identities, orgs Organizations) *Authorizer {
	return &Authorizer{identities: identities, orgs: orgs, cache: NewCache(4096)}
}

// Authorize allows the call, or returns AccessDenied with AWS's message.
func (a *Authorizer) Authorize(ctx context.Context, c *cairn.Call, op *cairn.Operation, in any) error {
	if op.AlwaysAllowed {
		return nil
	}
	in2, orgID, err := a.input(ctx, c)
	if err != nil {
		return err
	}
	req := &in2.Request
	fillGlobalKeys(req, c, orgID)
	requestTags(req, in)
	if op.Conditions != nil {
		for k, v := range op.Conditions(c, in) {
			req.Set(k, v...)
		}
	}
	var grant func(string, map[string][]string) bool
	if op.Target != nil {
		t, err := op.Target(ctx, c, in)
		if err != nil {
			return fmt.Errorf("authorize %s: resource: %w", op.Action, err)
		}
		if t != nil {
			for k, v := range t.Tags {
				req.Set("aws:ResourceTag/"+k, v)
			}
			for k, v := range t.Conditions {
				req.Set(k, v...)
			}
			grant = t.Grant
			in2.ResourceAccount = t.Account
			in2.ResourcePolicyRequired = t.PolicyRequired
			if t.Policy != "" {
				kind, name := policy.Resource, "resource-policy"
				if t.Trust {
					kind, name = policy.Trust, "trust-policy"
				}
				rp, err := a.cache.Parse(t.Policy, kind, name)
				if err != nil {
					return fmt.Errorf("authorize %s: resource policy: %w", op.Action, err)
				}
				in2.ResourcePolicy = rp
			}
		}
	}
	c.Context = req.Context
	resources := []string{"*"}
	if op.Resources != nil {
		if rs := op.Resources(c, in); len(rs) > 0 {
			resources = resources[:0]
			for _, r := range rs {
				if !r.RecordOnly {
					resources = append(resources, r.ARN)
				}
			}
		}
	}
	actions := []string{op.Action}
	if op.MoreActions != nil {
		actions = append(actions, op.MoreActions(c, in)...)
	}
	for _, action := range actions {
		req.Action = action
		for _, res := range resources {
			req.Resource = res
			if d := policy.Evaluate(*in2); !d.Allowed() && !granted(d, grant, action, req.Context) {
				return cairn.AccessDenied(d.Message(c.Principal.ARN, action, res))
			}
		}
	}
	return nil
}

// input gathers the policies that apply to the caller.
func (a *Authorizer) input(ctx context.Context, c *cairn.Call) (*policy.Input, string, error) {
	p := &c.Principal
	in := &policy.Input{
		Request: policy.Request{Principal: enginePrincipal(p)},
		Root:    p.IsRoot(),
	}
	if p.Type == cairn.PrincipalAnonymous || p.Type == cairn.PrincipalAWSService {
		return in, "", nil
	}
	docs, boundary, err := a.identities.PoliciesFor(ctx, *p)
	if err != nil {
		return nil, "", fmt.Errorf("identity policies of %s: %w", p.ARN, err)
	}
	for i, d := range docs {
		pol, err := a.cache.Parse(d, policy.Identity, fmt.Sprintf("identity-%d", i))
		if err != nil {
			return nil, "", fmt.Errorf("identity policy of %s: %w", p.ARN, err)
		}
		in.Identity = append(in.Identity, pol)
	}
	if boundary != "" {
		if in.Boundary, err = a.cache.Parse(boundary, policy.Boundary, "boundary"); err != nil {
			return nil, "", fmt.Errorf("boundary of %s: %w", p.ARN, err)
		}
	}
	if s := p.Session; s != nil && len(s.Policies) > 0 {
		for i, d := range s.Policies {
			pol, err := a.cache.Parse(d, policy.Session, fmt.Sprintf("session-%d", i))
			if err != nil {
				return nil, "", fmt.Errorf("session policy of %s: %w", p.ARN, err)
			}
			in.Session = append(in.Session, pol)
		}
	}
	orgID := ""
	if a.orgs != nil {
		levels, id, management, err := a.orgs.SCPsFor(ctx, p.AccountID)
		if err != nil {
			return nil, "", fmt.Errorf("service control policies of %s: %w", p.AccountID, err)
		}
		orgID = id
		if !management {
			for li, level := range levels {
				var ps []*policy.Policy
				for i, d := range level {
					pol, err := a.cache.Parse(d, policy.SCP, fmt.Sprintf("scp-%d-%d", li, i))
					if err != nil {
						return nil, "", fmt.Errorf("service control policy of %s: %w", p.AccountID, err)
					}
					ps = append(ps, pol)
				}
				in.SCPs = append(in.SCPs, ps)
			}
		}
	}
	return in, orgID, nil
}

func enginePrincipal(p *cairn.Principal) policy.Principal {
	ep := policy.Principal{Type: policy.PrincipalType(p.Type), ARN: p.ARN, Account: p.AccountID, ServiceName: p.Service}
	if p.Type == cairn.PrincipalAssumedRole && p.Session != nil {
		ep.IssuerARN = p.Session.Issuer.ARN
	}
	return ep
}

// granted reports whether a resource's grants (KMS grants) allow what the
// policies did not. Grants add permissions; they never lift an explicit
// deny, nor an action that a service control policy leaves out.
func granted(d policy.Decision, grant func(string, map[string][]string) bool, action string, ctx map[string][]string) bool {
	return grant != nil && d.Effect == policy.ImplicitDeny && d.DeniedBy != policy.SCP && grant(action, ctx)
}
