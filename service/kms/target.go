package kms

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/cairnhq/cairn"
)

// Authorization the KMS way. Every operation on a key names the key as its
// Target: the key policy, required to allow on its own (an identity
// policy counts only where the key policy delegates to the caller's
// account), the key's tags, the condition keys that depend on the key, and
// the key's grants as a further allow source.

// keyTarget resolves keyID for authorization and leaves the key in *res
// for Resources and the handler. A key that cannot be resolved ends the
// call with the KMS error (NotFoundException, …) before any policy is
// evaluated, as KMS resolves the key before it can read its policy.
func (s *Service) keyTarget(ctx context.Context, c *cairn.Call, member, keyID string, o resolveOpts, res **resolved, ec map[string]string) (*cairn.Target, error) {
	e, ref, err := s.resolve(ctx, c, member, keyID, o)
	if err != nil {
		return nil, err
	}
	*res = &resolved{entry: e, alias: ref.alias}
	return targetOf(e, c, ref.alias, ec), nil
}

// targetOf describes a key to the authorize step.
func targetOf(e *keyEntry, c *cairn.Call, alias string, ec map[string]string) *cairn.Target {
	t := &cairn.Target{
		Policy:         e.rec.Policy,
		Account:        e.rec.Account,
		PolicyRequired: true,
		Conditions: map[string][]string{
			"kms:keyspec":     {specSymmetric},
			"kms:keyusage":    {usageEncryptDecrypt},
			"kms:keyorigin":   {originKMS},
			"kms:multiregion": {"false"},
		},
		Grant: grantAllows(e, &c.Principal, ec),
	}
	if len(e.aliases) > 0 {
		t.Conditions["kms:resourcealiases"] = append([]string(nil), e.aliases...)
	}
	if alias != "" {
		t.Conditions["kms:requestalias"] = []string{alias}
	}
	if len(e.rec.Tags) > 0 {
		t.Tags = make(map[string]string, len(e.rec.Tags))
		for _, tg := range e.rec.Tags {
			t.Tags[tg.TagKey] = tg.TagValue
		}
	}
	return t
}

// grantAllows is the key's grants as an allow source: a grant allows an
// action when it names the caller as grantee, lists the operation, and its
// encryption context constraint holds for the request's context.
func grantAllows(e *keyEntry, p *cairn.Principal, ec map[string]string) func(string, map[string][]string) bool {
	if len(e.grants) == 0 {
		return nil
	}
	return func(action string, _ map[string][]string) bool {
		op, ok := strings.CutPrefix(action, "kms:")
		if !ok {
			return false
		}
		for _, g := range e.grants {
			if granteeIs(g.Grantee, p) && slices.Contains(g.Operations, op) && g.constraintsHold(ec) {
				return true
			}
		}
		return false
	}
}

// granteeIs reports whether a grant's principal names the caller: its
// ARN, the role behind a role session, or a service principal.
func granteeIs(grantee string, p *cairn.Principal) bool {
	switch {
	case grantee == "":
		return false
	case p.Type == cairn.PrincipalAWSService:
		return strings.EqualFold(grantee, p.Service)
	case grantee == p.ARN:
		return true
	case p.Type == cairn.PrincipalAssumedRole && p.Session != nil:
		return grantee == p.Session.Issuer.ARN
	}
	return false
}

// constraintsHold applies a grant's encryption context constraints.
func (g *grantRec) constraintsHold(ec map[string]string) bool {
	if g.Equals != nil {
		if len(ec) != len(g.Equals) {
			return false
		}
		for k, v := range g.Equals {
			if got, ok := ec[k]; !ok || got != v {
				return false
			}
		}
	}
	for k, v := range g.Subset {
		if got, ok := ec[k]; !ok || got != v {
			return false
		}
	}
	return true
}

// Resources and recipients.

// keyResources names the key a call acts on: the resolved key's ARN (an
// alias resolves to its key, which is what AWS lists), else what the
// KeyId says.
func keyResources(c *cairn.Call, keyID string, res *resolved) []cairn.Resource {
	if res != nil && res.entry != nil {
		return []cairn.Resource{{ARN: res.entry.arn, Type: KeyResourceType}}
	}
	ref, err := parseKeyRef(c, "keyId", keyID)
	if err != nil && ref.keyID == "" && ref.alias == "" {
		return nil
	}
	if ref.alias != "" {
		// Not a key: decides authorization, not listed in the event.
		return []cairn.Resource{{ARN: ref.arn()}}
	}
	return []cairn.Resource{{ARN: ref.arn(), Type: KeyResourceType}}
}

// keyOwner is the key owner's account for a cross-account call that
// succeeded: such calls are recorded in both accounts (denied ones only in
// the caller's).
func keyOwner(c *cairn.Call, res *resolved) []string {
	if res == nil || !res.ok || res.entry == nil || res.entry.rec.Account == c.Account() {
		return nil
	}
	return []string{res.entry.rec.Account}
}

// Condition keys that depend on the input.

// callConditions are the keys every KMS call carries: kms:CallerAccount,
// and kms:ViaService for a call an AWS service makes on a caller's behalf.
func callConditions(c *cairn.Call) map[string][]string {
	m := map[string][]string{"kms:calleraccount": {c.Account()}}
	if n := len(c.CalledVia); n > 0 {
		m["kms:viaservice"] = []string{viaService(c.CalledVia[n-1], c.Region)}
	}
	return m
}

// viaService turns a service principal (s3.amazonaws.com) into the
// kms:ViaService value of its regional endpoint (s3.us-east-1.amazonaws.com).
func viaService(principal, region string) string {
	name, ok := strings.CutSuffix(principal, ".amazonaws.com")
	if !ok {
		return principal
	}
	return name + "." + region + ".amazonaws.com"
}

// contextConditions adds kms:EncryptionContext:<key> and
// kms:EncryptionContextKeys for an encryption context.
func contextConditions(m map[string][]string, ec map[string]string) map[string][]string {
	if len(ec) == 0 {
		return m
	}
	keys := make([]string, 0, len(ec))
	for k, v := range ec {
		m["kms:encryptioncontext:"+strings.ToLower(k)] = []string{v}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	m["kms:encryptioncontextkeys"] = keys
	return m
}

// cryptoConditions are the keys of Encrypt, Decrypt and GenerateDataKey*.
func cryptoConditions(c *cairn.Call, ec map[string]string, alg *string) map[string][]string {
	m := contextConditions(callConditions(c), ec)
	m["kms:encryptionalgorithm"] = []string{strOr(alg, algSymmetric)}
	return m
}

// grantCallConditions are the keys of CreateGrant, ListGrants and
// RevokeGrant: kms:GrantIsForAWSResource, true only when an AWS service
// makes the call on the caller's behalf (false for a direct call).
func grantCallConditions(c *cairn.Call) map[string][]string {
	m := callConditions(c)
	m["kms:grantisforawsresource"] = []string{strconv.FormatBool(len(c.CalledVia) > 0)}
	return m
}

// grantConditions are CreateGrant's keys.
func grantConditions(c *cairn.Call, in *CreateGrantInput) map[string][]string {
	m := grantCallConditions(c)
	if len(in.Operations) > 0 {
		m["kms:grantoperations"] = append([]string(nil), in.Operations...)
	}
	if in.GranteePrincipal != "" {
		m["kms:granteeprincipal"] = []string{in.GranteePrincipal}
	}
	if in.RetiringPrincipal != nil && *in.RetiringPrincipal != "" {
		m["kms:retiringprincipal"] = []string{*in.RetiringPrincipal}
	}
	if in.Constraints != nil {
		var types []string
		if in.Constraints.EncryptionContextEquals != nil {
			types = append(types, "EncryptionContextEquals")
		}
		if in.Constraints.EncryptionContextSubset != nil {
			types = append(types, "EncryptionContextSubset")
		}
		if len(types) > 0 {
			m["kms:grantconstrainttype"] = types
		}
		m = contextConditions(m, constraintContext(in.Constraints))
	}
	return m
}

// constraintContext is the encryption context of a CreateGrant request for
// kms:EncryptionContext:<key> and kms:EncryptionContextKeys: the pairs of
// its constraint, EncryptionContextEquals or EncryptionContextSubset (AWS
// lists CreateGrant for both keys and a grant carries no other context).
// Decided where AWS is unclear: a request with both constraints has the
// pairs of both, EncryptionContextEquals winning a key they share.
func constraintContext(gc *GrantConstraints) map[string]string {
	if len(gc.EncryptionContextSubset) == 0 {
		return gc.EncryptionContextEquals
	}
	if len(gc.EncryptionContextEquals) == 0 {
		return gc.EncryptionContextSubset
	}
	ec := maps.Clone(gc.EncryptionContextSubset)
	maps.Copy(ec, gc.EncryptionContextEquals)
	return ec
}

// createKeyConditions are CreateKey's keys, from its input.
func createKeyConditions(c *cairn.Call, in *CreateKeyInput) map[string][]string {
	m := callConditions(c)
	m["kms:keyspec"] = []string{strOr(in.KeySpec, strOr(in.CustomerMasterKeySpec, specSymmetric))}
	m["kms:keyusage"] = []string{strOr(in.KeyUsage, usageEncryptDecrypt)}
	m["kms:keyorigin"] = []string{strOr(in.Origin, originKMS)}
	m["kms:multiregion"] = []string{strconv.FormatBool(in.MultiRegion != nil && *in.MultiRegion)}
	m["kms:bypasspolicylockoutsafetycheck"] = []string{strconv.FormatBool(in.BypassPolicyLockoutSafetyCheck)}
	return m
}

func strOr(p *string, def string) string {
	if p == nil || *p == "" {
		return def
	}
	return *p
}
