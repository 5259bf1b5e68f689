package kms

import (
	"context"
	"crypto/cipher"
	"strings"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// keyEntry is a key as authorization and the handlers see it: the record,
// its aliases and grants, and its material ready to use. Entries are
// immutable snapshots shared by concurrent calls.
type keyEntry struct {
	rec     *keyRec
	arn     string
	aliases []string // alias names pointing at the key
	grants  []*grantRec
	aeads   []cipher.AEAD // index = version-1
}

// resolved is what the authorize step found for an input's KeyId. The
// funnel calls an operation's Target before its Resources and before the
// handler, so both use the key that authorization decided on; the handler
// sets ok once it succeeded, which is when the event is copied to the key
// owner's account.
type resolved struct {
	entry *keyEntry
	alias string // the alias name the KeyId named, if any
	ok    bool
}

// keyRef is a parsed KeyId: a key ID, key ARN, alias name or alias ARN.
type keyRef struct {
	input   string
	account string
	region  string
	keyID   string // set when the reference names a key
	alias   string // "alias/…" when it names an alias
	isARN   bool
}

func (r keyRef) arn() string {
	if r.alias != "" {
		return AliasARN(r.region, r.account, r.alias)
	}
	return KeyARN(r.region, r.account, r.keyID)
}

// parseKeyRef reads a KeyId member named member (keyId, targetKeyId, …).
func parseKeyRef(c *cairn.Call, member, s string) (keyRef, error) {
	r := keyRef{input: s, account: c.Account(), region: c.Region}
	switch {
	case s == "":
		return r, validation(member, "", "Member must have length greater than or equal to 1")
	case len(s) > 2048:
		return r, validation(member, "", "Member must have length less than or equal to 2048")
	case strings.HasPrefix(s, "arn:"):
		a, err := cairn.ParseARN(s)
		if err != nil || a.Service != "kms" || a.Partition != cairn.Partition {
			return r, invalidARN(s)
		}
		r.isARN, r.account, r.region = true, a.Account, a.Region
		switch {
		case strings.HasPrefix(a.Resource, "key/") && isKeyID(a.Resource[4:]):
			r.keyID = strings.ToLower(a.Resource[4:])
		case strings.HasPrefix(a.Resource, "alias/") && len(a.Resource) > len("alias/"):
			r.alias = a.Resource
		default:
			return r, invalidARN(s)
		}
		if a.Region != c.Region {
			// KMS is regional: an ARN of another region is not found here,
			// and KMS says so naming that region before any lookup.
			return r, invalidARNRegion(a.Region)
		}
	case strings.HasPrefix(s, "alias/") && len(s) > len("alias/"):
		r.alias = s
	case isKeyID(s):
		r.keyID = strings.ToLower(s)
	default:
		return r, invalidKeyID(s)
	}
	return r, nil
}

// resolveOpts says what a reference may name.
type resolveOpts struct {
	noAlias   bool // the operation takes key IDs and key ARNs only
	home      bool // the key must be in the caller's account
	createAWS bool // create an AWS managed key on first use of its alias
}

// resolve finds the key a KeyId names.
func (s *Service) resolve(ctx context.Context, c *cairn.Call, member, keyID string, o resolveOpts) (*keyEntry, keyRef, error) {
	ref, err := parseKeyRef(c, member, keyID)
	if err != nil {
		return nil, ref, err
	}
	if o.noAlias && ref.alias != "" {
		return nil, ref, invalidKeyID(keyID)
	}
	if o.home && ref.account != c.Account() {
		if ref.alias != "" {
			return nil, ref, aliasNotFound(ref.arn())
		}
		return nil, ref, keyNotFound(ref.arn())
	}
	id := ref.keyID
	if ref.alias != "" {
		id, err = s.aliasTarget(ctx, ref.account, ref.region, ref.alias)
		if err != nil {
			return nil, ref, err
		}
		if id == "" && o.createAWS && ref.account == c.Account() && managedAliases[ref.alias] != "" {
			e, err := s.managedKey(ctx, ref.account, ref.region, ref.alias)
			return e, ref, err
		}
		if id == "" {
			return nil, ref, aliasNotFound(ref.arn())
		}
	}
	e, err := s.loadKey(ctx, ref.account, ref.region, id)
	if err != nil {
		return nil, ref, err
	}
	if e == nil {
		return nil, ref, keyNotFound(KeyARN(ref.region, ref.account, id))
	}
	return e, ref, nil
}

// aliasTarget returns the key ID an alias points at, or "".
func (s *Service) aliasTarget(ctx context.Context, account, region, alias string) (string, error) {
	k := scopeKey(account, region, alias)
	if id, ok := s.cache.alias(k); ok {
		return id, nil
	}
	gen := s.cache.generation()
	var a aliasRec
	err := s.view(ctx, func(tx store.Tx) error { return store.GetJSON(tx, tblAliases, k, &a) })
	switch {
	case isNotFound(err):
		s.cache.putAlias(gen, k, "")
		return "", nil
	case err != nil:
		return "", errorf("get alias %s: %w", alias, err)
	}
	s.cache.putAlias(gen, k, a.KeyID)
	return a.KeyID, nil
}

// loadKey returns the key entry, or nil when the key does not exist.
func (s *Service) loadKey(ctx context.Context, account, region, id string) (*keyEntry, error) {
	k := scopeKey(account, region, id)
	if e := s.cache.key(k); e != nil {
		return e, nil
	}
	gen := s.cache.generation()
	var e *keyEntry
	err := s.view(ctx, func(tx store.Tx) error {
		var err error
		e, err = s.readKey(tx, account, region, id)
		return err
	})
	if err != nil || e == nil {
		return nil, err
	}
	s.cache.putKey(gen, k, e)
	return e, nil
}

// readKey reads a key with its aliases and grants in tx; nil when absent.
func (s *Service) readKey(tx store.Tx, account, region, id string) (*keyEntry, error) {
	rec := &keyRec{}
	if err := store.GetJSON(tx, tblKeys, scopeKey(account, region, id), rec); err != nil {
		if isNotFound(err) {
			return nil, nil
		}
		return nil, errorf("get key %s: %w", id, err)
	}
	e := &keyEntry{rec: rec, arn: rec.arn()}
	err := tx.Scan(tblAliases, account+"/"+region+"/", "", 0, func(_ string, v []byte) error {
		var a aliasRec
		if err := decodeJSON(v, &a); err != nil {
			return err
		}
		if a.KeyID == id {
			e.aliases = append(e.aliases, a.Name)
		}
		return nil
	})
	if err != nil {
		return nil, errorf("aliases of %s: %w", id, err)
	}
	err = tx.Scan(tblGrants, scopeKey(account, region, id)+"/", "", 0, func(_ string, v []byte) error {
		g := &grantRec{}
		if err := decodeJSON(v, g); err != nil {
			return err
		}
		e.grants = append(e.grants, g)
		return nil
	})
	if err != nil {
		return nil, errorf("grants of %s: %w", id, err)
	}
	if e.aeads, err = s.openMaterial(rec); err != nil {
		return nil, err
	}
	return e, nil
}

// usable returns the error crypto operations get for a key that is not
// enabled.
func usable(e *keyEntry) error {
	switch e.rec.State {
	case stateEnabled:
		return nil
	case stateDisabled:
		return disabled(e.arn)
	case statePendingDeletion:
		return pendingDeletion(e.arn)
	}
	return kmsErr("KMSInvalidStateException", "%s is %s.", e.arn, e.rec.State)
}

// notPending returns KMSInvalidStateException for a key pending deletion,
// which management operations refuse.
func notPending(e *keyEntry) error {
	if e.rec.State == statePendingDeletion {
		return pendingDeletion(e.arn)
	}
	return nil
}
