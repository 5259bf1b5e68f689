package organizations

import (
	"context"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/policy"
	"github.com/cairnhq/cairn/store"
)

// validContent checks an SCP document: its size, then its grammar with
// the policy package, whose SCP messages are Organizations' own.
func validContent(content string) error {
	if content == "" {
		return errInvalidInput(msgInputRequired)
	}
	if utf8.RuneCountInString(content) > maxSCPSize {
		return errConstraint(msgPolicyTooLarge)
	}
	if _, err := policy.Parse(content, policy.SCP); err != nil {
		var ve *policy.ValidationError
		if errors.As(err, &ve) {
			return orgError(codeMalformedPolicy, ve.Message)
		}
		return err
	}
	return nil
}

// nameTaken reports whether o has another policy of the type named name.
func nameTaken(tx store.Tx, o *orgRec, typ, name, except string) (bool, error) {
	policies, err := scanAll[policyRec](tx, tblPolicies, o.ID+"/")
	if err != nil {
		return false, err
	}
	for _, p := range policies {
		if p.ID != except && p.Type == typ && p.Name == name {
			return true, nil
		}
	}
	return false, nil
}

// CreatePolicyInput describes a new policy. Description is required but
// may be empty.
type CreatePolicyInput struct {
	Content     string
	Description *string
	Name        string
	Type        string
	Tags        []Tag
}

// CreatePolicyOutput returns the new policy.
type CreatePolicyOutput struct {
	Policy *Policy
}

// CreatePolicy creates a service control policy. SCPs may be created
// before the policy type is enabled; attaching them needs it enabled.
func (s *Service) CreatePolicy(ctx context.Context, c *cairn.Call, in *CreatePolicyInput) (*CreatePolicyOutput, error) {
	if in.Description == nil {
		return nil, errInvalidInput(msgInputRequired)
	}
	if err := validPolicyName(in.Name); err != nil {
		return nil, err
	}
	if err := validDescription(*in.Description); err != nil {
		return nil, err
	}
	if err := validType(in.Type, false); err != nil {
		return nil, err
	}
	if err := validTags(in.Tags); err != nil {
		return nil, err
	}
	if err := validContent(in.Content); err != nil {
		return nil, err
	}
	var (
		o *orgRec
		p *policyRec
	)
	err := s.update(ctx, func(tx store.Tx) error {
		var err error
		if o, err = managedOrg(tx, c.Account()); err != nil {
			return err
		}
		policies, err := scanAll[policyRec](tx, tblPolicies, o.ID+"/")
		if err != nil {
			return err
		}
		customer := 0
		for _, q := range policies {
			if q.Type == in.Type && q.Name == in.Name {
				return orgError(codeDuplicatePolicy, msgDuplicatePolicy)
			}
			if !q.AwsManaged {
				customer++
			}
		}
		if customer >= maxPoliciesPerOrg {
			return errConstraint(msgTooManyPolicies)
		}
		p = &policyRec{
			Name: in.Name, Description: *in.Description, Type: in.Type, Content: in.Content,
			Created: s.now(c), Tags: cloneTags(in.Tags),
		}
		for {
			p.ID = s.newPolicyID()
			err := store.InsertJSON(tx, tblPolicies, orgKey(o.ID, p.ID), p)
			if err == nil {
				return nil
			}
			if !errors.Is(err, cairn.ErrExists) {
				return fmt.Errorf("insert policy: %w", err)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return &CreatePolicyOutput{Policy: p.shape(o)}, nil
}

// UpdatePolicyInput changes a policy's name, description or content; an
// absent member is left as it is.
type UpdatePolicyInput struct {
	PolicyId    string
	Name        *string
	Description *string
	Content     *string
}

// UpdatePolicyOutput returns the policy as updated.
type UpdatePolicyOutput struct {
	Policy *Policy
}

// UpdatePolicy changes a customer managed policy. A new content takes
// effect on the next request of every account it governs.
func (s *Service) UpdatePolicy(ctx context.Context, c *cairn.Call, in *UpdatePolicyInput) (*UpdatePolicyOutput, error) {
	if err := pattern(in.PolicyId, policyIDRe); err != nil {
		return nil, err
	}
	if in.Name != nil {
		if err := validPolicyName(*in.Name); err != nil {
			return nil, err
		}
	}
	if in.Description != nil {
		if err := validDescription(*in.Description); err != nil {
			return nil, err
		}
	}
	if in.Content != nil {
		if err := validContent(*in.Content); err != nil {
			return nil, err
		}
	}
	var (
		o *orgRec
		p *policyRec
	)
	err := s.update(ctx, func(tx store.Tx) error {
		var err error
		if o, err = managedOrg(tx, c.Account()); err != nil {
			return err
		}
		if p, err = loadPolicy(tx, o, in.PolicyId); err != nil {
			return err
		}
		if p.AwsManaged {
			return errInvalidInput(msgImmutablePolicy)
		}
		if in.Name != nil && *in.Name != p.Name {
			taken, err := nameTaken(tx, o, p.Type, *in.Name, p.ID)
			if err != nil {
				return err
			}
			if taken {
				return orgError(codeDuplicatePolicy, msgDuplicatePolicy)
			}
			p.Name = *in.Name
		}
		if in.Description != nil {
			p.Description = *in.Description
		}
		if in.Content != nil {
			p.Content = *in.Content
		}
		return savePolicy(tx, o, p)
	})
	if err != nil {
		return nil, err
	}
	return &UpdatePolicyOutput{Policy: p.shape(o)}, nil
}

// DeletePolicyInput names the policy.
type DeletePolicyInput struct {
	PolicyId string
}

// DeletePolicyOutput is empty.
type DeletePolicyOutput struct{}

// DeletePolicy deletes a customer managed policy that is attached to
// nothing.
func (s *Service) DeletePolicy(ctx context.Context, c *cairn.Call, in *DeletePolicyInput) (*DeletePolicyOutput, error) {
	if err := pattern(in.PolicyId, policyIDRe); err != nil {
		return nil, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		o, err := managedOrg(tx, c.Account())
		if err != nil {
			return err
		}
		p, err := loadPolicy(tx, o, in.PolicyId)
		if err != nil {
			return err
		}
		if p.AwsManaged {
			return errInvalidInput(msgImmutablePolicy)
		}
		if len(p.Targets) > 0 {
			return orgError(codePolicyInUse, msgPolicyInUse)
		}
		if err := tx.Delete(tblPolicies, orgKey(o.ID, p.ID)); err != nil {
			return fmt.Errorf("delete policy: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &DeletePolicyOutput{}, nil
}

// DescribePolicyInput names the policy.
type DescribePolicyInput struct {
	PolicyId string
}

// DescribePolicyOutput returns it with its content.
type DescribePolicyOutput struct {
	Policy *Policy
}

// DescribePolicy returns a policy with its content.
func (s *Service) DescribePolicy(ctx context.Context, c *cairn.Call, in *DescribePolicyInput) (*DescribePolicyOutput, error) {
	if err := pattern(in.PolicyId, policyIDRe); err != nil {
		return nil, err
	}
	var out *Policy
	err := s.view(ctx, func(tx store.Tx) error {
		o, err := managedOrg(tx, c.Account())
		if err != nil {
			return err
		}
		p, err := loadPolicy(tx, o, in.PolicyId)
		if err != nil {
			return err
		}
		out = p.shape(o)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &DescribePolicyOutput{Policy: out}, nil
}

// ListPoliciesInput filters by type and pages.
type ListPoliciesInput struct {
	Filter     string
	NextToken  *string
	MaxResults *int32
}

// ListPoliciesOutput is one page of policies, ordered by policy ID.
type ListPoliciesOutput struct {
	Policies  []PolicySummary
	NextToken *string
}

// ListPolicies lists the organization's policies of one type, the AWS
// managed FullAWSAccess included.
func (s *Service) ListPolicies(ctx context.Context, c *cairn.Call, in *ListPoliciesInput) (*ListPoliciesOutput, error) {
	if err := validType(in.Filter, true); err != nil {
		return nil, err
	}
	limit, err := maxResults(in.MaxResults)
	if err != nil {
		return nil, err
	}
	out := &ListPoliciesOutput{Policies: []PolicySummary{}}
	err = s.view(ctx, func(tx store.Tx) error {
		o, err := managedOrg(tx, c.Account())
		if err != nil {
			return err
		}
		policies, err := scanAll[policyRec](tx, tblPolicies, o.ID+"/")
		if err != nil {
			return err
		}
		var match []PolicySummary
		for i := range policies {
			if policies[i].Type == in.Filter {
				match = append(match, *policies[i].summary(o))
			}
		}
		page, next, err := pageSlice(match, func(p PolicySummary) string { return p.Id }, "policies/"+o.ID+"/"+in.Filter, in.NextToken, limit)
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
