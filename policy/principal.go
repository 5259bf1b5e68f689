package policy

import "strings"

// grant says how directly a resource-based policy statement names the
// caller, which decides how much of the rest of the evaluation it may skip
// (IAM User Guide, "Policy evaluation logic", resource-based policies).
type grant uint8

const (
	grantNone grant = iota
	// grantAccount: the statement names the caller's account (its ID or
	// …:root). This delegates to the account: the caller's identity
	// policies must allow as well.
	grantAccount
	// grantIssuer: the statement names the role a session was issued from
	// (or the IAM user behind a federated user). Identity policies need not
	// allow, but the permissions boundary and session policy still limit.
	grantIssuer
	// grantDirect: the statement names the caller itself (user ARN, session
	// ARN, service, provider) or everyone; within the account this grants
	// on its own.
	grantDirect
)

// principalSet is a compiled Principal or NotPrincipal element.
type principalSet struct {
	everyone  bool     // "*" or {"AWS": "*"}
	arns      []string // exact caller or issuer ARNs
	accounts  []string // 12-digit account IDs (from IDs or …:root ARNs)
	services  []string // lower-cased
	federated []string
	canonical []string
}

// principalKeys are the principal types the grammar defines.
var principalKeys = [...]string{"AWS", "Service", "Federated", "CanonicalUser"}

// compilePrincipal validates and compiles a Principal/NotPrincipal value. It
// returns the first invalid value's description ("AWS":"x") on failure.
func compilePrincipal(n *node, kind Kind) (*principalSet, string, bool) {
	ps := &principalSet{}
	if n.kind == nodeString {
		if n.text == "*" {
			ps.everyone = true
			return ps, "", true
		}
		return nil, n.text, false
	}
	if n.kind != nodeObject {
		return nil, "", false
	}
	for i, key := range n.keys {
		known := false
		for _, k := range principalKeys {
			known = known || key == k
		}
		if !known || kind == Trust && key == "CanonicalUser" {
			return nil, quoted(key), false
		}
		values, ok := stringList(n.vals[i])
		if !ok || len(values) == 0 {
			return nil, quoted(key), false
		}
		for _, v := range values {
			if !ps.add(key, v) {
				return nil, quoted(key) + ":" + quoted(v), false
			}
		}
	}
	if len(n.keys) == 0 {
		return nil, "", false
	}
	return ps, "", true
}

func quoted(s string) string { return `"` + s + `"` }

// add records one principal value. Only a whole "*" may be a wildcard: AWS
// rejects partial wildcards in principals (use aws:PrincipalArn instead).
func (ps *principalSet) add(key, v string) bool {
	if v == "" {
		return false
	}
	if v == "*" {
		if key != "AWS" {
			return false
		}
		ps.everyone = true
		return true
	}
	if hasWildcard(v) {
		return false
	}
	switch key {
	case "Service":
		ps.services = append(ps.services, strings.ToLower(v))
	case "Federated":
		ps.federated = append(ps.federated, v)
	case "CanonicalUser":
		ps.canonical = append(ps.canonical, v)
	default: // AWS
		if isAccountID(v) {
			ps.accounts = append(ps.accounts, v)
			return true
		}
		acct, root, ok := principalARN(v)
		if !ok {
			return false
		}
		if root {
			ps.accounts = append(ps.accounts, acct)
		} else {
			ps.arns = append(ps.arns, v)
		}
	}
	return true
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// principalARN accepts the ARNs AWS takes as AWS principals: an account's
// root, IAM users and roles, STS assumed-role sessions and federated users.
func principalARN(v string) (account string, root, ok bool) {
	p, n := splitARN(v, false)
	if n != 6 || p[0] != "arn" || !validPartition(p[1]) || p[3] != "" || !isAccountID(p[4]) {
		return "", false, false
	}
	res := p[5]
	switch p[2] {
	case "iam":
		switch {
		case res == "root":
			return p[4], true, true
		case strings.HasPrefix(res, "user/") && len(res) > len("user/"),
			strings.HasPrefix(res, "role/") && len(res) > len("role/"):
			return p[4], false, true
		}
	case "sts":
		if s, ok := strings.CutPrefix(res, "assumed-role/"); ok {
			role, session, ok := strings.Cut(s, "/")
			return p[4], false, ok && role != "" && session != ""
		}
		if s, ok := strings.CutPrefix(res, "federated-user/"); ok {
			return p[4], false, s != ""
		}
	}
	return "", false, false
}

// match reports how directly the set names the caller.
func (ps *principalSet) match(p *Principal) grant {
	if ps.everyone {
		return grantDirect
	}
	switch p.Type {
	case PrincipalAnonymous:
		return grantNone
	case PrincipalAWSService:
		for _, s := range ps.services {
			if strings.EqualFold(s, p.ServiceName) {
				return grantDirect
			}
		}
		return grantNone
	case PrincipalWebIdentityUser, PrincipalSAMLUser:
		for _, f := range ps.federated {
			if f == p.Provider {
				return grantDirect
			}
		}
		return grantNone
	}
	g := grantNone
	if p.CanonicalUser != "" {
		for _, c := range ps.canonical {
			if c == p.CanonicalUser {
				return grantDirect
			}
		}
	}
	for _, a := range ps.arns {
		if a == p.ARN {
			return grantDirect
		}
		if p.IssuerARN != "" && a == p.IssuerARN {
			g = grantIssuer
		}
	}
	if g == grantNone && p.Account != "" {
		for _, a := range ps.accounts {
			if a == p.Account {
				if p.Type == PrincipalRoot {
					// The root user is its account: naming the
					// account names it.
					return grantDirect
				}
				g = grantAccount
				break
			}
		}
	}
	return g
}

// covers reports whether the set names every identity the caller has, which
// is what exempts it from a NotPrincipal statement. AWS evaluates a session
// as its session ARN, its role and its account, so a Deny with NotPrincipal
// must list all of them to spare the session (IAM User Guide, NotPrincipal).
func (ps *principalSet) covers(p *Principal) bool {
	if ps.everyone {
		return true
	}
	switch p.Type {
	case PrincipalAnonymous:
		return false
	case PrincipalAWSService, PrincipalWebIdentityUser, PrincipalSAMLUser:
		return ps.match(p) == grantDirect
	}
	acct := contains(ps.accounts, p.Account)
	if p.Type == PrincipalRoot {
		return acct || contains(ps.arns, p.ARN)
	}
	if !acct || !contains(ps.arns, p.ARN) {
		return false
	}
	if p.Type == PrincipalAssumedRole && p.IssuerARN != "" {
		return contains(ps.arns, p.IssuerARN)
	}
	return true
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
