package policy

// Message renders a denial the way AWS words AccessDenied messages (IAM User
// Guide, "Troubleshooting access denied error messages"):
//
//	User: arn:aws:iam::111122223333:user/alice is not authorized to perform:
//	cloudtrail:CreateTrail on resource: arn:aws:cloudtrail:…:trail/main
//	because no identity-based policy allows the cloudtrail:CreateTrail action
//
// (one line). An explicit deny reads "with an explicit deny in a service
// control policy" and so on. An empty resource omits the "on resource:"
// part, as AWS does for some actions. Message returns "" for an Allow.
func (d Decision) Message(principalARN, action, resource string) string {
	if d.Effect == Allow {
		return ""
	}
	m := "User: " + principalARN + " is not authorized to perform: " + action
	if resource != "" {
		m += " on resource: " + resource
	}
	kind := d.DeniedBy
	if !kind.valid() {
		kind = Identity
	}
	if d.Effect == ExplicitDeny {
		return m + " with an explicit deny in " + article(kind) + kind.String()
	}
	return m + " because no " + kind.String() + " allows the " + action + " action"
}

// article is the one AWS uses before each policy type: it speaks of "the
// role trust policy" (a role has one) and "an identity-based policy".
func article(k Kind) string {
	switch k {
	case Trust:
		return "the "
	case Identity:
		return "an "
	}
	return "a "
}
