package kms

import (
	"context"
	"errors"
	"regexp"
	"sort"
	"strings"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

const maxAliasName = 256

var aliasNameRe = regexp.MustCompile(`^[a-zA-Z0-9:/_-]+$`)

// managedAliases are the AWS managed aliases Cairn serves, with the
// description AWS gives their keys. Their keys are created on first use.
var managedAliases = map[string]string{
	"alias/aws/s3": "Default key that protects my S3 objects when no other key is defined",
}

// managedKeyPolicy is the policy of an AWS managed key: principals of the
// account may use it through the service only, and the account may read
// its metadata.
func managedKeyPolicy(account, region, alias string) string {
	svc := strings.TrimPrefix(alias, "alias/aws/")
	return `{
  "Version" : "2012-10-17",
  "Id" : "auto-` + svc + `-2",
  "Statement" : [ {
    "Sid" : "Allow access through ` + strings.ToUpper(svc) + ` for all principals in the account that are authorized to use ` + strings.ToUpper(svc) + `",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : [ "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey" ],
    "Resource" : "*",
    "Condition" : {
      "StringEquals" : {
        "kms:CallerAccount" : "` + account + `",
        "kms:ViaService" : "` + svc + `.` + region + `.amazonaws.com"
      }
    }
  }, {
    "Sid" : "Allow direct access to key metadata to the account",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:aws:iam::` + account + `:root"
    },
    "Action" : [ "kms:Describe*", "kms:Get*", "kms:List*" ],
    "Resource" : "*"
  } ]
}`
}

// ManagedKey returns the ARN of the AWS managed key behind alias (for
// example alias/aws/s3) in account and region, creating the key on first
// use as AWS does.
func (s *Service) ManagedKey(ctx context.Context, account, region, alias string) (string, error) {
	if managedAliases[alias] == "" {
		return "", errorf("%s is not an AWS managed alias Cairn serves", alias)
	}
	id, err := s.aliasTarget(ctx, account, region, alias)
	if err != nil {
		return "", err
	}
	if id != "" {
		return KeyARN(region, account, id), nil
	}
	e, err := s.managedKey(ctx, account, region, alias)
	if err != nil {
		return "", err
	}
	return e.arn, nil
}

// managedKey creates the key of an AWS managed alias unless a concurrent
// call did, and returns it.
func (s *Service) managedKey(ctx context.Context, account, region, alias string) (*keyEntry, error) {
	now := s.cfg.Clock.Now().UTC().Truncate(1e6)
	rec := &keyRec{
		Account: account, Region: region, ID: s.cfg.IDs.UUID(), Created: now,
		Description: managedAliases[alias], State: stateEnabled, Manager: managerAWS,
		Policy: managedKeyPolicy(account, region, alias), Rotation: true, RotationPeriod: 365,
	}
	next := now.AddDate(0, 0, 365)
	rec.NextRotation = &next
	m, err := s.newMaterial(rec.arn())
	if err != nil {
		return nil, err
	}
	m.Created = now
	rec.Versions = []materialRec{m}
	id := rec.ID
	err = s.update(ctx, func(tx store.Tx) error {
		var a aliasRec
		err := store.GetJSON(tx, tblAliases, scopeKey(account, region, alias), &a)
		if err == nil {
			id = a.KeyID // created meanwhile
			return nil
		}
		if !isNotFound(err) {
			return err
		}
		if err := store.InsertJSON(tx, tblKeys, rec.key(), rec); err != nil {
			return err
		}
		return store.InsertJSON(tx, tblAliases, scopeKey(account, region, alias), &aliasRec{Name: alias, KeyID: rec.ID, Created: now, Updated: now})
	})
	if err != nil {
		return nil, errorf("create AWS managed key for %s: %w", alias, err)
	}
	e, err := s.loadKey(ctx, account, region, id)
	if err != nil {
		return nil, err
	}
	if e == nil {
		return nil, errorf("AWS managed key %s vanished", id)
	}
	return e, nil
}

// validateAliasName checks an AliasName member of a call that creates,
// changes or deletes an alias.
func validateAliasName(name string) error {
	switch {
	case name == "":
		return validation("aliasName", "", "Member must have length greater than or equal to 1")
	case len(name) > maxAliasName:
		return validation("aliasName", name, "Member must have length less than or equal to 256")
	case !aliasNameRe.MatchString(name):
		return validation("aliasName", name, "Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$")
	case !strings.HasPrefix(name, "alias/"):
		return validationMsg(`Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html`)
	case strings.HasPrefix(name, "alias/aws/"):
		return notAuthorized()
	case strings.Contains(name, ":") || name == "alias/":
		return invalidAliasName("%s contains invalid characters for an alias", name)
	}
	return nil
}

// aliasInput is an alias operation's input.
type aliasInput interface {
	keyed
	aliasName() string
}

func (in *CreateAliasInput) aliasName() string { return in.AliasName }
func (in *UpdateAliasInput) aliasName() string { return in.AliasName }
func (in *DeleteAliasInput) aliasName() string { return in.AliasName }

func (in *UpdateAliasInput) keyArg() (string, string) { return "targetKeyId", in.TargetKeyId }
func (in *UpdateAliasInput) slot() **resolved         { return &in.res }
func (in *DeleteAliasInput) keyArg() (string, string) { return "aliasName", in.AliasName }
func (in *DeleteAliasInput) slot() **resolved         { return &in.res }

// aliasKeyTarget authorizes an alias operation against the key the alias
// points at (its new key for CreateAlias): AWS requires the permission on
// the alias (IAM policy) and on the key (key policy).
func (s *Service) aliasKeyTarget(ctx context.Context, c *cairn.Call, in any) (*cairn.Target, error) {
	a, ok := in.(aliasInput)
	if !ok {
		return nil, nil
	}
	if err := validateAliasName(a.aliasName()); err != nil {
		return nil, err
	}
	var keyID string
	if _, isCreate := in.(*CreateAliasInput); isCreate {
		_, keyID = a.keyArg()
	} else {
		id, err := s.aliasTarget(ctx, c.Account(), c.Region, a.aliasName())
		if err != nil {
			return nil, err
		}
		if id == "" {
			return nil, aliasNotFound(AliasARN(c.Region, c.Account(), a.aliasName()))
		}
		keyID = id
	}
	return s.keyTarget(ctx, c, "targetKeyId", keyID, optsHome, a.slot(), nil)
}

// aliasResources names the alias (for authorization only) and its key.
func aliasResources(c *cairn.Call, in any) []cairn.Resource {
	a, ok := in.(aliasInput)
	if !ok {
		return nil
	}
	rs := []cairn.Resource{{ARN: AliasARN(c.Region, c.Account(), a.aliasName())}}
	if r := *a.slot(); r != nil && r.entry != nil {
		rs = append(rs, cairn.Resource{ARN: r.entry.arn, Type: KeyResourceType})
	}
	return rs
}

// CreateAlias creates an alias for a customer managed key.
func (s *Service) CreateAlias(ctx context.Context, c *cairn.Call, in *CreateAliasInput) (*Empty, error) {
	if err := validateAliasName(in.AliasName); err != nil {
		return nil, err
	}
	if strings.HasPrefix(in.TargetKeyId, "alias/") || strings.Contains(in.TargetKeyId, ":alias/") {
		return nil, validationMsg("Aliases must refer to keys. Not aliases")
	}
	e, err := s.entryOf(ctx, c, in, optsHome)
	if err != nil {
		return nil, err
	}
	if err := notPending(e); err != nil {
		return nil, err
	}
	now := s.now(c).Truncate(1e6)
	k := scopeKey(c.Account(), c.Region, in.AliasName)
	err = s.update(ctx, func(tx store.Tx) error {
		err := store.InsertJSON(tx, tblAliases, k, &aliasRec{Name: in.AliasName, KeyID: e.rec.ID, Created: now, Updated: now})
		if errors.Is(err, cairn.ErrExists) {
			return aliasExists(AliasARN(c.Region, c.Account(), in.AliasName))
		}
		return err
	})
	if err != nil {
		if cairn.AsError(err) != nil {
			return nil, err
		}
		return nil, errorf("create alias: %w", err)
	}
	return &Empty{}, nil
}

// UpdateAlias points an alias at another key of the same account. The
// caller needs kms:UpdateAlias on the new key too.
func (s *Service) UpdateAlias(ctx context.Context, c *cairn.Call, in *UpdateAliasInput) (*Empty, error) {
	if err := validateAliasName(in.AliasName); err != nil {
		return nil, err
	}
	if strings.HasPrefix(in.TargetKeyId, "alias/") || strings.Contains(in.TargetKeyId, ":alias/") {
		return nil, validationMsg("Aliases must refer to keys. Not aliases")
	}
	next, _, err := s.resolve(ctx, c, "targetKeyId", in.TargetKeyId, optsHome)
	if err != nil {
		return nil, err
	}
	if err := notPending(next); err != nil {
		return nil, err
	}
	if err := s.authorizeOn(ctx, c, "kms:UpdateAlias", next, nil); err != nil {
		return nil, err
	}
	k := scopeKey(c.Account(), c.Region, in.AliasName)
	err = s.update(ctx, func(tx store.Tx) error {
		var a aliasRec
		if err := store.GetJSON(tx, tblAliases, k, &a); err != nil {
			if isNotFound(err) {
				return aliasNotFound(AliasARN(c.Region, c.Account(), in.AliasName))
			}
			return err
		}
		a.KeyID, a.Updated = next.rec.ID, s.now(c).Truncate(1e6)
		return store.PutJSON(tx, tblAliases, k, &a)
	})
	if err != nil {
		if cairn.AsError(err) != nil {
			return nil, err
		}
		return nil, errorf("update alias: %w", err)
	}
	return &Empty{}, nil
}

// DeleteAlias deletes an alias; its key is unaffected.
func (s *Service) DeleteAlias(ctx context.Context, c *cairn.Call, in *DeleteAliasInput) (*Empty, error) {
	if err := validateAliasName(in.AliasName); err != nil {
		return nil, err
	}
	k := scopeKey(c.Account(), c.Region, in.AliasName)
	err := s.update(ctx, func(tx store.Tx) error {
		if err := tx.Delete(tblAliases, k); err != nil {
			if isNotFound(err) {
				return aliasNotFound(AliasARN(c.Region, c.Account(), in.AliasName))
			}
			return err
		}
		return nil
	})
	if err != nil {
		if cairn.AsError(err) != nil {
			return nil, err
		}
		return nil, errorf("delete alias: %w", err)
	}
	return &Empty{}, nil
}

// ListAliases lists the aliases of the account in the region, AWS managed
// aliases whose keys do not exist yet included (without TargetKeyId); with
// KeyId, only the aliases of that key.
func (s *Service) ListAliases(ctx context.Context, c *cairn.Call, in *ListAliasesInput) (*ListAliasesOutput, error) {
	limit, err := limitOf(in.Limit)
	if err != nil {
		return nil, err
	}
	prefix := c.Account() + "/" + c.Region + "/"
	after, err := decodeMarker(in.Marker, prefix)
	if err != nil {
		return nil, err
	}
	keyFilter := ""
	if in.KeyId != nil {
		e, _, err := s.resolve(ctx, c, "keyId", *in.KeyId, optsHome)
		if err != nil {
			return nil, err
		}
		keyFilter = e.rec.ID
	}
	var all []aliasRec
	err = s.view(ctx, func(tx store.Tx) error {
		return tx.Scan(tblAliases, prefix, "", 0, func(_ string, v []byte) error {
			var a aliasRec
			if err := decodeJSON(v, &a); err != nil {
				return err
			}
			all = append(all, a)
			return nil
		})
	})
	if err != nil {
		return nil, errorf("list aliases: %w", err)
	}
	if keyFilter == "" {
		for name := range managedAliases {
			if !hasAlias(all, name) {
				all = append(all, aliasRec{Name: name})
			}
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Name < all[j].Name })
	out := &ListAliasesOutput{Aliases: []AliasListEntry{}}
	for _, a := range all {
		if prefix+a.Name <= after || keyFilter != "" && a.KeyID != keyFilter {
			continue
		}
		if len(out.Aliases) == limit {
			out.Truncated = true
			out.NextMarker = encodeMarker(prefix + out.Aliases[limit-1].AliasName)
			break
		}
		out.Aliases = append(out.Aliases, AliasListEntry{
			AliasName: a.Name, AliasArn: AliasARN(c.Region, c.Account(), a.Name), TargetKeyId: a.KeyID,
			CreationDate: a.Created, LastUpdatedDate: a.Updated,
		})
	}
	return out, nil
}

func hasAlias(all []aliasRec, name string) bool {
	for _, a := range all {
		if a.Name == name {
			return true
		}
	}
	return false
}

// authorizeOn asks the Authorizer whether the call may also perform action
// on a second key (the new key of UpdateAlias, the destination of
// ReEncrypt), with that key's policy and grants.
func (s *Service) authorizeOn(ctx context.Context, c *cairn.Call, action string, e *keyEntry, ec map[string]string) error {
	if s.cfg.Authorizer == nil {
		return nil
	}
	op := &cairn.Operation{
		Name: c.Operation, Action: action,
		Resources: func(*cairn.Call, any) []cairn.Resource { return []cairn.Resource{{ARN: e.arn}} },
		Conditions: func(c *cairn.Call, _ any) map[string][]string {
			return contextConditions(callConditions(c), ec)
		},
		Target: func(context.Context, *cairn.Call, any) (*cairn.Target, error) {
			return targetOf(e, c, "", ec), nil
		},
	}
	cc := *c
	return s.cfg.Authorizer.Authorize(ctx, &cc, op, nil)
}
