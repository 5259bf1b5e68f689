package kms

import (
	"context"

	"github.com/cairnhq/cairn"
)

// keyed is an input that names one key (its KeyId member): descriptor rows
// of key operations share their Target, Resources and Recipients through
// it.
type keyed interface {
	keyArg() (member, keyID string)
	slot() **resolved
}

// contextual is an input that carries an encryption context, which grant
// constraints are checked against.
type contextual interface {
	encryptionContext() map[string]string
}

func (in *DescribeKeyInput) keyArg() (string, string)          { return "keyId", in.KeyId }
func (in *DescribeKeyInput) slot() **resolved                  { return &in.res }
func (in *EnableKeyInput) keyArg() (string, string)            { return "keyId", in.KeyId }
func (in *EnableKeyInput) slot() **resolved                    { return &in.res }
func (in *DisableKeyInput) keyArg() (string, string)           { return "keyId", in.KeyId }
func (in *DisableKeyInput) slot() **resolved                   { return &in.res }
func (in *UpdateKeyDescriptionInput) keyArg() (string, string) { return "keyId", in.KeyId }
func (in *UpdateKeyDescriptionInput) slot() **resolved         { return &in.res }
func (in *ScheduleKeyDeletionInput) keyArg() (string, string)  { return "keyId", in.KeyId }
func (in *ScheduleKeyDeletionInput) slot() **resolved          { return &in.res }
func (in *CancelKeyDeletionInput) keyArg() (string, string)    { return "keyId", in.KeyId }
func (in *CancelKeyDeletionInput) slot() **resolved            { return &in.res }
func (in *CreateAliasInput) keyArg() (string, string)          { return "targetKeyId", in.TargetKeyId }
func (in *CreateAliasInput) slot() **resolved                  { return &in.res }
func (in *GetKeyPolicyInput) keyArg() (string, string)         { return "keyId", in.KeyId }
func (in *GetKeyPolicyInput) slot() **resolved                 { return &in.res }
func (in *PutKeyPolicyInput) keyArg() (string, string)         { return "keyId", in.KeyId }
func (in *PutKeyPolicyInput) slot() **resolved                 { return &in.res }
func (in *ListKeyPoliciesInput) keyArg() (string, string)      { return "keyId", in.KeyId }
func (in *ListKeyPoliciesInput) slot() **resolved              { return &in.res }
func (in *EncryptInput) keyArg() (string, string)              { return "keyId", in.KeyId }
func (in *EncryptInput) slot() **resolved                      { return &in.res }
func (in *EncryptInput) encryptionContext() map[string]string  { return in.EncryptionContext }
func (in *GenerateDataKeyInput) keyArg() (string, string)      { return "keyId", in.KeyId }
func (in *GenerateDataKeyInput) slot() **resolved              { return &in.res }
func (in *GenerateDataKeyInput) encryptionContext() map[string]string {
	return in.EncryptionContext
}
func (in *GenerateDataKeyWithoutPlaintextInput) keyArg() (string, string) {
	return "keyId", in.KeyId
}
func (in *GenerateDataKeyWithoutPlaintextInput) slot() **resolved { return &in.res }
func (in *GenerateDataKeyWithoutPlaintextInput) encryptionContext() map[string]string {
	return in.EncryptionContext
}
func (in *EnableKeyRotationInput) keyArg() (string, string)    { return "keyId", in.KeyId }
func (in *EnableKeyRotationInput) slot() **resolved            { return &in.res }
func (in *DisableKeyRotationInput) keyArg() (string, string)   { return "keyId", in.KeyId }
func (in *DisableKeyRotationInput) slot() **resolved           { return &in.res }
func (in *GetKeyRotationStatusInput) keyArg() (string, string) { return "keyId", in.KeyId }
func (in *GetKeyRotationStatusInput) slot() **resolved         { return &in.res }
func (in *RotateKeyOnDemandInput) keyArg() (string, string)    { return "keyId", in.KeyId }
func (in *RotateKeyOnDemandInput) slot() **resolved            { return &in.res }
func (in *ListKeyRotationsInput) keyArg() (string, string)     { return "keyId", in.KeyId }
func (in *ListKeyRotationsInput) slot() **resolved             { return &in.res }
func (in *CreateGrantInput) keyArg() (string, string)          { return "keyId", in.KeyId }
func (in *CreateGrantInput) slot() **resolved                  { return &in.res }
func (in *ListGrantsInput) keyArg() (string, string)           { return "keyId", in.KeyId }
func (in *ListGrantsInput) slot() **resolved                   { return &in.res }
func (in *RevokeGrantInput) keyArg() (string, string)          { return "keyId", in.KeyId }
func (in *RevokeGrantInput) slot() **resolved                  { return &in.res }
func (in *TagResourceInput) keyArg() (string, string)          { return "keyId", in.KeyId }
func (in *TagResourceInput) slot() **resolved                  { return &in.res }
func (in *UntagResourceInput) keyArg() (string, string)        { return "keyId", in.KeyId }
func (in *UntagResourceInput) slot() **resolved                { return &in.res }
func (in *ListResourceTagsInput) keyArg() (string, string)     { return "keyId", in.KeyId }
func (in *ListResourceTagsInput) slot() **resolved             { return &in.res }

// onKey is the Target of an operation on the key its input names.
func (s *Service) onKey(o resolveOpts) func(context.Context, *cairn.Call, any) (*cairn.Target, error) {
	return func(ctx context.Context, c *cairn.Call, in any) (*cairn.Target, error) {
		k, ok := in.(keyed)
		if !ok {
			return nil, nil
		}
		member, id := k.keyArg()
		var ec map[string]string
		if x, ok := in.(contextual); ok {
			ec = x.encryptionContext()
		}
		return s.keyTarget(ctx, c, member, id, o, k.slot(), ec)
	}
}

// keyResourcesOf is the Resources of an operation on one key.
func keyResourcesOf(c *cairn.Call, in any) []cairn.Resource {
	k, ok := in.(keyed)
	if !ok {
		return nil
	}
	_, id := k.keyArg()
	return keyResources(c, id, *k.slot())
}

// keyOwnerOf is the Recipients of an operation that may act across
// accounts.
func keyOwnerOf(c *cairn.Call, in any) []string {
	k, ok := in.(keyed)
	if !ok {
		return nil
	}
	return keyOwner(c, *k.slot())
}

// entryOf returns the key authorization resolved for in, resolving it now
// when the input was not authorized through a Target (tests, always
// allowed rows).
func (s *Service) entryOf(ctx context.Context, c *cairn.Call, in keyed, o resolveOpts) (*keyEntry, error) {
	if r := *in.slot(); r != nil && r.entry != nil {
		return r.entry, nil
	}
	member, id := in.keyArg()
	e, ref, err := s.resolve(ctx, c, member, id, o)
	if err != nil {
		return nil, err
	}
	*in.slot() = &resolved{entry: e, alias: ref.alias}
	return e, nil
}

// done marks the input's key as used successfully.
func done(in keyed) {
	if r := *in.slot(); r != nil {
		r.ok = true
	}
}
