package organizations

import (
	"context"
	"strings"

	"github.com/cairnhq/cairn"
)

// Resources of calls: the ARNs an action applies to, for authorization and
// the event's resources list, as the Service Authorization Reference lists
// them for Organizations. They live in the management account's namespace
// and name the organization, so they are built from the caller's cached
// snapshot; a caller in no organization gets none (the call then fails
// with AWSOrganizationsNotInUseException).

// CloudTrail resource types.
const (
	typeAccount = "AWS::Organizations::Account"
	typePolicy  = "AWS::Organizations::Policy"
	typeRoot    = "AWS::Organizations::Root"
	typeOU      = "AWS::Organizations::OrganizationalUnit"
)

// callerOrg is the snapshot of the caller's account, nil outside any
// organization or when it cannot be read.
func (s *Service) callerOrg(c *cairn.Call) *snapshot {
	snap, err := s.snapshot(context.Background(), c.Account())
	if err != nil || snap.orgID == "" {
		return nil
	}
	return snap
}

func (s *Service) accountRes(c *cairn.Call, id string) []cairn.Resource {
	o := s.callerOrg(c)
	if o == nil || id == "" {
		return nil
	}
	return []cairn.Resource{{ARN: accountARN(o.mgmt, o.orgID, id), Type: typeAccount, Name: id}}
}

func (s *Service) rootRes(c *cairn.Call, id string) []cairn.Resource {
	o := s.callerOrg(c)
	if o == nil || id == "" {
		return nil
	}
	return []cairn.Resource{{ARN: rootARN(o.mgmt, o.orgID, id), Type: typeRoot, Name: id}}
}

func (s *Service) policyRes(c *cairn.Call, id string) []cairn.Resource {
	o := s.callerOrg(c)
	if o == nil || id == "" {
		return nil
	}
	return []cairn.Resource{{ARN: policyARN(o.mgmt, o.orgID, id), Type: typePolicy, Name: id}}
}

// targetRes is the resource of a root, account or OU ID.
func (s *Service) targetRes(c *cairn.Call, id string) []cairn.Resource {
	o := s.callerOrg(c)
	switch {
	case o == nil || id == "":
		return nil
	case strings.HasPrefix(id, "r-"):
		return []cairn.Resource{{ARN: rootARN(o.mgmt, o.orgID, id), Type: typeRoot, Name: id}}
	case strings.HasPrefix(id, "ou-"):
		return []cairn.Resource{{ARN: ouARN(o.mgmt, o.orgID, id), Type: typeOU, Name: id}}
	}
	return []cairn.Resource{{ARN: accountARN(o.mgmt, o.orgID, id), Type: typeAccount, Name: id}}
}

// Condition keys, lower-cased as the request context holds them.

const keyPolicyType = "organizations:policytype"

func policyTypeCondition(typ string) map[string][]string {
	if typ == "" {
		return nil
	}
	return map[string][]string{keyPolicyType: {typ}}
}

// Every policy Cairn holds is an SCP, so calls that name a policy by ID
// carry organizations:PolicyType SERVICE_CONTROL_POLICY.
func scpCondition(id string) map[string][]string {
	if id == "" {
		return nil
	}
	return policyTypeCondition(TypeSCP)
}

func requestTagConditions(tags []Tag) map[string][]string {
	if len(tags) == 0 {
		return nil
	}
	m := map[string][]string{}
	for _, t := range tags {
		m["aws:requesttag/"+strings.ToLower(t.Key)] = []string{t.Value}
		m["aws:tagkeys"] = append(m["aws:tagkeys"], t.Key)
	}
	return m
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
