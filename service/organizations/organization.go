package organizations

import (
	"context"
	"errors"
	"fmt"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// CreateOrganizationInput chooses the feature set; Cairn serves ALL only.
type CreateOrganizationInput struct {
	FeatureSet *string
}

// CreateOrganizationOutput returns the new organization.
type CreateOrganizationOutput struct {
	Organization *Organization
}

// CreateOrganization makes the caller's account the management account of
// a new organization, with one root and the AWS managed FullAWSAccess SCP.
// SCPs are not enabled until EnablePolicyType, as on AWS.
func (s *Service) CreateOrganization(ctx context.Context, c *cairn.Call, in *CreateOrganizationInput) (*CreateOrganizationOutput, error) {
	switch fs := str(in.FeatureSet); fs {
	case "", "ALL":
	case "CONSOLIDATED_BILLING":
		return nil, errInvalidInput(msgUnsupportedFeature)
	default:
		return nil, errInvalidInput(msgInvalidEnum)
	}
	acct := c.Account()
	now := s.now(c)
	var o *orgRec
	err := s.update(ctx, func(tx store.Tx) error {
		existing, err := membership(tx, acct)
		if err != nil {
			return err
		}
		if existing != nil {
			return orgError(codeAlreadyInOrg, msgAlreadyInOrg)
		}
		o = &orgRec{Management: acct, RootID: s.newRootID(), Created: now}
		for {
			o.ID = s.newOrgID()
			err := store.InsertJSON(tx, tblOrgs, o.ID, o)
			if err == nil {
				break
			}
			if !errors.Is(err, cairn.ErrExists) {
				return fmt.Errorf("insert organization: %w", err)
			}
		}
		if err := store.PutJSON(tx, tblMembers, acct, &memberRec{Org: o.ID}); err != nil {
			return fmt.Errorf("put membership: %w", err)
		}
		mgmt := &accountRec{ID: acct, Name: acct, Joined: now, Method: joinedInvited}
		if err := saveAccount(tx, o, mgmt); err != nil {
			return fmt.Errorf("put account: %w", err)
		}
		full := &policyRec{
			ID: fullAccessID, Name: fullAccessName, Description: fullAccessDescription,
			Type: TypeSCP, Content: fullAccessContent, AwsManaged: true, Created: now,
		}
		return savePolicy(tx, o, full)
	})
	if err != nil {
		return nil, err
	}
	return &CreateOrganizationOutput{Organization: o.shape()}, nil
}

// DescribeOrganizationInput has no members.
type DescribeOrganizationInput struct{}

// DescribeOrganizationOutput describes the caller's organization.
type DescribeOrganizationOutput struct {
	Organization *Organization
}

// DescribeOrganization describes the organization of the caller's
// account; member accounts may call it too.
func (s *Service) DescribeOrganization(ctx context.Context, c *cairn.Call, _ *DescribeOrganizationInput) (*DescribeOrganizationOutput, error) {
	var o *orgRec
	err := s.view(ctx, func(tx store.Tx) error {
		var err error
		o, err = memberOrg(tx, c.Account())
		return err
	})
	if err != nil {
		return nil, err
	}
	return &DescribeOrganizationOutput{Organization: o.shape()}, nil
}

// ListRootsInput pages the roots (there is one).
type ListRootsInput struct {
	NextToken  *string
	MaxResults *int32
}

// ListRootsOutput lists the organization's root.
type ListRootsOutput struct {
	Roots     []Root
	NextToken *string
}

// ListRoots lists the organization's root with its enabled policy types.
func (s *Service) ListRoots(ctx context.Context, c *cairn.Call, in *ListRootsInput) (*ListRootsOutput, error) {
	limit, err := maxResults(in.MaxResults)
	if err != nil {
		return nil, err
	}
	var o *orgRec
	err = s.view(ctx, func(tx store.Tx) error {
		var err error
		o, err = managedOrg(tx, c.Account())
		return err
	})
	if err != nil {
		return nil, err
	}
	roots, next, err := pageSlice([]Root{*o.root()}, func(r Root) string { return r.Id }, "roots/"+o.ID, in.NextToken, limit)
	if err != nil {
		return nil, err
	}
	return &ListRootsOutput{Roots: roots, NextToken: next}, nil
}

// EnablePolicyTypeInput names the root and the policy type.
type EnablePolicyTypeInput struct {
	RootId     string
	PolicyType string
}

// EnablePolicyTypeOutput returns the root with its policy types.
type EnablePolicyTypeOutput struct {
	Root *Root
}

// EnablePolicyType enables SCPs in the root and, as AWS does, attaches
// FullAWSAccess to the root and to every account.
func (s *Service) EnablePolicyType(ctx context.Context, c *cairn.Call, in *EnablePolicyTypeInput) (*EnablePolicyTypeOutput, error) {
	if err := pattern(in.RootId, rootIDRe); err != nil {
		return nil, err
	}
	if err := validType(in.PolicyType, false); err != nil {
		return nil, err
	}
	var o *orgRec
	err := s.update(ctx, func(tx store.Tx) error {
		var err error
		if o, err = managedOrg(tx, c.Account()); err != nil {
			return err
		}
		if in.RootId != o.RootID {
			return orgError(codeRootNotFound, msgRootNotFound)
		}
		if o.SCPEnabled {
			return orgError(codeTypeAlreadyEnabled, msgTypeAlreadyEnabled)
		}
		full, err := loadPolicy(tx, o, fullAccessID)
		if err != nil {
			return err
		}
		o.SCPEnabled = true
		attach(full, &target{id: o.RootID, policies: &o.RootPolicies})
		accounts, err := scanAll[accountRec](tx, tblAccounts, o.ID+"/")
		if err != nil {
			return err
		}
		for i := range accounts {
			a := &accounts[i]
			attach(full, &target{id: a.ID, policies: &a.Policies})
			if err := saveAccount(tx, o, a); err != nil {
				return err
			}
		}
		if err := savePolicy(tx, o, full); err != nil {
			return err
		}
		return saveOrg(tx, o)
	})
	if err != nil {
		return nil, err
	}
	return &EnablePolicyTypeOutput{Root: o.root()}, nil
}

// DisablePolicyTypeInput names the root and the policy type.
type DisablePolicyTypeInput struct {
	RootId     string
	PolicyType string
}

// DisablePolicyTypeOutput returns the root with its policy types.
type DisablePolicyTypeOutput struct {
	Root *Root
}

// DisablePolicyType disables SCPs in the root; every SCP attachment, on
// the root and on every account, is removed, as AWS does.
func (s *Service) DisablePolicyType(ctx context.Context, c *cairn.Call, in *DisablePolicyTypeInput) (*DisablePolicyTypeOutput, error) {
	if err := pattern(in.RootId, rootIDRe); err != nil {
		return nil, err
	}
	if err := validType(in.PolicyType, false); err != nil {
		return nil, err
	}
	var o *orgRec
	err := s.update(ctx, func(tx store.Tx) error {
		var err error
		if o, err = managedOrg(tx, c.Account()); err != nil {
			return err
		}
		if in.RootId != o.RootID {
			return orgError(codeRootNotFound, msgRootNotFound)
		}
		if !o.SCPEnabled {
			return orgError(codeTypeNotEnabled, msgTypeNotEnabled)
		}
		o.SCPEnabled = false
		o.RootPolicies = nil
		policies, err := scanAll[policyRec](tx, tblPolicies, o.ID+"/")
		if err != nil {
			return err
		}
		for i := range policies {
			if p := &policies[i]; len(p.Targets) > 0 {
				p.Targets = nil
				if err := savePolicy(tx, o, p); err != nil {
					return err
				}
			}
		}
		accounts, err := scanAll[accountRec](tx, tblAccounts, o.ID+"/")
		if err != nil {
			return err
		}
		for i := range accounts {
			if a := &accounts[i]; len(a.Policies) > 0 {
				a.Policies = nil
				if err := saveAccount(tx, o, a); err != nil {
					return err
				}
			}
		}
		return saveOrg(tx, o)
	})
	if err != nil {
		return nil, err
	}
	return &DisablePolicyTypeOutput{Root: o.root()}, nil
}
