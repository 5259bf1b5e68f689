package kms

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

const maxDescription = 8192

// Enumerations of the model, for AWS's enum wording.
var (
	keySpecs = []string{"RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521",
		"ECC_SECG_P256K1", "SYMMETRIC_DEFAULT", "HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512", "SM2",
		"ML_DSA_44", "ML_DSA_65", "ML_DSA_87", "ECC_NIST_EDWARDS25519"}
	cmkSpecs = []string{"RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521",
		"ECC_SECG_P256K1", "SYMMETRIC_DEFAULT", "HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512", "SM2"}
	keyUsages = []string{"SIGN_VERIFY", "ENCRYPT_DECRYPT", "GENERATE_VERIFY_MAC", "KEY_AGREEMENT"}
	origins   = []string{"AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"}
)

func enumError(member, value string, set []string) *cairn.Error {
	return validation(member, value, "Member must satisfy enum value set: ["+joinComma(set)+"]")
}

func joinComma(s []string) string {
	out := ""
	for i, v := range s {
		if i > 0 {
			out += ", "
		}
		out += v
	}
	return out
}

// CreateKey creates a symmetric encryption key. Other key specs, usages,
// origins, custom key stores and multi-Region keys are refused as
// unsupported.
func (s *Service) CreateKey(ctx context.Context, c *cairn.Call, in *CreateKeyInput) (*CreateKeyOutput, error) {
	if err := validateCreateKey(in); err != nil {
		return nil, err
	}
	if err := validateTags(in.Tags); err != nil {
		return nil, err
	}
	account, region := c.Account(), c.Region
	rec := &keyRec{
		Account: account, Region: region, ID: s.cfg.IDs.UUID(), Created: s.now(c).Truncate(1e6),
		Description: strOr(in.Description, ""), State: stateEnabled, Manager: managerCustomer,
		Tags: slices.Clone(in.Tags),
	}
	arn := rec.arn()
	if in.Policy != nil {
		if err := validatePolicy(*in.Policy); err != nil {
			return nil, err
		}
		if !in.BypassPolicyLockoutSafetyCheck {
			if err := s.lockoutCheck(ctx, c, arn, account, *in.Policy); err != nil {
				return nil, err
			}
		}
		rec.Policy = *in.Policy
	} else {
		rec.Policy = DefaultKeyPolicy(account)
	}
	m, err := s.newMaterial(arn)
	if err != nil {
		return nil, err
	}
	rec.Versions = []materialRec{m}
	rec.Versions[0].Created = rec.Created
	err = s.update(ctx, func(tx store.Tx) error { return store.InsertJSON(tx, tblKeys, rec.key(), rec) })
	if err != nil {
		return nil, errorf("create key: %w", err)
	}
	in.created = arn
	return &CreateKeyOutput{KeyMetadata: rec.metadata()}, nil
}

func validateCreateKey(in *CreateKeyInput) error {
	if in.Description != nil && utf8.RuneCountInString(*in.Description) > maxDescription {
		return validation("description", "", fmt.Sprintf("Member must have length less than or equal to %d", maxDescription))
	}
	if in.Policy != nil {
		if err := policyLength(*in.Policy); err != nil {
			return err
		}
	}
	if in.KeySpec != nil && !slices.Contains(keySpecs, *in.KeySpec) {
		return enumError("keySpec", *in.KeySpec, keySpecs)
	}
	if in.CustomerMasterKeySpec != nil && !slices.Contains(cmkSpecs, *in.CustomerMasterKeySpec) {
		return enumError("customerMasterKeySpec", *in.CustomerMasterKeySpec, cmkSpecs)
	}
	if in.KeyUsage != nil && !slices.Contains(keyUsages, *in.KeyUsage) {
		return enumError("keyUsage", *in.KeyUsage, keyUsages)
	}
	if in.Origin != nil && !slices.Contains(origins, *in.Origin) {
		return enumError("origin", *in.Origin, origins)
	}
	if in.KeySpec != nil && in.CustomerMasterKeySpec != nil {
		return validationMsg("You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec parameter is deprecated. Use KeySpec only.")
	}
	spec := strOr(in.KeySpec, strOr(in.CustomerMasterKeySpec, specSymmetric))
	usage := strOr(in.KeyUsage, usageEncryptDecrypt)
	switch {
	case spec != specSymmetric:
		return unsupported("Cairn serves symmetric encryption keys only: KeySpec %s is not supported.", spec)
	case usage != usageEncryptDecrypt:
		return validationMsg("KeyUsage %s is not compatible with KeySpec %s", usage, spec)
	case strOr(in.Origin, originKMS) != originKMS:
		return unsupported("Cairn creates its own key material: Origin %s is not supported.", *in.Origin)
	case in.CustomKeyStoreId != nil || in.XksKeyId != nil:
		return unsupported("Cairn has no custom key stores.")
	case in.MultiRegion != nil && *in.MultiRegion:
		return unsupported("Cairn does not support multi-Region keys.")
	}
	return nil
}

// metadata is the key's KeyMetadata.
func (k *keyRec) metadata() *KeyMetadata {
	m := &KeyMetadata{
		AWSAccountId: k.Account, KeyId: k.ID, Arn: k.arn(), CreationDate: k.Created,
		Enabled: k.State == stateEnabled, Description: k.Description, KeyUsage: usageEncryptDecrypt,
		KeyState: k.State, Origin: originKMS, KeyManager: k.Manager,
		CustomerMasterKeySpec: specSymmetric, KeySpec: specSymmetric,
		EncryptionAlgorithms: []string{algSymmetric}, MultiRegion: new(bool),
	}
	if n := len(k.Versions); n > 0 {
		m.CurrentKeyMaterialId = k.Versions[n-1].ID
	}
	if k.State == statePendingDeletion && k.DeletionDate != nil {
		d, days := *k.DeletionDate, k.PendingDays
		m.DeletionDate, m.PendingDeletionWindowInDays = &d, &days
	}
	return m
}

// DescribeKey returns a key's metadata. Describing an AWS managed alias
// whose key does not exist yet creates the key, as AWS does.
func (s *Service) DescribeKey(ctx context.Context, c *cairn.Call, in *DescribeKeyInput) (*DescribeKeyOutput, error) {
	e, err := s.entryOf(ctx, c, in, optsUse)
	if err != nil {
		return nil, err
	}
	done(in)
	return &DescribeKeyOutput{KeyMetadata: e.rec.metadata()}, nil
}

// ListKeys lists the keys of the caller's account in the call's region.
func (s *Service) ListKeys(ctx context.Context, c *cairn.Call, in *ListKeysInput) (*ListKeysOutput, error) {
	limit, err := limitOf(in.Limit)
	if err != nil {
		return nil, err
	}
	prefix := c.Account() + "/" + c.Region + "/"
	after, err := decodeMarker(in.Marker, prefix)
	if err != nil {
		return nil, err
	}
	out := &ListKeysOutput{Keys: []KeyListEntry{}}
	last := ""
	err = s.view(ctx, func(tx store.Tx) error {
		return tx.Scan(tblKeys, prefix, after, limit+1, func(k string, _ []byte) error {
			if len(out.Keys) == limit {
				out.Truncated = true
				return store.ErrStop
			}
			id := k[len(prefix):]
			out.Keys = append(out.Keys, KeyListEntry{KeyId: id, KeyArn: KeyARN(c.Region, c.Account(), id)})
			last = k
			return nil
		})
	})
	if err != nil && !errors.Is(err, store.ErrStop) {
		return nil, errorf("list keys: %w", err)
	}
	if out.Truncated {
		out.NextMarker = encodeMarker(last)
	}
	return out, nil
}

// mutateKey applies fn to the key the input names inside a write
// transaction, on the stored record (not the cached snapshot).
func (s *Service) mutateKey(ctx context.Context, c *cairn.Call, in keyed, o resolveOpts, fn func(*keyRec) error) (*keyRec, error) {
	e, err := s.entryOf(ctx, c, in, o)
	if err != nil {
		return nil, err
	}
	rec := &keyRec{}
	err = s.update(ctx, func(tx store.Tx) error {
		if err := store.GetJSON(tx, tblKeys, e.rec.key(), rec); err != nil {
			if isNotFound(err) {
				return keyNotFound(e.arn)
			}
			return err
		}
		if err := fn(rec); err != nil {
			return err
		}
		return store.PutJSON(tx, tblKeys, rec.key(), rec)
	})
	if err != nil {
		if cairn.AsError(err) != nil {
			return nil, err
		}
		return nil, errorf("update key %s: %w", e.arn, err)
	}
	done(in)
	return rec, nil
}

// EnableKey enables a disabled key.
func (s *Service) EnableKey(ctx context.Context, c *cairn.Call, in *EnableKeyInput) (*Empty, error) {
	_, err := s.mutateKey(ctx, c, in, optsHome, func(k *keyRec) error {
		if k.State == statePendingDeletion {
			return pendingDeletion(k.arn())
		}
		k.State = stateEnabled
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

// DisableKey disables a key: cryptographic operations then fail with
// DisabledException until it is enabled again.
func (s *Service) DisableKey(ctx context.Context, c *cairn.Call, in *DisableKeyInput) (*Empty, error) {
	_, err := s.mutateKey(ctx, c, in, optsHome, func(k *keyRec) error {
		if k.State == statePendingDeletion {
			return pendingDeletion(k.arn())
		}
		k.State = stateDisabled
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

// UpdateKeyDescription replaces a key's description.
func (s *Service) UpdateKeyDescription(ctx context.Context, c *cairn.Call, in *UpdateKeyDescriptionInput) (*Empty, error) {
	if in.Description == nil {
		return nil, validation("description", "", "Member must not be null")
	}
	if utf8.RuneCountInString(*in.Description) > maxDescription {
		return nil, validation("description", "", fmt.Sprintf("Member must have length less than or equal to %d", maxDescription))
	}
	_, err := s.mutateKey(ctx, c, in, optsHome, func(k *keyRec) error {
		if err := notPendingRec(k); err != nil {
			return err
		}
		k.Description = *in.Description
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

func notPendingRec(k *keyRec) error {
	if k.State == statePendingDeletion {
		return pendingDeletion(k.arn())
	}
	return nil
}
