package iam

import (
	"context"
	"fmt"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// Resources of calls: the ARNs the action applies to, for authorization
// and the event's resources list. Entity ARNs include the path, which the
// input does not carry, so it is read from the store; an entity that does
// not exist (yet) gets the default path "/" or the path in the input.

// CloudTrail resource types.
const (
	typeUser      = "AWS::IAM::User"
	typeGroup     = "AWS::IAM::Group"
	typeRole      = "AWS::IAM::Role"
	typePolicy    = "AWS::IAM::Policy"
	typeAccessKey = "AWS::IAM::AccessKey"
)

// entityRes is the named user, group or role: its ARN with the path and
// name as stored, or the default path "/" and name as given when it does
// not exist or cannot be read.
func (s *Service) entityRes(c *cairn.Call, kind entityKind, name string) cairn.Resource {
	acct := c.Account()
	path, n := "/", name
	if rec, ok, _ := s.peek(context.Background(), kind, acct, name); ok && rec.Path != "" && rec.Name != "" {
		path, n = rec.Path, rec.Name
	}
	return cairn.Resource{ARN: kind.spec().arn(acct, path, n), Type: kind.spec().resType, Name: n}
}

func (s *Service) userRes(c *cairn.Call, name string) cairn.Resource {
	return s.entityRes(c, kindUser, name)
}

func (s *Service) groupRes(c *cairn.Call, name string) cairn.Resource {
	return s.entityRes(c, kindGroup, name)
}

func (s *Service) roleRes(c *cairn.Call, name string) cairn.Resource {
	return s.entityRes(c, kindRole, name)
}

func policyRes(arn string) cairn.Resource {
	name := arn
	if pa, err := parsePolicyARN(arn); err == nil {
		name = pa.Name
	}
	return cairn.Resource{ARN: arn, Type: typePolicy, Name: name}
}

// selfOrUser is the user named, or the caller when name is absent (access
// key and GetUser calls).
func (s *Service) selfOrUser(c *cairn.Call, name *string) cairn.Resource {
	if name != nil && *name != "" {
		return s.userRes(c, *name)
	}
	p := c.Principal
	if p.Type == cairn.PrincipalIAMUser {
		return cairn.Resource{ARN: p.ARN, Type: typeUser, Name: p.UserName}
	}
	return cairn.Resource{ARN: p.ARN}
}

// keyRes is an access key: authorized on its owner's ARN, recorded under
// the key ID.
func keyRes(owner cairn.Resource, id string) cairn.Resource {
	return cairn.Resource{ARN: owner.ARN, Type: typeAccessKey, Name: id}
}

// keyOwnerRes finds the owner of a key of the caller's account; "*" when
// there is no such key.
func (s *Service) keyOwnerRes(c *cairn.Call, id string) cairn.Resource {
	acct := c.Account()
	u, ok, err := s.keyOwner(context.Background(), acct, id)
	switch {
	case err != nil || !ok:
		return cairn.Resource{ARN: "*"}
	case u == nil:
		return cairn.Resource{ARN: cairn.RootARN(acct)}
	}
	return cairn.Resource{ARN: userARN(acct, u.Path, u.Name), Type: typeUser, Name: u.Name}
}

// keyOwner reads the owner of key id of account in one transaction: the
// user, or nil for a key of the account's root user; ok is false when the
// account has no such key (or its user is gone).
func (s *Service) keyOwner(ctx context.Context, account, id string) (owner *storedEntity, ok bool, err error) {
	var k keyRec
	err = s.view(ctx, func(tx store.Tx) error {
		if err := store.GetJSON(tx, tblKeys, id, &k); err != nil {
			return err
		}
		if k.Account != account || k.User == "" {
			return nil
		}
		owner = new(storedEntity)
		return store.GetJSON(tx, tblUsers, entityKey(account, k.User), owner)
	})
	switch {
	case isNotFound(err):
		return nil, false, nil
	case err != nil:
		return nil, false, fmt.Errorf("get access key owner: %w", err)
	case k.Account != account:
		return nil, false, nil
	}
	return owner, true, nil
}

// sourceRes is the user, group or role a simulation takes its policies
// from, recorded by its ARN as given.
func sourceRes(c *cairn.Call, arn string) cairn.Resource {
	kind, name, err := parseSourceARN(c.Account(), arn)
	if err != nil {
		return cairn.Resource{ARN: arn}
	}
	return cairn.Resource{ARN: arn, Type: kind.spec().resType, Name: name}
}

// Condition keys (lower-cased names).

func policyARNCondition(arn string) map[string][]string {
	return map[string][]string{"iam:policyarn": {arn}}
}

func boundaryCondition(arn *string) map[string][]string {
	if arn == nil {
		return nil
	}
	return map[string][]string{"iam:permissionsboundary": {*arn}}
}

// storedBoundaryCondition is iam:PermissionsBoundary of a call that
// removes the boundary arn ("" = none).
func storedBoundaryCondition(arn string) map[string][]string {
	if arn == "" {
		return nil
	}
	return map[string][]string{"iam:permissionsboundary": {arn}}
}

func requestTagConditions(tags []Tag) map[string][]string {
	if len(tags) == 0 {
		return nil
	}
	m := map[string][]string{}
	for _, t := range tags {
		m["aws:requesttag/"+lower(t.Key)] = []string{t.Value}
		m["aws:tagkeys"] = append(m["aws:tagkeys"], t.Key)
	}
	return m
}

func tagKeysCondition(keys []string) map[string][]string {
	if len(keys) == 0 {
		return nil
	}
	return map[string][]string{"aws:tagkeys": append([]string(nil), keys...)}
}

func merge(ms ...map[string][]string) map[string][]string {
	var out map[string][]string
	for _, m := range ms {
		for k, v := range m {
			if out == nil {
				out = map[string][]string{}
			}
			out[k] = append(out[k], v...)
		}
	}
	return out
}

// onCond adapts a typed condition function to an operation row.
func onCond[I any](f func(c *cairn.Call, in *I) map[string][]string) func(*cairn.Call, any) map[string][]string {
	return func(c *cairn.Call, in any) map[string][]string {
		typed, ok := in.(*I)
		if !ok || typed == nil {
			return nil
		}
		return f(c, typed)
	}
}
