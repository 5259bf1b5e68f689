package organizations

import (
	"context"
	"slices"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// AttachPolicyInput names the policy and the root or account.
type AttachPolicyInput struct {
	PolicyId string
	TargetId string
}

// AttachPolicyOutput is empty.
type AttachPolicyOutput struct{}

// AttachPolicy attaches an SCP to the root or to an account; it binds
// every principal of the accounts below from their next request.
func (s *Service) AttachPolicy(ctx context.Context, c *cairn.Call, in *AttachPolicyInput) (*AttachPolicyOutput, error) {
	err := s.changeAttachment(ctx, c, in.PolicyId, in.TargetId, func(o *orgRec, p *policyRec, t *target) error {
		if !o.SCPEnabled {
			return orgError(codeTypeNotEnabled, msgTypeNotEnabled)
		}
		if slices.Contains(*t.policies, p.ID) {
			return orgError(codeDuplicateAttachment, msgDuplicatePolicy)
		}
		if len(*t.policies) >= maxSCPsPerTarget {
			return errConstraint(msgMaxAttachments)
		}
		attach(p, t)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &AttachPolicyOutput{}, nil
}

// DetachPolicyInput names the policy and the root or account.
type DetachPolicyInput struct {
	PolicyId string
	TargetId string
}

// DetachPolicyOutput is empty.
type DetachPolicyOutput struct{}

// DetachPolicy detaches an SCP from the root or an account. Every target
// keeps at least one SCP while SCPs are enabled.
func (s *Service) DetachPolicy(ctx context.Context, c *cairn.Call, in *DetachPolicyInput) (*DetachPolicyOutput, error) {
	err := s.changeAttachment(ctx, c, in.PolicyId, in.TargetId, func(_ *orgRec, p *policyRec, t *target) error {
		if !slices.Contains(*t.policies, p.ID) {
			return orgError(codePolicyNotAttached, msgPolicyNotAttached)
		}
		if len(*t.policies) == 1 {
			return errConstraint(msgMinAttachments)
		}
		detach(p, t)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &DetachPolicyOutput{}, nil
}

// changeAttachment validates the IDs, loads the organization, the policy
// and the root or account in one transaction, lets change decide and edit
// the attachment, and saves both sides.
func (s *Service) changeAttachment(ctx context.Context, c *cairn.Call, policyID, targetID string,
	change func(o *orgRec, p *policyRec, t *target) error) error {
	if err := pattern(policyID, policyIDRe); err != nil {
		return err
	}
	if err := validTargetID(targetID); err != nil {
		return err
	}
	return s.update(ctx, func(tx store.Tx) error {
		o, err := managedOrg(tx, c.Account())
		if err != nil {
			return err
		}
		p, err := loadPolicy(tx, o, policyID)
		if err != nil {
			return err
		}
		t, err := loadTarget(tx, o, targetID)
		if err != nil {
			return err
		}
		if err := change(o, p, t); err != nil {
			return err
		}
		if err := savePolicy(tx, o, p); err != nil {
			return err
		}
		return t.save(tx, o)
	})
}

// ListPoliciesForTargetInput names the root or account and the type.
type ListPoliciesForTargetInput struct {
	TargetId   string
	Filter     string
	NextToken  *string
	MaxResults *int32
}

// ListPoliciesForTargetOutput is one page of the policies attached
// directly to the target, ordered by policy ID.
type ListPoliciesForTargetOutput struct {
	Policies  []PolicySummary
	NextToken *string
}

// ListPoliciesForTarget lists the policies of one type attached directly
// to the root or to an account.
func (s *Service) ListPoliciesForTarget(ctx context.Context, c *cairn.Call, in *ListPoliciesForTargetInput) (*ListPoliciesForTargetOutput, error) {
	if err := validTargetID(in.TargetId); err != nil {
		return nil, err
	}
	if err := validType(in.Filter, true); err != nil {
		return nil, err
	}
	limit, err := maxResults(in.MaxResults)
	if err != nil {
		return nil, err
	}
	out := &ListPoliciesForTargetOutput{Policies: []PolicySummary{}}
	err = s.view(ctx, func(tx store.Tx) error {
		o, err := managedOrg(tx, c.Account())
		if err != nil {
			return err
		}
		t, err := loadTarget(tx, o, in.TargetId)
		if err != nil {
			return err
		}
		var match []PolicySummary
		for _, id := range *t.policies {
			p, err := loadPolicy(tx, o, id)
			if err != nil {
				return err
			}
			if p.Type == in.Filter {
				match = append(match, *p.summary(o))
			}
		}
		page, next, err := pageSlice(match, func(p PolicySummary) string { return p.Id }, "target/"+o.ID+"/"+t.id+"/"+in.Filter, in.NextToken, limit)
		if err != nil {
			return err
		}
		out.Policies = append(out.Policies, page...)
		out.NextToken = next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ListTargetsForPolicyInput names the policy.
type ListTargetsForPolicyInput struct {
	PolicyId   string
	NextToken  *string
	MaxResults *int32
}

// ListTargetsForPolicyOutput is one page of the roots and accounts the
// policy is attached to, ordered by target ID.
type ListTargetsForPolicyOutput struct {
	Targets   []PolicyTargetSummary
	NextToken *string
}

// ListTargetsForPolicy lists the roots and accounts a policy is attached
// to.
func (s *Service) ListTargetsForPolicy(ctx context.Context, c *cairn.Call, in *ListTargetsForPolicyInput) (*ListTargetsForPolicyOutput, error) {
	if err := pattern(in.PolicyId, policyIDRe); err != nil {
		return nil, err
	}
	limit, err := maxResults(in.MaxResults)
	if err != nil {
		return nil, err
	}
	out := &ListTargetsForPolicyOutput{Targets: []PolicyTargetSummary{}}
	err = s.view(ctx, func(tx store.Tx) error {
		o, err := managedOrg(tx, c.Account())
		if err != nil {
			return err
		}
		p, err := loadPolicy(tx, o, in.PolicyId)
		if err != nil {
			return err
		}
		targets := make([]PolicyTargetSummary, 0, len(p.Targets))
		for _, id := range p.Targets {
			t, err := loadTarget(tx, o, id)
			if err != nil {
				return err
			}
			targets = append(targets, t.summary())
		}
		page, next, err := pageSlice(targets, func(t PolicyTargetSummary) string { return t.TargetId }, "targets/"+o.ID+"/"+p.ID, in.NextToken, limit)
		if err != nil {
			return err
		}
		out.Targets = append(out.Targets, page...)
		out.NextToken = next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
