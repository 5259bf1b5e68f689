package policy

// Effect is the outcome of an evaluation. The zero value is ImplicitDeny:
// a Decision nobody filled in denies.
type Effect uint8

// The three outcomes AWS distinguishes.
const (
	ImplicitDeny Effect = iota // no applicable Allow
	Allow
	ExplicitDeny // an applicable Deny statement
)

func (e Effect) String() string {
	switch e {
	case Allow:
		return "Allow"
	case ExplicitDeny:
		return "ExplicitDeny"
	}
	return "ImplicitDeny"
}

// StatementRef identifies a statement that took part in a decision.
type StatementRef struct {
	Policy string // Policy.Name of the policy holding the statement
	Kind   Kind   // the role the policy played in this evaluation
	Sid    string
	Index  int // position in the policy's Statement array
	Effect StatementEffect
}

// Decision is the answer to one Request.
type Decision struct {
	Effect Effect
	// DeniedBy is the policy type the denial is attributed to (the one the
	// AccessDenied message names); zero when allowed.
	DeniedBy Kind
	// Statements are the deciding statements: for ExplicitDeny every
	// matching Deny, for Allow the Allow statements that granted (identity
	// and/or resource-based); empty for ImplicitDeny and for the root
	// user's default access.
	Statements []StatementRef
	// MissingContextValues lists the condition keys (lower-cased) that
	// statements relevant to the action referenced but the request context
	// lacked, as the IAM policy simulator reports them.
	MissingContextValues []string
}

// Allowed reports whether the request may proceed.
func (d Decision) Allowed() bool { return d.Effect == Allow }
