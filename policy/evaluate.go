package policy

// Input is everything that bears on one decision.
type Input struct {
	Request Request
	// Identity holds the caller's identity-based policies: a user's own and
	// its groups', or a role's.
	Identity []*Policy
	// Boundary is the caller's permissions boundary; nil when it has none.
	Boundary *Policy
	// Session holds the session policies passed when the credentials were
	// issued; nil (or empty) when none were.
	Session []*Policy
	// SCPs holds the service control policies on the path from the
	// organization root to the caller's account, one list per level; nil
	// when the account is not in an organization or is its management
	// account (SCPs never restrict it).
	SCPs [][]*Policy
	// ResourcePolicy is the resource's policy (bucket, key, topic, log
	// group, or a role's trust policy for sts:AssumeRole*); nil if none.
	ResourcePolicy *Policy
	// ResourceAccount owns the resource; "" means the caller's account.
	ResourceAccount string
	// ResourcePolicyRequired says the resource policy must itself allow the
	// caller (at least by naming its account), as role trust policies and
	// KMS key policies do: identity policies alone are not enough.
	ResourcePolicyRequired bool
	// Root says the caller is its account's root user, which needs no
	// identity policy: only SCPs and explicit denies limit it at home.
	Root bool
}

// Evaluate decides a request with AWS's policy evaluation logic:
//
//  1. An explicit Deny in any applicable policy (SCP, resource-based,
//     identity-based, permissions boundary, session policy) denies.
//  2. Every SCP level must allow.
//  3. Where the resource policy must allow on its own, it must.
//  4. Within one account, a resource policy Allow that names the caller
//     itself (user ARN, session ARN) or everyone grants on its own: implicit
//     denies in identity, boundary and session policies do not matter.
//  5. Otherwise an identity policy must allow (the root user needs none),
//     except that a resource policy naming the role behind a session, or
//     the user behind a federated session, stands in for it; a resource
//     policy naming only the account delegates and grants nothing by
//     itself.
//  6. The permissions boundary, if any, must allow.
//  7. Session policies, if any, must allow; a federated user without one
//     is denied.
//  8. Across accounts, the resource policy must allow as well: both
//     accounts' evaluations must say Allow.
//
// Callers that are not IAM identities (AWS services, anonymous callers,
// web-identity and SAML users before they assume a role) have no identity
// policies, boundaries, sessions or SCPs: only the resource policy decides.
func Evaluate(in Input) Decision {
	// The scratch lists are passed and returned by value, never stored
	// through a pointer or bundled in one struct: the escape analysis is
	// field-insensitive, and either would move them (and Input) to the heap
	// on every call. The matched-statement list starts in a fixed array.
	var refBuf [16]matchRef
	refs, missing := refBuf[:0], []string(nil)
	parts, n := splitARN(in.Request.Resource, false)
	req := &target{Request: &in.Request, parts: parts, n: n}
	p := &in.Request.Principal
	identityless := p.Type == PrincipalAWSService || p.Type == PrincipalAnonymous ||
		p.Type == PrincipalWebIdentityUser || p.Type == PrincipalSAMLUser
	sameAccount := in.ResourceAccount == "" || in.ResourceAccount == p.Account

	resKind := Resource
	var res, id, bnd, ses scanResult
	scpDeny, scpGap := false, false
	if in.ResourcePolicy != nil {
		if in.ResourcePolicy.Kind == Trust {
			resKind = Trust
		}
		refs, missing, res = scan(req, in.ResourcePolicy, resKind, true, refs, missing)
	}
	if !identityless {
		for _, level := range in.SCPs {
			levelAllows := false
			for _, pol := range level {
				var r scanResult
				refs, missing, r = scan(req, pol, SCP, false, refs, missing)
				levelAllows = levelAllows || r.allow
				scpDeny = scpDeny || r.deny
			}
			scpGap = scpGap || !levelAllows
		}
		for _, pol := range in.Identity {
			var r scanResult
			refs, missing, r = scan(req, pol, Identity, false, refs, missing)
			id.merge(r)
		}
		if in.Boundary != nil {
			refs, missing, bnd = scan(req, in.Boundary, Boundary, false, refs, missing)
		}
		for _, pol := range in.Session {
			var r scanResult
			refs, missing, r = scan(req, pol, Session, false, refs, missing)
			ses.merge(r)
		}
	}

	// 1. Explicit denies, attributed in the order AWS evaluates them.
	switch {
	case scpDeny:
		return decide(refs, missing, ExplicitDeny, SCP)
	case res.deny:
		return decide(refs, missing, ExplicitDeny, resKind)
	case id.deny:
		return decide(refs, missing, ExplicitDeny, Identity)
	case bnd.deny:
		return decide(refs, missing, ExplicitDeny, Boundary)
	case ses.deny:
		return decide(refs, missing, ExplicitDeny, Session)
	}
	if identityless {
		if res.allow {
			return decide(refs, missing, Allow, 0)
		}
		return decide(refs, missing, ImplicitDeny, resKind)
	}
	// 2. Each level of the organization must allow.
	if scpGap {
		return decide(refs, missing, ImplicitDeny, SCP)
	}
	// 3. Trust and key policies must allow themselves.
	if in.ResourcePolicyRequired && !res.allow {
		return decide(refs, missing, ImplicitDeny, resKind)
	}
	// 4. Same-account resource policy naming the caller: the union rule.
	if sameAccount && res.allow && res.grant == grantDirect {
		return decide(refs, missing, Allow, 0)
	}
	// 5. Identity policies, or a grant to the session's role.
	issuerGrant := sameAccount && res.allow && res.grant == grantIssuer
	if !in.Root && !id.allow && !issuerGrant {
		return decide(refs, missing, ImplicitDeny, Identity)
	}
	// 6. The boundary caps what identity policies (and grants to the role)
	// give.
	if in.Boundary != nil && !bnd.allow {
		return decide(refs, missing, ImplicitDeny, Boundary)
	}
	// 7. Session policies intersect; a federated user must have one.
	if len(in.Session) > 0 && !ses.allow || len(in.Session) == 0 && p.Type == PrincipalFederatedUser {
		return decide(refs, missing, ImplicitDeny, Session)
	}
	// 8. The resource's account must agree.
	if !sameAccount && !res.allow {
		return decide(refs, missing, ImplicitDeny, resKind)
	}
	return decide(refs, missing, Allow, 0)
}

// scanResult summarizes what one policy type said about the request.
type scanResult struct {
	allow, deny bool
	grant       grant // the strongest grant among allowing statements
}

func (r *scanResult) merge(o scanResult) {
	r.allow = r.allow || o.allow
	r.deny = r.deny || o.deny
	if o.grant > r.grant {
		r.grant = o.grant
	}
}

// matchRef records a statement that applied to the request.
type matchRef struct {
	kind Kind
	pol  *Policy
	st   *Statement
}

// scan evaluates every statement of p against the request, appending the
// statements that apply to refs and the keys they lacked to missing.
func scan(req *target, p *Policy, kind Kind, checkPrincipal bool, refs []matchRef, missing []string) ([]matchRef, []string, scanResult) {
	var r scanResult
	for _, s := range p.Statements {
		var ok bool
		var g grant
		ok, g, missing = applies(req, s, checkPrincipal, missing)
		if !ok {
			continue
		}
		refs = append(refs, matchRef{kind: kind, pol: p, st: s})
		if s.Effect == EffectDeny {
			r.deny = true
			continue
		}
		r.allow = true
		if g > r.grant {
			r.grant = g
		}
	}
	return refs, missing, r
}

// target is the request with its resource ARN split once, since every
// statement's Resource is compared with the same parts.
type target struct {
	*Request
	parts [6]string
	n     int
}

// applies reports whether statement s applies to request r: its action,
// resource, principal (for resource-based policies) and every condition
// match. For a statement whose action matches, the context keys it reads
// but the request lacks are appended to missing.
func applies(r *target, s *Statement, checkPrincipal bool, missing []string) (bool, grant, []string) {
	matched := false
	for i := range s.actions {
		if s.actions[i].match(r.Action) {
			matched = true
			break
		}
	}
	if matched == s.notAction {
		return false, grantNone, missing
	}
	if !s.allResources {
		matched = false
		for i := range s.resources {
			if m, _ := s.resources[i].matchParts(&r.parts, r.n, r.Context); m {
				matched = true
				break
			}
		}
		if matched == s.notResource {
			return false, grantNone, noteMissing(s.keys, r.Context, missing)
		}
	}
	g := grantDirect
	if checkPrincipal {
		switch {
		case s.principals == nil:
			// An identity-style statement handed over as a resource
			// policy names nobody; it must not grant everybody.
			return false, grantNone, missing
		case s.notPrincipal:
			if s.principals.covers(&r.Principal) {
				return false, grantNone, noteMissing(s.keys, r.Context, missing)
			}
		default:
			if g = s.principals.match(&r.Principal); g == grantNone {
				return false, grantNone, noteMissing(s.keys, r.Context, missing)
			}
		}
	}
	for i := range s.conds {
		ok, absent := s.conds[i].eval(r.Context)
		if absent {
			missing = addKey(missing, s.conds[i].key)
		}
		if !ok {
			return false, grantNone, noteMissing(s.keys, r.Context, missing)
		}
	}
	// Every condition looked its own key up already; only the keys read by
	// variables remain to be checked.
	return true, g, noteMissing(s.varKeys, r.Context, missing)
}

// noteMissing appends the keys absent from ctx to missing.
func noteMissing(keys []string, ctx map[string][]string, missing []string) []string {
	for _, k := range keys {
		if len(ctx[k]) == 0 {
			missing = addKey(missing, k)
		}
	}
	return missing
}

func addKey(missing []string, k string) []string {
	if contains(missing, k) {
		return missing
	}
	return append(missing, k)
}

// decide builds the Decision, choosing its deciding statements: every
// matching Deny for an explicit deny, the granting Allows for an allow.
func decide(refs []matchRef, missing []string, effect Effect, deniedBy Kind) Decision {
	d := Decision{Effect: effect, DeniedBy: deniedBy, MissingContextValues: missing}
	if effect == ImplicitDeny {
		return d
	}
	n := 0
	for _, m := range refs {
		if deciding(m, effect) {
			n++
		}
	}
	if n == 0 {
		return d
	}
	d.Statements = make([]StatementRef, 0, n)
	for _, m := range refs {
		if deciding(m, effect) {
			d.Statements = append(d.Statements, StatementRef{
				Policy: m.pol.Name, Kind: m.kind, Sid: m.st.Sid, Index: m.st.Index, Effect: m.st.Effect,
			})
		}
	}
	return d
}

func deciding(m matchRef, effect Effect) bool {
	if effect == ExplicitDeny {
		return m.st.Effect == EffectDeny
	}
	// Allows that grant: identity-based and resource-based statements.
	// Boundaries, session policies and SCPs only permit.
	return m.st.Effect == EffectAllow && (m.kind == Identity || m.kind == Resource || m.kind == Trust)
}
