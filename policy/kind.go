package policy

// Kind is the role a policy document plays. The grammar differs per kind:
// which of Principal, NotPrincipal, Resource and NotResource must or may
// appear, which actions are allowed, and which service's error wording a
// rejected document gets.
type Kind int

// The kinds of policy document.
const (
	// Identity is a policy attached to a user, group or role: no Principal
	// or NotPrincipal, Resource or NotResource required.
	Identity Kind = iota + 1
	// Resource is a resource-based policy (bucket, key, topic, log group
	// policy): Principal or NotPrincipal required, Resource or NotResource
	// required.
	Resource
	// Trust is a role trust policy: Principal required, NotPrincipal,
	// Resource and NotResource prohibited, actions limited to the STS
	// actions that assume a role.
	Trust
	// SCP is an Organizations service control policy: no Principal or
	// NotPrincipal; Resource is optional and defaults to every resource.
	SCP
	// Boundary is a permissions boundary; its grammar is Identity's.
	Boundary
	// Session is a session policy passed to AssumeRole* or
	// GetFederationToken; its grammar is Identity's.
	Session
)

// String names the kind as the package's messages do.
func (k Kind) String() string {
	switch k {
	case Identity:
		return "identity-based policy"
	case Resource:
		return "resource-based policy"
	case Trust:
		return "role trust policy"
	case SCP:
		return "service control policy"
	case Boundary:
		return "permissions boundary"
	case Session:
		return "session policy"
	}
	return "unknown policy kind"
}

func (k Kind) valid() bool { return k >= Identity && k <= Session }

// principalRule says what a kind requires of Principal/NotPrincipal.
type principalRule int

const (
	principalProhibited principalRule = iota
	principalRequired
)

func (k Kind) principalRule() principalRule {
	if k == Resource || k == Trust {
		return principalRequired
	}
	return principalProhibited
}

// resourceRule says what a kind requires of Resource/NotResource.
type resourceRule int

const (
	resourceRequired resourceRule = iota
	resourceOptional
	resourceProhibited
)

func (k Kind) resourceRule() resourceRule {
	switch k {
	case Trust:
		return resourceProhibited
	case SCP:
		return resourceOptional
	}
	return resourceRequired
}

// iamHosted reports whether documents of this kind are stored by IAM, which
// restricts Sid to ASCII letters and digits.
func (k Kind) iamHosted() bool { return k == Identity || k == Boundary || k == Trust }
