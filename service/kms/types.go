package kms

import "time"

// Wire shapes: Go field names are the members of the botocore model
// (kms/2014-11-01). They carry no tags; the awsjson adapter binds them.
// Unexported fields are never on the wire nor in an event: the
// authorization step leaves there the key it resolved (see target.go).

// Tag is a key tag.
type Tag struct {
	TagKey   string
	TagValue string
}

// KeyMetadata describes a key.
type KeyMetadata struct {
	AWSAccountId                string
	KeyId                       string
	Arn                         string
	CreationDate                time.Time
	Enabled                     bool
	Description                 string
	KeyUsage                    string
	KeyState                    string
	DeletionDate                *time.Time
	Origin                      string
	KeyManager                  string
	CustomerMasterKeySpec       string
	KeySpec                     string
	EncryptionAlgorithms        []string
	MultiRegion                 *bool
	PendingDeletionWindowInDays *int32
	CurrentKeyMaterialId        string
}

// Keys.

type CreateKeyInput struct {
	Policy                         *string
	Description                    *string
	KeyUsage                       *string
	CustomerMasterKeySpec          *string
	KeySpec                        *string
	Origin                         *string
	CustomKeyStoreId               *string
	BypassPolicyLockoutSafetyCheck bool
	Tags                           []Tag
	MultiRegion                    *bool
	XksKeyId                       *string
	created                        string // the new key's ARN
}

type CreateKeyOutput struct{ KeyMetadata *KeyMetadata }

type DescribeKeyInput struct {
	KeyId       string
	GrantTokens []string
	res         *resolved
}

type DescribeKeyOutput struct{ KeyMetadata *KeyMetadata }

type ListKeysInput struct {
	Limit  *int32
	Marker *string
}

type KeyListEntry struct {
	KeyId  string
	KeyArn string
}

type ListKeysOutput struct {
	Keys       []KeyListEntry
	NextMarker *string
	Truncated  bool
}

type EnableKeyInput struct {
	KeyId string
	res   *resolved
}

type DisableKeyInput struct {
	KeyId string
	res   *resolved
}

type UpdateKeyDescriptionInput struct {
	KeyId       string
	Description *string
	res         *resolved
}

// Empty is the output of operations that return nothing.
type Empty struct{}

type ScheduleKeyDeletionInput struct {
	KeyId               string
	PendingWindowInDays *int32
	res                 *resolved
}

type ScheduleKeyDeletionOutput struct {
	KeyId               string
	DeletionDate        time.Time
	KeyState            string
	PendingWindowInDays int32
}

type CancelKeyDeletionInput struct {
	KeyId string
	res   *resolved
}

type CancelKeyDeletionOutput struct{ KeyId string }

// Aliases.

type CreateAliasInput struct {
	AliasName   string
	TargetKeyId string
	res         *resolved
}

type UpdateAliasInput struct {
	AliasName   string
	TargetKeyId string
	res         *resolved
}

type DeleteAliasInput struct {
	AliasName string
	res       *resolved
}

type ListAliasesInput struct {
	KeyId  *string
	Limit  *int32
	Marker *string
	res    *resolved
}

type AliasListEntry struct {
	AliasName       string
	AliasArn        string
	TargetKeyId     string
	CreationDate    time.Time
	LastUpdatedDate time.Time
}

type ListAliasesOutput struct {
	Aliases    []AliasListEntry
	NextMarker *string
	Truncated  bool
}

// Key policies.

type GetKeyPolicyInput struct {
	KeyId      string
	PolicyName *string
	res        *resolved
}

type GetKeyPolicyOutput struct {
	Policy     string
	PolicyName string
}

type PutKeyPolicyInput struct {
	KeyId                          string
	PolicyName                     *string
	Policy                         string
	BypassPolicyLockoutSafetyCheck bool
	res                            *resolved
}

type ListKeyPoliciesInput struct {
	KeyId  string
	Limit  *int32
	Marker *string
	res    *resolved
}

type ListKeyPoliciesOutput struct {
	PolicyNames []string
	NextMarker  *string
	Truncated   bool
}

// Cryptography.

type EncryptInput struct {
	KeyId               string
	Plaintext           []byte
	EncryptionContext   map[string]string
	GrantTokens         []string
	EncryptionAlgorithm *string
	DryRun              *bool
	res                 *resolved
}

type EncryptOutput struct {
	CiphertextBlob      []byte
	KeyId               string
	EncryptionAlgorithm string
}

type DecryptInput struct {
	CiphertextBlob      []byte
	EncryptionContext   map[string]string
	GrantTokens         []string
	KeyId               *string
	EncryptionAlgorithm *string
	DryRun              *bool
	res                 *resolved
}

type DecryptOutput struct {
	KeyId               string
	Plaintext           []byte
	EncryptionAlgorithm string
	KeyMaterialId       string
}

type ReEncryptInput struct {
	CiphertextBlob                 []byte
	SourceEncryptionContext        map[string]string
	SourceKeyId                    *string
	DestinationKeyId               string
	DestinationEncryptionContext   map[string]string
	SourceEncryptionAlgorithm      *string
	DestinationEncryptionAlgorithm *string
	GrantTokens                    []string
	DryRun                         *bool
	res                            *resolved
}

type ReEncryptOutput struct {
	CiphertextBlob                 []byte
	SourceKeyId                    string
	KeyId                          string
	SourceEncryptionAlgorithm      string
	DestinationEncryptionAlgorithm string
	SourceKeyMaterialId            string
	DestinationKeyMaterialId       string
}

type GenerateDataKeyInput struct {
	KeyId             string
	EncryptionContext map[string]string
	NumberOfBytes     *int32
	KeySpec           *string
	GrantTokens       []string
	DryRun            *bool
	res               *resolved
}

type GenerateDataKeyOutput struct {
	CiphertextBlob []byte
	Plaintext      []byte
	KeyId          string
	KeyMaterialId  string
}

type GenerateDataKeyWithoutPlaintextInput struct {
	KeyId             string
	EncryptionContext map[string]string
	KeySpec           *string
	NumberOfBytes     *int32
	GrantTokens       []string
	DryRun            *bool
	res               *resolved
}

type GenerateDataKeyWithoutPlaintextOutput struct {
	CiphertextBlob []byte
	KeyId          string
	KeyMaterialId  string
}

type GenerateRandomInput struct {
	NumberOfBytes    *int32
	CustomKeyStoreId *string
}

type GenerateRandomOutput struct{ Plaintext []byte }

// Rotation.

type EnableKeyRotationInput struct {
	KeyId                string
	RotationPeriodInDays *int32
	res                  *resolved
}

type DisableKeyRotationInput struct {
	KeyId string
	res   *resolved
}

type GetKeyRotationStatusInput struct {
	KeyId string
	res   *resolved
}

type GetKeyRotationStatusOutput struct {
	KeyRotationEnabled        bool
	KeyId                     string
	RotationPeriodInDays      *int32
	NextRotationDate          *time.Time
	OnDemandRotationStartDate *time.Time
}

type RotateKeyOnDemandInput struct {
	KeyId string
	res   *resolved
}

type RotateKeyOnDemandOutput struct{ KeyId string }

type ListKeyRotationsInput struct {
	KeyId              string
	IncludeKeyMaterial *string
	Limit              *int32
	Marker             *string
	res                *resolved
}

type RotationsListEntry struct {
	KeyId            string
	KeyMaterialId    string
	KeyMaterialState string
	ExpirationModel  string
	RotationDate     time.Time
	RotationType     string
}

type ListKeyRotationsOutput struct {
	Rotations  []RotationsListEntry
	NextMarker *string
	Truncated  bool
}

// Grants.

type GrantConstraints struct {
	EncryptionContextSubset map[string]string
	EncryptionContextEquals map[string]string
}

type CreateGrantInput struct {
	KeyId             string
	GranteePrincipal  string
	RetiringPrincipal *string
	Operations        []string
	Constraints       *GrantConstraints
	GrantTokens       []string
	Name              *string
	DryRun            *bool
	res               *resolved
}

type CreateGrantOutput struct {
	GrantToken string
	GrantId    string
}

type ListGrantsInput struct {
	Limit            *int32
	Marker           *string
	KeyId            string
	GrantId          *string
	GranteePrincipal *string
	res              *resolved
}

type GrantListEntry struct {
	KeyId             string
	GrantId           string
	Name              string
	CreationDate      time.Time
	GranteePrincipal  string
	RetiringPrincipal string
	IssuingAccount    string
	Operations        []string
	Constraints       *GrantConstraints
}

type ListGrantsOutput struct {
	Grants     []GrantListEntry
	NextMarker *string
	Truncated  bool
}

type RetireGrantInput struct {
	GrantToken *string
	KeyId      *string
	GrantId    *string
	DryRun     *bool
}

type RevokeGrantInput struct {
	KeyId   string
	GrantId string
	DryRun  *bool
	res     *resolved
}

type ListRetirableGrantsInput struct {
	Limit             *int32
	Marker            *string
	RetiringPrincipal string
}

// Tags.

type TagResourceInput struct {
	KeyId string
	Tags  []Tag
	res   *resolved
}

type UntagResourceInput struct {
	KeyId   string
	TagKeys []string
	res     *resolved
}

type ListResourceTagsInput struct {
	KeyId  string
	Limit  *int32
	Marker *string
	res    *resolved
}

type ListResourceTagsOutput struct {
	Tags       []Tag
	NextMarker *string
	Truncated  bool
}
