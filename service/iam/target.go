package iam

import (
	"context"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// Targets of calls: what authorization needs to know of the resource
// beyond its ARN, which for IAM is its tags. The tags of the user or role
// a call acts on are aws:ResourceTag/<key> and IAM's own
// iam:ResourceTag/<key>; those of a customer managed policy are
// aws:ResourceTag/<key>; groups take no tags. A Target costs one store
// read. A resource that does not exist has no Target: its handler reports
// NoSuchEntity.

type targetFunc = func(context.Context, *cairn.Call, any) (*cairn.Target, error)

// entityTarget is the Target of the named user or role.
func (s *Service) entityTarget(ctx context.Context, account string, kind entityKind, name string) (*cairn.Target, error) {
	rec, ok, err := s.peek(ctx, kind, account, name)
	if err != nil || !ok {
		return nil, err
	}
	return tagTarget(rec.Tags, true), nil
}

// tagTarget carries tags as aws:ResourceTag/<key> and, for users and
// roles (iamKeys), as iam:ResourceTag/<key> too.
func tagTarget(tags []Tag, iamKeys bool) *cairn.Target {
	t := &cairn.Target{}
	if len(tags) == 0 {
		return t
	}
	t.Tags = make(map[string]string, len(tags))
	if iamKeys {
		t.Conditions = make(map[string][]string, len(tags))
	}
	for _, tag := range tags {
		t.Tags[tag.Key] = tag.Value
		if iamKeys {
			t.Conditions["iam:resourcetag/"+lower(tag.Key)] = []string{tag.Value}
		}
	}
	return t
}

// onEntity is the Target of a row that acts on the user or role name picks
// out of its input.
func onEntity[I any](s *Service, kind entityKind, name func(*cairn.Call, *I) string) targetFunc {
	return cairn.OnTarget(func(ctx context.Context, c *cairn.Call, in *I) (*cairn.Target, error) {
		return s.entityTarget(ctx, c.Account(), kind, name(c, in))
	})
}

func onUser[I any](s *Service, name func(*I) string) targetFunc {
	return onEntity(s, kindUser, func(_ *cairn.Call, in *I) string { return name(in) })
}

func onRole[I any](s *Service, name func(*I) string) targetFunc {
	return onEntity(s, kindRole, func(_ *cairn.Call, in *I) string { return name(in) })
}

// onSelfOrUser is the Target of a row that acts on the user named, or on
// the calling user when the name is absent (access key and GetUser calls).
func onSelfOrUser[I any](s *Service, name func(*I) *string) targetFunc {
	return onEntity(s, kindUser, func(c *cairn.Call, in *I) string {
		if n := name(in); n != nil && *n != "" {
			return *n
		}
		if p := c.Principal; p.Type == cairn.PrincipalIAMUser {
			return p.UserName
		}
		return "" // the root user and roles are no user
	})
}

// onSource is the Target of a simulation: the user or role it takes its
// policies from.
func onSource[I any](s *Service, arn func(*I) string) targetFunc {
	return cairn.OnTarget(func(ctx context.Context, c *cairn.Call, in *I) (*cairn.Target, error) {
		kind, name, err := parseSourceARN(c.Account(), arn(in))
		if err != nil || kind == kindGroup {
			return nil, nil
		}
		return s.entityTarget(ctx, c.Account(), kind, name)
	})
}

// onKeyOwner is the Target of a row that names only an access key: the
// user who owns it; none for the root user's keys.
func onKeyOwner[I any](s *Service, id func(*I) string) targetFunc {
	return cairn.OnTarget(func(ctx context.Context, c *cairn.Call, in *I) (*cairn.Target, error) {
		owner, ok, err := s.keyOwner(ctx, c.Account(), id(in))
		if err != nil || !ok || owner == nil {
			return nil, err
		}
		return tagTarget(owner.Tags, true), nil
	})
}

// onPolicy is the Target of a row that acts on a managed policy: a
// customer managed policy's tags. An AWS managed policy has none.
func onPolicy[I any](s *Service, arn func(*I) string) targetFunc {
	return cairn.OnTarget(func(ctx context.Context, c *cairn.Call, in *I) (*cairn.Target, error) {
		var p *policyRec
		err := s.view(ctx, func(tx store.Tx) error {
			var err error
			p, err = loadPolicy(tx, c.Account(), arn(in))
			return err
		})
		switch {
		case cairn.AsError(err) != nil:
			return nil, nil // an ARN the handler rejects
		case err != nil || p == nil:
			return nil, err
		}
		return tagTarget(p.Tags, false), nil
	})
}
