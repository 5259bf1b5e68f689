package iam

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// maxKeysPerUser is IAM's AccessKeysPerUser quota, which also holds for
// the root user.
const maxKeysPerUser = 2

// keyOwner is the identity an access-key call acts on: a named user, or
// the account's root user.
type keyOwner struct {
	root bool
	user string // as given
}

// ownerOf resolves UserName, or the caller when it is absent: IAM takes the
// user implicitly from the signing key.
func ownerOf(c *cairn.Call, name *string) (keyOwner, error) {
	if name != nil && *name != "" {
		if err := validateName("userName", *name, maxUserName); err != nil {
			return keyOwner{}, err
		}
		return keyOwner{user: *name}, nil
	}
	p := c.Principal
	switch {
	case p.Type == cairn.PrincipalRoot:
		return keyOwner{root: true}, nil
	case p.Type == cairn.PrincipalIAMUser && p.UserName != "":
		return keyOwner{user: p.UserName}, nil
	}
	return keyOwner{}, validationMsg("Must specify userName when calling with non-User credentials")
}

// ownerKeys is an owner's key list loaded in a transaction, with a way to
// store it back.
type ownerKeys struct {
	keys     []string
	userName string // display name; empty for root
	userKey  string // lower-case name; empty for root
	save     func([]string) error
}

func loadOwnerKeys(tx store.Tx, account string, o keyOwner) (*ownerKeys, error) {
	if o.root {
		var a accountRec
		if err := store.GetJSON(tx, tblAccounts, account, &a); err != nil {
			if !isNotFound(err) {
				return nil, fmt.Errorf("get account: %w", err)
			}
			a = accountRec{ID: account}
		}
		return &ownerKeys{keys: a.RootKeys, save: func(k []string) error {
			a.RootKeys = k
			return store.PutJSON(tx, tblAccounts, account, &a)
		}}, nil
	}
	u, err := loadUser(tx, account, o.user)
	if err != nil {
		return nil, err
	}
	return &ownerKeys{keys: u.Keys, userName: u.Name, userKey: lower(u.Name), save: func(k []string) error {
		u.Keys = k
		return saveUser(tx, account, u)
	}}, nil
}

// CreateAccessKeyInput names the user; without UserName it is the caller.
type CreateAccessKeyInput struct {
	UserName *string
}

// CreateAccessKeyOutput carries the new key and its secret, which is never
// returned again.
type CreateAccessKeyOutput struct {
	AccessKey *AccessKey
}

// CreateAccessKey creates an access key for a user (or the calling root
// user). The secret is sealed before it is stored.
func (s *Service) CreateAccessKey(ctx context.Context, c *cairn.Call, in *CreateAccessKeyInput) (*CreateAccessKeyOutput, error) {
	o, err := ownerOf(c, in.UserName)
	if err != nil {
		return nil, err
	}
	acct := c.Account()
	id := cairn.NewAWSID(s.cfg.IDs, cairn.PrefixAccessKey, cairn.AccessKeyIDLength)
	secret := cairn.NewSecretAccessKey(s.cfg.IDs)
	sealed, err := s.cfg.Sealer.Seal([]byte(secret), []byte(id))
	if err != nil {
		return nil, fmt.Errorf("seal secret: %w", err)
	}
	now := s.now(c)
	var userName string
	err = s.updateQuiet(ctx, func(tx store.Tx) error {
		ok, err := loadOwnerKeys(tx, acct, o)
		if err != nil {
			return err
		}
		if len(ok.keys) >= maxKeysPerUser {
			return quotaExceeded("AccessKeysPerUser", maxKeysPerUser)
		}
		userName = ok.userName
		rec := &keyRec{ID: id, Account: acct, User: ok.userKey, Status: statusActive, Created: now, Secret: sealed}
		if err := store.InsertJSON(tx, tblKeys, id, rec); err != nil {
			if errors.Is(err, cairn.ErrExists) {
				return fmt.Errorf("access key ID collision: %s", id)
			}
			return fmt.Errorf("insert access key: %w", err)
		}
		return ok.save(append(ok.keys, id))
	})
	if err != nil {
		return nil, err
	}
	return &CreateAccessKeyOutput{AccessKey: &AccessKey{
		UserName: userName, AccessKeyId: id, Status: statusActive, SecretAccessKey: secret, CreateDate: now,
	}}, nil
}

// ListAccessKeysInput names the user; without UserName it is the caller.
type ListAccessKeysInput struct {
	UserName *string
	Marker   *string
	MaxItems *int32
}

// ListAccessKeysOutput lists key metadata, never secrets.
type ListAccessKeysOutput struct {
	AccessKeyMetadata []AccessKeyMetadata
	IsTruncated       bool
	Marker            *string
}

// ListAccessKeys lists a user's access keys in key ID order.
func (s *Service) ListAccessKeys(ctx context.Context, c *cairn.Call, in *ListAccessKeysInput) (*ListAccessKeysOutput, error) {
	o, err := ownerOf(c, in.UserName)
	if err != nil {
		return nil, err
	}
	limit, err := maxItems(in.MaxItems)
	if err != nil {
		return nil, err
	}
	acct := c.Account()
	var all []AccessKeyMetadata
	err = s.view(ctx, func(tx store.Tx) error {
		ok, err := loadOwnerKeys(tx, acct, o)
		if err != nil {
			return err
		}
		for _, id := range ok.keys {
			var k keyRec
			if err := store.GetJSON(tx, tblKeys, id, &k); err != nil {
				return fmt.Errorf("get access key %s: %w", id, err)
			}
			all = append(all, AccessKeyMetadata{UserName: ok.userName, AccessKeyId: k.ID, Status: k.Status, CreateDate: k.Created})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(all, func(i, j int) bool { return all[i].AccessKeyId < all[j].AccessKeyId })
	items, pg, err := pageSlice(all, func(m AccessKeyMetadata) string { return m.AccessKeyId }, in.Marker, limit)
	if err != nil {
		return nil, err
	}
	return &ListAccessKeysOutput{AccessKeyMetadata: append([]AccessKeyMetadata{}, items...), IsTruncated: pg.Truncated, Marker: pg.Marker}, nil
}

// UpdateAccessKeyInput activates or deactivates a key.
type UpdateAccessKeyInput struct {
	UserName    *string
	AccessKeyId string
	Status      string
}

// UpdateAccessKeyOutput is empty.
type UpdateAccessKeyOutput struct{}

// UpdateAccessKey sets a key Active or Inactive. An inactive key is
// refused by authentication from the next request on.
func (s *Service) UpdateAccessKey(ctx context.Context, c *cairn.Call, in *UpdateAccessKeyInput) (*UpdateAccessKeyOutput, error) {
	if err := validateAccessKeyID(in.AccessKeyId); err != nil {
		return nil, err
	}
	switch in.Status {
	case statusActive, statusInactive:
	case "":
		return nil, required("status", "")
	case "Expired":
		return nil, invalidInput("The status Expired cannot be set on an access key.")
	default:
		return nil, validationError("status", in.Status, "Member must satisfy enum value set: [Active, Expired, Inactive]")
	}
	o, err := ownerOf(c, in.UserName)
	if err != nil {
		return nil, err
	}
	acct := c.Account()
	err = s.updateQuiet(ctx, func(tx store.Tx) error {
		k, err := loadOwnedKey(tx, acct, o, in.AccessKeyId)
		if err != nil {
			return err
		}
		if k.Status == in.Status {
			return nil
		}
		k.Status = in.Status
		return store.PutJSON(tx, tblKeys, k.ID, k)
	})
	s.cache.invalidate(in.AccessKeyId)
	if err != nil {
		return nil, err
	}
	return &UpdateAccessKeyOutput{}, nil
}

// loadOwnedKey returns the key id if it belongs to the owner.
func loadOwnedKey(tx store.Tx, account string, o keyOwner, id string) (*keyRec, error) {
	ok, err := loadOwnerKeys(tx, account, o)
	if err != nil {
		return nil, err
	}
	if !containsString(ok.keys, id) {
		return nil, noSuchAccessKey(id)
	}
	var k keyRec
	if err := store.GetJSON(tx, tblKeys, id, &k); err != nil {
		if isNotFound(err) {
			return nil, noSuchAccessKey(id)
		}
		return nil, fmt.Errorf("get access key: %w", err)
	}
	return &k, nil
}

// DeleteAccessKeyInput names the key.
type DeleteAccessKeyInput struct {
	UserName    *string
	AccessKeyId string
}

// DeleteAccessKeyOutput is empty.
type DeleteAccessKeyOutput struct{}

// DeleteAccessKey deletes a key and its last-used record.
func (s *Service) DeleteAccessKey(ctx context.Context, c *cairn.Call, in *DeleteAccessKeyInput) (*DeleteAccessKeyOutput, error) {
	if err := validateAccessKeyID(in.AccessKeyId); err != nil {
		return nil, err
	}
	o, err := ownerOf(c, in.UserName)
	if err != nil {
		return nil, err
	}
	acct := c.Account()
	err = s.updateQuiet(ctx, func(tx store.Tx) error {
		ok, err := loadOwnerKeys(tx, acct, o)
		if err != nil {
			return err
		}
		rest, found := removeString(append([]string(nil), ok.keys...), in.AccessKeyId)
		if !found {
			return noSuchAccessKey(in.AccessKeyId)
		}
		if err := tx.Delete(tblKeys, in.AccessKeyId); err != nil && !isNotFound(err) {
			return fmt.Errorf("delete access key: %w", err)
		}
		if err := tx.Delete(tblKeyUsage, in.AccessKeyId); err != nil && !isNotFound(err) {
			return fmt.Errorf("delete access key usage: %w", err)
		}
		return ok.save(rest)
	})
	s.cache.invalidate(in.AccessKeyId)
	if err != nil {
		return nil, err
	}
	return &DeleteAccessKeyOutput{}, nil
}

// GetAccessKeyLastUsedInput names the key.
type GetAccessKeyLastUsedInput struct {
	AccessKeyId string
}

// GetAccessKeyLastUsedOutput tells when the key was last used.
type GetAccessKeyLastUsedOutput struct {
	UserName          string
	AccessKeyLastUsed *AccessKeyLastUsed
}

// GetAccessKeyLastUsed returns when, for which service and in which region
// a key of the caller's account was last used; "N/A" when never. Use is
// recorded by MarkUsed at most once a minute per key.
func (s *Service) GetAccessKeyLastUsed(ctx context.Context, c *cairn.Call, in *GetAccessKeyLastUsedInput) (*GetAccessKeyLastUsedOutput, error) {
	if err := validateAccessKeyID(in.AccessKeyId); err != nil {
		return nil, err
	}
	acct := c.Account()
	out := &GetAccessKeyLastUsedOutput{AccessKeyLastUsed: &AccessKeyLastUsed{ServiceName: "N/A", Region: "N/A"}}
	err := s.view(ctx, func(tx store.Tx) error {
		var k keyRec
		if err := store.GetJSON(tx, tblKeys, in.AccessKeyId, &k); err != nil {
			if isNotFound(err) {
				return noSuchAccessKey(in.AccessKeyId)
			}
			return fmt.Errorf("get access key: %w", err)
		}
		if k.Account != acct {
			return noSuchAccessKey(in.AccessKeyId)
		}
		if k.User != "" {
			u, err := loadUser(tx, acct, k.User)
			if err != nil {
				return fmt.Errorf("owner of access key %s: %w", k.ID, err)
			}
			out.UserName = u.Name
		}
		var use usageRec
		switch err := store.GetJSON(tx, tblKeyUsage, k.ID, &use); {
		case err == nil:
			t := use.Time
			out.AccessKeyLastUsed = &AccessKeyLastUsed{LastUsedDate: &t, ServiceName: use.Service, Region: use.Region}
		case !isNotFound(err):
			return fmt.Errorf("get access key usage: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
