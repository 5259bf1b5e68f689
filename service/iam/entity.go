package iam

import (
	"github.com/cairnhq/cairn/store"
)

// entity is a user, group or role seen as a holder of policies: the
// attach/detach and inline-policy operations work on it alike.
type entity struct {
	kind     entityKind
	name     string // as stored
	attached *[]string
	inline   *[]inlinePolicy
	save     func() error
}

// Per-kind quotas: attached managed policies and inline policy size.
var (
	attachQuota = map[entityKind]string{kindUser: "PoliciesPerUser", kindGroup: "PoliciesPerGroup", kindRole: "PoliciesPerRole"}
	inlineLimit = map[entityKind]int{kindUser: maxUserInlineSize, kindGroup: maxGroupInlineSize, kindRole: maxRoleInlineSize}
)

// maxAttachedPolicies is the default quota of managed policies attached to
// one user, group or role.
const maxAttachedPolicies = 10

func loadEntity(tx store.Tx, account string, kind entityKind, name string) (*entity, error) {
	switch kind {
	case kindUser:
		u, err := loadUser(tx, account, name)
		if err != nil {
			return nil, err
		}
		return &entity{kind: kind, name: u.Name, attached: &u.Attached, inline: &u.Inline, save: func() error { return saveUser(tx, account, u) }}, nil
	case kindGroup:
		g, err := loadGroup(tx, account, name)
		if err != nil {
			return nil, err
		}
		return &entity{kind: kind, name: g.Name, attached: &g.Attached, inline: &g.Inline, save: func() error { return saveGroup(tx, account, g) }}, nil
	default:
		r, err := loadRole(tx, account, name)
		if err != nil {
			return nil, err
		}
		return &entity{kind: kind, name: r.Name, attached: &r.Attached, inline: &r.Inline, save: func() error { return saveRole(tx, account, r) }}, nil
	}
}

// nameMember is the entity name's member in validation messages.
func (k entityKind) nameMember() string { return string(k) + "Name" }
