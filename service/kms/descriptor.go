package kms

import (
	"github.com/cairnhq/cairn"
)

// How each operation may name its key.
var (
	// Cryptographic operations and DescribeKey: any key ID, key ARN,
	// alias name or alias ARN, in any account; an AWS managed alias gets
	// its key on first use.
	optsUse = resolveOpts{createAWS: true}
	// Grant operations: key ID or key ARN, in any account.
	optsGrant = resolveOpts{noAlias: true}
	// Management operations: key ID or key ARN of a key of the caller's
	// account.
	optsHome = resolveOpts{noAlias: true, home: true}
)

// Members recorded in events: parameters, never plaintexts, ciphertexts,
// data keys or grant tokens. Cryptographic operations record no response,
// as AWS records none.
var (
	keyIDOnly       = []string{"KeyId"}
	keyMetadataResp = []string{"KeyMetadata"}
)

func (s *Service) descriptor() *cairn.Service {
	key := func(op cairn.Operation, o resolveOpts) cairn.Operation {
		op.Target = s.onKey(o)
		op.Resources = keyResourcesOf
		return op
	}
	shared := func(op cairn.Operation, o resolveOpts) cairn.Operation {
		op = key(op, o)
		op.Recipients = keyOwnerOf
		return op
	}
	cond := func(op cairn.Operation) cairn.Operation {
		op.Conditions = func(c *cairn.Call, _ any) map[string][]string { return callConditions(c) }
		return op
	}
	grantCond := func(op cairn.Operation) cairn.Operation {
		op.Conditions = func(c *cairn.Call, _ any) map[string][]string { return grantCallConditions(c) }
		return op
	}
	return &cairn.Service{
		Name:        "kms",
		EventSource: "kms.amazonaws.com",
		Operations: []cairn.Operation{
			// Keys.
			cairn.Define(cairn.Operation{
				Name: "CreateKey", Action: "kms:CreateKey",
				Conditions: cairn.OnConditions(createKeyConditions),
				// The new key, once the handler created it.
				Resources: cairn.On(func(_ *cairn.Call, in *CreateKeyInput) []cairn.Resource {
					if in.created == "" {
						return nil
					}
					return []cairn.Resource{{ARN: in.created, Type: KeyResourceType}}
				}),
				Request: []string{"Policy", "Description", "KeyUsage", "CustomerMasterKeySpec", "KeySpec", "Origin",
					"BypassPolicyLockoutSafetyCheck", "Tags", "MultiRegion"},
				Response: keyMetadataResp,
			}, s.CreateKey),
			cairn.Define(shared(cond(cairn.Operation{
				Name: "DescribeKey", Action: "kms:DescribeKey", ReadOnly: true,
				Request: keyIDOnly,
			}), optsUse), s.DescribeKey),
			cairn.Define(cond(cairn.Operation{
				Name: "ListKeys", Action: "kms:ListKeys", ReadOnly: true,
				Request: []string{"Limit", "Marker"},
			}), s.ListKeys),
			cairn.Define(key(cond(cairn.Operation{
				Name: "EnableKey", Action: "kms:EnableKey", Request: keyIDOnly,
			}), optsHome), s.EnableKey),
			cairn.Define(key(cond(cairn.Operation{
				Name: "DisableKey", Action: "kms:DisableKey", Request: keyIDOnly,
			}), optsHome), s.DisableKey),
			cairn.Define(key(cond(cairn.Operation{
				Name: "UpdateKeyDescription", Action: "kms:UpdateKeyDescription",
				Request: []string{"KeyId", "Description"},
			}), optsHome), s.UpdateKeyDescription),
			cairn.Define(key(cond(cairn.Operation{
				Name: "ScheduleKeyDeletion", Action: "kms:ScheduleKeyDeletion",
				Request:  []string{"KeyId", "PendingWindowInDays"},
				Response: []string{"KeyId", "DeletionDate", "KeyState", "PendingWindowInDays"},
			}), optsHome), s.ScheduleKeyDeletion),
			cairn.Define(key(cond(cairn.Operation{
				Name: "CancelKeyDeletion", Action: "kms:CancelKeyDeletion",
				Request: keyIDOnly, Response: keyIDOnly,
			}), optsHome), s.CancelKeyDeletion),

			// Aliases.
			cairn.Define(cond(cairn.Operation{
				Name: "CreateAlias", Action: "kms:CreateAlias",
				Target:    s.aliasKeyTarget,
				Resources: aliasResources,
				Request:   []string{"AliasName", "TargetKeyId"},
			}), s.CreateAlias),
			cairn.Define(cond(cairn.Operation{
				Name: "UpdateAlias", Action: "kms:UpdateAlias",
				Target:    s.aliasKeyTarget,
				Resources: aliasResources,
				Request:   []string{"AliasName", "TargetKeyId"},
			}), s.UpdateAlias),
			cairn.Define(cond(cairn.Operation{
				Name: "DeleteAlias", Action: "kms:DeleteAlias",
				Target:    s.aliasKeyTarget,
				Resources: aliasResources,
				Request:   []string{"AliasName"},
			}), s.DeleteAlias),
			cairn.Define(cond(cairn.Operation{
				Name: "ListAliases", Action: "kms:ListAliases", ReadOnly: true,
				Request: []string{"KeyId", "Limit", "Marker"},
			}), s.ListAliases),

			// Key policies.
			cairn.Define(key(cond(cairn.Operation{
				Name: "GetKeyPolicy", Action: "kms:GetKeyPolicy", ReadOnly: true,
				Request: []string{"KeyId", "PolicyName"},
			}), optsHome), s.GetKeyPolicy),
			cairn.Define(key(cond(cairn.Operation{
				Name: "PutKeyPolicy", Action: "kms:PutKeyPolicy",
				Request: []string{"KeyId", "PolicyName", "Policy", "BypassPolicyLockoutSafetyCheck"},
			}), optsHome), s.PutKeyPolicy),
			cairn.Define(key(cond(cairn.Operation{
				Name: "ListKeyPolicies", Action: "kms:ListKeyPolicies", ReadOnly: true,
				Request: []string{"KeyId", "Limit", "Marker"},
			}), optsHome), s.ListKeyPolicies),

			// Cryptography.
			cairn.Define(shared(cairn.Operation{
				Name: "Encrypt", Action: "kms:Encrypt", ReadOnly: true,
				Conditions: cairn.OnConditions(func(c *cairn.Call, in *EncryptInput) map[string][]string {
					return cryptoConditions(c, in.EncryptionContext, in.EncryptionAlgorithm)
				}),
				Request: []string{"KeyId", "EncryptionContext", "EncryptionAlgorithm", "DryRun"},
			}, optsUse), s.Encrypt),
			cairn.Define(cairn.Operation{
				Name: "Decrypt", Action: "kms:Decrypt", ReadOnly: true,
				Conditions: cairn.OnConditions(func(c *cairn.Call, in *DecryptInput) map[string][]string {
					return cryptoConditions(c, in.EncryptionContext, in.EncryptionAlgorithm)
				}),
				Target:     cairn.OnTarget(s.decryptTarget),
				Resources:  cairn.On(decryptResources),
				Recipients: cairn.OnAccounts(func(c *cairn.Call, in *DecryptInput) []string { return keyOwner(c, in.res) }),
				Request:    []string{"KeyId", "EncryptionContext", "EncryptionAlgorithm", "DryRun"},
			}, s.Decrypt),
			cairn.Define(cairn.Operation{
				Name: "ReEncrypt", Action: "kms:ReEncryptFrom", ReadOnly: true,
				Conditions: cairn.OnConditions(func(c *cairn.Call, in *ReEncryptInput) map[string][]string {
					return cryptoConditions(c, in.SourceEncryptionContext, in.SourceEncryptionAlgorithm)
				}),
				Target:     cairn.OnTarget(s.reEncryptTarget),
				Resources:  cairn.On(reEncryptResources),
				Recipients: cairn.OnAccounts(func(c *cairn.Call, in *ReEncryptInput) []string { return keyOwner(c, in.res) }),
				Request: []string{"SourceKeyId", "DestinationKeyId", "SourceEncryptionContext", "DestinationEncryptionContext",
					"SourceEncryptionAlgorithm", "DestinationEncryptionAlgorithm", "DryRun"},
			}, s.ReEncrypt),
			cairn.Define(shared(cairn.Operation{
				Name: "GenerateDataKey", Action: "kms:GenerateDataKey", ReadOnly: true,
				Conditions: cairn.OnConditions(func(c *cairn.Call, in *GenerateDataKeyInput) map[string][]string {
					return cryptoConditions(c, in.EncryptionContext, nil)
				}),
				Request: []string{"KeyId", "EncryptionContext", "KeySpec", "NumberOfBytes", "DryRun"},
			}, optsUse), s.GenerateDataKey),
			cairn.Define(shared(cairn.Operation{
				Name: "GenerateDataKeyWithoutPlaintext", Action: "kms:GenerateDataKeyWithoutPlaintext", ReadOnly: true,
				Conditions: cairn.OnConditions(func(c *cairn.Call, in *GenerateDataKeyWithoutPlaintextInput) map[string][]string {
					return cryptoConditions(c, in.EncryptionContext, nil)
				}),
				Request: []string{"KeyId", "EncryptionContext", "KeySpec", "NumberOfBytes", "DryRun"},
			}, optsUse), s.GenerateDataKeyWithoutPlaintext),
			cairn.Define(cond(cairn.Operation{
				Name: "GenerateRandom", Action: "kms:GenerateRandom", ReadOnly: true,
				Request: []string{"NumberOfBytes"},
			}), s.GenerateRandom),

			// Rotation.
			cairn.Define(key(cond(cairn.Operation{
				Name: "EnableKeyRotation", Action: "kms:EnableKeyRotation",
				Request: []string{"KeyId", "RotationPeriodInDays"},
			}), optsHome), s.EnableKeyRotation),
			cairn.Define(key(cond(cairn.Operation{
				Name: "DisableKeyRotation", Action: "kms:DisableKeyRotation", Request: keyIDOnly,
			}), optsHome), s.DisableKeyRotation),
			cairn.Define(key(cond(cairn.Operation{
				Name: "GetKeyRotationStatus", Action: "kms:GetKeyRotationStatus", ReadOnly: true, Request: keyIDOnly,
			}), optsHome), s.GetKeyRotationStatus),
			cairn.Define(key(cond(cairn.Operation{
				Name: "RotateKeyOnDemand", Action: "kms:RotateKeyOnDemand", Request: keyIDOnly, Response: keyIDOnly,
			}), optsHome), s.RotateKeyOnDemand),
			cairn.Define(key(cond(cairn.Operation{
				Name: "ListKeyRotations", Action: "kms:ListKeyRotations", ReadOnly: true,
				Request: []string{"KeyId", "IncludeKeyMaterial", "Limit", "Marker"},
			}), optsHome), s.ListKeyRotations),

			// Grants.
			cairn.Define(shared(cairn.Operation{
				Name: "CreateGrant", Action: "kms:CreateGrant",
				Conditions: cairn.OnConditions(grantConditions),
				Request:    []string{"KeyId", "GranteePrincipal", "RetiringPrincipal", "Operations", "Constraints", "Name", "DryRun"},
				Response:   []string{"GrantId"},
			}, optsGrant), s.CreateGrant),
			cairn.Define(shared(grantCond(cairn.Operation{
				Name: "ListGrants", Action: "kms:ListGrants", ReadOnly: true,
				Request: []string{"KeyId", "GrantId", "GranteePrincipal", "Limit", "Marker"},
			}), optsGrant), s.ListGrants),
			cairn.Define(cairn.Operation{
				// The grant's retiring principal (or grantee, when the
				// grant allows RetireGrant) may retire it whatever the
				// policies say: the handler decides, with the key policy
				// and grants for everyone else.
				Name: "RetireGrant", Action: "kms:RetireGrant", AlwaysAllowed: true,
				Resources:  cairn.On(s.retireResources),
				Recipients: cairn.OnAccounts(s.retireRecipients),
				Request:    []string{"KeyId", "GrantId", "DryRun"},
			}, s.RetireGrant),
			cairn.Define(shared(grantCond(cairn.Operation{
				Name: "RevokeGrant", Action: "kms:RevokeGrant",
				Request: []string{"KeyId", "GrantId", "DryRun"},
			}), optsGrant), s.RevokeGrant),
			cairn.Define(cond(cairn.Operation{
				Name: "ListRetirableGrants", Action: "kms:ListRetirableGrants", ReadOnly: true,
				Request: []string{"RetiringPrincipal", "Limit", "Marker"},
			}), s.ListRetirableGrants),

			// Tags.
			cairn.Define(key(cond(cairn.Operation{
				Name: "TagResource", Action: "kms:TagResource",
				Request: []string{"KeyId", "Tags"},
			}), optsHome), s.TagResource),
			cairn.Define(key(cond(cairn.Operation{
				Name: "UntagResource", Action: "kms:UntagResource",
				Request: []string{"KeyId", "TagKeys"},
			}), optsHome), s.UntagResource),
			cairn.Define(key(cond(cairn.Operation{
				Name: "ListResourceTags", Action: "kms:ListResourceTags", ReadOnly: true,
				Request: []string{"KeyId", "Limit", "Marker"},
			}), optsHome), s.ListResourceTags),
		},
	}
}
