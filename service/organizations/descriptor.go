package organizations

import "github.com/cairnhq/cairn"

// Descriptor is Organizations' operation table: for every operation its
// IAM action, the resources and condition keys it is authorized on,
// whether it is read-only, and which request and response members its
// CloudTrail event may record. Organizations is global: its events are
// recorded in us-east-1. Read-only calls record no response elements.
// Email, AccountName and MasterAccountEmail are sensitive in the model
// (AWS shows them as HIDDEN_DUE_TO_SECURITY_REASONS), so no allow-list
// names them.
func (s *Service) Descriptor() *cairn.Service {
	return &cairn.Service{
		Name:        "organizations",
		EventSource: "organizations.amazonaws.com",
		Global:      true,
		Operations: []cairn.Operation{
			cairn.Define(cairn.Operation{
				Name: "CreateOrganization", Action: "organizations:CreateOrganization",
				Request: []string{"FeatureSet"},
				Response: []string{
					"Organization.Id", "Organization.Arn", "Organization.FeatureSet", "Organization.MasterAccountArn",
					"Organization.MasterAccountId", "Organization.AvailablePolicyTypes",
				},
			}, s.CreateOrganization),
			cairn.Define(cairn.Operation{
				Name: "DescribeOrganization", Action: "organizations:DescribeOrganization", ReadOnly: true,
			}, s.DescribeOrganization),
			cairn.Define(cairn.Operation{
				Name: "CreateAccount", Action: "organizations:CreateAccount",
				Conditions: onCond(func(_ *cairn.Call, in *CreateAccountInput) map[string][]string {
					return requestTagConditions(in.Tags)
				}),
				Request: []string{"RoleName", "IamUserAccessToBilling", "Tags"},
				Response: []string{
					"CreateAccountStatus.Id", "CreateAccountStatus.State", "CreateAccountStatus.RequestedTimestamp",
					"CreateAccountStatus.CompletedTimestamp", "CreateAccountStatus.AccountId", "CreateAccountStatus.FailureReason",
				},
			}, s.CreateAccount),
			cairn.Define(cairn.Operation{
				Name: "DescribeCreateAccountStatus", Action: "organizations:DescribeCreateAccountStatus", ReadOnly: true,
				Request: []string{"CreateAccountRequestId"},
			}, s.DescribeCreateAccountStatus),
			cairn.Define(cairn.Operation{
				Name: "ListAccounts", Action: "organizations:ListAccounts", ReadOnly: true,
				Request: []string{"NextToken", "MaxResults"},
			}, s.ListAccounts),
			cairn.Define(cairn.Operation{
				Name: "DescribeAccount", Action: "organizations:DescribeAccount", ReadOnly: true,
				Resources: cairn.On(func(c *cairn.Call, in *DescribeAccountInput) []cairn.Resource {
					return s.accountRes(c, in.AccountId)
				}),
				Request: []string{"AccountId"},
			}, s.DescribeAccount),
			cairn.Define(cairn.Operation{
				Name: "ListRoots", Action: "organizations:ListRoots", ReadOnly: true,
				Request: []string{"NextToken", "MaxResults"},
			}, s.ListRoots),
			cairn.Define(cairn.Operation{
				Name: "EnablePolicyType", Action: "organizations:EnablePolicyType",
				Resources: cairn.On(func(c *cairn.Call, in *EnablePolicyTypeInput) []cairn.Resource {
					return s.rootRes(c, in.RootId)
				}),
				Conditions: onCond(func(_ *cairn.Call, in *EnablePolicyTypeInput) map[string][]string {
					return policyTypeCondition(in.PolicyType)
				}),
				Request:  []string{"RootId", "PolicyType"},
				Response: []string{"Root"},
			}, s.EnablePolicyType),
			cairn.Define(cairn.Operation{
				Name: "DisablePolicyType", Action: "organizations:DisablePolicyType",
				Resources: cairn.On(func(c *cairn.Call, in *DisablePolicyTypeInput) []cairn.Resource {
					return s.rootRes(c, in.RootId)
				}),
				Conditions: onCond(func(_ *cairn.Call, in *DisablePolicyTypeInput) map[string][]string {
					return policyTypeCondition(in.PolicyType)
				}),
				Request:  []string{"RootId", "PolicyType"},
				Response: []string{"Root"},
			}, s.DisablePolicyType),
			cairn.Define(cairn.Operation{
				Name: "CreatePolicy", Action: "organizations:CreatePolicy",
				Conditions: onCond(func(_ *cairn.Call, in *CreatePolicyInput) map[string][]string {
					return merge(policyTypeCondition(in.Type), requestTagConditions(in.Tags))
				}),
				Request:  []string{"Content", "Description", "Name", "Type", "Tags"},
				Response: []string{"Policy"},
			}, s.CreatePolicy),
			cairn.Define(cairn.Operation{
				Name: "UpdatePolicy", Action: "organizations:UpdatePolicy",
				Resources: cairn.On(func(c *cairn.Call, in *UpdatePolicyInput) []cairn.Resource {
					return s.policyRes(c, in.PolicyId)
				}),
				Conditions: onCond(func(_ *cairn.Call, in *UpdatePolicyInput) map[string][]string {
					return scpCondition(in.PolicyId)
				}),
				Request:  []string{"PolicyId", "Name", "Description", "Content"},
				Response: []string{"Policy"},
			}, s.UpdatePolicy),
			cairn.Define(cairn.Operation{
				Name: "DeletePolicy", Action: "organizations:DeletePolicy",
				Resources: cairn.On(func(c *cairn.Call, in *DeletePolicyInput) []cairn.Resource {
					return s.policyRes(c, in.PolicyId)
				}),
				Conditions: onCond(func(_ *cairn.Call, in *DeletePolicyInput) map[string][]string {
					return scpCondition(in.PolicyId)
				}),
				Request: []string{"PolicyId"},
			}, s.DeletePolicy),
			cairn.Define(cairn.Operation{
				Name: "DescribePolicy", Action: "organizations:DescribePolicy", ReadOnly: true,
				Resources: cairn.On(func(c *cairn.Call, in *DescribePolicyInput) []cairn.Resource {
					return s.policyRes(c, in.PolicyId)
				}),
				Conditions: onCond(func(_ *cairn.Call, in *DescribePolicyInput) map[string][]string {
					return scpCondition(in.PolicyId)
				}),
				Request: []string{"PolicyId"},
			}, s.DescribePolicy),
			cairn.Define(cairn.Operation{
				Name: "AttachPolicy", Action: "organizations:AttachPolicy",
				Resources: cairn.On(func(c *cairn.Call, in *AttachPolicyInput) []cairn.Resource {
					return append(s.policyRes(c, in.PolicyId), s.targetRes(c, in.TargetId)...)
				}),
				Conditions: onCond(func(_ *cairn.Call, in *AttachPolicyInput) map[string][]string {
					return scpCondition(in.PolicyId)
				}),
				Request: []string{"PolicyId", "TargetId"},
			}, s.AttachPolicy),
			cairn.Define(cairn.Operation{
				Name: "DetachPolicy", Action: "organizations:DetachPolicy",
				Resources: cairn.On(func(c *cairn.Call, in *DetachPolicyInput) []cairn.Resource {
					return append(s.policyRes(c, in.PolicyId), s.targetRes(c, in.TargetId)...)
				}),
				Conditions: onCond(func(_ *cairn.Call, in *DetachPolicyInput) map[string][]string {
					return scpCondition(in.PolicyId)
				}),
				Request: []string{"PolicyId", "TargetId"},
			}, s.DetachPolicy),
			cairn.Define(cairn.Operation{
				Name: "ListPolicies", Action: "organizations:ListPolicies", ReadOnly: true,
				Conditions: onCond(func(_ *cairn.Call, in *ListPoliciesInput) map[string][]string {
					return policyTypeCondition(in.Filter)
				}),
				Request: []string{"Filter", "NextToken", "MaxResults"},
			}, s.ListPolicies),
			cairn.Define(cairn.Operation{
				Name: "ListPoliciesForTarget", Action: "organizations:ListPoliciesForTarget", ReadOnly: true,
				Resources: cairn.On(func(c *cairn.Call, in *ListPoliciesForTargetInput) []cairn.Resource {
					return s.targetRes(c, in.TargetId)
				}),
				Conditions: onCond(func(_ *cairn.Call, in *ListPoliciesForTargetInput) map[string][]string {
					return policyTypeCondition(in.Filter)
				}),
				Request: []string{"TargetId", "Filter", "NextToken", "MaxResults"},
			}, s.ListPoliciesForTarget),
			cairn.Define(cairn.Operation{
				Name: "ListTargetsForPolicy", Action: "organizations:ListTargetsForPolicy", ReadOnly: true,
				Resources: cairn.On(func(c *cairn.Call, in *ListTargetsForPolicyInput) []cairn.Resource {
					return s.policyRes(c, in.PolicyId)
				}),
				Conditions: onCond(func(_ *cairn.Call, in *ListTargetsForPolicyInput) map[string][]string {
					return scpCondition(in.PolicyId)
				}),
				Request: []string{"PolicyId", "NextToken", "MaxResults"},
			}, s.ListTargetsForPolicy),
		},
	}
}
