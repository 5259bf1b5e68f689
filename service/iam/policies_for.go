package iam

import (
	"context"
	"fmt"
	"strings"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// PoliciesFor returns the identity-based policy documents that apply to a
// principal, and its permissions boundary document ("" when none): for an
// IAM user its inline policies, the default versions of its attached
// managed policies, and the same for each of its groups; for an assumed
// role (a session whose issuer is a role) the role's. The root user and
// principals of other kinds get none: the root user is not governed by
// identity policies. Documents are returned as stored (JSON, not
// URL-encoded). A user or role that no longer exists has no policies.
func (s *Service) PoliciesFor(ctx context.Context, p cairn.Principal) (identity []string, boundary string, err error) {
	acct := p.AccountID
	switch {
	case p.Type == cairn.PrincipalIAMUser && p.UserName != "":
		err = s.view(ctx, func(tx store.Tx) error {
			u, err := loadUser(tx, acct, p.UserName)
			if err != nil {
				return err
			}
			if p.ID != "" && u.ID != p.ID {
				return noSuchUser(p.UserName) // a new user under an old name
			}
			if identity, err = collect(tx, acct, u.Inline, u.Attached, identity); err != nil {
				return err
			}
			for _, gname := range u.Groups {
				g, err := loadGroup(tx, acct, gname)
				if err != nil {
					return fmt.Errorf("group %s of user %s: %w", gname, u.Name, err)
				}
				if identity, err = collect(tx, acct, g.Inline, g.Attached, identity); err != nil {
					return err
				}
			}
			boundary, err = boundaryDocument(tx, acct, u.Boundary)
			return err
		})
	case p.Type == cairn.PrincipalAssumedRole && p.Session != nil:
		name := roleNameOf(p.Session.Issuer)
		if name == "" {
			return nil, "", nil
		}
		err = s.view(ctx, func(tx store.Tx) error {
			r, err := loadRole(tx, acct, name)
			if err != nil {
				return err
			}
			if id := p.Session.Issuer.ID; id != "" && r.ID != id {
				return noSuchRole(name)
			}
			if identity, err = collect(tx, acct, r.Inline, r.Attached, identity); err != nil {
				return err
			}
			boundary, err = boundaryDocument(tx, acct, r.Boundary)
			return err
		})
	default:
		return nil, "", nil
	}
	if err != nil {
		if cairn.AsError(err) != nil { // the user or role is gone
			return nil, "", nil
		}
		return nil, "", err
	}
	return identity, boundary, nil
}

// roleNameOf is the role behind a session issuer: its UserName, or the
// last segment of its ARN.
func roleNameOf(is cairn.Issuer) string {
	if is.UserName != "" {
		return is.UserName
	}
	if i := strings.LastIndex(is.ARN, "/"); i >= 0 && strings.Contains(is.ARN, ":role/") {
		return is.ARN[i+1:]
	}
	return ""
}

func collect(tx store.Tx, account string, inline []inlinePolicy, attached []string, docs []string) ([]string, error) {
	for _, p := range inline {
		docs = append(docs, p.Document)
	}
	for _, arn := range attached {
		p, err := loadPolicy(tx, account, arn)
		if err != nil {
			return nil, fmt.Errorf("attached policy %s: %w", arn, err)
		}
		if p != nil {
			docs = append(docs, p.defaultDocument())
		}
	}
	return docs, nil
}

func boundaryDocument(tx store.Tx, account, arn string) (string, error) {
	if arn == "" {
		return "", nil
	}
	p, err := loadPolicy(tx, account, arn)
	if err != nil {
		return "", fmt.Errorf("permissions boundary %s: %w", arn, err)
	}
	if p == nil {
		return "", nil
	}
	return p.defaultDocument(), nil
}
