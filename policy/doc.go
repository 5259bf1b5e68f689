// Package policy parses, validates and evaluates IAM policy documents the way
// AWS does: identity policies, resource-based policies, role trust policies,
// Organizations service control policies, permissions boundaries and session
// policies.
//
// Guarantees:
//
//   - Pure. The package performs no I/O, reads no clock, keeps no
//     package-level mutable state and starts no goroutines. Everything a
//     decision depends on (including the time, as aws:CurrentTime and
//     aws:EpochTime) arrives in the Request.
//   - Parse once, evaluate many. Parse validates a document completely and
//     precompiles every wildcard pattern, principal and condition value, so
//     a *Policy is immutable afterwards and safe for concurrent use by any
//     number of goroutines (set Policy.Name before sharing it). Evaluate
//     uses no regular expressions and allocates nothing per statement: its
//     scratch space lives on the stack, and a decision allocates only its
//     list of deciding statements and of missing context keys.
//   - Total. Parse returns either a *Policy or a *ValidationError, never
//     panics, whatever the input; a ValidationError carries IAM's
//     MalformedPolicyDocument wording where it is known, plus a stable
//     Reason for callers that speak another service's dialect.
//   - Deny by default. Evaluate returns Allow only when AWS's documented
//     evaluation logic allows; an explicit Deny in any applicable policy
//     wins over every Allow.
//
// The evaluation logic follows the AWS IAM User Guide pages "Policy
// evaluation logic", "Cross-account policy evaluation logic" and the
// permissions-boundary and session-policy pages; the denial wording follows
// "Troubleshooting access denied error messages".
package policy
