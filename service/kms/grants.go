package kms

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

var (
	principalIDRe = regexp.MustCompile(`^[\w+=,.@:/-]+$`)
	grantNameRe   = regexp.MustCompile(`^[a-zA-Z0-9:/_-]+$`)
	grantOps      = []string{"Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom",
		"ReEncryptTo", "Sign", "Verify", "GetPublicKey", "CreateGrant", "RetireGrant", "DescribeKey",
		"GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext", "GenerateMac", "VerifyMac", "DeriveSharedSecret"}
	// Operations of a grant that cannot take an encryption context
	// constraint.
	noContextOps = []string{"DescribeKey", "GetPublicKey", "RetireGrant", "Sign", "Verify", "GenerateMac", "VerifyMac", "DeriveSharedSecret"}
)

func checkPrincipalID(member, v string) error {
	switch {
	case v == "":
		return validation(member, "", "Member must have length greater than or equal to 1")
	case len(v) > 256:
		return validation(member, v, "Member must have length less than or equal to 256")
	case !principalIDRe.MatchString(v):
		return validation(member, v, `Member must satisfy regular expression pattern: ^[\w+=,.@:/-]+$`)
	}
	return nil
}

func checkGrantTokens(t []string) error {
	if len(t) > 10 {
		return validation("grantTokens", "", "Member must have length less than or equal to 10")
	}
	return nil
}

// CreateGrant lets a grantee principal use a key for the listed
// operations, optionally only with a given encryption context.
func (s *Service) CreateGrant(ctx context.Context, c *cairn.Call, in *CreateGrantInput) (*CreateGrantOutput, error) {
	if err := checkPrincipalID("granteePrincipal", in.GranteePrincipal); err != nil {
		return nil, err
	}
	if in.RetiringPrincipal != nil {
		if err := checkPrincipalID("retiringPrincipal", *in.RetiringPrincipal); err != nil {
			return nil, err
		}
	}
	if len(in.Operations) == 0 {
		return nil, validationMsg("Operations list cannot be empty.")
	}
	for i, op := range in.Operations {
		if !slices.Contains(grantOps, op) {
			return nil, validation("operations."+strconv.Itoa(i+1)+".member", op, "Member must satisfy enum value set: ["+joinComma(grantOps)+"]")
		}
	}
	if in.Name != nil && (len(*in.Name) < 1 || len(*in.Name) > 256 || !grantNameRe.MatchString(*in.Name)) {
		return nil, validation("name", *in.Name, "Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$")
	}
	if err := checkGrantTokens(in.GrantTokens); err != nil {
		return nil, err
	}
	var subset, equals map[string]string
	if in.Constraints != nil {
		subset, equals = in.Constraints.EncryptionContextSubset, in.Constraints.EncryptionContextEquals
		if subset != nil || equals != nil {
			for _, op := range in.Operations {
				if slices.Contains(noContextOps, op) {
					return nil, validationMsg("Grant constraints are not supported for the %s operation.", op)
				}
			}
		}
	}
	e, err := s.entryOf(ctx, c, in, optsGrant)
	if err != nil {
		return nil, err
	}
	if err := usable(e); err != nil {
		return nil, err
	}
	if isDryRun(in.DryRun) {
		return nil, dryRun()
	}
	g := &grantRec{
		ID: hex.EncodeToString(s.cfg.IDs.Token(32)), KeyID: e.rec.ID, Name: strOr(in.Name, ""),
		Created: s.now(c).Truncate(1e6), Grantee: in.GranteePrincipal, Retiring: strOr(in.RetiringPrincipal, ""),
		Issuing: cairn.RootARN(c.Account()), Operations: slices.Clone(in.Operations),
		Subset: maps.Clone(subset), Equals: maps.Clone(equals), TokenSecret: s.cfg.IDs.Token(32),
	}
	prefix := e.rec.key() + "/"
	err = s.update(ctx, func(tx store.Tx) error {
		// A grant with the same name and the same parameters is the same
		// grant: CreateGrant is idempotent by name.
		if g.Name != "" {
			found := false
			err := tx.Scan(tblGrants, prefix, "", 0, func(_ string, v []byte) error {
				var old grantRec
				if err := decodeJSON(v, &old); err != nil {
					return err
				}
				if old.Name == g.Name && old.sameAs(g) {
					*g, found = old, true
					return store.ErrStop
				}
				return nil
			})
			if err != nil || found {
				return err
			}
		}
		return store.InsertJSON(tx, tblGrants, prefix+g.ID, g)
	})
	if err != nil {
		return nil, errorf("create grant: %w", err)
	}
	done(in)
	return &CreateGrantOutput{GrantId: g.ID, GrantToken: grantToken(e.rec, g)}, nil
}

func (g *grantRec) sameAs(o *grantRec) bool {
	return g.Grantee == o.Grantee && g.Retiring == o.Retiring && slices.Equal(g.Operations, o.Operations) &&
		maps.Equal(g.Subset, o.Subset) && maps.Equal(g.Equals, o.Equals)
}

// A grant token names its grant and carries the grant's secret:
// base64url(<account>/<region>/<key id>/<grant id>) "." hex(secret).
func grantToken(k *keyRec, g *grantRec) string {
	ref := base64.RawURLEncoding.EncodeToString([]byte(scopeKey(k.Account, k.Region, k.ID) + "/" + g.ID))
	return ref + "." + hex.EncodeToString(g.TokenSecret)
}

// parseGrantToken returns the grant's store key and the secret.
func parseGrantToken(t string) (key string, secret []byte, ok bool) {
	ref, sec, found := strings.Cut(t, ".")
	if !found {
		return "", nil, false
	}
	b, err := base64.RawURLEncoding.DecodeString(ref)
	if err != nil || strings.Count(string(b), "/") != 3 {
		return "", nil, false
	}
	secret, err = hex.DecodeString(sec)
	return string(b), secret, err == nil && len(secret) > 0
}

func grantEntry(k *keyRec, g *grantRec) GrantListEntry {
	e := GrantListEntry{
		KeyId: k.arn(), GrantId: g.ID, Name: g.Name, CreationDate: g.Created, GranteePrincipal: g.Grantee,
		RetiringPrincipal: g.Retiring, IssuingAccount: g.Issuing, Operations: slices.Clone(g.Operations),
	}
	if g.Subset != nil || g.Equals != nil {
		e.Constraints = &GrantConstraints{EncryptionContextSubset: maps.Clone(g.Subset), EncryptionContextEquals: maps.Clone(g.Equals)}
	}
	return e
}

// ListGrants lists a key's grants, optionally one grant or one grantee's.
func (s *Service) ListGrants(ctx context.Context, c *cairn.Call, in *ListGrantsInput) (*ListGrantsOutput, error) {
	limit, err := limitOf(in.Limit)
	if err != nil {
		return nil, err
	}
	e, err := s.entryOf(ctx, c, in, optsGrant)
	if err != nil {
		return nil, err
	}
	if in.GrantId != nil && (*in.GrantId == "" || len(*in.GrantId) > 128) {
		return nil, invalidGrantID()
	}
	prefix := e.rec.key() + "/"
	after, err := decodeMarker(in.Marker, prefix)
	if err != nil {
		return nil, err
	}
	out := &ListGrantsOutput{Grants: []GrantListEntry{}}
	last := ""
	err = s.view(ctx, func(tx store.Tx) error {
		return tx.Scan(tblGrants, prefix, after, 0, func(k string, v []byte) error {
			var g grantRec
			if err := decodeJSON(v, &g); err != nil {
				return err
			}
			if in.GrantId != nil && g.ID != *in.GrantId || in.GranteePrincipal != nil && g.Grantee != *in.GranteePrincipal {
				return nil
			}
			if len(out.Grants) == limit {
				out.Truncated = true
				return store.ErrStop
			}
			out.Grants = append(out.Grants, grantEntry(e.rec, &g))
			last = k
			return nil
		})
	})
	if err != nil && !errors.Is(err, store.ErrStop) {
		return nil, errorf("list grants: %w", err)
	}
	if out.Truncated {
		out.NextMarker = encodeMarker(last)
	}
	done(in)
	return out, nil
}

// ListRetirableGrants lists the grants of the account's keys in the region
// whose retiring principal is the one given.
func (s *Service) ListRetirableGrants(ctx context.Context, c *cairn.Call, in *ListRetirableGrantsInput) (*ListGrantsOutput, error) {
	limit, err := limitOf(in.Limit)
	if err != nil {
		return nil, err
	}
	if err := checkPrincipalID("retiringPrincipal", in.RetiringPrincipal); err != nil {
		return nil, err
	}
	prefix := c.Account() + "/" + c.Region + "/"
	after, err := decodeMarker(in.Marker, prefix)
	if err != nil {
		return nil, err
	}
	out := &ListGrantsOutput{Grants: []GrantListEntry{}}
	last := ""
	err = s.view(ctx, func(tx store.Tx) error {
		return tx.Scan(tblGrants, prefix, after, 0, func(k string, v []byte) error {
			var g grantRec
			if err := decodeJSON(v, &g); err != nil {
				return err
			}
			if g.Retiring != in.RetiringPrincipal {
				return nil
			}
			if len(out.Grants) == limit {
				out.Truncated = true
				return store.ErrStop
			}
			kr := &keyRec{Account: c.Account(), Region: c.Region, ID: g.KeyID}
			out.Grants = append(out.Grants, grantEntry(kr, &g))
			last = k
			return nil
		})
	})
	if err != nil && !errors.Is(err, store.ErrStop) {
		return nil, errorf("list retirable grants: %w", err)
	}
	if out.Truncated {
		out.NextMarker = encodeMarker(last)
	}
	return out, nil
}

// retireRef finds the grant a RetireGrant names: by token, or by key ARN
// and grant ID.
func retireRef(c *cairn.Call, in *RetireGrantInput) (grantKey string, secret []byte, err error) {
	switch {
	case in.GrantToken != nil:
		k, sec, ok := parseGrantToken(*in.GrantToken)
		if !ok {
			return "", nil, invalidGrantToken()
		}
		return k, sec, nil
	case in.KeyId != nil && in.GrantId != nil:
		ref, err := parseKeyRef(c, "keyId", *in.KeyId)
		if err != nil {
			return "", nil, err
		}
		if ref.alias != "" {
			return "", nil, invalidKeyID(*in.KeyId)
		}
		return scopeKey(ref.account, ref.region, ref.keyID) + "/" + *in.GrantId, nil, nil
	}
	return "", nil, validationMsg("Grant token OR (grant ID, key ID) must be specified")
}

func (s *Service) retireResources(c *cairn.Call, in *RetireGrantInput) []cairn.Resource {
	k, _, err := retireRef(c, in)
	if err != nil {
		return nil
	}
	parts := strings.Split(k, "/")
	return []cairn.Resource{{ARN: KeyARN(parts[1], parts[0], parts[2]), Type: KeyResourceType}}
}

func (s *Service) retireRecipients(c *cairn.Call, in *RetireGrantInput) []string { return nil }

// RetireGrant deletes a grant. Its retiring principal may retire it, and
// its grantee when the grant allows RetireGrant; anyone else needs
// kms:RetireGrant from the key policy (with the account's IAM policies)
// or a grant.
func (s *Service) RetireGrant(ctx context.Context, c *cairn.Call, in *RetireGrantInput) (*Empty, error) {
	gk, secret, err := retireRef(c, in)
	if err != nil {
		return nil, err
	}
	parts := strings.Split(gk, "/")
	e, err := s.loadKey(ctx, parts[0], parts[1], parts[2])
	if err != nil {
		return nil, err
	}
	if e == nil {
		return nil, keyNotFound(KeyARN(parts[1], parts[0], parts[2]))
	}
	var g grantRec
	err = s.view(ctx, func(tx store.Tx) error { return store.GetJSON(tx, tblGrants, gk, &g) })
	switch {
	case isNotFound(err):
		if secret != nil {
			return nil, invalidGrantToken()
		}
		return nil, kmsErr("NotFoundException", "Grant ID %s not found", parts[3])
	case err != nil:
		return nil, errorf("get grant: %w", err)
	}
	if secret != nil && subtle.ConstantTimeCompare(secret, g.TokenSecret) != 1 {
		return nil, invalidGrantToken()
	}
	p := &c.Principal
	allowed := g.Retiring != "" && granteeIs(g.Retiring, p) ||
		granteeIs(g.Grantee, p) && slices.Contains(g.Operations, "RetireGrant")
	if !allowed {
		if err := s.authorizeOn(ctx, c, "kms:RetireGrant", e, nil); err != nil {
			return nil, err
		}
	}
	if isDryRun(in.DryRun) {
		return nil, dryRun()
	}
	err = s.update(ctx, func(tx store.Tx) error { return tx.Delete(tblGrants, gk) })
	if err != nil && !isNotFound(err) {
		return nil, errorf("retire grant: %w", err)
	}
	return &Empty{}, nil
}

// RevokeGrant deletes a grant of a key.
func (s *Service) RevokeGrant(ctx context.Context, c *cairn.Call, in *RevokeGrantInput) (*Empty, error) {
	if in.GrantId == "" || len(in.GrantId) > 128 {
		return nil, invalidGrantID()
	}
	e, err := s.entryOf(ctx, c, in, optsGrant)
	if err != nil {
		return nil, err
	}
	if isDryRun(in.DryRun) {
		return nil, dryRun()
	}
	err = s.update(ctx, func(tx store.Tx) error {
		if err := tx.Delete(tblGrants, e.rec.key()+"/"+in.GrantId); err != nil {
			if isNotFound(err) {
				return kmsErr("NotFoundException", "Grant ID %s not found", in.GrantId)
			}
			return err
		}
		return nil
	})
	if err != nil {
		if cairn.AsError(err) != nil {
			return nil, err
		}
		return nil, errorf("revoke grant: %w", err)
	}
	done(in)
	return &Empty{}, nil
}
