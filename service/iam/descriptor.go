package iam

import "github.com/cairnhq/cairn"

// Descriptor is IAM's operation table: for every operation its IAM
// action, the resources and condition keys it is authorized on, its target
// (the tags of the user, role or managed policy it acts on, see target.go),
// whether it is read-only, and which request and response members its
// CloudTrail event may record. IAM is global: its events are recorded in us-east-1.
// Read-only calls record no response elements, as CloudTrail does; no
// allow-list names a secret.
func (s *Service) Descriptor() *cairn.Service {
	return &cairn.Service{
		Name:        "iam",
		EventSource: "iam.amazonaws.com",
		Global:      true,
		Operations: []cairn.Operation{
			cairn.Define(cairn.Operation{
				Name: "CreateUser", Action: "iam:CreateUser",
				Resources: cairn.On(func(c *cairn.Call, in *CreateUserInput) []cairn.Resource {
					return []cairn.Resource{{ARN: userARN(c.Account(), pathOr(in.Path), in.UserName), Type: typeUser, Name: in.UserName}}
				}),
				Conditions: onCond(func(c *cairn.Call, in *CreateUserInput) map[string][]string {
					return merge(boundaryCondition(in.PermissionsBoundary), requestTagConditions(in.Tags))
				}),
				Request:  []string{"UserName", "Path", "PermissionsBoundary", "Tags"},
				Response: []string{"User"},
			}, s.CreateUser),
			cairn.Define(cairn.Operation{
				Name: "GetUser", Action: "iam:GetUser", ReadOnly: true,
				Resources: cairn.On(func(c *cairn.Call, in *GetUserInput) []cairn.Resource {
					return []cairn.Resource{s.selfOrUser(c, in.UserName)}
				}),
				Target:  onSelfOrUser(s, func(in *GetUserInput) *string { return in.UserName }),
				Request: []string{"UserName"},
			}, s.GetUser),
			cairn.Define(cairn.Operation{
				Name: "ListUsers", Action: "iam:ListUsers", ReadOnly: true,
				Request: []string{"PathPrefix", "Marker", "MaxItems"},
			}, s.ListUsers),
			cairn.Define(cairn.Operation{
				Name: "UpdateUser", Action: "iam:UpdateUser",
				Resources: cairn.On(func(c *cairn.Call, in *UpdateUserInput) []cairn.Resource {
					return []cairn.Resource{s.userRes(c, in.UserName)}
				}),
				Target:  onUser(s, func(in *UpdateUserInput) string { return in.UserName }),
				Request: []string{"UserName", "NewPath", "NewUserName"},
			}, s.UpdateUser),
			cairn.Define(cairn.Operation{
				Name: "DeleteUser", Action: "iam:DeleteUser",
				Resources: cairn.On(func(c *cairn.Call, in *DeleteUserInput) []cairn.Resource {
					return []cairn.Resource{s.userRes(c, in.UserName)}
				}),
				Target:  onUser(s, func(in *DeleteUserInput) string { return in.UserName }),
				Request: []string{"UserName"},
			}, s.DeleteUser),
			cairn.Define(cairn.Operation{
				Name: "CreateAccessKey", Action: "iam:CreateAccessKey",
				Resources: cairn.On(func(c *cairn.Call, in *CreateAccessKeyInput) []cairn.Resource {
					return []cairn.Resource{s.selfOrUser(c, in.UserName)}
				}),
				Target:   onSelfOrUser(s, func(in *CreateAccessKeyInput) *string { return in.UserName }),
				Request:  []string{"UserName"},
				Response: []string{"AccessKey.AccessKeyId", "AccessKey.UserName", "AccessKey.Status", "AccessKey.CreateDate"},
			}, s.CreateAccessKey),
			cairn.Define(cairn.Operation{
				Name: "ListAccessKeys", Action: "iam:ListAccessKeys", ReadOnly: true,
				Resources: cairn.On(func(c *cairn.Call, in *ListAccessKeysInput) []cairn.Resource {
					return []cairn.Resource{s.selfOrUser(c, in.UserName)}
				}),
				Target:  onSelfOrUser(s, func(in *ListAccessKeysInput) *string { return in.UserName }),
				Request: []string{"UserName", "Marker", "MaxItems"},
			}, s.ListAccessKeys),
			cairn.Define(cairn.Operation{
				Name: "UpdateAccessKey", Action: "iam:UpdateAccessKey",
				Resources: cairn.On(func(c *cairn.Call, in *UpdateAccessKeyInput) []cairn.Resource {
					return func() []cairn.Resource {
						u := s.selfOrUser(c, in.UserName)
						return []cairn.Resource{u, keyRes(u, in.AccessKeyId)}
					}()
				}),
				Target:  onSelfOrUser(s, func(in *UpdateAccessKeyInput) *string { return in.UserName }),
				Request: []string{"UserName", "AccessKeyId", "Status"},
			}, s.UpdateAccessKey),
			cairn.Define(cairn.Operation{
				Name: "DeleteAccessKey", Action: "iam:DeleteAccessKey",
				Resources: cairn.On(func(c *cairn.Call, in *DeleteAccessKeyInput) []cairn.Resource {
					return func() []cairn.Resource {
						u := s.selfOrUser(c, in.UserName)
						return []cairn.Resource{u, keyRes(u, in.AccessKeyId)}
					}()
				}),
				Target:  onSelfOrUser(s, func(in *DeleteAccessKeyInput) *string { return in.UserName }),
				Request: []string{"UserName", "AccessKeyId"},
			}, s.DeleteAccessKey),
			cairn.Define(cairn.Operation{
				Name: "GetAccessKeyLastUsed", Action: "iam:GetAccessKeyLastUsed", ReadOnly: true,
				Resources: cairn.On(func(c *cairn.Call, in *GetAccessKeyLastUsedInput) []cairn.Resource {
					return func() []cairn.Resource {
						u := s.keyOwnerRes(c, in.AccessKeyId)
						return []cairn.Resource{u, keyRes(u, in.AccessKeyId)}
					}()
				}),
				Target:  onKeyOwner(s, func(in *GetAccessKeyLastUsedInput) string { return in.AccessKeyId }),
				Request: []string{"AccessKeyId"},
			}, s.GetAccessKeyLastUsed),
			cairn.Define(cairn.Operation{
				Name: "CreateGroup", Action: "iam:CreateGroup",
				Resources: cairn.On(func(c *cairn.Call, in *CreateGroupInput) []cairn.Resource {
					return []cairn.Resource{{ARN: groupARN(c.Account(), pathOr(in.Path), in.GroupName), Type: typeGroup, Name: in.GroupName}}
				}),
				Request:  []string{"GroupName", "Path"},
				Response: []string{"Group"},
			}, s.CreateGroup),
			cairn.Define(cairn.Operation{
				Name: "GetGroup", Action: "iam:GetGroup", ReadOnly: true,
				Resources: cairn.On(func(c *cairn.Call, in *GetGroupInput) []cairn.Resource {
					return []cairn.Resource{s.groupRes(c, in.GroupName)}
				}),
				Request: []string{"GroupName", "Marker", "MaxItems"},
			}, s.GetGroup),
			cairn.Define(cairn.Operation{
				Name: "ListGroups", Action: "iam:ListGroups", ReadOnly: true,
				Request: []string{"PathPrefix", "Marker", "MaxItems"},
			}, s.ListGroups),
			cairn.Define(cairn.Operation{
				Name: "DeleteGroup", Action: "iam:DeleteGroup",
				Resources: cairn.On(func(c *cairn.Call, in *DeleteGroupInput) []cairn.Resource {
					return []cairn.Resource{s.groupRes(c, in.GroupName)}
				}),
				Request: []string{"GroupName"},
			}, s.DeleteGroup),
			cairn.Define(cairn.Operation{
				Name: "AddUserToGroup", Action: "iam:AddUserToGroup",
				Resources: cairn.On(func(c *cairn.Call, in *AddUserToGroupInput) []cairn.Resource {
					return []cairn.Resource{s.groupRes(c, in.GroupName), s.userRes(c, in.UserName)}
				}),
				Request: []string{"GroupName", "UserName"},
			}, s.AddUserToGroup),
			cairn.Define(cairn.Operation{
				Name: "RemoveUserFromGroup", Action: "iam:RemoveUserFromGroup",
				Resources: cairn.On(func(c *cairn.Call, in *RemoveUserFromGroupInput) []cairn.Resource {
					return []cairn.Resource{s.groupRes(c, in.GroupName), s.userRes(c, in.UserName)}
				}),
				Request: []string{"GroupName", "UserName"},
			}, s.RemoveUserFromGroup),
			cairn.Define(cairn.Operation{
				Name: "ListGroupsForUser", Action: "iam:ListGroupsForUser", ReadOnly: true,
				Resources: cairn.On(func(c *cairn.Call, in *ListGroupsForUserInput) []cairn.Resource {
					return []cairn.Resource{s.userRes(c, in.UserName)}
				}),
				Target:  onUser(s, func(in *ListGroupsForUserInput) string { return in.UserName }),
				Request: []string{"UserName", "Marker", "MaxItems"},
			}, s.ListGroupsForUser),
			cairn.Define(cairn.Operation{
				Name: "CreateRole", Action: "iam:CreateRole",
				Resources: cairn.On(func(c *cairn.Call, in *CreateRoleInput) []cairn.Resource {
					return []cairn.Resource{{ARN: roleARN(c.Account(), pathOr(in.Path), in.RoleName), Type: typeRole, Name: in.RoleName}}
				}),
				Conditions: onCond(func(c *cairn.Call, in *CreateRoleInput) map[string][]string {
					return merge(boundaryCondition(in.PermissionsBoundary), requestTagConditions(in.Tags))
				}),
				Request:  []string{"RoleName", "Path", "AssumeRolePolicyDocument", "Description", "MaxSessionDuration", "PermissionsBoundary", "Tags"},
				Response: []string{"Role"},
			}, s.CreateRole),
			cairn.Define(cairn.Operation{
				Name: "GetRole", Action: "iam:GetRole", ReadOnly: true,
				Resources: cairn.On(func(c *cairn.Call, in *GetRoleInput) []cairn.Resource {
					return []cairn.Resource{s.roleRes(c, in.RoleName)}
				}),
				Target:  onRole(s, func(in *GetRoleInput) string { return in.RoleName }),
				Request: []string{"RoleName"},
			}, s.GetRole),
			cairn.Define(cairn.Operation{
				Name: "ListRoles", Action: "iam:ListRoles", ReadOnly: true,
				Request: []string{"PathPrefix", "Marker", "MaxItems"},
			}, s.ListRoles),
			cairn.Define(cairn.Operation{
				Name: "DeleteRole", Action: "iam:DeleteRole",
				Resources: cairn.On(func(c *cairn.Call, in *DeleteRoleInput) []cairn.Resource {
					return []cairn.Resource{s.roleRes(c, in.RoleName)}
				}),
				Target:  onRole(s, func(in *DeleteRoleInput) string { return in.RoleName }),
				Request: []string{"RoleName"},
			}, s.DeleteRole),
			cairn.Define(cairn.Operation{
				Name: "UpdateAssumeRolePolicy", Action: "iam:UpdateAssumeRolePolicy",
				Resources: cairn.On(func(c *cairn.Call, in *UpdateAssumeRolePolicyInput) []cairn.Resource {
					return []cairn.Resource{s.roleRes(c, in.RoleName)}
				}),
				Target:  onRole(s, func(in *UpdateAssumeRolePolicyInput) string { return in.RoleName }),
				Request: []string{"RoleName", "PolicyDocument"},
			}, s.UpdateAssumeRolePolicy),
			cairn.Define(cairn.Operation{
				Name: "UpdateRole", Action: "iam:UpdateRole",
				Resources: cairn.On(func(c *cairn.Call, in *UpdateRoleInput) []cairn.Resource {
					return []cairn.Resource{s.roleRes(c, in.RoleName)}
				}),
				Target:  onRole(s, func(in *UpdateRoleInput) string { return in.RoleName }),
				Request: []string{"RoleName", "Description", "MaxSessionDuration"},
			}, s.UpdateRole),
			cairn.Define(cairn.Operation{
				Name: "CreatePolicy", Action: "iam:CreatePolicy",
				Resources: cairn.On(func(c *cairn.Call, in *CreatePolicyInput) []cairn.Resource {
					return []cairn.Resource{{ARN: policyARN(c.Account(), pathOr(in.Path), in.PolicyName), Type: typePolicy, Name: in.PolicyName}}
				}),
				Conditions: onCond(func(c *cairn.Call, in *CreatePolicyInput) map[string][]string { return requestTagConditions(in.Tags) }),
				Request:    []string{"PolicyName", "Path", "PolicyDocument", "Description", "Tags"},
				Response:   []string{"Policy"},
			}, s.CreatePolicy),
			cairn.Define(cairn.Operation{
				Name: "GetPolicy", Action: "iam:GetPolicy", ReadOnly: true,
				Resources: cairn.On(func(c *cairn.Call, in *GetPolicyInput) []cairn.Resource {
					return []cairn.Resource{policyRes(in.PolicyArn)}
				}),
				Target:  onPolicy(s, func(in *GetPolicyInput) string { return in.PolicyArn }),
				Request: []string{"PolicyArn"},
			}, s.GetPolicy),
			cairn.Define(cairn.Operation{
				Name: "GetPolicyVersion", Action: "iam:GetPolicyVersion", ReadOnly: true,
				Resources: cairn.On(func(c *cairn.Call, in *GetPolicyVersionInput) []cairn.Resource {
					return []cairn.Resource{policyRes(in.PolicyArn)}
				}),
				Target:  onPolicy(s, func(in *GetPolicyVersionInput) string { return in.PolicyArn }),
				Request: []string{"PolicyArn", "VersionId"},
			}, s.GetPolicyVersion),
			cairn.Define(cairn.Operation{
				Name: "ListPolicies", Action: "iam:ListPolicies", ReadOnly: true,
				Request: []string{"Scope", "OnlyAttached", "PathPrefix", "PolicyUsageFilter", "Marker", "MaxItems"},
			}, s.ListPolicies),
			cairn.Define(cairn.Operation{
				Name: "ListPolicyVersions", Action: "iam:ListPolicyVersions", ReadOnly: true,
				Resources: cairn.On(func(c *cairn.Call, in *ListPolicyVersionsInput) []cairn.Resource {
					return []cairn.Resource{policyRes(in.PolicyArn)}
				}),
				Target:  onPolicy(s, func(in *ListPolicyVersionsInput) string { return in.PolicyArn }),
				Request: []string{"PolicyArn", "Marker", "MaxItems"},
			}, s.ListPolicyVersions),
			cairn.Define(cairn.Operation{
				Name: "CreatePolicyVersion", Action: "iam:CreatePolicyVersion",
				Resources: cairn.On(func(c *cairn.Call, in *CreatePolicyVersionInput) []cairn.Resource {
					return []cairn.Resource{policyRes(in.PolicyArn)}
				}),
				Target:   onPolicy(s, func(in *CreatePolicyVersionInput) string { return in.PolicyArn }),
				Request:  []string{"PolicyArn", "PolicyDocument", "SetAsDefault"},
				Response: []string{"PolicyVersion"},
			}, s.CreatePolicyVersion),
			cairn.Define(cairn.Operation{
				Name: "SetDefaultPolicyVersion", Action: "iam:SetDefaultPolicyVersion",
				Resources: cairn.On(func(c *cairn.Call, in *SetDefaultPolicyVersionInput) []cairn.Resource {
					return []cairn.Resource{policyRes(in.PolicyArn)}
				}),
				Target:  onPolicy(s, func(in *SetDefaultPolicyVersionInput) string { return in.PolicyArn }),
				Request: []string{"PolicyArn", "VersionId"},
			}, s.SetDefaultPolicyVersion),
			cairn.Define(cairn.Operation{
				Name: "DeletePolicyVersion", Action: "iam:DeletePolicyVersion",
				Resources: cairn.On(func(c *cairn.Call, in *DeletePolicyVersionInput) []cairn.Resource {
					return []cairn.Resource{policyRes(in.PolicyArn)}
				}),
				Target:  onPolicy(s, func(in *DeletePolicyVersionInput) string { return in.PolicyArn }),
				Request: []string{"PolicyArn", "VersionId"},
			}, s.DeletePolicyVersion),
			cairn.Define(cairn.Operation{
				Name: "DeletePolicy", Action: "iam:DeletePolicy",
				Resources: cairn.On(func(c *cairn.Call, in *DeletePolicyInput) []cairn.Resource {
					return []cairn.Resource{policyRes(in.PolicyArn)}
				}),
				Target:  onPolicy(s, func(in *DeletePolicyInput) string { return in.PolicyArn }),
				Request: []string{"PolicyArn"},
			}, s.DeletePolicy),
			cairn.Define(cairn.Operation{
				Name: "AttachUserPolicy", Action: "iam:AttachUserPolicy",
				Resources: cairn.On(func(c *cairn.Call, in *AttachUserPolicyInput) []cairn.Resource {
					return []cairn.Resource{s.userRes(c, in.UserName), policyRes(in.PolicyArn)}
				}),
				Conditions: onCond(func(c *cairn.Call, in *AttachUserPolicyInput) map[string][]string {
					return policyARNCondition(in.PolicyArn)
				}),
				Target:  onUser(s, func(in *AttachUserPolicyInput) string { return in.UserName }),
				Request: []string{"UserName", "PolicyArn"},
			}, s.AttachUserPolicy),
			cairn.Define(cairn.Operation{
				Name: "DetachUserPolicy", Action: "iam:DetachUserPolicy",
				Resources: cairn.On(func(c *cairn.Call, in *DetachUserPolicyInput) []cairn.Resource {
					return []cairn.Resource{s.userRes(c, in.UserName), policyRes(in.PolicyArn)}
				}),
				Conditions: onCond(func(c *cairn.Call, in *DetachUserPolicyInput) map[string][]string {
					return policyARNCondition(in.PolicyArn)
				}),
				Target:  onUser(s, func(in *DetachUserPolicyInput) string { return in.UserName }),
				Request: []string{"UserName", "PolicyArn"},
			}, s.DetachUserPolicy),
			cairn.Define(cairn.Operation{
				Name: "ListAttachedUserPolicies", Action: "iam:ListAttachedUserPolicies", ReadOnly: true,
				Resources: cairn.On(func(c *cairn.Call, in *ListAttachedUserPoliciesInput) []cairn.Resource {
					return []cairn.Resource{s.userRes(c, in.UserName)}
				}),
				Target:  onUser(s, func(in *ListAttachedUserPoliciesInput) string { return in.UserName }),
				Request: []string{"UserName", "PathPrefix", "Marker", "MaxItems"},
			}, s.ListAttachedUserPolicies),
			cairn.Define(cairn.Operation{
				Name: "AttachGroupPolicy", Action: "iam:AttachGroupPolicy",
				Resources: cairn.On(func(c *cairn.Call, in *AttachGroupPolicyInput) []cairn.Resource {
					return []cairn.Resource{s.groupRes(c, in.GroupName), policyRes(in.PolicyArn)}
				}),
				Conditions: onCond(func(c *cairn.Call, in *AttachGroupPolicyInput) map[string][]string {
					return policyARNCondition(in.PolicyArn)
				}),
				Request: []string{"GroupName", "PolicyArn"},
			}, s.AttachGroupPolicy),
			cairn.Define(cairn.Operation{
				Name: "DetachGroupPolicy", Action: "iam:DetachGroupPolicy",
				Resources: cairn.On(func(c *cairn.Call, in *DetachGroupPolicyInput) []cairn.Resource {
					return []cairn.Resource{s.groupRes(c, in.GroupName), policyRes(in.PolicyArn)}
				}),
				Conditions: onCond(func(c *cairn.Call, in *DetachGroupPolicyInput) map[string][]string {
					return policyARNCondition(in.PolicyArn)
				}),
				Request: []string{"GroupName", "PolicyArn"},
			}, s.DetachGroupPolicy),
			cairn.Define(cairn.Operation{
				Name: "ListAttachedGroupPolicies", Action: "iam:ListAttachedGroupPolicies", ReadOnly: true,
				Resources: cairn.On(func(c *cairn.Call, in *ListAttachedGroupPoliciesInput) []cairn.Resource {
					return []cairn.Resource{s.groupRes(c, in.GroupName)}
				}),
				Request: []string{"GroupName", "PathPrefix", "Marker", "MaxItems"},
			}, s.ListAttachedGroupPolicies),
			cairn.Define(cairn.Operation{
				Name: "AttachRolePolicy", Action: "iam:AttachRolePolicy",
				Resources: cairn.On(func(c *cairn.Call, in *AttachRolePolicyInput) []cairn.Resource {
					return []cairn.Resource{s.roleRes(c, in.RoleName), policyRes(in.PolicyArn)}
				}),
				Conditions: onCond(func(c *cairn.Call, in *AttachRolePolicyInput) map[string][]string {
					return policyARNCondition(in.PolicyArn)
				}),
				Target:  onRole(s, func(in *AttachRolePolicyInput) string { return in.RoleName }),
				Request: []string{"RoleName", "PolicyArn"},
			}, s.AttachRolePolicy),
			cairn.Define(cairn.Operation{
				Name: "DetachRolePolicy", Action: "iam:DetachRolePolicy",
				Resources: cairn.On(func(c *cairn.Call, in *DetachRolePolicyInput) []cairn.Resource {
					return []cairn.Resource{s.roleRes(c, in.RoleName), policyRes(in.PolicyArn)}
				}),
				Conditions: onCond(func(c *cairn.Call, in *DetachRolePolicyInput) map[string][]string {
					return policyARNCondition(in.PolicyArn)
				}),
				Target:  onRole(s, func(in *DetachRolePolicyInput) string { return in.RoleName }),
				Request: []string{"RoleName", "PolicyArn"},
			}, s.DetachRolePolicy),
			cairn.Define(cairn.Operation{
				Name: "ListAttachedRolePolicies", Action: "iam:ListAttachedRolePolicies", ReadOnly: true,
				Resources: cairn.On(func(c *cairn.Call, in *ListAttachedRolePoliciesInput) []cairn.Resource {
					return []cairn.Resource{s.roleRes(c, in.RoleName)}
				}),
				Target:  onRole(s, func(in *ListAttachedRolePoliciesInput) string { return in.RoleName }),
				Request: []string{"RoleName", "PathPrefix", "Marker", "MaxItems"},
			}, s.ListAttachedRolePolicies),
			cairn.Define(cairn.Operation{
				Name: "PutUserPolicy", Action: "iam:PutUserPolicy",
				Resources: cairn.On(func(c *cairn.Call, in *PutUserPolicyInput) []cairn.Resource {
					return []cairn.Resource{s.userRes(c, in.UserName)}
				}),
				Target:  onUser(s, func(in *PutUserPolicyInput) string { return in.UserName }),
				Request: []string{"UserName", "PolicyName", "PolicyDocument"},
			}, s.PutUserPolicy),
			cairn.Define(cairn.Operation{
				Name: "GetUserPolicy", Action: "iam:GetUserPolicy", ReadOnly: true,
				Resources: cairn.On(func(c *cairn.Call, in *GetUserPolicyInput) []cairn.Resource {
					return []cairn.Resource{s.userRes(c, in.UserName)}
				}),
				Target:  onUser(s, func(in *GetUserPolicyInput) string { return in.UserName }),
				Request: []string{"UserName", "PolicyName"},
			}, s.GetUserPolicy),
			cairn.Define(cairn.Operation{
				Name: "DeleteUserPolicy", Action: "iam:DeleteUserPolicy",
				Resources: cairn.On(func(c *cairn.Call, in *DeleteUserPolicyInput) []cairn.Resource {
					return []cairn.Resource{s.userRes(c, in.UserName)}
				}),
				Target:  onUser(s, func(in *DeleteUserPolicyInput) string { return in.UserName }),
				Request: []string{"UserName", "PolicyName"},
			}, s.DeleteUserPolicy),
			cairn.Define(cairn.Operation{
				Name: "ListUserPolicies", Action: "iam:ListUserPolicies", ReadOnly: true,
				Resources: cairn.On(func(c *cairn.Call, in *ListUserPoliciesInput) []cairn.Resource {
					return []cairn.Resource{s.userRes(c, in.UserName)}
				}),
				Target:  onUser(s, func(in *ListUserPoliciesInput) string { return in.UserName }),
				Request: []string{"UserName", "Marker", "MaxItems"},
			}, s.ListUserPolicies),
			cairn.Define(cairn.Operation{
				Name: "PutGroupPolicy", Action: "iam:PutGroupPolicy",
				Resources: cairn.On(func(c *cairn.Call, in *PutGroupPolicyInput) []cairn.Resource {
					return []cairn.Resource{s.groupRes(c, in.GroupName)}
				}),
				Request: []string{"GroupName", "PolicyName", "PolicyDocument"},
			}, s.PutGroupPolicy),
			cairn.Define(cairn.Operation{
				Name: "GetGroupPolicy", Action: "iam:GetGroupPolicy", ReadOnly: true,
				Resources: cairn.On(func(c *cairn.Call, in *GetGroupPolicyInput) []cairn.Resource {
					return []cairn.Resource{s.groupRes(c, in.GroupName)}
				}),
				Request: []string{"GroupName", "PolicyName"},
			}, s.GetGroupPolicy),
			cairn.Define(cairn.Operation{
				Name: "DeleteGroupPolicy", Action: "iam:DeleteGroupPolicy",
				Resources: cairn.On(func(c *cairn.Call, in *DeleteGroupPolicyInput) []cairn.Resource {
					return []cairn.Resource{s.groupRes(c, in.GroupName)}
				}),
				Request: []string{"GroupName", "PolicyName"},
			}, s.DeleteGroupPolicy),
			cairn.Define(cairn.Operation{
				Name: "ListGroupPolicies", Action: "iam:ListGroupPolicies", ReadOnly: true,
				Resources: cairn.On(func(c *cairn.Call, in *ListGroupPoliciesInput) []cairn.Resource {
					return []cairn.Resource{s.groupRes(c, in.GroupName)}
				}),
				Request: []string{"GroupName", "Marker", "MaxItems"},
			}, s.ListGroupPolicies),
			cairn.Define(cairn.Operation{
				Name: "PutRolePolicy", Action: "iam:PutRolePolicy",
				Resources: cairn.On(func(c *cairn.Call, in *PutRolePolicyInput) []cairn.Resource {
					return []cairn.Resource{s.roleRes(c, in.RoleName)}
				}),
				Target:  onRole(s, func(in *PutRolePolicyInput) string { return in.RoleName }),
				Request: []string{"RoleName", "PolicyName", "PolicyDocument"},
			}, s.PutRolePolicy),
			cairn.Define(cairn.Operation{
				Name: "GetRolePolicy", Action: "iam:GetRolePolicy", ReadOnly: true,
				Resources: cairn.On(func(c *cairn.Call, in *GetRolePolicyInput) []cairn.Resource {
					return []cairn.Resource{s.roleRes(c, in.RoleName)}
				}),
				Target:  onRole(s, func(in *GetRolePolicyInput) string { return in.RoleName }),
				Request: []string{"RoleName", "PolicyName"},
			}, s.GetRolePolicy),
			cairn.Define(cairn.Operation{
				Name: "DeleteRolePolicy", Action: "iam:DeleteRolePolicy",
				Resources: cairn.On(func(c *cairn.Call, in *DeleteRolePolicyInput) []cairn.Resource {
					return []cairn.Resource{s.roleRes(c, in.RoleName)}
				}),
				Target:  onRole(s, func(in *DeleteRolePolicyInput) string { return in.RoleName }),
				Request: []string{"RoleName", "PolicyName"},
			}, s.DeleteRolePolicy),
			cairn.Define(cairn.Operation{
				Name: "ListRolePolicies", Action: "iam:ListRolePolicies", ReadOnly: true,
				Resources: cairn.On(func(c *cairn.Call, in *ListRolePoliciesInput) []cairn.Resource {
					return []cairn.Resource{s.roleRes(c, in.RoleName)}
				}),
				Target:  onRole(s, func(in *ListRolePoliciesInput) string { return in.RoleName }),
				Request: []string{"RoleName", "Marker", "MaxItems"},
			}, s.ListRolePolicies),
			cairn.Define(cairn.Operation{
				Name: "PutUserPermissionsBoundary", Action: "iam:PutUserPermissionsBoundary",
				Resources: cairn.On(func(c *cairn.Call, in *PutUserPermissionsBoundaryInput) []cairn.Resource {
					return []cairn.Resource{s.userRes(c, in.UserName)}
				}),
				Conditions: onCond(func(c *cairn.Call, in *PutUserPermissionsBoundaryInput) map[string][]string {
					return boundaryCondition(&in.PermissionsBoundary)
				}),
				Target:  onUser(s, func(in *PutUserPermissionsBoundaryInput) string { return in.UserName }),
				Request: []string{"UserName", "PermissionsBoundary"},
			}, s.PutUserPermissionsBoundary),
			cairn.Define(cairn.Operation{
				Name: "DeleteUserPermissionsBoundary", Action: "iam:DeleteUserPermissionsBoundary",
				Resources: cairn.On(func(c *cairn.Call, in *DeleteUserPermissionsBoundaryInput) []cairn.Resource {
					return []cairn.Resource{s.userRes(c, in.UserName)}
				}),
				Conditions: onCond(func(c *cairn.Call, in *DeleteUserPermissionsBoundaryInput) map[string][]string {
					return storedBoundaryCondition(s.storedBoundary(kindUser, c.Account(), in.UserName))
				}),
				Target:  onUser(s, func(in *DeleteUserPermissionsBoundaryInput) string { return in.UserName }),
				Request: []string{"UserName"},
			}, s.DeleteUserPermissionsBoundary),
			cairn.Define(cairn.Operation{
				Name: "PutRolePermissionsBoundary", Action: "iam:PutRolePermissionsBoundary",
				Resources: cairn.On(func(c *cairn.Call, in *PutRolePermissionsBoundaryInput) []cairn.Resource {
					return []cairn.Resource{s.roleRes(c, in.RoleName)}
				}),
				Conditions: onCond(func(c *cairn.Call, in *PutRolePermissionsBoundaryInput) map[string][]string {
					return boundaryCondition(&in.PermissionsBoundary)
				}),
				Target:  onRole(s, func(in *PutRolePermissionsBoundaryInput) string { return in.RoleName }),
				Request: []string{"RoleName", "PermissionsBoundary"},
			}, s.PutRolePermissionsBoundary),
			cairn.Define(cairn.Operation{
				Name: "DeleteRolePermissionsBoundary", Action: "iam:DeleteRolePermissionsBoundary",
				Resources: cairn.On(func(c *cairn.Call, in *DeleteRolePermissionsBoundaryInput) []cairn.Resource {
					return []cairn.Resource{s.roleRes(c, in.RoleName)}
				}),
				Conditions: onCond(func(c *cairn.Call, in *DeleteRolePermissionsBoundaryInput) map[string][]string {
					return storedBoundaryCondition(s.storedBoundary(kindRole, c.Account(), in.RoleName))
				}),
				Target:  onRole(s, func(in *DeleteRolePermissionsBoundaryInput) string { return in.RoleName }),
				Request: []string{"RoleName"},
			}, s.DeleteRolePermissionsBoundary),
			cairn.Define(cairn.Operation{
				Name: "SimulatePrincipalPolicy", Action: "iam:SimulatePrincipalPolicy", ReadOnly: true,
				Resources: cairn.On(func(c *cairn.Call, in *SimulatePrincipalPolicyInput) []cairn.Resource {
					return []cairn.Resource{sourceRes(c, in.PolicySourceArn)}
				}),
				Target: onSource(s, func(in *SimulatePrincipalPolicyInput) string { return in.PolicySourceArn }),
				Request: []string{"PolicySourceArn", "PolicyInputList", "PermissionsBoundaryPolicyInputList", "ActionNames",
					"ResourceArns", "ResourcePolicy", "ResourceOwner", "CallerArn", "ContextEntries", "ResourceHandlingOption",
					"MaxItems", "Marker"},
			}, s.SimulatePrincipalPolicy),
			cairn.Define(cairn.Operation{
				Name: "SimulateCustomPolicy", Action: "iam:SimulateCustomPolicy", ReadOnly: true,
				Request: []string{"PolicyInputList", "PermissionsBoundaryPolicyInputList", "ActionNames",
					"ResourceArns", "ResourcePolicy", "ResourceOwner", "CallerArn", "ContextEntries", "ResourceHandlingOption",
					"MaxItems", "Marker"},
			}, s.SimulateCustomPolicy),
			cairn.Define(cairn.Operation{
				Name: "TagUser", Action: "iam:TagUser",
				Resources: cairn.On(func(c *cairn.Call, in *TagUserInput) []cairn.Resource {
					return []cairn.Resource{s.userRes(c, in.UserName)}
				}),
				Conditions: onCond(func(c *cairn.Call, in *TagUserInput) map[string][]string { return requestTagConditions(in.Tags) }),
				Target:     onUser(s, func(in *TagUserInput) string { return in.UserName }),
				Request:    []string{"UserName", "Tags"},
			}, s.TagUser),
			cairn.Define(cairn.Operation{
				Name: "UntagUser", Action: "iam:UntagUser",
				Resources: cairn.On(func(c *cairn.Call, in *UntagUserInput) []cairn.Resource {
					return []cairn.Resource{s.userRes(c, in.UserName)}
				}),
				Conditions: onCond(func(c *cairn.Call, in *UntagUserInput) map[string][]string { return tagKeysCondition(in.TagKeys) }),
				Target:     onUser(s, func(in *UntagUserInput) string { return in.UserName }),
				Request:    []string{"UserName", "TagKeys"},
			}, s.UntagUser),
			cairn.Define(cairn.Operation{
				Name: "ListUserTags", Action: "iam:ListUserTags", ReadOnly: true,
				Resources: cairn.On(func(c *cairn.Call, in *ListUserTagsInput) []cairn.Resource {
					return []cairn.Resource{s.userRes(c, in.UserName)}
				}),
				Target:  onUser(s, func(in *ListUserTagsInput) string { return in.UserName }),
				Request: []string{"UserName", "Marker", "MaxItems"},
			}, s.ListUserTags),
			cairn.Define(cairn.Operation{
				Name: "TagRole", Action: "iam:TagRole",
				Resources: cairn.On(func(c *cairn.Call, in *TagRoleInput) []cairn.Resource {
					return []cairn.Resource{s.roleRes(c, in.RoleName)}
				}),
				Conditions: onCond(func(c *cairn.Call, in *TagRoleInput) map[string][]string { return requestTagConditions(in.Tags) }),
				Target:     onRole(s, func(in *TagRoleInput) string { return in.RoleName }),
				Request:    []string{"RoleName", "Tags"},
			}, s.TagRole),
			cairn.Define(cairn.Operation{
				Name: "UntagRole", Action: "iam:UntagRole",
				Resources: cairn.On(func(c *cairn.Call, in *UntagRoleInput) []cairn.Resource {
					return []cairn.Resource{s.roleRes(c, in.RoleName)}
				}),
				Conditions: onCond(func(c *cairn.Call, in *UntagRoleInput) map[string][]string { return tagKeysCondition(in.TagKeys) }),
				Target:     onRole(s, func(in *UntagRoleInput) string { return in.RoleName }),
				Request:    []string{"RoleName", "TagKeys"},
			}, s.UntagRole),
			cairn.Define(cairn.Operation{
				Name: "ListRoleTags", Action: "iam:ListRoleTags", ReadOnly: true,
				Resources: cairn.On(func(c *cairn.Call, in *ListRoleTagsInput) []cairn.Resource {
					return []cairn.Resource{s.roleRes(c, in.RoleName)}
				}),
				Target:  onRole(s, func(in *ListRoleTagsInput) string { return in.RoleName }),
				Request: []string{"RoleName", "Marker", "MaxItems"},
			}, s.ListRoleTags),
		},
	}
}

// pathOr is the path an entity is created with.
func pathOr(p *string) string {
	if p == nil || *p == "" {
		return "/"
	}
	return *p
}
