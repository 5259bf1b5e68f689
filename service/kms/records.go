package kms

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/cairnhq/cairn"
)

// Stored aggregates: JSON values in the KV tables, storage and not wire.
// A key is one value holding its metadata, policy, tags, rotation settings
// and key material versions (each sealed under the root key); aliases and
// grants are values of their own, so that listing them never reads keys.
const (
	tblKeys    = "kms_keys"    // <account>/<region>/<key id>
	tblAliases = "kms_aliases" // <account>/<region>/<alias name>
	tblGrants  = "kms_grants"  // <account>/<region>/<key id>/<grant id>
)

func scopeKey(account, region, id string) string { return account + "/" + region + "/" + id }

// Key states, usages, specs, as the model spells them.
const (
	stateEnabled         = "Enabled"
	stateDisabled        = "Disabled"
	statePendingDeletion = "PendingDeletion"

	usageEncryptDecrypt = "ENCRYPT_DECRYPT"
	specSymmetric       = "SYMMETRIC_DEFAULT"
	originKMS           = "AWS_KMS"
	managerCustomer     = "CUSTOMER"
	managerAWS          = "AWS"
	algSymmetric        = "SYMMETRIC_DEFAULT"
	defaultPolicyName   = "default"

	rotationAutomatic = "AUTOMATIC"
	rotationOnDemand  = "ON_DEMAND"

	// KeyResourceType is the CloudTrail resource type of a key.
	KeyResourceType = "AWS::KMS::Key"
)

// keyRec is a stored key.
type keyRec struct {
	Account     string    `json:"account"`
	Region      string    `json:"region"`
	ID          string    `json:"id"`
	Created     time.Time `json:"created"`
	Description string    `json:"description"`
	State       string    `json:"state"`
	Manager     string    `json:"manager"`
	Policy      string    `json:"policy"`
	Tags        []Tag     `json:"tags,omitempty"`
	// DeletionDate is set while the key is pending deletion.
	DeletionDate *time.Time `json:"deletionDate,omitempty"`
	PendingDays  int32      `json:"pendingDays,omitempty"`
	// Rotation.
	Rotation       bool       `json:"rotation"`
	RotationPeriod int32      `json:"rotationPeriod,omitempty"`
	NextRotation   *time.Time `json:"nextRotation,omitempty"`
	OnDemandAt     *time.Time `json:"onDemandAt,omitempty"`
	// Versions holds the key material, oldest first; the last is current.
	// A version's number is its index plus one and is what a ciphertext
	// names.
	Versions []materialRec `json:"versions"`
}

// materialRec is one version of a key's 256-bit material, sealed.
type materialRec struct {
	ID      string    `json:"id"` // KeyMaterialId: 64 hex digits
	Sealed  []byte    `json:"sealed"`
	Created time.Time `json:"created"`
	// Type is how the version came to be: "" for the key's first material,
	// AUTOMATIC or ON_DEMAND for rotations.
	Type string `json:"type,omitempty"`
}

func (k *keyRec) arn() string { return KeyARN(k.Region, k.Account, k.ID) }
func (k *keyRec) key() string { return scopeKey(k.Account, k.Region, k.ID) }

// KeyARN is a key's ARN.
func KeyARN(region, account, id string) string {
	return "arn:aws:kms:" + region + ":" + account + ":key/" + id
}

// AliasARN is an alias's ARN; name includes the alias/ prefix.
func AliasARN(region, account, name string) string {
	return "arn:aws:kms:" + region + ":" + account + ":" + name
}

// aliasRec is a stored alias.
type aliasRec struct {
	Name    string    `json:"name"`
	KeyID   string    `json:"keyId"`
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
}

// grantRec is a stored grant.
type grantRec struct {
	ID          string            `json:"id"`
	KeyID       string            `json:"keyId"`
	Name        string            `json:"name,omitempty"`
	Created     time.Time         `json:"created"`
	Grantee     string            `json:"grantee"`
	Retiring    string            `json:"retiring,omitempty"`
	Issuing     string            `json:"issuing"` // issuing account's root ARN
	Operations  []string          `json:"operations"`
	Subset      map[string]string `json:"subset,omitempty"`
	Equals      map[string]string `json:"equals,omitempty"`
	TokenSecret []byte            `json:"tokenSecret"`
}

func isNotFound(err error) bool { return errors.Is(err, cairn.ErrNotFound) }

func decodeJSON(b []byte, v any) error {
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("decode: %w", err)
	}
	return nil
}
